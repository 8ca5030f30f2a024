/**
 * The layering rule (eslint.config.mjs) fails on imports that run the wrong way. Each case lints a
 * planted file, as if it stood at that path in the repository, and expects the rule to name it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { ESLint } from 'eslint';

const ROOT = path.resolve(__dirname, '../..');
const eslint = new ESLint({ cwd: ROOT });

async function ruleIds(at: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, at) });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

const wrongWay: [string, string, RegExp][] = [
  ['model/planted.ts', "import { startRelay } from '../relay/app';\nexport const x = startRelay;\n", /model\/ may import only nothing else of ours/],
  ['constructs/planted.ts', "import { review } from '../policies/review';\nexport const x = review;\n", /constructs\/ may import only/],
  ['drift/planted.ts', "import { Messages } from '../relay/messages';\nexport const x = Messages;\n", /drift\/ may import only/],
  ['stacks/planted.ts', "import { startRelay } from '../relay';\nexport const x = startRelay;\n", /stacks\/ may import only/],
  ['relay/planted.ts', "import { startTeleportSimulator } from '../simulators/teleport';\nexport const x = startTeleportSimulator;\n", /relay\/ may import only/],
  ['policies/planted.ts', "import { loadGuide } from '../test/policies/helpers';\nexport const x = loadGuide;\n", /policies\/ may import only/],
  // lazy require() and import() count as imports too (the CLI loads its subcommands that way)
  ['model/planted-require.ts', "export const x = require('../relay/app') as unknown;\n", /model\/ may import only/],
  ['policies/planted-import.ts', "export const x = import('../drift/run');\n", /policies\/ may import only/],
  ['cli/planted.ts', "import { startRelay } from '../relay/app';\nexport const x = startRelay;\n", /reaches the relay daemon only through relay\/index\.ts/],
];

for (const [at, code, expected] of wrongWay) {
  test(`the layering rule rejects a wrong-way import planted in ${at}`, async () => {
    const messages = await ruleIds(at, code);
    assert.ok(messages.some((m) => m.startsWith('import-x/no-restricted-paths') && expected.test(m)), messages.join('\n'));
  });
}

test('the layering rule allows the arrows that point toward model/', async () => {
  for (const [at, code] of [
    ['cli/planted.ts', "import { startRelay } from '../relay';\nexport const x = startRelay;\n"],
    ['relay/planted.ts', "import { TeleportApiError } from '../teleport-client/errors';\nexport const x = TeleportApiError;\n"],
    ['test/planted.test.ts', "import { Messages } from '../relay/messages';\nexport const x = Messages;\n"],
  ]) {
    const messages = await ruleIds(at, code);
    assert.deepEqual(messages.filter((m) => m.startsWith('import-x/')), [], `${at}: ${messages.join('\n')}`);
  }
});

test('the layering rule rejects a circular import', async () => {
  const lint = new ESLint({ cwd: ROOT, ignore: false });
  const [result] = await lint.lintFiles([path.join(ROOT, 'test/layout/fixtures/cycle/a.ts')]);
  const messages = (result?.messages ?? []).map((m) => m.ruleId);
  assert.ok(messages.includes('import-x/no-cycle'), JSON.stringify(result?.messages));
});
