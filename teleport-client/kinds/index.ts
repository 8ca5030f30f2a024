/** Registry of the kinds the client converts and lists. A new kind is one file here plus one line below. */
import { KindWire } from './kind';
import { roleWire } from './role';
import { userWire } from './user';

export const WIRE_KINDS: Readonly<Record<string, KindWire>> = {
  role: roleWire as unknown as KindWire,
  user: userWire as unknown as KindWire,
};

export function kindWire(kind: string): KindWire | undefined {
  return Object.prototype.hasOwnProperty.call(WIRE_KINDS, kind) ? WIRE_KINDS[kind] : undefined;
}

export type { KindWire, Rpc } from './kind';
