// The API access of `regdoctor nodes`: one `kubectl proxy` on a unix socket in a private (0700) directory for the
// whole run (one credential-plugin run, one TLS session for hundreds of pod creates, polls, log reads and deletes),
// so every kubeconfig auth method works and nothing is re-implemented. The proxy runs in its own process group: a
// Ctrl-C in the terminal reaches regdoctor only, which still needs the proxy to delete what it created; close()
// and process exit end it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as http from 'node:http';
import { parseKubectlError, type KubeError } from '../adapters/kubectl/errors.js';
import { proxyError } from '../adapters/kubectl/proxy.js';

export interface NodesApiOptions {
  kubectl?: string;
  kubeconfig?: string;
  context?: string;
  env?: Readonly<Record<string, string | undefined>>;
  requestTimeoutMs?: number;
}

export type ApiResult<T> = { ok: true; value: T } | KubeError;

/** Largest body read (a node list page, a pod's logs). */
const MAX_BODY = 32 * 1024 * 1024;

export interface NodesApi {
  request(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    body?: unknown,
    opts?: { text?: boolean; maxBytes?: number },
  ): Promise<ApiResult<any>>;
  close(): Promise<void>;
}

export class KubectlNodesApi implements NodesApi {
  private child?: ChildProcess;
  private dir?: string;
  private socket?: string;
  private exited: Promise<void> = Promise.resolve();
  private readonly onExit = () => this.killSync();

  constructor(private readonly o: NodesApiOptions = {}) {}

  private args(): string[] {
    const a: string[] = [];
    if (this.o.kubeconfig) a.push(`--kubeconfig=${this.o.kubeconfig}`);
    if (this.o.context) a.push(`--context=${this.o.context}`);
    a.push(`--request-timeout=${Math.ceil((this.o.requestTimeoutMs ?? 15_000) / 1000)}s`);
    return a;
  }

  async start(): Promise<{ ok: true } | KubeError> {
    const file = this.o.kubectl ?? 'kubectl';
    this.dir = mkdtempSync(join(tmpdir(), 'regdoctor-nodes-'));
    this.socket = join(this.dir, 'api.sock');
    process.once('exit', this.onExit);
    const child = spawn(file, [...this.args(), 'proxy', `--unix-socket=${this.socket}`], {
      env: (this.o.env as NodeJS.ProcessEnv | undefined) ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.child = child;
    this.exited = new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.once('error', () => child.pid === undefined && resolve());
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => {
      if (stderr.length < 65536) stderr += d.toString('utf8');
    });
    return new Promise((resolve) => {
      let out = '';
      const timer = setTimeout(() => {
        void this.close();
        resolve({ ok: false, error: 'failure', message: `kubectl proxy did not start within ${this.o.requestTimeoutMs ?? 15_000} ms` });
      }, this.o.requestTimeoutMs ?? 15_000);
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString('utf8');
        if (/Starting to serve on/.test(out)) {
          clearTimeout(timer);
          child.stdout!.removeAllListeners('data');
          child.stdout!.resume();
          resolve({ ok: true });
        }
      });
      child.once('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        void this.close();
        resolve(parseKubectlError({ stderr: err.message, notFound: err.code === 'ENOENT', file }));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        void this.close();
        resolve(parseKubectlError({ exitCode: code ?? -1, stderr, file }));
      });
    });
  }

  request(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    body?: unknown,
    opts: { text?: boolean; maxBytes?: number } = {},
  ): Promise<ApiResult<any>> {
    return new Promise((resolve) => {
      if (!this.socket || !this.child || this.child.exitCode !== null) {
        resolve({ ok: false, error: 'failure', message: 'kubectl proxy is not running' });
        return;
      }
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const max = opts.maxBytes ?? MAX_BODY;
      const req = http.request(
        {
          socketPath: this.socket,
          path,
          method,
          headers: {
            Host: 'localhost',
            Accept: 'application/json',
            ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } : {}),
          },
          timeout: this.o.requestTimeoutMs ?? 15_000,
        },
        (res) => {
          let text = '';
          let over = false;
          res.setEncoding('utf8');
          res.on('data', (c: string) => {
            if (text.length + c.length > max) {
              over = true;
              res.destroy();
              return;
            }
            text += c;
          });
          const finish = () => {
            const status = res.statusCode ?? 0;
            if (over) return resolve({ ok: false, error: 'failure', message: `${method} ${path}: answer larger than ${max} bytes` });
            if (status < 200 || status > 299) return resolve(proxyError(status, res.headers['content-type'], text));
            if (opts.text) return resolve({ ok: true, value: text });
            try {
              resolve({ ok: true, value: text ? JSON.parse(text) : undefined });
            } catch (err) {
              resolve({ ok: false, error: 'failure', message: `${method} ${path}: invalid JSON: ${(err as Error).message}` });
            }
          };
          res.on('end', finish);
          res.on('close', () => over && finish());
          res.on('error', () => finish());
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.o.requestTimeoutMs ?? 15_000} ms`)));
      req.on('error', (err) => resolve({ ok: false, error: 'unreachable', message: `${method} ${path}: ${err.message}` }));
      req.end(payload);
    });
  }

  private killSync(): void {
    if (this.child?.pid && this.child.exitCode === null) {
      try {
        process.kill(-this.child.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }

  async close(): Promise<void> {
    process.removeListener('exit', this.onExit);
    if (this.child?.pid && this.child.exitCode === null) {
      try {
        process.kill(-this.child.pid, 'SIGTERM');
      } catch {
        // gone
      }
      const t = setTimeout(() => this.killSync(), 2000);
      await this.exited;
      clearTimeout(t);
    }
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.child = undefined;
    this.socket = undefined;
    this.dir = undefined;
  }
}
