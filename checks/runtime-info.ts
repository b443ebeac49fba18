// runtime-info: which container runtime this node uses, its version, the Go version it was built with (read from
// the binary's build info), and — on a live node — when the daemon started and its proxy / CA environment; the daemon
// is the process listening on the CRI socket (src/runtime/proc-socket.ts), not the first one with the runtime's name.
// Emits no findings: other checks use these facts to phrase predictions for the right versions.
import type { Check, CheckContext, CheckOutcome } from '../src/core/types.js';
import type { RuntimeInfoFacts, RuntimeKind } from '../src/core/runtime-config.js';
import { readGoVersion } from '../src/runtime/gobuildinfo.js';
import { DEFAULT_GO_VERSION } from '../src/goverify/defaults.js';
import { redactText } from '../src/text/redact.js';
import { findRuntimeDaemon, kubeletRuntimeSocket, scanNamed, socketPathOf, type DaemonProcess } from '../src/runtime/proc-socket.js';
import { msg, summaryOf } from '../src/i18n/index.js';
import { evidence as evidenceLines, said, type EvidenceOut } from '../src/i18n/evidence.js';

const BINARIES: Record<Exclude<RuntimeKind, 'unknown'>, string[]> = {
  containerd: ['/usr/bin/containerd', '/usr/local/bin/containerd', '/bin/containerd', '/opt/bin/containerd', '/usr/sbin/containerd'],
  'cri-o': ['/usr/bin/crio', '/usr/local/bin/crio'],
  docker: ['/usr/bin/dockerd', '/usr/local/bin/dockerd'],
};
const CONFIGS: Record<Exclude<RuntimeKind, 'unknown'>, string[]> = {
  // k3s / RKE2 run their embedded containerd with the config they render (their binary is not containerd's CLI)
  containerd: [
    '/etc/containerd/config.toml',
    '/var/lib/rancher/k3s/agent/etc/containerd/config.toml',
    '/var/lib/rancher/rke2/agent/etc/containerd/config.toml',
  ],
  'cri-o': ['/etc/crio/crio.conf', '/etc/crio/crio.conf.d'],
  docker: ['/etc/docker/daemon.json'],
};
// GODEBUG: settings such as tlsrsakex=1 change what containerd's TLS client offers (src/runtime/go-tls.ts)
const ENV_KEYS = [
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'GODEBUG',
];

/** Existence answers by path for one run of the check: every candidate path is asked at once, the answers are then
 *  read in the order the decisions need them. */
type Exists = (path: string) => Promise<boolean>;

function existsAll(ctx: CheckContext, paths: string[]): Exists {
  const answers = new Map<string, Promise<boolean>>();
  const ask = (p: string) => {
    let a = answers.get(p);
    if (!a) {
      a = ctx.adapters.fs.exists(p).catch(() => false);
      answers.set(p, a);
    }
    return a;
  };
  for (const p of paths) void ask(p);
  return ask;
}

async function firstExisting(exists: Exists, paths: string[]): Promise<string | undefined> {
  for (const p of paths) if (await exists(p)) return p;
  return undefined;
}

/** Version from `dpkg` status under the root (offline trees), e.g. "1.6.20~ds1-1+deb12u3" → 1.6.20. */
export function versionFromDpkgStatus(status: string, pkgs: string[]): string | undefined {
  for (const block of status.split(/\n\n+/)) {
    const name = block.match(/^Package: (.+)$/m)?.[1]?.trim();
    if (!name || !pkgs.includes(name)) continue;
    if (!/^Status: .*installed/m.test(block)) continue;
    const v = block.match(/^Version: (?:\d+:)?(\d+\.\d+\.\d+)/m)?.[1];
    if (v) return v;
  }
  return undefined;
}

/**
 * The stanzas of /var/lib/dpkg/status that name one of `pkgs` (in file order), cut out of the raw bytes: the database
 * is ~1 MB on a node, and decoding and splitting it whole cost more memory and time than the rest of the check.
 * dpkg writes each stanza's fields one per line with a blank line between stanzas (dpkg lib/dpkg/dump.c).
 */
export function dpkgStanzas(status: Buffer, pkgs: string[]): string {
  const found: [number, number][] = [];
  for (const pkg of pkgs) {
    const needle = Buffer.from(`Package: ${pkg}\n`, 'utf8');
    for (let at = status.indexOf(needle); at >= 0; at = status.indexOf(needle, at + needle.length)) {
      if (at > 0 && status[at - 1] !== 0x0a) continue;
      const blank = at === 0 ? -1 : status.lastIndexOf('\n\n', at - 1);
      const end = status.indexOf('\n\n', at);
      found.push([blank < 0 ? 0 : blank + 2, end < 0 ? status.length : end]);
    }
  }
  return found
    .sort((a, b) => a[0] - b[0])
    .map(([a, b]) => status.toString('utf8', a, b))
    .join('\n\n');
}

async function dpkgVersion(ctx: CheckContext, pkgs: string[]): Promise<string | undefined> {
  const status = await ctx.adapters.fs.readFile('/var/lib/dpkg/status', 32 * 1024 * 1024).catch(() => undefined);
  return status ? versionFromDpkgStatus(dpkgStanzas(status, pkgs), pkgs) : undefined;
}

/** dpkg's file lists (info/<pkg>.list, or <pkg>:<arch>.list for a Multi-Arch: same package) that may name `binary`,
 *  in two rounds: the plain names first (two stats instead of listing a directory of thousands of files), then — only
 *  when none of those lists the binary — every other list of the packages found by listing the directory. */
async function* candidateLists(ctx: CheckContext, info: string, pkgs: string[]): AsyncGenerator<string> {
  const fs = ctx.adapters.fs;
  const plain = pkgs.map((p) => `${p}.list`);
  const present = await Promise.all(plain.map((n) => fs.exists(`${info}/${n}`).catch(() => false)));
  const direct = plain.filter((_, i) => present[i]).sort();
  yield* direct;
  const names = await fs.readdir(info).catch(() => [] as string[]);
  for (const n of names) if (n.endsWith('.list') && pkgs.includes(n.slice(0, -5).replace(/:[^:]*$/, '')) && !direct.includes(n)) yield n;
}

/**
 * The version of the package that installed `binary`, when the dpkg database says so and the file was not replaced
 * since: the package must list the path (info/<pkg>.list or <pkg>:<arch>.list), be installed, and the binary's inode
 * must not have changed after dpkg wrote that list (a binary copied over a packaged one is not the package's).
 */
export async function packagedVersion(
  ctx: CheckContext,
  binary: string,
  pkgs: string[],
): Promise<{ pkg: string; version: string } | undefined> {
  const fs = ctx.adapters.fs;
  const info = '/var/lib/dpkg/info';
  for await (const list of candidateLists(ctx, info, pkgs)) {
    const text = await fs.readText(`${info}/${list}`, 4 * 1024 * 1024).catch(() => '');
    if (!text.split('\n').includes(binary)) continue;
    const [listStat, binStat] = await Promise.all([
      fs.stat(`${info}/${list}`).catch(() => undefined),
      fs.stat(binary).catch(() => undefined),
    ]);
    if (!listStat || binStat?.ctimeMs === undefined || binStat.ctimeMs > listStat.mtimeMs + 60_000) return undefined;
    const pkg = list.slice(0, -5).replace(/:[^:]*$/, '');
    const version = await dpkgVersion(ctx, [pkg]);
    return version ? { pkg, version } : undefined;
  }
  return undefined;
}

/** Parses `containerd --version` output: "containerd github.com/containerd/containerd 1.6.20~ds1 <rev>". */
export function versionFromCli(out: string): string | undefined {
  return out.match(/\bv?(\d+\.\d+\.\d+)/)?.[1];
}

/** The sockets each daemon listens on, CRI first (/var/run spellings are matched too). */
const DAEMON_SOCKETS: Record<string, string[]> = {
  containerd: ['/run/containerd/containerd.sock', '/run/k3s/containerd/containerd.sock'],
  crio: ['/run/crio/crio.sock'],
  dockerd: ['/run/docker.sock'],
};

/** The daemon behind the CRI socket (src/runtime/proc-socket.ts): the process listening on the socket kubelet uses,
 *  never the first process with the name, never a defunct one. */
async function findDaemon(ctx: CheckContext, comm: string): Promise<{ daemon?: DaemonProcess } & EvidenceOut> {
  const fs = ctx.adapters.fs;
  const evidence = evidenceLines();
  // the process scan does not depend on which socket kubelet names: it starts now
  const procs = scanNamed(fs, [comm]);
  let endpoint = ctx.options.runtimeEndpoint ? socketPathOf(ctx.options.runtimeEndpoint) : undefined;
  if (!endpoint) {
    const kubelet = await kubeletRuntimeSocket(fs);
    if (kubelet) evidence.say('evidence.runtime.kubeletEndpoint', { socket: kubelet.socket, file: kubelet.file });
    endpoint = kubelet?.socket;
  }
  // cri-dockerd's socket belongs to cri-dockerd, not to dockerd
  const sockets = endpoint && comm !== 'dockerd' ? [endpoint] : (DAEMON_SOCKETS[comm] ?? []);
  const found = await findRuntimeDaemon(fs, { names: [comm], sockets, envKeys: ENV_KEYS, procs });
  return { ...found, ...evidence.add(found).out() };
}

/** The daemon's executable when it is not the binary found on disk (or was replaced since it started): read through
 *  /proc/<pid>/exe, which reaches the running file even when deleted or in another mount namespace. */
async function runningBinary(
  ctx: CheckContext,
  pid: number,
  binaryPath: string | undefined,
): Promise<{ path: string; exe: string; note: EvidenceOut } | undefined> {
  const link = await ctx.adapters.fs.readlink(`/proc/${pid}/exe`).catch(() => undefined);
  if (!link) return undefined;
  const deleted = link.endsWith(' (deleted)');
  const exe = deleted ? link.slice(0, -' (deleted)'.length) : link;
  if (exe === binaryPath && !deleted) return undefined;
  return {
    path: `/proc/${pid}/exe`,
    exe,
    note: deleted
      ? said('evidence.runtime.runsReplaced', { pid, exe })
      : said('evidence.runtime.runsOther', { pid, exe, not: binaryPath ? msg('evidence.runtime.notPath', { path: binaryPath }) : '' }),
  };
}

export const runtimeInfoCheck: Check<'runtime-info'> = {
  id: 'runtime-info',
  title: 'Container runtime and versions',
  needs: [],
  timeoutMs: 8_000,
  async run(ctx): Promise<CheckOutcome<RuntimeInfoFacts>> {
    const live = ctx.adapters.fs.root === '/';
    const evidence = evidenceLines();
    let kind: RuntimeKind = 'unknown';
    let binaryPath: string | undefined;
    // The CRI socket kubelet talks to decides first: Docker nodes also run containerd underneath.
    const endpoint = ctx.options.runtimeEndpoint ?? '';
    // asked at once: the paths every node needs answered (CRI sockets, containerd's binary and config); the other
    // runtimes' paths only when containerd is not there
    const exists = existsAll(ctx, [
      ...(endpoint ? [] : ['/var/run/cri-dockerd.sock', '/var/run/crio/crio.sock', '/run/crio/crio.sock']),
      ...BINARIES.containerd,
      ...CONFIGS.containerd,
    ]);
    const socketKind: RuntimeKind | undefined =
      /cri-dockerd/.test(endpoint) || (!endpoint && (await exists('/var/run/cri-dockerd.sock')))
        ? 'docker'
        : /crio/.test(endpoint) || (!endpoint && (await firstExisting(exists, ['/var/run/crio/crio.sock', '/run/crio/crio.sock'])))
          ? 'cri-o'
          : undefined;
    if (socketKind) {
      kind = socketKind;
      binaryPath = await firstExisting(exists, BINARIES[socketKind]);
      evidence.say('evidence.runtime.socketPresent', { kind: socketKind });
    }
    for (const k of socketKind ? [] : (['containerd', 'cri-o', 'docker'] as const)) {
      const bin = await firstExisting(exists, BINARIES[k]);
      const cfg = await firstExisting(exists, CONFIGS[k]);
      if (bin || cfg) {
        kind = k;
        binaryPath = bin;
        break;
      }
    }
    let version = ctx.options.containerdVersion;
    let versionSource: RuntimeInfoFacts['versionSource'] = version ? 'override' : 'unknown';
    // Startup ordering: nothing here may hold up the checks that wait on this one. The daemon search starts now, in
    // parallel; the version comes from the package database when it owns the binary (two small reads), and only
    // otherwise from spawning `<binary> --version` (a Go binary's start costs 60–200 ms on a busy node).
    const daemonP =
      (live || ctx.options.liveRoot) && kind !== 'unknown'
        ? findDaemon(ctx, kind === 'cri-o' ? 'crio' : kind === 'docker' ? 'dockerd' : 'containerd')
        : Promise.resolve(undefined);
    // The binary on disk is usually the one the daemon runs: its Go build info is read now, beside the rest.
    const readGo = (file: string) =>
      readGoVersion((o, l) => ctx.adapters.fs.readRange(file, o, l)).then(
        (v) => ({ v }),
        (err: Error) => ({ err }),
      );
    const goOnDisk = !ctx.options.goVersion && binaryPath ? readGo(binaryPath) : undefined;
    const pkgs =
      kind === 'containerd' ? ['containerd', 'containerd.io'] : kind === 'cri-o' ? ['cri-o'] : ['docker-ce', 'docker.io', 'moby-engine'];
    if (!version && kind !== 'unknown') {
      const owned = binaryPath ? await packagedVersion(ctx, binaryPath, pkgs) : undefined;
      if (owned) {
        version = owned.version;
        versionSource = 'binary';
        evidence.say('evidence.runtime.pkgOwns', { pkg: owned.pkg, version: owned.version, path: binaryPath! });
      }
    }
    if (!version && kind === 'containerd' && live && binaryPath) {
      const r = await ctx.adapters.exec.run(binaryPath, ['--version'], { timeoutMs: 3000, signal: ctx.signal }).catch(() => undefined);
      const v = r && r.exitCode === 0 ? versionFromCli(r.stdout) : undefined;
      if (v) {
        version = v;
        versionSource = 'binary';
        evidence.raw(`${binaryPath} --version: ${r!.stdout.trim()}`);
      }
    }
    if (!version && kind !== 'unknown') {
      const v = await dpkgVersion(ctx, pkgs);
      if (v) {
        version = v;
        versionSource = 'binary';
        evidence.say('evidence.runtime.pkgVersion', { kind, version: v });
      }
    }
    const found = await daemonP;
    const daemon = found?.daemon;
    evidence.add(found);
    if (daemon) {
      evidence.say('evidence.runtime.daemonPid', {
        pid: daemon.pid,
        started: daemon.startedAt ? msg('evidence.runtime.started', { time: daemon.startedAt }) : '',
      });
      for (const [k, val] of Object.entries(daemon.env))
        evidence.say('evidence.runtime.daemonEnv', { variable: k, value: redactText(val) });
    } else if ((live || ctx.options.liveRoot) && kind !== 'unknown') evidence.say('evidence.runtime.noDaemon', { kind });
    // The binary the daemon behind the socket runs decides the versions: another install beside the packaged one
    // (/usr/local/bin), or a binary replaced on disk since the daemon started, is read through /proc/<pid>/exe.
    const running = daemon ? await runningBinary(ctx, daemon.pid, binaryPath) : undefined;
    if (running) {
      evidence.add(running.note);
      if (versionSource !== 'override' && kind === 'containerd' && live) {
        const r = await ctx.adapters.exec.run(running.path, ['--version'], { timeoutMs: 3000, signal: ctx.signal }).catch(() => undefined);
        const v = r && r.exitCode === 0 ? versionFromCli(r.stdout) : undefined;
        if (v) {
          version = v;
          versionSource = 'binary';
          evidence.raw(`${running.exe} --version: ${r!.stdout.trim()}`);
        }
      }
    }
    const goBinary = running?.path ?? binaryPath;
    let goVersion = ctx.options.goVersion;
    let goVersionSource: RuntimeInfoFacts['goVersionSource'] = goVersion ? 'override' : 'default';
    if (!goVersion && goBinary) {
      const shown = running?.exe ?? goBinary;
      const read = await (goBinary === binaryPath && goOnDisk ? goOnDisk : readGo(goBinary));
      if ('v' in read) {
        goVersion = read.v;
        goVersionSource = 'build-info';
        evidence.say('evidence.runtime.builtWith', { path: shown, go: goVersion });
      } else evidence.say('evidence.runtime.goUnreadable', { path: shown, error: read.err.message });
    }
    goVersion ??= DEFAULT_GO_VERSION;
    if (goVersionSource === 'default') evidence.say('evidence.runtime.goAssumed', { go: DEFAULT_GO_VERSION });
    const facts: RuntimeInfoFacts = {
      kind,
      version,
      versionSource,
      goVersion,
      goVersionSource,
      binaryPath,
      startedAt: daemon?.startedAt,
      pid: daemon?.pid,
      daemonEnv: daemon?.env,
    };
    return {
      ...(kind === 'unknown'
        ? summaryOf('check.runtime.none')
        : summaryOf('check.runtime.found', {
            kind,
            version: version ?? msg('check.runtime.versionUnknown'),
            go: goVersion,
            assumed: goVersionSource === 'default' ? msg('check.runtime.assumed') : '',
          })),
      ...evidence.out(),
      facts,
    };
  },
};
