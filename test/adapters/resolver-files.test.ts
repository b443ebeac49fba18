// Under --root the resolver reads the tree's resolv.conf / hosts / nsswitch.conf when the tree has any of them (a
// mounted node filesystem), else this machine's: a copied /etc/containerd alone must not turn every name into
// "lookup … on [::1]:53: connection refused" (Go's default server when resolv.conf is missing).
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RealNet, resolverFiles } from '../../src/adapters/net.js';
import { RootedFs } from '../../src/adapters/fs.js';

const base = mkdtempSync(join(tmpdir(), 'resolver-files-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

function tree(name: string, files: Record<string, string>): RootedFs {
  const root = join(base, name);
  mkdirSync(join(root, 'etc/containerd'), { recursive: true });
  writeFileSync(join(root, 'etc/containerd/config.toml'), 'version = 2\n');
  for (const [f, text] of Object.entries(files)) writeFileSync(join(root, f), text);
  return new RootedFs(root);
}

// a name this machine's /etc/hosts maps (localhost is in every hosts file; the first address it gives)
const localHosts = readFileSync('/etc/hosts', 'utf8');
const localhostListed = /^\s*(127\.0\.0\.1|::1)\s.*\blocalhost\b/m.test(localHosts);

describe('resolver files under --root', () => {
  it('a tree without resolver files resolves with this machine’s', async () => {
    const fs = tree('bare', {});
    expect((await resolverFiles(fs)).root).toBe('/');
    if (!localhostListed) return;
    const r = await new RealNet({}, { fs }).lookup('localhost', { timeoutMs: 2_000 });
    expect(r.ok).toBe(true);
  });

  it('a tree with any of them uses the tree’s (its /etc/hosts answers)', async () => {
    const fs = tree('node', { 'etc/hosts': '10.20.30.40 only-in-tree.test\n' });
    expect((await resolverFiles(fs)).root).toBe(fs.root);
    const r = await new RealNet({}, { fs }).lookup('only-in-tree.test', { timeoutMs: 2_000 });
    expect(r).toMatchObject({ ok: true, addresses: [{ address: '10.20.30.40', family: 4 }] });
  });

  it('a tree with only resolv.conf is the node’s too', async () => {
    const fs = tree('dns-only', { 'etc/resolv.conf': 'nameserver 192.0.2.53\n' });
    expect((await resolverFiles(fs)).root).toBe(fs.root);
  });

  it('the live node (/) is itself', async () => {
    const fs = new RootedFs('/');
    expect(await resolverFiles(fs)).toBe(fs);
  });
});
