// Name resolution and TCP reachability, each bounded by a timeout and an abort signal.
import * as net from 'node:net';
import { isIP } from '../text/ip.js';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export type LookupResult =
  | { ok: true; addresses: ResolvedAddress[]; durationMs: number }
  | { ok: false; error: 'not-found' | 'timeout' | 'failure'; code: string; message: string; durationMs: number };

export type ConnectResult =
  | { ok: true; address: string; port: number; localAddress: string; durationMs: number }
  | {
      ok: false;
      error: 'refused' | 'timeout' | 'unreachable' | 'reset' | 'failure';
      code: string;
      message: string;
      durationMs: number;
    };

export interface NetOptions {
  timeoutMs: number;
  signal?: AbortSignal;
}

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

export class RealNet implements NetAdapter {
  constructor(private readonly hosts: HostsOverride = {}) {}

  async lookup(hostname: string, opts: NetOptions): Promise<LookupResult> {
    const started = Date.now();
    const pinned = this.hosts[hostname.toLowerCase()];
    if (pinned !== undefined) {
      return { ok: true, addresses: [{ address: pinned, family: isIP(pinned) === 6 ? 6 : 4 }], durationMs: 0 };
    }
    if (isIP(hostname)) {
      return { ok: true, addresses: [{ address: hostname, family: isIP(hostname) as 4 | 6 }], durationMs: 0 };
    }
    const { lookup } = await import('node:dns/promises');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<LookupResult>((resolve) => {
      timer = setTimeout(
        () =>
          resolve({
            ok: false,
            error: 'timeout',
            code: 'ETIMEOUT',
            message: `lookup ${hostname}: i/o timeout after ${opts.timeoutMs} ms`,
            durationMs: Date.now() - started,
          }),
        opts.timeoutMs,
      );
      opts.signal?.addEventListener(
        'abort',
        () =>
          resolve({
            ok: false,
            error: 'timeout',
            code: 'ABORTED',
            message: `lookup ${hostname}: aborted`,
            durationMs: Date.now() - started,
          }),
        { once: true },
      );
    });
    const work = lookup(hostname, { all: true, verbatim: true }).then(
      (addrs): LookupResult => ({
        ok: true,
        addresses: addrs.map((a) => ({ address: a.address, family: a.family as 4 | 6 })),
        durationMs: Date.now() - started,
      }),
      (err: NodeJS.ErrnoException): LookupResult => {
        const code = err.code ?? 'EAI_FAIL';
        const notFound = code === 'ENOTFOUND' || code === 'EAI_NONAME' || code === 'ENODATA';
        return {
          ok: false,
          error: notFound ? 'not-found' : code === 'EAI_AGAIN' ? 'timeout' : 'failure',
          code,
          message: notFound ? `lookup ${hostname}: no such host` : `lookup ${hostname}: ${err.message}`,
          durationMs: Date.now() - started,
        };
      },
    );
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
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

export function fmt(address: string, port: number): string {
  return isIP(address) === 6 ? `[${address}]:${port}` : `${address}:${port}`;
}
