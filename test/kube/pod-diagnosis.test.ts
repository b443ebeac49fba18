// Pod diagnosis against the test API server through the real kubectl: one pod per failure cause (containerd 1.6/1.7
// with Go 1.19 and 1.20+ wordings, CRI-O, Docker), statuses in the old and the 1.32+ back-off form, expired events,
// a token realm on another host, a pull secret keyed without the registry's port.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKubeServer, type KubeServer } from '../kube-server/server.js';
import { populateBrokenCluster, type Scenario } from '../kube-server/broken-cluster.js';
import { KubectlAdapter } from '../../src/adapters/kube.js';
import { diagnosePod } from '../../src/kube/pod-diagnosis.js';
import { runInProcess } from './inproc-cli.js';

let server: KubeServer;
let dir: string;
let kube: KubectlAdapter;
let all: Scenario[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'regdoctor-pod-'));
  server = await startKubeServer({ forbid: [{ verb: 'list', resource: 'events', namespace: 'restricted' }] });
  all = populateBrokenCluster(server);
  server.add('pods', {
    metadata: { name: 'quiet', namespace: 'restricted', uid: 'q-1' },
    spec: { nodeName: 'node-a', containers: [{ name: 'app', image: 'reg.corp.test:5000/shop/web:1' }] },
    status: {
      containerStatuses: [
        {
          name: 'app',
          image: 'reg.corp.test:5000/shop/web:1',
          state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "reg.corp.test:5000/shop/web:1"' } },
        },
      ],
    },
  });
  kube = new KubectlAdapter({ kubeconfig: server.writeKubeconfig(dir), env: { ...process.env, HOME: dir, KUBECONFIG: undefined } });
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('diagnosePod', () => {
  it('names the right cause and failing host for every scenario (≥ 10 distinct causes)', async () => {
    const got: { pod: string; code: string; host?: string; role?: string }[] = [];
    for (const sc of all) {
      const r = await diagnosePod({ kube, name: sc.pod, namespace: sc.namespace });
      if (!r.ok) throw new Error(`${sc.pod}: ${r.message}`);
      expect(r.value.failing, sc.pod).toHaveLength(1);
      const f = r.value.failing[0]!;
      got.push({ pod: sc.pod, code: f.code, host: f.host, role: f.hostRole });
    }
    expect(got).toEqual(
      all.map((sc) => ({ pod: sc.pod, code: sc.expect.code, host: sc.expect.host, role: sc.expect.hostRole ?? expect.any(String) })),
    );
    expect(new Set(got.map((g) => g.code)).size).toBeGreaterThanOrEqual(10);
  });

  it('a pull secret keyed without the port: credentials-mismatch, decided by the secret analysis', async () => {
    const r = await diagnosePod({ kube, name: 'wrong-port', namespace: 'shop' });
    if (!r.ok) throw new Error(r.message);
    const f = r.value.failing[0]!;
    expect(f.classification.code).toBe('credentials-missing');
    expect(f).toMatchObject({ code: 'credentials-mismatch', refinedBy: 'pull-secrets', host: 'reg.corp.test:5000', hostRole: 'registry' });
    expect(f.failingUrl).toMatch(/^https:\/\/auth\.corp\.test:8443\/token\?/);
    expect(f.summary).toContain('entry "reg.corp.test" has no port but the image uses port 5000');
    expect(f.pullSecrets).toMatchObject({ source: 'pod', secrets: ['regcred-noport'], matching: [] });
    expect(JSON.stringify(r.value)).not.toContain('not-the-password');
  });

  it('token realm on another host: the live targets are the image and the realm host', async () => {
    const r = await diagnosePod({ kube, name: 'realm-ip', namespace: 'shop' });
    if (!r.ok) throw new Error(r.message);
    const f = r.value.failing[0]!;
    expect(f.targets.map((t) => [t.kind, t.input])).toEqual([
      ['image', 'harbor.corp.test/shop/api:5'],
      ['registry', '10.20.0.7:8443'],
    ]);
    expect(f.failingUrl).toMatch(/^https:\/\/10\.20\.0\.7:8443\/service\/token\?/);
  });

  it('uses the events when present, else the 1.32+ back-off status; parses the events', async () => {
    const a = await diagnosePod({ kube, name: 'untrusted', namespace: 'shop' });
    if (!a.ok) throw new Error(a.message);
    const f = a.value.failing[0]!;
    expect(f).toMatchObject({
      errorSource: 'event',
      waitingReason: 'ImagePullBackOff',
      image: 'reg.corp.test:5000/shop/web:1',
      container: 'app',
    });
    expect(f.runtimeError).toMatch(/^rpc error: code = Unknown desc = failed to pull and unpack image/);
    expect(f.events.map((e) => e.kind).sort()).toEqual(['back-off', 'container-error', 'container-error', 'pull-failed', 'pulling']);
    const b = await diagnosePod({ kube, name: 'hostname', namespace: 'shop' });
    if (!b.ok) throw new Error(b.message);
    expect(b.value.failing[0]).toMatchObject({ errorSource: 'status', code: 'hostname-mismatch', events: [] });
  });

  it('init containers, healthy pods, missing secrets', async () => {
    const i = await diagnosePod({ kube, name: 'init-untrusted', namespace: 'shop' });
    if (!i.ok) throw new Error(i.message);
    expect(i.value.failing[0]).toMatchObject({ container: 'migrate', kind: 'initContainer', code: 'untrusted-ca' });
    expect(i.value.ok).toEqual(['main']);
    const h = await diagnosePod({ kube, name: 'healthy', namespace: 'shop' });
    expect(h.ok && h.value.failing).toEqual([]);
    const m = await diagnosePod({ kube, name: 'missing-secret', namespace: 'shop' });
    if (!m.ok) throw new Error(m.message);
    expect(m.value.failing[0]!.missingSecrets).toEqual(['regcred-typo']);
    expect(m.value.failing[0]!.summary).toMatch(/Pull secret "regcred-typo" does not exist in namespace shop/);
  });

  it('events forbidden: falls back to the status and says so; pod not found is a typed error', async () => {
    const q = await diagnosePod({ kube, name: 'quiet', namespace: 'restricted' });
    if (!q.ok) throw new Error(q.message);
    expect(q.value.notes.join('\n')).toMatch(
      /^kube-access: events could not be read: events of pod restricted\/quiet: RBAC forbids "list" on "events" in namespace "restricted".* — the cause comes from the pod status only$/m,
    );
    expect(q.value.access).toEqual([
      expect.objectContaining({ code: 'kube-access', resource: 'events', kind: 'forbidden', verb: 'list', namespace: 'restricted' }),
    ]);
    expect(q.value.failing[0]).toMatchObject({ code: 'unknown' });
    const nf = await diagnosePod({ kube, name: 'nope', namespace: 'shop' });
    expect(nf).toMatchObject({ ok: false, error: 'not-found' });
  });
});

describe('acceptance: `regdoctor diagnose pod/<name>` (CLI entry in process, real kubectl) names the cause for every scenario', () => {
  it(
    '≥ 10 distinct causes, including a token realm on another host and a pull secret keyed with the wrong port',
    { timeout: 120_000 },
    async () => {
      const kc = server.writeKubeconfig(join(dir, 'cli'));
      const cli = (argv: string[]) => runInProcess(argv, { HOME: dir });
      const got: { pod: string; code: string; host?: string }[] = [];
      for (const sc of all) {
        const r = await cli(['diagnose', `pod/${sc.pod}`, '-n', sc.namespace, '--kubeconfig', kc, '--json']);
        expect(r.code, `${sc.pod}: ${r.stderr}`).toBe(1);
        const c = JSON.parse(r.stdout).containers[0];
        got.push({ pod: sc.pod, code: c.code, host: c.host });
      }
      expect(got).toEqual(all.map((sc) => ({ pod: sc.pod, code: sc.expect.code, host: sc.expect.host })));
      expect(new Set(got.map((g) => g.code)).size).toBeGreaterThanOrEqual(10);
      expect(got.find((g) => g.pod === 'realm-ip')).toEqual({ pod: 'realm-ip', code: 'ip-san-missing', host: '10.20.0.7:8443' });
      expect(got.find((g) => g.pod === 'wrong-port')?.code).toBe('credentials-mismatch');
      const text = await cli(['diagnose', 'pod/wrong-port', '-n', 'shop', '--kubeconfig', kc]);
      expect(text.stdout).toMatch(/✗ app: credentials-mismatch/);
      expect(text.stdout).toContain('entry "reg.corp.test" has no port but the image uses port 5000');
    },
  );
});
