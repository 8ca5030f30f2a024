import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const BIN = path.resolve(__dirname, '../../bin/dualauth.js');

test('dualauth --help lists every subcommand and exits 0', () => {
  const r = spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  for (const c of ['synth', 'review', 'drift', 'relay', 'mattermost']) assert.match(r.stdout, new RegExp(`^\\s+${c}\\b`, 'm'));
});

test('an unknown subcommand is a usage error (exit 2)', () => {
  const r = spawnSync(process.execPath, [BIN, 'nosuch'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown command 'nosuch'/);
});
