// Property test (issue 21): probes take the runtime's exact path. For seeded random hosts.toml entries (server and
// [host."…"] keys: DNS names in any case, trailing dots, IPv4, bracketed and unbracketed IPv6, ports in and out of
// range, paths, http/https/none/upper-case schemes, names that begin with "http") and random proxy environments
// (HTTP(S)_PROXY in every form Go accepts or ignores, NO_PROXY domains, wildcards, IPs, CIDRs, ports), every endpoint
// the config resolver produces must be probed where containerd's Go client would connect: proxy or direct, address,
// port, SNI — or, when Go would not use the entry, the resolver must not produce it either. The oracle below is an
// independent transcription of Go's rules, read from their sources:
//   net/url url.go (Parse, getScheme, parseAuthority, parseHost, validOptionalPort, Hostname, Port), go1.19;
//   containerd remotes/docker/config/hosts.go parseHostConfig ("http" prefix test, https:// otherwise), v1.6.20;
//   golang.org/x/net/http/httpproxy proxy.go (getEnvAny, parseProxy, useProxy, config.init, matchers, canonicalAddr);
//   net/http transport.go (connectMethod.addr / tlsHost) and crypto/tls handshake_client.go (hostnameInSNI).
import { describe, expect, it } from 'vitest';
import { BlockList, isIP } from 'node:net';
import { endpointsFromHostsToml, HostsTomlError, parseSemver } from '../../src/runtime/containerd-config.js';
import { connectionTarget } from '../../src/probe/proxy.js';
import { connectEndpoint, serverNameFor, type ProbeScope } from '../../src/probe/endpoint.js';
import { parseTarget } from '../../src/core/reference.js';

// ------------------------------------------------------------------------------------------ seeded generator

function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    chance: (p: number) => next() < p,
    int: (n: number) => Math.floor(next() * n),
  };
}
type Rng = ReturnType<typeof rng>;

const NAMES = [
  'reg.example.com',
  'Reg.Example.COM',
  'mirror.corp.test',
  'a.b.corp.test',
  'registry',
  'reg.example.com.',
  'http-registry.local',
  'httpbin.internal',
  'localhost',
  'LOCALHOST',
  'cache.test',
];
const V4 = ['10.1.2.3', '11.4.5.6', '127.0.0.1', '127.9.9.9', '192.168.7.7'];
const V6 = ['fd00::5', '::1', '2001:db8::1', '::ffff:10.1.2.3', 'fe80::1:2'];
const PORTS = ['', '', ':443', ':80', ':5000', ':8443', ':65535', ':70000', ':', ':abc'];
const PATHS = ['', '', '/', '/v2', '/mirror', '/a/b/v2/'];
const SCHEMES = ['https://', 'https://', 'http://', '', '', 'HTTPS://'];

function genHostPort(r: Rng): string {
  const kind = r.int(10);
  const port = r.pick(PORTS);
  if (kind < 6) return `${r.pick(NAMES)}${port}`;
  if (kind < 8) return `${r.pick(V4)}${port}`;
  if (kind < 9) return `[${r.pick(V6)}]${port}`;
  return `${r.pick(V6)}${r.pick([':5000', ''])}`; // unbracketed: Go reads the last :digits as the port
}
const genUrl = (r: Rng) => `${r.pick(SCHEMES)}${genHostPort(r)}${r.pick(PATHS)}`;

const PROXIES = [
  '',
  '',
  'proxy.corp:3128',
  'http://p.corp:8080',
  'https://sp.corp',
  'socks5://s.corp',
  '[fd00::9]:3128',
  'http://user:pw@p.corp:1',
  'HTTP://Up.Corp:81',
  'ftp://f.corp:21',
  'http://bad host',
];
const NO_PROXY = [
  '.example.com',
  'example.com',
  '*.corp.test',
  'corp.test:443',
  '10.0.0.0/8',
  'fd00::/8',
  '[fd00::5]',
  'fd00::5',
  '10.1.2.3:5000',
  'reg.example.com:443',
  'registry',
  '*',
  ' Cache.Test ',
  '[fd00::5]:5000',
  '2001:db8::/32',
  '192.168.0.0/16',
];

function genEnv(r: Rng): Record<string, string> {
  const env: Record<string, string> = {};
  for (const k of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy']) if (r.chance(0.4)) env[k] = r.pick(PROXIES);
  if (r.chance(0.6)) env[r.pick(['NO_PROXY', 'no_proxy'])] = Array.from({ length: 1 + r.int(3) }, () => r.pick(NO_PROXY)).join(',');
  return env;
}

// ------------------------------------------------------------------------------------------ the oracle (Go's rules)

interface GoURL {
  scheme: string;
  host: string;
}

/** net/url.Parse, the parts that decide scheme and host (go1.19). Throws on Parse's errors. */
function goParse(raw: string): GoURL {
  let scheme = '';
  let rest = raw;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    const other = (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46;
    if (letter) continue;
    if (other) {
      if (i === 0) break;
      continue;
    }
    if (raw[i] === ':') {
      if (i === 0) throw new Error('missing protocol scheme');
      scheme = raw.slice(0, i).toLowerCase();
      rest = raw.slice(i + 1);
    }
    break;
  }
  if (!rest.startsWith('/')) {
    if (scheme) return { scheme, host: '' }; // opaque
    if ((rest.split('/')[0] ?? '').includes(':')) throw new Error('first path segment in URL cannot contain colon');
  }
  if (!rest.startsWith('//')) return { scheme, host: '' };
  let authority = rest.slice(2);
  const slash = authority.indexOf('/');
  if (slash >= 0) authority = authority.slice(0, slash);
  const host = authority.slice(authority.lastIndexOf('@') + 1);
  const portOk = (p: string) => p === '' || /^:[0-9]*$/.test(p);
  if (host.startsWith('[')) {
    const close = host.lastIndexOf(']');
    if (close < 0) throw new Error("missing ']' in host");
    if (!portOk(host.slice(close + 1))) throw new Error('invalid port');
  } else if (host.includes(':') && !portOk(host.slice(host.lastIndexOf(':')))) throw new Error('invalid port');
  if (/[ {}|\\^`]/.test(host)) throw new Error('invalid character in host name');
  return { scheme, host };
}

/** URL.Hostname() / URL.Port(). */
function goSplit(host: string): [string, string] {
  const colon = host.lastIndexOf(':');
  let h = host;
  let p = '';
  if (colon >= 0 && /^:[0-9]*$/.test(host.slice(colon))) [h, p] = [host.slice(0, colon), host.slice(colon + 1)];
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  return [h, p];
}
const PORT_OF: Record<string, string> = { http: '80', https: '443', socks5: '1080' };
const join = (h: string, p: string) => (h.includes(':') ? `[${h}]:${p}` : `${h}:${p}`);

/** An address in net.IP terms: IPv4 (also ::ffff:a.b.c.d, as To4 gives it) or IPv6. */
function goIp(s: string): { v: 'ipv4' | 'ipv6'; a: string } | undefined {
  if (s.includes('%')) return undefined;
  const mapped = s.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i);
  if (mapped && isIP(mapped[1]!) === 4) return { v: 'ipv4', a: mapped[1]! };
  if (isIP(s) === 4) return { v: 'ipv4', a: s };
  if (isIP(s) === 6) return { v: 'ipv6', a: s };
  return undefined;
}

/** httpproxy's decision for a request URL: the proxy URL, or undefined (direct). */
function goProxy(u: GoURL, env: Record<string, string>): GoURL | undefined {
  const any = (...ns: string[]) => ns.map((n) => env[n] ?? '').find((v) => v !== '') ?? '';
  const value = u.scheme === 'https' ? any('HTTPS_PROXY', 'https_proxy') : u.scheme === 'http' ? any('HTTP_PROXY', 'http_proxy') : '';
  if (!value) return undefined;
  let proxy: GoURL | undefined;
  let first: GoURL | undefined;
  try {
    first = goParse(value);
  } catch {
    first = undefined;
  }
  if (first && ['http', 'https', 'socks5'].includes(first.scheme)) proxy = first;
  else {
    try {
      proxy = goParse(`http://${value}`);
    } catch {
      proxy = first;
    }
  }
  if (!proxy) return undefined;
  // useProxy(canonicalAddr(reqURL))
  const [hostname, p] = goSplit(u.host);
  const port = p || PORT_OF[u.scheme]!;
  if (hostname === 'localhost') return undefined;
  const ip = goIp(hostname);
  if (ip) {
    const lo = new BlockList();
    lo.addSubnet('127.0.0.0', 8, 'ipv4');
    lo.addAddress('::1', 'ipv6');
    if (lo.check(ip.a, ip.v)) return undefined;
  }
  const host = hostname.toLowerCase().trim();
  for (const raw of any('NO_PROXY', 'no_proxy').split(',')) {
    const e = raw.toLowerCase().trim();
    if (!e) continue;
    if (e === '*') return undefined;
    const cidr = e.match(/^(.+)\/(\d+)$/);
    const cip = cidr ? goIp(cidr[1]!) : undefined;
    if (cidr && cip && Number(cidr[2]) <= (isIP(cidr[1]!) === 4 ? 32 : 128)) {
      const bl = new BlockList();
      bl.addSubnet(cip.a, Number(cidr[2]), isIP(cidr[1]!) === 4 ? 'ipv4' : 'ipv6');
      if (ip && ip.v === (isIP(cidr[1]!) === 4 ? 'ipv4' : 'ipv6') && bl.check(ip.a, ip.v)) return undefined;
      continue;
    }
    // net.SplitHostPort
    let phost = e;
    let pport = '';
    const m = e.match(/^\[([^\]]*)\]:([^:[\]]*)$/) ?? e.match(/^([^:[\]]*):([^:[\]]*)$/);
    if (m) [phost, pport] = [m[1]!, m[2]!];
    if (m && phost === '') continue;
    const pip = goIp(phost);
    if (pip) {
      if (ip && ip.v === pip.v) {
        const one = new BlockList();
        one.addAddress(pip.a, pip.v);
        if (one.check(ip.a, ip.v) && (pport === '' || pport === port)) return undefined;
      }
      continue;
    }
    if (phost.startsWith('*.')) phost = phost.slice(1);
    const matchHost = !phost.startsWith('.');
    if (matchHost) phost = `.${phost}`;
    if ((host.endsWith(phost) || (matchHost && host === phost.slice(1))) && (pport === '' || pport === port)) return undefined;
  }
  return proxy;
}

interface Expected {
  via: 'proxy' | 'direct';
  hostname: string;
  port: number;
  sni?: string;
}

/** Where Go's client connects for a hosts.toml entry's key, or 'unusable' (containerd cannot use the entry). */
function oracle(key: string, env: Record<string, string>): Expected | 'unusable' | 'undialable' {
  let u: GoURL;
  try {
    u = goParse(key.startsWith('http') ? key : `https://${key}`);
  } catch {
    return 'unusable';
  }
  if ((u.scheme !== 'http' && u.scheme !== 'https') || u.host === '') return 'unusable';
  const proxy = goProxy(u, env);
  const [th, tp] = goSplit(u.host);
  const dial = proxy ?? u;
  const [h, p] = goSplit(dial.host);
  const port = p || PORT_OF[dial.scheme] || '';
  // the dialer refuses a port out of range (the proxy's, or the target's when it is dialled directly)
  if (!/^\d+$/.test(port) || Number(port) > 65535) return 'undialable';
  let sni: string | undefined;
  if (u.scheme === 'https') {
    // connectMethod.tlsHost(): targetAddr without its port; then crypto/tls hostnameInSNI
    const tls = join(th, tp || '443').replace(/:[^:]*$/, '');
    const bare = tls.startsWith('[') && tls.endsWith(']') ? tls.slice(1, -1) : tls;
    sni = goIp(bare.replace(/%.*$/, '')) || isIP(bare) ? undefined : tls.replace(/\.+$/, '') || undefined;
  }
  return { via: proxy ? 'proxy' : 'direct', hostname: h, port: Number(port), sni };
}

// ------------------------------------------------------------------------------------------ the property

const V1620 = parseSemver('1.6.20')!;
const REGISTRY = parseTarget('reg.example.com:5000/team/app:1.0').registry;

describe('probes take the runtime path (seeded property test)', () => {
  const SEEDS = Array.from({ length: 600 }, (_, i) => 0x5eed0000 + i);
  it('every endpoint the resolver produces is probed where Go connects (proxy/direct, address, port, SNI)', () => {
    const failures: string[] = [];
    for (const seed of SEEDS) {
      const r = rng(seed);
      const hosts = Array.from({ length: r.int(3) }, () => genUrl(r));
      const server = r.chance(0.7) ? genUrl(r) : undefined;
      const env = genEnv(r);
      const doc: Record<string, unknown> = {
        ...(server !== undefined ? { server } : {}),
        host: Object.fromEntries(hosts.map((h) => [h, { capabilities: ['pull', 'resolve'] }])),
      };
      const keys = [...new Set(hosts), server ?? `https://${REGISTRY.apiHost}`];
      const want = keys.map((k) => oracle(k, env));
      let eps;
      try {
        eps = endpointsFromHostsToml(doc, '/etc/containerd/certs.d/x', 'hosts.toml', REGISTRY, V1620);
      } catch (err) {
        if (!(err instanceof HostsTomlError)) throw err;
        if (!want.includes('unusable')) failures.push(`seed ${seed}: resolver refused ${JSON.stringify(keys)}: ${(err as Error).message}`);
        continue;
      }
      if (want.includes('unusable')) {
        failures.push(`seed ${seed}: resolver accepted ${JSON.stringify(keys)}, Go cannot use ${keys[want.indexOf('unusable')]}`);
        continue;
      }
      expect(eps.length).toBe(keys.length);
      eps.forEach((ep, i) => {
        const w = want[i]!;
        const t = connectionTarget(ep.url, env);
        const got = t
          ? { via: t.via, hostname: t.hostname, port: t.port, sni: ep.scheme === 'https' ? serverNameFor(ep.hostname) : undefined }
          : 'undialable';
        const exp = w;
        if (JSON.stringify(got) !== JSON.stringify(exp))
          failures.push(
            `seed ${seed}: ${JSON.stringify(keys[i])} with ${JSON.stringify(env)}: probe ${JSON.stringify(got)}, Go ${JSON.stringify(exp)}`,
          );
      });
    }
    expect(failures.slice(0, 15)).toEqual([]);
  });

  it('forms the generator found where WHATWG URL and Go differ, pinned', () => {
    const t = (url: string, env: Record<string, string>) => {
      const c = connectionTarget(url, env);
      return c && `${c.via} ${c.hostname}:${c.port}`;
    };
    // "localhost" is exempt only in lower case; ::ffff:127.0.0.1 is loopback (IP.IsLoopback on To4)
    expect(t('https://LOCALHOST:5000/v2', { HTTPS_PROXY: 'p:1' })).toBe('proxy p:1');
    expect(t('https://[::ffff:127.0.0.1]/v2', { HTTPS_PROXY: 'p:1' })).toBe('direct ::ffff:127.0.0.1:443');
    // a bracketed NO_PROXY entry without a port is a domain pattern to Go: it matches no IP
    expect(t('https://[fd00::5]/v2', { HTTPS_PROXY: 'p:1', NO_PROXY: '[fd00::5]' })).toBe('proxy p:1');
    expect(t('https://[fd00::5]/v2', { HTTPS_PROXY: 'p:1', NO_PROXY: 'fd00::5' })).toBe('direct fd00::5:443');
    // proxy ports as canonicalAddr gives them; a value Go cannot parse is re-read with http:// in front
    expect(t('https://r.test/v2', { HTTPS_PROXY: 'socks5://s.corp' })).toBe('proxy s.corp:1080');
    expect(t('https://r.test/v2', { HTTPS_PROXY: 'https://sp.corp' })).toBe('proxy sp.corp:443');
    expect(t('https://r.test/v2', { HTTPS_PROXY: 'http://bad host' })).toBe('proxy http:80');
    // hosts.toml: a scheme-less key that begins with "http" is not given https:// by containerd, and Go reads it as a scheme
    expect(() => endpointsFromHostsToml({ server: 'http-registry.local:5000' }, '/d', 'h', REGISTRY, V1620)).toThrow(HostsTomlError);
    // an unbracketed IPv6 host with a port is a URL to Go (WHATWG rejects it); SNI keeps case, drops trailing dots
    const [ep] = endpointsFromHostsToml({ server: 'https://fd00::1:5000' }, '/d', 'h', REGISTRY, V1620);
    expect([ep!.hostname, ep!.port, ep!.url]).toEqual(['fd00::1', 5000, 'https://[fd00::1]:5000/v2']);
    expect(serverNameFor('Reg.Example.COM.')).toBe('Reg.Example.COM');
    expect(serverNameFor('10.1.2.3')).toBeUndefined();
  });

  it('a proxied probe never falls back to a direct connection when the proxy fails', async () => {
    for (const seed of SEEDS.slice(0, 200)) {
      const r = rng(seed);
      const env = { ...genEnv(r), HTTPS_PROXY: r.pick(['proxy.corp:3128', 'http://p.corp:8080', '[fd00::9]:3128']) };
      const url = `https://${r.pick(['reg.example.com', '11.4.5.6', '[2001:db8::1]'])}${r.pick(['', ':5000'])}/v2`;
      const target = connectionTarget(url, env);
      if (target?.via !== 'proxy') continue;
      const dialled: string[] = [];
      const net = {
        lookup: async (h: string) => {
          dialled.push(`lookup ${h}`);
          return { ok: false as const, error: 'nxdomain' as const, message: `lookup ${h}: no such host` };
        },
        connect: async (a: string, p: number) => {
          dialled.push(`connect ${a}:${p}`);
          return { ok: false as const, error: 'refused' as const, message: 'connection refused', durationMs: 1 };
        },
      };
      const scope = {
        adapters: { net, fs: { readText: async () => '' }, env: {} },
        target: parseTarget(url.replace(/^https:\/\//, '').replace(/\/v2$/, '')),
        timeoutMs: 1000,
        runtimeEnv: env,
        goVersion: 'go1.19',
      } as unknown as ProbeScope;
      const ep = endpointsFromHostsToml(
        { server: url.replace(/\/v2$/, ''), host: { [url.replace(/\/v2$/, '')]: {} } },
        '/d',
        'hosts.toml',
        REGISTRY,
        V1620,
      )[0]!;
      const out = await connectEndpoint(scope, ep);
      expect(dialled, `seed ${seed}`).toEqual([`lookup ${target.hostname}`]);
      expect(out.findings?.[0]?.code).toBe('proxy');
      expect(out.findings?.[0]?.predictedRuntimeError ?? '').toContain('proxyconnect tcp');
    }
  });
});
