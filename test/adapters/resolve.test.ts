// RealNet resolving as containerd's Go resolver would, against a real UDP DNS server on loopback (test/adapters/
// dns-server.ts) named by a resolv.conf in a node tree read through the root-prefixed fs. resolv.conf cannot carry a
// port, so the server's port comes through the adapter's dnsPort option (the test seam).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import { RealNet } from '../../src/adapters/net.js';
import { RealHttp } from '../../src/adapters/http-real.js';
import { RootedFs } from '../../src/adapters/fs.js';
import { judgeTcp } from '../../src/probe/judge-tcp.js';
import { parseTarget } from '../../src/core/reference.js';
import { startDnsServer, type DnsServer } from './dns-server.js';

let dns: DnsServer;
const roots: string[] = [];

beforeAll(async () => {
  dns = await startDnsServer((name) => {
    if (name === 'reg.corp.example.') return { a: ['10.9.8.7'], aaaa: ['fd00::7'] };
    if (name === 'v4only.example.') return { a: ['10.9.8.6'] };
    if (name === 'both.example.') return { a: ['10.9.8.5'] };
    if (name === 'web.example.') return { a: ['127.0.0.1'] };
    if (name.startsWith('silent.')) return 'drop';
    if (name.startsWith('broken.')) return { rcode: 2 };
    if (name.startsWith('refused.')) return { rcode: 5 };
    return { rcode: 3 };
  });
});
afterAll(async () => {
  await dns.close();
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

/** A node tree holding the resolver files given (undefined: absent). */
function tree(files: { resolv?: string; nsswitch?: string; hosts?: string }): RootedFs {
  const root = mkdtempSync(join(tmpdir(), 'regdoctor-resolve-'));
  roots.push(root);
  mkdirSync(join(root, 'etc'));
  if (files.resolv !== undefined) writeFileSync(join(root, 'etc/resolv.conf'), files.resolv);
  if (files.nsswitch !== undefined) writeFileSync(join(root, 'etc/nsswitch.conf'), files.nsswitch);
  if (files.hosts !== undefined) writeFileSync(join(root, 'etc/hosts'), files.hosts);
  writeFileSync(join(root, 'etc/hostname'), 'node1.lab.example\n');
  return new RootedFs(root);
}

const RESOLV = 'nameserver 127.0.0.1\nsearch corp.example\noptions timeout:30 attempts:3\n';
const net = (fs: RootedFs) => new RealNet({}, { fs, dnsPort: dns.port });
const asked = (from: number) => dns.asked.slice(from);

describe('the pure-Go path (nsswitch hosts: files dns)', () => {
  const fs = tree({
    resolv: RESOLV,
    nsswitch: 'hosts: files dns\n',
    hosts: '127.0.0.1 localhost\n10.1.1.1 Pinned.Example pinned-alias # lab\n',
  });

  it('/etc/hosts first (case-insensitive, an alias, a trailing dot): DNS is not asked', async () => {
    const n0 = dns.asked.length;
    for (const name of ['pinned.example', 'PINNED-ALIAS', 'pinned.example.']) {
      const r = await net(fs).lookup(name, { timeoutMs: 2000 });
      expect(r, name).toMatchObject({
        ok: true,
        addresses: [{ address: '10.1.1.1', family: 4 }],
        via: { resolver: 'go', source: 'hosts' },
      });
    }
    expect(asked(n0)).toEqual([]);
  });

  it('a short name goes through the search list first, A and AAAA both asked', async () => {
    const n0 = dns.asked.length;
    const r = await net(fs).lookup('reg', { timeoutMs: 2000 });
    expect(r).toMatchObject({
      ok: true,
      addresses: [
        { address: '10.9.8.7', family: 4 },
        { address: 'fd00::7', family: 6 },
      ],
      via: { resolver: 'go', order: 'files,dns', source: 'dns', servers: ['127.0.0.1'] },
    });
    expect(asked(n0).sort()).toEqual(['reg.corp.example. A', 'reg.corp.example. AAAA']);
  });

  it('NXDOMAIN everywhere: "no such host" naming the server, the name as given; every search name was asked', async () => {
    const n0 = dns.asked.length;
    const r = await net(fs).lookup('missing.example', { timeoutMs: 2000 });
    expect(r).toMatchObject({
      ok: false,
      error: 'not-found',
      goError: `lookup missing.example on 127.0.0.1:${dns.port}: no such host`,
    });
    expect(new Set(asked(n0))).toEqual(
      new Set(['missing.example. A', 'missing.example. AAAA', 'missing.example.corp.example. A', 'missing.example.corp.example. AAAA']),
    );
  });

  it('SERVFAIL and REFUSED: "server misbehaving"; an answer without AAAA is still the A', async () => {
    expect(await net(fs).lookup('broken.example', { timeoutMs: 2000 })).toMatchObject({
      ok: false,
      error: 'failure',
      goError: `lookup broken.example on 127.0.0.1:${dns.port}: server misbehaving`,
    });
    expect(await net(fs).lookup('refused.example', { timeoutMs: 2000 })).toMatchObject({
      ok: false,
      goError: expect.stringMatching(/server misbehaving$/),
    });
    expect(await net(fs).lookup('v4only.example', { timeoutMs: 2000 })).toMatchObject({
      ok: true,
      addresses: [{ address: '10.9.8.6', family: 4 }],
    });
  });

  it('a server that never answers: "i/o timeout" at the step’s bound, and the resolver is cancelled (no retry follows)', async () => {
    const n0 = dns.asked.length;
    const started = performance.now();
    const r = await net(fs).lookup('silent.example', { timeoutMs: 400 });
    const took = performance.now() - started;
    expect(r).toMatchObject({ ok: false, error: 'timeout', goError: `lookup silent.example on 127.0.0.1:${dns.port}: i/o timeout` });
    expect(took).toBeGreaterThanOrEqual(390);
    expect(took).toBeLessThan(1500);
    const sent = asked(n0).length;
    expect(sent).toBeGreaterThan(0);
    // resolv.conf says timeout:30 — but with timeout:1 c-ares would have retried within the wait below; cancelled,
    // nothing more is sent
    const fast = tree({ resolv: 'nameserver 127.0.0.1\noptions timeout:1 attempts:5\n', nsswitch: 'hosts: files dns\n' });
    const n1 = dns.asked.length;
    expect(await net(fast).lookup('silent.again.example', { timeoutMs: 300 })).toMatchObject({ ok: false, error: 'timeout' });
    const afterCancel = dns.asked.length;
    expect(afterCancel).toBeGreaterThan(n1);
    await new Promise((r2) => setTimeout(r2, 2500));
    expect(dns.asked.length).toBe(afterCancel);
  });

  it('an abort ends the lookup at once', async () => {
    const ctrl = new AbortController();
    setTimeout(() => ctrl.abort(), 100);
    const started = performance.now();
    const r = await net(fs).lookup('silent.abort.example', { timeoutMs: 10_000, signal: ctrl.signal });
    expect(r).toMatchObject({ ok: false, error: 'timeout', code: 'ABORTED' });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('judged: the prediction carries Go’s text; a name from /etc/hosts says so', async () => {
    const target = parseTarget('missing.example:5000/app:1');
    const ep = { hostname: 'missing.example', port: 5000, endpointUrl: 'https://missing.example:5000/v2' };
    const lookup = await net(fs).lookup('missing.example', { timeoutMs: 2000 });
    const out = judgeTcp({ ...ep, nameserver: '127.0.0.1', lookup, connects: [] }, target);
    expect(out.findings?.[0]?.data?.goError).toBe(`dial tcp: lookup missing.example on 127.0.0.1:${dns.port}: no such host`);
    const pinned = await net(fs).lookup('pinned.example', { timeoutMs: 2000 });
    const ok = judgeTcp(
      {
        ...ep,
        hostname: 'pinned.example',
        lookup: pinned,
        connects: [{ ok: true, address: '10.1.1.1', port: 5000, localAddress: '', durationMs: 1 }],
      },
      target,
    );
    expect(ok.evidence).toContain('pinned.example is listed in /etc/hosts (Go reads it before DNS)');
  });
});

describe('other orders and libc', () => {
  it('hosts: dns files — DNS first, /etc/hosts after it fails', async () => {
    const fs = tree({ resolv: RESOLV, nsswitch: 'hosts: dns files\n', hosts: '10.2.2.2 both.example late.example\n' });
    expect(await net(fs).lookup('both.example', { timeoutMs: 2000 })).toMatchObject({
      ok: true,
      addresses: [{ address: '10.9.8.5' }],
      via: { source: 'dns' },
    });
    expect(await net(fs).lookup('late.example', { timeoutMs: 2000 })).toMatchObject({
      ok: true,
      addresses: [{ address: '10.2.2.2' }],
      via: { order: 'dns,files', source: 'hosts' },
    });
  });

  it('hosts: files — no DNS at all: "no such host" without a server', async () => {
    const fs = tree({ resolv: RESOLV, nsswitch: 'hosts: files\n', hosts: '127.0.0.1 localhost\n' });
    const n0 = dns.asked.length;
    expect(await net(fs).lookup('reg', { timeoutMs: 2000 })).toMatchObject({
      ok: false,
      error: 'not-found',
      goError: 'lookup reg: no such host',
    });
    expect(asked(n0)).toEqual([]);
  });

  it('a source Go does not know (systemd-resolved’s `resolve`): libc’s getaddrinfo, and the evidence says why', async () => {
    const fs = tree({ resolv: RESOLV, nsswitch: 'hosts: files resolve [!UNAVAIL=return] dns\n' });
    const n0 = dns.asked.length;
    const r = await net(fs).lookup('localhost', { timeoutMs: 5000 });
    expect(r).toMatchObject({
      ok: true,
      via: { resolver: 'libc', reason: expect.stringContaining('hosts: files resolve [!unavail=return] dns') },
    });
    expect(asked(n0)).toEqual([]);
    const target = parseTarget('localhost:5000/app:1');
    const out = judgeTcp(
      {
        hostname: 'localhost',
        port: 5000,
        endpointUrl: 'https://localhost:5000/v2',
        lookup: r,
        connects: [{ ok: true, address: '127.0.0.1', port: 5000, localAddress: '', durationMs: 1 }],
      },
      target,
    );
    expect(out.evidence?.join('\n')).toMatch(
      /resolved through libc \(getaddrinfo\), as containerd does on this node: \/etc\/nsswitch\.conf hosts: files resolve/,
    );
  });

  it('GODEBUG=netdns=go in the runtime’s environment keeps the Go resolver even then', async () => {
    const fs = tree({ resolv: RESOLV, nsswitch: 'hosts: files resolve dns\n' });
    expect(await net(fs).lookup('reg', { timeoutMs: 2000, env: { GODEBUG: 'netdns=go' } })).toMatchObject({
      ok: true,
      via: { resolver: 'go', source: 'dns' },
    });
  });
});

describe('HTTP requests resolve through the same resolver', () => {
  it('a request to a name answered by the tree’s DNS server reaches it; an unknown name fails with Go’s lookup text', async () => {
    const fs = tree({ resolv: RESOLV, nsswitch: 'hosts: files dns\n', hosts: '127.0.0.1 localhost\n' });
    const n = net(fs);
    const http = new RealHttp({}, (h, o) => n.lookup(h, o));
    const server = createServer((_, res) => res.end('hello'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const n0 = dns.asked.length;
      const ok = await http.request({ url: `http://web.example:${port}/`, timeoutMs: 3000 });
      expect(ok).toMatchObject({ ok: true, response: { status: 200 } });
      expect(asked(n0)).toContain('web.example. A');
      const bad = await http.request({ url: `http://nowhere.example:${port}/`, timeoutMs: 3000 });
      expect(bad).toMatchObject({
        ok: false,
        error: { kind: 'dns', message: `lookup nowhere.example on 127.0.0.1:${dns.port}: no such host` },
      });
    } finally {
      server.close();
    }
  });
});
