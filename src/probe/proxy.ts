// Which proxy the runtime uses for a URL, exactly as Go's golang.org/x/net/http/httpproxy decides from the
// environment (proxy.go: FromEnvironment, config.init, parseProxy, proxyForURL, useProxy, canonicalAddr; net/http
// ProxyFromEnvironment uses it): HTTPS_PROXY for https and HTTP_PROXY for http (upper case first, an empty value is
// unset), a value Go cannot parse as a proxy URL is ignored (no proxy), one without an http/https/socks5 scheme gets
// http://; NO_PROXY entries are `*`, CIDRs, IPs (with a port), and domains (a leading `.` or `*.` = subdomains only,
// else the name and its subdomains, with a port); "localhost" and loopback IPs are never proxied. URLs are read as
// Go reads them (src/runtime/go-url.ts), not as WHATWG URL does (which lower-cases and rejects forms Go accepts).
import { ipv6Groups, isIP } from '../text/ip.js';
import { goCanonicalAddr, parseGoUrl, type GoUrl } from '../runtime/go-url.js';
import { msg, textIn, type Message } from '../i18n/index.js';

export interface ProxyDecision {
  proxy?: string;
  /** Why (for evidence). */
  reason: string;
  /** The same reason as a catalogue message, when the proxy applies (evidence in the reader's language). */
  reasonMessage?: Message;
}

function envAny(env: Readonly<Record<string, string | undefined>>, ...names: string[]): string {
  for (const n of names) {
    const v = env[n];
    if (v !== undefined && v !== '') return v;
  }
  return '';
}

const V4_PREFIX = 0xffffn << 32n;
const v4num = (ip: string) => ip.split('.').reduce((a, o) => (a << 8n) | BigInt(Number(o)), 0n);

/** net.ParseIP as a 128-bit number (IPv4 as ::ffff:a.b.c.d, so IP.Equal holds across the two forms). */
function ipToBigInt(ip: string): bigint | undefined {
  if (isIP(ip) === 4) return V4_PREFIX | v4num(ip);
  if (ip.includes('%')) return undefined;
  return ipv6Groups(ip)?.reduce((a, g) => (a << 16n) | BigInt(g), 0n);
}

const isV4 = (n: bigint) => n >> 32n === 0xffffn;

/** ip.IsLoopback(): 127.0.0.0/8 (also written as ::ffff:127.x.y.z) and ::1. */
function isLoopbackIp(n: bigint): boolean {
  return isV4(n) ? (n & 0xffffffffn) >> 24n === 127n : n === 1n;
}

/** net.ParseCIDR + IPNet.Contains for plain IPv4 and IPv6 prefixes. */
function cidrContains(cidr: string, ip: bigint): boolean | undefined {
  const m = cidr.match(/^([^/]+)\/(\d+)$/);
  if (!m) return undefined;
  const base = ipToBigInt(m[1]!);
  if (base === undefined) return undefined;
  const v4 = isIP(m[1]!) === 4;
  const bits = Number(m[2]);
  if (bits > (v4 ? 32 : 128)) return undefined;
  if (v4 !== isV4(ip)) return false;
  const width = v4 ? 32 : 128;
  const mask = v4 ? 0xffffffffn : (1n << 128n) - 1n;
  const shift = BigInt(width - bits);
  return (ip & mask) >> shift === (base & mask) >> shift;
}

/** net.SplitHostPort, or undefined on its errors (missing port, too many colons, misplaced brackets). */
export function splitHostPort(hp: string): [string, string] | undefined {
  const i = hp.lastIndexOf(':');
  if (i < 0) return undefined;
  let host: string;
  let j = 0;
  let k = 0;
  if (hp[0] === '[') {
    const end = hp.indexOf(']');
    if (end < 0 || end + 1 === hp.length || end + 1 !== i) return undefined;
    host = hp.slice(1, end);
    j = 1;
    k = end + 1;
  } else {
    host = hp.slice(0, i);
    if (host.includes(':')) return undefined;
  }
  if (hp.slice(j).includes('[') || hp.slice(k).includes(']')) return undefined;
  return [host, hp.slice(i + 1)];
}

/** Does NO_PROXY exempt host:port (host as url.Hostname() gives it, port as canonicalAddr gives it)? The entry. */
export function noProxyMatches(noProxy: string, host: string, port: string): string | undefined {
  const addr = host.toLowerCase().trim();
  const ip = ipToBigInt(addr);
  for (const raw of noProxy.split(',')) {
    const p = raw.toLowerCase().trim();
    if (!p) continue;
    if (p === '*') return '*';
    const inCidr = cidrContains(p, ip ?? -1n);
    if (inCidr !== undefined) {
      if (ip !== undefined && inCidr) return p;
      continue;
    }
    // IPv4:port, [IPv6]:port — brackets come off only when SplitHostPort accepted the entry
    const split = splitHostPort(p);
    let phost = split ? split[0] : p;
    const pport = split ? split[1] : '';
    if (split && phost === '') continue;
    const pip = ipToBigInt(phost);
    if (pip !== undefined) {
      if (ip !== undefined && pip === ip && (pport === '' || pport === port)) return p;
      continue;
    }
    if (phost === '') continue;
    if (phost.startsWith('*.')) phost = phost.slice(1);
    let matchHost = false;
    if (!phost.startsWith('.')) {
      matchHost = true;
      phost = `.${phost}`;
    }
    if ((addr.endsWith(phost) || (matchHost && addr === phost.slice(1))) && (pport === '' || pport === port)) return p;
  }
  return undefined;
}

/** parseProxy: the proxy URL Go uses for an HTTP(S)_PROXY value, or undefined when Go ignores the value. */
export function parseProxyValue(value: string): { url: string; parsed: GoUrl } | undefined {
  const attempt = (s: string) => {
    try {
      return parseGoUrl(s);
    } catch {
      return undefined;
    }
  };
  const u = attempt(value);
  if (u && ['http', 'https', 'socks5'].includes(u.scheme)) return { url: value, parsed: u };
  const prefixed = attempt(`http://${value}`);
  if (prefixed) return { url: `http://${value}`, parsed: prefixed };
  return u ? { url: value, parsed: u } : undefined;
}

const redact = (u: string) => u.replace(/\/\/[^@/]*@/, '//[REDACTED]@');

export function proxyFor(url: string, env: Readonly<Record<string, string | undefined>>): ProxyDecision {
  let u: GoUrl;
  try {
    u = parseGoUrl(url);
  } catch {
    return { reason: `${url} is not a URL Go parses: no request, no proxy` };
  }
  const https = u.scheme === 'https';
  if (!https && u.scheme !== 'http') return { reason: `scheme ${u.scheme || '(none)'}: Go's client proxies only http and https` };
  const raw = https ? envAny(env, 'HTTPS_PROXY', 'https_proxy') : envAny(env, 'HTTP_PROXY', 'http_proxy');
  const which = https ? 'HTTPS_PROXY' : 'HTTP_PROXY';
  if (!raw) return { reason: `no ${which} in the runtime's environment` };
  const proxy = parseProxyValue(raw);
  if (!proxy) return { reason: `${which} is not a URL Go accepts: Go ignores it (no proxy)` };
  const { hostname, port } = goCanonicalAddr(u);
  if (hostname === 'localhost') return { reason: `${hostname} is local: never proxied` };
  const ip = ipToBigInt(hostname);
  if (ip !== undefined && isLoopbackIp(ip)) return { reason: `${hostname} is a loopback address: never proxied` };
  const np = noProxyMatches(envAny(env, 'NO_PROXY', 'no_proxy'), hostname, port);
  if (np) return { reason: `NO_PROXY entry "${np}" exempts ${hostname}` };
  const why = { variable: which, proxy: redact(proxy.url), host: hostname };
  return { proxy: proxy.url, reason: textIn('en', 'evidence.proxy.applies', why), reasonMessage: msg('evidence.proxy.applies', why) };
}

/** Where the probe connects for a request URL: the proxy (its host and port as Go dials it) or the URL's host. */
export interface ConnectionTarget {
  via: 'proxy' | 'direct';
  /** Host name or IP to dial (url.Hostname(), brackets removed). */
  hostname: string;
  port: number;
  proxy?: string;
}

export function connectionTarget(url: string, env: Readonly<Record<string, string | undefined>>): ConnectionTarget | undefined {
  const d = proxyFor(url, env);
  let u: GoUrl;
  try {
    u = parseGoUrl(d.proxy ?? url);
  } catch {
    return undefined;
  }
  const { hostname, port } = goCanonicalAddr(u);
  if (!/^\d+$/.test(port) || Number(port) > 65535) return undefined;
  return { via: d.proxy ? 'proxy' : 'direct', hostname, port: Number(port), proxy: d.proxy };
}
