/**
 * Recipients from access monitoring rules, as Teleport's plugins compute them
 * (integrations/access/accessmonitoring RuleHandler): the rules for notification "mattermost" on
 * subject access_request are cached (listed at start, after every reconnect and on each resync), each
 * request is evaluated against every rule's condition with the requester's traits, and the matching
 * rules' recipients are unioned. A cluster without the AMR service (older Teleport, no permission) just
 * has no rules. A rule whose condition cannot be evaluated does not match, and is logged once.
 */
import type { Logger } from './log';
import type { AccessRequest } from '../teleport-client/client';
import { isTeleportError } from '../teleport-client/errors';
import { PLUGIN_NAME } from './plugin-data';
import type { AmrSource } from './engine-context';
import type { TeleportPort } from './ports';
import { ConditionError, evaluateCondition } from '../model/access-monitoring-condition';
import type { AccessMonitoringRule } from '../teleport-client/extras-client';

export interface RuleLister {
  listAccessMonitoringRules(plugin: string): Promise<AccessMonitoringRule[]>;
}

export class AmrRecipients implements AmrSource {
  private rules: AccessMonitoringRule[] = [];
  private readonly reported = new Set<string>();
  private available = true;

  constructor(
    private readonly lister: RuleLister,
    private readonly teleport: Pick<TeleportPort, 'getUser'>,
    private readonly log: Logger,
  ) {}

  /** Re-lists the rules; keeps the previous list when listing fails for a transient reason. */
  async refresh(): Promise<void> {
    if (!this.available) return;
    try {
      const all = await this.lister.listAccessMonitoringRules(PLUGIN_NAME);
      this.rules = all.filter((r) => r.notification.name === PLUGIN_NAME && r.subjects.includes('access_request'));
    } catch (e) {
      if (isTeleportError(e, 'NotImplemented') || isTeleportError(e, 'AccessDenied')) {
        this.available = false;
        this.rules = [];
        this.log.info('Access monitoring rules are not available; routing by the configured recipients only', { reason: (e as Error).message });
        return;
      }
      this.log.warn('Could not list access monitoring rules; keeping the previous ones', { error: e });
    }
  }

  get count(): number {
    return this.rules.length;
  }

  async recipientsFor(req: AccessRequest): Promise<string[]> {
    if (this.rules.length === 0) return [];
    let traits: Record<string, string[]> = {};
    if (this.teleport.getUser) {
      try {
        traits = (await this.teleport.getUser(req.user)).spec.traits ?? {};
      } catch (e) {
        if (isTeleportError(e, 'AccessDenied')) this.log.warn('Missing permission to read user traits for access monitoring rules (the preset "access-plugin" role has it)', { user: req.user });
        else if (!isTeleportError(e, 'NotFound')) throw e;
      }
    }
    const env = {
      roles: req.roles,
      suggestedReviewers: req.suggested_reviewers,
      annotations: req.system_annotations,
      user: req.user,
      requestReason: req.reason ?? '',
      userTraits: traits,
      pluginName: PLUGIN_NAME,
    };
    const out = new Set<string>();
    for (const rule of this.rules) {
      try {
        if (evaluateCondition(rule.condition, env)) for (const r of rule.notification.recipients) out.add(r);
      } catch (e) {
        if (!(e instanceof ConditionError)) throw e;
        if (!this.reported.has(rule.name)) {
          this.reported.add(rule.name);
          this.log.warn('Access monitoring rule condition cannot be evaluated; the rule does not match', { rule: rule.name, error: e.message });
        }
      }
    }
    return [...out];
  }
}
