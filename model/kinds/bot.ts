/** `kind: bot` (v1), Machine ID: roles the bot's certificates carry (RFD 153 resource; Terraform teleport_bot). */
import { BotResource } from '../access-resources';
import { closed, simpleKind, stringList, traitList } from './simple-kind';

export const botKind = simpleKind<BotResource>({
  kind: 'bot',
  versions: ['v1'],
  terraformType: 'teleport_bot',
  spec: () => closed({ roles: stringList, traits: traitList, max_session_ttl: { anyOf: [{ type: 'string' }, { type: 'object' }] } }),
  // the provider takes traits as a map (name -> values)
  toTerraform: (b) => {
    const spec: Record<string, unknown> = { roles: b.spec.roles ?? [] };
    if (b.spec.traits?.length) spec.traits = Object.fromEntries(b.spec.traits.map((t) => [t.name ?? t.key ?? '', t.values ?? []]));
    if (b.spec.max_session_ttl !== undefined) spec.max_session_ttl = b.spec.max_session_ttl;
    return { version: b.version, metadata: { name: b.metadata.name }, spec };
  },
});
