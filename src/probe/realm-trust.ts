// Facts about a token realm host for the credential policy: the addresses it resolves to and, for an https realm,
// Go's verdict on its certificate chain with the trust containerd uses for it (the challenging host's HTTP client:
// system roots + that host's hosts.toml `ca`). The handshake is a probe with verification off; nothing is sent.
import { isIP } from '../text/ip.js';
import type { NetAdapter } from '../adapters/net.js';
import type { TlsAdapter } from '../adapters/tls.js';
import type { Clock } from '../adapters/clock.js';
import type { GoFault } from '../goverify/verify.js';
import { goVerify } from '../goverify/verify.js';
import type { CertInfo } from '../x509/cert.js';
import { parseChain } from './endpoint.js';
import type { RealmState } from './credential-policy.js';

export interface RealmHostFacts extends RealmState {
  /** First Go fault when the chain does not verify (for a finding about the realm host). */
  fault?: GoFault;
  /** Why the host could not be examined (lookup or handshake failure); verify stays undefined then. */
  error?: string;
}

/** Bounds for hostile realms: more certificates than this are not replayed (Go's own handshake limit is far lower). */
const MAX_CHAIN = 64;

export async function examineRealmHost(
  a: { net: NetAdapter; tls: TlsAdapter; clock: Clock },
  realmUrl: string,
  o: {
    roots: CertInfo[];
    goVersion: string;
    timeoutMs: number;
    signal?: AbortSignal;
    proxy?: string;
    /** The runtime's environment (GODEBUG=netdns, RES_OPTIONS… steer its resolver), when known. */
    env?: Readonly<Record<string, string | undefined>>;
  },
): Promise<RealmHostFacts> {
  let u: URL;
  try {
    u = new URL(realmUrl);
  } catch {
    return { url: realmUrl, error: 'invalid URL' };
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return { url: realmUrl, error: `unsupported scheme ${u.protocol}` };
  const hostname = u.hostname.replace(/^\[|\]$/g, '');
  const lookup = isIP(hostname)
    ? undefined
    : await a.net.lookup(hostname, { timeoutMs: o.timeoutMs, signal: o.signal, env: o.env, goVersion: o.goVersion });
  if (lookup && !lookup.ok) return { url: realmUrl, error: `lookup ${hostname}: ${lookup.message}` };
  const addresses = lookup?.ok ? lookup.addresses.map((x) => x.address) : [hostname];
  if (u.protocol === 'http:') return { url: realmUrl, addresses };
  const p = await a.tls.probe({
    host: addresses[0]!,
    port: u.port ? Number(u.port) : 443,
    servername: isIP(hostname) ? undefined : hostname,
    timeoutMs: o.timeoutMs,
    signal: o.signal,
    proxy: o.proxy,
  });
  if (p.outcome !== 'handshake')
    return { url: realmUrl, addresses, error: `TLS handshake: ${p.outcome}${p.message ? ` (${p.message})` : ''}` };
  if (p.chain.length === 0) return { url: realmUrl, addresses, error: 'no certificate presented' };
  if (p.chain.length > MAX_CHAIN)
    return { url: realmUrl, addresses, verify: { ok: false, message: `the server sent ${p.chain.length} certificates` } };
  const parsed = parseChain(p.chain);
  if (!parsed.ok) return { url: realmUrl, addresses, verify: { ok: false, message: parsed.goError } };
  const r = goVerify({ chain: parsed.certs, serverName: hostname, roots: o.roots, now: a.clock.now(), goVersion: o.goVersion });
  return { url: realmUrl, addresses, verify: { ok: r.ok, message: r.message }, fault: r.ok ? undefined : r.faults[0] };
}
