import { DEFAULT_THRESHOLD, resourceKey, Threshold, thresholdDecisionProblems } from '../index';
import { ModelRule, RawFinding } from './types';
import { plural, safe } from './util';

/** Every threshold can be met: enough distinct eligible reviewers other than the requester. */
export const thresholdReachable: ModelRule = {
  id: 'DA-002',
  name: 'threshold-can-be-met',
  severity: 'error',
  control: 'AC-3',
  description: 'Every request threshold can be met: approve and deny are at least 1 (Teleport accepts 0 or missing, and the threshold then never approves or never denies), and at least that many distinct eligible reviewers other than the requester exist.',
  fix: 'Give every threshold approve >= 1 and deny >= 1; give enough other users a role whose review_requests.roles covers the requested role (and whose reviews pass the threshold filter), or lower the threshold.',
  check({ index, privileges }) {
    const out: RawFinding[] = [];
    for (const r of index.roles()) {
      for (const p of thresholdDecisionProblems(r)) {
        const kind = p.field.endsWith('.approve') ? 'approve' : 'deny';
        out.push({
          resource: resourceKey(r),
          field: p.field,
          key: `never#${kind}`,
          message: `this threshold can never ${kind} a request: ${kind} is missing or 0 (Teleport accepts that, and then only ${kind === 'approve' ? 'other thresholds or an admin can approve' : 'other thresholds can deny, or the request expires'}); set ${kind} >= 1`,
        });
      }
    }
    for (const r of index.roles()) {
      const req = r.spec.allow?.request;
      const requesters = index.holdersOf(r.metadata.name).filter((u) => index.dir.user(u));
      if (!req || requesters.length === 0) continue;
      const listed = req.thresholds ?? [];
      const effective: Threshold[] = listed.length === 0 ? [DEFAULT_THRESHOLD] : listed;
      for (const target of index.requestTargets(r)) {
        const reviewers = privileges.reviewersOf(target).map((n) => index.reviewerFacts(index.dir.user(n)!));
        effective.forEach((t, i) => {
          const request = { user: '\u0000requester', roles: [target], reason: '' };
          const eligible = new Set(reviewers.filter((f) => safe(() => index.countsFor(effective, i, f, request))).map((f) => f.name));
          // the requester never reviews their own request: the worst case is a requester who is also eligible
          const worstRequester = requesters.find((u) => eligible.has(u));
          const worst = worstRequester ? eligible.size - 1 : eligible.size;
          const who = worstRequester ?? requesters[0];
          const field = listed.length === 0 ? 'spec.allow.request.roles' : `spec.allow.request.thresholds[${i}]`;
          for (const kind of ['approve', 'deny'] as const) {
            const need = t[kind] ?? 0;
            if (need < 1 || worst >= need) continue; // 0 is reported above
            out.push({
              resource: resourceKey(r),
              field: listed.length === 0 ? field : `${field}.${kind}`,
              key: `${target}#${i}#${kind}`,
              message: `a request for ${target} by ${who} needs ${plural(need, kind === 'approve' ? 'approval' : 'denial')} but only ${plural(worst, 'distinct user')} other than the requester can review it${t.filter ? ' and pass the threshold filter' : ''}`,
            });
          }
        });
      }
    }
    return out;
  },
};
