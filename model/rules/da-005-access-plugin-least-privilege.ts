import { RoleResource, resourceKey } from '../index';
import { ModelRule, RawFinding } from './types';

/** What an access-request plugin needs, exactly: watch requests and store its own message ids. */
const EXPECTED: Readonly<Record<string, readonly string[]>> = { access_request: ['list', 'read'], access_plugin_data: ['update'] };

function isPluginRole(r: RoleResource, pluginRoles: readonly string[]): boolean {
  return pluginRoles.includes(r.metadata.name) || (r.spec.allow?.rules ?? []).some((rule) => (rule.resources ?? []).includes('access_plugin_data'));
}

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.values(v as object).every(isEmpty);
  return v === '';
}

/** The access-plugin role has exactly access_request: list, read and access_plugin_data: update. */
export const accessPluginLeastPrivilege: ModelRule = {
  id: 'DA-005',
  name: 'access-plugin-least-privilege',
  severity: 'error',
  control: 'AC-6',
  description: 'The access-plugin role allows exactly access_request: [list, read] and access_plugin_data: [update], and nothing else.',
  fix: 'Set the plugin role\'s spec.allow to rules [{resources: [access_request], verbs: [list, read]}, {resources: [access_plugin_data], verbs: [update]}] only.',
  check({ index, config }) {
    const out: RawFinding[] = [];
    for (const r of index.roles()) {
      if (!isPluginRole(r, config.pluginRoles)) continue;
      const res = resourceKey(r);
      const name = r.metadata.name;
      const granted = new Map<string, Set<string>>();
      (r.spec.allow?.rules ?? []).forEach((rule) => {
        for (const resource of rule.resources ?? []) {
          const verbs = granted.get(resource) ?? new Set<string>();
          for (const v of rule.verbs ?? []) verbs.add(v);
          granted.set(resource, verbs);
        }
      });
      const extra: string[] = [];
      for (const [resource, verbs] of granted) {
        const allowed = EXPECTED[resource] ?? [];
        const more = [...verbs].filter((v) => !allowed.includes(v));
        if (more.length > 0) extra.push(`${resource}: ${more.join(', ')}`);
      }
      if (extra.length > 0) {
        out.push({ resource: res, field: 'spec.allow.rules', key: 'extra-rules', message: `access-plugin role ${name} allows more than it needs: ${extra.join('; ')}` });
      }
      const missing: string[] = [];
      for (const [resource, verbs] of Object.entries(EXPECTED)) {
        const have = granted.get(resource);
        const lack = verbs.filter((v) => !have?.has(v) && !have?.has('*'));
        if (lack.length > 0) missing.push(`${resource}: ${lack.join(', ')}`);
      }
      if (missing.length > 0) {
        out.push({ resource: res, field: 'spec.allow.rules', key: 'missing-rules', message: `access-plugin role ${name} lacks ${missing.join('; ')}: the plugin cannot follow requests` });
      }
      for (const [field, value] of Object.entries(r.spec.allow ?? {})) {
        if (field === 'rules' || field === 'namespaces' || isEmpty(value)) continue;
        out.push({ resource: res, field: `spec.allow.${field}`, key: field, message: `access-plugin role ${name} also grants ${field}: a plugin needs only its two rules` });
      }
    }
    return out;
  },
};
