// The compiled CLI validates with ajv validators generated at build time (model/schema-check.ts,
// cli/build.mjs). They must judge every document exactly as the runtime-compiled ones do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv';
import { standaloneValidators } from '../../model/schema-check';
import { roleSchema } from '../../model/kinds/role-schema';
import { userSchema } from '../../model/kinds/user';
import { ROLE_VERSION_SINCE } from '../../model/versions';
import type { RoleVersion } from '../../model';

test('standalone validators agree with runtime-compiled ones on good and bad roles and users', () => {
  const schemas: Record<string, object> = { 'user/v2': userSchema() };
  for (const v of Object.keys(ROLE_VERSION_SINCE) as RoleVersion[]) schemas[`role/${v}`] = roleSchema(v);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dualauth-ajv-'));
  fs.symlinkSync(path.resolve(__dirname, '../../node_modules'), path.join(dir, 'node_modules')); // the generated code requires ajv's runtime
  const file = path.join(dir, 'validators.js');
  fs.writeFileSync(file, standaloneValidators(schemas));
  const pre = require(file) as Record<string, (v: unknown) => boolean> & Record<string, { errors?: unknown }>;
  const ajv = new Ajv({ allErrors: true, strict: false, verbose: true }); // as model/schema-check.ts (verbose: for did-you-mean)
  const role = (version: string, spec: unknown) => ({ kind: 'role', version, metadata: { name: 'r' }, spec });
  const docs = [
    role('v5', { allow: { logins: ['root'], node_labels: { env: 'prod' } } }),
    role('v7', { allow: { request: { roles: ['a'], thresholds: [{ approve: 2, deny: 1 }] } } }),
    role('v8', { allow: { kubernetes_resources: [{ kind: 'pod', api_group: '' }] } }),
    role('v5', { allow: { logins: 'root' } }),
    role('v6', { allow: { nodelabels: {} } }),
    role('v8', { options: { max_session_ttl: 3 } }),
    { kind: 'user', version: 'v2', metadata: { name: 'bob' }, spec: { roles: ['devops'], traits: { logins: ['bob'] } } },
    { kind: 'user', version: 'v2', metadata: { name: 'bob' }, spec: { roles: 'devops', extra: 1 } },
  ];
  for (const [key, schema] of Object.entries(schemas)) {
    const runtime = ajv.compile(schema);
    const standalone = pre[key.replace(/[^A-Za-z0-9_]/g, '_')] as unknown as ((v: unknown) => boolean) & { errors?: unknown };
    for (const d of docs) {
      assert.equal(standalone(d), runtime(d), `${key} on ${JSON.stringify(d)}`);
      assert.deepEqual(standalone.errors ?? null, runtime.errors ?? null, `${key} errors on ${JSON.stringify(d)}`);
    }
  }
});
