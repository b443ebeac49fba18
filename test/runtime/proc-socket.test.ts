// The daemon behind the CRI socket (issue 13 item 13), on fixture /proc trees read through the rooted fs adapter: the
// listening socket's inode in /proc/net/unix → the pid holding it in /proc/<pid>/fd; a second containerd (Docker's)
// and a defunct one are never taken, and runtime-drift compares config.toml with the right daemon's start time.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { RootedFs } from '../../src/adapters/fs.js';
import { findRuntimeDaemon, parseProcNetUnix, parseProcStat } from '../../src/runtime/proc-socket.js';
import { runGraph } from '../../src/core/engine.js';
import { DEFAULT_RUN_OPTIONS } from '../../src/app/diagnose.js';
import { parseTarget } from '../../src/core/reference.js';
import { createRealAdapters } from '../../src/app/adapters.js';
import { runtimeInfoCheck } from '../../checks/runtime-info.js';
import { runtimeDriftCheck } from '../../checks/runtime-drift.js';
import { containerdConfigCheck } from '../../checks/containerd-config.js';
import { criPullCheck } from '../../checks/cri-pull.js';

const BTIME = 1_790_000_000; // boot time (s)
const SOCK = '/run/containerd/containerd.sock';

/** A minimal ELF64 file whose .go.buildinfo section (go1.18+ inline format) names `goVersion`. */
function goElf(goVersion: string): Buffer {
  const shstr = Buffer.from('\0.shstrtab\0.go.buildinfo\0', 'latin1');
  const head = Buffer.alloc(32);
  Buffer.from('\xff Go buildinf:', 'latin1').copy(head);
  head[14] = 8;
  head[15] = 2;
  const info = Buffer.concat([head, Buffer.from([goVersion.length]), Buffer.from(goVersion), Buffer.from([0])]);
  const shoff = 64 + shstr.length + info.length;
  const elf = Buffer.alloc(shoff + 3 * 64);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]).copy(elf);
  elf.writeBigUInt64LE(BigInt(shoff), 0x28);
  elf.writeUInt16LE(64, 0x3a);
  elf.writeUInt16LE(3, 0x3c);
  elf.writeUInt16LE(1, 0x3e);
  shstr.copy(elf, 64);
  info.copy(elf, 64 + shstr.length);
  const section = (i: number, name: number, offset: number, size: number) => {
    elf.writeUInt32LE(name, shoff + i * 64);
    elf.writeBigUInt64LE(BigInt(offset), shoff + i * 64 + 0x18);
    elf.writeBigUInt64LE(BigInt(size), shoff + i * 64 + 0x20);
  };
  section(1, 1, 64, shstr.length);
  section(2, 11, 64 + shstr.length, info.length);
  return elf;
}

interface Proc {
  pid: number;
  comm: string;
  /** /proc/<pid>/exe link text */
  exe?: string;
  state?: string;
  /** seconds after boot */
  startS: number;
  sockets?: number[];
  env?: Record<string, string>;
}

const roots: string[] = [];
afterEach(async () => {
  for (const r of roots.splice(0)) await rm(r, { recursive: true, force: true });
});

const unixLine = (inode: number, p?: string, listening = true) =>
  `0000000000000000: 00000002 00000000 ${listening ? '00010000' : '00000000'} 0001 01 ${inode}${p ? ` ${p}` : ''}`;

async function tree(procs: Proc[], unix: string[] | undefined, extra: Record<string, string | Buffer> = {}): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'regdoctor-proc-'));
  roots.push(root);
  await mkdir(path.join(root, 'proc/net'), { recursive: true });
  await writeFile(path.join(root, 'proc/stat'), `cpu  1 2 3\nbtime ${BTIME}\nprocesses 9\n`);
  if (unix)
    await writeFile(
      path.join(root, 'proc/net/unix'),
      ['Num       RefCount Protocol Flags    Type St Inode Path', ...unix].join('\n') + '\n',
    );
  for (const p of procs) {
    const dir = path.join(root, 'proc', String(p.pid));
    await mkdir(path.join(dir, 'fd'), { recursive: true });
    await writeFile(path.join(dir, 'comm'), `${p.comm}\n`);
    const ticks = p.startS * 100;
    // fields after "(comm) ": state is field 3, starttime field 22
    const rest = [p.state ?? 'S', ...Array.from({ length: 18 }, (_, i) => String(i + 1)), String(ticks), '0', '0'];
    await writeFile(path.join(dir, 'stat'), `${p.pid} (${p.comm}) ${rest.join(' ')}\n`);
    await writeFile(
      path.join(dir, 'environ'),
      Object.entries(p.env ?? {})
        .map(([k, v]) => `${k}=${v}\0`)
        .join(''),
    );
    if (p.exe) await symlink(p.exe, path.join(dir, 'exe'));
    if (p.state === 'Z') continue; // a zombie has no descriptors
    await symlink('/dev/null', path.join(dir, 'fd', '0'));
    for (const [i, inode] of (p.sockets ?? []).entries()) await symlink(`socket:[${inode}]`, path.join(dir, 'fd', String(3 + i)));
  }
  for (const [f, text] of Object.entries(extra)) {
    await mkdir(path.dirname(path.join(root, f)), { recursive: true });
    await writeFile(path.join(root, f), text);
  }
  return root;
}

const iso = (startS: number) => new Date((BTIME + startS) * 1000).toISOString();
const find = (root: string, sockets = [SOCK]) =>
  findRuntimeDaemon(new RootedFs(root), { names: ['containerd'], sockets, envKeys: ['HTTPS_PROXY'] });

describe('parsers', () => {
  it('reads /proc/net/unix (listening flag, inode, path) and /proc/<pid>/stat (comm with spaces, state, start ticks)', () => {
    const e = parseProcNetUnix(
      ['Num RefCount Protocol Flags Type St Inode Path', unixLine(42, SOCK), unixLine(43, SOCK, false), unixLine(44)].join('\n'),
    );
    expect(e).toEqual([
      { inode: 42, listening: true, path: SOCK },
      { inode: 43, listening: false, path: SOCK },
      { inode: 44, listening: true, path: undefined },
    ]);
    const st = parseProcStat(7, `7 (my (odd) name) Z ${Array.from({ length: 18 }, () => '0').join(' ')} 1234 0`);
    expect(st).toEqual({ pid: 7, comm: 'my (odd) name', state: 'Z', startTicks: 1234 });
  });
});

describe('the daemon behind the CRI socket', () => {
  const docker = { pid: 100, comm: 'containerd', startS: 500, sockets: [900] };
  const zombie = { pid: 150, comm: 'containerd', state: 'Z', startS: 600 };
  const kubelets = { pid: 200, comm: 'containerd', startS: 1000, sockets: [1000, 1001], env: { HTTPS_PROXY: 'http://proxy:3128' } };

  it('two containerd and a defunct one: the one listening on the CRI socket, with its start time and environment', async () => {
    const root = await tree(
      [docker, zombie, kubelets],
      [unixLine(900, '/run/docker/containerd/containerd.sock'), unixLine(1000, SOCK), unixLine(1001, `${SOCK}.ttrpc`)],
    );
    const r = await find(root);
    expect(r.daemon).toEqual({ pid: 200, startedAt: iso(1000), env: { HTTPS_PROXY: 'http://proxy:3128' }, via: 'socket' });
    expect(r.evidence.join('\n')).toMatch(/pid 200 \(containerd\) listens on \/run\/containerd\/containerd\.sock \(socket inode 1000\)/);
    expect(r.evidence.join('\n')).toMatch(/ignored defunct process: pid 150 \(containerd, state Z\)/);
    // the other way round: Docker's containerd on the CRI socket is the answer then
    const swapped = await tree([docker, kubelets], [unixLine(900, SOCK), unixLine(1000, '/run/other.sock')]);
    expect((await find(swapped)).daemon?.pid).toBe(100);
  });

  it('the same path bound twice (a second daemon replaced the socket): the newest bind is the one clients reach', async () => {
    const root = await tree([docker, kubelets], [unixLine(900, SOCK), unixLine(1000, SOCK)]);
    const r = await find(root);
    expect(r.daemon?.pid).toBe(200);
    expect(r.evidence.join('\n')).toMatch(/2 listening sockets are bound to/);
  });

  it('a socket bound as /var/run/… is matched for the /run/… endpoint; a daemon with another name is found too', async () => {
    const root = await tree([docker, { pid: 300, comm: 'k3s-server', startS: 800, sockets: [1200] }], [unixLine(1200, `/var${SOCK}`)]);
    const r = await find(root);
    expect(r.daemon?.pid).toBe(300);
    expect(r.daemon?.startedAt).toBe(iso(800));
  });

  it('without /proc/net/unix: the only live containerd (never the defunct one); two live ones give no start time', async () => {
    const one = await tree([zombie, kubelets], undefined);
    const r = await find(one);
    expect(r.daemon).toMatchObject({ pid: 200, via: 'name', startedAt: iso(1000) });
    const two = await tree([docker, zombie, kubelets], undefined);
    const r2 = await find(two);
    expect(r2.daemon).toBeUndefined();
    expect(r2.evidence.join('\n')).toMatch(/2 running containerd processes \(pids 100, 200\), none identified by the CRI socket/);
    const onlyZombie = await tree([zombie], undefined);
    expect((await find(onlyZombie)).daemon).toBeUndefined();
  });

  it('runtime-info and runtime-drift through the check graph: no false config-not-applied from the other daemon', async () => {
    const config = 'version = 2\n[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/etc/containerd/certs.d"\n';
    const run = async (unix: string[]) => {
      const root = await tree([docker, zombie, kubelets], unix, { 'etc/containerd/config.toml': config });
      // config.toml edited after Docker's containerd started (500 s) and before kubelet's (1000 s)
      const edited = new Date((BTIME + 700) * 1000);
      await utimes(path.join(root, 'etc/containerd/config.toml'), edited, edited);
      // the CRI pull is skipped (--no-pull); its own inputs are left out of the graph
      const criPull = { ...criPullCheck, wants: [] };
      return runGraph([runtimeInfoCheck, containerdConfigCheck, criPull, runtimeDriftCheck], {
        target: parseTarget('reg.test:5000/app:1'),
        options: { ...DEFAULT_RUN_OPTIONS, root, liveRoot: true, pull: false, containerdVersion: '1.6.20' },
        adapters: createRealAdapters({ root, env: {} }),
      });
    };
    const right = await run([unixLine(900, '/run/docker/containerd/containerd.sock'), unixLine(1000, SOCK)]);
    expect(right.facts['runtime-info']?.pid).toBe(200);
    expect(right.facts['runtime-info']?.startedAt).toBe(iso(1000));
    const drift = right.checks.find((c) => c.id === 'runtime-drift')!;
    expect(drift.status).toBe('pass');
    expect(drift.evidence.join('\n')).toContain(`containerd started ${iso(1000)} (pid 200)`);
    expect(drift.findings.map((f) => f.code)).not.toContain('config-not-applied');
    // when the daemon on the CRI socket is the one started before the edit, the restart is really missing
    const stale = await run([unixLine(900, SOCK), unixLine(1000, '/run/elsewhere.sock')]);
    expect(stale.facts['runtime-info']?.pid).toBe(100);
    expect(stale.checks.find((c) => c.id === 'runtime-drift')!.findings.map((f) => f.code)).toContain('config-not-applied');
  });

  it('the Go version is read from the binary the CRI daemon runs (/proc/<pid>/exe), not the packaged one beside it', async () => {
    const run = async (exe: string) => {
      const root = await tree(
        [docker, { ...kubelets, exe }],
        [unixLine(900, '/run/docker/containerd/containerd.sock'), unixLine(1000, SOCK)],
        {
          'etc/containerd/config.toml': 'version = 2\n',
          'usr/bin/containerd': goElf('go1.19.8'),
          'usr/local/bin/containerd': goElf('go1.22.7'),
        },
      );
      return runGraph([runtimeInfoCheck], {
        target: parseTarget('reg.test:5000/app:1'),
        options: { ...DEFAULT_RUN_OPTIONS, root, liveRoot: true, pull: false, containerdVersion: '1.7.20' },
        adapters: createRealAdapters({ root, env: {} }),
      });
    };
    const other = await run('/usr/local/bin/containerd');
    expect(other.facts['runtime-info']).toMatchObject({
      pid: 200,
      goVersion: 'go1.22.7',
      goVersionSource: 'build-info',
      binaryPath: '/usr/bin/containerd',
    });
    expect(other.checks[0]!.evidence.join('\n')).toMatch(
      /the daemon \(pid 200\) runs \/usr\/local\/bin\/containerd, not \/usr\/bin\/containerd/,
    );
    const same = await run('/usr/bin/containerd');
    expect(same.facts['runtime-info']?.goVersion).toBe('go1.19.8');
    expect(same.checks[0]!.evidence.join('\n')).not.toMatch(/runs .* versions read from the running binary/);
  });

  it("kubelet's configured CRI endpoint decides which socket (config.yaml field or the flag in kubeadm-flags.env)", async () => {
    const custom = '/run/custom/cri.sock';
    const unix = [unixLine(900, custom), unixLine(1000, SOCK)];
    const run = async (extra: Record<string, string>) => {
      const root = await tree([docker, kubelets], unix, { 'etc/containerd/config.toml': 'version = 2\n', ...extra });
      return runGraph([runtimeInfoCheck], {
        target: parseTarget('reg.test:5000/app:1'),
        options: { ...DEFAULT_RUN_OPTIONS, root, liveRoot: true, pull: false, containerdVersion: '1.7.20' },
        adapters: createRealAdapters({ root, env: {} }),
      });
    };
    const viaConfig = await run({
      'var/lib/kubelet/config.yaml': `kind: KubeletConfiguration\ncontainerRuntimeEndpoint: "unix://${custom}"\n`,
    });
    expect(viaConfig.facts['runtime-info']?.pid).toBe(100);
    expect(viaConfig.checks[0]!.evidence.join('\n')).toContain(`kubelet's CRI endpoint: ${custom} (/var/lib/kubelet/config.yaml)`);
    const viaFlag = await run({
      'var/lib/kubelet/kubeadm-flags.env': `KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix://${custom} --pod-infra-container-image=x"\n`,
    });
    expect(viaFlag.facts['runtime-info']?.pid).toBe(100);
    // nothing configured: the default socket
    expect((await run({})).facts['runtime-info']?.pid).toBe(200);
  });
});
