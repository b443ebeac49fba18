// Name resolution and TCP reachability, each bounded by a timeout and an abort signal.
import * as net from 'node:net';
import { isIP } from '../text/ip.js';
import type { LookupResult, NetOptions, ResolverVia } from './lookup-types.js';
import { RootedFs, type FsAdapter } from './fs.js';
import { decide, goLookup, hostPort, HostsCache, readResolverConfig, type GoResolverOptions } from './resolve.js';

export type { LookupResult, NetOptions, ResolvedAddress, ResolverVia } from './lookup-types.js';

export type ConnectResult =
  | { ok: true; address: string; port: number; localAddress: string; durationMs: number }
  | {
      ok: false;
      error: 'refused' | 'timeout' | 'unreachable' | 'reset' | 'failure';
      code: string;
      message: string;
      durationMs: number;
    };

export interface NetAdapter {
  lookup(hostname: string, opts: NetOptions): Promise<LookupResult>;
  /** Opens a TCP connection and closes it again. */
  connect(address: string, port: number, opts: NetOptions): Promise<ConnectResult>;
}

function classifyConnectError(code: string): Exclude<ConnectResult, { ok: true }>['error'] {
  switch (code) {
    case 'ECONNREFUSED':
      return 'refused';
    case 'ETIMEDOUT':
    case 'ABORT_TIMEOUT':
      return 'timeout';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EADDRNOTAVAIL':
      return 'unreachable';
    case 'ECONNRESET':
      return 'reset';
    default:
      return 'failure';
  }
}

/** Static name → address overrides consulted before DNS (like a private /etc/hosts; used by the demo). */
export type HostsOverride = Readonly<Record<string, string>>;

export interface RealNetOptions extends GoResolverOptions {
  /** The node's files (/etc/resolv.conf, /etc/nsswitch.conf, /etc/hosts): the root-prefixed fs of the run. */
  fs?: FsAdapter;
}

/** The resolver's files under `--root`: the tree's when it has any of them (a mounted node filesystem: containerd
 *  on that node reads them), else this machine's — a copied tree of /etc/containerd alone says nothing about names,
 *  and the probes run from here. */
const RESOLVER_FILES = ['/etc/resolv.conf', '/etc/hosts', '/etc/nsswitch.conf'];

export async function resolverFiles(fs: FsAdapter): Promise<FsAdapter> {
  if (fs.root === '/') return fs;
  const present = await Promise.all(RESOLVER_FILES.map((f) => fs.stat(f).then(Boolean, () => true)));
  return present.some(Boolean) ? fs : new RootedFs('/');
}

export class RealNet implements NetAdapter {
  private files?: Promise<{ fs: FsAdapter; hosts: HostsCache }>;

  constructor(
    private readonly hosts: HostsOverride = {},
    private readonly options: RealNetOptions = {},
  ) {}

  private resolverFiles(): Promise<{ fs: FsAdapter; hosts: HostsCache }> {
    this.files ??= resolverFiles(this.options.fs ?? new RootedFs('/')).then((fs) => ({ fs, hosts: new HostsCache(fs) }));
    return this.files;
  }

  async lookup(hostname: string, opts: NetOptions): Promise<LookupResult> {
    const pinned = this.hosts[hostname.toLowerCase()];
    if (pinned !== undefined) {
      return { ok: true, addresses: [{ address: pinned, family: isIP(pinned) === 6 ? 6 : 4 }], durationMs: 0 };
    }
    if (isIP(hostname)) {
      return { ok: true, addresses: [{ address: hostname, family: isIP(hostname) as 4 | 6 }], durationMs: 0 };
    }
    const files = await this.resolverFiles();
    const cfg = await readResolverConfig(files.fs);
    const decision = decide(hostname, cfg, opts);
    if (decision.order === 'cgo') return libcLookup(hostname, opts, { resolver: 'libc', reason: decision.reason });
    return goLookup(hostname, { ...decision, order: decision.order }, cfg.resolv, (name) => files.hosts.lookup(name), {
      ...opts,
      dnsPort: this.options.dnsPort,
    });
  }

  connect(address: string, port: number, opts: NetOptions): Promise<ConnectResult> {
    const started = Date.now();
    return new Promise((resolve) => {
      let settled = false;
      const socket = net.connect({ host: address, port });
      const finish = (r: ConnectResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        socket.destroy();
        resolve(r);
      };
      const fail = (code: string, message: string) =>
        finish({ ok: false, error: classifyConnectError(code), code, message, durationMs: Date.now() - started });
      const onAbort = () => fail('ABORT_TIMEOUT', `dial tcp ${fmt(address, port)}: operation aborted`);
      const timer = setTimeout(
        () => fail('ETIMEDOUT', `dial tcp ${fmt(address, port)}: i/o timeout after ${opts.timeoutMs} ms`),
        opts.timeoutMs,
      );
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      socket.once('connect', () =>
        finish({
          ok: true,
          address,
          port,
          localAddress: socket.localAddress ?? '',
          durationMs: Date.now() - started,
        }),
      );
      socket.once('error', (err: NodeJS.ErrnoException) => {
        const code = err.code ?? 'EIO';
        const text =
          code === 'ECONNREFUSED'
            ? 'connect: connection refused'
            : code === 'EHOSTUNREACH'
              ? 'connect: no route to host'
              : code === 'ENETUNREACH'
                ? 'connect: network is unreachable'
                : err.message;
        fail(code, `dial tcp ${fmt(address, port)}: ${text}`);
      });
    });
  }
}

/** The child's program: one getaddrinfo through node:dns (the same libc and NSS modules), the answer as JSON. */
const GETADDRINFO = `require('node:dns').lookup(process.argv[1], { all: true, verbatim: true }, (e, a) =>
  process.stdout.write(JSON.stringify(e ? { code: e.code, message: e.message } : { addresses: a })))`;

type LibcAnswer = { addresses: { address: string; family: number }[] } | { code: string; message: string };

/** getaddrinfo in a child process, killed when `signal` aborts: a lookup libc keeps waiting on (resolv.conf timeout ×
 *  attempts) never holds a thread of this process's pool, so nothing delays its exit. Rejects only when the child
 *  cannot be started (the caller then resolves in-process). */
function childGetaddrinfo(hostname: string, env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<LibcAnswer> {
  return import('node:child_process').then(
    ({ spawn }) =>
      new Promise<LibcAnswer>((resolve, reject) => {
        const child = spawn(process.execPath, ['-e', GETADDRINFO, '--', hostname], { stdio: ['ignore', 'pipe', 'ignore'], env });
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          if (out.length < 1024 * 1024) out += d.toString();
        });
        const kill = () => child.kill('SIGKILL');
        signal.addEventListener('abort', kill, { once: true });
        child.on('error', (err) => {
          signal.removeEventListener('abort', kill);
          reject(err);
        });
        child.on('close', () => {
          signal.removeEventListener('abort', kill);
          try {
            resolve(JSON.parse(out) as LibcAnswer);
          } catch {
            // killed at the deadline (the caller has answered already), or a child that died: never a second lookup
            resolve({ code: 'EAI_FAIL', message: 'getaddrinfo gave no answer' });
          }
        });
      }),
  );
}

/** libc's getaddrinfo, as a cgo-resolving containerd, bounded (in a child process, see childGetaddrinfo). Go's cgo
 *  errors carry no server (net/cgo_unix.go: EAI_NONAME/EAI_NODATA → "no such host", EAI_AGAIN → gai_strerror's text). */
async function libcLookup(hostname: string, opts: NetOptions, via: ResolverVia): Promise<LookupResult> {
  const started = Date.now();
  const again = `lookup ${hostname}: Temporary failure in name resolution`;
  const stop = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const timeout = new Promise<LookupResult>((resolve) => {
    const give = (code: string, message: string) =>
      resolve({ ok: false, error: 'timeout', code, message, goError: again, durationMs: Date.now() - started, via });
    timer = setTimeout(() => give('ETIMEOUT', `lookup ${hostname}: i/o timeout after ${opts.timeoutMs} ms`), opts.timeoutMs);
    onAbort = () => give('ABORTED', `lookup ${hostname}: aborted`);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
  });
  // libc reads these from the resolving process's environment: the runtime's when known
  const from = opts.env ?? process.env;
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
  for (const k of ['LOCALDOMAIN', 'RES_OPTIONS', 'HOSTALIASES']) if (from[k] !== undefined) env[k] = from[k];
  const answer = childGetaddrinfo(hostname, env, stop.signal).catch(async (): Promise<LibcAnswer> =>
    (await import('node:dns/promises')).lookup(hostname, { all: true, verbatim: true }).then(
      (addresses) => ({ addresses }),
      (err: NodeJS.ErrnoException) => ({ code: err.code ?? 'EAI_FAIL', message: err.message }),
    ),
  );
  const work = answer.then((a): LookupResult => {
    if ('addresses' in a)
      return {
        ok: true,
        addresses: a.addresses.map((x) => ({ address: x.address, family: x.family === 6 ? 6 : 4 })),
        durationMs: Date.now() - started,
        via,
      };
    const notFound = a.code === 'ENOTFOUND' || a.code === 'EAI_NONAME' || a.code === 'ENODATA';
    return {
      ok: false,
      error: notFound ? 'not-found' : a.code === 'EAI_AGAIN' ? 'timeout' : 'failure',
      code: a.code,
      message: notFound ? `lookup ${hostname}: no such host` : `lookup ${hostname}: ${a.message}`,
      ...(notFound ? { goError: `lookup ${hostname}: no such host` } : a.code === 'EAI_AGAIN' ? { goError: again } : {}),
      durationMs: Date.now() - started,
      via,
    };
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
    stop.abort();
    if (onAbort) opts.signal?.removeEventListener('abort', onAbort);
  }
}

/** `ip:port`, an IPv6 address in brackets (Go's net.JoinHostPort). */
export const fmt = hostPort;
