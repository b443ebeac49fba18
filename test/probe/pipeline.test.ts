// One probe pipeline: the endpoint walk (every host containerd tries) and the main probe checks (tcp-connect,
// tls-handshake, cert-chain/go-verify, registry-api on the endpoint that decides the pull) examine an endpoint with the
// same implementation, so the same endpoint yields identical facts through both paths — direct, with a certificate
// Go rejects, and through the HTTPS proxy the runtime's environment names. Real TLS servers on loopback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as https from 'node:https';
import * as http from 'node:http';
import * as net from 'node:net';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createCA, issueCert } from '../../src/x509/build.js';
import { diagnose, DEFAULT_RUN_OPTIONS } from '../../src/app/diagnose.js';
import { parseTarget } from '../../src/core/reference.js';
import { createRealAdapters } from '../../src/app/adapters.js';
import type { DiagnosisResult } from '../../src/app/diagnose.js';
import type { Adapters } from '../../src/core/adapters.js';

const D = 'pipe.test';
const ca = createCA({ cn: 'Pipeline Test CA' });
let nodeRoot: string;
const closers: (() => void)[] = [];
const port: Record<string, number> = {};
/** What the adapters resolve names to. `far` points at an address where nothing listens: only the proxy reaches it. */
const hosts: Record<string, string> = {};
/** What the proxy resolves names to. */
const proxyHosts: Record<string, string> = {};

const MANIFEST = { 'Content-Type': 'application/vnd.oci.image.manifest.v1+json', 'Docker-Content-Digest': `sha256:${'3'.repeat(64)}` };

/** A registry that wants an anonymous bearer token from `auth`, then serves every manifest. */
const registry: http.RequestListener = (req, res) => {
  res.setHeader('Docker-Distribution-API-Version', 'registry/2.0');
  if (req.headers.authorization !== 'Bearer anon-token') {
    res.writeHead(401, { 'WWW-Authenticate': `Bearer realm="https://auth.${D}:${port.auth}/token",service="pipe"` });
    return res.end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
  }
  if (req.url === '/v2/') return res.writeHead(200).end('{}');
  res.writeHead(200, MANIFEST).end('{}');
};

/** A mirror that answers 400 for team/app (containerd keeps that error and tries the next host) and 404 otherwise. */
const mirror: http.RequestListener = (req, res) => {
  res.setHeader('Docker-Distribution-API-Version', 'registry/2.0');
  if (req.url === '/v2/') return res.writeHead(200).end('{}');
  if (req.url?.startsWith('/v2/team/app/')) return res.writeHead(400).end('{"errors":[{"code":"UNSUPPORTED"}]}');
  res.writeHead(404).end('{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}');
};

async function serve(name: string, server: net.Server, adapterAddress = '127.0.0.1'): Promise<void> {
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
  hosts[`${name}.${D}`] = adapterAddress;
  proxyHosts[`${name}.${D}`] = '127.0.0.1';
}

const tlsFor = (name: string, dns = `${name}.${D}`) => {
  const c = issueCert(ca, { cn: dns, dns: [dns] });
  return { cert: c.certPem, key: c.keyPem };
};

/** hosts.toml: the mirror first (pull, resolve), then the registry as `server`, both with the test CA. */
async function withMirror(name: string): Promise<void> {
  const host = `${name}.${D}:${port[name]}`;
  const dir = path.join(nodeRoot, 'etc/containerd/certs.d', host);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'ca.crt'), ca.certPem);
  await writeFile(
    path.join(dir, 'hosts.toml'),
    `server = "https://${host}"\nca = "ca.crt"\n\n[host."https://mirror.${D}:${port.mirror}"]\n  capabilities = ["pull", "resolve"]\n  ca = "ca.crt"\n`,
  );
}

beforeAll(async () => {
  nodeRoot = await mkdtemp(path.join(tmpdir(), 'regdoctor-pipeline-'));
  await mkdir(path.join(nodeRoot, 'etc/containerd'), { recursive: true });
  await writeFile(
    path.join(nodeRoot, 'etc/containerd/config.toml'),
    'version = 2\n[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/etc/containerd/certs.d"\n',
  );
  await serve(
    'auth',
    https.createServer(tlsFor('auth'), (_q, r) => r.writeHead(200, { 'Content-Type': 'application/json' }).end('{"token":"anon-token"}')),
  );
  await serve('mirror', https.createServer(tlsFor('mirror'), mirror));
  await serve('reg', https.createServer(tlsFor('reg'), registry));
  // a certificate for another name: Go's verification fails for badname
  await serve('badname', https.createServer(tlsFor('badname', `elsewhere.${D}`), registry));
  // reachable only through the proxy: the node resolves it to 127.0.0.2, where nothing listens
  await serve('far', https.createServer(tlsFor('far'), registry), '127.0.0.2');
  const tunnel = http.createServer();
  tunnel.on('connect', (req: http.IncomingMessage, client: net.Socket) => {
    const [h, p] = req.url!.split(':');
    const to = proxyHosts[h!];
    if (!to) return client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
    const upstream = net.connect(Number(p), to, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await serve('proxy', tunnel);
  // a proxy that tunnels only to the registry itself (refuses the mirror and the token service)
  const picky = http.createServer();
  picky.on('connect', (req: http.IncomingMessage, client: net.Socket) => {
    const [h, p] = req.url!.split(':');
    if (h !== `reg.${D}`) return client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    const upstream = net.connect(Number(p), proxyHosts[h]!, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await serve('picky', picky);
  await serve('multi', https.createServer(tlsFor('multi'), registry));
  for (const n of ['reg', 'badname', 'far', 'multi']) await withMirror(n);
}, 60_000);

afterAll(async () => {
  for (const c of closers) c();
  await rm(nodeRoot, { recursive: true, force: true });
});

/** `multi` resolves to two addresses for the dialer, the first of which refuses (Go tries the next one). */
function adapters(env: Record<string, string>): Adapters {
  const a = createRealAdapters({ root: nodeRoot, hosts, env });
  const real = a.net;
  a.net = {
    lookup: (h, o) =>
      h === `multi.${D}`
        ? Promise.resolve({
            ok: true,
            addresses: [
              { address: '127.0.0.2', family: 4 },
              { address: '127.0.0.1', family: 4 },
            ],
            durationMs: 0,
          })
        : real.lookup(h, o),
    connect: (address, p, o) => real.connect(address, p, o),
  };
  return a;
}

async function diag(name: string, repo: string, env: Record<string, string> = {}): Promise<DiagnosisResult> {
  return diagnose({
    target: parseTarget(`${name}.${D}:${port[name]}/${repo}`),
    options: { ...DEFAULT_RUN_OPTIONS, root: nodeRoot, pull: false, probeTimeoutMs: 3000, goVersion: 'go1.19.8' },
    adapters: adapters(env),
  });
}

/** The walk's per-host facts for `name`, and the main probe checks' facts — timings left out. */
function bothPaths(res: DiagnosisResult, name: string) {
  const f = res.state.facts;
  const walk = f['endpoint-walk'];
  expect(walk, 'endpoint-walk ran').toBeDefined();
  const host = walk!.outcomes.find((o) => o.url === `https://${name}.${D}:${port[name]}/v2`);
  expect(host, `walk examined ${name}`).toBeDefined();
  const untimed = <T extends object>(o: T | undefined, key: string) =>
    o ? Object.fromEntries(Object.entries(o).filter(([k]) => k !== key)) : o;
  const gv = f['go-verify'];
  return {
    walk: {
      tcp: untimed(host!.probe.tcp, 'connectMs'),
      tls: untimed(host!.probe.tls, 'durationMs'),
      verify: host!.probe.verify,
      manifestStatus: host!.probe.manifestStatus,
    },
    main: {
      tcp: untimed(f['tcp-connect'], 'connectMs'),
      tls: untimed(f['tls-handshake'], 'durationMs'),
      verify: gv ? { ok: gv.result.ok, message: gv.result.message } : undefined,
      manifestStatus: f['registry-api']?.manifestStatus,
    },
    outcomes: walk!.outcomes,
    decisive: walk!.decisive,
  };
}

describe('one probe pipeline: endpoint walk and the main probes agree on the same endpoint', () => {
  it('a healthy registry behind a failing mirror: identical DNS/TCP, TLS, verification and manifest facts', async () => {
    const res = await diag('reg', 'team/app:1');
    const b = bothPaths(res, 'reg');
    expect(b.decisive.host).toBe(`reg.${D}:${port.reg}`);
    expect(b.walk.tcp).toMatchObject({ hostname: `reg.${D}`, port: port.reg, connectedTo: '127.0.0.1' });
    expect(b.walk.tls?.chain.length).toBe(1);
    expect(b.walk.verify).toEqual({ ok: true, message: undefined });
    expect(b.walk.manifestStatus).toBe(200);
    expect(b.walk).toEqual(b.main);
    // the mirror's 400 carries Go's reason phrase (Node's table, which the old hand table lacked for 400)
    // no containerd version known: 1.7.0 assumed, whose resolver prints NewUnexpectedStatusErr (HOSTS_TOML_RULES walk)
    const mirrorError = `unexpected status from HEAD request to https://mirror.${D}:${port.mirror}/v2/team/app/manifests/1?ns=reg.${D}%3A${port.reg}: 400 Bad Request`;
    expect(b.outcomes[0]!.outcome).toMatchObject({ kind: 'error', error: mirrorError, resolverError: mirrorError, status: 400 });
  });

  it('a registry whose certificate Go rejects: the same verification verdict and message on both paths', async () => {
    const res = await diag('badname', 'team/other:1');
    const b = bothPaths(res, 'badname');
    expect(b.outcomes[0]!.outcome).toEqual({ kind: 'not-found' });
    expect(b.decisive.host).toBe(`badname.${D}:${port.badname}`);
    const message = `x509: certificate is valid for elsewhere.${D}, not badname.${D}`;
    expect(b.walk.verify).toEqual({ ok: false, message });
    expect(b.outcomes[1]!.outcome).toMatchObject({ kind: 'error', error: message });
    expect(b.outcomes[1]!.outcome).toHaveProperty(
      'resolverError',
      expect.stringMatching(/^failed to do request: Head "https:\/\/badname\.[^"]+\/v2\/team\/other\/manifests\/1": x509: /),
    );
    expect({ tcp: b.walk.tcp, tls: b.walk.tls, verify: b.walk.verify }).toEqual({
      tcp: b.main.tcp,
      tls: b.main.tls,
      verify: b.main.verify,
    });
    expect(res.report.verdict.code).toBe('hostname-mismatch');
  });

  it("through the runtime's HTTPS proxy: the walk goes through the proxy as the probes do and finds the registry", async () => {
    const proxy = `http://127.0.0.1:${port.proxy}`;
    const res = await diag('far', 'team/app:1', { HTTPS_PROXY: proxy });
    const b = bothPaths(res, 'far');
    // directly, far is unreachable (127.0.0.2): only the proxy path reaches it and its 200 decides the pull
    expect(b.outcomes.map((o) => o.outcome.kind)).toEqual(['error', 'ok']);
    expect(b.decisive.host).toBe(`far.${D}:${port.far}`);
    expect(b.walk.tcp).toMatchObject({ hostname: `far.${D}`, connectedTo: `far.${D}`, proxy });
    expect(b.walk.manifestStatus).toBe(200);
    expect(b.walk).toEqual(b.main);
  });

  it('a name with several addresses: like Go, the walk tries the next address when the first refuses', async () => {
    const res = await diag('multi', 'team/app:1');
    const b = bothPaths(res, 'multi');
    expect(b.outcomes.map((o) => o.outcome.kind)).toEqual(['error', 'ok']);
    expect(b.decisive.host).toBe(`multi.${D}:${port.multi}`);
    expect(b.walk.tcp).toMatchObject({ addresses: [{ address: '127.0.0.2' }, { address: '127.0.0.1' }], connectedTo: '127.0.0.1' });
    expect(b.walk).toEqual(b.main);
  });

  it('the proxy is decided per URL, as Go does: a token service NO_PROXY exempts is reached directly on both paths', async () => {
    const proxy = `http://127.0.0.1:${port.picky}`;
    const res = await diag('reg', 'team/app:1', { HTTPS_PROXY: proxy, NO_PROXY: `auth.${D}` });
    const b = bothPaths(res, 'reg');
    expect(b.decisive.host).toBe(`reg.${D}:${port.reg}`);
    expect(b.walk.tcp?.proxy).toBe(proxy);
    const api = res.state.facts['registry-api']!;
    expect(api.tokenObtained).toBe(true);
    expect(res.report.findings.filter((f) => f.host === `auth.${D}:${port.auth}`)).toEqual([]);
    expect(b.walk).toEqual(b.main);
  });
});
