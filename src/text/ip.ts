// node:net's isIP, without its cost for a name: net.isIP tries IPv6 after IPv4, and the first IPv6 test compiles a
// very large regular expression (3–30 ms of start-up, paid by the first host name a run looks at). Every IPv6
// address (zone-scoped and IPv4-mapped ones included) contains a colon, so a string without one is only tested as
// IPv4. Same answers as net.isIP for every input (test/text/ip.test.ts).
import { isIP as netIsIP, isIPv4 } from 'node:net';

export function isIP(s: string): 0 | 4 | 6 {
  if (s.includes(':')) return netIsIP(s) as 0 | 4 | 6;
  return isIPv4(s) ? 4 : 0;
}

/** The eight 16-bit groups of an IPv6 address (zone already removed; "::" expanded, an IPv4 tail as two groups),
 *  undefined unless isIP(addr) === 6 and it spells exactly eight groups. */
export function ipv6Groups(addr: string): number[] | undefined {
  if (isIP(addr) !== 6) return undefined;
  let body = addr;
  let tail: number[] = [];
  const v4 = body.match(/^(.*:)(\d+\.\d+\.\d+\.\d+)$/);
  if (v4) {
    const o = v4[2]!.split('.').map(Number);
    tail = [(o[0]! << 8) | o[1]!, (o[2]! << 8) | o[3]!];
    body = v4[1]!.endsWith('::') ? v4[1]! : v4[1]!.slice(0, -1);
  }
  const words = (s: string | undefined) => (s ? s.split(':').filter((x) => x !== '') : []).map((h) => parseInt(h, 16));
  const [head, rest] = body.includes('::') ? body.split('::') : [body, undefined];
  const hi = words(head);
  const lo = [...words(rest), ...tail];
  const groups = rest === undefined ? [...hi, ...tail] : [...hi, ...Array<number>(Math.max(0, 8 - hi.length - lo.length)).fill(0), ...lo];
  return groups.length === 8 ? groups : undefined;
}

/** Eight 16-bit groups as Go prints an IPv6 address (RFC 5952): lower-case hex, the longest run of two or more zero
 *  groups (the first of equal runs) written as "::". */
export function ipv6Text(groups: readonly number[]): string {
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < groups.length;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (g: readonly number[]) => g.map((x) => x.toString(16)).join(':');
  return best < 0 ? hex(groups) : `${hex(groups.slice(0, best))}::${hex(groups.slice(best + bestLen))}`;
}
