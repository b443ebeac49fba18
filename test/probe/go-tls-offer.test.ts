// The TLS probe offers what the runtime's Go client offers (issue 13 item 11): against real in-process TLS servers on
// loopback, a DHE-only server refuses the Go offer (as it refuses containerd) though Node would negotiate it; a chain
// over Go's Certificate-message limit is predicted with Go's error and the length Go reads for the protocol it
// negotiates; the per-Go-version table follows Go's defaults.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { createCA, generateKey, issueCert, selfSigned } from '../../src/x509/build.js';
import { RealTls, readServerHello } from '../../src/adapters/tls-real.js';
import { certificateMessageLength, goTlsOffer, goTlsProfile, TLS10, TLS12, TLS13 } from '../../src/runtime/go-tls.js';
import { judgeTls } from '../../src/probe/judge-tls.js';
import { parseTarget } from '../../src/core/reference.js';
import { httpsEndpoint } from '../helpers/endpoint.js';

const root = createCA({ cn: 'Offer Root CA', keyType: 'rsa' });
const host = 'offer.test';
const rsaLeaf = issueCert(root, { cn: host, dns: [host], keyType: 'rsa' });

const servers: tls.Server[] = [];
async function serve(opts: tls.TlsOptions): Promise<number> {
  const s = tls.createServer(opts, (sock) => sock.end('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'));
  s.on('tlsClientError', () => undefined);
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return (s.address() as AddressInfo).port;
}
afterAll(() => {
  for (const s of servers) s.close();
});

const probe = (port: number, goVersion?: string) =>
  new RealTls().probe({ host: '127.0.0.1', port, servername: host, timeoutMs: 5000, offer: goVersion ? goTlsOffer(goVersion) : undefined });

const endpoint = (port: number) => httpsEndpoint(host, port);

describe('the per-Go-version table', () => {
  it('follows Go: TLS 1.0 minimum before go1.18, RSA key exchange until go1.21, 3DES until go1.22, 64 KiB certificate messages until go1.22', () => {
    const g17 = goTlsProfile('go1.17.13');
    const g19 = goTlsProfile('go1.19.8');
    const g22 = goTlsProfile('go1.22.5');
    const g23 = goTlsProfile('go1.23.1');
    const g25 = goTlsProfile('go1.25.0');
    expect(g17.minVersion).toBe(TLS10);
    expect(g19.minVersion).toBe(TLS12);
    expect(g19.maxVersion).toBe(TLS13);
    expect(g19.cipherSuites).toContain('TLS_RSA_WITH_AES_128_GCM_SHA256');
    expect(g19.cipherSuites).toContain('TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA');
    expect(g22.cipherSuites).not.toContain('TLS_RSA_WITH_AES_128_GCM_SHA256');
    expect(g22.cipherSuites).toContain('TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA');
    expect(g23.cipherSuites).not.toContain('TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA');
    for (const g of [g17, g19, g22, g23, g25]) expect(g.cipherSuites.some((c) => /_DHE_/.test(c))).toBe(false);
    expect(g19.certificateMessageLimit).toBe(65536);
    expect(g22.certificateMessageLimit).toBe(65536);
    expect(g23.certificateMessageLimit).toBe(262144);
    expect(g19.groups).toEqual(['X25519', 'P-256', 'P-384', 'P-521']);
    expect(g23.groups[0]).toBe('X25519Kyber768Draft00');
    expect(goTlsProfile('go1.24.2').groups[0]).toBe('X25519MLKEM768');
    expect(g19.sha1Signatures).toBe(true);
    expect(g25.sha1Signatures).toBe(false);
    // the Node side of the same offer: no DHE, Go's curves, Go's versions
    const o = goTlsOffer('go1.19.8');
    expect(o.node.ciphers).not.toMatch(/(^|:)DHE-/);
    expect(o.node.ecdhCurve).toBe('X25519:P-256:P-384:P-521');
    expect(o.node.minVersion).toBe('TLSv1.2');
    expect(goTlsOffer('go1.24').node.ecdhCurve).toBe('X25519:P-256:P-384:P-521');
    expect(goTlsOffer('go1.17').node.minVersion).toBe('TLSv1');
    // GODEBUG in containerd's environment undoes a row
    expect(goTlsProfile('go1.22.5', 'tlsrsakex=1').cipherSuites).toContain('TLS_RSA_WITH_AES_128_GCM_SHA256');
    expect(goTlsProfile('go1.24.1', 'x509sha1=1,tlsmlkem=0').groups).toEqual(['X25519', 'P-256', 'P-384', 'P-521']);
    expect(goTlsOffer('go1.25.0', 'tlssha1=1').node.sigalgs).toMatch(/rsa_pkcs1_sha1/);
    expect(goTlsOffer('go1.25.0').node.sigalgs).not.toMatch(/sha1/i);
  });

  it('computes the Certificate message length Go reads for TLS 1.2 and TLS 1.3', () => {
    expect(certificateMessageLength([1000, 500], 'TLSv1.2')).toBe(3 + 1003 + 503);
    expect(certificateMessageLength([1000, 500], 'TLSv1.3')).toBe(1 + 3 + 1005 + 505);
  });

  it('reads a ServerHello: TLS 1.3 from supported_versions, alerts by name, nothing from a partial record', () => {
    const sh = Buffer.concat([
      Buffer.from([0x03, 0x03]),
      Buffer.alloc(32),
      Buffer.from([0]),
      Buffer.from([0x13, 0x01, 0]),
      Buffer.from([0, 6, 0x00, 0x2b, 0, 2, 0x03, 0x04]),
    ]);
    const hs = Buffer.concat([Buffer.from([2, 0, 0, sh.length]), sh]);
    const rec = Buffer.concat([Buffer.from([0x16, 3, 3, 0, hs.length]), hs]);
    expect(readServerHello(rec)).toEqual({ version: TLS13, cipher: 'TLS_AES_128_GCM_SHA256' });
    expect(readServerHello(rec.subarray(0, 20))).toBeUndefined();
    // TLS 1.3: a change_cipher_spec and encrypted records follow in the same read
    expect(readServerHello(Buffer.concat([rec, Buffer.from([0x14, 3, 3, 0, 1, 1, 0x17, 3, 3, 0, 1, 0])]))?.version).toBe(TLS13);
    expect(readServerHello(Buffer.from([0x15, 3, 3, 0, 2, 2, 40]))).toEqual({ alert: 'handshake failure' });
  });
});

describe('the probe offers what Go offers (real TLS servers on loopback)', () => {
  let dhePort = 0;
  let bigPort = 0;
  let big12Port = 0;
  let oldPort = 0;
  const key = generateKey('rsa');
  const junk = Array.from({ length: 90 }, (_, i) => selfSigned({ cn: `junk-${i}.offer.test`, dns: [`junk-${i}.offer.test`], key }));
  beforeAll(async () => {
    // DHE-only, TLS 1.2 at most: OpenSSL negotiates it with Node's defaults; Go offers no DHE suite.
    dhePort = await serve({
      cert: rsaLeaf.certPem,
      key: rsaLeaf.keyPem,
      ciphers: 'DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384',
      maxVersion: 'TLSv1.2',
      dhparam: 'auto',
    } as tls.TlsOptions);
    const chain = rsaLeaf.certPem + root.certPem + junk.map((j) => j.certPem).join('');
    bigPort = await serve({ cert: chain, key: rsaLeaf.keyPem });
    big12Port = await serve({ cert: chain, key: rsaLeaf.keyPem, maxVersion: 'TLSv1.2' });
    oldPort = await serve({
      cert: rsaLeaf.certPem,
      key: rsaLeaf.keyPem,
      minVersion: 'TLSv1',
      maxVersion: 'TLSv1',
      ciphers: 'DEFAULT@SECLEVEL=0',
    });
  }, 60_000);

  it('a DHE-only server: Node negotiates it, the go1.19 offer gets "handshake failure", judged tls-handshake-failed with Go\'s text', async () => {
    const node = await probe(dhePort);
    expect(node.outcome).toBe('handshake');
    expect(node.cipher).toMatch(/DHE_RSA/);
    const go = await probe(dhePort, 'go1.19.8');
    expect(go.outcome).toBe('alert');
    expect(go.alert).toBe('handshake failure');
    const target = parseTarget(`${host}:${dhePort}/lab/hello:1.0`);
    const out = judgeTls(
      { endpoint: endpoint(dhePort), serverName: host, probe: go, presentedClientCert: false, goVersion: 'go1.19.8' },
      target,
    );
    expect(out.findings?.[0]?.code).toBe('tls-handshake-failed');
    expect(out.findings?.[0]?.predictedRuntimeError).toMatch(/: remote error: tls: handshake failure$/);
    expect(out.findings?.[0]?.summary).toMatch(/never DHE/);
  });

  it("an oversized chain over TLS 1.3: Go's error with the TLS 1.3 length, learned from the server's choice for the Go offer", async () => {
    const p = await probe(bigPort, 'go1.19.8');
    expect(p.outcome).toBe('handshake');
    expect(p.protocol).toBe('TLSv1.3');
    expect(p.chainProtocol).toBe('TLSv1.2');
    const n = certificateMessageLength(
      p.chain.map((c) => c.length),
      'TLSv1.3',
    );
    expect(n).toBeGreaterThan(65536);
    const target = parseTarget(`${host}:${bigPort}/lab/hello:1.0`);
    const out = judgeTls(
      { endpoint: endpoint(bigPort), serverName: host, probe: p, presentedClientCert: false, goVersion: 'go1.19.8' },
      target,
    );
    expect(out.findings?.[0]?.code).toBe('tls-handshake-failed');
    expect(out.findings?.[0]?.data?.goError).toBe(`tls: handshake message of length ${n} bytes exceeds maximum of 65536 bytes`);
    // go1.23 accepts certificate messages up to 256 KiB: no finding
    const later = judgeTls(
      { endpoint: endpoint(bigPort), serverName: host, probe: p, presentedClientCert: false, goVersion: 'go1.23.0' },
      target,
    );
    expect(later.findings ?? []).toEqual([]);
  });

  it('the same chain from a TLS 1.2 server: the TLS 1.2 length', async () => {
    const p = await probe(big12Port, 'go1.19.8');
    expect(p.protocol).toBe('TLSv1.2');
    expect(p.chainProtocol).toBeUndefined();
    const n = certificateMessageLength(
      p.chain.map((c) => c.length),
      'TLSv1.2',
    );
    const out = judgeTls(
      { endpoint: endpoint(big12Port), serverName: host, probe: p, presentedClientCert: false, goVersion: 'go1.19.8' },
      parseTarget(`${host}:${big12Port}/lab/hello:1.0`),
    );
    expect(out.findings?.[0]?.data?.goError).toBe(`tls: handshake message of length ${n} bytes exceeds maximum of 65536 bytes`);
  });

  it('a TLS 1.0-only server: go1.17 (minimum TLS 1.0) completes, go1.19 (minimum TLS 1.2) is refused with protocol version', async () => {
    const g17 = await probe(oldPort, 'go1.17.13');
    expect(g17.outcome).toBe('handshake');
    expect(g17.protocol).toBe('TLSv1');
    const g19 = await probe(oldPort, 'go1.19.8');
    expect(g19.outcome).toBe('alert');
    expect(g19.alert).toBe('protocol version not supported');
  });
});
