// The order Go's resolver hands addresses to the dialer: RFC 6724 destination address selection as Go implements it
// (net/addrselect.go sortByRFC6724: rules 1, 2, 5, 6, 8 and 9 — the last for IPv6 only —, then the original order).
// The source address for each destination is the one the kernel picks for a UDP "connection" (no packet is sent),
// as Go's srcAddrs does; no source means no route (rule 1 puts those last).
import dgram from 'node:dgram';
import { ipv6Groups, isIP } from '../text/ip.js';

/** 16 bytes; an IPv4 address as ::ffff:a.b.c.d (Go's IP.To16). undefined when not an IP. */
export function ipBytes(ip: string): number[] | undefined {
  const addr = ip.split('%')[0]!;
  if (isIP(addr) === 4) return [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...addr.split('.').map(Number)];
  return ipv6Groups(addr)?.flatMap((g) => [g >> 8, g & 255]);
}

const isV4 = (b: number[]): boolean => b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;

/** RFC 6724 §2.1 policy table, longest prefix first (Go's rfc6724policyTable after its init sort). */
const POLICY: { prefix: number[]; bits: number; precedence: number; label: number }[] = [
  { prefix: ipBytes('::1')!, bits: 128, precedence: 50, label: 0 },
  { prefix: ipBytes('::ffff:0:0')!, bits: 96, precedence: 35, label: 4 },
  { prefix: ipBytes('::')!, bits: 96, precedence: 1, label: 3 },
  { prefix: ipBytes('2001::')!, bits: 32, precedence: 5, label: 5 },
  { prefix: ipBytes('2002::')!, bits: 16, precedence: 30, label: 2 },
  { prefix: ipBytes('3ffe::')!, bits: 16, precedence: 1, label: 12 },
  { prefix: ipBytes('fec0::')!, bits: 10, precedence: 1, label: 11 },
  { prefix: ipBytes('fc00::')!, bits: 7, precedence: 3, label: 13 },
  { prefix: ipBytes('::')!, bits: 0, precedence: 40, label: 1 },
];

function inPrefix(b: number[], prefix: number[], bits: number): boolean {
  for (let i = 0; i < bits; i++) {
    const byte = i >> 3;
    const mask = 0x80 >> (i & 7);
    if ((b[byte]! & mask) !== (prefix[byte]! & mask)) return false;
  }
  return true;
}

interface Attr {
  scope: number;
  precedence: number;
  label: number;
}

/** Go's classifyScope and policy-table match (a nil source: all zero). */
function attrOf(b: number[] | undefined): Attr {
  if (!b) return { scope: 0, precedence: 0, label: 0 };
  const p = POLICY.find((e) => inPrefix(b, e.prefix, e.bits))!;
  const v4 = isV4(b);
  const loopback = v4 ? b[12] === 127 : b.slice(0, 15).every((x) => x === 0) && b[15] === 1;
  const linkLocal = v4 ? b[12] === 169 && b[13] === 254 : b[0] === 0xfe && (b[1]! & 0xc0) === 0x80;
  let scope = 0xe;
  if (loopback || linkLocal) scope = 0x2;
  else if (!v4 && b[0] === 0xff) scope = b[1]! & 0xf;
  else if (!v4 && b[0] === 0xfe && (b[1]! & 0xc0) === 0xc0) scope = 0x5;
  return { scope, precedence: p.precedence, label: p.label };
}

/** Go's commonPrefixLen: IPv4 compared as 4 bytes, IPv6 over its first 64 bits; 0 across families. */
function commonPrefixLen(a: number[], b: number[]): number {
  const aa = isV4(a) ? a.slice(12) : a.slice(0, 8);
  const bb = isV4(b) ? b.slice(12) : b.slice(0, 8);
  if (isV4(a) !== isV4(b)) return 0;
  let cpl = 0;
  for (let i = 0; i < aa.length; i++) {
    const x = aa[i]! ^ bb[i]!;
    if (x === 0) {
      cpl += 8;
      continue;
    }
    return cpl + Math.clz32(x) - 24;
  }
  return cpl;
}

/** Go's byRFC6724.Less: negative when destination a is better than b, 0 when Go keeps their order. */
function compare(a: { d: number[]; s?: number[] }, b: { d: number[]; s?: number[] }): number {
  if (!a.s && !b.s) return 0;
  if (!b.s) return -1; // rule 1
  if (!a.s) return 1;
  const da = attrOf(a.d);
  const db = attrOf(b.d);
  const sa = attrOf(a.s);
  const sb = attrOf(b.s);
  if (da.scope === sa.scope && db.scope !== sb.scope) return -1; // rule 2
  if (da.scope !== sa.scope && db.scope === sb.scope) return 1;
  if (sa.label === da.label && sb.label !== db.label) return -1; // rule 5
  if (sa.label !== da.label && sb.label === db.label) return 1;
  if (da.precedence !== db.precedence) return db.precedence - da.precedence; // rule 6
  if (da.scope !== db.scope) return da.scope - db.scope; // rule 8
  if (!isV4(a.d) && !isV4(b.d)) {
    const ca = commonPrefixLen(a.s, a.d); // rule 9, IPv6 only
    const cb = commonPrefixLen(b.s, b.d);
    if (ca !== cb) return cb - ca;
  }
  return 0;
}

/** Sorts destinations given each one's source address (undefined: no route), stably, as Go does. */
export function sortByRFC6724<T extends { address: string }>(addrs: readonly T[], sources: readonly (string | undefined)[]): T[] {
  const items = addrs.map((x, i) => ({ x, d: ipBytes(x.address) ?? [], s: sources[i] ? ipBytes(sources[i]!) : undefined }));
  return items.sort(compare).map((i) => i.x);
}

/** The source address the kernel would use to reach `address` (a UDP connect to port 9 sends nothing), or undefined
 *  when there is no route. */
export function sourceAddress(address: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const sock = dgram.createSocket(isIP(address.split('%')[0]!) === 6 ? 'udp6' : 'udp4');
    const done = (v: string | undefined) => {
      try {
        sock.close();
      } catch {
        // already closed
      }
      resolve(v);
    };
    sock.on('error', () => done(undefined));
    sock.unref();
    try {
      sock.connect(9, address, () => {
        try {
          done(sock.address().address);
        } catch {
          done(undefined);
        }
      });
    } catch {
      done(undefined);
    }
  });
}

/** Go's sortByRFC6724 with the kernel's source addresses (nothing to do for fewer than two addresses). */
export async function orderAddresses<T extends { address: string }>(addrs: readonly T[]): Promise<T[]> {
  if (addrs.length < 2) return [...addrs];
  return sortByRFC6724(addrs, await Promise.all(addrs.map((a) => sourceAddress(a.address))));
}
