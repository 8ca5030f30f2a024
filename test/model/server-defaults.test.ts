// Server defaults per role version, as api/types/role.go RoleV6.CheckAndSetDefaults sets them (Teleport 18).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { kindModel, RoleResource, roleWithServerDefaults } from '../../model';

const role = (version: string, spec: RoleResource['spec']): RoleResource => ({ kind: 'role', version: version as RoleResource['version'], metadata: { name: 'r' }, spec });
const kube = { kubernetes_labels: { env: 'dev' } };

describe('role server defaults', () => {
  test('kubernetes_resources default per version', () => {
    assert.deepEqual(roleWithServerDefaults(role('v4', { allow: kube })).spec.allow?.kubernetes_resources, [{ kind: 'pod', namespace: '*', name: '*', verbs: ['*'] }]);
    assert.deepEqual(roleWithServerDefaults(role('v5', { allow: kube })).spec.allow?.kubernetes_resources, [{ kind: 'pod', namespace: '*', name: '*', verbs: ['*'] }]);
    assert.equal(roleWithServerDefaults(role('v6', { allow: kube })).spec.allow?.kubernetes_resources, undefined);
    assert.deepEqual(roleWithServerDefaults(role('v7', { allow: kube })).spec.allow?.kubernetes_resources, [{ kind: '*', namespace: '*', name: '*', verbs: ['*'] }]);
    assert.deepEqual(roleWithServerDefaults(role('v8', { allow: kube })).spec.allow?.kubernetes_resources, [{ kind: '*', api_group: '*', namespace: '*', name: '*', verbs: ['*'] }]);
  });

  test('v3 defaults wildcard labels, and with them the pod default', () => {
    const r = roleWithServerDefaults(role('v3', { allow: { logins: ['ubuntu'] } }));
    assert.deepEqual(r.spec.allow?.node_labels, { '*': '*' });
    assert.deepEqual(r.spec.allow?.app_labels, { '*': '*' });
    assert.deepEqual(r.spec.allow?.kubernetes_labels, { '*': '*' });
    assert.deepEqual(r.spec.allow?.db_labels, { '*': '*' });
    assert.deepEqual(r.spec.allow?.kubernetes_resources, [{ kind: 'pod', namespace: '*', name: '*', verbs: ['*'] }]);
    assert.deepEqual(roleWithServerDefaults(role('v3', { allow: {} })).spec.allow?.node_labels, {}, 'no logins: no node access');
    assert.equal(roleWithServerDefaults(role('v4', { allow: { logins: ['ubuntu'] } })).spec.allow?.node_labels, undefined);
  });

  test('empty verbs default to * only for v3-v6', () => {
    const kr = [{ kind: 'pod', namespace: 'default', name: 'web' }];
    assert.deepEqual((roleWithServerDefaults(role('v6', { allow: { kubernetes_resources: kr } })).spec.allow?.kubernetes_resources as { verbs?: string[] }[])[0]!.verbs, ['*']);
    assert.equal((roleWithServerDefaults(role('v7', { allow: { kubernetes_resources: kr } })).spec.allow?.kubernetes_resources as { verbs?: string[] }[])[0]!.verbs, undefined);
    assert.equal((roleWithServerDefaults(role('v8', { deny: { kubernetes_resources: kr } })).spec.deny?.kubernetes_resources as { verbs?: string[] }[])[0]!.verbs, undefined);
  });

  test('options: filled only where absent; SAML IdP only up to v7; max_session_ttl 0 or never is 30h', () => {
    const r = roleWithServerDefaults(role('v7', { options: { record_session: { ssh: 'strict' }, max_session_ttl: 'never' } }));
    assert.deepEqual(r.spec.options?.record_session, { ssh: 'strict' });
    assert.equal(r.spec.options?.max_session_ttl, '30h0m0s');
    assert.deepEqual(r.spec.options?.idp, { saml: { enabled: true } });
    assert.equal(roleWithServerDefaults(role('v8', {})).spec.options?.idp, undefined);
    assert.deepEqual(roleWithServerDefaults(role('v8', {})).spec.allow?.namespaces, ['default']);
    assert.deepEqual(roleWithServerDefaults(role('v8', {})).spec.deny?.namespaces, ['default']);
  });

  test('one spelling per value: YAML 1.1 booleans, durations, MFA', () => {
    const m = kindModel('role')!;
    const r = m.canonicalValues!(m.withServerDefaults(role('v7', { options: { forward_agent: 'no' as unknown as boolean, ssh_file_copy: 'yes' as unknown as boolean, max_session_ttl: '4d', require_session_mfa: 'no' }, allow: { request: { max_duration: '0', thresholds: [{ approve: 2 } as never] } } }))) as RoleResource;
    assert.equal(r.spec.options?.forward_agent, undefined);
    assert.equal(r.spec.options?.ssh_file_copy, true);
    assert.equal(r.spec.options?.max_session_ttl, '96h0m0s');
    assert.equal(r.spec.options?.require_session_mfa, undefined);
    assert.equal(r.spec.allow?.request?.max_duration, undefined);
    assert.deepEqual(r.spec.allow?.request?.thresholds, [{ approve: 2, deny: 0 }]);
  });
});
