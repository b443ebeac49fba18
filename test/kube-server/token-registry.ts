// A registry that uses Docker token auth with its token service on ANOTHER host (its own HTTPS server and name),
// or Basic auth, for the pull-secrets tests. Users are checked on the token service (OAuth2 POST and GET with Basic)
// and per repository; anonymous tokens carry no access. Loopback only.
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { IssuedCert } from '../../src/x509/build.js';

export interface TokenRegistryOptions {
  /** Certificate for the registry host and for the token host (may be the same). */
  registryCert: IssuedCert;
  authCert: IssuedCert;
  /** Name the realm URL uses for the token service (resolved to 127.0.0.1 through the adapters' hosts map). */
  authHost: string;
  users: Record<string, { password: string; repos: string[] }>;
  /** repo → tags */
  repos: Record<string, string[]>;
  /** Repos pullable anonymously. */
  publicRepos?: string[];
  /** 'bearer' (default) or 'basic'. */
  scheme?: 'bearer' | 'basic';
  /** Token service answers POST with 404 (like older GCR), forcing the GET-with-Basic fallback. */
  noPost?: boolean;
}

export interface TokenRegistry {
  port: number;
  authPort: number;
  log: string[];
  close(): Promise<void>;
}

async function listen(server: https.Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let b = '';
    req.on('data', (d: Buffer) => {
      if (b.length < 65536) b += d.toString('utf8');
    });
    req.on('end', () => resolve(b));
  });
}

export async function startTokenRegistry(o: TokenRegistryOptions): Promise<TokenRegistry> {
  const tokens = new Map<string, { user?: string; scope: string }>();
  const log: string[] = [];
  const scheme = o.scheme ?? 'bearer';
  let authPort = 0;
  const canPull = (user: string | undefined, repo: string) =>
    (o.publicRepos ?? []).includes(repo) || (user !== undefined && o.users[user]?.repos.includes(repo));
  const checkBasic = (h: string | undefined): string | undefined | false => {
    if (!h) return undefined;
    const m = h.match(/^Basic (.+)$/);
    if (!m) return false;
    const d = Buffer.from(m[1]!, 'base64').toString('utf8');
    const i = d.indexOf(':');
    const u = d.slice(0, i);
    return o.users[u]?.password === d.slice(i + 1) ? u : false;
  };
  const json = (res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(code, { 'Content-Type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

  const auth = https.createServer({ cert: o.authCert.certPem, key: o.authCert.keyPem }, async (req, res) => {
    const url = new URL(req.url ?? '/', 'https://x');
    log.push(`auth ${req.method} ${url.pathname}${req.headers.authorization ? ' (with credentials)' : ''}`);
    if (url.pathname !== '/token') return json(res, 404, { error: 'not found' });
    let user: string | undefined;
    let scope = url.searchParams.get('scope') ?? '';
    if (req.method === 'POST') {
      if (o.noPost) return json(res, 404, { error: 'not found' });
      const form = new URLSearchParams(await readBody(req));
      scope = form.get('scope') ?? '';
      if (form.get('grant_type') !== 'password') return json(res, 400, { error: 'unsupported_grant_type' });
      const u = form.get('username') ?? '';
      if (o.users[u]?.password !== form.get('password')) return json(res, 401, { error: 'invalid_grant' });
      user = u;
    } else {
      const b = checkBasic(req.headers.authorization);
      if (b === false) return json(res, 401, { details: 'incorrect username or password' });
      user = b;
    }
    const token = randomBytes(12).toString('hex');
    tokens.set(token, { user, scope });
    json(res, 200, { token, access_token: token, expires_in: 300 });
  });

  const registry = https.createServer({ cert: o.registryCert.certPem, key: o.registryCert.keyPem }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://x');
    log.push(`registry ${req.method} ${url.pathname}${req.headers.authorization ? ` (${req.headers.authorization.split(' ')[0]})` : ''}`);
    res.setHeader('Docker-Distribution-API-Version', 'registry/2.0');
    const m = url.pathname.match(/^\/v2\/(.+)\/manifests\/([^/]+)$/);
    const repo = m?.[1];
    let user: string | undefined;
    let authed = false;
    const h = req.headers.authorization;
    if (scheme === 'bearer' && h?.startsWith('Bearer ')) {
      const t = tokens.get(h.slice(7));
      if (t) {
        authed = true;
        user = t.user;
      }
    } else if (scheme === 'basic') {
      const b = checkBasic(h);
      if (b) {
        authed = true;
        user = b;
      }
    }
    const challenge =
      scheme === 'bearer'
        ? `Bearer realm="https://${o.authHost}:${authPort}/token",service="token-registry"${repo ? `,scope="repository:${repo}:pull"` : ''}`
        : 'Basic realm="token-registry"';
    if (url.pathname === '/v2/' || url.pathname === '/v2') {
      if (!authed)
        return json(
          res,
          401,
          { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] },
          { 'WWW-Authenticate': challenge },
        );
      return json(res, 200, {});
    }
    if (!repo) return json(res, 404, { errors: [{ code: 'NOT_FOUND', message: 'not found' }] });
    if (!canPull(authed ? user : undefined, repo) && !(o.publicRepos ?? []).includes(repo))
      return json(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }, { 'WWW-Authenticate': challenge });
    if (!o.repos[repo]?.includes(m![2]!)) return json(res, 404, { errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] });
    res.writeHead(200, {
      'Content-Type': 'application/vnd.oci.image.manifest.v1+json',
      'Docker-Content-Digest': `sha256:${'0'.repeat(64)}`,
    });
    res.end(req.method === 'HEAD' ? undefined : '{"schemaVersion":2}');
  });

  authPort = await listen(auth);
  const port = await listen(registry);
  return {
    port,
    authPort,
    log,
    close: async () => {
      for (const s of [auth, registry]) {
        s.closeAllConnections();
        await new Promise<void>((r) => s.close(() => r()));
      }
    },
  };
}
