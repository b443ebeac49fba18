// `regdoctor nodes` at scale, for scripts/bench-nodes.ts and its test: N simulated nodes whose kubelet answers each
// diagnosis pod at once with a report (no process run), collected through the real kubectl proxy; reports the time,
// the highest number of pods alive at once, and this process's heap (baseline, peak) while collecting.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKubeServer } from './server.js';
import { startKubeletSim } from './kubelet-sim.js';
import { KubectlNodesApi } from '../../src/kube/nodes-api.js';
import { runNodes } from '../../src/kube/nodes-run.js';
import { groupOutcomes } from '../../src/kube/nodes-matrix.js';

export interface NodesBenchResult {
  nodes: number;
  parallel: number;
  durationMs: number;
  msPerNode: number;
  peakPods: number;
  groups: number;
  podsLeft: number;
  heapMB: { baseline: number; peak: number; growth: number };
}

const MB = 1024 * 1024;
const round = (n: number) => Math.round(n * 10) / 10;

/** A report of realistic size (~12 KB, like `diagnose --json` prints) for node i: every 50th node is odd. */
function reportFor(i: number): string {
  const odd = i % 50 === 7;
  const evidence = [
    '/etc/containerd/config.toml: config version 2',
    'config_path = /etc/containerd/certs.d',
    odd
      ? 'endpoint 1: https://reg.test:5000/v2 [pull,resolve,push] — default'
      : 'applies: /etc/containerd/certs.d/reg.test:5000/hosts.toml',
  ];
  const filler = Array.from({ length: 14 }, (_, k) => ({
    id: `check-${k}`,
    title: 'a check',
    status: 'pass',
    durationMs: 3,
    evidence: Array.from({ length: 6 }, () => 'x'.repeat(120)),
  }));
  return JSON.stringify(
    {
      schema: 'regdoctor/report@1',
      tool: { name: 'regdoctor', version: '0.1.0' },
      generatedAt: new Date().toISOString(),
      target: { input: 'reg.test:5000/app:1', kind: 'image', registry: 'reg.test:5000', endpoint: 'reg.test:5000' },
      durationMs: 900,
      cancelled: false,
      checks: [{ id: 'containerd-config', title: 'c', status: 'pass', durationMs: 1, evidence }, ...filler],
      findings: [],
      verdict: odd
        ? {
            code: 'untrusted-ca',
            title: 't',
            severity: 'error',
            summary: 's',
            predictedRuntimeError: 'x509: certificate signed by unknown authority',
            docs: '',
          }
        : { code: 'healthy', title: 't', severity: 'info', summary: 's', docs: '' },
    },
    null,
    2,
  );
}

export async function benchNodes(o: { nodes: number; parallel?: number; answerMs?: number }): Promise<NodesBenchResult> {
  const parallel = o.parallel ?? 20;
  const sim = startKubeletSim({
    nodes: {},
    answer: (pod) => ({ exitCode: 0, logs: reportFor(Number(pod.metadata.name.split('-').pop())), delayMs: o.answerMs ?? 20 }),
  });
  const server = await startKubeServer({
    onPodCreate: (p) => sim.onPodCreate(p),
    onPodDelete: (p) => sim.onPodDelete(p),
    podLogs: (ns, n) => sim.podLogs(ns, n),
  });
  for (let i = 0; i < o.nodes; i++)
    server.add('nodes', { metadata: { name: `node-${String(i).padStart(4, '0')}`, labels: { pool: 'bench' } } });
  const dir = mkdtempSync(join(tmpdir(), 'regdoctor-bench-nodes-'));
  const api = new KubectlNodesApi({ kubeconfig: server.writeKubeconfig(dir), env: { ...process.env, KUBECONFIG: undefined } });
  try {
    const s = await api.start();
    if (!s.ok) throw new Error(s.message);
    global.gc?.();
    const baseline = process.memoryUsage().heapUsed;
    let peak = baseline;
    const t0 = performance.now();
    const r = await runNodes({
      api,
      namespace: 'default',
      ref: 'reg.test:5000/app:1',
      image: 'img',
      parallel,
      podTimeoutMs: 60_000,
      pollMs: 25,
      onProgress: () => {
        peak = Math.max(peak, process.memoryUsage().heapUsed);
      },
    });
    const durationMs = performance.now() - t0;
    return {
      nodes: r.total,
      parallel,
      durationMs: Math.round(durationMs),
      msPerNode: round(durationMs / Math.max(1, r.total)),
      peakPods: r.peakPods,
      groups: groupOutcomes(r.outcomes).length,
      podsLeft: server.objects('pods').length,
      heapMB: { baseline: round(baseline / MB), peak: round(peak / MB), growth: round((peak - baseline) / MB) },
    };
  } finally {
    await api.close();
    await sim.stop();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
