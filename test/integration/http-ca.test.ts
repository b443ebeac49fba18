// The HTTP and TLS adapters against a real HTTPS server: a request that does not verify hands node:tls an empty CA
// list (so Node never builds its bundled root store for it), and a verifying request trusts exactly the pool it
// names — never Node's own roots.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as https from 'node:https';
import type * as tls from 'node:tls';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { createCA, issueCert, selfSigned } from '../../src/x509/build.js';
import { RealHttp, caOption } from '../../src/adapters/http-real.js';
import { RealTls } from '../../src/adapters/tls-real.js';

const ca = createCA({ cn: 'CA option test CA' });
const leaf = issueCert(ca, { cn: 'ca-option.test', dns: ['ca-option.test'] });
const other = selfSigned({ cn: 'unrelated', dns: ['unrelated.test'] });
// node:tls's own module object (the ESM namespace is frozen): what _tls_wrap calls when it needs a context
const tlsModule = createRequire(import.meta.url)('node:tls') as { createSecureContext: typeof tls.createSecureContext };
let server: https.Server;
let port = 0;

/** The `ca` option of every secure context node:tls creates while `fn` runs. */
async function contextsDuring(fn: () => Promise<unknown>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const original = tlsModule.createSecureContext;
  tlsModule.createSecureContext = (o?: tls.SecureContextOptions) => {
    seen.push(o?.ca);
    return original(o);
  };
  try {
    await fn();
  } finally {
    tlsModule.createSecureContext = original;
  }
  return seen;
}

beforeAll(async () => {
  server = https.createServer({ cert: leaf.certPem + ca.certPem, key: leaf.keyPem }, (_req, res) => res.end('{}'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('caOption', () => {
  it('is an empty list for a request that does not verify, the named pool otherwise', () => {
    expect(caOption(undefined)).toEqual([]);
    expect(caOption({ rejectUnauthorized: false })).toEqual([]);
    expect(caOption({ rejectUnauthorized: false, ca: ['x'] })).toEqual(['x']);
    expect(caOption({ rejectUnauthorized: true, ca: ['x'] })).toEqual(['x']);
    expect(caOption({ rejectUnauthorized: true })).toBeUndefined();
  });
});

describe('RealHttp against a real HTTPS server', () => {
  const http = new RealHttp({ 'ca-option.test': '127.0.0.1' });
  const url = () => `https://ca-option.test:${port}/v2/`;

  it('an anonymous probe (verification off) succeeds and gives node:tls an empty CA list', async () => {
    let status = 0;
    const cas = await contextsDuring(async () => {
      const r = await http.request({ url: url(), timeoutMs: 5000, tls: { rejectUnauthorized: false, servername: 'ca-option.test' } });
      if (r.ok) status = r.response.status;
    });
    expect(status).toBe(200);
    expect(cas).toEqual([[]]);
  });

  it('a verifying request trusts the pool it names', async () => {
    const r = await http.request({
      url: url(),
      timeoutMs: 5000,
      tls: { rejectUnauthorized: true, ca: [ca.certPem], servername: 'ca-option.test' },
    });
    expect(r.ok && r.response.status).toBe(200);
  });

  it('a verifying request with a pool that lacks the issuer fails verification', async () => {
    const r = await http.request({
      url: url(),
      timeoutMs: 5000,
      tls: { rejectUnauthorized: true, ca: [other.certPem], servername: 'ca-option.test' },
    });
    expect(r.ok).toBe(false);
  });
});

describe('RealTls handshake probe', () => {
  it('reads the chain with an empty CA list in node:tls', async () => {
    const probe = new RealTls({ 'ca-option.test': '127.0.0.1' });
    let chainLength = 0;
    const cas = await contextsDuring(async () => {
      const r = await probe.probe({ host: 'ca-option.test', port, servername: 'ca-option.test', timeoutMs: 5000, fullHandshake: true });
      chainLength = r.chain.length;
    });
    expect(chainLength).toBe(2);
    for (const c of cas) expect(c).toEqual([]);
  });
});
