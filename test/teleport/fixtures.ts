/** Roles and users shared by the Teleport client/simulator tests. */
import type { RoleResource, UserResource } from '../../model/resources';

const role = (name: string, spec: RoleResource['spec'], version: RoleResource['version'] = 'v7'): RoleResource => ({ kind: 'role', version, metadata: { name }, spec });
const user = (name: string, roles: string[]): UserResource => ({ kind: 'user', version: 'v2', metadata: { name }, spec: { roles } });

export const ROLES: RoleResource[] = [
  // Teleport's documented plugin role: read requests, write plugin data, nothing else.
  role('access-plugin', {
    allow: {
      rules: [
        { resources: ['access_request'], verbs: ['list', 'read'] },
        { resources: ['access_plugin_data'], verbs: ['update'] },
      ],
    },
  }),
  role('prod-access', { allow: { logins: ['root'], node_labels: { env: 'prod' } }, options: { max_session_ttl: '1h' } }),
  role('dev', { allow: { request: { roles: ['prod-access'], thresholds: [{ name: 'two-approvals', approve: 2, deny: 1 }], suggested_reviewers: ['bob'] } } }),
  role('reviewer', { allow: { review_requests: { roles: ['prod-access'] } } }),
  role('admin', { allow: { rules: [{ resources: ['*'], verbs: ['*'] }] } }),
];

export const USERS: UserResource[] = [
  user('alice', ['dev']),
  user('bob', ['reviewer']),
  user('carol', ['reviewer']),
  // Can both request and review prod-access: Teleport still refuses a review of his own request.
  user('erin', ['dev', 'reviewer']),
  user('access-plugin', ['access-plugin']),
  user('admin', ['admin']),
];
