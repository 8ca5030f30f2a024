import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DualAuthStack, TeleportRole } from '../../constructs';
import { AccessPluginDeployment, AccessPluginDeploymentProps } from '../../constructs/access-plugin-deployment';
import { Testing } from '../../constructs/cdktf';

const GOLDEN = path.join(__dirname, 'golden');

/** Compares with golden/<name>; UPDATE_GOLDEN=1 rewrites the file instead. */
export function expectGolden(name: string, actual: string): void {
  const file = path.join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(file, actual);
  assert.equal(actual, fs.readFileSync(file, 'utf8'), `${name} differs from test/constructs-k8s/golden/${name} (UPDATE_GOLDEN=1 rewrites it)`);
}

/** Props of a valid deployment: secrets from variables, dbadmin's requests to alice. */
export const BASE: AccessPluginDeploymentProps = {
  teleportAddress: 'teleport.example.com:443',
  identity: { variable: 'teleport_identity' },
  mattermostUrl: 'https://mattermost.example.com',
  mattermostToken: { variable: 'mattermost_token' },
  roleToRecipients: { dbadmin: ['alice@example.com'] },
};

/** A stack (Teleport provider off) with the dbadmin role, for constructs that look roles up. */
export function newStack(id = 'test'): DualAuthStack {
  const stack = new DualAuthStack(Testing.app(), id, { teleportVersion: '15.4', terraformProvider: false });
  new TeleportRole(stack, 'Db', { name: 'dbadmin', allow: { logins: ['root'] } });
  return stack;
}

export interface Synthesized {
  readonly json: string;
  readonly tf: TerraformJson;
  readonly construct: AccessPluginDeployment;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TerraformJson = { resource: Record<string, Record<string, any>>; variable?: Record<string, any>; provider?: Record<string, any[]> };

/** Synthesizes one AccessPluginDeployment (validations on) and returns the Terraform JSON. */
export function synthDeployment(overrides: Partial<AccessPluginDeploymentProps> = {}): Synthesized {
  const stack = newStack();
  const construct = new AccessPluginDeployment(stack, 'Plugin', { ...BASE, ...overrides });
  const json = Testing.synth(stack, true);
  return { json, tf: JSON.parse(json) as TerraformJson, construct };
}

/** The one resource of a type (fails when there are none or several). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function only(tf: TerraformJson, type: string): any {
  const all = Object.values(tf.resource[type] ?? {});
  assert.equal(all.length, 1, `expected exactly one ${type}, found ${all.length}`);
  return all[0];
}
