// Real HTTP adapter on undici: per-request connect/header/body timeouts, an overall deadline, the caller's abort
// signal, a body cap (a 100 MB body is cut, never buffered), no redirects, TLS options, proxy, private hosts map.
import type { HttpAdapter, HttpErrorKind, HttpRequest, HttpResult } from './http.js';
import type { HostsOverride, LookupResult, NetOptions } from './net.js';
import { lookup as dnsLookup } from 'node:dns';

type Undici = typeof import('undici');
let undiciPromise: Promise<Undici> | undefined;
function loadUndici(): Promise<Undici> {
  undiciPromise ??= import('undici');
  return undiciPromise;
}

function classify(err: unknown): { kind: HttpErrorKind; code?: string; message: string } {
  const e = err as { code?: string; message?: string; name?: string; cause?: { code?: string; message?: string } };
  const code = e.code ?? e.cause?.code;
  const message = e.cause?.message ?? e.message ?? String(err);
  if (e.name === 'AbortError' || code === 'ABORT_ERR') return { kind: 'aborted', code, message: 'request aborted' };
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
    case 'ETIMEDOUT':
      return { kind: 'timeout', code, message };
    case 'ECONNREFUSED':
      return { kind: 'refused', code, message };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { kind: 'dns', code, message };
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
    case 'EPIPE':
      return { kind: 'reset', code, message };
    default:
      if (code?.startsWith('ERR_SSL') || /ssl|tls|certificate/i.test(message)) return { kind: 'tls', code, message };
      if (code?.startsWith('HPE_') || code === 'UND_ERR_INFO') return { kind: 'protocol', code, message };
      return { kind: 'other', code, message };
  }
}

/**
 * The `ca` option for node:tls. A request that does not verify gets an empty list: without one, node:tls builds its
 * bundled root store on the first connection (~25–30 ms of CPU on the diagnosis' critical path) only to compute an
 * `authorized` flag nobody reads. A verifying request names its pool (the runtime's, never Node's own).
 */
export function caOption(tls: HttpRequest['tls']): string[] | undefined {
  if (tls?.ca !== undefined) return tls.ca;
  return tls?.rejectUnauthorized ? undefined : [];
}

/** Direct requests on node:http(s): loads in a few ms, where undici costs ~100 ms of start-up per run. */
function directRequest(req: HttpRequest, lookup: (h: string, o: object, cb: (...a: unknown[]) => void) => void): Promise<HttpResult> {
  const started = Date.now();
  return Promise.all([import('node:http'), import('node:https')]).then(
    ([http, https]) =>
      new Promise<HttpResult>((resolve) => {
        const u = new URL(req.url);
        const maxBody = req.maxBodyBytes ?? 1024 * 1024;
        let settled = false;
        const done = (r: HttpResult) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          req.signal?.removeEventListener('abort', onAbort);
          resolve(r);
        };
        const mod = u.protocol === 'https:' ? https : http;
        const r = mod.request(
          {
            protocol: u.protocol,
            hostname: u.hostname.replace(/^\[|\]$/g, ''),
            port: u.port || (u.protocol === 'https:' ? 443 : 80),
            path: `${u.pathname}${u.search}`,
            method: req.method ?? 'GET',
            headers: { ...req.headers, ...(req.body !== undefined ? { 'content-length': String(Buffer.byteLength(req.body)) } : {}) },
            agent: false,
            lookup: lookup as unknown as import('node:net').LookupFunction,
            rejectUnauthorized: req.tls?.rejectUnauthorized ?? false,
            ca: caOption(req.tls),
            cert: req.tls?.cert,
            key: req.tls?.key,
            servername: req.tls?.servername,
          },
          (res) => {
            const chunks: Buffer[] = [];
            let size = 0;
            let truncated = false;
            const finish = () => {
              const headers: Record<string, string | string[]> = {};
              for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k.toLowerCase()] = v;
              done({
                ok: true,
                response: {
                  status: res.statusCode ?? 0,
                  headers,
                  body: Buffer.concat(chunks),
                  truncated,
                  url: req.url,
                  durationMs: Date.now() - started,
                },
              });
              res.destroy();
              r.destroy();
            };
            if (req.method === 'HEAD') return finish();
            res.on('data', (c: Buffer) => {
              const room = maxBody - size;
              if (c.length > room) {
                if (room > 0) chunks.push(c.subarray(0, room));
                size = maxBody;
                truncated = true;
                finish();
                return;
              }
              chunks.push(c);
              size += c.length;
            });
            res.on('end', finish);
            res.on('error', (err) => done({ ok: false, error: classify(err), durationMs: Date.now() - started }));
          },
        );
        const onAbort = () => {
          r.destroy();
          done({ ok: false, error: { kind: 'aborted', message: 'request aborted' }, durationMs: Date.now() - started });
        };
        const timer = setTimeout(() => {
          r.destroy();
          done({
            ok: false,
            error: { kind: 'timeout', message: `no complete response within ${req.timeoutMs} ms` },
            durationMs: Date.now() - started,
          });
        }, req.timeoutMs);
        req.signal?.addEventListener('abort', onAbort, { once: true });
        r.on('error', (err) => done({ ok: false, error: classify(err), durationMs: Date.now() - started }));
        r.end(req.body);
      }),
  );
}

/** Name resolution for requests: the net adapter's (containerd's Go resolver replayed), else libc's getaddrinfo. */
export type HttpResolve = (hostname: string, opts: NetOptions) => Promise<LookupResult>;

export class RealHttp implements HttpAdapter {
  constructor(
    private readonly hosts: HostsOverride = {},
    private readonly resolve?: HttpResolve,
  ) {}

  async request(req: HttpRequest): Promise<HttpResult> {
    // A URL taken from a server (token realm, Location) may be anything: answer like Go's client, never throw.
    let protocol: string;
    try {
      protocol = new URL(req.url).protocol;
    } catch {
      return { ok: false, error: { kind: 'protocol', message: `parse "${req.url}": invalid URL` }, durationMs: 0 };
    }
    if (protocol !== 'http:' && protocol !== 'https:')
      return {
        ok: false,
        error: { kind: 'protocol', message: `unsupported protocol scheme "${protocol.replace(/:$/, '')}"` },
        durationMs: 0,
      };
    if (!req.proxy) return directRequest(req, this.lookup(req));
    return this.viaUndici(req);
  }

  private lookup(req: HttpRequest) {
    const hosts = this.hosts;
    const resolve = this.resolve;
    return (hostname: string, options: object, cb: (...a: unknown[]) => void) => {
      const all = (options as { all?: boolean }).all;
      const pinned = hosts[hostname.toLowerCase()];
      if (pinned) {
        const family = pinned.includes(':') ? 6 : 4;
        return all ? cb(null, [{ address: pinned, family }]) : cb(null, pinned, family);
      }
      if (resolve) {
        // the request's own bound and signal; a failure reads as Go's lookup error
        void resolve(hostname, { timeoutMs: req.timeoutMs, signal: req.signal }).then((r) => {
          if (!r.ok) {
            const err = Object.assign(new Error(r.goError ?? r.message), {
              code: r.error === 'not-found' ? 'ENOTFOUND' : r.error === 'timeout' ? 'EAI_AGAIN' : r.code,
              hostname,
            });
            return cb(err);
          }
          const list = r.addresses.map((a) => ({ address: a.address, family: a.family }));
          return all ? cb(null, list) : cb(null, list[0]!.address, list[0]!.family);
        });
        return;
      }
      return (dnsLookup as (h: string, o: object, c: (...a: unknown[]) => void) => void)(hostname, options, cb);
    };
  }

  /** Through an HTTP(S) proxy: undici's ProxyAgent (CONNECT for https targets). */
  private async viaUndici(req: HttpRequest): Promise<HttpResult> {
    const started = Date.now();
    const { Agent, ProxyAgent, request } = await loadUndici();
    const maxBody = req.maxBodyBytes ?? 1024 * 1024;
    const lookup = this.lookup(req);
    const connect = {
      rejectUnauthorized: req.tls?.rejectUnauthorized ?? false,
      ca: caOption(req.tls),
      cert: req.tls?.cert,
      key: req.tls?.key,
      servername: req.tls?.servername,
      timeout: req.timeoutMs,
      lookup: lookup as unknown as import('node:net').LookupFunction,
    };
    const dispatcher = req.proxy
      ? new ProxyAgent({ uri: req.proxy, requestTls: connect, proxyTls: { rejectUnauthorized: false }, connectTimeout: req.timeoutMs })
      : new Agent({ connect, headersTimeout: req.timeoutMs, bodyTimeout: req.timeoutMs, connectTimeout: req.timeoutMs, pipelining: 0 });
    const deadline = AbortSignal.timeout(req.timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, deadline]) : deadline;
    // undici does not act on the signal while its ProxyAgent waits for the proxy's CONNECT answer (a proxy that
    // answers a byte a second held a request far past its bound): the bound is kept here as well, by destroying the
    // dispatcher, whatever phase the request is in.
    let stop: (() => void) | undefined;
    const bounded = new Promise<HttpResult>((resolve) => {
      const timer = setTimeout(() => {
        resolve({
          ok: false,
          error: { kind: 'timeout', message: `no complete response within ${req.timeoutMs} ms` },
          durationMs: Date.now() - started,
        });
        dispatcher.destroy().catch(() => undefined);
      }, req.timeoutMs);
      const onAbort = () => {
        resolve({ ok: false, error: { kind: 'aborted', message: 'request aborted' }, durationMs: Date.now() - started });
        dispatcher.destroy().catch(() => undefined);
      };
      req.signal?.addEventListener('abort', onAbort, { once: true });
      stop = () => {
        clearTimeout(timer);
        req.signal?.removeEventListener('abort', onAbort);
      };
    });
    try {
      return await Promise.race([bounded, this.undiciExchange(req, request, dispatcher, signal, deadline, maxBody, started)]);
    } finally {
      stop?.();
      dispatcher.destroy().catch(() => undefined);
    }
  }

  /** One request on an undici dispatcher: the body read up to maxBody. */
  private async undiciExchange(
    req: HttpRequest,
    request: Undici['request'],
    dispatcher: import('undici').Dispatcher,
    signal: AbortSignal,
    deadline: AbortSignal,
    maxBody: number,
    started: number,
  ): Promise<HttpResult> {
    try {
      const res = await request(req.url, {
        method: req.method ?? 'GET',
        headers: req.headers,
        body: req.body,
        dispatcher,
        signal,
        maxRedirections: 0,
      } as Parameters<typeof request>[1]);
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      if (req.method !== 'HEAD') {
        for await (const chunk of res.body as AsyncIterable<Buffer>) {
          const room = maxBody - size;
          if (chunk.length > room) {
            if (room > 0) chunks.push(chunk.subarray(0, room));
            size = maxBody;
            truncated = true;
            break;
          }
          chunks.push(chunk);
          size += chunk.length;
        }
      }
      if (truncated || req.method === 'HEAD') {
        res.body.on('error', () => undefined);
        res.body.destroy();
      }
      const headers: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k.toLowerCase()] = v as string | string[];
      return {
        ok: true,
        response: {
          status: res.statusCode,
          headers,
          body: Buffer.concat(chunks),
          truncated,
          url: req.url,
          durationMs: Date.now() - started,
        },
      };
    } catch (err) {
      if (deadline.aborted && !req.signal?.aborted) {
        return {
          ok: false,
          error: { kind: 'timeout', message: `no complete response within ${req.timeoutMs} ms` },
          durationMs: Date.now() - started,
        };
      }
      return { ok: false, error: classify(err), durationMs: Date.now() - started };
    }
  }
}
