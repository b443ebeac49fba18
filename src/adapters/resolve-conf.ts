// How containerd (a Go program) resolves a host name on Linux, as pure functions over the node's files: which resolver
// Go picks (net/conf.go (*conf).lookupOrder, Go 1.21+), resolv.conf as Go reads it (net/dnsconfig_unix.go
// dnsReadConfig), nsswitch.conf (net/nss.go parseNSSConf), /etc/hosts (net/hosts.go readHosts / lookupStaticHost),
// the names queried for a short name (net/dnsclient_unix.go (*dnsConfig).nameList) and Go's isDomainName
// (net/dnsclient.go). The adapter (net.ts) reads the files and does the I/O; everything here is tested with fixtures.
import { ipv6Groups, ipv6Text, isIP } from '../text/ip.js';

/** Go's hostLookupOrder (net/dnsclient_unix.go): `cgo` defers to libc's getaddrinfo. */
export type GoLookupOrder = 'cgo' | 'files,dns' | 'dns,files' | 'files' | 'dns';

export interface DnsConfig {
  /** Name server IPs in file order (at most 3, IP literals only); Go's defaultNS when none. */
  servers: string[];
  /** Rooted search suffixes ("corp.example."). */
  search: string[];
  ndots: number;
  timeoutMs: number;
  attempts: number;
  rotate: boolean;
  singleRequest: boolean;
  useTCP: boolean;
  /** Keywords or options Go does not know (any of them makes a cgo-capable Go defer to libc). */
  unknown: string[];
  /** Options only newer Go versions know (an older one treats them as unknown): see OPTION_SINCE. */
  versioned: string[];
  /** Why the file could not be read (an FsError code), when it could not. */
  err?: string;
}

/** resolv.conf options Go learnt late, with the first Go minor version that accepts each; an older Go counts them as
 *  unknown and defers to libc (golang/go#51152: `options edns0 trust-ad`, systemd-resolved's stub file, sent Go to
 *  cgo): trust-ad in Go 1.19, edns0 in Go 1.20 (CL 415579), no-reload in Go 1.21. */
export const OPTION_SINCE: Readonly<Record<string, number>> = { 'trust-ad': 19, edns0: 20, 'no-reload': 21 };

/** The minor version of "go1.19.8" / "1.22" (undefined when it cannot be read: the newest rules apply). */
export function goMinor(version: string | undefined): number | undefined {
  const m = version?.match(/^(?:go)?1\.(\d+)/);
  return m ? Number(m[1]) : undefined;
}

/** Go's defaultNS (net/dnsconfig.go): loopback on both families when resolv.conf names no server. */
export const DEFAULT_NAMESERVERS: readonly string[] = ['127.0.0.1', '::1'];

/** Go's dtoi (net/parse.go): the leading decimal digits, 0 when none, capped at 0xFFFFFF. */
function dtoi(s: string): number {
  let n = 0;
  let i = 0;
  for (; i < s.length && s[i]! >= '0' && s[i]! <= '9'; i++) {
    n = n * 10 + (s.charCodeAt(i) - 48);
    if (n >= 0xffffff) return 0xffffff;
  }
  return n;
}

/** Go's getFields (net/parse.go): split at spaces, tabs, CR and LF, empty fields dropped. */
function fields(line: string): string[] {
  return line.split(/[ \r\t\n]+/).filter(Boolean);
}

function ensureRooted(s: string): string {
  return s.endsWith('.') ? s : `${s}.`;
}

/** Go's dnsDefaultSearch: the node's host name minus its first label, when it has a dot that is not the last byte. */
function defaultSearch(hostname: string | undefined): string[] {
  if (!hostname) return [];
  const i = hostname.indexOf('.');
  return i >= 0 && i < hostname.length - 1 ? [ensureRooted(hostname.slice(i + 1))] : [];
}

/**
 * resolv.conf as Go's dnsReadConfig reads it (net/dnsconfig_unix.go): comments only at the start of a line (`#`, `;`);
 * `nameserver` keeps IP literals, at most three; `domain` and `search` replace the search list (the last one wins);
 * `options ndots:` (0–15), `timeout:` and `attempts:` (at least 1), rotate, single-request(-reopen),
 * use-vc/usevc/tcp, trust-ad, edns0, no-reload; anything else (an unknown keyword such as `sortlist`, an unknown
 * option) is recorded in `unknown`. `text` undefined: the file could not be read (`err` says why).
 */
export function parseResolvConf(text: string | undefined, opts: { err?: string; hostname?: string } = {}): DnsConfig {
  const conf: DnsConfig = {
    servers: [],
    search: [],
    ndots: 1,
    timeoutMs: 5000,
    attempts: 2,
    rotate: false,
    singleRequest: false,
    useTCP: false,
    unknown: [],
    versioned: [],
  };
  if (text === undefined) {
    conf.err = opts.err ?? 'ENOENT';
    conf.servers = [...DEFAULT_NAMESERVERS];
    conf.search = defaultSearch(opts.hostname);
    return conf;
  }
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.startsWith(';') || line.startsWith('#')) continue;
    const f = fields(line);
    if (f.length === 0) continue;
    switch (f[0]) {
      case 'nameserver':
        if (f.length > 1 && conf.servers.length < 3 && isIP(f[1]!)) conf.servers.push(f[1]!);
        break;
      case 'domain':
        if (f.length > 1) conf.search = [ensureRooted(f[1]!)];
        break;
      case 'search':
        conf.search = f
          .slice(1)
          .map(ensureRooted)
          .filter((s) => s !== '.');
        break;
      case 'options':
        for (const s of f.slice(1)) {
          if (s.startsWith('ndots:')) conf.ndots = Math.min(15, Math.max(0, dtoi(s.slice(6))));
          else if (s.startsWith('timeout:')) conf.timeoutMs = Math.max(1, dtoi(s.slice(8))) * 1000;
          else if (s.startsWith('attempts:')) conf.attempts = Math.max(1, dtoi(s.slice(9)));
          else if (s === 'rotate') conf.rotate = true;
          else if (s === 'single-request' || s === 'single-request-reopen') conf.singleRequest = true;
          else if (s === 'use-vc' || s === 'usevc' || s === 'tcp') conf.useTCP = true;
          else if (s in OPTION_SINCE) conf.versioned.push(s);
          else conf.unknown.push(`options ${s}`);
        }
        break;
      case 'lookup': // OpenBSD's keyword: parsed by Go, used only on OpenBSD
        break;
      default:
        conf.unknown.push(f[0]!);
    }
  }
  if (conf.servers.length === 0) conf.servers = [...DEFAULT_NAMESERVERS];
  if (conf.search.length === 0) conf.search = defaultSearch(opts.hostname);
  return conf;
}

export interface NssSource {
  source: string;
  criteria: { negate: boolean; status: string; action: string }[];
}

export interface NssConf {
  /** Keyed by database ("hosts"). */
  sources: Map<string, NssSource[]>;
  /** A read error (FsError code) or Go's parse error text; any of them makes Go fall back (to cgo when it can). */
  err?: string;
}

/** Go's parseCriteria (net/nss.go): "NOTFOUND=return !UNAVAIL=continue", lower-cased. */
function parseCriteria(x: string): NssSource['criteria'] | string {
  const out: NssSource['criteria'] = [];
  for (let f of fields(x)) {
    let negate = false;
    if (f.startsWith('!')) {
      negate = true;
      f = f.slice(1);
    }
    if (f.length < 3) return 'criterion too short';
    const eq = f.indexOf('=');
    if (eq === -1) return 'criterion lacks equal sign';
    const lower = f.toLowerCase();
    out.push({ negate, status: lower.slice(0, eq), action: lower.slice(eq + 1) });
  }
  return out;
}

const trimSpace = (s: string): string => s.replace(/^[ \t\n\r]+|[ \t\n\r]+$/g, '');

/**
 * nsswitch.conf as Go's parseNSSConf reads it (net/nss.go): `#` starts a comment anywhere; a non-empty line without a
 * colon is an error; sources are separated by single spaces (a tab does not separate them); a `[...]` block right after
 * a source holds its criteria. Go stops at the first bad line and keeps the error.
 */
export function parseNsswitch(text: string): NssConf {
  const conf: NssConf = { sources: new Map() };
  for (const raw of text.split('\n')) {
    const hash = raw.indexOf('#');
    const line = trimSpace(hash >= 0 ? raw.slice(0, hash) : raw);
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon === -1) return { ...conf, err: 'no colon on line' };
    const db = trimSpace(line.slice(0, colon));
    let srcs = line.slice(colon + 1);
    for (;;) {
      srcs = trimSpace(srcs);
      if (srcs === '') break;
      const sp = srcs.indexOf(' ');
      let source: string;
      if (sp === -1) {
        source = srcs;
        srcs = '';
      } else {
        source = srcs.slice(0, sp);
        srcs = trimSpace(srcs.slice(sp + 1));
      }
      let criteria: NssSource['criteria'] = [];
      if (srcs.startsWith('[')) {
        const close = srcs.indexOf(']');
        if (close === -1) return { ...conf, err: 'unclosed criterion bracket' };
        const parsed = parseCriteria(srcs.slice(1, close));
        if (typeof parsed === 'string') return { ...conf, err: `invalid criteria: ${srcs.slice(1, close)}` };
        criteria = parsed;
        srcs = srcs.slice(close + 1);
      }
      const list = conf.sources.get(db) ?? [];
      list.push({ source, criteria });
      conf.sources.set(db, list);
    }
  }
  return conf;
}

/** Go's standardCriteria (net/nss.go): every criterion is the default action for its status (a last `=return` too). */
function standardCriteria(s: NssSource): boolean {
  return s.criteria.every((c, i) => {
    if (c.negate) return false;
    const def = c.status === 'success' ? 'return' : ['notfound', 'unavail', 'tryagain'].includes(c.status) ? 'continue' : undefined;
    if (def === undefined) return false;
    if (i === s.criteria.length - 1 && c.action === 'return') return true;
    return c.action === def;
  });
}

const isLocalhost = (h: string): boolean => /^(?:localhost|localhost\.localdomain)$|\.localhost$|\.localhost\.localdomain$/i.test(h);

export interface LookupOrderInput {
  hostname: string;
  resolv: DnsConfig;
  nss: NssConf;
  /** The runtime's environment when known (GODEBUG netdns, LOCALDOMAIN, RES_OPTIONS, HOSTALIASES). */
  env?: Readonly<Record<string, string | undefined>>;
  /** The node's own host name (nsswitch `myhostname` answers it). */
  nodeHostname?: string;
  /** /etc/mdns.allow: 'absent', 'present', or 'error' (could not be checked). */
  mdnsAllow: 'absent' | 'present' | 'error';
  /** The runtime's Go version ("go1.19.8"); unknown: the newest rules. */
  goVersion?: string;
}

export interface LookupOrderDecision {
  order: GoLookupOrder;
  /** Why, quoting the configuration that decided it (shown in the evidence when it is libc). */
  reason: string;
}

/** GODEBUG's netdns mode (net/conf.go goDebugNetDNS): "go", "cgo" or "" from `netdns=go+1`, `netdns=2+cgo`… */
export function goDebugNetDNS(godebug: string | undefined): string {
  let value = '';
  for (const kv of (godebug ?? '').split(',')) {
    const eq = kv.indexOf('=');
    if (eq > 0 && kv.slice(0, eq).trim() === 'netdns') value = kv.slice(eq + 1).trim();
  }
  let mode = '';
  for (const part of value.split('+')) if (part !== '' && !(part[0]! >= '0' && part[0]! <= '9')) mode = part;
  return mode;
}

/**
 * The order Go's resolver uses for `hostname` (net/conf.go (*conf).lookupOrder, Go 1.21+, Linux, a binary with cgo —
 * containerd's packaged and released binaries are). `cgo` means libc's getaddrinfo; anything else is the pure-Go
 * resolver reading /etc/hosts and querying resolv.conf's servers itself.
 */
export function lookupOrder(input: LookupOrderInput): LookupOrderDecision {
  const env = input.env ?? {};
  const mode = goDebugNetDNS(env.GODEBUG);
  const mustUseGo = mode === 'go';
  const cgo = (reason: string): LookupOrderDecision => ({ order: 'cgo', reason });
  let host = input.hostname;
  if (!mustUseGo) {
    if (mode === 'cgo') return cgo('GODEBUG=netdns=cgo in the runtime environment');
    if (env.LOCALDOMAIN !== undefined) return cgo('LOCALDOMAIN set in the runtime environment');
    if (env.RES_OPTIONS) return cgo('RES_OPTIONS set in the runtime environment');
    if (env.HOSTALIASES) return cgo('HOSTALIASES set in the runtime environment');
    if (host.includes('\\') || host.includes('%')) return cgo(`host name "${host}" holds '\\' or '%'`);
  }
  const fallback = (reason: string): LookupOrderDecision => (mustUseGo ? { order: 'files,dns', reason } : cgo(reason));
  const { resolv, nss } = input;
  if (!mustUseGo && resolv.err && resolv.err !== 'ENOENT' && resolv.err !== 'EACCES')
    return cgo(`/etc/resolv.conf unreadable (${resolv.err})`);
  const minor = goMinor(input.goVersion);
  const unknown = [
    ...resolv.unknown,
    ...resolv.versioned.filter((o) => minor !== undefined && minor < OPTION_SINCE[o]!).map((o) => `options ${o}`),
  ];
  if (!mustUseGo && unknown.length) return cgo(`/etc/resolv.conf: ${unknown.join(', ')} (unknown to Go's resolver)`);
  host = host.replace(/\.$/, '');
  // before Go 1.21 (net/conf.go hostLookupOrder) a .local name always went to libc, whatever nsswitch.conf says
  if (!mustUseGo && minor !== undefined && minor < 21 && /\.local$/i.test(host)) return cgo(`host name "${host}" ends in .local`);
  const srcs = nss.sources.get('hosts') ?? [];
  if (nss.err === 'ENOENT' || (nss.err === undefined && srcs.length === 0))
    return { order: 'files,dns', reason: '/etc/nsswitch.conf names no hosts sources' };
  if (nss.err !== undefined) return fallback(`/etc/nsswitch.conf: ${nss.err}`);
  const line = `hosts: ${srcs.map((s) => s.source + (s.criteria.length ? ` [${s.criteria.map((c) => `${c.negate ? '!' : ''}${c.status}=${c.action}`).join(' ')}]` : '')).join(' ')}`;
  let files = false;
  let dns = false;
  let first = '';
  let hasDns = false;
  let hasDnsChecked = false;
  for (const [i, src] of srcs.entries()) {
    if (src.source === 'files' || src.source === 'dns') {
      if (!mustUseGo && !standardCriteria(src)) return cgo(`/etc/nsswitch.conf ${line}`);
      if (src.source === 'files') files = true;
      else {
        dns = true;
        hasDns = true;
        hasDnsChecked = true;
      }
      if (first === '') first = src.source;
      continue;
    }
    if (!mustUseGo) {
      if (src.source === 'myhostname') {
        if (isLocalhost(host) || /^_gateway$/i.test(host) || /^_outbound$/i.test(host)) return cgo(`/etc/nsswitch.conf ${line}`);
        if (!input.nodeHostname || input.nodeHostname.toLowerCase() === host.toLowerCase()) return cgo(`/etc/nsswitch.conf ${line}`);
        continue;
      }
      if (src.source.startsWith('mdns')) {
        if (/\.local$/i.test(host)) return cgo(`/etc/nsswitch.conf ${line} (a .local name)`);
        if (input.mdnsAllow !== 'absent') return cgo(`/etc/nsswitch.conf ${line} with /etc/mdns.allow`);
        continue;
      }
      return cgo(`/etc/nsswitch.conf ${line}`);
    }
    // the Go resolver forced: a source it does not know counts as DNS when no dns source is listed
    if (!hasDnsChecked) {
      hasDnsChecked = true;
      hasDns = srcs.slice(i + 1).some((s) => s.source === 'dns');
    }
    if (!hasDns) {
      dns = true;
      if (first === '') first = 'dns';
    }
  }
  const reason = `/etc/nsswitch.conf ${line}`;
  if (files && dns) return { order: first === 'files' ? 'files,dns' : 'dns,files', reason };
  if (files) return { order: 'files', reason };
  if (dns) return { order: 'dns', reason };
  return fallback(reason);
}

// --- /etc/hosts ---

/** IPv4 or IPv6 (zone kept) in Go's netip String form: IPv6 compressed (the first longest run of two or more zero
 *  groups), lower case, an IPv4-mapped address as ::ffff:a.b.c.d. undefined when Go's netip.ParseAddr rejects it. */
export function canonicalIP(addr: string): string | undefined {
  const fam = isIP(addr);
  if (fam === 4) return addr;
  if (fam !== 6) return undefined;
  const pct = addr.indexOf('%');
  const zone = pct >= 0 ? addr.slice(pct) : '';
  const groups = ipv6Groups(pct >= 0 ? addr.slice(0, pct) : addr);
  if (!groups) return undefined;
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff)
    return `::ffff:${groups[6]! >> 8}.${groups[6]! & 255}.${groups[7]! >> 8}.${groups[7]! & 255}${zone}`;
  return ipv6Text(groups) + zone;
}

export type HostsTable = Map<string, { addrs: string[]; canonical: string }>;

const absDomainName = (s: string): string => (s.endsWith('.') ? s : `${s}.`);

/** ASCII-only lower case (Go's lowerASCIIBytes): the text keeps its length, so offsets match the original. */
export const lowerASCII = (s: string): string => s.replace(/[A-Z]+/g, (c) => c.toLowerCase());

/**
 * /etc/hosts as Go's readHosts parses it (net/hosts.go): `#` starts a comment anywhere; a line needs an address and a
 * name; an address Go cannot parse drops the line; every name on the line maps to the address, keyed lower-case with
 * a trailing dot (so `reg.corp` and `reg.corp.` are one name); a name listed on several lines keeps all addresses in
 * file order.
 */
export function parseHostsFile(text: string): HostsTable {
  const table: HostsTable = new Map();
  for (const raw of text.split('\n')) {
    const hash = raw.indexOf('#');
    const f = fields(hash >= 0 ? raw.slice(0, hash) : raw);
    if (f.length < 2) continue;
    const addr = canonicalIP(f[0]!);
    if (addr === undefined) continue;
    let canonical = '';
    for (let i = 1; i < f.length; i++) {
      const key = absDomainName(lowerASCII(f[i]!));
      if (i === 1) canonical = key;
      const had = table.get(key);
      if (had) had.addrs.push(addr);
      else table.set(key, { addrs: [addr], canonical });
    }
  }
  return table;
}

/** The lines of a hosts file that can name `host` (those whose lower-cased text holds it): parseHostsFile of them
 *  answers for `host` as the whole file would, without parsing a large file whole. `lowered` is lowerASCII(text). */
export function hostsLinesNaming(text: string, lowered: string, host: string): string {
  const needle = lowerASCII(host).replace(/\.$/, '');
  if (needle === '') return '';
  const out: string[] = [];
  for (let from = 0; ;) {
    const i = lowered.indexOf(needle, from);
    if (i < 0) break;
    const start = lowered.lastIndexOf('\n', i) + 1;
    const nl = lowered.indexOf('\n', i);
    const end = nl < 0 ? lowered.length : nl;
    out.push(text.slice(start, end));
    from = end + 1;
  }
  return out.join('\n');
}

/** Go's lookupStaticHost: the addresses /etc/hosts gives `host` (ASCII case-insensitive, a trailing dot optional). */
export function lookupStaticHost(table: HostsTable, host: string): string[] {
  return [...(table.get(absDomainName(lowerASCII(host)))?.addrs ?? [])];
}

// --- names queried ---

/** Go's isDomainName (net/dnsclient.go): RFC 1035 presentation syntax, `_` allowed, not all-numeric. */
export function isDomainName(s: string): boolean {
  if (s === '.') return true;
  const l = s.length;
  if (l === 0 || l > 254 || (l === 254 && !s.endsWith('.'))) return false;
  let last = '.';
  let nonNumeric = false;
  let partlen = 0;
  for (const c of s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_') {
      nonNumeric = true;
      partlen++;
    } else if (c >= '0' && c <= '9') partlen++;
    else if (c === '-') {
      if (last === '.') return false;
      partlen++;
      nonNumeric = true;
    } else if (c === '.') {
      if (last === '.' || last === '-') return false;
      if (partlen > 63 || partlen === 0) return false;
      partlen = 0;
    } else return false;
    last = c;
  }
  if (last === '-' || partlen > 63) return false;
  return nonNumeric;
}

const avoidDNS = (name: string): boolean => name === '' || /\.onion$/i.test(name.replace(/\.$/, ''));

/**
 * The fully-qualified names Go queries in turn (net/dnsclient_unix.go (*dnsConfig).nameList): a rooted name alone;
 * else the name as given first when it has at least `ndots` dots, each search suffix, and the name as given last
 * when it has fewer dots. `.onion` names are never queried.
 */
export function nameList(conf: Pick<DnsConfig, 'ndots' | 'search'>, name: string): string[] {
  const rooted = name.endsWith('.');
  if (name.length > 254 || (name.length === 254 && !rooted)) return [];
  if (rooted) return avoidDNS(name) ? [] : [name];
  const hasNdots = (name.match(/\./g)?.length ?? 0) >= conf.ndots;
  const abs = `${name}.`;
  const names: string[] = [];
  if (hasNdots && !avoidDNS(abs)) names.push(abs);
  for (const suffix of conf.search) {
    const fqdn = abs + suffix;
    if (!avoidDNS(fqdn) && fqdn.length <= 254) names.push(fqdn);
  }
  if (!hasNdots && !avoidDNS(abs)) names.push(abs);
  return names;
}
