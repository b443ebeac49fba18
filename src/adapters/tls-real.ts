// Real TLS probe: a raw TLS 1.2 exchange first (certificates exactly as sent, CertificateRequest and its CA names,
// plain-HTTP detection), falling back to node:tls for TLS-1.3-only servers and for presenting a client certificate.
// Both offer what the runtime's client offers when the caller passes its offer (versions, suites, groups, signature
// schemes: src/runtime/go-tls.ts), so the server answers the probe as it answers the runtime.
// Every path is bounded by the timeout, the abort signal and a byte budget.
import * as net from 'node:net';
import { isIP } from '../text/ip.js';
import * as tls from 'node:tls';
import { generateKeyPairSync } from 'node:crypto';
import type { TlsAdapter, TlsClientOffer, TlsProbeOptions, TlsProbeResult } from './tls.js';
import { ALERTS, buildClientHello, CIPHER_NAMES, printable, ServerFlightParser, type ServerFlight } from '../wire/tls12.js';
import { parseNameDer } from '../x509/cert.js';
import type { HostsOverride } from './net.js';

const MAX_BYTES = 1024 * 1024;

// OpenSSL's alert wording → Go's (crypto/tls alert.go), since predictions quote Go.
const OPENSSL_TO_GO_ALERT: Record<string, string> = {
  'unknown ca': 'unknown certificate authority',
  'protocol version': 'protocol version not supported',
  'insufficient security': 'insufficient security level',
  'decode error': 'error decoding message',
  'decrypt error': 'error decrypting message',
};

function versionName(v?: number): string | undefined {
  return v === 0x0304 ? 'TLSv1.3' : v === 0x0303 ? 'TLSv1.2' : v === 0x0302 ? 'TLSv1.1' : v === 0x0301 ? 'TLSv1' : undefined;
}

const VERSION_NUMBER: Record<string, number> = { TLSv1: 0x0301, 'TLSv1.1': 0x0302, 'TLSv1.2': 0x0303, 'TLSv1.3': 0x0304 };

/** The TLS 1.2 ClientHello the raw probe sends: the certificates travel in the clear. With an offer, only what the
 *  runtime's client offers for TLS 1.2 (a server that shares no suite, group or signature scheme with it refuses). */
function hello12(opts: TlsProbeOptions): Buffer {
  const o = opts.offer;
  return buildClientHello(
    opts.servername,
    opts.alpn,
    o ? { cipherSuites: o.cipherSuites, groups: o.groups, signatureAlgorithms: o.signatureAlgorithms } : undefined,
  );
}

/** The ServerHello (version from supported_versions when present, suite) or an alert, from the first bytes a server
 *  sends; undefined while incomplete. */
export function readServerHello(b: Buffer): { version?: number; cipher?: string; alert?: string } | undefined {
  let off = 0;
  const hs: Buffer[] = [];
  while (off + 5 <= b.length) {
    const type = b[off]!;
    const len = b.readUInt16BE(off + 3);
    if (off + 5 + len > b.length) break;
    const body = b.subarray(off + 5, off + 5 + len);
    off += 5 + len;
    if (type === 0x15 && body.length >= 2) return { alert: ALERTS[body[1]!] ?? `alert ${body[1]}` };
    if (type === 0x16) hs.push(body);
    else if (type !== 0x14) break; // encrypted records follow a TLS 1.3 ServerHello
  }
  const h = Buffer.concat(hs);
  if (h.length < 4) return undefined;
  if (h[0] !== 2) return {};
  const len = (h[1]! << 16) | (h[2]! << 8) | h[3]!;
  if (h.length < 4 + len) return undefined;
  const m = h.subarray(4, 4 + len);
  if (m.length < 38) return {};
  let version = m.readUInt16BE(0);
  let q = 35 + m[34]!;
  if (q + 3 > m.length) return {};
  const suite = m.readUInt16BE(q);
  q += 3;
  if (q + 2 <= m.length) {
    const end = Math.min(m.length, q + 2 + m.readUInt16BE(q));
    q += 2;
    while (q + 4 <= end) {
      const t = m.readUInt16BE(q);
      const l = m.readUInt16BE(q + 2);
      if (t === 0x002b && l >= 2) version = m.readUInt16BE(q + 4);
      q += 4 + l;
    }
  }
  return { version, cipher: CIPHER_NAMES[suite] ?? `0x${suite.toString(16)}` };
}

/** Certificates kept from a Certificate message the flight parser gave up on (for display and the leaf's names). */
const MAX_KEPT = 200;

/**
 * A TLS 1.2 server flight the flight parser refused although it is TLS: a Certificate message larger than the byte
 * budget, or with more certificates than the parser takes. Reads the ServerHello's version and suite, the length the
 * Certificate message's header declares (RFC 5246 §7.4.2; Go's conn.go readHandshake compares exactly this with its
 * limit before it reads a certificate) and the certificates received complete so far (at most MAX_KEPT).
 * undefined when the bytes are no such flight.
 */
export function readOversizedCertificate(b: Buffer): { length: number; version?: number; cipher?: string; chain: Buffer[] } | undefined {
  const parts: Buffer[] = [];
  let off = 0;
  while (off + 5 <= b.length) {
    const type = b[off]!;
    const len = b.readUInt16BE(off + 3);
    if (type !== 0x16) break;
    parts.push(b.subarray(off + 5, Math.min(off + 5 + len, b.length)));
    off += 5 + len;
  }
  const h = Buffer.concat(parts);
  let p = 0;
  let hello: Buffer | undefined;
  while (p + 4 <= h.length) {
    const type = h[p]!;
    const len = (h[p + 1]! << 16) | (h[p + 2]! << 8) | h[p + 3]!;
    if (type === 2) hello = h.subarray(p, p + 4 + len);
    else if (type === 11 && hello) {
      const chain: Buffer[] = [];
      let q = p + 4 + 3;
      const end = Math.min(h.length, p + 4 + len);
      while (q + 3 <= end && chain.length < MAX_KEPT) {
        const l = (h[q]! << 16) | (h[q + 1]! << 8) | h[q + 2]!;
        if (q + 3 + l > end) break;
        chain.push(Buffer.from(h.subarray(q + 3, q + 3 + l)));
        q += 3 + l;
      }
      // only a message the parser could not take whole: cut by the byte budget, or more certificates than it keeps
      // (a complete, ordinary message refused for another reason is no oversized certificate message)
      const incomplete = p + 4 + len > h.length;
      if (!incomplete && !(chain.length === MAX_KEPT && q < end)) return undefined;
      // the ServerHello alone, as one record (it may have shared its record with the certificates)
      const sh =
        hello.length <= 0xffff
          ? readServerHello(Buffer.concat([Buffer.from([0x16, 3, 3, hello.length >> 8, hello.length & 0xff]), hello]))
          : undefined;
      return { length: len, version: sh?.version, cipher: sh?.cipher, chain };
    } else if (type !== 2) return undefined;
    if (p + 4 + len > h.length) return undefined;
    p += 4 + len;
  }
  return undefined;
}

function caNames(flight: ServerFlight): string[] {
  return flight.acceptableCANames.map((n) => {
    try {
      return parseNameDer(n).display;
    } catch {
      return `<unparseable name ${n.length} bytes>`;
    }
  });
}

function connectError(err: NodeJS.ErrnoException, started: number): TlsProbeResult {
  const code = err.code ?? '';
  const outcome = code === 'ECONNREFUSED' ? 'refused' : code === 'ECONNRESET' || code === 'EPIPE' ? 'reset' : 'error';
  return { outcome, chain: [], message: err.message, durationMs: Date.now() - started };
}

export class RealTls implements TlsAdapter {
  constructor(private readonly hosts: HostsOverride = {}) {}

  private address(host: string): string {
    return this.hosts[host.toLowerCase()] ?? host;
  }

  async probe(opts: TlsProbeOptions): Promise<TlsProbeResult> {
    if (opts.clientCert || opts.fullHandshake) return this.nodeProbe(opts);
    const raw = await this.rawProbe(opts);
    // TLS-1.3-only servers refuse a 1.2 ClientHello: learn what we can through a real handshake.
    if (
      raw.outcome === 'alert' &&
      (raw.alert === 'protocol version not supported' || raw.alert === 'handshake failure' || raw.alert === 'insufficient security level')
    ) {
      const viaNode = await this.nodeProbe(opts);
      if (viaNode.outcome === 'handshake' || viaNode.outcome === 'alert')
        return { ...viaNode, message: viaNode.message ?? `TLS 1.2 refused (${raw.alert})` };
      return raw;
    }
    if (raw.outcome === 'reset') {
      const viaNode = await this.nodeProbe(opts);
      return viaNode.outcome === 'handshake' ? viaNode : raw;
    }
    const offer = opts.offer;
    if (raw.outcome !== 'handshake' || !offer) return raw;
    // The server settled below the runtime client's minimum (our TLS 1.2 hello let it choose): ask with the client's
    // own version range, as the runtime does.
    if ((VERSION_NUMBER[raw.protocol ?? ''] ?? 0x0303) < offer.minVersion) {
      const viaNode = await this.nodeProbe(opts);
      return viaNode.outcome === 'handshake' || viaNode.outcome === 'alert'
        ? { ...viaNode, chain: viaNode.chain.length ? viaNode.chain : raw.chain }
        : raw;
    }
    // A chain near the client's Certificate-message limit: the length the client reads depends on the protocol it
    // negotiates (TLS 1.3 entries are 2 bytes longer), so learn that protocol with the client's whole offer.
    const tls13Length = 4 + raw.chain.reduce((n, c) => n + 5 + c.length, 0);
    if (offer.maxVersion >= 0x0304 && raw.protocol === 'TLSv1.2' && tls13Length > offer.certificateMessageLimit && !opts.proxy) {
      const hello = await this.serverHello(opts, offer);
      if (hello.version && hello.version !== 0x0303) {
        return { ...raw, protocol: versionName(hello.version), cipher: hello.cipher, chainProtocol: raw.protocol };
      }
    }
    return raw;
  }

  /** Sends the offer's ClientHello (every version it allows, an X25519 key share) and reads only the ServerHello: the
   *  version and suite the server picks for that client. Bounded like the other probes. */
  private serverHello(opts: TlsProbeOptions, offer: TlsClientOffer): Promise<{ version?: number; cipher?: string; alert?: string }> {
    return new Promise((resolve) => {
      let buf = Buffer.alloc(0);
      let done = false;
      const socket = net.connect({ host: this.address(opts.host), port: opts.port });
      const finish = (r: { version?: number; cipher?: string; alert?: string }) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        socket.destroy();
        resolve(r);
      };
      const timer = setTimeout(() => finish({}), opts.timeoutMs);
      const versions: number[] = [];
      for (let v = offer.maxVersion; v >= offer.minVersion; v--) versions.push(v);
      const pub = generateKeyPairSync('x25519').publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
      socket.once('connect', () =>
        socket.write(
          buildClientHello(opts.servername, opts.alpn, {
            cipherSuites: [...offer.tls13CipherSuites, ...offer.cipherSuites],
            groups: offer.groups,
            signatureAlgorithms: offer.signatureAlgorithms,
            versions,
            x25519KeyShare: pub,
          }),
        ),
      );
      socket.on('error', () => finish({}));
      socket.on('close', () => finish({}));
      socket.on('data', (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        if (buf.length > 64 * 1024) return finish({});
        const r = readServerHello(buf);
        if (r) finish(r);
      });
    });
  }

  private rawProbe(opts: TlsProbeOptions): Promise<TlsProbeResult> {
    const started = Date.now();
    return new Promise((resolve) => {
      const parser = new ServerFlightParser(MAX_BYTES);
      // the bytes the parser holds too (it stops at MAX_BYTES): read again when it refuses a flight
      const seen: Buffer[] = [];
      let done = false;
      const proxy = opts.proxy ? new URL(opts.proxy) : undefined;
      const socket = proxy
        ? net.connect({
            host: this.address(proxy.hostname.replace(/^\[|\]$/g, '')),
            port: Number(proxy.port || (proxy.protocol === 'https:' ? 443 : 80)),
          })
        : net.connect({ host: this.address(opts.host), port: opts.port });
      let tunnel = proxy ? '' : undefined;
      const finish = (r: TlsProbeResult) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        socket.destroy();
        resolve({ ...r, durationMs: Date.now() - started });
      };
      const onAbort = () => finish({ outcome: 'timeout', chain: [], message: 'aborted', durationMs: 0 });
      const timer = setTimeout(
        () =>
          finish({
            outcome: 'timeout',
            chain: [],
            message:
              parser.received > 0
                ? `handshake did not complete within ${opts.timeoutMs} ms (${parser.received} bytes received)`
                : `no answer to the TLS ClientHello within ${opts.timeoutMs} ms`,
            durationMs: 0,
          }),
        opts.timeoutMs,
      );
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      socket.setNoDelay(true);
      const target = `${isIP(opts.host) === 6 ? `[${opts.host}]` : (opts.servername ?? opts.host)}:${opts.port}`;
      socket.once('connect', () => {
        if (proxy) {
          const auth = proxy.username
            ? `Proxy-Authorization: Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}\r\n`
            : '';
          socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n${auth}\r\n`);
        } else socket.write(hello12(opts));
      });
      socket.on('error', (err: NodeJS.ErrnoException) => {
        const r = connectError(err, started);
        finish(proxy ? { ...r, outcome: 'error', proxyError: `proxyconnect tcp: ${err.message}` } : r);
      });
      socket.on('close', () =>
        finish({
          outcome: 'reset',
          chain: [],
          message: `connection closed after ${parser.received} bytes, before the server finished its handshake`,
          durationMs: 0,
        }),
      );
      socket.on('data', (d: Buffer) => {
        if (tunnel !== undefined) {
          tunnel += d.toString('latin1');
          if (tunnel.length > 16 * 1024)
            return finish({
              outcome: 'error',
              chain: [],
              message: 'proxy sent an oversized CONNECT response',
              proxyError: 'malformed HTTP response',
              durationMs: 0,
            });
          const end = tunnel.indexOf('\r\n\r\n');
          if (end < 0) return;
          const status = tunnel.match(/^HTTP\/1\.[01] (\d{3})(?: (.*))?\r\n/);
          if (!status || status[1] !== '200') {
            const text = status?.[2] ?? 'unknown status code';
            return finish({
              outcome: 'error',
              chain: [],
              message: `proxy answered CONNECT with ${status?.[1] ?? '?'} ${text}`,
              proxyError: text,
              durationMs: 0,
            });
          }
          const rest = Buffer.from(tunnel.slice(end + 4), 'latin1');
          tunnel = undefined;
          socket.write(hello12(opts));
          if (rest.length === 0) return;
          d = rest;
        }
        seen.push(d);
        const st = parser.push(d);
        switch (st.kind) {
          case 'need-more':
            return;
          case 'plain-http':
            return finish({
              outcome: 'plain-http',
              chain: [],
              firstBytes: st.firstBytes,
              message: 'the server answered the TLS ClientHello in plain HTTP',
              durationMs: 0,
            });
          case 'not-tls': {
            // TLS after all, with a Certificate message the parser would not take whole: the size is the finding
            const big = readOversizedCertificate(Buffer.concat(seen));
            if (big)
              return finish({
                outcome: 'handshake',
                protocol: versionName(big.version),
                cipher: big.cipher,
                chain: big.chain,
                certificateMessageLength: big.length,
                message: `the server's Certificate message declares ${big.length} bytes; the probe stopped reading it (${st.reason})`,
                durationMs: 0,
              });
            return finish({ outcome: 'not-tls', chain: [], firstBytes: st.firstBytes, message: st.reason, durationMs: 0 });
          }
          case 'alert':
            return finish({
              outcome: 'alert',
              alert: st.name,
              chain: st.flight.chain,
              message: `remote error: tls: ${st.name}`,
              durationMs: 0,
            });
          case 'done':
            return finish({
              outcome: 'handshake',
              protocol: versionName(st.flight.version),
              cipher: st.flight.cipher !== undefined ? (CIPHER_NAMES[st.flight.cipher] ?? `0x${st.flight.cipher.toString(16)}`) : undefined,
              alpn: st.flight.alpn,
              clientCertRequested: st.flight.clientCertRequested,
              acceptableCAs: caNames(st.flight),
              chain: st.flight.chain,
              durationMs: 0,
            });
        }
      });
    });
  }

  /** A real handshake with node:tls (verification off); with a client certificate, also exchanges one request so a
   *  TLS 1.3 server's post-handshake rejection of the certificate is seen. */
  private nodeProbe(opts: TlsProbeOptions): Promise<TlsProbeResult> {
    const started = Date.now();
    return new Promise((resolve) => {
      let done = false;
      let result: TlsProbeResult | undefined;
      const socket = tls.connect({
        host: this.address(opts.host),
        port: opts.port,
        servername: opts.servername && !isIP(opts.servername) ? opts.servername : undefined,
        rejectUnauthorized: false,
        // nothing is verified here: an empty CA list keeps node:tls from building its bundled root store (~25 ms)
        ca: [],
        ALPNProtocols: opts.alpn ?? ['http/1.1'],
        cert: opts.clientCert?.cert,
        key: opts.clientCert?.key,
        minVersion: opts.offer?.node.minVersion ?? 'TLSv1',
        maxVersion: opts.offer?.node.maxVersion,
        ciphers: opts.offer?.node.ciphers ?? 'DEFAULT@SECLEVEL=0',
        sigalgs: opts.offer?.node.sigalgs,
        ecdhCurve: opts.offer?.node.ecdhCurve,
      });
      const finish = (r: TlsProbeResult) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        socket.destroy();
        resolve({ ...r, durationMs: Date.now() - started });
      };
      const onAbort = () => finish({ outcome: 'timeout', chain: [], message: 'aborted', durationMs: 0 });
      const timer = setTimeout(
        () =>
          finish(
            result ?? {
              outcome: 'timeout',
              chain: [],
              message: `TLS handshake did not complete within ${opts.timeoutMs} ms`,
              durationMs: 0,
            },
          ),
        opts.timeoutMs,
      );
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      socket.on('error', (err: NodeJS.ErrnoException) => {
        const m = /alert ([a-z ]+)$/i.exec(err.message) ?? /ALERT_([A-Z_]+)$/.exec(err.code ?? '');
        if (m) {
          const raw = m[1]!.toLowerCase().replace(/_/g, ' ').trim();
          const name = OPENSSL_TO_GO_ALERT[raw] ?? raw;
          return finish({
            ...(result ?? { chain: [] }),
            outcome: 'alert',
            alert: name,
            message: `remote error: tls: ${name}`,
            durationMs: 0,
          });
        }
        if (/wrong version number|packet length too long|http request/i.test(err.message)) {
          return finish({
            outcome: 'plain-http',
            chain: [],
            message: 'the server does not speak TLS on this port (it answered like a plain HTTP server)',
            durationMs: 0,
          });
        }
        if (result) return finish(result);
        finish(connectError(err, started));
      });
      socket.once('secureConnect', () => {
        const chain: Buffer[] = [];
        let cert = socket.getPeerCertificate(true) as tls.DetailedPeerCertificate | undefined;
        const seen = new Set<string>();
        while (cert && cert.raw && !seen.has(cert.fingerprint256) && chain.length < 64) {
          seen.add(cert.fingerprint256);
          chain.push(Buffer.from(cert.raw));
          cert = cert.issuerCertificate;
        }
        const c = socket.getCipher();
        result = {
          outcome: 'handshake',
          protocol: socket.getProtocol() ?? undefined,
          cipher: c?.standardName ?? c?.name,
          alpn: socket.alpnProtocol || undefined,
          clientCertRequested: undefined,
          acceptableCAs: [],
          chain,
          durationMs: 0,
        };
        // TLS 1.3 servers reject a missing/bad client certificate only after the handshake: exchange one request.
        if (!opts.clientCert && !opts.fullHandshake && result.protocol !== 'TLSv1.3') return finish(result);
        // Ask for /v2/ so that a server rejecting the certificate after a TLS 1.3 handshake shows it.
        socket.write(`HEAD /v2/ HTTP/1.1\r\nHost: ${opts.servername ?? opts.host}\r\nConnection: close\r\n\r\n`);
      });
      socket.on('data', (d: Buffer) => {
        if (result) finish({ ...result, firstBytes: printable(d) });
      });
      socket.on('end', () => {
        if (result) finish(result);
      });
    });
  }
}
