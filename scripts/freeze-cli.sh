#!/bin/sh
# Builds a frozen copy of the CLI outside the tree, for test runs that share one checkout:
#   eval "$(sh scripts/freeze-cli.sh /tmp/frozen-me)"   # exports REGDOCTOR_LAB_CLI
# With REGDOCTOR_LAB_CLI set, vitest's global setup leaves dist/ alone and every CLI/lab test runs that build.
set -eu
out="${1:?usage: freeze-cli.sh OUTDIR}"
root="$(cd "$(dirname "$0")/.." && pwd)"
rm -rf "$out" && mkdir -p "$out/bin"
node "$root/scripts/build.mjs" --outdir "$out/dist"
cp "$root/bin/regdoctor.js" "$root/bin/package.json" "$out/bin/" && cp "$root/package.json" "$out/"
ln -s "$root/node_modules" "$out/node_modules"
echo "export REGDOCTOR_LAB_CLI=$out/bin/regdoctor.js"
