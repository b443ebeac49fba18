// A token realm whose name does not resolve: the prediction quotes Go's own lookup text for the node's resolver
// ("lookup H on <server>: no such host" from its resolv.conf server), not a generic one. A real HTTPS registry asking
// for a bearer token at nx-auth.realm.test, a UDP DNS server (the tree's resolv.conf) answering NXDOMAIN for it.
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as https from 'node:https';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createCA, issueCert } from '../../src/x509/build.js';
import { diagnose, DEFAULT_RUN_OPTIONS } from '../../src/app/diagnose.js';
import { parseTarget } from '../../src/core/reference.js';
import { createRealAdapters } from '../../src/app/adapters.js';
import { RealNet } from '../../src/adapters/net.js';
import { RealHttp } from '../../src/adapters/http-real.js';
import { RootedFs } from '../../src/adapters/fs.js';
import { startDnsServer, type DnsServer } from '../adapters/dns-server.js';

const REG = 'reg.realm.test';
let dns: DnsServer;
let root: string;
let server: https.Server;
let port: number;

beforeAll(async () => {
  dns = await startDnsServer(() => ({ rcode: 3 }));
  const ca = createCA({ cn: 'Realm DNS CA' });
  const c = issueCert(ca, { cn: REG, dns: [REG] });
  server = https.createServer({ cert: c.certPem, key: c.keyPem }, (_req, res) => {
    res.setHeader('Docker-Distribution-API-Version', 'registry/2.0');
    res.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="https://nx-auth.realm.test/token",service="t"' });
    res.end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as { port: number }).port;
  root = await mkdtemp(path.join(tmpdir(), 'regdoctor-realm-dns-'));
  const dir = path.join(root, 'etc/containerd/certs.d', `${REG}:${port}`);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'ca.crt'), ca.certPem);
  await writeFile(path.join(dir, 'hosts.toml'), `server = "https://${REG}:${port}"\nca = "ca.crt"\n`);
  await writeFile(
    path.join(root, 'etc/containerd/config.toml'),
    'version = 2\n[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/etc/containerd/certs.d"\n',
  );
  await writeFile(path.join(root, 'etc/resolv.conf'), 'nameserver 127.0.0.1\noptions timeout:2 attempts:1\n');
  await writeFile(path.join(root, 'etc/nsswitch.conf'), 'hosts: files dns\n');
  await writeFile(path.join(root, 'etc/hosts'), `127.0.0.1 ${REG}\n`);
}, 30_000);

afterAll(async () => {
  server.closeAllConnections();
  server.close();
  await dns.close();
  await rm(root, { recursive: true, force: true });
});

it("a realm name the node's DNS does not know: Go's lookup text with the resolv.conf server", async () => {
  const fs = new RootedFs(root);
  const net = new RealNet({}, { fs, dnsPort: dns.port });
  const adapters = { ...createRealAdapters({ root, env: {} }), net, http: new RealHttp({}, (h, o) => net.lookup(h, o)) };
  const { report } = await diagnose({
    target: parseTarget(`${REG}:${port}/team/app:1`),
    options: { ...DEFAULT_RUN_OPTIONS, root, pull: false, probeTimeoutMs: 3000, goVersion: 'go1.22.0' },
    adapters,
  });
  const text = JSON.stringify(report);
  expect(text).toContain(`dial tcp: lookup nx-auth.realm.test on 127.0.0.1:${dns.port}: no such host`);
  expect(text).not.toContain('dial tcp: lookup nx-auth.realm.test: no such host');
});
