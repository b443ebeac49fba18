// endpoint-walk: with several hosts for a registry (mirrors, or a [host."…"] table beside `server`), replays
// containerd's resolver loop — hosts in order, 404 tries the next host, the first other error is kept, any 200 wins —
// to find the endpoint that decides the pull; the deeper checks then examine that one. Emits: config-ignored
// (settings on a host table that the `server` entry does not get).
import type { Check, CheckContext, CheckOutcome, FindingInput } from '../src/core/types.js';
import type { EffectiveEndpoint } from '../src/core/runtime-config.js';
import { probedEndpoint } from '../src/runtime/endpoints.js';
import { goVerify } from '../src/goverify/verify.js';
import { DEFAULT_GO_VERSION } from '../src/goverify/defaults.js';
import { parseAnyCertificates, parseCertificate, type CertInfo } from '../src/x509/cert.js';
import { loadSystemRoots } from '../src/trust/system-roots.js';
import { manifestUrl, statusResolverError } from '../src/core/predict.js';
import { MANIFEST_ACCEPT, readPing, realmInfo, tokenUrl } from '../src/probe/registry.js';
import { isIP } from 'node:net';
import { forbiddenAddress, unsupportedRealmError } from '../src/probe/credential-policy.js';

export type HostOutcome =
  | { kind: 'ok' }
  | { kind: 'not-found' }
  | { kind: 'error'; error: string };

export interface EndpointWalkFacts {
  decisive: EffectiveEndpoint;
  outcomes: { url: string; source: string; outcome: HostOutcome }[];
}

declare module '../src/core/facts.js' {
  interface FactsMap {
    'endpoint-walk': EndpointWalkFacts;
  }
}

/** containerd's loop over hosts (pure): first 200 wins; 404 continues; the first other error is kept. */
export function decide(endpoints: EffectiveEndpoint[], outcomes: HostOutcome[]): { index: number; result: 'ok' | 'error' | 'not-found' } {
  let firstErr = -1;
  for (let i = 0; i < endpoints.length; i++) {
    const o = outcomes[i]!;
    if (o.kind === 'ok') return { index: i, result: 'ok' };
    if (o.kind === 'error' && firstErr < 0) firstErr = i;
  }
  if (firstErr >= 0) return { index: firstErr, result: 'error' };
  const server = endpoints.findIndex((e) => e.isServer);
  return { index: server >= 0 ? server : endpoints.length - 1, result: 'not-found' };
}

async function probeHost(ctx: CheckContext, ep: EffectiveEndpoint, goVersion: string): Promise<HostOutcome> {
  const t = ctx.options.probeTimeoutMs;
  const image = ctx.target.image!;
  const lookup = await ctx.adapters.net.lookup(ep.hostname, { timeoutMs: t, signal: ctx.signal });
  if (!lookup.ok) return { kind: 'error', error: `dial tcp: lookup ${ep.hostname}: no such host` };
  const address = lookup.addresses[0]!.address;
  const conn = await ctx.adapters.net.connect(address, ep.port, { timeoutMs: t, signal: ctx.signal });
  if (!conn.ok) return { kind: 'error', error: conn.message };
  let tls: { cert?: string; key?: string } = {};
  if (ep.scheme === 'https') {
    const pair = ep.tls.clientPairs[0];
    if (pair) {
      try {
        tls = { cert: await ctx.adapters.fs.readText(pair.cert, 1 << 20), key: await ctx.adapters.fs.readText(pair.key ?? pair.cert, 1 << 20) };
      } catch {
        // unusable pair: probe without it
      }
    }
    const p = await ctx.adapters.tls.probe({ host: address, port: ep.port, servername: isIP(ep.hostname) ? undefined : ep.hostname, timeoutMs: t, signal: ctx.signal, clientCert: tls.cert ? { cert: tls.cert, key: tls.key! } : undefined });
    if (p.outcome === 'plain-http') return { kind: 'error', error: 'http: server gave HTTP response to HTTPS client' };
    if (p.outcome === 'alert') return { kind: 'error', error: `remote error: tls: ${p.alert}` };
    if (p.outcome === 'timeout') return { kind: 'error', error: 'net/http: TLS handshake timeout' };
    if (p.outcome !== 'handshake') return { kind: 'error', error: p.message ?? p.outcome };
    if (!ep.tls.skipVerify) {
      let chain: CertInfo[];
      try {
        chain = p.chain.map((d) => parseCertificate(d));
      } catch (err) {
        return { kind: 'error', error: `tls: failed to parse certificate from server: ${(err as Error).message}` };
      }
      const pool = (await loadSystemRoots(ctx.adapters.fs, ctx.maybeFacts('runtime-info')?.daemonEnv ?? {})).certs.map((c) => c.cert);
      for (const f of ep.tls.caFiles) {
        try {
          pool.push(...parseAnyCertificates(await ctx.adapters.fs.readFile(f, 8 << 20)).certs);
        } catch {
          // containerd-config reports unreadable files
        }
      }
      const v = goVerify({ chain, serverName: ep.hostname, roots: pool, now: ctx.adapters.clock.now(), goVersion });
      if (!v.ok) return { kind: 'error', error: v.message! };
    }
  }
  const req = (url: string, headers: Record<string, string>) =>
    ctx.adapters.http.request({ url, method: 'HEAD', headers: { Accept: MANIFEST_ACCEPT, ...headers }, timeoutMs: t, signal: ctx.signal, tls: { rejectUnauthorized: false, servername: isIP(ep.hostname) ? undefined : ep.hostname, ...tls } });
  const url = manifestUrl(ep.url, image) + (ep.isServer ? '' : `?ns=${encodeURIComponent(ctx.target.registry.name)}`);
  let r = await req(url, {});
  if (r.ok && r.response.status === 401) {
    const realm = realmInfo(readPing(r).challenges[0], ep.url);
    // Anonymous, but still never to a scheme Go refuses or to a link-local / metadata address (credential policy).
    const realmHost = realm ? new URL(realm.url).hostname.replace(/^\[|\]$/g, '') : '';
    if (realm && !unsupportedRealmError(realm.url) && !forbiddenAddress(realmHost)) {
      const tr = await ctx.adapters.http.request({ url: tokenUrl(realm, image.path), timeoutMs: t, signal: ctx.signal, tls: { rejectUnauthorized: false } });
      if (tr.ok && tr.response.status === 200) {
        try {
          const tok = (JSON.parse(tr.response.body.toString('utf8')) as { token?: string; access_token?: string });
          const token = tok.token ?? tok.access_token;
          if (token) r = await req(url, { Authorization: `Bearer ${token}` });
        } catch {
          // keep the 401
        }
      }
    }
  }
  if (!r.ok) return { kind: 'error', error: r.error.message };
  const s = r.response.status;
  if (s >= 200 && s < 300) return { kind: 'ok' };
  if (s === 404) return { kind: 'not-found' };
  const text: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable' };
  return { kind: 'error', error: statusResolverError(ep.host, image, s, text[s] ?? '') };
}

export const endpointWalkCheck: Check<'endpoint-walk'> = {
  id: 'endpoint-walk',
  title: 'Registry hosts in the order containerd tries them',
  needs: ['containerd-config'],
  wants: ['runtime-info'],
  timeoutMs: 30_000,
  skipIf(ctx) {
    const eps = ctx.maybeFacts('containerd-config')?.effective.endpoints.filter((e) => e.capabilities.includes('pull') || e.capabilities.includes('resolve')) ?? [];
    if (!ctx.target.image) return 'a registry target has no manifest to resolve';
    if (eps.length < 2) return 'a single endpoint: nothing to walk';
    return undefined;
  },
  async run(ctx): Promise<CheckOutcome<EndpointWalkFacts>> {
    const eps = ctx.facts('containerd-config').effective.endpoints.filter((e) => e.capabilities.includes('pull') || e.capabilities.includes('resolve'));
    const goVersion = ctx.options.goVersion ?? ctx.maybeFacts('runtime-info')?.goVersion ?? DEFAULT_GO_VERSION;
    const outcomes = await Promise.all(eps.map((e) => probeHost(ctx, e, goVersion).catch((err: Error): HostOutcome => ({ kind: 'error', error: err.message }))));
    const d = decide(eps, outcomes);
    const decisive = eps[d.index]!;
    const evidence = eps.map((e, i) => {
      const o = outcomes[i]!;
      return `${i + 1}. ${e.url} (${e.source}): ${o.kind === 'ok' ? '200, has the image' : o.kind === 'not-found' ? '404, containerd tries the next host' : o.error}`;
    });
    const findings: FindingInput[] = [];
    const server = eps.find((e) => e.isServer);
    const twin = eps.find((e) => !e.isServer && server && e.url === server.url);
    if (server && twin && (twin.tls.caFiles.length || twin.tls.clientPairs.length || twin.tls.skipVerify) && !server.tls.caFiles.length && !server.tls.clientPairs.length && !server.tls.skipVerify) {
      findings.push({
        code: 'config-ignored',
        severity: 'warning',
        summary: `${twin.source.split(' ')[0]} repeats the registry as a [host."${twin.url.replace(/\/v2$/, '')}"] table with TLS settings, but containerd also tries the \`server\` entry afterwards without them: existing images pull, yet a missing tag or any 404 ends in a TLS error from the server entry. Put ca/client/skip_verify at the top level of hosts.toml (they apply to \`server\`).`,
        evidence,
      });
    }
    return {
      summary: `${d.result === 'ok' ? `served by ${decisive.url}` : d.result === 'error' ? `first failing host: ${decisive.url}` : 'no host has the image'} (${eps.length} hosts)`,
      evidence,
      findings,
      facts: { decisive, outcomes: eps.map((e, i) => ({ url: e.url, source: e.source, outcome: outcomes[i]! })) },
    };
  },
};

/** The endpoint the deeper checks examine: the one that decides the pull, else containerd's server entry. */
export function examinedEndpoint(ctx: Pick<CheckContext, 'target' | 'maybeFacts'>): EffectiveEndpoint {
  return ctx.maybeFacts('endpoint-walk')?.decisive ?? probedEndpoint(ctx.target, ctx.maybeFacts('containerd-config')?.effective);
}
