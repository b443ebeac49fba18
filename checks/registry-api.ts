// registry-api: the distribution API as the runtime will use it — /v2/ ping, the auth challenge, the token realm
// (which may live on another host, over plain HTTP, or by IP, with its own certificate), then the manifest.
// Emits: not-found, credentials-missing, unauthorized, rate-limited, platform-mismatch, and dns/connection-refused/
// timeout/TLS causes for a token realm host.
import type { Check, CheckContext, CheckOutcome, FindingInput } from '../src/core/types.js';
import type { HttpRequest, HttpResult } from '../src/adapters/http.js';
import {
  indexPlatforms,
  judgeManifest,
  judgeRedirectStop,
  MANIFEST_ACCEPT,
  nodeArch,
  readManifest,
  readPing,
  readToken,
  realmInfo,
  tokenUrl,
} from '../src/probe/registry.js';
import { manifestUrl, predictResolvePullError } from '../src/core/predict.js';
import type { CertInfo } from '../src/x509/cert.js';
import {
  decideEndpoint,
  decideRealm,
  forbiddenAddress,
  redirectWithheld,
  unsupportedRealmError,
  withheld as withheldDecision,
  withoutSensitiveHeaders,
  type CredentialDecision,
  type EndpointState,
} from '../src/probe/credential-policy.js';
import { examineRealmHost } from '../src/probe/realm-trust.js';
import { runtimeCredential, runtimeCredentialRejected } from '../src/runtime/containerd-config.js';
import { sanitizeLine } from '../src/text/sanitize.js';
import {
  buildTrustPool,
  examinedEndpoint,
  followRedirects,
  loadClientPair,
  probeScope,
  proxyForUrl,
  trustEnv,
} from '../src/probe/endpoint.js';
import { isIP } from '../src/text/ip.js';
import type { RegistryApiFacts } from '../src/facts/registry-api.js';
import { walkStatusError } from '../src/runtime/endpoints.js';
import { ASSUMED_CONTAINERD, hostsTomlRules, parseSemver } from '../src/runtime/containerd-config.js';
import { msg, summaryOf, type Message } from '../src/i18n/index.js';
import { evidence as evidenceLines } from '../src/i18n/evidence.js';

function headerOf(r: HttpResult, name: string): string | undefined {
  if (!r.ok) return undefined;
  const v = r.response.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Go's error text for a failed request to the realm, from what our HTTP adapter saw (dial errors name the IP). */
async function goErrorFor(
  ctx: CheckContext,
  r: Extract<HttpResult, { ok: false }>,
  realmUrl: string,
): Promise<{ code: FindingInput['code']; goError: string }> {
  const u = new URL(realmUrl);
  const hostname = u.hostname.replace(/^\[|\]$/g, '');
  const port = u.port || (u.protocol === 'https:' ? '443' : '80');
  // resolved as the runtime's Go resolver would (its environment and Go version), for Go's own lookup text
  const scope = probeScope(ctx, ctx.maybeFacts('runtime-info'));
  const resolved = await ctx.adapters.net.lookup(hostname, {
    timeoutMs: ctx.options.probeTimeoutMs,
    signal: ctx.signal,
    env: scope.runtimeEnv,
    goVersion: scope.goVersion,
  });
  const addr = resolved.ok ? resolved.addresses[0]!.address : hostname;
  const hostPort = isIP(addr) === 6 ? `[${addr}]:${port}` : `${addr}:${port}`;
  switch (r.error.kind) {
    case 'dns':
      return { code: 'dns', goError: `dial tcp: ${(!resolved.ok && resolved.goError) || `lookup ${hostname}: no such host`}` };
    case 'refused':
      return { code: 'connection-refused', goError: `dial tcp ${hostPort}: connect: connection refused` };
    case 'timeout':
      return { code: 'timeout', goError: `dial tcp ${hostPort}: i/o timeout` };
    default:
      return { code: 'unknown', goError: r.error.message };
  }
}

/** The trust pool the runtime verifies this endpoint (and, through the same HTTP client, its token realm) with. */
async function runtimePool(ctx: CheckContext): Promise<{ certs: CertInfo[]; pems: string[] }> {
  const chain = ctx.maybeFacts('cert-chain');
  if (chain) return { certs: chain.pool.map((t) => t.cert), pems: chain.pool.map((t) => t.cert.pem) };
  const scope = probeScope(ctx, ctx.maybeFacts('runtime-info'));
  const certs = (await buildTrustPool(ctx.adapters.fs, examinedEndpoint(ctx), trustEnv(scope))).pool.map((t) => t.cert);
  return { certs, pems: certs.map((c) => c.pem) };
}

function locationOf(r: HttpResult): string | undefined {
  return r.ok && r.response.status >= 300 && r.response.status < 400 ? sanitizeLine(headerOf(r, 'location') ?? '(no Location)') : undefined;
}

export const registryApiCheck: Check<'registry-api'> = {
  id: 'registry-api',
  title: 'Registry API, authentication and manifest',
  needs: ['tcp-connect'],
  wants: ['containerd-config', 'tls-handshake', 'cert-chain', 'go-verify', 'runtime-info', 'endpoint-walk', 'auth-files', 'pull-secrets'],
  timeoutMs: 25_000,
  skipIf(ctx) {
    const ep = examinedEndpoint(ctx);
    if (ep.scheme === 'https' && !ctx.maybeFacts('tls-handshake')) return msg('skip.noTlsSession');
    return undefined;
  },
  async run(ctx): Promise<CheckOutcome<RegistryApiFacts>> {
    const ep = examinedEndpoint(ctx);
    const t = ctx.options.probeTimeoutMs;
    const scope = probeScope(ctx, ctx.maybeFacts('runtime-info'));
    const goVersion = scope.goVersion;
    const configured: Record<string, string> = {};
    for (const [k, v] of Object.entries(ep.headers)) if (v.length) configured[k] = v.join(', ');
    const servername = isIP(ep.hostname) ? undefined : ep.hostname;
    // tls-handshake reports unusable client pairs
    const { pair } = await loadClientPair(ctx.adapters.fs, ep);
    const clientPair: { cert?: string; key?: string } = pair ? { cert: pair.cert.toString('utf8'), key: pair.key.toString('utf8') } : {};
    const pool = await runtimePool(ctx);
    // Anonymous probes look with verification off (the certificate is judged by go-verify); a request that carries a
    // credential verifies TLS itself with the runtime's pool unless the config sets skip_verify for the host.
    const probeTls: HttpRequest['tls'] = { rejectUnauthorized: false, servername, ...clientPair };
    const credTls = (d: CredentialDecision, host: string, sameAsEndpoint: boolean): HttpRequest['tls'] =>
      d.send && d.verifyTls
        ? { rejectUnauthorized: true, ca: pool.pems, servername: isIP(host) ? undefined : host, ...(sameAsEndpoint ? clientPair : {}) }
        : { rejectUnauthorized: false, servername: isIP(host) ? undefined : host, ...(sameAsEndpoint ? clientPair : {}) };
    const anonHeaders = withoutSensitiveHeaders(configured);
    const req = (
      url: string,
      method: 'GET' | 'HEAD',
      headers: Record<string, string>,
      o: { tls: HttpRequest['tls']; configured: Record<string, string>; maxBodyBytes?: number },
    ) =>
      ctx.adapters.http.request({
        url,
        method,
        headers: { 'User-Agent': 'containerd/regdoctor', ...o.configured, ...headers },
        timeoutMs: t,
        signal: ctx.signal,
        tls: o.tls,
        maxBodyBytes: o.maxBodyBytes ?? 64 * 1024,
        proxy: proxyForUrl(scope, url),
      });

    // --- the credential policy for this endpoint (Go replay of its chain with the runtime's trust) ---
    const gv = ctx.maybeFacts('go-verify');
    const hs = ctx.maybeFacts('tls-handshake');
    const sameEndpoint = hs?.endpoint.url === ep.url;
    const epState: EndpointState = {
      url: ep.url,
      skipVerify: ep.tls.skipVerify,
      verify: gv && sameEndpoint && !gv.skipVerify ? { ok: gv.result.ok, message: gv.result.message } : undefined,
    };
    const epDecision = decideEndpoint(epState);
    const sensitiveConfigured = Object.keys(configured).length !== Object.keys(anonHeaders).length;
    const endpointReq = {
      tls: epDecision.send ? credTls(epDecision, ep.hostname, true) : probeTls,
      configured: epDecision.send ? configured : anonHeaders,
    };
    const anonReq = { tls: probeTls, configured: anonHeaders };
    const anonRedirectReq = (url: string) => {
      const h = new URL(url).hostname.replace(/^\[|\]$/g, '');
      return { tls: { rejectUnauthorized: false, servername: isIP(h) ? undefined : h }, configured: anonHeaders };
    };

    const evidence = evidenceLines();
    const findings: FindingInput[] = [];
    const pingUrl = `${ep.url}/`;
    const pingRes = await req(pingUrl, 'GET', {}, sensitiveConfigured && epDecision.send ? endpointReq : anonReq);
    const ping = readPing(pingRes);
    if (ping.error) {
      evidence.raw(`GET ${pingUrl}: ${ping.error}`);
      // Without the client certificate an mTLS registry drops the request (alert or reset, racy): say why, stably.
      const why = hs?.clientCertRequested && !hs.presentedClientCert ? msg('check.api.needsClientCert') : ping.error;
      return {
        ...summaryOf('check.api.pingFailed', { url: pingUrl, why }),
        ...evidence.out(),
        status: 'warn',
        facts: { endpoint: ep.url, tokenObtained: false },
      };
    }
    if (ping.apiVersion) evidence.raw(`GET ${pingUrl}: ${ping.status}, Docker-Distribution-API-Version ${ping.apiVersion}`);
    else evidence.say('evidence.api.pingNoHeader', { url: pingUrl, status: String(ping.status) });
    const challenge = ping.challenges[0];
    if (challenge)
      evidence.raw(
        `auth challenge: ${challenge.scheme}${
          Object.keys(challenge.params).length
            ? ` ${Object.entries(challenge.params)
                .map(([k, v]) => `${sanitizeLine(k)}="${sanitizeLine(v)}"`)
                .join(' ')}`
            : ''
        }`,
      );
    const facts: RegistryApiFacts = {
      endpoint: ep.url,
      pingStatus: ping.status,
      apiVersion: ping.apiVersion,
      authScheme: challenge?.scheme,
      tokenObtained: false,
    };

    // --- credentials kubelet would send (pod pull secrets first, then node files); never printed ---
    const ps = ctx.maybeFacts('pull-secrets');
    const kubeletCred = ps?.credential ?? ctx.maybeFacts('auth-files')?.credential;
    // kubelet sends none: containerd sends its own config.toml credential for this host (configs."h".auth), if any
    const cfg = ctx.maybeFacts('containerd-config');
    const runtimeCred =
      kubeletCred || ps?.withheld || !cfg?.exists || !cfg.registryTable.length
        ? undefined
        : await runtimeCredential(
            ctx.adapters.fs,
            cfg.file,
            ep.host,
            parseSemver(cfg.containerdVersion) ?? parseSemver(ASSUMED_CONTAINERD)!,
          );
    const cred = kubeletCred ?? runtimeCred;
    const source = ps?.credential
      ? 'pod pull-secret'
      : kubeletCred
        ? 'node'
        : runtimeCred
          ? `containerd ${runtimeCred.source}`
          : ps?.withheld
            ? 'pod pull-secret'
            : undefined;
    // the same source as a phrase in the reader's language (evidence lines)
    const sourceMessage: Message | undefined = ps?.credential
      ? msg('probe.source.podSecret')
      : kubeletCred
        ? msg('probe.source.node')
        : runtimeCred
          ? msg('probe.source.containerd', { source: runtimeCred.source })
          : ps?.withheld
            ? msg('probe.source.podSecret')
            : undefined;
    const basic =
      cred?.username !== undefined && cred.password !== undefined
        ? `Basic ${Buffer.from(`${cred.username}:${cred.password}`).toString('base64')}`
        : cred?.auth
          ? `Basic ${cred.auth}`
          : undefined;
    // Why the credentials were not sent (first reason wins); the pull-secrets check may already have withheld them.
    let withheld: { code: string; reason: string } | undefined = !cred && ps?.withheld ? ps.withheld : undefined;
    // the same reason as a message, for the finding in the reader's language (facts keep the English only)
    let withheldMessage: Message | undefined = !cred ? ps?.withheld?.reasonMessage : undefined;
    let sent = false;
    const withhold = (d: { code: string; reason: string; reasonMessage?: Message }) => {
      if (!withheld) withheldMessage = d.reasonMessage;
      withheld ??= { code: d.code, reason: d.reason };
    };
    if (basic) facts.credentials = { source: source!, sent: false };
    if (basic && !epDecision.send) withhold(epDecision);

    // --- token realm ---
    let token: string | undefined;
    let tokenFromCredentials = false;
    const realm = realmInfo(challenge, ep.url);
    const image = ctx.target.image;
    if (realm) {
      facts.realm = realm;
      const tUrl = tokenUrl(realm, image?.path ?? 'library/probe');
      if (realm.otherHost) evidence.say('evidence.realm.otherHost', { host: realm.host });
      if (realm.downgrade) evidence.say('evidence.realm.downgrade', { url: sanitizeLine(realm.url) });
      if (realm.byIp) evidence.say('evidence.realm.byIp', { host: realm.host });
      const unsupported = unsupportedRealmError(realm.url);
      const realmHost = unsupported
        ? undefined
        : await examineRealmHost(ctx.adapters, realm.url, {
            roots: pool.certs,
            goVersion,
            timeoutMs: t,
            signal: ctx.signal,
            proxy: proxyForUrl(scope, realm.url),
            env: scope.runtimeEnv,
          });
      const realmDecision = decideRealm(epState, { url: realm.url, verify: realmHost?.verify, addresses: realmHost?.addresses });
      const forbidden = realmDecision.send === false && realmDecision.code === 'realm-address';
      if (unsupported) {
        // containerd's Go client refuses the scheme: every pull fails here, and nothing is sent anywhere.
        const goErr = `${basic ? 'failed to fetch oauth token: Post' : 'failed to fetch anonymous token: Get'} "${basic ? realm.url : tUrl}": ${unsupported}`;
        findings.push({
          code: 'unknown',
          severity: 'error',
          host: ep.host,
          ...summaryOf('finding.realm.unsupported', { why: unsupported }),
          evidence: [`WWW-Authenticate realm: ${sanitizeLine(realm.url)}`],
          predictedRuntimeError: image ? predictResolvePullError(image, `failed to authorize: ${goErr}`) : goErr,
          data: { reason: 'realm-unsupported-scheme', realm: sanitizeLine(realm.url) },
        });
        if (basic) withhold(realmDecision.send ? { code: 'realm-scheme', reason: unsupported } : realmDecision);
      } else if (forbidden) {
        findings.push({
          code: 'unknown',
          severity: 'warning',
          host: realm.host,
          ...summaryOf('finding.realm.forbidden', {
            host: realm.host,
            address:
              [new URL(realm.url).hostname.replace(/^\[|\]$/g, ''), ...(realmHost?.addresses ?? [])].map(forbiddenAddress).find(Boolean) ??
              msg('finding.realm.forbiddenAddress'),
          }),
          evidence: [`WWW-Authenticate realm: ${sanitizeLine(realm.url)}`],
          data: { reason: 'realm-address', realm: sanitizeLine(realm.url) },
        });
        if (basic) withhold(realmDecision as { code: string; reason: string });
      } else if (realmHost?.fault && !ep.tls.skipVerify) {
        // The runtime's client for this host verifies the realm with the same pool; skip_verify would cover it too.
        const goErr = realmHost.verify!.message!;
        findings.push({
          code: realmHost.fault.code,
          host: realm.host,
          ...summaryOf('finding.realm.unverified', {
            host: realm.host,
            byIp: realm.byIp ? msg('finding.realm.byIp') : '',
            detail: realmHost.fault.detailMessage ?? realmHost.fault.detail,
          }),
          ...evidenceLines()
            .raw(`WWW-Authenticate realm: ${sanitizeLine(realm.url)}`)
            .say('evidence.realm.goReports', { host: realm.host, message: goErr })
            .out(),
          predictedRuntimeError: image
            ? predictResolvePullError(image, `failed to authorize: failed to fetch anonymous token: Get "${tUrl}": ${goErr}`)
            : goErr,
          data: { realm: realm.url, goMessage: goErr },
        });
        if (basic) withhold(realmDecision.send ? { code: 'realm-unverified', reason: goErr } : realmDecision);
      } else {
        const useCred = Boolean(basic) && realmDecision.send && epDecision.send;
        if (basic && !realmDecision.send) withhold(realmDecision);
        const realmName = new URL(realm.url).hostname.replace(/^\[|\]$/g, '');
        const sameOrigin = new URL(realm.url).origin === new URL(ep.url).origin;
        const tr = useCred
          ? await req(
              tUrl,
              'GET',
              { Authorization: basic! },
              { tls: credTls(realmDecision, realmName, sameOrigin), configured, maxBodyBytes: 256 * 1024 },
            )
          : await req(
              tUrl,
              'GET',
              {},
              {
                tls: { ...probeTls, servername: isIP(realmName) ? undefined : realmName },
                configured: anonHeaders,
                maxBodyBytes: 256 * 1024,
              },
            );
        if (useCred) sent = true;
        if (!tr.ok) {
          const { code, goError } = await goErrorFor(ctx, tr, realm.url);
          if (useCred && tr.error.kind === 'tls') {
            // regdoctor's own verification of the connection that would carry the credential refused it.
            sent = false;
            withhold(withheldDecision('realm-unverified', 'probe.policy.tlsNotVerified', { host: realm.host, error: tr.error.message }));
          }
          findings.push({
            code,
            severity: 'error',
            host: realm.host,
            ...summaryOf('finding.realm.unreachable', { url: realm.url, why: tr.error.message }),
            evidence: [`GET ${tUrl}: ${tr.error.kind}: ${tr.error.message}`],
            predictedRuntimeError: image
              ? predictResolvePullError(image, `failed to authorize: failed to fetch anonymous token: Get "${tUrl}": ${goError}`)
              : goError,
            data: { realm: realm.url },
          });
        } else {
          if (useCred)
            evidence.say('evidence.api.tokenGetWith', {
              url: tUrl.replace(/\?.*/, '?…'),
              source: sourceMessage ?? String(source),
              status: tr.response.status,
            });
          else evidence.raw(`GET ${tUrl.replace(/\?.*/, '?…')}: ${tr.response.status}`);
          const loc = locationOf(tr);
          if (loc !== undefined) {
            evidence.say('evidence.api.tokenRedirect', { location: loc });
            if (basic) {
              sent = false;
              withhold(
                redirectWithheld(msg('probe.what.tokenService', { host: realm.host }), tr.response.status, loc) as Extract<
                  CredentialDecision,
                  { send: false }
                >,
              );
            }
          }
          if (tr.response.status === 200) {
            const read = readToken(tr.response.body);
            if (read.json) {
              token = read.token;
              facts.tokenObtained = Boolean(token);
              tokenFromCredentials = useCred;
            } else {
              evidence.say('evidence.api.tokenNotJson');
            }
          }
        }
      }
    }

    // --- manifest ---
    if (image) {
      const mUrl = manifestUrl(ep.url, image);
      const headers: Record<string, string> = { Accept: MANIFEST_ACCEPT };
      let o: { tls: HttpRequest['tls']; configured: Record<string, string> } = anonReq;
      if (token) {
        headers.Authorization = `Bearer ${token}`;
        if (tokenFromCredentials) o = endpointReq;
      } else if (basic && challenge?.scheme === 'basic' && epDecision.send) {
        headers.Authorization = basic;
        o = endpointReq;
        sent = true;
      }
      // Redirects followed as containerd's client follows them (src/probe/endpoint.ts followRedirects); a hop to
      // another origin gets neither the endpoint's client certificate nor a credential.
      const followed = await followRedirects(
        (url, h) => (new URL(url).origin === new URL(mUrl).origin ? req(url, 'HEAD', h, o) : req(url, 'HEAD', h, anonRedirectReq(url))),
        { url: mUrl, method: 'HEAD', headers },
      );
      const mr = followed.result;
      if (followed.hops.length) evidence.raw(...followed.hops.map((h) => `${h.status} ${h.url} → ${sanitizeLine(h.location)}`));
      if (!mr.ok && mr.error.kind === 'tls' && o === endpointReq && basic) {
        sent = false;
        withhold(withheldDecision('tls-unverified', 'probe.policy.tlsNotVerified', { host: ep.host, error: mr.error.message }));
      }
      const m = readManifest(mr);
      evidence.raw(
        `HEAD ${mUrl}: ${mr.ok ? mr.response.status : `${mr.error.kind}: ${mr.error.message}`}${headerOf(mr, 'content-type') ? ` (${headerOf(mr, 'content-type')})` : ''}`,
      );
      let platforms: ReturnType<typeof indexPlatforms> | undefined;
      if (m.kind === 'ok' && m.isIndex) {
        const max = 4 * 1024 * 1024;
        const gr = (
          await followRedirects(
            (url, h) =>
              new URL(url).origin === new URL(mUrl).origin
                ? req(url, 'GET', h, { ...o, maxBodyBytes: max })
                : req(url, 'GET', h, { ...anonRedirectReq(url), maxBodyBytes: max }),
            { url: mUrl, method: 'GET', headers },
          )
        ).result;
        if (gr.ok) platforms = indexPlatforms(gr.response.body);
      }
      facts.manifest = m.kind;
      if (mr.ok) facts.manifestStatus = mr.response.status;
      if (followed.goError) findings.push(judgeRedirectStop(ctx.target, sanitizeLine(followed.goError), followed.hops, ep.host));
      // endpoint-walk explains a 404 that containerd reports as the fallback server entry's error (issue 13 item 8)
      const masked = Boolean(ctx.maybeFacts('endpoint-walk')?.maskedNotFound);
      // status-error wording of the detected containerd (HOSTS_TOML_RULES walk column); unknown version: the default
      const cc = ctx.maybeFacts('containerd-config');
      const walkRules =
        cc && !cc.versionAssumed ? hostsTomlRules(parseSemver(cc.containerdVersion) ?? parseSemver(ASSUMED_CONTAINERD)!).walk : undefined;
      findings.push(
        ...judgeManifest(ctx.target, followed.finalUrl, followed.goError ? { kind: 'error', message: followed.goError } : m, {
          hasCredentials: sent && !withheld,
          platforms,
          arch: nodeArch(),
          host: ep.host,
          statusError: walkRules
            ? (st, txt) =>
                walkStatusError(walkRules, {
                  host: ep.host,
                  manifestReference: image.manifestReference,
                  url: followed.finalUrl,
                  method: 'HEAD',
                  status: st,
                  statusText: txt,
                })
            : undefined,
          authScheme: challenge?.scheme,
          withheld:
            withheld && (basic || ps?.withheld)
              ? {
                  source: source ?? 'pod pull-secret',
                  reason: withheld.reason,
                  reasonMessage: withheldMessage,
                  // the same source as a phrase in the reader's language
                  sourceMessage: ps?.credential
                    ? msg('probe.source.podSecret')
                    : kubeletCred
                      ? msg('probe.source.node')
                      : runtimeCred
                        ? msg('probe.source.containerd', { source: runtimeCred.source })
                        : msg('probe.source.podSecret'),
                }
              : undefined,
        })
          .filter((f) => !(masked && f.code === 'not-found'))
          .map((f) => (runtimeCred && sent && !withheld ? runtimeCredentialRejected(f, runtimeCred, ep.host) : f)),
      );
    }
    if (facts.credentials) facts.credentials = { ...facts.credentials, sent: sent && !withheld, withheld };
    if (withheld)
      evidence.say('evidence.api.credSkipped', {
        source: sourceMessage ?? msg('evidence.source.pull'),
        reason: withheldMessage ?? withheld.reason,
      });
    else if (sent)
      evidence.say('evidence.api.testingWith', {
        source: sourceMessage ?? String(source),
        who: msg(runtimeCred ? 'evidence.api.containerdSends' : 'evidence.api.kubeletWouldSend'),
      });
    // With findings: the first sentence of the first (English), its whole message in the reader's language.
    const first = findings[0];
    const summary = first
      ? { summary: first.summary.split('. ')[0]!, ...(first.summaryMessage ? { summaryMessage: first.summaryMessage } : {}) }
      : summaryOf('check.api.ok', {
          status: String(ping.status),
          authScheme: challenge
            ? realm
              ? msg('check.api.authRealm', { scheme: challenge.scheme, host: realm.host })
              : msg('check.api.auth', { scheme: challenge.scheme })
            : '',
          manifest: image ? msg('check.api.manifest', { manifest: facts.manifest ?? '' }) : '',
        });
    return { ...summary, ...evidence.out(), findings, facts };
  },
};
