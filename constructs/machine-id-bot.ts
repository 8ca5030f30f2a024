import { Construct } from 'constructs';
import { BotResource } from '../model';
import { DualAuthStack } from './dual-auth-stack';
import { TeleportResourceConstruct } from './teleport-resource';
import { TeleportRole } from './teleport-role';

export interface MachineIdBotProps {
  /** Bot name; Teleport creates user and role `bot-<name>`. */
  readonly name: string;
  /** Roles the bot's certificates carry, e.g. the access plugin's role for `tbot` to renew its identity. */
  readonly roles: (TeleportRole | string)[];
  /** Traits (e.g. logins) for role templates. */
  readonly traits?: Record<string, string[]>;
}

/**
 * `kind: bot` (v1), Machine ID: e.g. the access plugin's identity renewed by tbot instead of a long-lived
 * `tctl auth sign` file. The bot is a principal of the two-person analysis: a bot holding a privileged role
 * is one principal alone (DA-012).
 */
export class MachineIdBot extends TeleportResourceConstruct {
  private readonly roles: string[];
  private readonly traits?: Record<string, string[]>;

  constructor(scope: Construct, id: string, props: MachineIdBotProps) {
    super(scope, id, 'bot', props.name);
    this.roles = props.roles.map((r) => (typeof r === 'string' ? r : r.roleName));
    this.traits = props.traits;
  }

  get botName(): string {
    return this.teleportName;
  }

  protected terraformDependsOn(stack: DualAuthStack): string[] {
    return this.roles.flatMap((r) => {
      const a = stack.terraformAddressOf(`role/${r}`);
      return a ? [a] : [];
    });
  }

  protected render(): BotResource {
    const spec: BotResource['spec'] = { roles: [...this.roles] };
    if (this.traits) spec.traits = Object.entries(this.traits).map(([name, values]) => ({ name, values: [...values] }));
    return { kind: 'bot', version: 'v1', metadata: { name: this.teleportName }, spec };
  }
}
