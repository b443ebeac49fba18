// Tries pull credentials against a registry the way containerd's resolver authorises a pull: /v2/ challenge, then
// for Bearer the token realm (OAuth2 POST first, GET with Basic when the realm does not do POST), then a HEAD of
// the manifest with the token; for Basic the HEAD with Basic. Every request verifies TLS against the trust pool the
// node would use, so credentials are never sent to a server the node would not trust. Never logs secret values.
import type { HttpAdapter, HttpRequest, HttpResult } from '../adapters/http.js';
import type { ImageReference } from '../core/types.js';
import { MANIFEST_ACCEPT, readPing, realmInfo, tokenUrl, type RealmInfo } from '../probe/registry.js';
import { manifestUrl } from '../core/predict.js';
import type { Challenge } from '../probe/www-authenticate.js';
import type { CredentialTest, RegistryAuthProbe } from './pull-secrets.js';

export interface LoginContext {
  http: HttpAdapter;
  /** Endpoint base as containerd builds it: scheme://host[:port]/v2 */
  endpoint: string;
  image: ImageReference;
  /** TLS options with verification ON (rejectUnauthorized + the node's trust pool). */
  tls: HttpRequest['tls'];
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
}

function request(ctx: LoginContext, url: string, method: HttpRequest['method'], headers: Record<string, string> = {}, body?: string): Promise<HttpResult> {
  return ctx.http.request({
    url,
    method,
    headers: { 'User-Agent': 'containerd/regdoctor', ...(ctx.headers ?? {}), ...headers },
    body,
    timeoutMs: ctx.timeoutMs,
    signal: ctx.signal,
    tls: ctx.tls,
    maxBodyBytes: 256 * 1024,
    proxy: ctx.proxy,
  });
}

function failure(r: Extract<HttpResult, { ok: false }>): string {
  return r.error.kind === 'tls' ? `TLS verification failed (${r.error.message})` : `${r.error.kind}: ${r.error.message}`;
}

/** Anonymous look: does this image need credentials, and how does the registry want them? */
export async function probeRegistryAuth(ctx: LoginContext): Promise<AuthProbeResult> {
  const ping = await request(ctx, `${ctx.endpoint}/`, 'GET');
  if (!ping.ok) return { probe: { authRequired: undefined, detail: failure(ping) }, blocked: failure(ping) };
  const p = readPing(ping);
  const challenge = p.challenges.find((c) => c.scheme === 'bearer') ?? p.challenges.find((c) => c.scheme === 'basic');
  const realm = realmInfo(challenge, ctx.endpoint);
  if (realm && new URL(realm.url).protocol === 'https:') {
    // The realm host gets the credentials too: it must pass verification on its own.
    const t = await request(ctx, tokenUrl(realm, ctx.image.path), 'GET');
    if (!t.ok) return { probe: { authRequired: true, scheme: 'bearer', realmHost: realm.host, detail: `token realm ${realm.host}: ${failure(t)}` }, challenge, realm, blocked: `token realm ${realm.host}: ${failure(t)}` };
    if (t.response.status === 200) {
      const token = tokenFrom(t);
      const m = await request(ctx, manifestUrl(ctx.endpoint, ctx.image), 'HEAD', { Accept: MANIFEST_ACCEPT, ...(token ? { Authorization: `Bearer ${token}` } : {}) });
      const anon = m.ok && m.response.status < 300;
      return {
        probe: { authRequired: m.ok ? m.response.status === 401 || m.response.status === 403 : undefined, scheme: 'bearer', realmHost: realm.host, detail: anon ? 'anonymous pull allowed' : `anonymous token, manifest ${m.ok ? m.response.status : failure(m)}` },
        challenge,
        realm,
      };
    }
    return { probe: { authRequired: true, scheme: 'bearer', realmHost: realm.host, detail: `anonymous token request answered ${t.response.status}` }, challenge, realm };
  }
  if (p.status === 401) return { probe: { authRequired: true, scheme: challenge?.scheme, realmHost: realm?.host, detail: `/v2/ answered 401${challenge ? ` (${challenge.scheme})` : ''}` }, challenge, realm };
  const m = await request(ctx, manifestUrl(ctx.endpoint, ctx.image), 'HEAD', { Accept: MANIFEST_ACCEPT });
  if (!m.ok) return { probe: { authRequired: undefined, detail: failure(m) }, blocked: failure(m) };
  const needs = m.response.status === 401 || m.response.status === 403;
  return { probe: { authRequired: needs, scheme: challenge?.scheme, detail: needs ? `manifest answered ${m.response.status} without credentials` : `manifest answered ${m.response.status} without credentials` }, challenge, realm };
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
  if (auth.blocked) return { outcome: 'not-tested', detail: `credentials not sent: ${auth.blocked}` };
  const basic = cred.username !== undefined ? `Basic ${Buffer.from(`${cred.username}:${cred.password ?? ''}`).toString('base64')}` : undefined;
  const realm = auth.realm;
  const mUrl = manifestUrl(ctx.endpoint, ctx.image);
  if (realm) {
    if (new URL(realm.url).protocol !== 'https:') return { outcome: 'not-tested', detail: `credentials not sent: token realm ${realm.url} is plain HTTP` };
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
      const post = await request(ctx, realm.url, 'POST', { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' }, form.toString());
      if (!post.ok) return { outcome: 'not-tested', detail: `token realm ${realm.host}: ${failure(post)}` };
      lastStatus = post.response.status;
      how = `POST ${realm.url}: ${lastStatus}`;
      if (lastStatus === 200) token = tokenFrom(post);
      // ...falling back to GET with Basic when the realm does not support POST (404, 405, 401, 400).
      const fallback = [400, 401, 404, 405].includes(lastStatus) && !(lastStatus === 405 && !cred.username);
      if (!token && fallback && basic) {
        const get = await request(ctx, tokenUrl(realm, ctx.image.path), 'GET', { Authorization: basic });
        if (!get.ok) return { outcome: 'not-tested', detail: `token realm ${realm.host}: ${failure(get)}` };
        lastStatus = get.response.status;
        how += `, GET with Basic: ${lastStatus}`;
        if (lastStatus === 200) token = tokenFrom(get);
      }
    } else if (basic) {
      const get = await request(ctx, tokenUrl(realm, ctx.image.path), 'GET', { Authorization: basic });
      if (!get.ok) return { outcome: 'not-tested', detail: `token realm ${realm.host}: ${failure(get)}` };
      lastStatus = get.response.status;
      how = `GET ${realm.host} with Basic: ${lastStatus}`;
      if (lastStatus === 200) token = tokenFrom(get);
    } else {
      return { outcome: 'not-tested', detail: 'the entry has neither a password nor an identity token' };
    }
    if (!token) {
      if (lastStatus === 401 || lastStatus === 403)
        return { outcome: 'rejected', via: 'token', status: lastStatus, realmHost: realm.host, detail: `token service ${realm.host} answered ${lastStatus} (${how})` };
      return { outcome: 'not-tested', detail: `token service ${realm.host}: ${how || 'no token'}` };
    }
    const m = await request(ctx, mUrl, 'HEAD', { Accept: MANIFEST_ACCEPT, Authorization: `Bearer ${token}` });
    if (!m.ok) return { outcome: 'not-tested', detail: `HEAD manifest: ${failure(m)}` };
    if (m.response.status === 401 || m.response.status === 403)
      return { outcome: 'rejected', via: 'token', status: m.response.status, realmHost: realm.host, detail: `token issued by ${realm.host} but the manifest answered ${m.response.status}: the account has no pull access to ${ctx.image.path}` };
    return { outcome: 'accepted', via: 'token', realmHost: realm.host, detail: `token from ${realm.host}, manifest ${m.response.status}` };
  }
  if (!basic) return { outcome: 'not-tested', detail: 'the registry uses Basic auth and the entry has no username' };
  const m = await request(ctx, mUrl, 'HEAD', { Accept: MANIFEST_ACCEPT, Authorization: basic });
  if (!m.ok) return { outcome: 'not-tested', detail: `HEAD manifest: ${failure(m)}` };
  if (m.response.status === 401 || m.response.status === 403)
    return { outcome: 'rejected', via: 'basic', status: m.response.status, detail: `HEAD manifest with Basic credentials answered ${m.response.status}` };
  return { outcome: 'accepted', via: 'basic', detail: `HEAD manifest with Basic credentials answered ${m.response.status}` };
}
