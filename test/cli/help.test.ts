import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const BIN = path.resolve(__dirname, '../../bin/dualauth.js');

test('dualauth --help lists every subcommand and exits 0', () => {
  const r = spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  for (const c of ['init', 'synth', 'review', 'drift', 'relay', 'mattermost']) assert.match(r.stdout, new RegExp(`^\\s+${c}\\b`, 'm'));
});

test('an unknown subcommand is a usage error (exit 2)', () => {
  const r = spawnSync(process.execPath, [BIN, 'nosuch'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown command 'nosuch'/);
});

test('subcommands load only when used: --version and review load neither cdktf nor the relay nor drift', () => {
  const probe = (args: string[]) => {
    const code = `const { buildProgram } = require(${JSON.stringify(path.resolve(__dirname, '../../cli/main.ts'))});
buildProgram(['node', 'dualauth', ...${JSON.stringify(args)}]);
const loaded = Object.keys(require.cache);
process.stdout.write(JSON.stringify({ cdktf: loaded.some((f) => /node_modules[\\/]cdktf[\\/]/.test(f)), relay: loaded.some((f) => /[\\/]relay[\\/]/.test(f)), drift: loaded.some((f) => /[\\/]drift[\\/]/.test(f)), review: loaded.some((f) => /[\\/]commands[\\/]review/.test(f)) }));`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], { cwd: path.resolve(__dirname, '../..'), encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as Record<string, boolean>;
  };
  assert.deepEqual(probe(['--version']), { cdktf: false, relay: false, drift: false, review: false });
  assert.deepEqual(probe(['review', 'x']), { cdktf: false, relay: false, drift: false, review: true });
  assert.equal(probe(['drift', 'x']).drift, true);
});
