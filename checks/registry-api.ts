// registry-api: the distribution API as the runtime will use it — /v2/ ping, the auth challenge, the token realm
// (which may live on another host, over plain HTTP, or by IP, with its own certificate), then the manifest.
// Emits: not-found, credentials-missing, unauthorized, rate-limited, platform-mismatch, and dns/connection-refused/
// timeout/TLS causes for a token realm host.
import type { Check, CheckContext, CheckOutcome, FindingInput } from '../src/core/types.js';
import type { HttpRequest, HttpResult } from '../src/adapters/http.js';
import { examinedEndpoint } from './endpoint-walk.js';
import { indexPlatforms, judgeManifest, MANIFEST_ACCEPT, nodeArch, readManifest, readPing, realmInfo, tokenUrl, type RealmInfo } from '../src/probe/registry.js';
import { manifestUrl, predictResolvePullError } from '../src/core/predict.js';
import { goVerify } from '../src/goverify/verify.js';
import { DEFAULT_GO_VERSION } from '../src/goverify/defaults.js';
import { parseCertificate, type CertInfo } from '../src/x509/cert.js';
import { loadSystemRoots } from '../src/trust/system-roots.js';
import { isIP } from 'node:net';

export interface RegistryApiFacts {
  endpoint: string;
  pingStatus?: number;
  apiVersion?: string;
  authScheme?: string;
  realm?: RealmInfo;
  tokenObtained: boolean;
  manifest?: string;
}

declare module '../src/core/facts.js' {
  interface FactsMap {
    'registry-api': RegistryApiFacts;
  }
}

function headerOf(r: HttpResult, name: string): string | undefined {
  if (!r.ok) return undefined;
  const v = r.response.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Go's error text for a failed request to the realm, from what our HTTP adapter saw (dial errors name the IP). */
async function goErrorFor(ctx: CheckContext, r: Extract<HttpResult, { ok: false }>, realmUrl: string): Promise<{ code: FindingInput['code']; goError: string }> {
  const u = new URL(realmUrl);
  const hostname = u.hostname.replace(/^\[|\]$/g, '');
  const port = u.port || (u.protocol === 'https:' ? '443' : '80');
  const resolved = await ctx.adapters.net.lookup(hostname, { timeoutMs: ctx.options.probeTimeoutMs, signal: ctx.signal });
  const addr = resolved.ok ? resolved.addresses[0]!.address : hostname;
  const hostPort = isIP(addr) === 6 ? `[${addr}]:${port}` : `${addr}:${port}`;
  switch (r.error.kind) {
    case 'dns':
      return { code: 'dns', goError: `dial tcp: lookup ${hostname}: no such host` };
    case 'refused':
      return { code: 'connection-refused', goError: `dial tcp ${hostPort}: connect: connection refused` };
    case 'timeout':
      return { code: 'timeout', goError: `dial tcp ${hostPort}: i/o timeout` };
    default:
      return { code: 'unknown', goError: r.error.message };
  }
}

async function realmTlsFault(ctx: CheckContext, realm: RealmInfo, goVersion: string): Promise<{ code: FindingInput['code']; message: string; detail: string } | undefined> {
  const u = new URL(realm.url);
  if (u.protocol !== 'https:') return undefined;
  const hostname = u.hostname.replace(/^\[|\]$/g, '');
  const port = u.port ? Number(u.port) : 443;
  const lookup = await ctx.adapters.net.lookup(hostname, { timeoutMs: ctx.options.probeTimeoutMs, signal: ctx.signal });
  if (!lookup.ok) return undefined;
  const p = await ctx.adapters.tls.probe({
    host: lookup.addresses[0]!.address,
    port,
    servername: isIP(hostname) ? undefined : hostname,
    timeoutMs: ctx.options.probeTimeoutMs,
    signal: ctx.signal,
  });
  if (p.outcome !== 'handshake') return undefined;
  let chain: CertInfo[];
  try {
    chain = p.chain.map((d) => parseCertificate(d));
  } catch {
    return undefined;
  }
  const pool = ctx.maybeFacts('cert-chain')?.pool.map((t) => t.cert) ?? (await loadSystemRoots(ctx.adapters.fs)).certs.map((t) => t.cert);
  const r = goVerify({ chain, serverName: hostname, roots: pool, now: ctx.adapters.clock.now(), goVersion });
  if (r.ok) return undefined;
  return { code: r.faults[0]!.code, message: r.message!, detail: r.faults[0]!.detail };
}

export const registryApiCheck: Check<'registry-api'> = {
  id: 'registry-api',
  title: 'Registry API, authentication and manifest',
  needs: ['tcp-connect'],
  wants: ['containerd-config', 'tls-handshake', 'cert-chain', 'runtime-info', 'endpoint-walk', 'auth-files', 'pull-secrets'],
  timeoutMs: 25_000,
  skipIf(ctx) {
    const ep = examinedEndpoint(ctx);
    if (ep.scheme === 'https' && !ctx.maybeFacts('tls-handshake')) return 'no TLS session with the registry to talk to its API';
    return undefined;
  },
  async run(ctx): Promise<CheckOutcome<RegistryApiFacts>> {
    const ep = examinedEndpoint(ctx);
    const t = ctx.options.probeTimeoutMs;
    const goVersion = ctx.options.goVersion ?? ctx.maybeFacts('runtime-info')?.goVersion ?? DEFAULT_GO_VERSION;
    const extraHeaders: Record<string, string> = {};
    for (const [k, v] of Object.entries(ep.headers)) if (v.length) extraHeaders[k] = v.join(', ');
    let clientTls: HttpRequest['tls'] = { rejectUnauthorized: false, servername: isIP(ep.hostname) ? undefined : ep.hostname };
    const pair = ep.tls.clientPairs[0];
    if (pair) {
      try {
        clientTls = { ...clientTls, cert: await ctx.adapters.fs.readText(pair.cert, 1 << 20), key: await ctx.adapters.fs.readText(pair.key ?? pair.cert, 1 << 20) };
      } catch {
        // tls-handshake reports unusable client pairs
      }
    }
    const req = (url: string, method: 'GET' | 'HEAD', headers: Record<string, string> = {}, maxBodyBytes = 64 * 1024) =>
      ctx.adapters.http.request({ url, method, headers: { 'User-Agent': 'containerd/regdoctor', ...extraHeaders, ...headers }, timeoutMs: t, signal: ctx.signal, tls: clientTls, maxBodyBytes, proxy: ctx.facts('tcp-connect').proxy });

    const evidence: string[] = [];
    const findings: FindingInput[] = [];
    const pingUrl = `${ep.url}/`;
    const pingRes = await req(pingUrl, 'GET');
    const ping = readPing(pingRes);
    if (ping.error) {
      evidence.push(`GET ${pingUrl}: ${ping.error}`);
      const hs = ctx.maybeFacts('tls-handshake');
      // Without the client certificate an mTLS registry drops the request (alert or reset, racy): say why, stably.
      const why = hs?.clientCertRequested && !hs.presentedClientCert ? 'the registry requires a client certificate (see tls-handshake)' : ping.error;
      return { summary: `GET ${pingUrl} failed: ${why}`, evidence, status: 'warn', facts: { endpoint: ep.url, tokenObtained: false } };
    }
    evidence.push(`GET ${pingUrl}: ${ping.status}${ping.apiVersion ? `, Docker-Distribution-API-Version ${ping.apiVersion}` : ', no Docker-Distribution-API-Version header'}`);
    const challenge = ping.challenges[0];
    if (challenge) evidence.push(`auth challenge: ${challenge.scheme}${Object.keys(challenge.params).length ? ` ${Object.entries(challenge.params).map(([k, v]) => `${k}="${v}"`).join(' ')}` : ''}`);
    const facts: RegistryApiFacts = { endpoint: ep.url, pingStatus: ping.status, apiVersion: ping.apiVersion, authScheme: challenge?.scheme, tokenObtained: false };

    // --- credentials kubelet would send (pod pull secrets first, then node files); never printed ---
    const cred = ctx.maybeFacts('pull-secrets')?.credential ?? ctx.maybeFacts('auth-files')?.credential;
    const basic = cred?.username !== undefined && cred.password !== undefined ? `Basic ${Buffer.from(`${cred.username}:${cred.password}`).toString('base64')}` : cred?.auth ? `Basic ${cred.auth}` : undefined;
    if (basic) evidence.push(`testing with the ${ctx.maybeFacts('pull-secrets')?.credential ? 'pod pull-secret' : 'node'} credentials kubelet would send (values not shown)`);

    // --- token realm ---
    let token: string | undefined;
    const realm = realmInfo(challenge, ep.url);
    if (realm) {
      facts.realm = realm;
      const image = ctx.target.image;
      const tUrl = tokenUrl(realm, image?.path ?? 'library/probe');
      if (realm.otherHost) evidence.push(`token realm is on another host: ${realm.host}`);
      if (realm.downgrade) evidence.push(`token realm ${realm.url} is plain HTTP although the registry is HTTPS: tokens travel unencrypted`);
      if (realm.byIp) evidence.push(`token realm is addressed by IP (${realm.host}): its certificate needs an IP SAN`);
      const tlsFault = await realmTlsFault(ctx, realm, goVersion);
      if (tlsFault) {
        const goErr = tlsFault.message;
        findings.push({
          code: tlsFault.code,
          host: realm.host,
          summary: `The registry itself is fine, but its token service ${realm.host}${realm.byIp ? ' (addressed by IP)' : ''} fails certificate verification: ${tlsFault.detail}`,
          evidence: [`WWW-Authenticate realm: ${realm.url}`, `Go reports for ${realm.host}: ${goErr}`],
          predictedRuntimeError: image ? predictResolvePullError(image, `failed to authorize: failed to fetch anonymous token: Get "${tUrl}": ${goErr}`) : goErr,
          data: { realm: realm.url, goMessage: goErr },
        });
      } else {
        const tr = await req(tUrl, 'GET', basic ? { Authorization: basic } : {}, 256 * 1024);
        if (!tr.ok) {
          const { code, goError } = await goErrorFor(ctx, tr, realm.url);
          findings.push({
            code,
            severity: 'error',
            host: realm.host,
            summary: `The registry sends clients to token service ${realm.url}, which cannot be reached from this node (${tr.error.message}).`,
            evidence: [`GET ${tUrl}: ${tr.error.kind}: ${tr.error.message}`],
            predictedRuntimeError: image ? predictResolvePullError(image, `failed to authorize: failed to fetch anonymous token: Get "${tUrl}": ${goError}`) : goError,
            data: { realm: realm.url },
          });
        } else {
          evidence.push(`GET ${tUrl.replace(/\?.*/, '?…')}: ${tr.response.status}`);
          if (tr.response.status === 200) {
            try {
              const doc = JSON.parse(tr.response.body.toString('utf8')) as { token?: string; access_token?: string };
              token = doc.token ?? doc.access_token;
              facts.tokenObtained = Boolean(token);
            } catch {
              evidence.push('token response is not JSON');
            }
          }
        }
      }
    }

    // --- manifest ---
    const image = ctx.target.image;
    if (image) {
      const mUrl = manifestUrl(ep.url, image);
      const headers: Record<string, string> = { Accept: MANIFEST_ACCEPT };
      if (token) headers.Authorization = `Bearer ${token}`;
      else if (basic && challenge?.scheme === 'basic') headers.Authorization = basic;
      const mr = await req(mUrl, 'HEAD', headers);
      const m = readManifest(mr);
      evidence.push(`HEAD ${mUrl}: ${mr.ok ? mr.response.status : `${mr.error.kind}: ${mr.error.message}`}${headerOf(mr, 'content-type') ? ` (${headerOf(mr, 'content-type')})` : ''}`);
      let platforms: ReturnType<typeof indexPlatforms> | undefined;
      if (m.kind === 'ok' && m.isIndex) {
        const gr = await req(mUrl, 'GET', headers, 4 * 1024 * 1024);
        if (gr.ok) platforms = indexPlatforms(gr.response.body);
      }
      facts.manifest = m.kind;
      findings.push(...judgeManifest(ctx.target, mUrl, m, { hasCredentials: Boolean(basic), platforms, arch: nodeArch(), host: ep.host, authScheme: challenge?.scheme }));
    }
    const summary = findings.length
      ? findings[0]!.summary.split('. ')[0]!
      : `API ${ping.status}${challenge ? ` (${challenge.scheme} auth${realm ? `, realm ${realm.host}` : ''})` : ''}${image ? `, manifest ${facts.manifest}` : ''}`;
    return { summary, evidence, findings, facts };
  },
};
