// A short-lived `kubectl proxy` on a unix socket in a private (0700) directory: one kubectl process (one credential
// plugin run, one TLS session) serves many list pages over HTTP instead of one kubectl process per page. Used by the
// kube adapter for lists longer than one page; the proxy is stopped when the list ends.
// Clean-up on every path: close() waits until the child has exited (reaped: no zombie, no orphan left to PID 1) and
// removes the directory; process exit kills the child and removes the directory synchronously; SIGINT, SIGTERM and
// SIGHUP do the same and then let the signal take its default course when nobody else handles it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as http from 'node:http';
import type { KubeError } from './errors.js';
import { parseKubectlError } from './errors.js';

export interface ProxyOptions {
  file: string;
  args: string[];
  env?: Readonly<Record<string, string | undefined>>;
  startTimeoutMs: number;
  requestTimeoutMs: number;
  signal?: AbortSignal;
}

const MAX_ERROR_BODY = 64 * 1024;

/** Maps an API error answered through the proxy (Status JSON, or the proxy's own text for transport errors). */
export function proxyError(status: number, contentType: string | undefined, body: string): KubeError {
  if (/json/.test(contentType ?? '')) {
    try {
      const s = JSON.parse(body) as { kind?: string; reason?: string; message?: string; code?: number };
      if (s.kind === 'Status') {
        const reason =
          s.reason ?? (status === 403 ? 'Forbidden' : status === 404 ? 'NotFound' : status === 401 ? 'Unauthorized' : 'InternalError');
        if (reason === 'Unauthorized') return { ok: false, error: 'unauthorized', message: s.message ?? 'Unauthorized' };
        return parseKubectlError({ exitCode: 1, stderr: `Error from server (${reason}): ${s.message ?? ''}` });
      }
    } catch {
      // fall through
    }
  }
  const text = body.trim().split('\n')[0] ?? '';
  if (status === 401) return { ok: false, error: 'unauthorized', message: text || 'Unauthorized' };
  // kubectl proxy answers transport failures (refused, TLS, DNS) with a plain-text 500/502.
  return parseKubectlError({ exitCode: 1, stderr: `Unable to connect to the server: ${text || `HTTP ${status}`}` });
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** After SIGTERM, how long kubectl gets before SIGKILL. */
const KILL_AFTER_MS = 2_000;

export class KubectlProxy {
  private child?: ChildProcess;
  private dir?: string;
  private socket?: string;
  /** Resolves once the child has exited and been reaped (or could not be spawned). */
  private exited: Promise<void> = Promise.resolve();
  private readonly onAbort = () => this.child?.kill('SIGKILL');
  private readonly onProcessExit = () => this.cleanupSync();
  private signalHandlers: { sig: NodeJS.Signals; fn: () => void }[] = [];

  constructor(private readonly o: ProxyOptions) {}

  /** pid of the running `kubectl proxy` (undefined before start and after close). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the proxy; resolves once it serves, or with kubectl's error. */
  async start(): Promise<{ ok: true } | KubeError> {
    this.dir = mkdtempSync(join(tmpdir(), 'regdoctor-kubectl-'));
    this.socket = join(this.dir, 'api.sock');
    this.guard();
    const child = spawn(this.o.file, [...this.o.args, 'proxy', `--unix-socket=${this.socket}`], {
      env: (this.o.env as NodeJS.ProcessEnv | undefined) ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    // 'exit' is emitted after the child has been waited for; 'error' without a pid means it never ran.
    this.exited = new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.once('error', () => {
        if (child.pid === undefined) resolve();
      });
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => {
      if (stderr.length < MAX_ERROR_BODY) stderr += d.toString('utf8');
    });
    this.o.signal?.addEventListener('abort', this.onAbort, { once: true });
    if (this.o.signal?.aborted) this.onAbort();
    return new Promise((resolve) => {
      let out = '';
      const timer = setTimeout(() => {
        void this.close();
        resolve({ ok: false, error: 'failure', message: `kubectl proxy did not start within ${this.o.startTimeoutMs} ms` });
      }, this.o.startTimeoutMs);
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString('utf8');
        if (/Starting to serve on/.test(out)) {
          clearTimeout(timer);
          resolve({ ok: true });
        }
      });
      child.once('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        void this.close();
        resolve(parseKubectlError({ stderr: err.message, notFound: err.code === 'ENOENT', file: this.o.file }));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        void this.close();
        resolve(parseKubectlError({ exitCode: code ?? -1, stderr, file: this.o.file, canceled: this.o.signal?.aborted }));
      });
    });
  }

  /** GET path; streams a 200 body to onChunk, maps API/transport errors; rejects with what onChunk throws. */
  get(path: string, onChunk: (s: string) => void, signal?: AbortSignal): Promise<{ ok: true } | KubeError> {
    return new Promise((resolve, reject) => {
      if (!this.socket || !this.child || this.child.exitCode !== null) {
        resolve({ ok: false, error: 'failure', message: 'kubectl proxy is not running' });
        return;
      }
      let settled = false;
      const done = (r: { ok: true } | KubeError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve(r);
      };
      const req = http.request(
        { socketPath: this.socket, path, method: 'GET', headers: { Host: 'localhost', Accept: 'application/json' } },
        (res) => {
          res.setEncoding('utf8');
          if (res.statusCode !== 200) {
            let body = '';
            res.on('data', (d: string) => {
              if (body.length < MAX_ERROR_BODY) body += d;
            });
            res.on('end', () => done(proxyError(res.statusCode ?? 0, res.headers['content-type'], body)));
            res.on('error', (e) => done({ ok: false, error: 'failure', message: e.message }));
            return;
          }
          res.on('data', (d: string) => {
            if (settled) return;
            try {
              onChunk(d);
            } catch (err) {
              settled = true;
              clearTimeout(timer);
              signal?.removeEventListener('abort', onAbort);
              req.destroy();
              reject(err);
            }
          });
          res.on('end', () => done({ ok: true }));
          res.on('error', (e) => done({ ok: false, error: 'failure', message: e.message }));
        },
      );
      // Bounded per page: a stuck API server must not hang the scan.
      const timer = setTimeout(() => {
        req.destroy();
        done({
          ok: false,
          error: 'unreachable',
          detail: 'timeout',
          message: `the API server did not answer ${path.split('?')[0]} within ${this.o.requestTimeoutMs} ms`,
        });
      }, this.o.requestTimeoutMs);
      const onAbort = () => {
        req.destroy();
        done({ ok: false, error: 'failure', message: 'kubectl was cancelled' });
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      req.on('error', (e) => done({ ok: false, error: 'failure', message: `kubectl proxy: ${e.message}` }));
      req.end();
    });
  }

  /** Stops the proxy: SIGTERM (SIGKILL after 2 s), waits until the child is reaped, removes the directory. */
  async close(): Promise<void> {
    const child = this.child;
    const exited = this.exited;
    this.child = undefined;
    this.o.signal?.removeEventListener('abort', this.onAbort);
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
      await exited;
      clearTimeout(killer);
    } else await exited;
    this.removeDir();
    this.unguard();
  }

  /** For process exit and signals: no waiting possible, so SIGKILL and remove the directory now. */
  private cleanupSync(): void {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    this.removeDir();
  }

  private removeDir(): void {
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
    this.socket = undefined;
  }

  /** Process exit and signal handlers for as long as the proxy runs. A signal that nobody else handles stops the
   *  proxy (waiting for it to exit) and is then raised again, so the process ends as it would have. */
  private guard(): void {
    process.on('exit', this.onProcessExit);
    for (const sig of SIGNALS) {
      const handledBefore = process.listenerCount(sig) > 0;
      const fn = () => {
        const handled = handledBefore || process.listenerCount(sig) > 1;
        if (handled) return; // the owner of that handler (e.g. the CLI) cancels the list, which closes the proxy
        this.cleanupSync();
        void this.close().finally(() => {
          if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
        });
      };
      process.on(sig, fn);
      this.signalHandlers.push({ sig, fn });
    }
  }

  private unguard(): void {
    process.removeListener('exit', this.onProcessExit);
    for (const { sig, fn } of this.signalHandlers) process.removeListener(sig, fn);
    this.signalHandlers = [];
  }
}
