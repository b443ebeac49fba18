// node:net's isIP, without its cost for a name: net.isIP tries IPv6 after IPv4, and the first IPv6 test compiles a
// very large regular expression (3–30 ms of start-up, paid by the first host name a run looks at). Every IPv6
// address (zone-scoped and IPv4-mapped ones included) contains a colon, so a string without one is only tested as
// IPv4. Same answers as net.isIP for every input (test/text/ip.test.ts).
import { isIP as netIsIP, isIPv4 } from 'node:net';

export function isIP(s: string): 0 | 4 | 6 {
  if (s.includes(':')) return netIsIP(s) as 0 | 4 | 6;
  return isIPv4(s) ? 4 : 0;
}
