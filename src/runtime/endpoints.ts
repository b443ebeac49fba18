// Endpoint selection shared by the probes: which URL the runtime will really use for the target registry.
import { isIP } from 'node:net';
import type { EffectiveEndpoint, EffectiveRegistryConfig } from '../core/runtime-config.js';
import type { Target } from '../core/types.js';

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
  const u = new URL(url);
  const scheme = u.protocol === 'http:' ? 'http' : 'https';
  const hostname = u.hostname.replace(/^\[|\]$/g, '');
  const port = u.port ? Number(u.port) : scheme === 'http' ? 80 : 443;
  const path = u.pathname && u.pathname !== '/' ? u.pathname.replace(/\/+$/, '') : '/v2';
  return {
    url: `${scheme}://${u.host}${path}`,
    scheme,
    host: u.host,
    hostname,
    port,
    capabilities: extra.capabilities ?? ['pull', 'resolve', 'push'],
    tls: extra.tls ?? { caFiles: [], clientPairs: [], skipVerify: false },
    headers: extra.headers ?? {},
    source: extra.source,
    isServer: extra.isServer,
    httpFallback: extra.httpFallback ?? false,
  };
}

/** The endpoint containerd uses with no registry configuration for this host: https, except localhost/loopback. */
export function defaultEndpoint(target: Target): EffectiveEndpoint {
  const r = target.registry;
  const scheme = isLoopbackHost(r.apiHostname) ? 'http' : 'https';
  return endpointFromUrl(`${scheme}://${bracket(r.apiHostname)}${r.port !== undefined ? `:${r.port}` : ''}/v2`, {
    source:
      scheme === 'http'
        ? 'default (containerd uses plain HTTP for localhost and loopback addresses)'
        : 'default (no registry configuration for this host)',
    isServer: true,
  });
}

/** The endpoint the probes examine: the registry itself (the `server` entry), else the last endpoint tried. */
export function probedEndpoint(target: Target, cfg: EffectiveRegistryConfig | undefined): EffectiveEndpoint {
  const eps = cfg?.endpoints ?? [];
  const pullable = eps.filter((e) => e.capabilities.includes('pull') || e.capabilities.includes('resolve'));
  return pullable.find((e) => e.isServer) ?? pullable[pullable.length - 1] ?? defaultEndpoint(target);
}
