// Cluster scan through the real kubectl against the test API server: grouping by failing host and cause, paging,
// RBAC fallbacks, and the CLI (`regdoctor scan`, text and --json) run from the built bin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKubeServer, type KubeServer } from '../kube-server/server.js';
import { event, populateBrokenCluster } from '../kube-server/broken-cluster.js';
import { KubectlAdapter } from '../../src/adapters/kube.js';
import { scanCluster, ScanAccessError } from '../../src/kube/scan.js';
import { loadClassifier } from '../../src/kube/classifier.js';
import { runCli } from '../helpers/cli.js';
import { runInProcess } from './inproc-cli.js';

let server: KubeServer;
let dir: string;
let kubeconfig: string;
let env: Record<string, string | undefined>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'regdoctor-scan-'));
  server = await startKubeServer({
    forbid: [
      { verb: 'list', resource: 'events', namespace: 'web' },
      { verb: 'list', resource: 'pods', namespace: 'secret-ns' },
    ],
  });
  populateBrokenCluster(server);
  // Noise: healthy pods and unrelated events.
  for (let i = 0; i < 40; i++) {
    server.add('pods', {
      metadata: { name: `ok-${i}`, namespace: 'shop', uid: `ok-${i}` },
      spec: { nodeName: 'node-a', containers: [{ name: 'c', image: 'reg.corp.test:5000/shop/ok:1' }] },
      status: { containerStatuses: [{ name: 'c', state: { running: {} } }] },
    });
    server.add(
      'events',
      event(
        'shop',
        `ok-${i}`,
        `ok-${i}`,
        'node-a',
        'Pulled',
        'Normal',
        'Container image "reg.corp.test:5000/shop/ok:1" already present on machine',
        { container: 'c' },
      ),
    );
  }
  // A stale event for a previous pod with the same name (different UID) must not be used.
  server.add(
    'events',
    event(
      'shop',
      'untrusted',
      'old-uid',
      'node-z',
      'Failed',
      'Warning',
      'Failed to pull image "reg.corp.test:5000/shop/web:1": rpc error: code = Unknown desc = dial tcp 10.0.0.1:5000: connect: connection refused',
      { container: 'app', last: '2025-03-01T11:59:00Z' },
    ),
  );
  kubeconfig = server.writeKubeconfig(dir);
  env = { ...process.env, HOME: dir, KUBECONFIG: undefined };
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const kube = () => new KubectlAdapter({ kubeconfig, env });

describe('scanCluster', () => {
  it('groups failing pods by failing host and cause across all namespaces, paging through small chunks', async () => {
    const before = server.requests.length;
    const r = await scanCluster({ kube: kube(), allNamespaces: true, chunkSize: 7, classify: await loadClassifier() });
    expect(r.failingPods).toBe(20);
    expect(r.failingContainers).toBe(20);
    expect(r.podsScanned).toBe(20 + 1 + 40);
    expect(r.pages.pods).toBe(Math.ceil(61 / 7));
    expect(r.pages.events).toBeGreaterThan(10);
    const byKey = Object.fromEntries(r.groups.map((g) => [`${g.code}@${g.host}`, g]));
    const untrusted = byKey['untrusted-ca@reg.corp.test:5000']!;
    expect(untrusted).toMatchObject({ pods: 3, containers: 3, nodeCount: 2, namespaces: ['shop'] });
    expect(untrusted.examples.sort()).toEqual(['shop/crio-untrusted', 'shop/init-untrusted', 'shop/untrusted']);
    expect(untrusted.nodes.sort()).toEqual(['node-a', 'node-crio']);
    expect(untrusted.fix.length).toBeGreaterThan(20);
    expect(byKey['plain-http-registry@insecure.corp.test:5000']).toMatchObject({ pods: 2, nodeCount: 2 });
    expect(byKey['ip-san-missing@10.20.0.7:8443']).toMatchObject({
      hostRole: 'token-realm',
      pods: 1,
      images: ['harbor.corp.test/shop/api:5'],
    });
    expect(byKey['timeout@prod-us-east-1-starport-layer-bucket.s3.us-east-1.amazonaws.com']).toMatchObject({ hostRole: 'blob-storage' });
    expect(byKey['hostname-mismatch@reg.corp.test:5000']).toBeDefined(); // from the 1.32+ status, no events
    expect(byKey['connection-refused@reg.corp.test:5000']).toBeUndefined(); // the stale event of the old pod
    expect(r.groups[0]!.pods).toBeGreaterThanOrEqual(r.groups.at(-1)!.pods);
    const calls = server.requests.slice(before);
    expect(
      calls.some((c) => c.path === '/api/v1/events' && c.query.fieldSelector === 'involvedObject.kind=Pod' && c.query.limit === '7'),
    ).toBe(true);
  });

  it('one namespace; events forbidden → statuses only, with a warning', async () => {
    const r = await scanCluster({ kube: kube(), namespace: 'web', classify: await loadClassifier() });
    expect(r.scope).toEqual({ namespace: 'web', allNamespaces: false });
    expect(r.failingPods).toBe(2);
    expect(r.warnings.join()).toMatch(/RBAC forbids "list" on "events" in namespace "web"/);
    // platform-mismatch is in the ErrImagePull status; the rate-limited pod is in back-off (old wording) and unknown.
    expect(r.groups.map((g) => g.code).sort()).toEqual(['platform-mismatch', 'unknown']);
  });

  it('pods forbidden → a typed access error', async () => {
    await expect(scanCluster({ kube: kube(), namespace: 'secret-ns', classify: await loadClassifier() })).rejects.toBeInstanceOf(
      ScanAccessError,
    );
  });
});

describe('regdoctor scan (CLI)', () => {
  it('text output from the built bin, exit 1 when pods fail', async () => {
    const r = await runCli(['scan', '-A', '--kubeconfig', kubeconfig, '--chunk-size', '50'], { env: { HOME: dir } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/all namespaces: 61 pods, \d+ events read/);
    expect(r.stdout).toMatch(/20 pods failing to pull \(20 containers\)/);
    expect(r.stdout).toMatch(
      /✗ 10\.20\.0\.7:8443 \(token-realm\) — registry addressed by IP, certificate has no IP SAN \[ip-san-missing\]/,
    );
    expect(r.stdout).toContain('next: regdoctor diagnose');
  });

  it('--json, -n, exit 0 for a clean namespace', async () => {
    server.add('pods', {
      metadata: { name: 'fine', namespace: 'clean' },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
      status: { containerStatuses: [{ name: 'c', state: { running: {} } }] },
    });
    const r = await runInProcess(['scan', '-n', 'clean', '--kubeconfig', kubeconfig, '--json'], { HOME: dir });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ schema: 'regdoctor/scan@1', scope: { namespace: 'clean' }, failingPods: 0, groups: [] });
  });

  it('kube access problems: RBAC exit 1 with the reason, kubectl missing exit 4; usage errors exit 2', async () => {
    const f = await runInProcess(['scan', '-n', 'secret-ns', '--kubeconfig', kubeconfig], { HOME: dir });
    expect(f.code).toBe(1);
    expect(f.stderr).toMatch(/cannot list pods: RBAC forbids "list" on "pods" in namespace "secret-ns"/);
    const u = await runInProcess(['scan', '-n', 'x', '-A'], { HOME: dir });
    expect(u.code).toBe(2);
    const m = await runInProcess(['scan', '-A', '--kubeconfig', kubeconfig, '--json'], { HOME: dir, PATH: '/nonexistent' });
    expect(m.code).toBe(4);
    expect(JSON.parse(m.stdout).error).toMatchObject({ code: 'kube-access', kind: 'missing-kubectl' });
  });
});
