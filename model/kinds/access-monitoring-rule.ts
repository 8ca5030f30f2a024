/**
 * `kind: access_monitoring_rule` (v1): notification routing and automatic reviews
 * (access_monitoring_rules.proto; validation as lib/services/access_monitoring_rules.go: subjects and
 * condition required, automatic_review needs integration and a decision APPROVED or DENIED, and
 * desired_state "reviewed" to take effect).
 */
import { AccessMonitoringRuleResource } from '../access-resources';
import { conditionProblem } from '../access-monitoring-condition';
import { Problem } from './kind';
import { closed, plainTerraform, simpleKind, stringList } from './simple-kind';

export const accessMonitoringRuleKind = simpleKind<AccessMonitoringRuleResource>({
  kind: 'access_monitoring_rule',
  versions: ['v1'],
  terraformType: 'teleport_access_monitoring_rule',
  spec: () =>
    closed(
      {
        subjects: { ...stringList, minItems: 1 },
        condition: { type: 'string' },
        states: stringList,
        desired_state: { type: 'string' },
        notification: closed({ name: { type: 'string' }, recipients: stringList }),
        automatic_review: closed({ integration: { type: 'string' }, decision: { enum: ['APPROVED', 'DENIED'] } }),
      },
      ['subjects'],
    ),
  rules(r) {
    const out: Problem[] = [];
    if (!r.spec.condition?.trim()) out.push({ field: 'spec.condition', message: 'an access monitoring rule needs a condition' });
    else {
      const p = conditionProblem(r.spec.condition);
      if (p) out.push({ field: 'spec.condition', message: `invalid condition: ${p}` });
    }
    if (r.spec.notification && !r.spec.notification.name) out.push({ field: 'spec.notification.name', message: 'the notification needs the plugin name, e.g. "mattermost"' });
    const ar = r.spec.automatic_review;
    if (ar) {
      if (!ar.integration) out.push({ field: 'spec.automatic_review.integration', message: 'automatic_review needs an integration, e.g. "builtin"' });
      if (!ar.decision) out.push({ field: 'spec.automatic_review.decision', message: 'automatic_review needs a decision: APPROVED or DENIED' });
      if (r.spec.desired_state !== 'reviewed') out.push({ field: 'spec.desired_state', message: 'automatic reviews apply only with desired_state: reviewed' });
    }
    return out;
  },
  toTerraform: plainTerraform,
});
