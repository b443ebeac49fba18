#!/usr/bin/env node
// Entry point for `regdoctor` and `kubectl regdoctor`. Loads the bundled CLI from dist/ (built by `npm ci`).
import('../dist/cli.js').then(
  (m) => m.run(process.argv.slice(2)),
  (err) => {
    if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/cli.js')) {
      process.stderr.write('regdoctor: not built yet; run `npm ci` (or `npm run build`) in the project directory\n');
    } else {
      process.stderr.write(`regdoctor: internal error: ${err && err.stack ? err.stack : err}\n`);
    }
    process.exitCode = 3;
  },
);
