// Which proxy the runtime uses for a URL, exactly as Go's golang.org/x/net/http/httpproxy decides from the
// environment: HTTPS_PROXY/HTTP_PROXY (upper case wins), NO_PROXY with domain, IP, CIDR and port rules,
// localhost and loopback never proxied, a scheme-less proxy means http://.
import { isIP } from 'node:net';

export interface ProxyDecision {
  proxy?: string;
  /** Why (for evidence). */
  reason: string;
}

function envAny(env: Readonly<Record<string, string | undefined>>, ...names: string[]): string {
  for (const n of names) {
    const v = env[n];
    if (v !== undefined && v !== '') return v;
  }
  return '';
}

function ipToBigInt(ip: string): bigint | undefined {
  if (isIP(ip) === 4) return ip.split('.').reduce((a, o) => (a << 8n) | BigInt(Number(o)), 0n);
  if (isIP(ip) === 6) {
    const [h, t] = ip.includes('::') ? ip.split('::') : [ip, undefined];
    const hp = h ? h.split(':') : [];
    const tp = t ? t.split(':') : [];
    const groups = t === undefined ? hp : [...hp, ...Array(8 - hp.length - tp.length).fill('0'), ...tp];
    return groups.reduce((a, g) => (a << 16n) | BigInt(parseInt(g || '0', 16)), 0n);
  }
  return undefined;
}

function inCidr(ip: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/');
  const bits = Number(bitsText);
  const a = ipToBigInt(ip);
  const b = ipToBigInt(base!);
  if (a === undefined || b === undefined || isIP(ip) !== isIP(base!)) return false;
  const width = isIP(ip) === 4 ? 32 : 128;
  if (!Number.isInteger(bits) || bits < 0 || bits > width) return false;
  const shift = BigInt(width - bits);
  return a >> shift === b >> shift;
}

function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return ipToBigInt(host) === 1n;
  return false;
}

/** Does NO_PROXY exempt host:port? */
export function noProxyMatches(noProxy: string, host: string, port: string): string | undefined {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  for (const raw of noProxy.split(',')) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return '*';
    if (entry.includes('/')) {
      if (isIP(h) && inCidr(h, entry)) return entry;
      continue;
    }
    let phost = entry;
    let pport = '';
    const m = entry.match(/^(.*):(\d+)$/);
    if (m && !(isIP(entry) === 6)) {
      phost = m[1]!;
      pport = m[2]!;
    }
    phost = phost.replace(/^\[|\]$/g, '');
    if (isIP(phost)) {
      if (isIP(h) && ipToBigInt(h) === ipToBigInt(phost) && (pport === '' || pport === port)) return entry;
      continue;
    }
    if (phost.startsWith('*.')) phost = phost.slice(1);
    let matchHost = false;
    if (!phost.startsWith('.')) {
      matchHost = true;
      phost = `.${phost}`;
    }
    if ((h.endsWith(phost) || (matchHost && h === phost.slice(1))) && (pport === '' || pport === port)) return entry;
  }
  return undefined;
}

export function proxyFor(url: string, env: Readonly<Record<string, string | undefined>>): ProxyDecision {
  const u = new URL(url);
  const https = u.protocol === 'https:';
  const proxy = https ? envAny(env, 'HTTPS_PROXY', 'https_proxy') : envAny(env, 'HTTP_PROXY', 'http_proxy');
  const which = https ? 'HTTPS_PROXY' : 'HTTP_PROXY';
  if (!proxy) return { reason: `no ${which} in the runtime's environment` };
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const port = u.port || (https ? '443' : '80');
  if (isLoopback(host)) return { reason: `${host} is local: never proxied` };
  const np = noProxyMatches(envAny(env, 'NO_PROXY', 'no_proxy'), host, port);
  if (np) return { reason: `NO_PROXY entry "${np}" exempts ${host}` };
  const normalized = /^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`;
  return { proxy: normalized, reason: `${which}=${normalized.replace(/\/\/[^@/]*@/, '//[REDACTED]@')} applies to ${host}` };
}
