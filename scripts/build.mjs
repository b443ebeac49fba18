// Bundles the CLI into dist/ with code splitting: `regdoctor --version` loads only a small entry chunk, every command
// is imported lazily, and the dependencies are bundled too (tree-shaken), so a run loads a handful of chunks instead
// of hundreds of files from node_modules — Ink alone was 521 modules (415 of them es-toolkit), ~0.5 s before the
// first frame on a TTY. Ink/React sit in chunks that only the Ink screens import (fix, audit, nodes); the live view of
// `diagnose` on a TTY loads none of them (src/ui/interactive.ts).
//   node scripts/build.mjs [--outdir DIR]   (default dist/; scripts/freeze-cli.sh builds a frozen copy with it)
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const i = process.argv.indexOf('--outdir');
const outdir = i > 0 && process.argv[i + 1] ? resolve(process.argv[i + 1]) : resolve(root, 'dist');
rmSync(outdir, { recursive: true, force: true });

// The message catalogues are data: each ships as JSON.parse of its final value. V8 parses a JSON string several times
// faster than an object literal of ~850 keys (the English catalogue: ~20 ms → ~7 ms of start-up on a 2-core node).
// Their values are computed here from the sources (bundled and imported once), so the shipped text is the source's.
const CATALOGUES = { 'src/i18n/en.ts': 'EN', 'src/i18n/zh-CN.ts': 'ZH_CN', 'src/i18n/ja.ts': 'JA' };
const catalogueJson = new Map();
for (const [file, name] of Object.entries(CATALOGUES)) {
  const r = await build({
    absWorkingDir: root,
    entryPoints: [file],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    logLevel: 'warning',
  });
  const mod = await import(`data:text/javascript;base64,${Buffer.from(r.outputFiles[0].text).toString('base64')}`);
  const value = mod[name];
  const bad = Object.entries(value ?? {}).find(([, v]) => typeof v !== 'string');
  if (!value || bad) throw new Error(`${file}: ${name} is not a map of strings${bad ? ` (${bad[0]})` : ''}`);
  // characters beyond Latin-1 written as \u escapes: the literal stays a one-byte string in V8 (half the memory)
  const json = JSON.stringify(value).replace(/[\u0100-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  catalogueJson.set(resolve(root, file), `export const ${name} = JSON.parse(${JSON.stringify(json)});\n`);
}
const cataloguesAsJson = {
  name: 'catalogues-as-json',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]i18n[\\/](?:en|zh-CN|ja)\.ts$/ }, (args) => {
      const contents = catalogueJson.get(args.path);
      return contents === undefined ? undefined : { contents, loader: 'js' };
    });
  },
};

await build({
  plugins: [cataloguesAsJson],
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
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  jsx: 'automatic',
  logLevel: 'warning',
  chunkNames: 'chunks/[name]-[hash]',
});
