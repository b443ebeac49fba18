// The cheap paths runtime-info takes on a live node (issue 17): the dpkg status stanzas cut out of the raw bytes must
// answer exactly as splitting the whole database would, and a program missing from PATH is reported without a spawn.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { dpkgStanzas, packagedVersion, versionFromDpkgStatus } from '../../checks/runtime-info.js';
import { RealExec } from '../../src/adapters/exec.js';
import { RootedFs } from '../../src/adapters/fs.js';
import type { CheckContext } from '../../src/core/types.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const STATUS = `Package: containerd
Status: install ok installed
Version: 1.6.20~ds1-1+deb12u3

Package: runc
Status: install ok installed
Original-Package: containerd
Version: 1.1.5+ds1-1

Package: containerd.io
Status: deinstall ok config-files
Version: 1.7.0-1

Description: a stanza whose Package line is not first
Package: docker.io
Status: install ok installed
Version: 2:24.0.5-0ubuntu1
`;

describe('dpkgStanzas', () => {
  it('cuts out exactly the stanzas naming the packages, in file order, at the start, middle and end of the file', () => {
    const buf = Buffer.from(STATUS);
    expect(dpkgStanzas(buf, ['containerd'])).toBe('Package: containerd\nStatus: install ok installed\nVersion: 1.6.20~ds1-1+deb12u3');
    expect(
      dpkgStanzas(buf, ['containerd.io', 'containerd'])
        .split('\n\n')
        .map((s) => s.split('\n')[0]),
    ).toEqual(['Package: containerd', 'Package: containerd.io']);
    expect(dpkgStanzas(buf, ['docker.io'])).toMatch(/^Description: .*\nPackage: docker.io\n.*\nVersion: 2:24.0.5-0ubuntu1\n$/s);
    expect(dpkgStanzas(buf, ['cri-o'])).toBe('');
  });

  it('answers as the whole database does, for every package set', () => {
    for (const pkgs of [['containerd'], ['containerd', 'containerd.io'], ['containerd.io'], ['docker.io'], ['runc'], ['cri-o']]) {
      expect(versionFromDpkgStatus(dpkgStanzas(Buffer.from(STATUS), pkgs), pkgs)).toBe(versionFromDpkgStatus(STATUS, pkgs));
    }
    expect(versionFromDpkgStatus(dpkgStanzas(Buffer.from(STATUS), ['docker.io']), ['docker.io'])).toBe('24.0.5');
  });
});

describe('RealExec', () => {
  it('reports a program missing from PATH as not found without spawning, and still runs one that is there', async () => {
    const exec = new RealExec();
    const missing = await exec.run('regdoctor-no-such-program', ['--version'], { env: { PATH: '/usr/bin:/bin' } });
    expect(missing).toMatchObject({ notFound: true, exitCode: -1, stdout: '', timedOut: false });
    const found = await exec.run('sh', ['-c', 'echo ok'], { env: { PATH: '/nowhere:/usr/bin:/bin' } });
    expect(found).toMatchObject({ notFound: false, exitCode: 0, stdout: 'ok\n' });
    // a relative PATH entry is left to execvp (it depends on the working directory)
    const relative = await exec.run('regdoctor-no-such-program', [], { env: { PATH: 'bin:/usr/bin' } });
    expect(relative.notFound).toBe(true);
  });
});

describe('packagedVersion looks at the plain list names first, then the directory', () => {
  it('finds the arch-qualified list of another runtime package when the plain list does not name the binary', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'regdoctor-dpkg-fast-'));
    dirs.push(root);
    mkdirSync(path.join(root, 'usr/bin'), { recursive: true });
    mkdirSync(path.join(root, 'var/lib/dpkg/info'), { recursive: true });
    writeFileSync(path.join(root, 'usr/bin/containerd'), 'ELF');
    writeFileSync(path.join(root, 'var/lib/dpkg/info/containerd.list'), '/usr/bin/containerd-shim\n');
    writeFileSync(path.join(root, 'var/lib/dpkg/info/containerd.io:amd64.list'), '/usr/bin/containerd\n');
    writeFileSync(
      path.join(root, 'var/lib/dpkg/status'),
      'Package: containerd\nStatus: install ok installed\nVersion: 1.6.20\n\nPackage: containerd.io\nStatus: install ok installed\nVersion: 1.7.3-1\n',
    );
    const ctx = { adapters: { fs: new RootedFs(root) } } as unknown as CheckContext;
    expect(await packagedVersion(ctx, '/usr/bin/containerd', ['containerd', 'containerd.io'])).toEqual({
      pkg: 'containerd.io',
      version: '1.7.3',
    });
  });
});
