// URLs as Go parses them (net/url Parse, go1.19–1.24 for the forms hosts.toml and proxy variables use), and the
// address, port and SNI Go's HTTP client derives from one (net/http canonicalAddr / connectMethod.tlsHost,
// crypto/tls hostnameInSNI). WHATWG's URL (Node's `new URL`) differs where it matters on a node: it lower-cases hosts,
// rejects `fd00::1:5000` and ports above 65535 that Go accepts, and accepts what Go rejects. Pure.
import { isIP } from '../text/ip.js';

export interface GoUrl {
  /** Lower-cased, as url.Parse leaves it. */
  scheme: string;
  opaque: string;
  /** url.Host as written (userinfo removed; brackets and port kept). */
  host: string;
  path: string;
}

export class GoUrlError extends Error {
  override name = 'GoUrlError';
}

const isAlpha = (c: string) => /[A-Za-z]/.test(c);

/** getScheme: a scheme is letters first, then letters, digits, + - .; anything else before ':' means no scheme. */
function getScheme(raw: string): [string, string] {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (isAlpha(c)) continue;
    if (/[0-9+\-.]/.test(c)) {
      if (i === 0) return ['', raw];
      continue;
    }
    if (c === ':') {
      if (i === 0) throw new GoUrlError('missing protocol scheme');
      return [raw.slice(0, i), raw.slice(i + 1)];
    }
    return ['', raw];
  }
  return ['', raw];
}

/** validOptionalPort: "" or ":" followed by digits only (no range check: Go leaves that to the dialer). */
export function validOptionalPort(p: string): boolean {
  if (p === '') return true;
  if (p[0] !== ':') return false;
  return /^[0-9]*$/.test(p.slice(1));
}

// characters url.Parse accepts unescaped in a host (shouldEscape(c, encodeHost) false)
const HOST_OK = /^[A-Za-z0-9\-._~!$&'()*+,;=:[\]<>"]*$/;

function parseHost(host: string): string {
  if (host.startsWith('[')) {
    const i = host.lastIndexOf(']');
    if (i < 0) throw new GoUrlError(`missing ']' in host`);
    const colonPort = host.slice(i + 1);
    if (!validOptionalPort(colonPort)) throw new GoUrlError(`invalid port ${JSON.stringify(colonPort)} after host`);
  } else {
    const i = host.lastIndexOf(':');
    if (i !== -1 && !validOptionalPort(host.slice(i))) throw new GoUrlError(`invalid port ${JSON.stringify(host.slice(i))} after host`);
  }
  // eslint-disable-next-line no-control-regex
  if (!HOST_OK.test(host.replace(/[^\x00-\x7f]/g, ''))) throw new GoUrlError(`invalid character in host name`);
  return host;
}

/** net/url Parse for absolute and scheme-less references (no fragment or query handling beyond dropping them). */
export function parseGoUrl(raw: string): GoUrl {
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(raw)) throw new GoUrlError('net/url: invalid control character in URL');
  const [noFrag] = raw.split('#', 1) as [string];
  const [schemeRaw, rest0] = getScheme(noFrag);
  const scheme = schemeRaw.toLowerCase();
  let rest = rest0;
  const q = rest.indexOf('?');
  if (q >= 0) rest = rest.slice(0, q);
  if (!rest.startsWith('/')) {
    if (scheme !== '') return { scheme, opaque: rest, host: '', path: '' };
    const seg = rest.split('/', 1)[0]!;
    if (seg.includes(':')) throw new GoUrlError('first path segment in URL cannot contain colon');
  }
  let host = '';
  if ((scheme !== '' || !rest.startsWith('///')) && rest.startsWith('//')) {
    let authority = rest.slice(2);
    rest = '';
    const i = authority.indexOf('/');
    if (i >= 0) {
      rest = authority.slice(i);
      authority = authority.slice(0, i);
    }
    const at = authority.lastIndexOf('@');
    host = parseHost(at < 0 ? authority : authority.slice(at + 1));
  }
  return { scheme, opaque: '', host, path: rest };
}

/** url.Hostname() and url.Port(): split at the last colon when a valid port follows, brackets removed. */
export function goHostPort(host: string): { hostname: string; port: string } {
  let h = host;
  let port = '';
  const colon = h.lastIndexOf(':');
  if (colon !== -1 && validOptionalPort(h.slice(colon))) {
    port = h.slice(colon + 1);
    h = h.slice(0, colon);
  }
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  return { hostname: h, port };
}

const PORT_MAP: Record<string, string> = { http: '80', https: '443', socks5: '1080' };

/** net.JoinHostPort. */
export function joinHostPort(host: string, port: string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** canonicalAddr: hostname + port (the scheme's default when none), as the dialer and NO_PROXY see it. */
export function goCanonicalAddr(u: Pick<GoUrl, 'scheme' | 'host'>): { hostname: string; port: string; addr: string } {
  const { hostname, port } = goHostPort(u.host);
  const p = port || PORT_MAP[u.scheme] || '';
  return { hostname, port: p, addr: joinHostPort(hostname, p) };
}

/** crypto/tls hostnameInSNI applied to connectMethod.tlsHost(): no SNI for an IP literal, trailing dots dropped. */
export function goServerName(hostname: string): string | undefined {
  // the zone: from the first '%' after the last line break (what /%.*$/ cuts, without rescanning from every '%')
  const lastBreak = Math.max(...['\n', '\r', '\u2028', '\u2029'].map((c) => hostname.lastIndexOf(c)));
  const pct = hostname.indexOf('%', lastBreak + 1);
  const zoneless = pct === -1 ? hostname : hostname.slice(0, pct);
  if (isIP(zoneless)) return undefined;
  // tlsHost() is the target address without its port: JoinHostPort bracketed a name holding a colon
  const name = (hostname.includes(':') ? `[${hostname}]` : hostname).replace(/(?<!\.)\.+$/, '');
  return name === '' ? undefined : name;
}
