// Tries pull credentials against a registry the way containerd's resolver authorises a pull: /v2/ challenge, then
// for Bearer the token realm (OAuth2 POST first, GET with Basic when the realm does not do POST), then a HEAD of
// the manifest with the token; for Basic the HEAD with Basic. Whether a credential may go to the registry and to its
// realm is decided by the one credential policy (src/probe/credential-policy.ts: Go replay with the runtime's trust,
// or a configured plain-HTTP / skip_verify host; realms http(s) only, verified on their own when on another host);
// requests that carry one also verify TLS themselves (unless skip_verify), and no redirect is followed. Never logs
// secret values.
import { isIP } from '../text/ip.js';
import { messageIn, msg, textIn, type Message, type MessageKey, type ParamsOf } from '../i18n/index.js';
import { sanitizeLine } from '../text/sanitize.js';
import type { HttpAdapter, HttpRequest, HttpResult } from '../adapters/http.js';
import type { ImageReference } from '../core/types.js';
import { MANIFEST_ACCEPT, readPing, realmInfo, tokenUrl, type RealmInfo } from './registry.js';
import { manifestUrl } from '../core/predict.js';
import type { Challenge } from './www-authenticate.js';
import {
  decideEndpoint,
  decideRealm,
  redirectWithheld,
  withheld,
  type CredentialDecision,
  type EndpointState,
  type RealmState,
} from './credential-policy.js';

/** The outcome of trying one credential against the registry (and its token realm). */
export type CredentialTest =
  | { outcome: 'accepted'; via: 'token' | 'basic'; realmHost?: string; detail: string; detailMessage?: Message }
  | { outcome: 'rejected'; via: 'token' | 'basic'; status: number; realmHost?: string; detail: string; detailMessage?: Message }
  | { outcome: 'not-tested'; detail: string; detailMessage?: Message };

export interface RegistryAuthProbe {
  /** Does the registry require authentication for this image (anonymous HEAD manifest)? */
  authRequired: boolean | undefined;
  scheme?: string;
  realmHost?: string;
  /** English (evidence, facts); `detailMessage` is the same in the reader's language. */
  detail: string;
  detailMessage?: Message;
}

export interface LoginContext {
  http: HttpAdapter;
  /** Endpoint base as containerd builds it: scheme://host[:port]/v2 */
  endpoint: string;
  image: ImageReference;
  /** TLS options with verification ON (rejectUnauthorized + the node's trust pool), client pair included. */
  tls: HttpRequest['tls'];
  /** The endpoint as the credential policy sees it (configured skip_verify, Go replay of its chain). */
  endpointState: EndpointState;
  /** Examines a token realm host (addresses; for https, Go replay of its chain with the runtime's trust). */
  examineRealm(url: string): Promise<RealmState>;
  timeoutMs: number;
  signal?: AbortSignal;
  proxy?: string;
  headers?: Record<string, string>;
}

export interface AuthProbeResult {
  probe: RegistryAuthProbe;
  challenge?: Challenge;
  realm?: RealmInfo;
  /** The endpoint could not be reached or verified: do not send credentials. */
  blocked?: string;
  /** The credential policy keeps the credentials back (endpoint or realm). */
  withheld?: Extract<CredentialDecision, { send: false }>;
  /** Policy decision for the realm (when there is one and it may get credentials). */
  realmDecision?: CredentialDecision;
}

/** TLS options for a request to `url` under a decision (verification off only for a configured skip_verify host). */
function tlsFor(ctx: LoginContext, d: CredentialDecision, url: string): HttpRequest['tls'] {
  const u = new URL(url);
  const sameOrigin = u.origin === new URL(ctx.endpoint).origin;
  const hostname = u.hostname.replace(/^\[|\]$/g, '');
  const base = {
    ...ctx.tls,
    servername: isIP(hostname) ? undefined : hostname,
    ...(sameOrigin ? {} : { cert: undefined, key: undefined }),
  };
  return d.send && !d.verifyTls ? { ...base, rejectUnauthorized: false } : { ...base, rejectUnauthorized: true };
}

function request(
  ctx: LoginContext,
  url: string,
  method: HttpRequest['method'],
  headers: Record<string, string> = {},
  body?: string,
  decision: CredentialDecision = decideEndpoint(ctx.endpointState),
): Promise<HttpResult> {
  return ctx.http.request({
    url,
    method,
    headers: { 'User-Agent': 'containerd/regdoctor', ...(ctx.headers ?? {}), ...headers },
    body,
    timeoutMs: ctx.timeoutMs,
    signal: ctx.signal,
    tls: tlsFor(ctx, decision, url),
    maxBodyBytes: 256 * 1024,
    proxy: ctx.proxy,
  });
}

/** A detail: English text and the catalogue message it is. */
function said<K extends MessageKey>(key: K, ...params: ParamsOf<K>): { detail: string; detailMessage: Message } {
  return { detail: textIn('en', key, ...params), detailMessage: msg(key, ...params) };
}

/** Why a request failed: a message for a TLS verification failure, else the adapter's own `kind: message`. */
function failureOf(r: Extract<HttpResult, { ok: false }>): string | Message {
  return r.error.kind === 'tls' ? msg('probe.login.tlsFailed', { error: r.error.message }) : `${r.error.kind}: ${r.error.message}`;
}

function failure(r: Extract<HttpResult, { ok: false }>): string {
  const f = failureOf(r);
  return typeof f === 'string' ? f : messageIn('en', f);
}

/** The detail for a failed request (a message when the failure is one). */
function failed(r: Extract<HttpResult, { ok: false }>): { detail: string; detailMessage?: Message } {
  const f = failureOf(r);
  return typeof f === 'string' ? { detail: f } : { detail: messageIn('en', f), detailMessage: f };
}

/** Anonymous look: does this image need credentials, and how does the registry want them? */
export async function probeRegistryAuth(ctx: LoginContext): Promise<AuthProbeResult> {
  const endpoint = decideEndpoint(ctx.endpointState);
  // A host containerd would not talk to (or that regdoctor cannot verify as containerd would) is not talked to here.
  if (!endpoint.send)
    return {
      probe: { authRequired: undefined, ...said('probe.login.notSent', { reason: endpoint.reasonMessage }) },
      blocked: endpoint.reason,
      withheld: endpoint,
    };
  const ping = await request(ctx, `${ctx.endpoint}/`, 'GET');
  if (!ping.ok) return { probe: { authRequired: undefined, ...failed(ping) }, blocked: failure(ping) };
  const p = readPing(ping);
  const challenge = p.challenges.find((c) => c.scheme === 'bearer') ?? p.challenges.find((c) => c.scheme === 'basic');
  const realm = realmInfo(challenge, ctx.endpoint);
  if (realm) {
    // the credentials stay here: probe anonymously and say which rule kept them back
    const withheldAt = (w: Extract<CredentialDecision, { send: false }>) => ({
      probe: {
        authRequired: p.status === 401 ? true : undefined,
        scheme: 'bearer',
        realmHost: realm.host,
        ...said('probe.login.notSent', { reason: w.reasonMessage }),
      },
      challenge,
      realm,
      withheld: w,
      realmDecision: w,
    });
    const state = await ctx.examineRealm(realm.url);
    const d = decideRealm(ctx.endpointState, state);
    if (!d.send) return withheldAt(d);
    // The realm host gets the credentials too: it must pass verification on its own.
    const t = await request(ctx, tokenUrl(realm, ctx.image.path), 'GET', {}, undefined, d);
    if (!t.ok)
      return {
        probe: {
          authRequired: true,
          scheme: 'bearer',
          realmHost: realm.host,
          ...said('probe.login.realmFailed', { host: realm.host, error: failureOf(t) }),
        },
        challenge,
        realm,
        blocked: `token realm ${realm.host}: ${failure(t)}`,
      };
    if (t.response.status >= 300 && t.response.status < 400) {
      const w = redirectWithheld(
        msg('probe.what.tokenRealm', { host: realm.host }),
        t.response.status,
        sanitizeLine(headerOne(t, 'location') ?? '(no Location)'),
      ) as Extract<CredentialDecision, { send: false }>;
      return withheldAt(w);
    }
    if (t.response.status === 200) {
      const token = tokenFrom(t);
      const m = await request(ctx, manifestUrl(ctx.endpoint, ctx.image), 'HEAD', {
        Accept: MANIFEST_ACCEPT,
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
      });
      const anon = m.ok && m.response.status < 300;
      return {
        probe: {
          authRequired: m.ok ? m.response.status === 401 || m.response.status === 403 : undefined,
          scheme: 'bearer',
          realmHost: realm.host,
          ...(anon
            ? said('probe.login.anonymousAllowed')
            : said('probe.login.anonymousToken', { status: m.ok ? m.response.status : failureOf(m) })),
        },
        challenge,
        realm,
        realmDecision: d,
      };
    }
    return {
      probe: {
        authRequired: true,
        scheme: 'bearer',
        realmHost: realm.host,
        ...said('probe.login.tokenAnswered', { status: t.response.status }),
      },
      challenge,
      realm,
      realmDecision: d,
    };
  }
  if (p.status === 401)
    return {
      probe: {
        authRequired: true,
        scheme: challenge?.scheme,
        realmHost: undefined,
        ...(challenge ? said('probe.login.v2AnsweredScheme', { scheme: challenge.scheme }) : said('probe.login.v2Answered')),
      },
      challenge,
    };
  const m = await request(ctx, manifestUrl(ctx.endpoint, ctx.image), 'HEAD', { Accept: MANIFEST_ACCEPT });
  if (!m.ok) return { probe: { authRequired: undefined, ...failed(m) }, blocked: failure(m) };
  const needs = m.response.status === 401 || m.response.status === 403;
  return {
    probe: { authRequired: needs, scheme: challenge?.scheme, ...said('probe.login.manifestAnon', { status: m.response.status }) },
    challenge,
  };
}

function headerOne(r: Extract<HttpResult, { ok: true }>, name: string): string | undefined {
  const v = r.response.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function redirected(r: HttpResult): number | undefined {
  return r.ok && r.response.status >= 300 && r.response.status < 400 ? r.response.status : undefined;
}

function tokenFrom(r: Extract<HttpResult, { ok: true }>): string | undefined {
  try {
    const doc = JSON.parse(r.response.body.toString('utf8')) as { token?: string; access_token?: string };
    return doc.access_token ?? doc.token;
  } catch {
    return undefined;
  }
}

export interface Credential {
  username?: string;
  password?: string;
  identityToken?: string;
}

/** Tries one credential. */
export async function testCredential(ctx: LoginContext, auth: AuthProbeResult, cred: Credential): Promise<CredentialTest> {
  if (auth.withheld) return { outcome: 'not-tested', ...said('probe.login.notSent', { reason: auth.withheld.reasonMessage }) };
  if (auth.blocked) return { outcome: 'not-tested', ...said('probe.login.notSent', { reason: auth.probe.detailMessage ?? auth.blocked }) };
  const basic =
    cred.username !== undefined ? `Basic ${Buffer.from(`${cred.username}:${cred.password ?? ''}`).toString('base64')}` : undefined;
  const realm = auth.realm;
  const mUrl = manifestUrl(ctx.endpoint, ctx.image);
  if (realm) {
    const d = auth.realmDecision ?? withheld('realm-unverified', 'probe.policy.realmNotExamined', { host: realm.host });
    if (!d.send) return { outcome: 'not-tested', ...said('probe.login.notSent', { reason: d.reasonMessage }) };
    const secret = cred.identityToken ?? cred.password;
    let token: string | undefined;
    let lastStatus = 0;
    let how = '';
    if (secret) {
      // containerd: OAuth2 POST (refresh_token for identity tokens, password grant otherwise)...
      const form = new URLSearchParams();
      if (cred.identityToken || !cred.username) {
        form.set('grant_type', 'refresh_token');
        form.set('refresh_token', secret);
      } else {
        form.set('grant_type', 'password');
        form.set('username', cred.username);
        form.set('password', secret);
      }
      form.set('client_id', 'containerd-client');
      form.set('scope', `repository:${ctx.image.path}:pull`);
      if (realm.service) form.set('service', realm.service);
      const post = await request(
        ctx,
        realm.url,
        'POST',
        { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
        form.toString(),
        d,
      );
      if (!post.ok) return { outcome: 'not-tested', ...said('probe.login.realmFailed', { host: realm.host, error: failureOf(post) }) };
      if (redirected(post))
        return {
          outcome: 'not-tested',
          ...said('probe.login.notFollowed', { host: realm.host, status: post.response.status }),
        };
      lastStatus = post.response.status;
      how = `POST ${realm.url}: ${lastStatus}`;
      if (lastStatus === 200) token = tokenFrom(post);
      // ...falling back to GET with Basic when the realm does not support POST (404, 405, 401, 400).
      const fallback = [400, 401, 404, 405].includes(lastStatus) && !(lastStatus === 405 && !cred.username);
      if (!token && fallback && basic) {
        const get = await request(ctx, tokenUrl(realm, ctx.image.path), 'GET', { Authorization: basic }, undefined, d);
        if (!get.ok) return { outcome: 'not-tested', ...said('probe.login.realmFailed', { host: realm.host, error: failureOf(get) }) };
        if (redirected(get))
          return {
            outcome: 'not-tested',
            ...said('probe.login.notFollowed', { host: realm.host, status: get.response.status }),
          };
        lastStatus = get.response.status;
        how += `, GET with Basic: ${lastStatus}`;
        if (lastStatus === 200) token = tokenFrom(get);
      }
    } else if (basic) {
      const get = await request(ctx, tokenUrl(realm, ctx.image.path), 'GET', { Authorization: basic }, undefined, d);
      if (!get.ok) return { outcome: 'not-tested', ...said('probe.login.realmFailed', { host: realm.host, error: failureOf(get) }) };
      if (redirected(get))
        return {
          outcome: 'not-tested',
          ...said('probe.login.notFollowed', { host: realm.host, status: get.response.status }),
        };
      lastStatus = get.response.status;
      how = `GET ${realm.host} with Basic: ${lastStatus}`;
      if (lastStatus === 200) token = tokenFrom(get);
    } else {
      return { outcome: 'not-tested', ...said('probe.login.noSecret') };
    }
    if (!token) {
      if (lastStatus === 401 || lastStatus === 403)
        return {
          outcome: 'rejected',
          via: 'token',
          status: lastStatus,
          realmHost: realm.host,
          ...said('probe.login.realmRejected', { host: realm.host, status: lastStatus, how }),
        };
      return { outcome: 'not-tested', ...said('probe.login.realmNoToken', { host: realm.host, how: how || msg('probe.login.noToken') }) };
    }
    const m = await request(ctx, mUrl, 'HEAD', { Accept: MANIFEST_ACCEPT, Authorization: `Bearer ${token}` });
    if (!m.ok) return { outcome: 'not-tested', ...said('probe.login.manifestFailed', { error: failureOf(m) }) };
    if (m.response.status === 401 || m.response.status === 403)
      return {
        outcome: 'rejected',
        via: 'token',
        status: m.response.status,
        realmHost: realm.host,
        ...said('probe.login.noPullAccess', { host: realm.host, status: m.response.status, path: ctx.image.path }),
      };
    return {
      outcome: 'accepted',
      via: 'token',
      realmHost: realm.host,
      ...said('probe.login.tokenAccepted', { host: realm.host, status: m.response.status }),
    };
  }
  if (!basic) return { outcome: 'not-tested', ...said('probe.login.basicNoUser') };
  const m = await request(ctx, mUrl, 'HEAD', { Accept: MANIFEST_ACCEPT, Authorization: basic });
  if (!m.ok) return { outcome: 'not-tested', ...said('probe.login.manifestFailed', { error: failureOf(m) }) };
  if (m.response.status === 401 || m.response.status === 403)
    return {
      outcome: 'rejected',
      via: 'basic',
      status: m.response.status,
      ...said('probe.login.basicAnswered', { status: m.response.status }),
    };
  return { outcome: 'accepted', via: 'basic', ...said('probe.login.basicAnswered', { status: m.response.status }) };
}
