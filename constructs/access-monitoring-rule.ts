import { Construct } from 'constructs';
import { AccessMonitoringRuleResource } from '../model';
import { parseRecipient, RUNTIME_KINDS } from '../model/recipient-grammar';
import { DualAuthStack } from './dual-auth-stack';
import { TeleportResourceConstruct } from './teleport-resource';
import { TeleportRole } from './teleport-role';

export interface AccessMonitoringRuleProps {
  /** Teleport name (metadata.name). */
  readonly name: string;
  /** Requests for any of these roles match (the condition is built from them). Give this or `condition`. */
  readonly roles?: (TeleportRole | string)[];
  /** A condition in Teleport's expression language, e.g. `access_request.spec.roles.contains("dbadmin")`. */
  readonly condition?: string;
  /** Where matching requests are announced: emails (direct message) or `team/channel`. */
  readonly recipients?: string[];
  /** The plugin the notification is for (default "mattermost", the plugin's and the relay's name). */
  readonly plugin?: string;
  /**
   * Automatic review of matching requests by Teleport's approval bot (integration "builtin"). An automatic
   * APPROVED on a privileged role fails synthesis (DA-013) unless suppressed with a reason.
   */
  readonly automaticReview?: { decision: 'APPROVED' | 'DENIED'; integration?: string };
}

const str = (s: string) => JSON.stringify(s);

/**
 * `kind: access_monitoring_rule` (v1): Mattermost routing of access requests as code (Teleport's plugins
 * read these rules, and so does the relay: relay/auto-review.ts), and optionally automatic reviews.
 */
export class AccessMonitoringRule extends TeleportResourceConstruct {
  private readonly props: AccessMonitoringRuleProps;

  constructor(scope: Construct, id: string, props: AccessMonitoringRuleProps) {
    super(scope, id, 'access_monitoring_rule', props.name);
    this.props = props;
    this.node.addValidation({ validate: () => this.propProblems() });
  }

  private roleNames(): string[] {
    return (this.props.roles ?? []).map((r) => (typeof r === 'string' ? r : r.roleName));
  }

  private propProblems(): string[] {
    const at = `${this.resourceKey} (teleport.yaml)`;
    const out: string[] = [];
    if (!this.props.condition && this.roleNames().length === 0) out.push(`${at} spec.condition: give roles or a condition: a rule without one matches nothing`);
    if (this.props.condition && this.props.roles?.length) out.push(`${at} spec.condition: give roles or a condition, not both`);
    if (!this.props.recipients?.length && !this.props.automaticReview) out.push(`${at} spec: give recipients, an automaticReview, or both`);
    for (const r of this.props.recipients ?? []) {
      const p = parseRecipient(r, RUNTIME_KINDS.relay);
      if (!p.ok) out.push(`${at} spec.notification.recipients: ${p.problem}`);
    }
    return out;
  }

  protected terraformDependsOn(stack: DualAuthStack): string[] {
    return this.roleNames().flatMap((r) => {
      const a = stack.terraformAddressOf(`role/${r}`);
      return a ? [a] : [];
    });
  }

  protected render(): AccessMonitoringRuleResource {
    const roles = this.roleNames();
    const condition = this.props.condition ?? (roles.length === 1 ? `access_request.spec.roles.contains(${str(roles[0]!)})` : `access_request.spec.roles.contains_any(set(${roles.map(str).join(', ')}))`);
    const spec: AccessMonitoringRuleResource['spec'] = { subjects: ['access_request'], condition };
    if (this.props.recipients?.length) spec.notification = { name: this.props.plugin ?? 'mattermost', recipients: [...this.props.recipients] };
    if (this.props.automaticReview) {
      spec.desired_state = 'reviewed';
      spec.automatic_review = { integration: this.props.automaticReview.integration ?? 'builtin', decision: this.props.automaticReview.decision };
    }
    return { kind: 'access_monitoring_rule', version: 'v1', metadata: { name: this.teleportName }, spec };
  }
}
