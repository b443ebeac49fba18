#!/usr/bin/env node
/* global require, __dirname */
/* eslint-disable @typescript-eslint/no-require-imports */
// Entry point for `regdoctor` and `kubectl regdoctor`. Loads the bundled CLI from dist/ (built by `npm ci`).
// CommonJS (bin/package.json), not ESM: Node runs a CommonJS main without starting its ESM loader, so
// `regdoctor --version`, answered here before the bundle is imported (the version from the package.json beside bin/;
// src/core/version.ts is kept equal to it by a test), costs what `node -e 0` costs. Every other path imports the
// bundle, which starts the ESM loader then.
'use strict';

const argv = process.argv.slice(2);
let version;
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === 'version')) {
  try {
    version = JSON.parse(require('node:fs').readFileSync(`${__dirname}/../package.json`, 'utf8')).version;
  } catch {
    // no readable package.json beside bin/: the bundle answers
  }
}
if (typeof version === 'string') process.stdout.write(`regdoctor ${version}\n`);
else {
  // A short run off a terminal (a diagnosis, audit, fix, rollback: ~0.2 s) is over before V8's optimising compiler
  // pays for itself, and its young generation need not grow: without both, its peak memory is ~15% lower at the same
  // speed (npm run bench). The streaming commands (explain, scan, nodes) and interactive sessions keep V8's defaults.
  if (!process.stdout.isTTY && !argv.some((a) => a === 'explain' || a === 'scan' || a === 'nodes'))
    require('node:v8').setFlagsFromString('--max-opt=2 --semi-space-growth-factor=1');
  import('../dist/cli.js').then(
    (m) => m.run(argv),
    (err) => {
      if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/cli.js')) {
        process.stderr.write('regdoctor: not built yet; run `npm ci` (or `npm run build`) in the project directory\n');
      } else {
        process.stderr.write(`regdoctor: internal error: ${err && err.stack ? err.stack : err}\n`);
      }
      process.exitCode = 3;
    },
  );
}
