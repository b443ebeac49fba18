// Pure judges for the registry API probe: the /v2/ ping, the auth challenge and token realm, the manifest answer.
import { isIP } from '../text/ip.js';
import { STATUS_CODES } from 'node:http';
import type { HttpResult } from '../adapters/http.js';
import type { FindingInput, Target } from '../core/types.js';
import type { Challenge } from './www-authenticate.js';
import { parseWwwAuthenticate } from './www-authenticate.js';
import { predictResolvePullError, statusResolverError } from '../core/predict.js';
import { msg, summaryOf, type Message } from '../i18n/index.js';
import { evidence, said, type EvidenceLines, type EvidenceOut } from '../i18n/evidence.js';

export const MANIFEST_ACCEPT = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  '*/*',
].join(', ');

const INDEX_TYPES = new Set(['application/vnd.docker.distribution.manifest.list.v2+json', 'application/vnd.oci.image.index.v1+json']);

export interface RealmInfo {
  url: string;
  host: string;
  scheme: string;
  service?: string;
  /** The realm is not on the registry host. */
  otherHost: boolean;
  byIp: boolean;
  /** Registry over HTTPS, realm over plain HTTP. */
  downgrade: boolean;
}

export function realmInfo(challenge: Challenge | undefined, registryUrl: string): RealmInfo | undefined {
  const realm = challenge?.params.realm;
  if (!challenge || challenge.scheme !== 'bearer' || !realm) return undefined;
  let u: URL;
  try {
    u = new URL(realm);
  } catch {
    return undefined;
  }
  const reg = new URL(registryUrl);
  const host = u.host;
  return {
    url: realm,
    host,
    scheme: u.protocol.replace(':', ''),
    service: challenge.params.service,
    otherHost: u.hostname.toLowerCase() !== reg.hostname.toLowerCase(),
    byIp: isIP(u.hostname.replace(/^\[|\]$/g, '')) !== 0,
    downgrade: reg.protocol === 'https:' && u.protocol === 'http:',
  };
}

/** The token URL containerd requests for an anonymous pull (query keys sorted, as Go's url.Values encodes them). */
export function tokenUrl(realm: RealmInfo, repoPath: string): string {
  const q = new URLSearchParams();
  q.set('scope', `repository:${repoPath}:pull`);
  if (realm.service) q.set('service', realm.service);
  q.sort();
  const sep = realm.url.includes('?') ? '&' : '?';
  return `${realm.url}${sep}${q.toString().replace(/\+/g, '%20')}`;
}

export interface PingResult {
  status?: number;
  apiVersion?: string;
  challenges: Challenge[];
  error?: string;
}

export function readPing(r: HttpResult): PingResult {
  if (!r.ok) return { challenges: [], error: `${r.error.kind}: ${r.error.message}` };
  const h = r.response.headers;
  const apiVersion = h['docker-distribution-api-version'];
  return {
    status: r.response.status,
    apiVersion: Array.isArray(apiVersion) ? apiVersion[0] : apiVersion,
    challenges: parseWwwAuthenticate(h['www-authenticate']),
  };
}

export type ManifestOutcome =
  | { kind: 'ok'; mediaType?: string; digest?: string; isIndex: boolean }
  | { kind: 'not-found' }
  | { kind: 'unauthorized'; status: number; body: string }
  | { kind: 'rate-limited'; limit?: string; remaining?: string; retryAfter?: string }
  | { kind: 'status'; status: number; statusText: string }
  | { kind: 'error'; message: string };

/** The reason phrase for an HTTP status (Node's table, as Go's net/http names them; '' when it has none). */
export function statusText(status: number): string {
  return STATUS_CODES[status] ?? '';
}

export function readManifest(r: HttpResult): ManifestOutcome {
  if (!r.ok) return { kind: 'error', message: `${r.error.kind}: ${r.error.message}` };
  const { status, headers, body } = r.response;
  const one = (k: string) => {
    const v = headers[k];
    return Array.isArray(v) ? v[0] : v;
  };
  if (status >= 200 && status < 300) {
    const mediaType = one('content-type')?.split(';')[0]?.trim();
    return { kind: 'ok', mediaType, digest: one('docker-content-digest'), isIndex: mediaType !== undefined && INDEX_TYPES.has(mediaType) };
  }
  if (status === 404) return { kind: 'not-found' };
  if (status === 401 || status === 403)
    return { kind: 'unauthorized', status, body: body.toString('utf8', 0, Math.min(body.length, 2048)) };
  if (status === 429)
    return { kind: 'rate-limited', limit: one('ratelimit-limit'), remaining: one('ratelimit-remaining'), retryAfter: one('retry-after') };
  return { kind: 'status', status, statusText: statusText(status) };
}

/** The bearer token of a token service's 200 answer (`token`, else `access_token`, as distribution clients read it);
 *  `json: false` when the body is not JSON. */
export function readToken(body: Buffer): { json: boolean; token?: string } {
  try {
    const doc = JSON.parse(body.toString('utf8')) as { token?: unknown; access_token?: unknown } | null;
    const token = typeof doc?.token === 'string' ? doc.token : typeof doc?.access_token === 'string' ? doc.access_token : undefined;
    return { json: true, token };
  } catch {
    return { json: false };
  }
}

/** Platforms listed in an image index. */
export function indexPlatforms(body: Buffer): { os: string; architecture: string; variant?: string }[] {
  try {
    const doc = JSON.parse(body.toString('utf8')) as {
      manifests?: { platform?: { os: string; architecture: string; variant?: string } }[];
    };
    return (Array.isArray(doc.manifests) ? doc.manifests : [])
      .map((m) => m?.platform)
      .filter(
        (p): p is { os: string; architecture: string; variant?: string } =>
          typeof p?.os === 'string' && p.os !== '' && typeof p.architecture === 'string' && p.architecture !== '',
      )
      .map((p) => ({ os: p.os, architecture: p.architecture, ...(typeof p.variant === 'string' ? { variant: p.variant } : {}) }));
  } catch {
    return [];
  }
}

export function nodeArch(arch = process.arch): string {
  return arch === 'x64' ? 'amd64' : arch === 'ia32' ? '386' : arch === 'arm' ? 'arm' : arch;
}

/** Registry error text from a JSON error body ({"errors":[{"code","message"}]}). */
export function registryErrors(body: string): { code: string; message: string }[] {
  try {
    // the server's JSON is untrusted: a field that is not a string is read as absent (a number `code` reached
    // `.toLowerCase()` and crashed the check — test/fuzz/explain-output.test.ts)
    const doc = JSON.parse(body) as { errors?: unknown } | null;
    const errors = Array.isArray(doc?.errors) ? (doc.errors as unknown[]) : [];
    const text = (v: unknown): string => (typeof v === 'string' ? v : '');
    return errors
      .filter((e): e is Record<string, unknown> => e !== null && typeof e === 'object')
      .map((e) => ({ code: text(e.code), message: text(e.message) }));
  } catch {
    return [];
  }
}

/** Judges the manifest answer into findings (credentials not known to work: `hasCredentials` says whether any were sent). */
export function judgeManifest(
  target: Target,
  url: string,
  m: ManifestOutcome,
  opts: {
    hasCredentials: boolean;
    platforms?: { os: string; architecture: string; variant?: string }[];
    arch: string;
    /** host[:port] of the endpoint, as containerd names it in status errors. */
    host?: string;
    /** Auth scheme the registry challenged with (bearer → containerd's "pull access denied" wording). */
    authScheme?: string;
    /** Credentials exist but the credential policy kept them back: an anonymous answer says nothing about them. */
    withheld?: { source: string; reason: string; reasonMessage?: Message; sourceMessage?: Message };
    /** The resolver's status-error text for this runtime version (HOSTS_TOML_RULES walk: walkStatusError); default:
     *  containerd 1.5.5–1.6's `pulling from host H failed with status code [manifests T]: S`. */
    statusError?: (status: number, statusText: string) => string;
  },
): FindingInput[] {
  const image = target.image;
  if (!image) return [];
  const ref = image.normalized;
  const host = opts.host ?? target.registry.apiHost;
  const statusError = opts.statusError ?? ((st: number, txt: string) => statusResolverError(host, image, st, txt));
  switch (m.kind) {
    case 'ok': {
      if (
        m.isIndex &&
        opts.platforms &&
        opts.platforms.length > 0 &&
        !opts.platforms.some((p) => p.os === 'linux' && p.architecture === opts.arch)
      ) {
        const list = opts.platforms.map((p) => `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`).join(', ');
        return [
          {
            code: 'platform-mismatch',
            ...summaryOf('probe.manifest.platform', { ref, arch: opts.arch, list }),
            ...said('evidence.registry.index', { url, n: opts.platforms.length }),
            predictedRuntimeError: `failed to pull and unpack image "${ref}": no match for platform in manifest: not found`,
          },
        ];
      }
      return [];
    }
    case 'not-found':
      return [
        {
          code: 'not-found',
          ...(opts.hasCredentials
            ? summaryOf('finding.notFound.auth', { ref: `${image.path}:${image.manifestReference}` })
            : summaryOf('finding.notFound.anon', {
                ref: `${image.path}:${image.manifestReference}`,
                withheld: opts.withheld
                  ? msg('finding.withheld', {
                      source: opts.withheld.sourceMessage ?? opts.withheld.source,
                      reason: opts.withheld.reasonMessage ?? opts.withheld.reason,
                    })
                  : '',
              })),
          ...(opts.withheld ? { data: { credentialsWithheld: opts.withheld.reason } } : {}),
          evidence: [`HEAD ${url}: 404 Not Found`],
          predictedRuntimeError: predictResolvePullError(image, `${ref}: not found`),
        },
      ];
    case 'unauthorized': {
      const errs = registryErrors(m.body);
      const server = errs.length ? `${errs[0]!.code.toLowerCase()}: ${errs[0]!.message}` : 'authentication required';
      if (opts.withheld && !opts.hasCredentials)
        // Neither "missing" nor "rejected": the credentials exist and were deliberately not sent.
        return [
          {
            code: 'unknown',
            severity: 'warning',
            ...summaryOf('finding.credentialsWithheld', {
              path: image.path,
              status: m.status,
              source: opts.withheld.sourceMessage ?? opts.withheld.source,
              reason: opts.withheld.reasonMessage ?? opts.withheld.reason,
            }),
            ...registrySays(evidence().say('evidence.registry.anonymous', { url, status: m.status }), errs),
            data: { reason: 'credentials-withheld', withheld: opts.withheld.reason },
          },
        ];
      return [
        {
          code: opts.hasCredentials ? 'unauthorized' : 'credentials-missing',
          ...(opts.hasCredentials
            ? summaryOf('finding.unauthorized', { path: image.path, status: m.status })
            : summaryOf('finding.credentialsMissing', { path: image.path, status: m.status, registry: target.registry.name })),
          ...registrySays(evidence().raw(`HEAD ${url}: ${m.status}`), errs),
          predictedRuntimeError: predictResolvePullError(
            image,
            opts.authScheme === 'bearer'
              ? `pull access denied, repository does not exist or may require authorization: server message: ${server}`
              : statusError(m.status, statusText(m.status)),
          ),
        },
      ];
    }
    case 'rate-limited':
      return [
        {
          code: 'rate-limited',
          ...summaryOf('probe.manifest.rateLimited', {
            remaining: m.remaining !== undefined ? msg('probe.manifest.remaining', { n: m.remaining }) : '',
            retry: m.retryAfter ? msg('probe.manifest.retryAfter', { s: m.retryAfter }) : '',
          }),
          evidence: [`HEAD ${url}: 429${m.limit ? `, RateLimit-Limit ${m.limit}` : ''}`],
          predictedRuntimeError: predictResolvePullError(image, statusError(429, statusText(429))),
        },
      ];
    case 'status':
      return [
        {
          code: 'unknown',
          severity: 'error',
          ...summaryOf('probe.manifest.status', { status: m.status, statusText: m.statusText }),
          evidence: [`HEAD ${url}: ${m.status} ${m.statusText}`],
          predictedRuntimeError: predictResolvePullError(image, statusError(m.status, m.statusText)),
        },
      ];
    case 'error':
      return [];
  }
}

/** What a fresh pull fetches after resolving, read from a manifest body: for an image index, the digest of the
 *  manifest for the node's platform (fetched next); for an image manifest, its config and layers. */
export function manifestContents(
  body: Buffer,
  arch: string,
): { kind: 'index'; platformManifest?: string } | { kind: 'manifest'; config?: string; layers: string[] } | undefined {
  try {
    const doc = JSON.parse(body.toString('utf8')) as {
      manifests?: { digest?: string; platform?: { os?: string; architecture?: string } }[];
      config?: { digest?: string };
      layers?: { digest?: string }[];
    };
    if (Array.isArray(doc.manifests)) {
      const m = doc.manifests.find((x) => x.platform?.os === 'linux' && x.platform.architecture === arch);
      return { kind: 'index', platformManifest: typeof m?.digest === 'string' ? m.digest : undefined };
    }
    if (doc.config || Array.isArray(doc.layers))
      return {
        kind: 'manifest',
        config: typeof doc.config?.digest === 'string' ? doc.config.digest : undefined,
        layers: (doc.layers ?? []).map((l) => l.digest).filter((d): d is string => typeof d === 'string'),
      };
    return undefined;
  } catch {
    return undefined;
  }
}

/**
 * The requests a fresh pull sends through containerd's host list (each one tries the hosts in order): the resolve
 * HEAD (hosts with pull+resolve: resolver.go filterHosts(HostCapabilityPull|HostCapabilityResolve) for a tag), then
 * one GET per manifest and per blob (fetcher.go filterHosts(HostCapabilityPull)). Content already in the node's store
 * is not fetched again, so a repeated pull sends only the resolve request. Measured on containerd 1.6.20 (one-layer
 * image: 4 requests, 4 failed handshakes on a mirror listed first): test/e2e/runtime-truth-walk.e2e.test.ts › 9.
 */
export interface PullRequestPlan {
  resolve: number;
  manifests: number;
  blobs: number;
}

export function pullRequestPlan(index: boolean, manifest: { config?: string; layers: string[] }): PullRequestPlan {
  return { resolve: 1, manifests: index ? 2 : 1, blobs: (manifest.config ? 1 : 0) + manifest.layers.length };
}

/** containerd's error when its HTTP client stops following redirects (Go's url.Error naming the Location as sent, see
 *  followRedirects in src/probe/endpoint.ts), as a finding. Measured on containerd 1.6.20: a loop and a chain of 10
 *  redirects (test/e2e/runtime-truth-walk.e2e.test.ts › 12). */
/** The registry's own error entries after the first line: `registry says: CODE message`. */
function registrySays(ev: EvidenceLines, errs: readonly { code: string; message: string }[]): EvidenceOut {
  for (const e of errs) ev.say('evidence.registry.says', { code: e.code, message: e.message });
  return ev.out();
}

export function judgeRedirectStop(
  target: Target,
  goError: string,
  hops: { url: string; status: number; location: string }[],
  host: string,
): FindingInput {
  const image = target.image;
  const loop = hops.length > 1 && new Set(hops.map((h) => h.url)).size < hops.length;
  const shown = hops.slice(0, 3).map((h) => `${h.status} ${h.url} → Location: ${h.location}`);
  return {
    code: 'unknown',
    severity: 'error',
    host,
    ...(loop ? summaryOf('probe.redirect.loop', { n: hops.length }) : summaryOf('probe.redirect.tooMany', { n: hops.length })),
    ...(hops.length > 3
      ? evidence()
          .raw(...shown)
          .say('evidence.redirect.more', { n: hops.length - 3 })
      : evidence().raw(...shown)
    ).out(),
    predictedRuntimeError: image ? predictResolvePullError(image, `failed to do request: ${goError}`) : goError,
    data: { reason: loop ? 'redirect-loop' : 'too-many-redirects', redirects: hops.length },
  };
}
