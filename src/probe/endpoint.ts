// The one probe pipeline for a registry endpoint, as containerd would use it: resolve (every address, the proxy rules
// of the runtime's environment) → TCP → TLS probe (with the endpoint's client pair) → Go-verify replay with the trust
// the runtime has for that host → the manifest request containerd's resolver makes (anonymous token included).
// The probe checks (tcp-connect, tls-handshake, cert-chain, go-verify, registry-api) call its steps one by one on the
// endpoint they examine; the endpoint walk runs the whole pipeline on every endpoint containerd would try. Both get
// the same facts for the same endpoint.
import { isIP } from '../text/ip.js';
import type { Adapters } from '../core/adapters.js';
import type { CheckContext, CheckOutcome, FindingInput, RunOptions, Target } from '../core/types.js';
import type { EffectiveEndpoint } from '../core/runtime-config.js';
import type { TlsHandshakeFacts } from '../core/tls-facts.js';
import type { ConnectResult } from '../adapters/net.js';
import type { TlsProbeResult } from '../adapters/tls.js';
import type { HttpResult } from '../adapters/http.js';
import { manifestUrl } from '../core/predict.js';
import { probedEndpoint, walkStatusError, WALK_1_5_5, type WalkRules } from '../runtime/endpoints.js';
import { loadSystemRoots, type TrustedCert } from '../trust/system-roots.js';
import { CertificateParseError, parseAnyCertificates, parseCertificate, type CertInfo } from '../x509/cert.js';
import { msg, type Message } from '../i18n/index.js';
import { goVerify, type GoVerifyResult } from '../goverify/verify.js';
import { DEFAULT_GO_VERSION } from '../goverify/defaults.js';
import { goTlsOffer } from '../runtime/go-tls.js';
import { connectionTarget, proxyFor } from './proxy.js';
import { goServerName } from '../runtime/go-url.js';
import { firstNameserver, judgeProxy, judgeTcp, type TcpFacts } from './judge-tcp.js';
import { judgeHttpEndpoint, judgeTls } from './judge-tls.js';
import { MANIFEST_ACCEPT, readPing, readToken, realmInfo, statusText, tokenUrl } from './registry.js';
import { forbiddenAddress, unsupportedRealmError } from './credential-policy.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** What every probe step needs: the adapters, bounds, and what is known about the runtime. */
export interface ProbeScope {
  adapters: Pick<Adapters, 'net' | 'tls' | 'fs' | 'http' | 'clock' | 'env'>;
  target: Target;
  timeoutMs: number;
  signal?: AbortSignal;
  /** The runtime's environment, when it could be read (proxy variables, SSL_CERT_FILE / SSL_CERT_DIR). */
  runtimeEnv?: Env;
  /** The Go version whose verification is replayed. */
  goVersion: string;
  /** How this containerd walks hosts (HOSTS_TOML_RULES' walk column); default: 1.5.5–1.6 rules. */
  walk?: WalkRules;
}

/** The Go version predictions use: --go-version, else the runtime's (runtime-info), else the default. */
export function goVersionFor(options: Pick<RunOptions, 'goVersion'>, rt?: { goVersion?: string }): string {
  return options.goVersion ?? rt?.goVersion ?? DEFAULT_GO_VERSION;
}

export function probeScope(
  ctx: Pick<CheckContext, 'adapters' | 'target' | 'options' | 'signal'>,
  rt?: { daemonEnv?: Env; goVersion?: string },
): ProbeScope {
  return {
    adapters: ctx.adapters,
    target: ctx.target,
    timeoutMs: ctx.options.probeTimeoutMs,
    signal: ctx.signal,
    runtimeEnv: rt?.daemonEnv,
    goVersion: goVersionFor(ctx.options, rt),
  };
}

/** Proxy rules come from the runtime's environment, else (noted in the evidence) from this shell's. */
export function proxyEnv(scope: ProbeScope): Env {
  return scope.runtimeEnv ?? scope.adapters.env;
}

/** The proxy the runtime's HTTP client uses for this URL (Go decides per request URL: scheme, host, NO_PROXY). */
export function proxyForUrl(scope: ProbeScope, url: string): string | undefined {
  return proxyFor(url, proxyEnv(scope)).proxy;
}

/** SSL_CERT_FILE / SSL_CERT_DIR count only from the runtime's environment: unknown means Go's defaults. */
export function trustEnv(scope: ProbeScope): Env {
  return scope.runtimeEnv ?? {};
}

/** SNI as Go sends it: none for an IP host. */
export function serverNameFor(hostname: string): string | undefined {
  // crypto/tls hostnameInSNI: none for an IP literal (a zone ignored), trailing dots dropped
  return goServerName(hostname);
}

/** The endpoint the deeper checks examine: the one that decides the pull (endpoint walk), else containerd's server
 *  entry (or the default endpoint without configuration). */
export function examinedEndpoint(ctx: Pick<CheckContext, 'target' | 'maybeFacts'>): EffectiveEndpoint {
  return ctx.maybeFacts('endpoint-walk')?.decisive ?? probedEndpoint(ctx.target, ctx.maybeFacts('containerd-config')?.effective);
}

// --- step 1: resolve and connect ---

/** DNS (every address, in order, like Go's dialer) and TCP, or the TCP connection to the proxy the runtime uses. */
export async function connectEndpoint(scope: ProbeScope, ep: EffectiveEndpoint): Promise<CheckOutcome<TcpFacts>> {
  const { net, fs } = scope.adapters;
  // the runtime's environment and Go version steer its resolver (GODEBUG=netdns, RES_OPTIONS…; resolv.conf options)
  const o = { timeoutMs: scope.timeoutMs, signal: scope.signal, env: scope.runtimeEnv, goVersion: scope.goVersion };
  const decision = proxyFor(ep.url, proxyEnv(scope));
  if (decision.proxy) {
    // the proxy's host and port as Go dials them (canonicalAddr: https 443, socks5 1080, else 80)
    const target = connectionTarget(ep.url, proxyEnv(scope));
    const phost = target?.hostname ?? '';
    const pport = target?.port ?? 0;
    const lookup = await net.lookup(phost, o);
    const connect = lookup.ok ? await net.connect(lookup.addresses[0]!.address, pport, o) : undefined;
    return judgeProxy(
      {
        hostname: ep.hostname,
        port: ep.port,
        endpointUrl: ep.url,
        proxy: decision.proxy,
        reason: decision.reason,
        ...(decision.reasonMessage ? { reasonMessage: decision.reasonMessage } : {}),
        runtimeEnv: scope.runtimeEnv !== undefined,
        lookup,
        connect,
      },
      scope.target,
    );
  }
  const [lookup, nameserver] = await Promise.all([
    net.lookup(ep.hostname, o),
    firstNameserver(() => fs.readText('/etc/resolv.conf', 64 * 1024)),
  ]);
  const connects: ConnectResult[] = [];
  if (lookup.ok) {
    // Like Go's dialer: try addresses in order until one connects (bounded to the first four).
    for (const a of lookup.addresses.slice(0, 4)) {
      const r = await net.connect(a.address, ep.port, o);
      connects.push(r);
      if (r.ok) break;
    }
  }
  return judgeTcp({ hostname: ep.hostname, port: ep.port, endpointUrl: ep.url, nameserver, lookup, connects }, scope.target);
}

// --- step 2: TLS ---

/** The first client pair configured for the endpoint (containerd presents that one), or why it is unusable. */
export async function loadClientPair(
  fs: ProbeScope['adapters']['fs'],
  ep: EffectiveEndpoint,
): Promise<{ pair?: { cert: Buffer; key: Buffer }; error?: string }> {
  const first = ep.tls.clientPairs[0];
  if (!first) return {};
  try {
    const cert = await fs.readFile(first.cert, 1024 * 1024);
    const key = await fs.readFile(first.key ?? first.cert, 1024 * 1024);
    return { pair: { cert, key } };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

/** The TLS probe of the endpoint (through the proxy when there is one), judged. For an http:// endpoint: whether
 *  the port really speaks plain HTTP. */
export async function handshakeEndpoint(scope: ProbeScope, ep: EffectiveEndpoint, tcp: TcpFacts): Promise<CheckOutcome<TlsHandshakeFacts>> {
  const tls = scope.adapters.tls;
  const base = {
    host: tcp.connectedTo,
    port: ep.port,
    servername: serverNameFor(ep.hostname),
    timeoutMs: scope.timeoutMs,
    signal: scope.signal,
    proxy: tcp.proxy,
    // the runtime's Go client's offer: a server that shares nothing with it refuses the probe as it refuses containerd
    offer: goTlsOffer(scope.goVersion, scope.runtimeEnv?.GODEBUG),
  };
  if (ep.scheme === 'http') {
    const p = await tls.probe(base);
    const image = scope.target.image;
    const url = image ? manifestUrl(ep.url, image) + namespaceQuery(scope.target.registry.name, ep) : undefined;
    return judgeHttpEndpoint(ep, p, scope.target, { walk: scope.walk, url });
  }
  const { pair, error } = await loadClientPair(scope.adapters.fs, ep);
  const probe = await tls.probe({ ...base, clientCert: pair });
  let withoutClientCert: TlsProbeResult | undefined;
  if (probe.outcome === 'handshake' && probe.clientCertRequested && !pair) {
    withoutClientCert = await tls.probe({ ...base, fullHandshake: true });
  }
  return judgeTls(
    {
      endpoint: ep,
      serverName: ep.hostname,
      probe,
      presentedClientCert: Boolean(pair),
      withoutClientCert,
      clientPairError: error,
      goVersion: scope.goVersion,
    },
    scope.target,
  );
}

// --- step 3: trust and Go's verification ---

export interface TrustPool {
  /** System roots (as Go loads them) and the endpoint's own CA files, each with its source. */
  pool: TrustedCert[];
  errors: string[];
  systemCount: number;
  /** The system bundle file used, if any. */
  bundle?: string;
}

/** The pool the runtime verifies this endpoint with: Go's system roots (from the runtime's environment) plus the
 *  endpoint's hosts.toml `ca` / legacy ca_file. */
export async function buildTrustPool(fs: ProbeScope['adapters']['fs'], ep: EffectiveEndpoint, env: Env): Promise<TrustPool> {
  const sys = await loadSystemRoots(fs, env);
  const pool: TrustedCert[] = [...sys.certs];
  const errors = [...sys.errors];
  for (const file of ep.tls.caFiles) {
    try {
      const { certs: extra, errors: parseErrors } = parseAnyCertificates(await fs.readFile(file, 8 * 1024 * 1024));
      for (const c of extra) pool.push({ cert: c, source: file });
      errors.push(...parseErrors.map((e) => `${file}: ${e}`));
      if (extra.length === 0) errors.push(`${file}: no certificate found`);
    } catch (err) {
      errors.push((err as Error).message);
    }
  }
  return { pool, errors, systemCount: sys.certs.length, bundle: sys.bundle };
}

/** The chain as sent, parsed; the first certificate that does not parse ends it as Go's TLS client does. `why` is
 *  `message` for a person (the decoder's own words kept as they are). */
export function parseChain(
  chain: Buffer[],
): { ok: true; certs: CertInfo[] } | { ok: false; index: number; message: string; why: string | Message; goError: string } {
  const certs: CertInfo[] = [];
  for (const [index, der] of chain.entries()) {
    try {
      certs.push(parseCertificate(der));
    } catch (err) {
      const message = (err as Error).message;
      const fault = err instanceof CertificateParseError ? err.fault : undefined;
      const why =
        fault?.kind === 'too-large'
          ? msg('probe.cert.tooLarge')
          : fault?.kind === 'malformed'
            ? msg('probe.cert.malformed', { detail: fault.detail })
            : message;
      return { ok: false, index, message, why, goError: `tls: failed to parse certificate from server: ${message}` };
    }
  }
  return { ok: true, certs };
}

/** Go's verification of the presented chain for the endpoint's name. */
export function verifyChain(scope: ProbeScope, certs: CertInfo[], serverName: string, pool: TrustedCert[]): GoVerifyResult {
  return goVerify({
    chain: certs,
    serverName,
    roots: pool.map((t) => t.cert),
    now: scope.adapters.clock.now(),
    goVersion: scope.goVersion,
  });
}

// --- step 4: the request containerd's resolver makes ---

/** One host's answer to containerd's resolve request. `error` is the low-level error (Go's, or the status text);
 *  `resolverError`, when known, is the whole text containerd's resolver returns for it (`failed to do request: Head
 *  "<url>": <Go error>`, or the status error), i.e. what follows `failed to resolve reference "<ref>": ` in CRI. */
export type HostOutcome =
  | { kind: 'ok'; redirects?: number }
  | { kind: 'not-found' }
  | { kind: 'error'; error: string; resolverError?: string; durationMs?: number; status?: number };

// --- redirects, as containerd's HTTP client follows them ---

/** Go net/http follows these (client.go redirectBehavior); a 3xx without Location is returned as it is. */
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** containerd's CheckRedirect (remotes/docker/resolver.go request.do, 1.5–2.x): `if len(via) >= 10 { return
 *  errors.New("stopped after 10 redirects") }` — so 9 redirects are followed and the 10th fails (measured on 1.6.20:
 *  test/e2e/runtime-truth-walk.e2e.test.ts › 12). */
export const MAX_REDIRECT_VIA = 10;

export interface RedirectHop {
  url: string;
  status: number;
  /** The Location header as sent (Go's error names it raw, relative or not). */
  location: string;
}

export interface FollowedResult {
  result: HttpResult;
  /** The redirects followed, in order. */
  hops: RedirectHop[];
  /** The URL of the final request. */
  finalUrl: string;
  /** Go's url.Error when the client stopped: `<Method> "<Location as sent>": stopped after 10 redirects`
   *  (client.go: on a CheckRedirect error `ue.(*url.Error).URL = loc`), or a Location that does not parse. */
  goError?: string;
}

/** Go's url.Error Op: the method with only its first letter upper-case (client.go uerr). */
export function goOp(method: string): string {
  return method.charAt(0).toUpperCase() + method.slice(1).toLowerCase();
}

/** Go's isDomainOrSubdomain(sub, parent) (client.go): equal, or sub ends with "." + parent (no IPs). */
export function isDomainOrSubdomain(sub: string, parent: string): boolean {
  const s = sub.toLowerCase();
  const p = parent.toLowerCase();
  if (s === p) return true;
  if (isIP(s) || isIP(p)) return false;
  return s.endsWith(`.${p}`);
}

/**
 * Which headers a redirected request carries, as containerd sends it: Go copies the first request's headers, but
 * Authorization (and Cookie, WWW-Authenticate) only when the new host is the first one or its subdomain
 * (client.go makeHeadersCopier / shouldCopyHeaderOnRedirect); containerd's CheckRedirect then authorizes the new
 * request for its own host (v1.6.20 resolver.go:561 r.authorize → authorizer.go:119-131 dockerAuthorizer.Authorize
 * sets a header only for a host it holds a handler for, i.e. one that answered 401 before). regdoctor is stricter, as its credential policy demands: the
 * Authorization header travels only to the same origin (scheme, host and port), never to another host or over a
 * downgrade to plain HTTP; `authFor` may supply one a host issued itself (an anonymous token).
 */
export function redirectHeaders(
  initial: { url: string; headers: Record<string, string> },
  next: string,
  authFor?: (origin: string) => string | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  const from = new URL(initial.url);
  const to = new URL(next);
  const sameOrigin = from.origin === to.origin;
  for (const [k, v] of Object.entries(initial.headers)) {
    if (/^(authorization|cookie|www-authenticate)$/i.test(k) && !sameOrigin) continue;
    out[k] = v;
  }
  const own = authFor?.(to.origin);
  if (own && !sameOrigin) out.Authorization = own;
  return out;
}

/**
 * Sends a request and follows redirects the way containerd's client does: 301/302/303/307/308 with a Location, the
 * method kept for HEAD and GET, at most 9 followed (the 10th stops with Go's error), headers per redirectHeaders.
 * `send` makes one request (the caller picks TLS options and proxy per URL).
 */
export async function followRedirects(
  send: (url: string, headers: Record<string, string>) => Promise<HttpResult>,
  first: { url: string; method: 'GET' | 'HEAD'; headers: Record<string, string> },
  authFor?: (origin: string) => string | undefined,
  maxVia = MAX_REDIRECT_VIA,
): Promise<FollowedResult> {
  const hops: RedirectHop[] = [];
  let url = first.url;
  let headers = first.headers;
  for (let via = 1; ; via++) {
    const result = await send(url, headers);
    if (!result.ok || !REDIRECT_STATUSES.has(result.response.status)) return { result, hops, finalUrl: url };
    const raw = result.response.headers.location;
    const loc = Array.isArray(raw) ? raw[0] : raw;
    if (!loc) return { result, hops, finalUrl: url };
    hops.push({ url, status: result.response.status, location: loc });
    let next: string;
    try {
      next = new URL(loc, url).toString();
    } catch (err) {
      return {
        result,
        hops,
        finalUrl: url,
        goError: `${goOp(first.method)} "${url}": failed to parse Location header "${loc}": ${(err as Error).message}`,
      };
    }
    if (via >= maxVia) return { result, hops, finalUrl: url, goError: `${goOp(first.method)} "${loc}": stopped after 10 redirects` };
    headers = redirectHeaders(first, next, authFor);
    url = next;
  }
}

/** containerd adds `?ns=<ref host>` to requests for a host other than the reference's own (resolver.go
 *  addNamespace → RegistryHost.isProxy: refhost != host, docker.io ↔ registry-1.docker.io excepted). */
export function namespaceQuery(refHost: string, ep: Pick<EffectiveEndpoint, 'host'>): string {
  if (ep.host === refHost || (refHost === 'docker.io' && ep.host === 'registry-1.docker.io')) return '';
  return `?ns=${encodeURIComponent(refHost)}`;
}

/** A request to one host as containerd's resolver/fetcher sends it: redirects followed (followRedirects), and when the
 *  answer is a 401 challenge, an anonymous token from that host's realm, then the request again (doWithRetries). */
export async function registryRequest(
  scope: ProbeScope,
  ep: EffectiveEndpoint,
  o: {
    url: string;
    method: 'GET' | 'HEAD';
    accept: string;
    proxy?: string;
    clientPair?: { cert: Buffer; key: Buffer };
    maxBodyBytes?: number;
  },
): Promise<FollowedResult> {
  const http = scope.adapters.http;
  const pair = o.clientPair ? { cert: o.clientPair.cert.toString('utf8'), key: o.clientPair.key.toString('utf8') } : {};
  const epOrigin = new URL(ep.url).origin;
  const send = (url: string, headers: Record<string, string>) => {
    const u = new URL(url);
    const hostname = u.hostname.replace(/^\[|\]$/g, '');
    return http.request({
      url,
      method: o.method,
      headers,
      timeoutMs: scope.timeoutMs,
      signal: scope.signal,
      maxBodyBytes: o.maxBodyBytes ?? 64 * 1024,
      // the endpoint's client certificate goes only to the endpoint itself
      tls: { rejectUnauthorized: false, servername: serverNameFor(hostname), ...(u.origin === epOrigin ? pair : {}) },
      proxy: u.origin === epOrigin ? o.proxy : proxyForUrl(scope, url),
    });
  };
  const tokens = new Map<string, string>();
  const authFor = (origin: string) => tokens.get(origin);
  const headersFor = () => ({ Accept: o.accept, ...(tokens.get(epOrigin) ? { Authorization: tokens.get(epOrigin)! } : {}) });
  const maxVia = (scope.walk ?? WALK_1_5_5).redirectVia;
  let r = await followRedirects(send, { url: o.url, method: o.method, headers: headersFor() }, authFor, maxVia);
  // At most one token per host the chain reaches (containerd: AddResponses for the host that answered 401, retry).
  for (let tries = 0; tries < 3 && !r.goError && r.result.ok && r.result.response.status === 401; tries++) {
    const origin = new URL(r.finalUrl).origin;
    if (tokens.has(origin)) break;
    const realm = realmInfo(readPing(r.result).challenges[0], r.finalUrl);
    // Anonymous, but still never to a scheme Go refuses or to a link-local / metadata address (credential policy).
    const realmHost = realm ? new URL(realm.url).hostname.replace(/^\[|\]$/g, '') : '';
    if (!realm || unsupportedRealmError(realm.url) || forbiddenAddress(realmHost)) break;
    const tr = await http.request({
      url: tokenUrl(realm, scope.target.image?.path ?? 'library/probe'),
      timeoutMs: scope.timeoutMs,
      signal: scope.signal,
      tls: { rejectUnauthorized: false, servername: serverNameFor(realmHost) },
      proxy: proxyForUrl(scope, realm.url),
    });
    // A token service that answers no token (or no JSON) leaves the 401 standing.
    const token = tr.ok && tr.response.status === 200 ? readToken(tr.response.body).token : undefined;
    if (!token) break;
    tokens.set(origin, `Bearer ${token}`);
    r = await followRedirects(send, { url: o.url, method: o.method, headers: headersFor() }, authFor, maxVia);
  }
  return r;
}

/** HEAD of the manifest as containerd's resolver sends it to one host (`?ns=` for a host other than the reference's),
 *  redirects and an anonymous token included. Returns the final status or the error, with containerd's text for it. */
export async function resolveManifest(
  scope: ProbeScope,
  ep: EffectiveEndpoint,
  o: { proxy?: string; clientPair?: { cert: Buffer; key: Buffer } },
): Promise<{ status?: number; outcome: HostOutcome; hops?: RedirectHop[] }> {
  const image = scope.target.image!;
  const url = manifestUrl(ep.url, image) + namespaceQuery(scope.target.registry.name, ep);
  const r = await registryRequest(scope, ep, { url, method: 'HEAD', accept: MANIFEST_ACCEPT, ...o });
  const hops = r.hops.length ? r.hops : undefined;
  if (r.goError) return { hops, outcome: { kind: 'error', error: r.goError, resolverError: `failed to do request: ${r.goError}` } };
  if (!r.result.ok) {
    const target = r.hops.length ? r.finalUrl : url;
    return {
      hops,
      outcome: {
        kind: 'error',
        error: r.result.error.message,
        resolverError: `failed to do request: Head "${target}": ${r.result.error.message}`,
      },
    };
  }
  const s = r.result.response.status;
  if (s >= 200 && s < 300) return { status: s, hops, outcome: { kind: 'ok', redirects: r.hops.length || undefined } };
  if (s === 404) return { status: s, hops, outcome: { kind: 'not-found' } };
  // The status error names the configured host (1.5/1.6: RegistryHost.Host, even after a redirect — measured) or the
  // URL of the response's request (1.7+: NewUnexpectedStatusErr, the last one after redirects).
  const err = walkStatusError(scope.walk ?? WALK_1_5_5, {
    host: ep.host,
    manifestReference: image.manifestReference,
    url: r.finalUrl,
    method: 'HEAD',
    status: s,
    statusText: statusText(s),
  });
  return { status: s, hops, outcome: { kind: 'error', error: err, resolverError: err, status: s } };
}

// --- the whole pipeline for one endpoint ---

/** What the pipeline found for one endpoint: the same facts the probe checks publish for it. */
export interface EndpointProbeFacts {
  tcp?: TcpFacts;
  tls?: TlsHandshakeFacts;
  /** Go's verdict on the chain with the runtime's trust (absent with skip_verify, for http://, or when not reached). */
  verify?: { ok: boolean; message?: string };
  /** Final status of the manifest request. */
  manifestStatus?: number;
  /** Redirects the manifest request followed (or stopped at). */
  redirects?: RedirectHop[];
}

export interface EndpointExamination {
  outcome: HostOutcome;
  facts: EndpointProbeFacts;
}

/** Go's error for a step that stops the pull: the first finding that carries one, else the step's summary. */
function stoppingError(step: CheckOutcome<unknown>): string | undefined {
  const withGo = (step.findings ?? []).find((f: FindingInput) => typeof f.data?.goError === 'string');
  if (withGo) return withGo.data!.goError as string;
  return step.facts === undefined ? step.summary : undefined;
}

/** Runs every step on one endpoint, stopping where containerd's request would fail. Needs an image target. A failure
 *  carries containerd's resolver text for it and how long the failed attempt took (what each request pays for it). */
export async function examineEndpoint(scope: ProbeScope, ep: EffectiveEndpoint): Promise<EndpointExamination> {
  const started = performance.now();
  const x = await examineSteps(scope, ep);
  if (x.outcome.kind !== 'error') return x;
  const url = manifestUrl(ep.url, scope.target.image!) + namespaceQuery(scope.target.registry.name, ep);
  return {
    ...x,
    outcome: {
      ...x.outcome,
      resolverError: x.outcome.resolverError ?? `failed to do request: Head "${url}": ${x.outcome.error}`,
      durationMs: Math.round(performance.now() - started),
    },
  };
}

async function examineSteps(scope: ProbeScope, ep: EffectiveEndpoint): Promise<EndpointExamination> {
  const facts: EndpointProbeFacts = {};
  const tcp = await connectEndpoint(scope, ep);
  facts.tcp = tcp.facts;
  const tcpError = stoppingError(tcp);
  if (!tcp.facts || tcpError) return { outcome: { kind: 'error', error: tcpError ?? tcp.summary }, facts };
  const tls = await handshakeEndpoint(scope, ep, tcp.facts);
  facts.tls = tls.facts;
  let clientPair: { cert: Buffer; key: Buffer } | undefined;
  if (ep.scheme === 'https') {
    const tlsError = stoppingError(tls);
    if (!tls.facts || tlsError) return { outcome: { kind: 'error', error: tlsError ?? tls.summary }, facts };
    clientPair = (await loadClientPair(scope.adapters.fs, ep)).pair;
    if (!ep.tls.skipVerify) {
      const parsed = parseChain(tls.facts.chain);
      if (!parsed.ok) return { outcome: { kind: 'error', error: parsed.goError }, facts };
      const { pool } = await buildTrustPool(scope.adapters.fs, ep, trustEnv(scope));
      const v = verifyChain(scope, parsed.certs, ep.hostname, pool);
      facts.verify = { ok: v.ok, message: v.message };
      if (!v.ok) return { outcome: { kind: 'error', error: v.message! }, facts };
    }
  }
  const m = await resolveManifest(scope, ep, { proxy: tcp.facts.proxy, clientPair });
  facts.manifestStatus = m.status;
  if (m.hops) facts.redirects = m.hops;
  return { outcome: m.outcome, facts };
}
