#!/usr/bin/env node
// The `dualauth` command. Runs the compiled CLI in dist/cjs/ (built by `npm install` / `npm ci` through
// the package's `prepare` script, and shipped by `npm pack`). In a development checkout whose build is
// missing or older than a source file, it runs the TypeScript sources through tsx (a dev dependency)
// instead, so an edit is never shadowed by a stale build.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const ROOMS = ['model', 'teleport-client', 'mattermost-client', 'mattermost-bot', 'simulators', 'relay', 'constructs', 'policies', 'drift', 'stacks', 'sandbox', 'cli'];

function mtime(p) {
  try {
    return fs.statSync(p).mtimeMs;
  } catch {
    return -1;
  }
}

/** True when some source file is newer than the build (only a checkout has the sources). */
function sourcesNewerThan(stamp) {
  const walk = (dir) => {
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return false;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory() ? walk(p) : e.name.endsWith('.ts') && mtime(p) > stamp) return true;
    }
    return false;
  };
  return ROOMS.some((r) => walk(path.join(root, r)));
}

function loadCli() {
  const hasSources = fs.existsSync(path.join(root, 'cli', 'main.ts'));
  if (hasSources && (process.env.DUALAUTH_FROM_SOURCE === '1' || sourcesNewerThan(mtime(path.join(root, 'dist', 'cjs', '.build-stamp'))))) {
    try {
      require.resolve('tsx/cjs');
    } catch {
      return require('../dist/cjs/cli/main.js');
    }
    require('tsx/cjs');
    return require('../cli/main.ts');
  }
  return require('../dist/cjs/cli/main.js');
}

loadCli()
  .main(process.argv)
  .catch((err) => {
    process.stderr.write(`dualauth: ${err && err.message ? err.message : String(err)}\n`);
    process.exit(1);
  });
