import { parseDurationMs, resourceKey } from '../../model';
import { PolicyRule, RawFinding } from '../types';

/** Privileged sessions are short: max_session_ttl set and within the configured bound. */
export const privilegedSessionTtl: PolicyRule = {
  id: 'DA-008',
  name: 'privileged-session-ttl-bounded',
  severity: 'warning',
  control: 'AC-6',
  description: 'A privileged role sets spec.options.max_session_ttl no longer than the configured bound (default 8h).',
  fix: 'Set spec.options.max_session_ttl on the privileged role, e.g. "1h" or "8h" (Teleport defaults to 30h).',
  check({ index, config }) {
    const out: RawFinding[] = [];
    const bound = parseDurationMs(config.maxSessionTtl) as number;
    for (const r of index.privilegedRoles()) {
      const ttl = r.spec.options?.max_session_ttl;
      const res = resourceKey(r);
      if (ttl === undefined) {
        out.push({ resource: res, field: 'spec.options', key: 'unset', message: `privileged role ${r.metadata.name} does not set max_session_ttl, so Teleport's default of 30h applies (bound: ${config.maxSessionTtl})` });
        continue;
      }
      const ms = parseDurationMs(String(ttl));
      if (ms === undefined) {
        out.push({ resource: res, field: 'spec.options.max_session_ttl', key: 'invalid', message: `privileged role ${r.metadata.name} has max_session_ttl ${JSON.stringify(ttl)}, which is not a duration` });
      } else if (ms === 0) {
        out.push({ resource: res, field: 'spec.options.max_session_ttl', key: 'unset', message: `privileged role ${r.metadata.name} sets max_session_ttl ${JSON.stringify(ttl)}, which Teleport replaces with its default of 30h (bound: ${config.maxSessionTtl})` });
      } else if (ms > bound) {
        out.push({ resource: res, field: 'spec.options.max_session_ttl', key: 'too-long', message: `privileged role ${r.metadata.name} allows sessions of ${ttl}, longer than the bound of ${config.maxSessionTtl}` });
      }
    }
    return out;
  },
};
