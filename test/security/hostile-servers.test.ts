// Hostile servers against the real adapters and the whole diagnosis: every step ends within its bound, bodies and
// handshakes are capped, the diagnosis as a whole ends by its deadline, and what the server did is a clear finding.
// (test/integration/hostile.test.ts covers a silent server, a byte drip during the handshake, a 50-certificate chain
// and 100 MB bodies; test/integration/hostile-credentials.test.ts where credentials may go.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as net from 'node:net';
import * as https from 'node:https';
import * as http from 'node:http';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createCA, issueCert } from '../../src/x509/build.js';
import { diagnose, DEFAULT_RUN_OPTIONS } from '../../src/app/diagnose.js';
import { parseTarget } from '../../src/core/reference.js';
import { createRealAdapters } from '../../src/app/adapters.js';
import { RealHttp } from '../../src/adapters/http-real.js';
import { RealTls, readOversizedCertificate } from '../../src/adapters/tls-real.js';
import { parseWwwAuthenticate } from '../../src/probe/www-authenticate.js';

const ca = createCA({ cn: 'Hostile Servers Root' });
const NAMES = ['bigchain', 'chain300', 'slowhdr', 'endless', 'bighdr'] as const;
type Name = (typeof NAMES)[number];
const host = (n: Name) => `${n}.hostile-servers.test`;
const ports = {} as Record<
  Name | 'plainSlow' | 'plainChunked' | 'plainFast' | 'bigHeaders' | 'bigAuth' | 'gzip' | 'proxyDrip' | 'proxyHuge',
  number
>;
let nodeRoot: string;
const servers: net.Server[] = [];
const sockets = new Set<net.Socket>();

async function listen<S extends net.Server>(server: S): Promise<number> {
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  servers.push(server);
  return (server.address() as net.AddressInfo).port;
}

function der(pem: string): Buffer {
  return Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
}

function u24(n: number): Buffer {
  return Buffer.from([(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);
}

/** A TLS 1.2 server flight written by hand: ServerHello, a Certificate message holding `certs` (any size, split
 *  into 16 KiB records, sent with back-pressure), ServerHelloDone. */
function rawTlsServer(certs: () => Iterable<Buffer>, totalLength: number): net.Server {
  return net.createServer((s) => {
    s.once('data', () => {
      const hello = Buffer.concat([Buffer.from([0x03, 0x03]), randomBytes(32), Buffer.from([0, 0xc0, 0x2f, 0])]);
      const records = (hs: Buffer) => {
        const out: Buffer[] = [];
        for (let o = 0; o < hs.length; o += 16384) {
          const part = hs.subarray(o, o + 16384);
          out.push(Buffer.from([0x16, 0x03, 0x03, part.length >> 8, part.length & 0xff]), part);
        }
        return Buffer.concat(out);
      };
      s.write(records(Buffer.concat([Buffer.from([2]), u24(hello.length), hello])));
      // Certificate: type 11, length, certificate_list length, then <3-byte length, DER> per certificate
      const header = Buffer.concat([Buffer.from([11]), u24(totalLength + 3), u24(totalLength)]);
      const it = certs()[Symbol.iterator]();
      let pending = header;
      const pump = (): void => {
        for (;;) {
          let next = it.next();
          while (!next.done && pending.length < 16384) {
            pending = Buffer.concat([pending, u24(next.value.length), next.value]);
            next = it.next();
          }
          if (next.done && pending.length === 0) {
            s.write(records(Buffer.from([14, 0, 0, 0])));
            return;
          }
          const chunk = records(pending);
          pending = next.done ? Buffer.alloc(0) : Buffer.concat([u24(next.value.length), next.value]);
          if (next.done && pending.length === 0) {
            s.write(chunk);
            s.write(records(Buffer.from([14, 0, 0, 0])));
            return;
          }
          if (!s.write(chunk)) return void s.once('drain', pump);
          if (s.destroyed) return;
        }
      };
      pump();
    });
  });
}

function copies(cert: Buffer, n: number): () => Iterable<Buffer> {
  return function* () {
    for (let i = 0; i < n; i++) yield cert;
  };
}

beforeAll(async () => {
  nodeRoot = await mkdtemp(path.join(tmpdir(), 'regdoctor-hostile-servers-'));
  await mkdir(path.join(nodeRoot, 'etc/containerd'), { recursive: true });
  await writeFile(
    path.join(nodeRoot, 'etc/containerd/config.toml'),
    'version = 2\n[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/etc/containerd/certs.d"\n',
  );
  const leafDer = der(issueCert(ca, { cn: host('bigchain'), dns: [host('bigchain'), host('chain300')] }).certPem);
  // 1. a Certificate message of ~5 MB (the same certificate ~5,000 times)
  const n5 = Math.ceil((5 * 1024 * 1024) / (leafDer.length + 3));
  ports.bigchain = await listen(rawTlsServer(copies(leafDer, n5), n5 * (leafDer.length + 3)));
  // 2. 300 certificates
  ports.chain300 = await listen(rawTlsServer(copies(leafDer, 300), 300 * (leafDer.length + 3)));
  // 3. a valid TLS registry that sends its response headers one byte a second
  const slow = issueCert(ca, { cn: host('slowhdr'), dns: [host('slowhdr'), host('endless'), host('bighdr')] });
  const drip = (socket: net.Socket) => {
    const text = Buffer.from('HTTP/1.1 200 OK\r\nDocker-Distribution-API-Version: registry/2.0\r\n\r\n');
    let i = 0;
    const t = setInterval(() => {
      if (socket.destroyed || i >= text.length) return clearInterval(t);
      socket.write(text.subarray(i, ++i));
    }, 1000);
    socket.on('close', () => clearInterval(t));
  };
  const slowTls = https.createServer({ cert: slow.certPem, key: slow.keyPem });
  slowTls.removeAllListeners('request');
  slowTls.on('request', (req: http.IncomingMessage) => drip(req.socket));
  ports.slowhdr = await listen(slowTls);
  // 4. a valid TLS registry whose every answer is an endless chunked body, fast
  ports.endless = await listen(
    https.createServer({ cert: slow.certPem, key: slow.keyPem }, (req, res) => {
      res.writeHead(req.url === '/v2/' ? 200 : 404, {
        'Docker-Distribution-API-Version': 'registry/2.0',
        'Content-Type': 'application/json',
      });
      // (node:http drops a HEAD response's body: write() would accept forever without sending)
      if (req.method === 'HEAD') return void res.end();
      const chunk = Buffer.alloc(16 * 1024, 0x7b);
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      res.on('error', () => undefined);
      pump();
    }),
  );
  // 5. a valid TLS registry whose every answer carries a 1 MB WWW-Authenticate header
  ports.bighdr = await listen(
    https.createServer({ cert: slow.certPem, key: slow.keyPem }, (req, res) => {
      res.writeHead(401, {
        'Docker-Distribution-API-Version': 'registry/2.0',
        'WWW-Authenticate': `Bearer realm="https://${host('bighdr')}:${ports.bighdr}/token",x="${'\u00e9x'.repeat(500_000)}"`,
      });
      res.end();
    }),
  );
  // plain HTTP variants for the adapter: slow headers, a slow endless chunked body, an endless fast one
  ports.plainSlow = await listen(net.createServer((s) => s.once('data', () => drip(s))));
  ports.plainChunked = await listen(
    net.createServer((s) =>
      s.once('data', () => {
        s.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n');
        const t = setInterval(() => (s.destroyed ? clearInterval(t) : s.write('1\r\nx\r\n')), 50);
        s.on('close', () => clearInterval(t));
      }),
    ),
  );
  ports.plainFast = await listen(
    http.createServer((req, res) => {
      res.writeHead(200);
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      res.on('error', () => undefined);
      pump();
    }),
  );
  // hostile HTTPS proxies: one answers CONNECT a byte at a time, one with a 1 MB status block
  ports.proxyDrip = await listen(net.createServer((s) => s.once('data', () => drip(s))));
  ports.proxyHuge = await listen(
    net.createServer((s) => s.once('data', () => s.end(`HTTP/1.1 200 ${'\u001b[2J'.repeat(100)}\r\n${'X: y\r\n'.repeat(200_000)}\r\n`))),
  );
  // a gzip bomb: 64 MiB of zeros in ~64 KiB, sent as Content-Encoding: gzip
  const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 });
  ports.gzip = await listen(
    http.createServer((req, res) => {
      res.writeHead(200, { 'Content-Encoding': 'gzip', 'Content-Type': 'application/json', 'Content-Length': bomb.length });
      res.end(bomb);
    }),
  );
  // a header block of 4 MB (10,000 headers), and one WWW-Authenticate of 1 MB
  ports.bigHeaders = await listen(
    net.createServer((s) =>
      s.once('data', () => {
        s.write('HTTP/1.1 401 Unauthorized\r\n');
        for (let i = 0; i < 10_000; i++) s.write(`X-Junk-${i}: ${'j'.repeat(400)}\r\n`);
        s.end('\r\n');
      }),
    ),
  );
  ports.bigAuth = await listen(
    net.createServer((s) =>
      s.once('data', () =>
        s.end(
          `HTTP/1.1 401 Unauthorized\r\nDocker-Distribution-API-Version: ${'registry/2.0 '.repeat(80_000)}\r\n` +
            `WWW-Authenticate: Bearer realm="https://a.test/t",${'x="\\"\\\\",'.repeat(120_000)}\r\nContent-Length: 0\r\n\r\n`,
        ),
      ),
    ),
  );
  for (const n of NAMES) {
    const dir = path.join(nodeRoot, 'etc/containerd/certs.d', `${host(n)}:${ports[n]}`);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'ca.crt'), ca.certPem);
    await writeFile(path.join(dir, 'hosts.toml'), `server = "https://${host(n)}:${ports[n]}"\nca = "ca.crt"\n`);
  }
}, 60_000);

afterAll(async () => {
  for (const s of sockets) s.destroy();
  for (const s of servers) s.close();
  await rm(nodeRoot, { recursive: true, force: true });
});

async function run(n: Name, o: { probeTimeoutMs: number; timeoutMs: number }) {
  const hosts = Object.fromEntries(NAMES.map((h) => [host(h), '127.0.0.1']));
  const started = performance.now();
  const result = await diagnose({
    target: parseTarget(`${host(n)}:${ports[n]}/app:1`),
    options: { ...DEFAULT_RUN_OPTIONS, root: nodeRoot, pull: false, ...o, goVersion: 'go1.22' },
    adapters: createRealAdapters({ root: nodeRoot, hosts, env: {} }),
  });
  return { ...result, ms: performance.now() - started };
}

describe('TLS servers sending enormous certificate messages', () => {
  it('300 certificates (more than the flight parser takes): judged as Go judges the message size, not as "not TLS"', async () => {
    const r = await run('chain300', { probeTimeoutMs: 3000, timeoutMs: 15_000 });
    expect(r.report.checks.filter((c) => c.status === 'crash').map((c) => c.id)).toEqual([]);
    expect(r.report.verdict.code).toBe('tls-handshake-failed');
    expect(r.report.verdict.predictedRuntimeError).toMatch(/tls: handshake message of length \d+ bytes exceeds maximum of 65536 bytes$/);
    expect(r.ms).toBeLessThan(10_000);
  });

  it('a 5 MB Certificate message: the probe stops at its byte budget, and says what Go would say', async () => {
    global.gc?.();
    const before = process.memoryUsage().rss;
    const probe = await new RealTls({ [host('bigchain')]: '127.0.0.1' }).probe({
      host: host('bigchain'),
      port: ports.bigchain,
      servername: host('bigchain'),
      timeoutMs: 3000,
    });
    expect(probe.outcome).not.toBe('timeout');
    expect(probe.durationMs).toBeLessThan(3000);
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
    const r = await run('bigchain', { probeTimeoutMs: 3000, timeoutMs: 15_000 });
    expect(r.report.checks.filter((c) => c.status === 'crash').map((c) => c.id)).toEqual([]);
    expect(r.report.verdict.code).toBe('tls-handshake-failed');
    expect(r.report.verdict.predictedRuntimeError).toMatch(/tls: handshake message of length \d{7} bytes exceeds maximum of 65536 bytes$/);
    const tlsCheck = r.report.checks.find((c) => c.id === 'tls-handshake')!;
    expect(tlsCheck.evidence.join('\n')).toMatch(/Certificate message of \d{7} bytes in TLSv1\.2 for \d+\+ certificates/);
    expect(r.ms).toBeLessThan(10_000);
  });
});

describe('readOversizedCertificate: only a Certificate message the flight parser could not take whole', () => {
  const rec = (type: number, body: Buffer) => Buffer.concat([Buffer.from([type, 3, 3, body.length >> 8, body.length & 0xff]), body]);
  const hello = Buffer.concat([Buffer.from([2]), u24(38), Buffer.from([3, 3]), randomBytes(32), Buffer.from([0, 0xc0, 0x2f, 0])]);
  const cert = randomBytes(300);
  const message = (n: number) => {
    const list = Buffer.concat(Array.from({ length: n }, () => Buffer.concat([u24(cert.length), cert])));
    return Buffer.concat([Buffer.from([11]), u24(list.length + 3), u24(list.length), list]);
  };
  const records = (hs: Buffer) => {
    const out: Buffer[] = [];
    for (let o = 0; o < hs.length; o += 16384) out.push(rec(0x16, hs.subarray(o, o + 16384)));
    return Buffer.concat(out);
  };

  it('a message cut by the byte budget: its declared length, the version and suite, the certificates received', () => {
    const whole = records(Buffer.concat([hello, message(100)]));
    const r = readOversizedCertificate(whole.subarray(0, 10_000))!;
    expect(r.length).toBe(3 + 100 * 303);
    expect(r).toMatchObject({ version: 0x0303, cipher: expect.stringMatching(/ECDHE_RSA_WITH_AES_128_GCM_SHA256|0xc02f/) });
    expect(r.chain.length).toBeGreaterThan(20);
    expect(r.chain.every((c) => c.equals(cert))).toBe(true);
  });

  it('more certificates than kept: 200 kept, the whole length declared', () => {
    const r = readOversizedCertificate(records(Buffer.concat([hello, message(300)])))!;
    expect(r.chain).toHaveLength(200);
    expect(r.length).toBe(3 + 300 * 303);
  });

  it('an ordinary complete message refused for another reason, a flight without ServerHello, or no TLS: nothing', () => {
    const ok = Buffer.concat([records(Buffer.concat([hello, message(3)])), rec(23, Buffer.from('garbage'))]);
    expect(readOversizedCertificate(ok)).toBeUndefined();
    expect(readOversizedCertificate(records(message(300)))).toBeUndefined();
    expect(readOversizedCertificate(Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n'))).toBeUndefined();
  });
});

describe('hostile HTTPS proxies (the TLS probe tunnels through CONNECT)', () => {
  const probe = (port: number) =>
    new RealTls().probe({ host: 'reg.test', port: 443, servername: 'reg.test', timeoutMs: 800, proxy: `http://127.0.0.1:${port}` });

  it('a CONNECT answer at one byte a second: a timeout within the step bound', async () => {
    const r = await probe(ports.proxyDrip);
    expect(r.outcome).toBe('timeout');
    expect(r.durationMs).toBeLessThan(1500);
  });

  it('the HTTP adapter through the same dripping proxy: a timeout within the step bound', async () => {
    const r = await new RealHttp().request({ url: 'https://reg.test/v2/', timeoutMs: 800, proxy: `http://127.0.0.1:${ports.proxyDrip}` });
    expect(r.ok ? 'answered' : r.error.kind).toBe('timeout');
    expect(r.ok ? 0 : r.durationMs).toBeLessThan(1500);
  });

  it('a 1 MB CONNECT answer: refused at its cap, said as a proxy error', async () => {
    const r = await probe(ports.proxyHuge);
    expect(r.outcome).toBe('error');
    expect(r.proxyError).toBe('malformed HTTP response');
    expect(r.durationMs).toBeLessThan(1500);
  });
});

describe('HTTP servers that never finish (the adapter)', () => {
  const httpAdapter = new RealHttp();
  const get = (port: number, timeoutMs = 700, maxBodyBytes?: number) =>
    httpAdapter.request({ url: `http://127.0.0.1:${port}/v2/`, timeoutMs, maxBodyBytes });

  it('response headers at one byte a second: a timeout within the step bound', async () => {
    const r = await get(ports.plainSlow);
    expect(r.ok ? 'answered' : r.error.kind).toBe('timeout');
    expect(r.ok ? 0 : r.durationMs).toBeLessThan(1500);
  });

  it('an endless chunked body, slow: a timeout within the step bound (no per-chunk reset)', async () => {
    const r = await get(ports.plainChunked);
    expect(r.ok ? 'answered' : r.error.kind).toBe('timeout');
    expect(r.ok ? 0 : r.durationMs).toBeLessThan(1500);
  });

  it('an endless body, fast: cut at the cap and marked truncated', async () => {
    const r = await get(ports.plainFast, 5000, 256 * 1024);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.response.truncated).toBe(true);
    expect(r.response.body.length).toBe(256 * 1024);
    expect(r.response.durationMs).toBeLessThan(3000);
  });

  it('a gzip bomb: the body is never decoded (the compressed bytes, capped, are what a judge sees)', async () => {
    const r = await get(ports.gzip, 5000, 1024 * 1024);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.response.body.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(r.response.body.length).toBeLessThan(1024 * 1024);
  });

  it('a 4 MB header block: refused as a protocol error, at once', async () => {
    const r = await get(ports.bigHeaders, 5000);
    expect(r.ok ? 'answered' : r.error.kind).toBe('protocol');
    expect(r.ok ? '' : r.error.message).toMatch(/header/i);
    expect(r.ok ? 0 : r.durationMs).toBeLessThan(3000);
  });

  it('a 1 MB WWW-Authenticate and API-version header: refused, and the parser is linear on what it is given', async () => {
    const r = await get(ports.bigAuth, 5000);
    expect(r.ok ? 'answered' : r.error.kind).toBe('protocol');
    const header = `Bearer realm="https://a.test/t",${'x="\\"\\\\",'.repeat(120_000)}${'a '.repeat(200_000)}`;
    const started = performance.now();
    const challenges = parseWwwAuthenticate(header);
    expect(performance.now() - started).toBeLessThan(1500);
    expect(challenges[0]!.params.realm).toBe('https://a.test/t');
  });
});

describe('the whole diagnosis is bounded by its deadline', () => {
  it('a registry answering one byte a second: every step times out and the run ends at --timeout', async () => {
    const r = await run('slowhdr', { probeTimeoutMs: 2500, timeoutMs: 3000 });
    expect(r.ms).toBeLessThan(5000);
    const api = r.report.checks.find((c) => c.id === 'registry-api')!;
    expect(api.status).not.toBe('pass');
    expect(r.report.verdict.code).not.toBe('healthy');
  });

  it('a registry whose answers carry a 1 MB header: a clear finding naming the overflow, no crash', async () => {
    const r = await run('bighdr', { probeTimeoutMs: 2000, timeoutMs: 10_000 });
    expect(r.ms).toBeLessThan(8000);
    expect(r.report.checks.filter((c) => c.status === 'crash').map((c) => c.id)).toEqual([]);
    const api = r.report.checks.find((c) => c.id === 'registry-api')!;
    expect(api.status).not.toBe('pass');
    expect(JSON.stringify(r.report)).toMatch(/[Hh]eader overflow/);
  });

  it('a registry with endless bodies: capped, the diagnosis completes with a verdict', async () => {
    const r = await run('endless', { probeTimeoutMs: 2000, timeoutMs: 10_000 });
    expect(r.ms).toBeLessThan(8000);
    expect(r.report.checks.filter((c) => c.status === 'crash').map((c) => c.id)).toEqual([]);
  });
});
