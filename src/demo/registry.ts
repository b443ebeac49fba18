// A small in-process OCI distribution registry (read-only): enough of the v2 API for regdoctor's probes, the demo,
// the benchmark and integration tests. Serves over plain HTTP or HTTPS (optionally requiring client certificates).
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';

export interface MiniRegistryOptions {
  host?: string;
  port?: number;
  /** HTTPS when given; plain HTTP otherwise. */
  tls?: {
    cert: string;
    key: string;
    /** Require and verify client certificates issued by these CAs (mTLS). */
    clientCa?: string;
    /** Extra chain certificates appended after the leaf (PEM). */
    chain?: string;
    /** OpenSSL cipher string (e.g. to serve SHA-1 certificates: 'DEFAULT@SECLEVEL=0'). */
    ciphers?: string;
  };
  /** repo → tags served. Default: { 'demo/app': ['1'] }. */
  repos?: Record<string, string[]>;
  /** Require HTTP Basic credentials on every /v2/ request. */
  basicAuth?: { username: string; password: string };
}

export interface MiniRegistry {
  url: string;
  port: number;
  host: string;
  close(): Promise<void>;
  /** Requests seen (method + path), for tests. */
  requests: string[];
}

const CONFIG = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] }, config: {} }));

function digest(b: Buffer): string {
  return `sha256:${createHash('sha256').update(b).digest('hex')}`;
}

function manifestFor(): Buffer {
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: digest(CONFIG), size: CONFIG.length },
      layers: [],
    }),
  );
}

function errorBody(code: string, message: string): string {
  return JSON.stringify({ errors: [{ code, message, detail: null }] });
}

export async function startMiniRegistry(opts: MiniRegistryOptions = {}): Promise<MiniRegistry> {
  const repos = opts.repos ?? { 'demo/app': ['1'] };
  const manifest = manifestFor();
  const manifestDigest = digest(manifest);
  const requests: string[] = [];
  const handler: http.RequestListener = (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push(`${req.method} ${url.pathname}`);
    res.setHeader('Docker-Distribution-API-Version', 'registry/2.0');
    if (opts.basicAuth) {
      const want = `Basic ${Buffer.from(`${opts.basicAuth.username}:${opts.basicAuth.password}`).toString('base64')}`;
      if (req.headers.authorization !== want) {
        res.writeHead(401, {
          'Content-Type': 'application/json',
          'WWW-Authenticate': 'Basic realm="regdoctor-demo"',
        });
        res.end(errorBody('UNAUTHORIZED', 'authentication required'));
        return;
      }
    }
    if (url.pathname === '/v2/' || url.pathname === '/v2') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{}');
      return;
    }
    const m = url.pathname.match(/^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/);
    if (!m) {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(errorBody('NOT_FOUND', 'not found'));
      return;
    }
    const [, repo, kind, ref] = m as unknown as [string, string, string, string];
    const tags = repos[repo];
    if (!tags) {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(errorBody('NAME_UNKNOWN', 'repository name not known to registry'));
      return;
    }
    if (kind === 'manifests') {
      if (!tags.includes(ref) && ref !== manifestDigest) {
        res.writeHead(404, { 'Content-Type': 'application/json' });
        res.end(errorBody('MANIFEST_UNKNOWN', 'manifest unknown'));
        return;
      }
      res.writeHead(200, {
        'Content-Type': 'application/vnd.oci.image.manifest.v1+json',
        'Content-Length': String(manifest.length),
        'Docker-Content-Digest': manifestDigest,
      });
      res.end(req.method === 'HEAD' ? undefined : manifest);
      return;
    }
    if (ref === digest(CONFIG)) {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(CONFIG.length) });
      res.end(req.method === 'HEAD' ? undefined : CONFIG);
      return;
    }
    res.writeHead(404, { 'Content-Type': 'application/json' });
    res.end(errorBody('BLOB_UNKNOWN', 'blob unknown to registry'));
  };

  const server = opts.tls
    ? https.createServer(
        {
          cert: opts.tls.chain ? `${opts.tls.cert.trim()}\n${opts.tls.chain.trim()}\n` : opts.tls.cert,
          key: opts.tls.key,
          ca: opts.tls.clientCa,
          requestCert: Boolean(opts.tls.clientCa),
          rejectUnauthorized: Boolean(opts.tls.clientCa),
          ciphers: opts.tls.ciphers,
        },
        handler,
      )
    : http.createServer(handler);
  server.keepAliveTimeout = 1000;
  server.headersTimeout = 5000;
  server.requestTimeout = 10_000;
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${opts.tls ? 'https' : 'http'}://${host}:${port}`,
    port,
    host,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
