// Name resolution as containerd's Go resolver does it on this node, bounded and cancellable. Go's choice between its
// own resolver and libc (resolve-conf.ts lookupOrder) is made from the node's files, read through the root-prefixed
// fs (under --root they come from the tree). Go's own resolver is replayed: /etc/hosts first (or after DNS for
// `dns files`), then A and AAAA for each name of the search list, asked of resolv.conf's servers with c-ares
// (node:dns Resolver: no thread pool, cancelled at the deadline, so nothing keeps the process alive once the step is
// over). Otherwise libc's getaddrinfo is used as containerd would, and the evidence says so.
import { hostname as osHostname } from 'node:os';
import type { FsAdapter } from './fs.js';
import { FsError } from './fs.js';
import type { LookupResult, NetOptions, ResolvedAddress, ResolverVia } from './lookup-types.js';
import {
  hostsLinesNaming,
  isDomainName,
  lookupOrder,
  lowerASCII,
  lookupStaticHost,
  nameList,
  parseHostsFile,
  parseNsswitch,
  parseResolvConf,
  type DnsConfig,
  type LookupOrderDecision,
  type NssConf,
} from './resolve-conf.js';
import { isIP } from '../text/ip.js';
import { orderAddresses } from './addrselect.js';

export interface GoResolverOptions {
  /** UDP port the resolv.conf servers are asked on (53; a test seam: c-ares takes `ip:port`, resolv.conf cannot). */
  dnsPort?: number;
}

/** What the node's files say, read once per lookup (small files; /etc/hosts cached on its size and mtime). */
export interface NodeResolverConfig {
  resolv: DnsConfig;
  nss: NssConf;
  nodeHostname?: string;
  mdnsAllow: 'absent' | 'present' | 'error';
}

const SMALL = 1024 * 1024;

async function readOrCode(fs: FsAdapter, path: string, max = SMALL): Promise<{ text?: string; err?: string }> {
  try {
    return { text: await fs.readText(path, max) };
  } catch (err) {
    return { err: err instanceof FsError ? err.code : ((err as NodeJS.ErrnoException).code ?? 'EIO') };
  }
}

/** The node's host name: os.hostname() on the live node, /etc/hostname in a --root tree. */
async function nodeHostname(fs: FsAdapter): Promise<string | undefined> {
  if (fs.root === '/' || fs.root === '') return osHostname();
  const r = await readOrCode(fs, '/etc/hostname');
  return r.text?.trim().split(/\s+/)[0] || undefined;
}

export async function readResolverConfig(fs: FsAdapter): Promise<NodeResolverConfig> {
  const [resolvFile, nssFile, host, mdns] = await Promise.all([
    readOrCode(fs, '/etc/resolv.conf'),
    readOrCode(fs, '/etc/nsswitch.conf'),
    nodeHostname(fs),
    fs.stat('/etc/mdns.allow').then(
      (st) => (st ? ('present' as const) : ('absent' as const)),
      () => 'error' as const,
    ),
  ]);
  const resolv = parseResolvConf(resolvFile.text, { err: resolvFile.err, hostname: host });
  const nss = nssFile.text !== undefined ? parseNsswitch(nssFile.text) : { sources: new Map(), err: nssFile.err ?? 'EIO' };
  return { resolv, nss, nodeHostname: host, mdnsAllow: mdns };
}

/** `ip:port` as Go prints a server (net.JoinHostPort). */
export function hostPort(ip: string, port: number): string {
  return isIP(ip) === 6 ? `[${ip}]:${port}` : `${ip}:${port}`;
}

type Dns = typeof import('node:dns/promises');

/** Go's DNSError text for an rcode or transport failure as c-ares reports it (net/dnsclient_unix.go checkHeader,
 *  skipToAnswer, exchange): `no such host` for NXDOMAIN and an answer without the type asked (NODATA), `server
 *  misbehaving` for SERVFAIL, REFUSED, NOTIMP and FORMERR, `i/o timeout` when no server answers. Go's socket errors
 *  also name the local UDP address ("read udp 10.0.0.5:41234->10.0.0.2:53: i/o timeout"), which cannot be known
 *  here: that part is left out. */
function goDnsError(code: string): { kind: 'not-found' | 'timeout' | 'failure'; text: string } {
  switch (code) {
    case 'ENOTFOUND':
    case 'ENODATA':
      return { kind: 'not-found', text: 'no such host' };
    case 'ESERVFAIL':
    case 'EREFUSED':
    case 'ENOTIMP':
    case 'EFORMERR':
      return { kind: 'failure', text: 'server misbehaving' };
    case 'EBADRESP':
      return { kind: 'failure', text: 'cannot unmarshal DNS message' };
    case 'ECONNREFUSED':
      return { kind: 'failure', text: 'read: connection refused' };
    case 'ETIMEOUT':
    case 'ECANCELLED':
      return { kind: 'timeout', text: 'i/o timeout' };
    default:
      return { kind: 'failure', text: code };
  }
}

interface QueryError {
  code: string;
  fqdn: string;
}

/**
 * Go's goLookupIPCNAME for one name with `order` != cgo: /etc/hosts per the order, then every name of nameList with
 * A and AAAA in parallel until one gives addresses, ordered as Go's sortByRFC6724 orders them. Errors keep Go's
 * preference: the first one, replaced by the one for the name as given (`fqdn == name+"."`). Bounded by
 * opts.timeoutMs / opts.signal: the resolver is cancelled then, so no query or retry outlives the step.
 */
export async function goLookup(
  name: string,
  decision: LookupOrderDecision & { order: Exclude<LookupOrderDecision['order'], 'cgo'> },
  conf: DnsConfig,
  hosts: (name: string) => Promise<string[]>,
  opts: NetOptions & GoResolverOptions,
): Promise<LookupResult> {
  const started = Date.now();
  const port = opts.dnsPort ?? 53;
  const servers = conf.servers.filter((s) => !s.includes('%'));
  const via = (source: 'hosts' | 'dns' | 'none'): ResolverVia => ({ resolver: 'go', order: decision.order, source, servers: conf.servers });
  const fromHosts = async (): Promise<ResolvedAddress[]> =>
    (await hosts(name)).map((a) => ({ address: a, family: isIP(a.split('%')[0]!) === 6 ? 6 : 4 }));
  const found = async (addrs: ResolvedAddress[], source: 'hosts' | 'dns'): Promise<LookupResult> => ({
    ok: true,
    addresses: await orderAddresses(addrs),
    durationMs: Date.now() - started,
    via: via(source),
  });
  const noSuchHost = (source: 'hosts' | 'none'): LookupResult => ({
    ok: false,
    error: 'not-found',
    code: 'ENOTFOUND',
    message: `lookup ${name}: no such host`,
    goError: `lookup ${name}: no such host`,
    durationMs: Date.now() - started,
    via: via(source),
  });

  if (decision.order === 'files,dns' || decision.order === 'files') {
    const addrs = await fromHosts();
    if (addrs.length) return found(addrs, 'hosts');
    if (decision.order === 'files') return noSuchHost('hosts');
  }
  if (!isDomainName(name)) return noSuchHost('none');

  const dns: Dns = await import('node:dns/promises');
  // c-ares: `timeout` is the first wait per server (it backs off on later tries; Go waits `timeout` every time),
  // `tries` per server, like resolv.conf's attempts.
  const resolver = new dns.Resolver({ timeout: conf.timeoutMs, tries: conf.attempts });
  let cancelled = false;
  try {
    resolver.setServers(servers.map((s) => hostPort(s, port)));
  } catch (err) {
    return {
      ok: false,
      error: 'failure',
      code: 'EBADSERVERS',
      message: `lookup ${name}: ${(err as Error).message}`,
      durationMs: Date.now() - started,
      via: via('dns'),
    };
  }
  const lastServer = hostPort(servers[servers.length - 1] ?? '127.0.0.1', port);
  const timeoutResult = (code: string): LookupResult => ({
    ok: false,
    error: 'timeout',
    code,
    message: `lookup ${name} on ${lastServer}: i/o timeout (no answer within ${opts.timeoutMs} ms)`,
    goError: `lookup ${name} on ${lastServer}: i/o timeout`,
    durationMs: Date.now() - started,
    via: via('dns'),
  });

  let stop!: (r: LookupResult) => void;
  const stopped = new Promise<LookupResult>((resolve) => (stop = resolve));
  const halt = (code: string) => {
    cancelled = true;
    resolver.cancel();
    stop(timeoutResult(code));
  };
  const onAbort = () => halt('ABORTED');
  const timer = setTimeout(() => halt('ETIMEOUT'), opts.timeoutMs);
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  if (opts.signal?.aborted) onAbort();

  const query = async (fqdn: string, family: 4 | 6): Promise<ResolvedAddress[] | QueryError> => {
    try {
      const list = family === 4 ? await resolver.resolve4(fqdn) : await resolver.resolve6(fqdn);
      return list.map((address) => ({ address, family }));
    } catch (err) {
      return { code: (err as NodeJS.ErrnoException).code ?? 'EIO', fqdn };
    }
  };

  const work = (async (): Promise<LookupResult> => {
    let lastErr: QueryError | undefined;
    for (const fqdn of nameList(conf, name)) {
      if (cancelled) break;
      const answers = await Promise.all([query(fqdn, 4), query(fqdn, 6)]);
      const addrs: ResolvedAddress[] = [];
      for (const a of answers) {
        if (Array.isArray(a)) addrs.push(...a);
        else if (!lastErr || fqdn === `${name}.`) lastErr = a;
      }
      if (addrs.length) return found(addrs, 'dns');
    }
    if (decision.order === 'dns,files') {
      const addrs = await fromHosts();
      if (addrs.length) return found(addrs, 'hosts');
    }
    if (!lastErr) return noSuchHost('none');
    const e = goDnsError(lastErr.code);
    if (e.kind === 'timeout') return timeoutResult(lastErr.code);
    // NXDOMAIN names the server that answered; Go tries the servers in order, so with one answering server that is
    // the first one (c-ares does not say which answered).
    const server = e.kind === 'not-found' ? hostPort(servers[0] ?? '127.0.0.1', port) : lastServer;
    const goError = `lookup ${name} on ${server}: ${e.text}`;
    return { ok: false, error: e.kind, code: lastErr.code, message: goError, goError, durationMs: Date.now() - started, via: via('dns') };
  })();

  try {
    return await Promise.race([work, stopped]);
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
    resolver.cancel();
  }
}

/** Which path containerd's Go resolver takes for `name` on this node (the node's files, the runtime's environment). */
export function decide(name: string, cfg: NodeResolverConfig, opts: Pick<NetOptions, 'env' | 'goVersion'>): LookupOrderDecision {
  return lookupOrder({
    hostname: name,
    resolv: cfg.resolv,
    nss: cfg.nss,
    env: opts.env,
    goVersion: opts.goVersion,
    nodeHostname: cfg.nodeHostname,
    mdnsAllow: cfg.mdnsAllow,
  });
}

/** /etc/hosts, its text cached on the file's size and mtime (Go re-reads it when they change: net/hosts.go readHosts);
 *  a lookup parses only the lines that can name the host. */
export class HostsCache {
  private key = '';
  private text = '';
  private lowered = '';
  constructor(private readonly fs: FsAdapter) {}

  async lookup(host: string): Promise<string[]> {
    const st = await this.fs.stat('/etc/hosts').catch(() => undefined);
    if (!st) return [];
    const key = `${st.size}:${st.mtimeMs}`;
    if (key !== this.key) {
      const r = await readOrCode(this.fs, '/etc/hosts', 16 * 1024 * 1024); // larger: read as empty (EFBIG)
      this.text = r.text ?? '';
      this.lowered = lowerASCII(this.text);
      this.key = key;
    }
    return lookupStaticHost(parseHostsFile(hostsLinesNaming(this.text, this.lowered, host)), host);
  }
}
