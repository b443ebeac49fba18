// The import graph reads top-down: a module may import from its own layer or a lower one, never a higher one, and
// no two files import each other in a circle. The layer list lives here, in one place (see ARCHITECTURE.md).
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Lowest first. Each entry: a layer name and the directories (relative to the repo) that belong to it. */
export const LAYERS: [string, string[]][] = [
  ['text and wire codecs', ['src/text', 'src/x509', 'src/cri', 'src/wire']],
  ['adapters', ['src/adapters']],
  ['core contracts and engine', ['src/core', 'src/i18n']],
  ['domain knowledge', ['src/trust', 'src/goverify', 'src/runtime', 'src/probe']],
  ['typed facts', ['src/facts']],
  ['domain services', ['src/fix', 'src/classify', 'src/kube']],
  ['checks', ['checks']],
  ['application', ['src/app', 'src/demo']],
  ['views and exports', ['src/ui', 'src/report']],
  ['commands', ['src/cli']],
];

function layerOf(rel: string): number {
  for (const [i, [, dirs]] of LAYERS.entries()) if (dirs.some((d) => rel === d || rel.startsWith(`${d}/`))) return i;
  return -1;
}

function walk(dir: string, out: string[] = []): string[] {
  for (const n of readdirSync(dir)) {
    const p = path.join(dir, n);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(ts|tsx)$/.test(n) && !n.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Relative imports of a file (static `import … from`, `export … from`, and dynamic `import('…')`), resolved. */
export function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
  const specs = new Set<string>();
  for (const m of text.matchAll(/(?:^|[\s;])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]/gm)) specs.add(m[1]!);
  for (const m of text.matchAll(/(?:^|[\s;])import\s*['"]([^'"]+)['"]/gm)) specs.add(m[1]!);
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) specs.add(m[1]!);
  const out: string[] = [];
  for (const s of specs) {
    if (!s.startsWith('.')) continue;
    const abs = path.resolve(path.dirname(file), s).replace(/\.js$/, '');
    for (const ext of ['.ts', '.tsx', '/index.ts']) {
      try {
        if (statSync(abs + ext).isFile()) {
          out.push(abs + ext);
          break;
        }
      } catch {
        /* next */
      }
    }
  }
  return out;
}

const files = [...walk(path.join(ROOT, 'src')), ...walk(path.join(ROOT, 'checks'))];
const rel = (f: string) => path.relative(ROOT, f).split(path.sep).join('/');

describe('architecture: layers', () => {
  it('every source file belongs to a layer', () => {
    expect(files.map(rel).filter((f) => layerOf(f) < 0)).toEqual([]);
  });

  it('no import runs from a lower layer up to a higher one', () => {
    const upward: string[] = [];
    for (const f of files) {
      const from = layerOf(rel(f));
      for (const t of importsOf(f)) {
        const to = layerOf(rel(t));
        if (to > from) upward.push(`${rel(f)} (${LAYERS[from]![0]}) -> ${rel(t)} (${LAYERS[to]![0]})`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('no circle of imports', () => {
    const graph = new Map(files.map((f) => [f, importsOf(f)]));
    const state = new Map<string, 1 | 2>();
    const circles: string[] = [];
    const visit = (f: string, stack: string[]) => {
      state.set(f, 1);
      for (const t of graph.get(f) ?? []) {
        if (state.get(t) === 1) circles.push([...stack.slice(stack.indexOf(t)), t].map(rel).join(' -> '));
        else if (!state.has(t)) visit(t, [...stack, t]);
      }
      state.set(f, 2);
    };
    for (const f of files) if (!state.has(f)) visit(f, [f]);
    expect(circles).toEqual([]);
  });
});
