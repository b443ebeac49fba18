// Bundles the CLI into dist/ with code splitting: `regdoctor --version` loads only a small entry chunk, every command
// is imported lazily, and the dependencies are bundled too (tree-shaken), so a run loads a handful of chunks instead
// of hundreds of files from node_modules — Ink alone was 521 modules (415 of them es-toolkit), ~0.5 s before the
// first frame on a TTY. Ink/React sit in chunks that only the TTY path imports.
//   node scripts/build.mjs [--outdir DIR]   (default dist/; scripts/freeze-cli.sh builds a frozen copy with it)
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const i = process.argv.indexOf('--outdir');
const outdir = i > 0 && process.argv[i + 1] ? resolve(process.argv[i + 1]) : resolve(root, 'dist');
rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { cli: 'src/cli/main.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // CommonJS dependencies (React) call require() for Node built-ins: give the ESM chunks a real one
  banner: {
    js: "import { createRequire as __regdoctorCreateRequire } from 'node:module'; const require = __regdoctorCreateRequire(import.meta.url);",
  },
  // React's development build is never wanted in the CLI
  define: { 'process.env.NODE_ENV': '"production"' },
  // optional peers Ink imports only for React DevTools
  external: ['react-devtools-core'],
  sourcemap: 'linked',
  jsx: 'automatic',
  logLevel: 'warning',
  chunkNames: 'chunks/[name]-[hash]',
});
