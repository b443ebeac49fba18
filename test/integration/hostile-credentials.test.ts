// Hostile servers against the credential policy: every server records every Authorization header and every request
// body that carries a password; the node's and the pod's credentials must never reach a server containerd would not
// send them to over a connection it would accept (untrusted certificate, plain-HTTP realm on another host, a realm with
// a file:// or gopher:// scheme, a link-local metadata address, a redirect, a 1,000-certificate chain, escape
// sequences in certificate names, a mirror's plain-HTTP realm). Positive controls prove the recorders see credentials
// where containerd would send them. Loopback only: a guard refuses any request to another address and records it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as https from 'node:https';
import * as http from 'node:http';
import * as net from 'node:net';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createCA, generateKey, issueCert, selfSigned, type IssuedCert } from '../../src/x509/build.js';
import { diagnose, DEFAULT_RUN_OPTIONS } from '../../src/app/diagnose.js';
import { parseTarget } from '../../src/core/reference.js';
import { createRealAdapters } from '../../src/app/adapters.js';
import type { Adapters } from '../../src/core/adapters.js';
import { KubectlAdapter } from '../../src/adapters/kube.js';
import { startKubeServer, type KubeServer } from '../kube-server/server.js';

const D = 'cred.test';
const NODE_PASS = 'hunter2-node-pass';
const POD_PASS = 'hunter2-pod-pass';
const ca = createCA({ cn: 'Credential Test CA' });
let nodeRoot: string;
let dir: string;
let kube: KubeServer;
let kubeconfig: string;
const closers: (() => void)[] = [];
const port: Record<string, number> = {};
const hosts: Record<string, string> = {};

interface Seen {
  method: string;
  url: string;
  authorization?: string;
  secretInBody: boolean;
}
const seen: Record<string, Seen[]> = {};
/** Requests the test guard refused because they were not for loopback (never sent). */
const refused: { url: string; authorization?: string; body?: string }[] = [];

const credentialsAt = (name: string) =>
  (seen[name] ?? []).filter((s) => (s.authorization && !/^Bearer /.test(s.authorization)) || s.secretInBody);

function recording(name: string, handler: http.RequestListener): http.RequestListener {
  return (req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => {
      if (body.length < 65536) body += d.toString('utf8');
    });
    req.on('end', () => {
      (seen[name] ??= []).push({
        method: req.method ?? '',
        url: req.url ?? '',
        authorization: req.headers.authorization,
        secretInBody: /hunter2|password=|refresh_token=/.test(body),
      });
      handler(req, res);
    });
  };
}

async function serve(name: string, server: net.Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('tlsClientError', () => undefined);
  closers.push(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });
  port[name] = (server.address() as net.AddressInfo).port;
  hosts[`${name}.${D}`] = '127.0.0.1';
  return port[name]!;
}

const tlsFor = (name: string, issuer: IssuedCert = ca) => {
  const c = issueCert(issuer, { cn: `${name}.${D}`, dns: [`${name}.${D}`] });
  return { cert: c.certPem, key: c.keyPem };
};

/** A registry that wants a token from `realm()` (or Basic when realm is undefined) and has no image. */
function registry(realm?: () => string): http.RequestListener {
  return (req, res) => {
    res.setHeader('Docker-Distribution-API-Version', 'registry/2.0');
    if (!req.headers.authorization || (realm && !req.headers.authorization.startsWith('Bearer '))) {
      res.writeHead(401, {
        'WWW-Authenticate': realm ? `Bearer realm="${realm()}",service="cred-test"` : 'Basic realm="cred-test"',
        'Content-Type': 'application/json',
      });
      return res.end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
    }
    res.writeHead(404, { 'Content-Type': 'application/json' });
    res.end('{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}');
  };
}

/** A token service that refuses anonymous requests. */
const tokenService: http.RequestListener = (req, res) => {
  if (!req.headers.authorization) {
    res.writeHead(401, { 'Content-Type': 'application/json' });
    return res.end('{"errors":[{"code":"UNAUTHORIZED","message":"anonymous not allowed"}]}');
  }
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end('{"token":"issued"}');
};

async function hostsToml(name: string, body?: string) {
  const host = `${name}.${D}:${port[name]}`;
  const d = path.join(nodeRoot, 'etc/containerd/certs.d', host);
  await mkdir(d, { recursive: true });
  await writeFile(path.join(d, 'ca.crt'), ca.certPem);
  await writeFile(
    path.join(d, 'hosts.toml'),
    body ?? `server = "https://${host}"\nca = "ca.crt"\n\n[host."https://${host}"]\n  ca = "ca.crt"\n`,
  );
}

const NAMES = [
  'untrusted',
  'escape',
  'httprealm',
  'filerealm',
  'gopherrealm',
  'metarealm',
  'redirect',
  'bigrealm',
  'mirrored',
  'good',
  'skipv',
];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'regdoctor-hostile-cred-'));
  nodeRoot = path.join(dir, 'node');
  await mkdir(path.join(nodeRoot, 'etc/containerd'), { recursive: true });
  await writeFile(
    path.join(nodeRoot, 'etc/containerd/config.toml'),
    'version = 2\n[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/etc/containerd/certs.d"\n',
  );

  // 1. a credential-capturing registry with an untrusted (self-signed) certificate
  const un = selfSigned({ cn: `untrusted.${D}`, dns: [`untrusted.${D}`] });
  await serve('untrusted', https.createServer({ cert: un.certPem, key: un.keyPem }, recording('untrusted', registry())));
  // 2. escape sequences in the certificate's names (self-signed too)
  const esc = selfSigned({
    cn: `evil\u001b]0;owned\u0007\u001b[2J\u009b31m.${D}`,
    o: 'Corp\u001b[31m\r\n✓ verdict: healthy',
    dns: [`escape.${D}`],
  });
  await serve(
    'escape',
    https.createServer(
      { cert: esc.certPem, key: esc.keyPem },
      recording(
        'escape',
        registry(() => `https://escape.${D}:${port.escape}/token`),
      ),
    ),
  );
  // 3. a trusted registry whose token realm is plain HTTP on another host
  await serve('plainrealm', http.createServer(recording('plainrealm', tokenService)));
  await serve(
    'httprealm',
    https.createServer(
      tlsFor('httprealm'),
      recording(
        'httprealm',
        registry(() => `http://plainrealm.${D}:${port.plainrealm}/token`),
      ),
    ),
  );
  // 4. realms that are no URL a registry client may request
  await serve(
    'filerealm',
    https.createServer(
      tlsFor('filerealm'),
      recording(
        'filerealm',
        registry(() => 'file:///etc/shadow'),
      ),
    ),
  );
  await serve(
    'gopherrealm',
    https.createServer(
      tlsFor('gopherrealm'),
      recording(
        'gopherrealm',
        registry(() => `gopher://127.0.0.1:${port.filerealm}/_GET%20/%20HTTP/1.0`),
      ),
    ),
  );
  // 5. a realm on the cloud metadata address (never contacted: the guard below would record it)
  await serve(
    'metarealm',
    https.createServer(
      tlsFor('metarealm'),
      recording(
        'metarealm',
        registry(() => 'http://169.254.169.254/latest/meta-data/iam/security-credentials/'),
      ),
    ),
  );
  // 6. a verified realm that redirects to a plain-HTTP host that redirects to itself forever
  await serve(
    'loop',
    http.createServer(
      recording('loop', (req, res) => (res.writeHead(302, { Location: `http://loop.${D}:${port.loop}${req.url}` }), res.end())),
    ),
  );
  await serve(
    'hop',
    https.createServer(
      tlsFor('hop'),
      recording('hop', (req, res) => (res.writeHead(307, { Location: `http://loop.${D}:${port.loop}/token` }), res.end())),
    ),
  );
  await serve(
    'redirect',
    https.createServer(
      tlsFor('redirect'),
      recording(
        'redirect',
        registry(() => `https://hop.${D}:${port.hop}/token`),
      ),
    ),
  );
  // 7. a realm presenting a 1,000-certificate chain (leaf + 999 intermediates under the trusted CA)
  const k = generateKey('ec');
  let parent: IssuedCert = ca;
  const inter: IssuedCert[] = [];
  for (let i = 0; i < 999; i++) {
    parent = issueCert(parent, { cn: `Hostile Intermediate ${i}`, isCA: true, key: k });
    inter.unshift(parent);
  }
  const bigLeaf = issueCert(parent, { cn: `bigchain.${D}`, dns: [`bigchain.${D}`] });
  await serve(
    'bigchain',
    https.createServer(
      { cert: bigLeaf.certPem + inter.map((c) => c.certPem).join(''), key: bigLeaf.keyPem },
      recording('bigchain', tokenService),
    ),
  );
  await serve(
    'bigrealm',
    https.createServer(
      tlsFor('bigrealm'),
      recording(
        'bigrealm',
        registry(() => `https://bigchain.${D}:${port.bigchain}/token`),
      ),
    ),
  );
  // 8. registry A with a hosts.toml mirror B whose token realm is plain HTTP on a third host
  await serve('mirrorrealm', http.createServer(recording('mirrorrealm', tokenService)));
  await serve(
    'mirror',
    https.createServer(
      tlsFor('mirror'),
      recording(
        'mirror',
        registry(() => `http://mirrorrealm.${D}:${port.mirrorrealm}/token`),
      ),
    ),
  );
  await serve('mirrored', https.createServer(tlsFor('mirrored'), recording('mirrored', registry())));
  // positive controls: a trusted Basic registry, and a self-signed one the config marks skip_verify
  await serve('good', https.createServer(tlsFor('good'), recording('good', registry())));
  const sv = selfSigned({ cn: `skipv.${D}`, dns: [`skipv.${D}`] });
  await serve('skipv', https.createServer({ cert: sv.certPem, key: sv.keyPem }, recording('skipv', registry())));

  for (const n of ['httprealm', 'filerealm', 'gopherrealm', 'metarealm', 'redirect', 'bigrealm', 'good']) await hostsToml(n);
  const A = `mirrored.${D}:${port.mirrored}`;
  await hostsToml(
    'mirrored',
    `server = "https://${A}"\nca = "ca.crt"\n\n[host."https://mirror.${D}:${port.mirror}"]\n  capabilities = ["pull", "resolve"]\n  ca = "ca.crt"\n`,
  );
  await hostsToml(
    'skipv',
    `server = "https://skipv.${D}:${port.skipv}"\n\n[host."https://skipv.${D}:${port.skipv}"]\n  skip_verify = true\n`,
  );

  // the node's credentials for every registry (kubelet's config.json)
  const auths: Record<string, { auth: string }> = {};
  for (const n of NAMES) auths[`${n}.${D}:${port[n]}`] = { auth: Buffer.from(`ops:${NODE_PASS}`).toString('base64') };
  await mkdir(path.join(nodeRoot, 'var/lib/kubelet'), { recursive: true });
  await writeFile(path.join(nodeRoot, 'var/lib/kubelet/config.json'), JSON.stringify({ auths }));

  // the cluster: pods whose pull secrets hold credentials for the hostile registries
  kube = await startKubeServer();
  const dockerconfig = (host: string) => ({
    '.dockerconfigjson': Buffer.from(JSON.stringify({ auths: { [host]: { username: 'dev', password: POD_PASS } } })).toString('base64'),
  });
  for (const n of ['untrusted', 'httprealm', 'mirrored', 'redirect', 'good']) {
    kube.add('secrets', {
      metadata: { name: `pull-${n}`, namespace: 'shop' },
      type: 'kubernetes.io/dockerconfigjson',
      data: dockerconfig(`${n}.${D}:${port[n]}`),
    });
    kube.add('pods', {
      metadata: { name: `p-${n}`, namespace: 'shop', creationTimestamp: '2024-05-01T10:00:00Z' },
      spec: {
        serviceAccountName: 'default',
        imagePullSecrets: [{ name: `pull-${n}` }],
        containers: [{ name: 'app', image: `${n}.${D}:${port[n]}/team/app:1` }],
      },
    });
  }
  kube.add('serviceaccounts', { metadata: { name: 'default', namespace: 'shop' } });
  kubeconfig = kube.writeKubeconfig(path.join(dir, 'kube'));
}, 120_000);

afterAll(async () => {
  for (const c of closers) c();
  await kube?.close();
  await rm(dir, { recursive: true, force: true });
});

const loopback = (h: string) => h in hosts || h.startsWith('127.') || h === '::1' || h === 'localhost';

/** Real adapters that refuse (and record) anything not for loopback: nothing leaves this machine. */
function guardedAdapters(pod?: string): Adapters {
  const a = createRealAdapters({ root: nodeRoot, hosts, env: {} });
  const realHttp = a.http;
  a.http = {
    request(r) {
      let u: URL | undefined;
      try {
        u = new URL(r.url);
      } catch {
        u = undefined;
      }
      if (u && (u.protocol === 'http:' || u.protocol === 'https:') && !loopback(u.hostname.replace(/^\[|\]$/g, ''))) {
        refused.push({ url: r.url, authorization: r.headers?.Authorization ?? r.headers?.authorization, body: r.body });
        return Promise.resolve({ ok: false, error: { kind: 'refused', message: 'test guard: not a loopback address' }, durationMs: 0 });
      }
      return realHttp.request(r);
    },
  };
  const realTls = a.tls;
  a.tls = {
    probe(o) {
      if (!loopback(o.host)) {
        refused.push({ url: `tls://${o.host}:${o.port}` });
        return Promise.resolve({ outcome: 'refused', chain: [], durationMs: 0 });
      }
      return realTls.probe(o);
    },
  };
  const realNet = a.net;
  a.net = {
    lookup: (h, o) => realNet.lookup(h, o),
    connect(address, p, o) {
      if (!loopback(address)) {
        refused.push({ url: `tcp://${address}:${p}` });
        return Promise.resolve({ ok: false, error: 'refused', code: 'ECONNREFUSED', message: 'test guard', durationMs: 0 });
      }
      return realNet.connect(address, p, o);
    },
  };
  if (pod) a.kube = new KubectlAdapter({ kubeconfig, env: { ...process.env, HOME: dir, KUBECONFIG: undefined }, requestTimeoutMs: 5_000 });
  return a;
}

async function diag(name: string, pod?: string) {
  const started = Date.now();
  const res = await diagnose({
    target: parseTarget(`${name}.${D}:${port[name]}/team/app:1`),
    options: {
      ...DEFAULT_RUN_OPTIONS,
      root: nodeRoot,
      pull: false,
      probeTimeoutMs: 3000,
      goVersion: 'go1.19.8',
      ...(pod ? { useKube: true, kube: { kubeconfig, namespace: 'shop', pod } } : {}),
    },
    adapters: guardedAdapters(pod),
  });
  const api = res.state.checks.find((c) => c.id === 'registry-api')!;
  return { ...res, api, apiFacts: res.state.facts['registry-api'], ms: Date.now() - started, text: JSON.stringify(res.report) };
}

const FALSE_CODES = ['unauthorized', 'credentials-missing'];
const noSecretAnywhere = (text: string) => {
  expect(text).not.toContain(NODE_PASS);
  expect(text).not.toContain(POD_PASS);
  expect(text).not.toContain(Buffer.from(`ops:${NODE_PASS}`).toString('base64'));
};

describe('credentials never reach a server containerd would not send them to', () => {
  it('positive controls: a verified registry and a configured skip_verify registry do get the node credentials', async () => {
    const good = await diag('good');
    expect(credentialsAt('good').length).toBeGreaterThan(0);
    expect(good.apiFacts?.credentials).toMatchObject({ source: 'node', sent: true });
    expect(good.report.verdict.code).toBe('not-found');
    const sv = await diag('skipv');
    expect(credentialsAt('skipv').length).toBeGreaterThan(0);
    expect(sv.apiFacts?.credentials).toMatchObject({ sent: true });
  });

  it('an untrusted certificate: no credential arrives; the TLS fault is the verdict and the skipped check is named', async () => {
    const r = await diag('untrusted');
    expect(credentialsAt('untrusted')).toEqual([]);
    expect(r.report.verdict.code).toBe('self-signed');
    expect(r.api.status).not.toBe('crash');
    expect(r.apiFacts?.credentials).toMatchObject({ sent: false, withheld: { code: 'tls-unverified' } });
    expect(r.api.evidence.join('\n')).toMatch(
      /credential check skipped: the node credentials were not sent — the certificate of untrusted\.cred\.test:\d+ fails verification/,
    );
    expect(r.report.findings.map((f) => f.code).filter((c) => FALSE_CODES.includes(c))).toEqual([]);
    noSecretAnywhere(r.text);
  });

  it('escape sequences in the certificate names: no credential arrives, the finding is classified', async () => {
    const r = await diag('escape');
    expect(credentialsAt('escape')).toEqual([]);
    expect(['self-signed', 'hostname-mismatch']).toContain(r.report.verdict.code);
    expect(r.apiFacts?.credentials?.withheld?.code).toBe('tls-unverified');
  });

  it('a plain-HTTP realm on another host: neither the realm nor the registry receives a credential; no false unauthorized', async () => {
    const r = await diag('httprealm');
    expect(credentialsAt('plainrealm')).toEqual([]);
    expect(credentialsAt('httprealm')).toEqual([]);
    expect(r.apiFacts?.credentials?.withheld?.code).toBe('realm-plain-http');
    const f = r.report.findings.find((x) => x.source === 'registry-api')!;
    expect(f).toMatchObject({ code: 'unknown', severity: 'warning', data: expect.objectContaining({ reason: 'credentials-withheld' }) });
    expect(f.summary).toMatch(
      /node credentials kubelet would send were not tested: the token realm http:\/\/plainrealm\.cred\.test:\d+ is plain HTTP/,
    );
    expect(r.report.findings.map((x) => x.code).filter((c) => FALSE_CODES.includes(c))).toEqual([]);
  });

  it('realms with file:// and gopher:// schemes are a classified finding, not a crashed check, and nothing is sent', async () => {
    for (const [name, scheme] of [
      ['filerealm', 'file'],
      ['gopherrealm', 'gopher'],
    ] as const) {
      const r = await diag(name);
      expect(r.api.status).not.toBe('crash');
      const f = r.report.findings.find((x) => x.data?.reason === 'realm-unsupported-scheme')!;
      expect(f).toMatchObject({ code: 'unknown', severity: 'error' });
      expect(f.predictedRuntimeError).toContain(`unsupported protocol scheme "${scheme}"`);
      expect(f.predictedRuntimeError).toContain('failed to authorize: failed to fetch oauth token: Post');
      expect(credentialsAt(name)).toEqual([]);
      expect(r.apiFacts?.credentials?.withheld?.code).toBe('realm-scheme');
    }
    // the gopher realm pointed at another test server: it was never contacted
    expect((seen.filerealm ?? []).some((s) => s.url.startsWith('/_GET'))).toBe(false);
  });

  it('a realm on the link-local metadata address is never contacted', async () => {
    const before = refused.length;
    const r = await diag('metarealm');
    expect(refused.slice(before).map((x) => x.url)).toEqual([]);
    expect(credentialsAt('metarealm')).toEqual([]);
    expect(r.report.findings.find((x) => x.data?.reason === 'realm-address')).toMatchObject({ code: 'unknown', host: '169.254.169.254' });
    expect(r.apiFacts?.credentials?.withheld?.code).toBe('realm-address');
  });

  it('a redirect loop behind a verified realm: the redirect is not followed, bounded, and not a false unauthorized', async () => {
    const r = await diag('redirect');
    expect(r.ms).toBeLessThan(15_000);
    // the verified realm gets them (containerd sends them there too); the plain-HTTP loop host gets nothing at all
    expect(credentialsAt('hop').length).toBeGreaterThan(0);
    expect(seen.loop ?? []).toEqual([]);
    expect(r.apiFacts?.credentials?.withheld?.code).toBe('redirect');
    expect(r.api.evidence.join('\n')).toMatch(/token service redirects to http:\/\/loop\.cred\.test:\d+\/token: not followed/);
    expect(r.report.findings.map((x) => x.code).filter((c) => FALSE_CODES.includes(c))).toEqual([]);
  });

  it('a 1,000-certificate chain on the realm: bounded in time and memory, no credential, the skipped check is named', async () => {
    const heap = process.memoryUsage().heapUsed;
    const r = await diag('bigrealm');
    expect(r.ms).toBeLessThan(20_000);
    expect(process.memoryUsage().heapUsed - heap).toBeLessThan(300 * 1024 * 1024);
    expect(credentialsAt('bigchain')).toEqual([]);
    expect(credentialsAt('bigrealm')).toEqual([]);
    expect(r.api.status).not.toBe('crash');
    expect(r.apiFacts?.credentials?.withheld?.code).toBe('realm-unverified');
  }, 60_000);

  it("with a hosts.toml mirror, registry A's node credentials never reach mirror B's plain-HTTP realm", async () => {
    const r = await diag('mirrored');
    expect(r.state.facts['endpoint-walk']?.decisive.host).toBe(`mirror.${D}:${port.mirror}`);
    expect(credentialsAt('mirrorrealm')).toEqual([]);
    expect(credentialsAt('mirror')).toEqual([]);
    expect(r.apiFacts?.credentials?.withheld?.code).toBe('realm-plain-http');
  });
});

describe('pod pull-secret credentials follow the same rule (diagnose pod/NAME)', () => {
  it('positive control: a verified registry gets the pod credentials from the pull-secrets check', async () => {
    const r = await diag('good', 'p-good');
    expect(
      credentialsAt('good').filter((s) => s.authorization === `Basic ${Buffer.from(`dev:${POD_PASS}`).toString('base64')}`).length,
    ).toBeGreaterThan(0);
    expect(r.state.facts['pull-secrets']?.withheld).toBeUndefined();
    expect(r.apiFacts?.credentials).toMatchObject({ source: 'pod pull-secret', sent: true });
  });

  for (const [name, pod, servers, code] of [
    ['untrusted', 'p-untrusted', ['untrusted'], 'tls-unverified'],
    ['httprealm', 'p-httprealm', ['httprealm', 'plainrealm'], 'realm-plain-http'],
    ['mirrored', 'p-mirrored', ['mirror', 'mirrorrealm'], 'realm-plain-http'],
    ['redirect', 'p-redirect', ['loop'], 'redirect'],
  ] as const) {
    it(`${name}: no pull-secret password reaches ${servers.join(' or ')}; facts.credential is not published; no false unauthorized`, async () => {
      const r = await diag(name, pod);
      for (const s of servers)
        expect(
          credentialsAt(s).filter((x) => x.secretInBody || x.authorization?.includes(Buffer.from(`dev:${POD_PASS}`).toString('base64'))),
        ).toEqual([]);
      const ps = r.state.facts['pull-secrets']!;
      expect(ps.credential).toBeUndefined();
      expect(ps.withheld?.code).toBe(code);
      expect(ps.tested.every((t) => t.outcome === 'not-tested')).toBe(true);
      expect(r.report.findings.map((f) => `${f.source}:${f.code}`).filter((c) => FALSE_CODES.some((x) => c.endsWith(`:${x}`)))).toEqual([]);
      noSecretAnywhere(r.text);
    });
  }
});
