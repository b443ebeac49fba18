// A minimal TLS 1.2 client handshake reader: sends a ClientHello and parses the server's plaintext flight
// (ServerHello, Certificate exactly as sent, CertificateRequest with its CA names) or its alert. Pure functions
// over bytes; the socket handling lives in src/adapters/tls.ts.
import { randomBytes } from 'node:crypto';
import { isIP } from '../text/ip.js';

const CIPHERS = [0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc009, 0xc013, 0xc00a, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035];
const SIG_ALGS = [0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0203, 0x0201];
const GROUPS = [0x001d, 0x0017, 0x0018, 0x0019];

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}
function u24(n: number): Buffer {
  return Buffer.from([(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);
}
function ext(type: number, body: Buffer): Buffer {
  return Buffer.concat([u16(type), u16(body.length), body]);
}
function vec16(items: number[]): Buffer {
  const b = Buffer.concat(items.map(u16));
  return Buffer.concat([u16(b.length), b]);
}

/** What a ClientHello offers (IANA numbers). With `versions` (supported_versions, highest first) and an X25519
 *  key share it also offers TLS 1.3. */
export interface HelloOffer {
  cipherSuites: number[];
  groups: number[];
  signatureAlgorithms: number[];
  versions?: number[];
  x25519KeyShare?: Buffer;
}

/** A TLS 1.2 ClientHello record (no supported_versions, so TLS 1.3 servers that allow 1.2 answer in 1.2), or the
 *  given offer. */
export function buildClientHello(serverName?: string, alpn: string[] = ['http/1.1'], offer?: HelloOffer): Buffer {
  const exts: Buffer[] = [];
  if (serverName && !isIP(serverName)) {
    const name = Buffer.from(serverName, 'ascii');
    const entry = Buffer.concat([Buffer.from([0]), u16(name.length), name]);
    exts.push(ext(0x0000, Buffer.concat([u16(entry.length), entry])));
  }
  exts.push(ext(0x000a, vec16(offer?.groups ?? GROUPS)));
  exts.push(ext(0x000b, Buffer.from([1, 0])));
  exts.push(ext(0x000d, vec16(offer?.signatureAlgorithms ?? SIG_ALGS)));
  exts.push(ext(0xff01, Buffer.from([0])));
  exts.push(ext(0x0017, Buffer.alloc(0)));
  if (alpn.length) {
    const list = Buffer.concat(alpn.map((p) => Buffer.concat([Buffer.from([p.length]), Buffer.from(p)])));
    exts.push(ext(0x0010, Buffer.concat([u16(list.length), list])));
  }
  if (offer?.versions?.length) {
    const v = Buffer.concat(offer.versions.map(u16));
    exts.push(ext(0x002b, Buffer.concat([Buffer.from([v.length]), v])));
    exts.push(ext(0x002d, Buffer.from([1, 1])));
    if (offer.x25519KeyShare) {
      const share = Buffer.concat([u16(0x001d), u16(offer.x25519KeyShare.length), offer.x25519KeyShare]);
      exts.push(ext(0x0033, Buffer.concat([u16(share.length), share])));
    }
  }
  const extBytes = Buffer.concat(exts);
  const body = Buffer.concat([
    u16(0x0303),
    randomBytes(32),
    offer?.versions?.length ? Buffer.concat([Buffer.from([32]), randomBytes(32)]) : Buffer.from([0]),
    vec16(offer?.cipherSuites ?? CIPHERS),
    Buffer.from([1, 0]),
    u16(extBytes.length),
    extBytes,
  ]);
  const hs = Buffer.concat([Buffer.from([1]), u24(body.length), body]);
  return Buffer.concat([Buffer.from([0x16, 0x03, 0x01]), u16(hs.length), hs]);
}

export const ALERTS: Record<number, string> = {
  0: 'close notify',
  10: 'unexpected message',
  20: 'bad record MAC',
  22: 'record overflow',
  40: 'handshake failure',
  42: 'bad certificate',
  43: 'unsupported certificate',
  44: 'certificate revoked',
  45: 'certificate expired',
  46: 'certificate unknown',
  47: 'illegal parameter',
  48: 'unknown certificate authority',
  49: 'access denied',
  50: 'error decoding message',
  51: 'error decrypting message',
  70: 'protocol version not supported',
  71: 'insufficient security level',
  80: 'internal error',
  86: 'inappropriate fallback',
  90: 'user canceled',
  109: 'missing extension',
  110: 'unsupported extension',
  112: 'unrecognized name',
  116: 'certificate required',
  120: 'no application protocol',
};

export const CIPHER_NAMES: Record<number, string> = {
  0xc02b: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  0xc02f: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  0xc02c: 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  0xc030: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  0xcca9: 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  0xcca8: 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
  0xc009: 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA',
  0xc013: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA',
  0xc00a: 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA',
  0xc014: 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA',
  0x009c: 'TLS_RSA_WITH_AES_128_GCM_SHA256',
  0x009d: 'TLS_RSA_WITH_AES_256_GCM_SHA384',
  0x002f: 'TLS_RSA_WITH_AES_128_CBC_SHA',
  0x0035: 'TLS_RSA_WITH_AES_256_CBC_SHA',
  0xc012: 'TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA',
  0x000a: 'TLS_RSA_WITH_3DES_EDE_CBC_SHA',
  0x1301: 'TLS_AES_128_GCM_SHA256',
  0x1302: 'TLS_AES_256_GCM_SHA384',
  0x1303: 'TLS_CHACHA20_POLY1305_SHA256',
};

export type FlightState =
  | { kind: 'need-more' }
  | { kind: 'done'; flight: ServerFlight }
  | { kind: 'alert'; level: number; description: number; name: string; flight: ServerFlight }
  | { kind: 'plain-http'; firstBytes: string }
  | { kind: 'not-tls'; firstBytes: string; reason: string };

export interface ServerFlight {
  version?: number;
  cipher?: number;
  alpn?: string;
  chain: Buffer[];
  clientCertRequested: boolean;
  acceptableCANames: Buffer[];
  /** ServerHelloDone seen. */
  complete: boolean;
}

export function printable(b: Buffer, max = 80): string {
  return b
    .subarray(0, max)
    .toString('latin1')
    .replace(/[^\x20-\x7e]/g, '.');
}

/** Incremental parser over the bytes received so far. Throws nothing; bounded by maxBytes. */
export class ServerFlightParser {
  private buf = Buffer.alloc(0);
  private hs = Buffer.alloc(0);
  private readonly flight: ServerFlight = { chain: [], clientCertRequested: false, acceptableCANames: [], complete: false };

  constructor(private readonly maxBytes = 1024 * 1024) {}

  get received(): number {
    return this.buf.length;
  }

  push(data: Buffer): FlightState {
    this.buf = Buffer.concat([this.buf, data]);
    return this.state();
  }

  private state(): FlightState {
    const b = this.buf;
    if (b.length >= 5 && b.subarray(0, 5).toString('latin1') === 'HTTP/') return { kind: 'plain-http', firstBytes: printable(b) };
    if (b.length > 0 && b[0] !== 0x16 && b[0] !== 0x15) {
      if (/^[A-Z]{3,8} |^HTTP/.test(b.subarray(0, 8).toString('latin1'))) return { kind: 'plain-http', firstBytes: printable(b) };
      return { kind: 'not-tls', firstBytes: printable(b), reason: `first byte 0x${b[0]!.toString(16)} is not a TLS record type` };
    }
    if (this.buf.length > this.maxBytes)
      return {
        kind: 'not-tls',
        firstBytes: printable(b),
        reason: `server sent more than ${this.maxBytes} bytes without finishing its handshake`,
      };
    // consume complete records
    let off = 0;
    // handshake bodies gathered and joined once (joining per record was quadratic in the number of records)
    const hsParts: Buffer[] = [];
    while (off + 5 <= b.length) {
      const type = b[off]!;
      const len = b.readUInt16BE(off + 3);
      if (len > 18432)
        return { kind: 'not-tls', firstBytes: printable(b), reason: `TLS record of ${len} bytes exceeds the protocol maximum` };
      if (off + 5 + len > b.length) break;
      const body = b.subarray(off + 5, off + 5 + len);
      off += 5 + len;
      if (type === 0x15) {
        if (body.length >= 2)
          return {
            kind: 'alert',
            level: body[0]!,
            description: body[1]!,
            name: ALERTS[body[1]!] ?? `alert ${body[1]}`,
            flight: this.flight,
          };
        continue;
      }
      if (type === 0x16) hsParts.push(body);
      else if (type === 0x14) continue;
      else return { kind: 'not-tls', firstBytes: printable(b), reason: `unexpected TLS record type ${type} before the handshake finished` };
    }
    // parse handshake messages from the accumulated handshake bytes
    this.hs = Buffer.concat(hsParts);
    let p = 0;
    const h = this.hs;
    this.flight.chain = [];
    this.flight.acceptableCANames = [];
    this.flight.clientCertRequested = false;
    while (p + 4 <= h.length) {
      const type = h[p]!;
      const len = (h[p + 1]! << 16) | (h[p + 2]! << 8) | h[p + 3]!;
      if (p + 4 + len > h.length) break;
      const m = h.subarray(p + 4, p + 4 + len);
      p += 4 + len;
      try {
        if (type === 2) this.parseServerHello(m);
        else if (type === 11) this.parseCertificate(m);
        else if (type === 13) this.parseCertificateRequest(m);
        else if (type === 14) {
          this.flight.complete = true;
          return { kind: 'done', flight: this.flight };
        }
      } catch (err) {
        return { kind: 'not-tls', firstBytes: printable(b), reason: `malformed handshake message ${type}: ${(err as Error).message}` };
      }
    }
    return { kind: 'need-more' };
  }

  private parseServerHello(m: Buffer) {
    // version(2) random(32) session_id(1+n) cipher(2) compression(1): anything shorter is cut short
    if (m.length < 35 || m.length < 35 + m[34]! + 3) throw new Error(`ServerHello cut short (${m.length} bytes)`);
    this.flight.version = m.readUInt16BE(0);
    const sidLen = m[34]!;
    let q = 35 + sidLen;
    this.flight.cipher = m.readUInt16BE(q);
    q += 3;
    if (q + 2 <= m.length) {
      const extLen = m.readUInt16BE(q);
      q += 2;
      const end = Math.min(m.length, q + extLen);
      while (q + 4 <= end) {
        const t = m.readUInt16BE(q);
        const l = m.readUInt16BE(q + 2);
        const body = m.subarray(q + 4, q + 4 + l);
        q += 4 + l;
        if (t === 0x0010 && body.length > 3) this.flight.alpn = body.subarray(3, 3 + body[2]!).toString('latin1');
        if (t === 0x002b && body.length >= 2) this.flight.version = body.readUInt16BE(0);
      }
    }
  }

  private parseCertificate(m: Buffer) {
    const total = (m[0]! << 16) | (m[1]! << 8) | m[2]!;
    let q = 3;
    const end = Math.min(m.length, 3 + total);
    while (q + 3 <= end) {
      const l = (m[q]! << 16) | (m[q + 1]! << 8) | m[q + 2]!;
      q += 3;
      if (q + l > end) throw new Error('certificate entry overruns the message');
      this.flight.chain.push(Buffer.from(m.subarray(q, q + l)));
      q += l;
      if (this.flight.chain.length > 200) throw new Error('more than 200 certificates');
    }
  }

  private parseCertificateRequest(m: Buffer) {
    this.flight.clientCertRequested = true;
    let q = 0;
    const cutShort = () => new Error(`CertificateRequest cut short (${m.length} bytes)`);
    if (m.length < 1) throw cutShort();
    const typesLen = m[q]!;
    q += 1 + typesLen;
    if (q + 2 > m.length) throw cutShort();
    const sigLen = m.readUInt16BE(q);
    q += 2 + sigLen;
    if (q + 2 > m.length) throw cutShort();
    const dnLen = m.readUInt16BE(q);
    q += 2;
    const end = Math.min(m.length, q + dnLen);
    while (q + 2 <= end) {
      const l = m.readUInt16BE(q);
      q += 2;
      this.flight.acceptableCANames.push(Buffer.from(m.subarray(q, q + l)));
      q += l;
    }
  }
}
