// Kubernetes API access through the real kubectl binary, so every kubeconfig auth method (exec plugins, OIDC,
// client certificates, tokens) works. `--context`/`--kubeconfig` are passed through on every call.
// Objects are read with `kubectl get --raw <path>` (the API server's JSON as is). Lists are paged with
// `limit`/`continue` and parsed item by item as they stream in: the first page through `get --raw`, further pages
// through one short-lived `kubectl proxy` on a private unix socket (one credential-plugin run and one TLS session
// for the whole list instead of one kubectl per page; per-page `get --raw` is the fallback). `kubectl get -o json
// --chunk-size` would buffer the whole list inside kubectl and re-encode it (measured: 22 s for 50,000 events), so
// it is only used by getJson for small one-off reads.
import type { KubeError } from './kubectl/errors.js';
import { ListStreamParser, ListStreamError, DEFAULT_MAX_ITEM_BYTES, type SkippedItem } from './kubectl/list-stream.js';

export type { KubeError, KubeErrorKind } from './kubectl/errors.js';

export type KubeResult<T> = { ok: true; value: T } | KubeError;

/** Core/v1 resources regdoctor reads. */
export type KubeResource = 'pods' | 'events' | 'secrets' | 'serviceaccounts' | 'nodes' | 'namespaces' | 'configmaps';

const CLUSTER_SCOPED: ReadonlySet<KubeResource> = new Set(['nodes', 'namespaces']);

export interface KubeListOptions {
  namespace?: string;
  allNamespaces?: boolean;
  fieldSelector?: string;
  labelSelector?: string;
  /** Items per page (`limit`); default 500. */
  chunkSize?: number;
  signal?: AbortSignal;
}

export interface KubeListSummary {
  items: number;
  pages: number;
  /** Characters of JSON read. */
  bytes: number;
  /** Items over the item size limit, skipped (the list went on without them); the first few are described. */
  skipped: number;
  skippedItems: SkippedItem[];
  /** The item size limit in force. */
  maxItemBytes: number;
}

export type { SkippedItem } from './kubectl/list-stream.js';

export interface KubeAdapter {
  /** Runs `kubectl get <resource> [name] -o json` with context/kubeconfig/namespace passed through. */
  getJson<T = unknown>(
    resource: string,
    name?: string,
    opts?: { namespace?: string; allNamespaces?: boolean; fieldSelector?: string; chunkSize?: number; signal?: AbortSignal },
  ): Promise<KubeResult<T>>;
  /** One object by name (namespace defaults to -n, else the context's namespace). */
  get<T = unknown>(resource: KubeResource, name: string, opts?: { namespace?: string; signal?: AbortSignal }): Promise<KubeResult<T>>;
  /** Streams a list page by page, calling onItem for each item as it arrives; memory is bounded by one item. */
  list<T = unknown>(resource: KubeResource, opts: KubeListOptions, onItem: (item: T) => void): Promise<KubeResult<KubeListSummary>>;
  /** The namespace kubectl would use: -n, else the context's namespace, else `default`. */
  namespace(signal?: AbortSignal): Promise<KubeResult<string>>;
  /** e.g. `kubectl --context prod` (for evidence lines). */
  describe(): string;
}

export interface KubectlAdapterOptions {
  context?: string;
  kubeconfig?: string;
  namespace?: string;
  /** kubectl binary (default `kubectl` on PATH). */
  kubectl?: string;
  /** Environment for kubectl (default: this process's). PATH in it is used to find kubectl. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Per API request (`--request-timeout`), default 15 s. The process gets twice that plus 5 s. */
  requestTimeoutMs?: number;
  /** Extra global flags (e.g. `--cache-dir` in tests). */
  extraArgs?: string[];
  /** Largest list item parsed (characters of JSON); larger items are skipped and counted. Default 8 MiB. */
  maxItemBytes?: number;
}

const MAX_STDERR = 256 * 1024;
const MAX_OBJECT = 16 * 1024 * 1024;

function ok<T>(value: T): KubeResult<T> {
  return { ok: true, value };
}

export function apiPath(resource: KubeResource, namespace: string | undefined, name?: string): string {
  const ns = CLUSTER_SCOPED.has(resource) || namespace === undefined ? '' : `/namespaces/${encodeURIComponent(namespace)}`;
  return `/api/v1${ns}/${resource}${name !== undefined ? `/${encodeURIComponent(name)}` : ''}`;
}

export class KubectlAdapter implements KubeAdapter {
  private nsCache: Promise<KubeResult<string>> | undefined;
  private readonly file: string;
  private readonly requestTimeoutMs: number;

  constructor(private readonly opts: KubectlAdapterOptions = {}) {
    this.file = opts.kubectl ?? 'kubectl';
    this.requestTimeoutMs = opts.requestTimeoutMs ?? 15_000;
  }

  describe(): string {
    const parts = [this.file];
    if (this.opts.kubeconfig) parts.push(`--kubeconfig ${this.opts.kubeconfig}`);
    if (this.opts.context) parts.push(`--context ${this.opts.context}`);
    return parts.join(' ');
  }

  private globalArgs(): string[] {
    const a: string[] = [];
    if (this.opts.kubeconfig) a.push(`--kubeconfig=${this.opts.kubeconfig}`);
    if (this.opts.context) a.push(`--context=${this.opts.context}`);
    a.push(`--request-timeout=${Math.max(1, Math.ceil(this.requestTimeoutMs / 1000))}s`);
    if (this.opts.extraArgs) a.push(...this.opts.extraArgs);
    return a;
  }

  private get processTimeoutMs(): number {
    return this.requestTimeoutMs * 2 + 5_000;
  }

  private async execaOptions(signal?: AbortSignal) {
    const env = this.opts.env;
    return {
      reject: false,
      stdin: 'ignore' as const,
      timeout: this.processTimeoutMs,
      ...(signal ? { cancelSignal: signal } : {}),
      ...(env ? { env: env as Record<string, string>, extendEnv: false } : {}),
      // Never let kubectl prompt (e.g. for a password) at 3 a.m.
      forceKillAfterDelay: 2_000,
    };
  }

  /** Runs kubectl to completion with bounded output. */
  private async run(args: string[], signal?: AbortSignal, maxBuffer = MAX_OBJECT): Promise<KubeResult<string>> {
    const { execa } = await import('execa');
    const { parseKubectlError } = await import('./kubectl/errors.js');
    const r = await execa(this.file, [...this.globalArgs(), ...args], {
      ...(await this.execaOptions(signal)),
      maxBuffer,
      encoding: 'utf8',
    });
    if (r.exitCode === 0 && !r.failed) return ok(String(r.stdout));
    if (r.isMaxBuffer) return { ok: false, error: 'failure', message: `kubectl output exceeded ${maxBuffer} bytes` };
    return parseKubectlError({
      exitCode: r.exitCode,
      stderr: String(r.stderr ?? ''),
      notFound: (r as { code?: string }).code === 'ENOENT',
      timedOut: r.timedOut,
      canceled: r.isCanceled,
      file: this.file,
      timeoutMs: this.processTimeoutMs,
    });
  }

  namespace(signal?: AbortSignal): Promise<KubeResult<string>> {
    if (this.opts.namespace) return Promise.resolve(ok(this.opts.namespace));
    this.nsCache ??= this.run(['config', 'view', '--minify', '-o', 'jsonpath={.contexts[0].context.namespace}'], signal, 64 * 1024).then(
      (r) => {
        if (r.ok) return ok(r.value.trim() || 'default');
        // No kubeconfig/current context at all: let the API call report it (kubectl falls back to localhost:8080).
        if (!this.opts.context && /current-context must exist/.test(r.message)) return ok('default');
        return r;
      },
    );
    return this.nsCache;
  }

  async getJson<T = unknown>(
    resource: string,
    name?: string,
    o: { namespace?: string; allNamespaces?: boolean; fieldSelector?: string; chunkSize?: number; signal?: AbortSignal } = {},
  ): Promise<KubeResult<T>> {
    const args = ['get', resource];
    if (name) args.push(name);
    if (o.allNamespaces) args.push('--all-namespaces');
    else if (o.namespace ?? this.opts.namespace) args.push(`--namespace=${o.namespace ?? this.opts.namespace}`);
    if (o.fieldSelector) args.push(`--field-selector=${o.fieldSelector}`);
    if (o.chunkSize) args.push(`--chunk-size=${o.chunkSize}`);
    args.push('-o', 'json');
    const r = await this.run(args, o.signal);
    if (!r.ok) return r;
    try {
      return ok(JSON.parse(r.value) as T);
    } catch (err) {
      return { ok: false, error: 'failure', message: `kubectl printed invalid JSON: ${(err as Error).message}` };
    }
  }

  async get<T = unknown>(
    resource: KubeResource,
    name: string,
    o: { namespace?: string; signal?: AbortSignal } = {},
  ): Promise<KubeResult<T>> {
    let ns: string | undefined;
    if (!CLUSTER_SCOPED.has(resource)) {
      if (o.namespace !== undefined) ns = o.namespace;
      else {
        const r = await this.namespace(o.signal);
        if (!r.ok) return r;
        ns = r.value;
      }
    }
    const r = await this.run(['get', '--raw', apiPath(resource, ns, name)], o.signal);
    if (!r.ok) return r;
    try {
      const v = JSON.parse(r.value) as { kind?: string };
      if (v?.kind === 'Status')
        return { ok: false, error: 'failure', message: String((v as { message?: unknown }).message ?? 'API error') };
      return ok(v as T);
    } catch (err) {
      return { ok: false, error: 'failure', message: `the API server returned invalid JSON: ${(err as Error).message}` };
    }
  }

  async list<T = unknown>(resource: KubeResource, o: KubeListOptions, onItem: (item: T) => void): Promise<KubeResult<KubeListSummary>> {
    let ns: string | undefined;
    if (!CLUSTER_SCOPED.has(resource) && !o.allNamespaces) {
      if (o.namespace !== undefined) ns = o.namespace;
      else {
        const r = await this.namespace(o.signal);
        if (!r.ok) return r;
        ns = r.value;
      }
    }
    const limit = Math.max(1, Math.min(o.chunkSize ?? 500, 100_000));
    const base = apiPath(resource, ns);
    const pathFor = (cont?: string) => {
      const q = new URLSearchParams();
      q.set('limit', String(limit));
      if (o.fieldSelector) q.set('fieldSelector', o.fieldSelector);
      if (o.labelSelector) q.set('labelSelector', o.labelSelector);
      if (cont) q.set('continue', cont);
      return `${base}?${q.toString()}`;
    };
    const maxItemBytes = this.opts.maxItemBytes ?? DEFAULT_MAX_ITEM_BYTES;
    const summary: KubeListSummary = { items: 0, pages: 0, bytes: 0, skipped: 0, skippedItems: [], maxItemBytes };

    /** Feeds one page through a fresh parser; returns its continue token. */
    const page = async (
      fetch: (push: (chunk: string) => void) => Promise<{ ok: true } | KubeError>,
    ): Promise<KubeResult<string | undefined>> => {
      let cont: string | undefined;
      let kind: string | undefined;
      const parser = new ListStreamParser(
        {
          onKind: (k) => (kind = k),
          onMetadata: (m) => (cont = typeof m.continue === 'string' && m.continue !== '' ? m.continue : undefined),
          onItem: (item) => {
            summary.items++;
            onItem(item as T);
          },
          onSkip: (s) => {
            summary.skipped++;
            if (summary.skippedItems.length < 20) summary.skippedItems.push(s);
          },
        },
        maxItemBytes,
      );
      try {
        const r = await fetch((chunk) => parser.push(chunk));
        if (!r.ok) return r;
        parser.end();
      } catch (err) {
        if (err instanceof ListStreamError)
          return { ok: false, error: 'failure', message: `unexpected list response for ${resource}: ${err.message}` };
        throw err;
      }
      if (kind === 'Status') return { ok: false, error: 'failure', message: `the API server answered ${resource} with a Status object` };
      summary.pages++;
      summary.bytes += parser.bytes;
      return ok(cont);
    };

    // First page through `kubectl get --raw`: a one-page list costs one kubectl run.
    const first = await page((push) => this.rawStream(pathFor(), push, o.signal));
    if (!first.ok) return first;
    let cont = first.value;
    if (!cont) return ok(summary);
    // More pages: one `kubectl proxy` for the rest (one credential plugin run, one TLS session); if it cannot
    // start, keep paging with one kubectl run per page.
    const { KubectlProxy } = await import('./kubectl/proxy.js');
    const proxy = new KubectlProxy({
      file: this.file,
      args: this.globalArgs(),
      env: this.opts.env,
      startTimeoutMs: this.requestTimeoutMs,
      requestTimeoutMs: this.requestTimeoutMs,
      signal: o.signal,
    });
    const started = await proxy.start();
    try {
      while (cont) {
        if (o.signal?.aborted) return { ok: false, error: 'failure', message: 'kubectl was cancelled' };
        const path = pathFor(cont);
        const r = await page((push) => (started.ok ? proxy.get(path, push, o.signal) : this.rawStream(path, push, o.signal)));
        if (!r.ok) return r;
        cont = r.value;
      }
      return ok(summary);
    } finally {
      // Waits until kubectl has exited: no zombie or orphan left behind, socket directory removed.
      await proxy.close();
    }
  }

  /** `kubectl get --raw <path>`, stdout streamed to push. */
  private async rawStream(path: string, push: (chunk: string) => void, signal?: AbortSignal): Promise<{ ok: true } | KubeError> {
    const { execa } = await import('execa');
    const { parseKubectlError } = await import('./kubectl/errors.js');
    const child = execa(this.file, [...this.globalArgs(), 'get', '--raw', path], {
      ...(await this.execaOptions(signal)),
      buffer: { stdout: false, stderr: true },
      maxBuffer: { stderr: MAX_STDERR },
      encoding: 'utf8',
    });
    let pushError: unknown;
    try {
      child.stdout!.setEncoding('utf8');
      for await (const chunk of child.stdout!) {
        try {
          push(chunk as string);
        } catch (err) {
          pushError = err;
          break;
        }
      }
    } catch {
      // stream torn down (cancel, kill): the exit status below tells what happened
    }
    if (pushError) {
      child.kill();
      await child;
      throw pushError;
    }
    const r = await child;
    if (r.exitCode === 0 && !r.failed) return { ok: true };
    return parseKubectlError({
      exitCode: r.exitCode,
      stderr: String(r.stderr ?? ''),
      notFound: (r as { code?: string }).code === 'ENOENT',
      timedOut: r.timedOut,
      canceled: r.isCanceled,
      file: this.file,
      timeoutMs: this.processTimeoutMs,
    });
  }
}
