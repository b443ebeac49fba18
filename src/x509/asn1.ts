// Minimal DER (ASN.1) reader and writer: enough for X.509 certificates, bounded against hostile input.

export class Asn1Error extends Error {
  override name = 'Asn1Error';
}

export interface Node {
  /** Full identifier octet (class, constructed bit, tag number < 31). */
  tag: number;
  /** Offset of the identifier octet in the source buffer. */
  start: number;
  /** Offset of the first content octet. */
  contentStart: number;
  /** Offset just past the content. */
  end: number;
  /** The source buffer. */
  buf: Buffer;
}

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8String: 0x0c,
  PrintableString: 0x13,
  T61String: 0x14,
  IA5String: 0x16,
  UTCTime: 0x17,
  GeneralizedTime: 0x18,
  BMPString: 0x1e,
  UniversalString: 0x1c,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

const MAX_DEPTH = 32;

/** Reads one TLV at `offset`; throws Asn1Error on truncation, indefinite lengths or high tag numbers. */
export function readNode(buf: Buffer, offset = 0, limit = buf.length): Node {
  if (offset >= limit) throw new Asn1Error('truncated: no tag');
  const tag = buf[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new Asn1Error('high tag numbers are not supported');
  let p = offset + 1;
  if (p >= limit) throw new Asn1Error('truncated: no length');
  let len = buf[p++]!;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0) throw new Asn1Error('indefinite length is not DER');
    if (n > 4) throw new Asn1Error('length too large');
    if (p + n > limit) throw new Asn1Error('truncated length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p++]!;
  }
  const end = p + len;
  if (end > limit) throw new Asn1Error(`truncated: element needs ${len} bytes, ${limit - p} available`);
  return { tag, start: offset, contentStart: p, end, buf };
}

export function content(n: Node): Buffer {
  return n.buf.subarray(n.contentStart, n.end);
}

export function raw(n: Node): Buffer {
  return n.buf.subarray(n.start, n.end);
}

/** Children of a constructed node. */
export function children(n: Node, depth = 0): Node[] {
  if (depth > MAX_DEPTH) throw new Asn1Error('nesting too deep');
  if (!(n.tag & 0x20)) throw new Asn1Error(`tag 0x${n.tag.toString(16)} is not constructed`);
  const out: Node[] = [];
  let p = n.contentStart;
  while (p < n.end) {
    const c = readNode(n.buf, p, n.end);
    out.push(c);
    p = c.end;
    if (out.length > 10_000) throw new Asn1Error('too many elements');
  }
  return out;
}

export function expectTag(n: Node | undefined, tag: number, what: string): Node {
  if (!n) throw new Asn1Error(`missing ${what}`);
  if (n.tag !== tag) throw new Asn1Error(`${what}: expected tag 0x${tag.toString(16)}, got 0x${n.tag.toString(16)}`);
  return n;
}

export function decodeOid(n: Node): string {
  const b = content(n);
  if (b.length === 0) throw new Asn1Error('empty OID');
  const parts: number[] = [];
  let v = 0;
  for (let i = 0; i < b.length; i++) {
    v = v * 128 + (b[i]! & 0x7f);
    if (v > Number.MAX_SAFE_INTEGER / 256) throw new Asn1Error('OID arc too large');
    if (!(b[i]! & 0x80)) {
      if (parts.length === 0) {
        const first = v < 80 ? Math.floor(v / 40) : 2;
        parts.push(first, v - first * 40);
      } else parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

export function decodeInteger(n: Node): bigint {
  const b = content(n);
  if (b.length === 0) return 0n;
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  if (b[0]! & 0x80) v -= 1n << BigInt(b.length * 8);
  return v;
}

export function decodeString(n: Node): string {
  const b = content(n);
  switch (n.tag) {
    case TAG.BMPString: {
      let s = '';
      for (let i = 0; i + 1 < b.length; i += 2) s += String.fromCharCode(b.readUInt16BE(i));
      return s;
    }
    case TAG.UniversalString: {
      let s = '';
      for (let i = 0; i + 3 < b.length; i += 4) {
        const cp = b.readUInt32BE(i);
        if (cp > 0x10ffff) throw new Asn1Error(`UniversalString holds an invalid code point 0x${cp.toString(16)}`);
        s += String.fromCodePoint(cp);
      }
      return s;
    }
    case TAG.T61String:
      return b.toString('latin1');
    case TAG.UTF8String:
      // Go refuses a UTF8String that is not UTF-8 (and with it the certificate); decoding would print U+FFFD.
      try {
        return UTF8.decode(b);
      } catch {
        throw new Asn1Error('UTF8String is not valid UTF-8');
      }
    case TAG.PrintableString:
    case TAG.IA5String:
    case NUMERIC_STRING:
      // ASCII types: Go refuses a byte above 0x7f (Buffer's 'ascii' would drop its high bit, 'utf8' print U+FFFD).
      if (b.some((x) => x > 0x7f)) throw new Asn1Error(`string type 0x${n.tag.toString(16)} holds a byte above 0x7f`);
      return b.toString('latin1');
    default:
      // Go reads no other type as a name's value (e.g. a mutated tag); it refuses the certificate.
      throw new Asn1Error(`unsupported string type 0x${n.tag.toString(16)}`);
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const NUMERIC_STRING = 0x12;

export function decodeTime(n: Node): Date {
  // latin1, not ascii: 'ascii' drops the high bit, so a byte 0xb2 would read as the digit 2.
  const s = content(n).toString('latin1');
  let m: RegExpMatchArray | null;
  if (n.tag === TAG.UTCTime) {
    m = s.match(/^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?Z$/);
    if (!m) throw new Asn1Error(`bad UTCTime ${s}`);
    const yy = Number(m[1]);
    const year = yy >= 50 ? 1900 + yy : 2000 + yy;
    return calendarTime(s, year, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
  }
  m = s.match(/^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.\d+)?Z$/);
  if (!m) throw new Asn1Error(`bad GeneralizedTime ${s}`);
  return calendarTime(s, Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

/** A UTC date from its fields, refusing one the calendar does not have (February 30, hour 24, second 60): Go's
 * time.Parse rejects those and with them the certificate, where Date.UTC would roll over into the next month. */
function calendarTime(text: string, year: number, month: number, day: number, hour: number, minute: number, second: number): Date {
  const d = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  if (
    d.getUTCMonth() !== month - 1 ||
    d.getUTCDate() !== day ||
    d.getUTCHours() !== hour ||
    d.getUTCMinutes() !== minute ||
    d.getUTCSeconds() !== second
  ) {
    throw new Asn1Error(`time ${text} is not a calendar date`);
  }
  return d;
}

/** BIT STRING content without the unused-bits octet. */
export function bitStringBytes(n: Node): { bytes: Buffer; unused: number } {
  const b = content(n);
  if (b.length === 0) throw new Asn1Error('empty BIT STRING');
  const unused = b[0]!;
  // DER (and Go's reader): at most 7 unused bits, none without content, and the unused bits zero.
  if (unused > 7 || (b.length === 1 && unused > 0) || (b[b.length - 1]! & ((1 << unused) - 1)) !== 0) {
    throw new Asn1Error(`BIT STRING with ${unused} unused bits is not DER`);
  }
  return { bytes: b.subarray(1), unused };
}

// ------------------------------------------------------------------------------------------------- writer

function encodeLength(len: number): Buffer {
  if (len < 0x80) return Buffer.from([len]);
  const bytes: number[] = [];
  let v = len;
  while (v > 0) {
    bytes.unshift(v & 0xff);
    v = Math.floor(v / 256);
  }
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, body: Buffer | Buffer[]): Buffer {
  const b = Array.isArray(body) ? Buffer.concat(body) : body;
  return Buffer.concat([Buffer.from([tag]), encodeLength(b.length), b]);
}

export const seq = (...items: Buffer[]): Buffer => tlv(TAG.SEQUENCE, items);
export const set = (...items: Buffer[]): Buffer => tlv(TAG.SET, items);
/** Context-specific constructed [n] EXPLICIT. */
export const explicit = (n: number, inner: Buffer): Buffer => tlv(0xa0 | n, inner);
/** Context-specific primitive [n] IMPLICIT. */
export const implicit = (n: number, body: Buffer): Buffer => tlv(0x80 | n, body);

export function encodeOid(oid: string): Buffer {
  const arcs = oid.split('.').map(Number);
  if (arcs.length < 2 || arcs.some((a) => !Number.isInteger(a) || a < 0)) throw new Asn1Error(`bad OID ${oid}`);
  const out: number[] = [];
  const push = (v: number) => {
    const bytes = [v & 0x7f];
    v = Math.floor(v / 128);
    while (v > 0) {
      bytes.unshift((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    out.push(...bytes);
  };
  push(arcs[0]! * 40 + arcs[1]!);
  for (const a of arcs.slice(2)) push(a);
  return tlv(TAG.OID, Buffer.from(out));
}

/** Non-negative INTEGER. */
export function encodeInteger(v: bigint | number): Buffer {
  let n = BigInt(v);
  if (n < 0n) throw new Asn1Error('negative integers are not supported');
  const bytes: number[] = [];
  do {
    bytes.unshift(Number(n & 0xffn));
    n >>= 8n;
  } while (n > 0n);
  if (bytes[0]! & 0x80) bytes.unshift(0);
  return tlv(TAG.INTEGER, Buffer.from(bytes));
}

/** Unsigned big-endian bytes as a positive INTEGER (serial numbers). */
export function encodeUnsigned(bytes: Buffer): Buffer {
  let b = bytes;
  while (b.length > 1 && b[0] === 0) b = b.subarray(1);
  return tlv(TAG.INTEGER, b[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b);
}

export const encodeBoolean = (v: boolean): Buffer => tlv(TAG.BOOLEAN, Buffer.from([v ? 0xff : 0]));
export const encodeNull = (): Buffer => tlv(TAG.NULL, Buffer.alloc(0));
export const encodeOctets = (b: Buffer): Buffer => tlv(TAG.OCTET_STRING, b);
export const encodeBitString = (b: Buffer, unused = 0): Buffer => tlv(TAG.BIT_STRING, [Buffer.from([unused]), b]);
export const encodeUtf8 = (s: string): Buffer => tlv(TAG.UTF8String, Buffer.from(s, 'utf8'));
export const encodePrintable = (s: string): Buffer => tlv(TAG.PrintableString, Buffer.from(s, 'ascii'));
export const encodeIa5 = (s: string): Buffer => tlv(TAG.IA5String, Buffer.from(s, 'ascii'));

export function encodeTime(d: Date): Buffer {
  const y = d.getUTCFullYear();
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const rest = `${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  if (y >= 1950 && y < 2050) return tlv(TAG.UTCTime, Buffer.from(`${p(y % 100)}${rest}`, 'ascii'));
  return tlv(TAG.GeneralizedTime, Buffer.from(`${p(y, 4)}${rest}`, 'ascii'));
}
