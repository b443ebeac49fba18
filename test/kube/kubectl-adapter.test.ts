// The real kubectl against the test API server: objects, lists with paging, RBAC 403s, 404s, bad credentials,
// unreachable contexts, TLS failures and a PATH without kubectl.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, mkdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { startKubeServer, type KubeServer } from '../kube-server/server.js';
import { KubectlAdapter } from '../../src/adapters/kube.js';
import { describeKubeError } from '../../src/adapters/kubectl/errors.js';

let server: KubeServer;
let dir: string;
let kubeconfig: string;
let env: Record<string, string | undefined>;

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'regdoctor-kube-'));
  server = await startKubeServer({
    forbid: [
      { verb: 'get', resource: 'secrets', namespace: 'locked' },
      { verb: 'list', resource: 'events', namespace: 'locked' },
    ],
  });
  server.add('pods', {
    metadata: { name: 'web', namespace: 'shop' },
    spec: { containers: [{ name: 'app', image: 'reg.test:5000/shop/web:1' }] },
  });
  for (let i = 0; i < 23; i++)
    server.add('events', {
      metadata: { name: `web.${i}`, namespace: 'shop' },
      type: i % 2 ? 'Warning' : 'Normal',
      reason: 'Failed',
      message: `m${i}`,
      involvedObject: { kind: 'Pod', name: 'web', namespace: 'shop' },
    });
  server.add('secrets', { metadata: { name: 'pull', namespace: 'locked' }, type: 'kubernetes.io/dockerconfigjson', data: {} });
  server.add('nodes', { metadata: { name: 'node-1' } });
  kubeconfig = server.writeKubeconfig(dir, { namespace: 'shop', unreachablePort: await closedPort() });
  env = { ...process.env, HOME: dir, KUBECONFIG: undefined };
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const adapter = (o: Partial<ConstructorParameters<typeof KubectlAdapter>[0]> = {}) =>
  new KubectlAdapter({ kubeconfig, env, requestTimeoutMs: 5_000, ...o });

describe('KubectlAdapter with the real kubectl', () => {
  it('reads one object by name in the context namespace and honours -n', async () => {
    const r = await adapter().get<{ spec: { containers: { image: string }[] } }>('pods', 'web');
    expect(r.ok && r.value.spec.containers[0]!.image).toBe('reg.test:5000/shop/web:1');
    const ns = await adapter().namespace();
    expect(ns).toEqual({ ok: true, value: 'shop' });
    expect(await adapter({ namespace: 'other' }).namespace()).toEqual({ ok: true, value: 'other' });
    const nodes = await adapter().get<{ metadata: { name: string } }>('nodes', 'node-1');
    expect(nodes.ok && nodes.value.metadata.name).toBe('node-1');
  });

  it('pages through a list with limit/continue and a field selector', async () => {
    const before = server.requests.length;
    const names: string[] = [];
    const r = await adapter().list<{ metadata: { name: string } }>('events', { chunkSize: 5, fieldSelector: 'type=Warning' }, (e) =>
      names.push(e.metadata.name),
    );
    expect(r).toEqual({ ok: true, value: expect.objectContaining({ items: 11, pages: 3 }) });
    expect(names).toEqual(Array.from({ length: 11 }, (_, k) => `web.${2 * k + 1}`));
    const calls = server.requests.slice(before).filter((q) => q.path === '/api/v1/namespaces/shop/events');
    expect(calls.map((c) => c.query.limit)).toEqual(['5', '5', '5']);
    expect(calls.filter((c) => c.query.continue).length).toBe(2);
    expect(calls.every((c) => c.query.fieldSelector === 'type=Warning')).toBe(true);
    // First page through `kubectl get --raw`, the rest through one `kubectl proxy` (which forwards our Accept).
    expect(calls.map((c) => c.accept)).toEqual(['application/json, */*', 'application/json', 'application/json']);
  });

  it('lists across all namespaces', async () => {
    let n = 0;
    const r = await adapter().list('events', { allNamespaces: true, chunkSize: 500 }, () => n++);
    expect(r.ok).toBe(true);
    expect(n).toBe(23);
    expect(server.requests.at(-1)!.path).toBe('/api/v1/events');
  });

  it('getJson runs `kubectl get -o json` (discovery and all)', async () => {
    const r = await adapter().getJson<{ items: unknown[] }>('events', undefined, { namespace: 'shop', chunkSize: 10 });
    expect(r.ok && r.value.items.length).toBe(23);
  });

  it('names the verb and resource RBAC denied', async () => {
    const r = await adapter().get('secrets', 'pull', { namespace: 'locked' });
    expect(r).toMatchObject({ ok: false, error: 'forbidden', verb: 'get', resource: 'secrets', namespace: 'locked', name: 'pull' });
    if (!r.ok)
      expect(describeKubeError(r)).toBe(
        'RBAC forbids "get" on "secrets" in namespace "locked" for system:serviceaccount:default:regdoctor',
      );
    const l = await adapter().list('events', { namespace: 'locked' }, () => {});
    expect(l).toMatchObject({ ok: false, error: 'forbidden', verb: 'list', resource: 'events', namespace: 'locked' });
  });

  it('reports not found', async () => {
    const r = await adapter().get('pods', 'nope');
    expect(r).toMatchObject({ ok: false, error: 'not-found', resource: 'pods', name: 'nope' });
  });

  it('reports rejected credentials, an unreachable server and an untrusted server certificate', async () => {
    expect(await adapter({ context: 'wrong-token' }).get('pods', 'web', { namespace: 'shop' })).toMatchObject({
      ok: false,
      error: 'unauthorized',
    });
    const u = await adapter({ context: 'unreachable' }).list('pods', { namespace: 'shop' }, () => {});
    expect(u).toMatchObject({ ok: false, error: 'unreachable', detail: 'refused' });
    const t = await adapter({ context: 'bad-ca' }).get('pods', 'web', { namespace: 'shop' });
    expect(t).toMatchObject({ ok: false, error: 'unreachable', detail: 'tls' });
    if (!t.ok) expect(t.message).toMatch(/x509: certificate signed by unknown authority/);
    expect(await adapter({ context: 'does-not-exist' }).get('pods', 'web', { namespace: 'shop' })).toMatchObject({
      ok: false,
      error: 'invalid',
    });
  });

  it('reports a missing kubectl (PATH without it)', async () => {
    const bin = join(dir, 'bin');
    mkdirSync(bin, { recursive: true });
    symlinkSync(process.execPath, join(bin, 'node'));
    const r = await adapter({ env: { ...env, PATH: bin } }).get('pods', 'web', { namespace: 'shop' });
    expect(r).toMatchObject({ ok: false, error: 'missing-kubectl' });
  });

  it('cancels a running list when the signal aborts', async () => {
    const slow = await startKubeServer({ delayMs: 3_000 });
    try {
      const kc = slow.writeKubeconfig(join(dir, 'slow'));
      const ac = new AbortController();
      const started = Date.now();
      setTimeout(() => ac.abort(), 300);
      const r = await new KubectlAdapter({ kubeconfig: kc, env, namespace: 'default' }).list('pods', { signal: ac.signal }, () => {});
      expect(r).toMatchObject({ ok: false });
      expect(Date.now() - started).toBeLessThan(2_500);
    } finally {
      await slow.close();
    }
  });
});
