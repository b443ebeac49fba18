// Hostile servers: every probe ends within its bound with a clear finding, and memory stays bounded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as net from 'node:net';
import * as https from 'node:https';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createCA, issueCert, type IssuedCert } from '../../src/x509/build.js';
import { diagnose, DEFAULT_RUN_OPTIONS } from '../../src/app/diagnose.js';
import { parseTarget } from '../../src/core/reference.js';
import { createRealAdapters } from '../../src/app/adapters.js';

const root = createCA({ cn: 'Hostile Root' });
let nodeRoot: string;
const servers: { close(): void }[] = [];
const sockets = new Set<net.Socket>();
const ports: Record<string, number> = {};
const HOSTS = ['chain50', 'silent', 'drip', 'huge'].map((h) => `${h}.hostile.test`);

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  servers.push(server);
  return (server.address() as net.AddressInfo).port;
}

async function hostsToml(host: string, port: number) {
  const dir = path.join(nodeRoot, 'etc/containerd/certs.d', `${host}:${port}`);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'ca.crt'), root.certPem);
  await writeFile(path.join(dir, 'hosts.toml'), `server = "https://${host}:${port}"\nca = "ca.crt"\n`);
}

beforeAll(async () => {
  nodeRoot = await mkdtemp(path.join(tmpdir(), 'regdoctor-hostile-'));
  await mkdir(path.join(nodeRoot, 'etc/containerd'), { recursive: true });
  await writeFile(
    path.join(nodeRoot, 'etc/containerd/config.toml'),
    'version = 2\n[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/etc/containerd/certs.d"\n',
  );

  // 1. a chain of 50 certificates (leaf + 49 intermediates)
  let parent: IssuedCert = root;
  const intermediates: IssuedCert[] = [];
  for (let i = 0; i < 49; i++) {
    parent = issueCert(parent, { cn: `Hostile Intermediate ${i}`, isCA: true });
    intermediates.unshift(parent);
  }
  const leaf = issueCert(parent, { cn: HOSTS[0]!, dns: [HOSTS[0]!] });
  ports.chain50 = await listen(
    https.createServer({ cert: leaf.certPem + intermediates.map((c) => c.certPem).join(''), key: leaf.keyPem }, (req, res) => {
      res.writeHead(200, { 'Docker-Distribution-API-Version': 'registry/2.0' });
      res.end('{}');
    }),
  );
  // 2. accepts connections and never says anything
  ports.silent = await listen(net.createServer(() => undefined));
  // 3. drips a TLS-looking byte every 150 ms, forever
  ports.drip = await listen(
    net.createServer((s) => {
      const bytes = [0x16, 0x03, 0x03, 0x40, 0x00];
      let i = 0;
      const t = setInterval(() => {
        if (s.destroyed) return clearInterval(t);
        s.write(Buffer.from([bytes[i % bytes.length]!]));
        i++;
      }, 150);
      s.on('close', () => clearInterval(t));
      s.on('error', () => clearInterval(t));
    }),
  );
  // 4. a valid TLS registry whose every answer is a 100 MB body, streamed
  const huge = issueCert(root, { cn: HOSTS[3]!, dns: [HOSTS[3]!] });
  ports.huge = await listen(
    https.createServer({ cert: huge.certPem, key: huge.keyPem }, (req, res) => {
      res.writeHead(req.url === '/v2/' ? 401 : 200, {
        'Docker-Distribution-API-Version': 'registry/2.0',
        'WWW-Authenticate': `Bearer realm="https://${HOSTS[3]}:${ports.huge}/token",service="huge"`,
        'Content-Type': 'application/json',
      });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const pump = () => {
        while (sent < 100 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return res.once('drain', pump);
        }
        res.end();
      };
      res.on('error', () => undefined);
      pump();
    }),
  );
  for (const [i, id] of ['chain50', 'silent', 'drip', 'huge'].entries()) await hostsToml(HOSTS[i]!, ports[id]!);
}, 60_000);

afterAll(async () => {
  for (const s of sockets) s.destroy();
  for (const s of servers) s.close();
  await rm(nodeRoot, { recursive: true, force: true });
});

async function run(host: string, port: number, probeTimeoutMs = 800) {
  const hosts = Object.fromEntries(HOSTS.map((h) => [h, '127.0.0.1']));
  const started = performance.now();
  const result = await diagnose({
    target: parseTarget(`${host}:${port}/app:1`),
    options: { ...DEFAULT_RUN_OPTIONS, root: nodeRoot, pull: false, probeTimeoutMs, timeoutMs: 15_000, goVersion: 'go1.22' },
    adapters: createRealAdapters({ root: nodeRoot, hosts, env: {} }),
  });
  return { ...result, ms: performance.now() - started };
}

describe('hostile servers', () => {
  it('a 50-certificate chain is taken in full and verified without blowing up', async () => {
    const r = await run(HOSTS[0]!, ports.chain50!, 3000);
    expect(r.report.chain).toHaveLength(50);
    expect(r.report.checks.find((c) => c.id === 'go-verify')!.status).not.toBe('crash');
    expect(r.report.verdict.code).toBe('healthy');
    expect(r.ms).toBeLessThan(10_000);
  });

  it('a server that accepts and never answers: timeout, within the probe bound', async () => {
    const r = await run(HOSTS[1]!, ports.silent!, 600);
    expect(r.report.verdict.code).toBe('timeout');
    expect(r.report.verdict.predictedRuntimeError).toMatch(/net\/http: TLS handshake timeout$/);
    expect(r.ms).toBeLessThan(4000);
  });

  it('a server that drips bytes forever: timeout, within the probe bound', async () => {
    const r = await run(HOSTS[2]!, ports.drip!, 700);
    expect(r.report.verdict.code).toBe('timeout');
    const tlsCheck = r.report.checks.find((c) => c.id === 'tls-handshake')!;
    expect(tlsCheck.evidence.join(' ')).toMatch(/bytes received|did not complete/);
    expect(r.ms).toBeLessThan(4000);
  });

  it('100 MB bodies are cut, not buffered; the diagnosis completes with bounded memory', async () => {
    global.gc?.();
    const before = process.memoryUsage().rss;
    const r = await run(HOSTS[3]!, ports.huge!, 3000);
    const grown = process.memoryUsage().rss - before;
    expect(r.report.checks.find((c) => c.id === 'registry-api')!.status).not.toBe('crash');
    expect(grown).toBeLessThan(60 * 1024 * 1024);
    expect(r.ms).toBeLessThan(12_000);
  });
});
