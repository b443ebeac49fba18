// runtime-info's version without spawning the runtime: the dpkg package that lists the binary, only while the binary
// is the one dpkg installed (its inode unchanged since the package's file list was written).
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { RootedFs } from '../../src/adapters/fs.js';
import { packagedVersion } from '../../checks/runtime-info.js';
import type { CheckContext } from '../../src/core/types.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const STATUS = `Package: runc
Status: install ok installed
Version: 1.1.5+ds1-1

Package: containerd
Status: install ok installed
Architecture: amd64
Version: 1.6.20~ds1-1+deb12u3

Package: containerd.io
Status: deinstall ok config-files
Version: 1.7.0-1
`;

function node(listName: string, listed: string[]): { root: string; ctx: CheckContext; list: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'regdoctor-dpkg-'));
  dirs.push(root);
  mkdirSync(path.join(root, 'usr/bin'), { recursive: true });
  mkdirSync(path.join(root, 'var/lib/dpkg/info'), { recursive: true });
  writeFileSync(path.join(root, 'usr/bin/containerd'), 'ELF');
  writeFileSync(path.join(root, 'var/lib/dpkg/status'), STATUS);
  const list = path.join(root, 'var/lib/dpkg/info', listName);
  writeFileSync(list, `/.\n/usr\n/usr/bin\n${listed.join('\n')}\n`);
  const ctx = { adapters: { fs: new RootedFs(root) } } as unknown as CheckContext;
  return { root, ctx, list };
}

const later = (s: number) => new Date(Date.now() + s * 1000);

describe('packagedVersion', () => {
  it('the version of the installed package whose file list names the binary (arch-qualified list too)', async () => {
    for (const name of ['containerd.list', 'containerd:amd64.list']) {
      const { ctx, list } = node(name, ['/usr/bin/containerd', '/usr/bin/containerd-shim-runc-v2']);
      utimesSync(list, later(0), later(0));
      expect(await packagedVersion(ctx, '/usr/bin/containerd', ['containerd', 'containerd.io'])).toEqual({
        pkg: 'containerd',
        version: '1.6.20',
      });
    }
  });

  it('nothing when no package lists that path, or the package is not one of the runtime packages', async () => {
    const { ctx } = node('containerd.list', ['/usr/bin/containerd-shim-runc-v2']);
    expect(await packagedVersion(ctx, '/usr/bin/containerd', ['containerd'])).toBeUndefined();
    const other = node('runc.list', ['/usr/bin/containerd']);
    expect(await packagedVersion(other.ctx, '/usr/bin/containerd', ['containerd'])).toBeUndefined();
  });

  it('nothing when the binary changed after dpkg wrote the list (copied over the packaged one)', async () => {
    const { ctx, list } = node('containerd.list', ['/usr/bin/containerd']);
    // the list is older than the binary's last inode change by more than the minute dpkg needs to finish
    utimesSync(list, later(-3600), later(-3600));
    expect(await packagedVersion(ctx, '/usr/bin/containerd', ['containerd'])).toBeUndefined();
  });

  it('nothing when the listed package is not installed', async () => {
    const { ctx, list } = node('containerd.io.list', ['/usr/bin/containerd']);
    utimesSync(list, later(0), later(0));
    expect(await packagedVersion(ctx, '/usr/bin/containerd', ['containerd.io'])).toBeUndefined();
  });
});
