// scanCluster past its tracking limit: a pull event that names its pod only by name (no UID) for a pod whose failing
// containers were all beyond maxTracked is counted and skipped (it used to reach an undefined container list and
// fail the whole scan with a TypeError).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKubeServer, type KubeServer } from '../kube-server/server.js';
import { event } from '../kube-server/broken-cluster.js';
import { KubectlAdapter } from '../../src/adapters/kube.js';
import { scanCluster } from '../../src/kube/scan.js';
import { loadClassifier } from '../../src/kube/classifier.js';

let server: KubeServer;
let dir: string;
let kubeconfig: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'regdoctor-scan-untracked-'));
  server = await startKubeServer({});
  const image = 'reg.corp.test:5000/shop/web:1';
  const message = `Failed to pull image "${image}": rpc error: code = Unknown desc = failed to resolve reference "${image}": dial tcp 10.0.0.1:5000: connect: connection refused`;
  for (const name of ['a', 'b']) {
    server.add('pods', {
      metadata: { name, namespace: 'shop', uid: `uid-${name}` },
      spec: { nodeName: 'node-a', containers: [{ name: 'app', image }] },
      status: { containerStatuses: [{ name: 'app', image, state: { waiting: { reason: 'ErrImagePull', message } } }] },
    });
    server.add('events', event('shop', name, '', 'node-a', 'Failed', 'Warning', message, { container: 'app' }));
  }
  kubeconfig = server.writeKubeconfig(dir);
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('an event without a UID for a pod beyond maxTracked is skipped, the pod still counted', async () => {
  const kube = new KubectlAdapter({ kubeconfig, env: { ...process.env, HOME: dir, KUBECONFIG: undefined } });
  const r = await scanCluster({ kube, namespace: 'shop', maxTracked: 1, classify: await loadClassifier() });
  expect(r.pullEvents).toBe(2);
  expect(r.untracked).toBe(1);
  expect(r.failingContainers).toBe(2);
  expect(r.groups).toHaveLength(1);
  expect(r.groups[0]).toMatchObject({ code: 'connection-refused', pods: 1, containers: 1 });
});
