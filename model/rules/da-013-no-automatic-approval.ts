import { AccessMonitoringRuleResource } from '../access-resources';
import { evaluateCondition } from '../access-monitoring-condition';
import { resourceKey } from '../resources';
import { ModelRule, RawFinding } from './types';

/** Requesters tried per privileged role when a condition reads user traits. */
const MAX_REQUESTERS = 200;

/**
 * No access monitoring rule approves a privileged role automatically (lib/accessmonitoring/review:
 * a rule with desired_state reviewed and automatic_review.decision APPROVED submits an approval by the
 * approval bot for every pending request its condition matches).
 */
export const noAutomaticApproval: ModelRule = {
  id: 'DA-013',
  name: 'no-automatic-approval-of-privileged-role',
  severity: 'error',
  control: 'AC-3',
  description: 'No access_monitoring_rule automatically approves requests for a privileged role: an approval by a rule is not a person agreeing.',
  fix: 'Narrow the rule\'s condition so it cannot match the privileged role (e.g. !access_request.spec.roles.contains("dbadmin")), or use decision DENIED or notification only.',
  check({ resources, index, access }) {
    const out: RawFinding[] = [];
    const rules = resources.filter((r): r is AccessMonitoringRuleResource => r.kind === 'access_monitoring_rule' && r.spec?.automatic_review?.decision === 'APPROVED' && r.spec.desired_state === 'reviewed' && (r.spec.subjects ?? []).includes('access_request'));
    if (rules.length === 0) return out;
    for (const ra of access().roles.values()) {
      const requesters = [...ra.requesters.map((q) => q.principal).slice(0, MAX_REQUESTERS), ''];
      for (const r of rules) {
        // a condition that reads nothing of the user is evaluated once per role
        const users = /\buser\b/.test(r.spec.condition ?? '') ? requesters : [''];
        const who = users.find((user) => {
          try {
            return evaluateCondition(r.spec.condition ?? '', { roles: [ra.role], suggestedReviewers: [], annotations: {}, user, requestReason: '', userTraits: index.dir.user(user)?.spec.traits ?? {}, pluginName: '' });
          } catch {
            return false;
          }
        });
        if (who === undefined) continue;
        out.push({
          resource: resourceKey(r),
          field: 'spec.automatic_review.decision',
          key: ra.role,
          message: `access monitoring rule ${r.metadata.name} approves requests for privileged role ${ra.role} automatically${who ? ` (e.g. by ${who})` : ''}: its approval counts as one review without a person agreeing`,
        });
      }
    }
    return out;
  },
};
