// Endpoint selection shared by the probes: which URL the runtime will really use for the target registry.
import { isIP } from '../text/ip.js';
import type { EffectiveEndpoint, EffectiveRegistryConfig } from '../core/runtime-config.js';
import type { Target } from '../core/types.js';
import { goHostPort, parseGoUrl } from './go-url.js';
import { msg, textIn, type Message, type MessageKey, type ParamsOf } from '../i18n/index.js';

export function isLoopbackHost(hostname: string): boolean {
  if (hostname === 'localhost') return true;
  if (isIP(hostname) === 4) return hostname.startsWith('127.');
  if (isIP(hostname) === 6) return hostname === '::1';
  return false;
}

function bracket(h: string): string {
  return isIP(h) === 6 ? `[${h}]` : h;
}

/** Parses `scheme://host[:port][/path]` into an endpoint (capabilities/tls filled by the caller). */
export function endpointFromUrl(
  url: string,
  extra: Partial<Omit<EffectiveEndpoint, 'url' | 'scheme' | 'host' | 'hostname' | 'port'>> & { source: string; isServer: boolean },
): EffectiveEndpoint {
  // read as Go's net/url reads it (host case, `fd00::1:5000`, ports WHATWG refuses); written back bracketed
  const u = parseGoUrl(url);
  const scheme = u.scheme === 'http' ? 'http' : 'https';
  const { hostname, port: portText } = goHostPort(u.host);
  const port = portText ? Number(portText) : scheme === 'http' ? 80 : 443;
  const path = u.path && u.path !== '/' ? u.path.replace(/(?<!\/)\/+$/, '') : '/v2';
  const host = `${bracket(hostname)}${portText ? `:${portText}` : ''}`;
  return {
    url: `${scheme}://${host}${path}`,
    scheme,
    host,
    hostname,
    port,
    capabilities: extra.capabilities ?? ['pull', 'resolve', 'push'],
    tls: extra.tls ?? { caFiles: [], clientPairs: [], skipVerify: false },
    headers: extra.headers ?? {},
    source: extra.source,
    ...(extra.sourceMessage ? { sourceMessage: extra.sourceMessage } : {}),
    isServer: extra.isServer,
    httpFallback: extra.httpFallback ?? false,
  };
}

/** An endpoint's `source` worded by regdoctor: the English text and its message (read in the reader's language). */
export function sourceOf<K extends MessageKey>(key: K, ...params: ParamsOf<K>): { source: string; sourceMessage: Message } {
  return { source: textIn('en', key, ...params), sourceMessage: msg(key, ...params) };
}

/** The endpoint containerd uses with no registry configuration for this host: https, except localhost/loopback. */
export function defaultEndpoint(target: Target): EffectiveEndpoint {
  const r = target.registry;
  const scheme = isLoopbackHost(r.apiHostname) ? 'http' : 'https';
  return endpointFromUrl(`${scheme}://${bracket(r.apiHostname)}${r.port !== undefined ? `:${r.port}` : ''}/v2`, {
    ...(scheme === 'http' ? sourceOf('evidence.source.loopbackHttp') : sourceOf('evidence.source.noConfig')),
    isServer: true,
  });
}

/** The endpoint the probes examine: the registry itself (the `server` entry), else the last endpoint tried. */
export function probedEndpoint(target: Target, cfg: EffectiveRegistryConfig | undefined): EffectiveEndpoint {
  const eps = cfg?.endpoints ?? [];
  const pullable = eps.filter((e) => e.capabilities.includes('pull') || e.capabilities.includes('resolve'));
  return pullable.find((e) => e.isServer) ?? pullable[pullable.length - 1] ?? defaultEndpoint(target);
}

/**
 * How containerd's resolver walks the hosts of a registry, per version — part of HOSTS_TOML_RULES
 * (src/runtime/containerd-config.ts), where each row names the release it holds from. Sources are containerd's
 * remotes/docker/resolver.go (core/remotes/docker/ from 2.0) and remotes/docker/config/hosts.go at the tag named;
 * the lab cases are test/e2e/runtime-truth-walk.e2e.test.ts (containerd 1.6.20).
 */
export interface WalkRules {
  /** What the resolve loop keeps when no host answers 2xx (a 2xx always wins at once):
   *  'status-stops' — a status > 299 other than 404 ends the loop at once (v1.5.0 resolver.go:299 `unexpected status
   *    code %v: %v`); a transport error is kept (the first), a 404 tries the next host;
   *  'first-error' — 404 tries the next host, the first other error (transport, or status > 399) is kept
   *    (v1.6.20 resolver.go:283-304, "Set firstErr when encountering the first non-404 status code");
   *  'priority' — a status > 399 outranks a 404 (`<ref>: not found`), which outranks a transport error, the first of
   *    each rank kept (v2.0.0 core/remotes/docker/resolver.go:312-337, firstErrPriority 1/2/3). */
  errors: 'status-stops' | 'first-error' | 'priority';
  /** The text of a status error (what follows `failed to resolve reference "<ref>": `):
   *  '1.5' `unexpected status code [manifests T]: 401 Unauthorized` (v1.5.0 resolver.go:299);
   *  '1.6' `pulling from host H failed with status code [manifests T]: 401 Unauthorized` (v1.6.20 resolver.go:302,
   *    measured); '1.7' `unexpected status from HEAD request to <url>: 401 Unauthorized` (v1.7.0 resolver.go:306 →
   *    remotes/errors/errors.go:36). H is the configured host even when a redirect led elsewhere (host.Host;
   *    measured: runtime-truth-walk 12c); <url> is the last request's (resp.Request.URL). */
  statusText: '1.5' | '1.6' | '1.7';
  /** Go's client stops at the 10th redirect (`len(via) >= 10` → "stopped after 10 redirects"); containerd sets its own
   *  CheckRedirect from v1.5.5 (resolver.go:561, v1.6.20 :561) that re-authorizes each hop for its host
   *  (`failed to authorize redirect`); before, Go's default (same limit and text, no re-authorization). */
  redirectVia: number;
  reauthorizeRedirects: boolean;
  /** The dialer's timeout: what a host that does not answer costs each request (v1.6.20 config/hosts.go:135
   *  net.Dialer{Timeout: 30 * time.Second}; 2.1+: hosts.toml `dial_timeout` overrides it, hosts.go:536). */
  dialTimeoutMs: number;
}

export const WALK_1_5_0: WalkRules = {
  errors: 'status-stops',
  statusText: '1.5',
  redirectVia: 10,
  reauthorizeRedirects: false,
  dialTimeoutMs: 30_000,
};
export const WALK_1_5_5: WalkRules = { ...WALK_1_5_0, errors: 'first-error', statusText: '1.6', reauthorizeRedirects: true };
export const WALK_1_7_0: WalkRules = { ...WALK_1_5_5, statusText: '1.7' };
export const WALK_2_0_0: WalkRules = { ...WALK_1_7_0, errors: 'priority' };

/** The resolver's text for a status error from one host, per WalkRules.statusText. */
export function walkStatusError(
  rules: Pick<WalkRules, 'statusText'>,
  o: { host: string; manifestReference: string; url: string; method: 'HEAD' | 'GET'; status: number; statusText: string },
): string {
  const status = `${o.status} ${o.statusText}`.trim();
  if (rules.statusText === '1.5') return `unexpected status code [manifests ${o.manifestReference}]: ${status}`;
  if (rules.statusText === '1.6')
    return `pulling from host ${o.host} failed with status code [manifests ${o.manifestReference}]: ${status}`;
  return `unexpected status from ${o.method} request to ${o.url}: ${status}`;
}

/** Does containerd send the resolve request to this host? resolver.go filterHosts(caps) keeps the hosts that have
 *  every capability asked for (registry.go Has: c&t == t; v1.6.20 resolver.go:253, :451): pull + resolve for a tag,
 *  pull alone for a digest. */
export function resolves(ep: Pick<EffectiveEndpoint, 'capabilities'>, byDigest: boolean): boolean {
  return ep.capabilities.includes('pull') && (byDigest || ep.capabilities.includes('resolve'));
}

/** What one host answered the resolve request, as far as the walk needs it (src/probe/endpoint.ts HostOutcome). */
export type WalkOutcome = { kind: 'ok' } | { kind: 'not-found' } | { kind: 'error'; status?: number };

/**
 * containerd's resolve loop over its hosts (pure), per version (WalkRules.errors, HOSTS_TOML_RULES' walk column): only
 * the hosts that take part (`resolves`); any 2xx wins; a 404 tries the next host; with no host serving the image,
 * 1.5.0–1.5.4 stop at the first status error, 1.5.5–1.7 report the first error other than a 404, 2.0+ rank status
 * error > not found > transport error. `index` is -1 when no host that takes part ranks (none, or only 404s before
 * 2.0): the pull is "not found". The one rule of the endpoint walk (checks/endpoint-walk.ts) and of modelled pulls
 * (src/runtime/pull-outcome.ts).
 */
export function decideWalk(
  endpoints: Pick<EffectiveEndpoint, 'capabilities'>[],
  outcomes: WalkOutcome[],
  rules: Pick<WalkRules, 'errors'> = WALK_1_5_5,
  byDigest = false,
): { index: number; result: 'ok' | 'error' | 'not-found' } {
  let best = -1;
  let bestRank = 0;
  for (const [i, o] of outcomes.entries()) {
    if (!resolves(endpoints[i]!, byDigest)) continue;
    if (o.kind === 'ok') return { index: i, result: 'ok' };
    const status = o.kind === 'error' ? o.status : undefined;
    if (rules.errors === 'status-stops' && status !== undefined) return { index: i, result: 'error' };
    // 'priority' (2.0+): status error 3 > not found 2 > transport error 1; earlier versions: the first non-404 error
    const rank = rules.errors === 'priority' ? (o.kind === 'not-found' ? 2 : status !== undefined ? 3 : 1) : o.kind === 'not-found' ? 0 : 1;
    if (rank > bestRank) {
      best = i;
      bestRank = rank;
    }
  }
  if (best >= 0) return { index: best, result: outcomes[best]!.kind === 'error' ? 'error' : 'not-found' };
  return { index: -1, result: 'not-found' };
}
