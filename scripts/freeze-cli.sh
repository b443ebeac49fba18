#!/bin/sh
# Builds a frozen copy of the CLI outside the tree, for test runs that share one checkout:
#   eval "$(sh scripts/freeze-cli.sh /tmp/frozen-me)"   # exports REGDOCTOR_LAB_CLI
# With REGDOCTOR_LAB_CLI set, vitest's global setup leaves dist/ alone and every CLI/lab test runs that build.
set -eu
out="${1:?usage: freeze-cli.sh OUTDIR}"
root="$(cd "$(dirname "$0")/.." && pwd)"
rm -rf "$out" && mkdir -p "$out/bin"
node -e '
const [root, out] = process.argv.slice(1);
import(root + "/node_modules/esbuild/lib/main.js").then(({ build }) => build({
  absWorkingDir: root, entryPoints: { cli: "src/cli/main.ts" }, outdir: out + "/dist", bundle: true, splitting: true,
  format: "esm", platform: "node", target: "node20", packages: "external", sourcemap: "linked", jsx: "automatic",
  logLevel: "warning", chunkNames: "chunks/[name]-[hash]" }));
' "$root" "$out"
cp "$root/bin/regdoctor.js" "$out/bin/" && cp "$root/package.json" "$out/"
ln -s "$root/node_modules" "$out/node_modules"
echo "export REGDOCTOR_LAB_CLI=$out/bin/regdoctor.js"
