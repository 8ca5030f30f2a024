#!/usr/bin/env node
// Runs the TypeScript CLI through tsx so `npx dualauth` works right after `npm ci`, with no build step.
'use strict';
require('tsx/cjs');
require('../cli/main.ts').main(process.argv).catch((err) => {
  process.stderr.write(`dualauth: ${err && err.message ? err.message : String(err)}\n`);
  process.exit(1);
});
