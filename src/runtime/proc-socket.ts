// Which process is the runtime behind the CRI socket: the listening unix socket's inode in /proc/net/unix, then the
// process holding that inode among its file descriptors (/proc/<pid>/fd/N → "socket:[<inode>]") — not the first
// process named containerd. A node often runs two containerd daemons (Docker Engine's beside kubelet's, or a stale one
// left by an upgrade) and may show a defunct one; only the one listening on the socket kubelet uses counts.
// Everything is read through the injected fs adapter (rooted at --root), so fixture /proc trees test it.
//
// /proc/net/unix (Linux net/unix/af_unix.c unix_seq_show): "Num RefCount Protocol Flags Type St Inode Path"; a listening
// socket has __SO_ACCEPTCON (0x10000) in Flags. The table is per network namespace: it lists the sockets of the reader's
// namespace (a process in a pid namespace without its own /proc/self reads another pid's net/unix).
import type { FsAdapter } from '../adapters/fs.js';
import { evidence as evidenceLines, type EvidenceOut } from '../i18n/evidence.js';
import { msg } from '../i18n/index.js';

export type ProcFs = Pick<FsAdapter, 'readText' | 'readdir' | 'readlink' | 'readFiles'>;

export interface UnixSocketEntry {
  inode: number;
  listening: boolean;
  /** Bound path as the process gave it (abstract sockets start with "@"); undefined when unnamed. */
  path?: string;
}

const SO_ACCEPTCON = 0x10000;

export function parseProcNetUnix(text: string): UnixSocketEntry[] {
  const out: UnixSocketEntry[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 7) continue;
    const flags = parseInt(f[3]!, 16);
    const inode = Number(f[6]);
    if (!Number.isFinite(inode) || Number.isNaN(flags)) continue;
    out.push({ inode, listening: (flags & SO_ACCEPTCON) !== 0, path: f.length > 7 ? f.slice(7).join(' ') : undefined });
  }
  return out;
}

/** The socket path of a CRI endpoint ("unix:///run/containerd/containerd.sock" or a bare path). */
export function socketPathOf(endpoint: string): string | undefined {
  const p = endpoint.replace(/^unix:\/\//, '');
  return p.startsWith('/') ? p : undefined;
}

/** Files where kubelet is told its CRI endpoint: the KubeletConfiguration field (1.27+) and the flag in the
 *  environment files kubeadm and the distribution units pass to kubelet. */
const KUBELET_ENDPOINT_FILES = [
  '/var/lib/kubelet/config.yaml',
  '/var/lib/kubelet/kubeadm-flags.env',
  '/etc/default/kubelet',
  '/etc/sysconfig/kubelet',
];

/** The CRI socket kubelet is configured with, when a kubelet file on the node names one. */
export async function kubeletRuntimeSocket(fs: ProcFs): Promise<{ socket: string; file: string } | undefined> {
  // all read at once (most are absent: four round trips one after another held up the daemon search), taken in order
  const texts = await Promise.all(KUBELET_ENDPOINT_FILES.map((file) => fs.readText(file, 1 << 20).catch(() => '')));
  for (const [k, file] of KUBELET_ENDPOINT_FILES.entries()) {
    const text = texts[k]!;
    const m =
      text.match(/^[^\S\n\r\u2028\u2029]*containerRuntimeEndpoint:\s*["']?([^"'\s#]+)/m) ??
      text.match(/--container-runtime-endpoint[=\s]+["']?([^"'\s]+)/);
    const socket = m ? socketPathOf(m[1]!) : undefined;
    if (socket) return { socket, file };
  }
  return undefined;
}

/** Spellings of one socket path: /var/run is a link to /run on current distributions. */
function spellings(p: string): string[] {
  const alt = p.startsWith('/var/run/') ? p.slice(4) : p.startsWith('/run/') ? `/var${p}` : undefined;
  return alt ? [p, alt] : [p];
}

export interface ProcessState {
  pid: number;
  comm: string;
  /** /proc/<pid>/stat state letter (R, S, D, Z zombie, X dead…). */
  state: string;
  /** Start time in clock ticks after boot (stat field 22). */
  startTicks?: number;
}

export function parseProcStat(pid: number, stat: string): ProcessState | undefined {
  const open = stat.indexOf('(');
  const close = stat.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const fields = stat.slice(close + 2).split(' ');
  const ticks = Number(fields[19]);
  return { pid, comm: stat.slice(open + 1, close), state: fields[0] ?? '?', startTicks: Number.isFinite(ticks) ? ticks : undefined };
}

export function isDefunct(p: Pick<ProcessState, 'state'>): boolean {
  return p.state === 'Z' || p.state === 'X' || p.state === 'x';
}

async function readStat(fs: ProcFs, pid: number): Promise<ProcessState | undefined> {
  const stat = await fs.readText(`/proc/${pid}/stat`, 4096).catch(() => '');
  return stat ? parseProcStat(pid, stat) : undefined;
}

/** The listening inode(s) bound to the socket path, newest first (a later bind unlinks the path and binds anew, so
 *  the highest inode is the one a client connecting by path reaches). */
export async function listeningInodes(
  fs: ProcFs,
  socketPath: string,
  tables: Promise<UnixSocketTable | undefined> = readUnixSocketTable(fs),
): Promise<{ inodes: number[]; table?: string }> {
  const names = new Set(spellings(socketPath));
  const t = await tables;
  if (!t) return { inodes: [] };
  const inodes = t.entries
    .filter((e) => e.listening && e.path !== undefined && names.has(e.path))
    .map((e) => e.inode)
    .sort((a, b) => b - a);
  return { inodes, table: t.table };
}

export interface UnixSocketTable {
  /** Which file answered. */
  table: string;
  entries: UnixSocketEntry[];
}

/** The first readable unix socket table (read once per daemon search, whatever the number of sockets tried). */
export async function readUnixSocketTable(fs: ProcFs): Promise<UnixSocketTable | undefined> {
  for (const table of ['/proc/net/unix', '/proc/self/net/unix', '/proc/1/net/unix']) {
    const text = await fs.readText(table, 16 * 1024 * 1024).catch(() => '');
    if (text) return { table, entries: parseProcNetUnix(text) };
  }
  return undefined;
}

export interface SocketOwner {
  pid: number;
  comm: string;
  inode: number;
}

/** Processes carrying one of the runtime's names: live ones, and defunct ones (which are never taken). */
export interface NamedProcesses {
  pids: number[];
  named: ProcessState[];
  defunct: ProcessState[];
}

const SCAN_BATCH = 128;
const FD_BATCH = 64;

export async function scanNamed(fs: ProcFs, names: string[], maxPids = 5000): Promise<NamedProcesses> {
  const pids = (await fs.readdir('/proc').catch(() => [] as string[]))
    .filter((n) => /^\d+$/.test(n))
    .map(Number)
    .slice(0, maxPids);
  const named: ProcessState[] = [];
  const defunct: ProcessState[] = [];
  // the names are read a batch at a time, in one pass where the adapter can (one read after another cost ~0.2 ms
  // each: 20 ms on a node with 100 processes, on the diagnosis's critical path); the answers are taken in pid order
  for (let at = 0; at < pids.length; at += SCAN_BATCH) {
    const batch = pids.slice(at, at + SCAN_BATCH);
    const files = batch.map((pid) => `/proc/${pid}/comm`);
    const comms = fs.readFiles
      ? (await fs.readFiles(files, 256)).map((r) => (r instanceof Error ? '' : r.toString('utf8')))
      : await Promise.all(files.map((f) => fs.readText(f, 256).catch(() => '')));
    for (const [k, pid] of batch.entries()) {
      const comm = comms[k]!.trim();
      if (!names.includes(comm)) continue;
      const st = (await readStat(fs, pid)) ?? { pid, comm, state: '?' };
      (isDefunct(st) ? defunct : named).push(st);
    }
  }
  return { pids, named, defunct };
}

/**
 * The process listening on `socketPath`: processes named like the runtime are searched first, then every other
 * process (the daemon may carry another name).
 */
export async function findSocketOwner(
  fs: ProcFs,
  socketPath: string,
  procs: NamedProcesses,
  tables?: Promise<UnixSocketTable | undefined>,
): Promise<{ owner?: SocketOwner; listening: boolean } & EvidenceOut> {
  const evidence = evidenceLines();
  const { inodes, table } = await listeningInodes(fs, socketPath, tables);
  if (!table) return { ...evidence.say('evidence.proc.unixUnreadable').out(), listening: false };
  if (inodes.length === 0) return { ...evidence.say('evidence.proc.noListener', { socket: socketPath }).out(), listening: false };
  if (inodes.length > 1) evidence.say('evidence.proc.manyListeners', { n: inodes.length, socket: socketPath, inode: inodes[0]! });
  const wanted = new Map(inodes.map((i) => [`socket:[${i}]`, i]));
  const first = new Set(procs.named.map((p) => p.pid));
  const order = [...first, ...procs.pids.filter((p) => !first.has(p) && !procs.defunct.some((d) => d.pid === p))];
  let unreadable = 0;
  for (const pid of order) {
    let fds: string[];
    try {
      fds = await fs.readdir(`/proc/${pid}/fd`);
    } catch {
      unreadable++;
      continue;
    }
    let best: number | undefined;
    // a daemon holds tens to hundreds of descriptors: their links are read a batch at a time, not one after another
    const all = fds.slice(0, 65536);
    for (let at = 0; at < all.length; at += FD_BATCH) {
      const links = await Promise.all(
        all.slice(at, at + FD_BATCH).map((fd) => fs.readlink(`/proc/${pid}/fd/${fd}`).catch(() => undefined)),
      );
      for (const link of links) {
        const inode = link ? wanted.get(link) : undefined;
        if (inode !== undefined && (best === undefined || inode > best)) best = inode;
      }
    }
    // a process holding only an older socket bound to the same path is not the one clients reach
    if (best !== inodes[0]) continue;
    const comm = procs.named.find((p) => p.pid === pid)?.comm ?? (await fs.readText(`/proc/${pid}/comm`, 256).catch(() => '')).trim();
    evidence.say('evidence.proc.listens', { pid, comm, socket: socketPath, inode: best });
    return { owner: { pid, comm, inode: best }, ...evidence.out(), listening: true };
  }
  evidence.say('evidence.proc.listenerNotFound', {
    socket: socketPath,
    inode: inodes[0]!,
    unreadable: unreadable ? msg('evidence.proc.fdsUnreadable', { n: unreadable }) : '',
  });
  return { ...evidence.out(), listening: true };
}

export interface DaemonProcess {
  pid: number;
  startedAt?: string;
  env: Record<string, string>;
  /** How it was identified. */
  via: 'socket' | 'name';
}

/** Start time as an ISO date: boot time (btime in /proc/stat) + start ticks / USER_HZ (100 on Linux). */
export async function startedAtOf(fs: ProcFs, st: ProcessState | undefined): Promise<string | undefined> {
  if (st?.startTicks === undefined) return undefined;
  const btime = Number((await fs.readText('/proc/stat', 1 << 20).catch(() => '')).match(/^btime (\d+)$/m)?.[1]);
  return Number.isFinite(btime) ? new Date((btime + st.startTicks / 100) * 1000).toISOString() : undefined;
}

async function environOf(fs: ProcFs, pid: number, keys: string[]): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  const text = await fs.readText(`/proc/${pid}/environ`, 1 << 20).catch(() => '');
  for (const kv of text.split('\0')) {
    const i = kv.indexOf('=');
    if (i > 0 && keys.includes(kv.slice(0, i))) env[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return env;
}

/**
 * The runtime daemon: the process listening on the first of `sockets` that has a listener, else — only when exactly
 * one live process carries the name — that one. Defunct processes are never taken; several live ones that the socket
 * cannot tell apart give no answer (a wrong start time would raise a false config-not-applied).
 */
export async function findRuntimeDaemon(
  fs: ProcFs,
  /** procs: scanNamed(fs, names) when the caller started it already. */
  o: { names: string[]; sockets: string[]; envKeys: string[]; procs?: Promise<NamedProcesses> },
): Promise<{ daemon?: DaemonProcess } & EvidenceOut> {
  const evidence = evidenceLines();
  // the process table and the socket table are read side by side
  const tables = readUnixSocketTable(fs);
  const procs = await (o.procs ?? scanNamed(fs, o.names));
  if (procs.defunct.length)
    evidence.say(procs.defunct.length > 1 ? 'evidence.proc.defunctMany' : 'evidence.proc.defunctOne', {
      list: procs.defunct.map((p) => `pid ${p.pid} (${p.comm}, state ${p.state})`).join(', '),
    });
  let owner: SocketOwner | undefined;
  for (const sock of o.sockets) {
    const r = await findSocketOwner(fs, sock, procs, tables);
    if (r.listening || o.sockets.length === 1) evidence.add(r);
    if (r.owner || r.listening) {
      owner = r.owner;
      break;
    }
  }
  let pid: number | undefined;
  let via: DaemonProcess['via'] = 'socket';
  if (owner) pid = owner.pid;
  else if (procs.named.length === 1) {
    pid = procs.named[0]!.pid;
    via = 'name';
    evidence.say('evidence.proc.onlyOne', { pid, comm: procs.named[0]!.comm });
  } else if (procs.named.length > 1) {
    evidence.say('evidence.proc.several', {
      n: procs.named.length,
      names: o.names.join('/'),
      pids: procs.named.map((p) => p.pid).join(', '),
    });
    return evidence.out();
  }
  if (pid === undefined) return evidence.out();
  const st = await readStat(fs, pid);
  if (st && isDefunct(st)) return evidence.out();
  const [startedAt, env] = await Promise.all([startedAtOf(fs, st), environOf(fs, pid, o.envKeys)]);
  return { daemon: { pid, startedAt, env, via }, ...evidence.out() };
}
