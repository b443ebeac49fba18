import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'smol-toml';
import { editToml, splitPath, TomlEditError } from '../../src/fix/toml-edit.js';

const dir = fileURLToPath(new URL('../fixtures/configs/', import.meta.url));
const load = (f: string) => readFileSync(`${dir}${f}`, 'utf8');
const V2 = ['plugins', 'io.containerd.grpc.v1.cri', 'registry'];

/** Lines removed/added between two texts (as a multiset), to prove nothing else moved. */
function lineDiff(a: string, b: string) {
  const count = (t: string) => t.split('\n').reduce((m, l) => m.set(l, (m.get(l) ?? 0) + 1), new Map<string, number>());
  const ca = count(a);
  const cb = count(b);
  const removed: string[] = [];
  const added: string[] = [];
  for (const [l, n] of ca) for (let i = cb.get(l) ?? 0; i < n; i++) removed.push(l);
  for (const [l, n] of cb) for (let i = ca.get(l) ?? 0; i < n; i++) added.push(l);
  return { removed, added };
}

describe('TOML-preserving edits', () => {
  it('sets config_path in the containerd 1.6 default config: one line changes, nothing else', () => {
    const src = load('default-1.6.toml');
    const out = editToml(src, { table: V2, set: { config_path: '/etc/containerd/certs.d' } });
    expect(lineDiff(src, out)).toEqual({ removed: ['      config_path = ""'], added: ['      config_path = "/etc/containerd/certs.d"'] });
    expect((parse(out) as any).plugins['io.containerd.grpc.v1.cri'].registry.config_path).toBe('/etc/containerd/certs.d');
  });

  it('migrates a legacy config: removes mirrors/configs tables for a host, keeps every comment and the rest', () => {
    const src = load('kubeadm-legacy.toml');
    const out = editToml(src, {
      table: V2,
      set: { config_path: '/etc/containerd/certs.d' },
      removeTables: [
        ['mirrors', 'reg.corp.test:5000'],
        ['configs', 'reg.corp.test:5000'],
      ],
    });
    const doc = parse(out) as any;
    expect(doc.plugins['io.containerd.grpc.v1.cri'].registry).toEqual({ config_path: '/etc/containerd/certs.d', mirrors: {}, configs: {} });
    expect(out).toContain('# Managed by hand after a blog post. Do not remove the comments below!');
    expect(out).toContain('sandbox_image = "registry.k8s.io/pause:3.9" # pinned');
    expect(out).toContain('# TODO: move to config_path one day');
    expect(out).not.toContain('hunter2');
    expect(out).not.toContain('mirror.corp.test');
    const { removed, added } = lineDiff(src, out);
    expect(added).toEqual(['    config_path = "/etc/containerd/certs.d"']);
    expect(
      removed.every((l) => /reg\.corp\.test|endpoint|primary|mirror\.corp|insecure_skip_verify|username|password|^\s*\]$/.test(l)),
    ).toBe(true);
  });

  it('creates the registry table in a version 1 file under plugins.cri', () => {
    const src = load('minimal-v1.toml');
    const out = editToml(src, { table: ['plugins', 'cri', 'registry'], set: { config_path: '/etc/containerd/certs.d' } });
    expect(out.startsWith(src.trimEnd())).toBe(true);
    expect((parse(out) as any).plugins.cri.registry.config_path).toBe('/etc/containerd/certs.d');
  });

  it('edits a version 3 file with single-quoted keys and values', () => {
    const src = load('v3-2.x.toml');
    const out = editToml(src, {
      table: ['plugins', 'io.containerd.cri.v1.images', 'registry'],
      set: { config_path: '/etc/containerd/certs.d' },
    });
    expect(lineDiff(src, out)).toEqual({ removed: ["      config_path = ''"], added: ['      config_path = "/etc/containerd/certs.d"'] });
  });

  it('writes into an empty file', () => {
    const out = editToml(load('empty.toml'), { table: ['plugins', 'io.containerd.grpc.v1.cri', 'registry'], set: { config_path: '/x' } });
    expect(parse(out)).toEqual({ plugins: { 'io.containerd.grpc.v1.cri': { registry: { config_path: '/x' } } } });
  });

  it('refuses inline tables and files that do not parse', () => {
    expect(() => editToml(load('inline-v2.toml'), { table: V2, set: { config_path: '/x' } })).toThrow(/inline/);
    expect(() => editToml('a = [\n', { table: ['x'], set: { y: 1 } })).toThrow(TomlEditError);
    expect(() => editToml('a = [\n', { table: ['x'], set: { y: 1 } })).toThrow(/does not parse \(line \d+, column \d+\)/);
  });

  it('removes keys, keeps CRLF line endings and trailing newline state', () => {
    const src = 'version = 2\r\n[a]\r\n  b = 1 # keep\r\n  c = 2\r\n';
    const out = editToml(src, { table: ['a'], remove: ['c'], set: { b: 5 } });
    expect(out).toBe('version = 2\r\n[a]\r\n  b = 5 # keep\r\n');
  });

  it('splits quoted dotted paths', () => {
    expect(splitPath('plugins."io.containerd.grpc.v1.cri".registry')).toEqual(['plugins', 'io.containerd.grpc.v1.cri', 'registry']);
    expect(splitPath(" a . 'b.c' ")).toEqual(['a', 'b.c']);
  });
});
