// The registry API probe against real HTTPS servers: missing tags, auth required, rate limits, platform
// mismatch, a token realm on another host (unverifiable certificate / unreachable), and an HTTPS proxy in the path.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as https from 'node:https';
import * as http from 'node:http';
import * as net from 'node:net';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createCA, issueCert, selfSigned } from '../../src/x509/build.js';
import { diagnose, DEFAULT_RUN_OPTIONS } from '../../src/app/diagnose.js';
import { parseTarget } from '../../src/core/reference.js';
import { createRealAdapters } from '../../src/app/adapters.js';
import type { Report } from '../../src/core/report.js';

const ca = createCA({ cn: 'API Test CA' });
const D = 'api.test';
let nodeRoot: string;
const closers: (() => void)[] = [];
const port: Record<string, number> = {};
const hosts: Record<string, string> = {};

function registryHandler(opts: { realm?: () => string; manifest?: (res: http.ServerResponse) => void }): http.RequestListener {
  return (req, res) => {
    res.setHeader('Docker-Distribution-API-Version', 'registry/2.0');
    if (opts.realm && req.headers.authorization !== 'Bearer good-token') {
      res.writeHead(401, { 'WWW-Authenticate': `Bearer realm="${opts.realm()}",service="api-test"`, 'Content-Type': 'application/json' });
      return res.end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
    }
    if (req.url === '/v2/') {
      res.writeHead(200);
      return res.end('{}');
    }
    if (opts.manifest) return opts.manifest(res);
    res.writeHead(404, { 'Content-Type': 'application/json' });
    res.end('{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}');
  };
}

async function serve(name: string, server: net.Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  closers.push(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });
  port[name] = (server.address() as net.AddressInfo).port;
  hosts[`${name}.${D}`] = '127.0.0.1';
  return port[name]!;
}

async function trust(name: string) {
  const host = `${name}.${D}:${port[name]}`;
  const dir = path.join(nodeRoot, 'etc/containerd/certs.d', host);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'ca.crt'), ca.certPem);
  await writeFile(path.join(dir, 'hosts.toml'), `server = "https://${host}"\nca = "ca.crt"\n`);
}

const tlsFor = (name: string) => {
  const c = issueCert(ca, { cn: `${name}.${D}`, dns: [`${name}.${D}`] });
  return { cert: c.certPem, key: c.keyPem };
};

beforeAll(async () => {
  nodeRoot = await mkdtemp(path.join(tmpdir(), 'regdoctor-api-'));
  await mkdir(path.join(nodeRoot, 'etc/containerd'), { recursive: true });
  await writeFile(
    path.join(nodeRoot, 'etc/containerd/config.toml'),
    'version = 2\n[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/etc/containerd/certs.d"\n',
  );

  await serve('missing', https.createServer(tlsFor('missing'), registryHandler({})));
  await serve(
    'limited',
    https.createServer(
      tlsFor('limited'),
      registryHandler({
        manifest: (res) => (res.writeHead(429, { 'RateLimit-Limit': '100;w=21600', 'RateLimit-Remaining': '0' }), res.end()),
      }),
    ),
  );
  await serve(
    'multiarch',
    https.createServer(
      tlsFor('multiarch'),
      registryHandler({
        manifest: (res) => {
          res.writeHead(200, {
            'Content-Type': 'application/vnd.oci.image.index.v1+json',
            'Docker-Content-Digest': `sha256:${'1'.repeat(64)}`,
          });
          res.end(
            JSON.stringify({
              schemaVersion: 2,
              manifests: [{ platform: { os: 'linux', architecture: 's390x' } }, { platform: { os: 'windows', architecture: 'amd64' } }],
            }),
          );
        },
      }),
    ),
  );
  // token service on another host, with a self-signed certificate the node does not trust
  const authCert = selfSigned({ cn: `auth.${D}`, dns: [`auth.${D}`] });
  await serve(
    'auth',
    https.createServer({ cert: authCert.certPem, key: authCert.keyPem }, (_q, r) => (r.writeHead(200), r.end('{"token":"good-token"}'))),
  );
  await serve('badrealm', https.createServer(tlsFor('badrealm'), registryHandler({ realm: () => `https://auth.${D}:${port.auth}/token` })));
  // token service on another host that is down
  const dead = net.createServer();
  await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
  const deadPort = (dead.address() as net.AddressInfo).port;
  dead.close();
  hosts[`down.${D}`] = '127.0.0.1';
  await serve(
    'deadrealm',
    https.createServer(tlsFor('deadrealm'), registryHandler({ realm: () => `https://down.${D}:${deadPort}/token` })),
  );
  // a working token service on the trusted CA
  await serve(
    'goodauth',
    https.createServer(tlsFor('goodauth'), (_q, r) => (r.writeHead(200), r.end('{"token":"good-token"}'))),
  );
  await serve(
    'tokened',
    https.createServer(
      tlsFor('tokened'),
      registryHandler({
        realm: () => `https://goodauth.${D}:${port.goodauth}/token`,
        manifest: (res) => (
          res.writeHead(200, {
            'Content-Type': 'application/vnd.oci.image.manifest.v1+json',
            'Docker-Content-Digest': `sha256:${'2'.repeat(64)}`,
          }),
          res.end('{}')
        ),
      }),
    ),
  );
  // CONNECT proxies: one that tunnels, one that demands authentication
  const tunnel = http.createServer();
  tunnel.on('connect', (req: http.IncomingMessage, client: net.Socket) => {
    const [h, p] = req.url!.split(':');
    const upstream = net.connect(Number(p), hosts[h!] ?? h!, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await serve('proxy', tunnel);
  const strict = http.createServer();
  strict.on('connect', (_req: http.IncomingMessage, client: net.Socket) =>
    client.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n'),
  );
  await serve('strictproxy', strict);
  for (const n of ['missing', 'limited', 'multiarch', 'badrealm', 'deadrealm', 'tokened', 'goodauth']) await trust(n);
}, 60_000);

afterAll(async () => {
  for (const c of closers) c();
  await rm(nodeRoot, { recursive: true, force: true });
});

async function diag(name: string, repo = 'team/app:1', env: Record<string, string> = {}): Promise<Report> {
  const { report } = await diagnose({
    target: parseTarget(`${name}.${D}:${port[name]}/${repo}`),
    options: { ...DEFAULT_RUN_OPTIONS, root: nodeRoot, pull: false, probeTimeoutMs: 3000, goVersion: 'go1.19.8' },
    adapters: createRealAdapters({ root: nodeRoot, hosts, env }),
  });
  return report;
}

describe('registry API', () => {
  it("a missing tag is not-found, with containerd's wording", async () => {
    const r = await diag('missing');
    expect(r.verdict.code).toBe('not-found');
    expect(r.verdict.predictedRuntimeError).toBe(
      `failed to pull and unpack image "missing.${D}:${port.missing}/team/app:1": failed to resolve reference "missing.${D}:${port.missing}/team/app:1": missing.${D}:${port.missing}/team/app:1: not found`,
    );
  });

  it('429 is rate-limited', async () => {
    const r = await diag('limited');
    expect(r.verdict.code).toBe('rate-limited');
    expect(r.verdict.summary).toContain('remaining: 0');
  });

  it('an index without linux/<arch> is platform-mismatch', async () => {
    const r = await diag('multiarch');
    expect(r.verdict.code).toBe('platform-mismatch');
    expect(r.verdict.summary).toContain('linux/s390x');
  });

  it('a token realm on another host with an untrusted certificate: the realm host is named, not the registry', async () => {
    const r = await diag('badrealm');
    expect(r.verdict.code).toBe('self-signed');
    const f = r.findings.find((x) => x.code === 'self-signed')!;
    expect(f.host).toBe(`auth.${D}:${port.auth}`);
    expect(f.predictedRuntimeError).toBe(
      `failed to pull and unpack image "badrealm.${D}:${port.badrealm}/team/app:1": failed to resolve reference "badrealm.${D}:${port.badrealm}/team/app:1": failed to authorize: failed to fetch anonymous token: Get "https://auth.${D}:${port.auth}/token?scope=repository%3Ateam%2Fapp%3Apull&service=api-test": x509: certificate signed by unknown authority`,
    );
    // the registry's own TLS is fine
    expect(r.checks.find((c) => c.id === 'go-verify')!.status).toBe('pass');
  });

  it('a token realm that is down is connection-refused for that host', async () => {
    const r = await diag('deadrealm');
    expect(r.verdict.code).toBe('connection-refused');
    expect(r.findings[0]!.host).toMatch(new RegExp(`^down\\.${D.replace('.', '\\.')}:`));
    expect(r.verdict.predictedRuntimeError).toContain('failed to authorize: failed to fetch anonymous token: Get "https://down.');
  });

  it('a working token flow is healthy', async () => {
    const r = await diag('tokened');
    expect(r.verdict.code).toBe('healthy');
    expect(r.checks.find((c) => c.id === 'registry-api')!.evidence.join('\n')).toMatch(/token realm is on another host/);
  });

  it('through an HTTPS proxy: reported, and the diagnosis goes through the tunnel', async () => {
    const r = await diag('tokened', 'team/app:1', { HTTPS_PROXY: `http://127.0.0.1:${port.proxy}` });
    expect(r.verdict.code).toBe('healthy');
    expect(r.findings.find((f) => f.code === 'proxy')!.severity).toBe('info');
  });

  it("a proxy that refuses the tunnel is the cause, with Go's wording", async () => {
    const r = await diag('missing', 'team/app:1', { HTTPS_PROXY: `http://127.0.0.1:${port.strictproxy}` });
    expect(r.verdict.code).toBe('proxy');
    expect(r.verdict.predictedRuntimeError).toMatch(/: Proxy Authentication Required$/);
  });

  it('NO_PROXY exempts the registry', async () => {
    const r = await diag('missing', 'team/app:1', { HTTPS_PROXY: `http://127.0.0.1:${port.strictproxy}`, NO_PROXY: `.${D}` });
    expect(r.verdict.code).toBe('not-found');
  });
});
