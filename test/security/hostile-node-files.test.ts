// Hostile node files: what a compromised or broken node can plant where regdoctor (running as root) reads its
// configuration. Every read ends at once with an FsError naming the node path — never a hang (a FIFO with no
// writer), never an endless stream (/dev/zero, /dev/urandom behind a link), never gigabytes in memory (a sparse
// file), never a file outside the --root prefix.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, closeSync, ftruncateSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FsError, RootedFs } from '../../src/adapters/fs.js';

let base: string;
let outside: string;
let sock: net.Server;

/** A rooted tree (as --root sees it) holding one hostile entry per name. */
function plant(dir: string): void {
  const etc = path.join(dir, 'etc/containerd');
  mkdirSync(path.join(etc, 'certs.d/reg.test'), { recursive: true });
  // under --root, /dev/zero names the tree's own device node (a copied node tree can hold one)
  mkdirSync(path.join(dir, 'dev'));
  execFileSync('mknod', [path.join(dir, 'dev/zero'), 'c', '1', '5']);
  execFileSync('mknod', [path.join(dir, 'dev/urandom'), 'c', '1', '9']);
  execFileSync('mkfifo', [path.join(etc, 'config.toml')]);
  execFileSync('mkfifo', [path.join(etc, 'certs.d/reg.test/hosts.toml')]);
  symlinkSync('/dev/zero', path.join(etc, 'certs.d/reg.test/ca.crt'));
  symlinkSync('/dev/urandom', path.join(etc, 'certs.d/reg.test/client.cert'));
  mkdirSync(path.join(etc, 'certs.d/reg.test/client.key'));
  symlinkSync('loop-b', path.join(etc, 'loop-a'));
  symlinkSync('loop-a', path.join(etc, 'loop-b'));
  // a 2 GiB sparse file: no disk space, 2 GiB of size
  const fd = openSync(path.join(etc, 'sparse.toml'), 'w');
  ftruncateSync(fd, 2 * 1024 * 1024 * 1024);
  closeSync(fd);
  writeFileSync(path.join(etc, 'latin1.toml'), Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3d, 0x22, 0xe9, 0xff, 0xfe, 0x22, 0x0a]));
}

beforeAll(async () => {
  base = mkdtempSync(path.join(tmpdir(), 'regdoctor-hostile-fs-'));
  outside = path.join(base, 'outside');
  mkdirSync(outside);
  writeFileSync(path.join(outside, 'secret'), 'host secret\n');
  plant(path.join(base, 'root'));
  const etc = path.join(base, 'root/etc/containerd');
  // links that try to leave the root: absolute, relative with .., and through a directory link
  symlinkSync(path.join(outside, 'secret'), path.join(etc, 'abs-escape'));
  symlinkSync('../../../../../../../../outside/secret', path.join(etc, 'rel-escape'));
  symlinkSync('/', path.join(etc, 'slash'));
  // the same secret path exists inside the root too, so "resolved inside" is observable
  mkdirSync(path.join(base, 'root', outside), { recursive: true });
  writeFileSync(path.join(base, 'root', outside, 'secret'), 'inside copy\n');
  mkdirSync(path.join(base, 'root/outside'), { recursive: true });
  writeFileSync(path.join(base, 'root/outside/secret'), 'inside relative copy\n');
  sock = net.createServer();
  await new Promise<void>((r) => sock.listen(path.join(etc, 'registry.sock'), r));
});

afterAll(async () => {
  await new Promise<void>((r) => sock.close(() => r()));
  rmSync(base, { recursive: true, force: true });
});

/** The error a read rejects with (the test fails when it resolves). */
async function refusal(p: Promise<unknown>): Promise<FsError> {
  const r = await p.then(
    (v) => v,
    (e: unknown) => e,
  );
  expect(r).toBeInstanceOf(FsError);
  return r as FsError;
}

const CASES: [name: string, file: string, code: RegExp, text: RegExp][] = [
  ['a FIFO (containerd config.toml)', 'config.toml', /^EFTYPE$/, /not a regular file \(a FIFO\)/],
  ['a FIFO (hosts.toml)', 'certs.d/reg.test/hosts.toml', /^EFTYPE$/, /a FIFO/],
  ['/dev/zero behind a link (ca.crt)', 'certs.d/reg.test/ca.crt', /^EFTYPE$/, /a character device/],
  ['/dev/urandom behind a link (client.cert)', 'certs.d/reg.test/client.cert', /^EFTYPE$/, /a character device/],
  ['a directory where a key is expected', 'certs.d/reg.test/client.key', /^EISDIR$/, /is a directory/],
  ['a symbolic link loop', 'loop-a', /^ELOOP$/, /too many levels of symbolic links/],
  ['a unix socket', 'registry.sock', /^(EFTYPE|ENXIO)$/, /socket/],
  ['a 2 GiB sparse file', 'sparse.toml', /^EFBIG$/, /file too large \(2147483648 bytes/],
];

describe.each([
  ['under --root', () => new RootedFs(path.join(base, 'root')), '/etc/containerd'],
  ['on the live root', () => new RootedFs('/'), ''],
])('hostile node files %s', (_where, make, prefix) => {
  const nodePath = (f: string) => (prefix ? `${prefix}/${f}` : path.join(base, 'root/etc/containerd', f));

  for (const [name, file, code, text] of CASES) {
    it(`${name}: refused at once with an error naming the node path`, async () => {
      const fs = make();
      const started = performance.now();
      const p = nodePath(file);
      for (const e of [await refusal(fs.readFile(p)), await refusal(fs.readText(p, 64 * 1024))]) {
        expect(e.code).toMatch(code);
        expect(e.message).toMatch(text);
        expect(e.message.startsWith(`${p}: `)).toBe(true);
        expect(e.nodePath).toBe(p);
      }
      const [many] = await fs.readFiles!([p], 4096);
      expect(many).toBeInstanceOf(FsError);
      expect((many as FsError).code).toMatch(code);
      if (!/sparse/.test(name)) {
        // readRange (the runtime binary's build info) refuses the same entries
        expect((await refusal(fs.readRange(p, 0, 4096))).code).toMatch(code);
      }
      expect(performance.now() - started).toBeLessThan(2000);
    });
  }

  it('a file that is not UTF-8 is read as bytes; as text, invalid bytes become U+FFFD (no exception)', async () => {
    const fs = make();
    const bytes = await fs.readFile(nodePath('latin1.toml'));
    expect(bytes).toHaveLength(11);
    expect(await fs.readText(nodePath('latin1.toml'))).toBe('name="\ufffd\ufffd\ufffd"\n');
  });

  it('stat and readdir of the same entries do not block and say what they are', async () => {
    const fs = make();
    const fifo = await fs.stat(nodePath('config.toml'));
    expect(fifo).toMatchObject({ isFile: false, isDirectory: false });
    expect(await fs.readdir(nodePath('config.toml'))).toEqual([]);
    expect(await fs.exists(nodePath('certs.d/reg.test/ca.crt'))).toBe(true);
  });
});

describe('symbolic links never leave the --root prefix', () => {
  it('an absolute link, a relative link climbing above the root and a link to / all resolve inside', async () => {
    const fs = new RootedFs(path.join(base, 'root'));
    expect(await fs.readText('/etc/containerd/abs-escape')).toBe('inside copy\n');
    expect(await fs.readText('/etc/containerd/rel-escape')).toBe('inside relative copy\n');
    expect(await fs.readText(`/etc/containerd/slash/${outside.slice(1)}/secret`)).toBe('inside copy\n');
    expect(await fs.readText('/../../../../outside/secret')).toBe('inside relative copy\n');
    expect(await fs.realPath('/etc/containerd/abs-escape')).toBe(path.posix.join(outside, 'secret'));
  });

  it('node paths with NUL, escape sequences and bidi controls are errors naming them, never a crash', async () => {
    const fs = new RootedFs(path.join(base, 'root'));
    for (const p of ['/etc/containerd/a\u0000b', '/etc/containerd/\u001b[2J\u001b]0;x\u0007', '/etc/containerd/txt.\u202eexe']) {
      const e = await refusal(fs.readFile(p));
      expect(e.nodePath).toBe(p);
      expect(e.code).toMatch(/^(ENOENT|ERR_INVALID_ARG_VALUE|ERR_INVALID_ARG_TYPE)$/);
    }
  });
});
