// Scan benchmark for scripts/bench.mjs: a synthetic cluster (default 5,000 pods, 50,000 events) served by the test
// API server in a child process, scanned with the real kubectl; reports time, pages and this process's memory
// (baseline, peak, samples) so a flat profile can be checked. Import with tsx: `await import('./test/kube-server/bench.ts')`.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { KubectlAdapter } from '../../src/adapters/kube.js';
import { scanCluster } from '../../src/kube/scan.js';
import { loadClassifier } from '../../src/kube/classifier.js';

export interface ScanBenchOptions {
  pods?: number;
  events?: number;
  chunkSize?: number;
  /** Memory sampling interval (ms). */
  sampleMs?: number;
}

export interface ScanBenchResult {
  pods: number;
  events: number;
  chunkSize: number;
  durationMs: number;
  eventsPerSecond: number;
  pages: { pods: number; events: number };
  failingPods: number;
  groups: number;
  heapMB: { baseline: number; peak: number; growth: number };
  rssMB: { baseline: number; peak: number };
  /** Heap used (MB) over time, at most 60 points. */
  samples: { ms: number; heapMB: number }[];
}

const MB = 1024 * 1024;
const round = (n: number) => Math.round(n * 10) / 10;

export async function startSyntheticServer(o: {
  pods: number;
  events: number;
}): Promise<{ kubeconfig: string; dir: string; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'regdoctor-bench-'));
  const script = fileURLToPath(new URL('./serve.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(o), dir], {
    stdio: ['pipe', 'pipe', 'inherit'],
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
  });
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', (l) => {
      rl.close();
      resolve(l);
    });
    child.once('exit', (code) => reject(new Error(`test API server exited (${code})`)));
  });
  const { kubeconfig } = JSON.parse(line) as { kubeconfig: string };
  return {
    kubeconfig,
    dir,
    close: async () => {
      child.stdin!.end();
      await new Promise<void>((r) => {
        if (child.exitCode !== null) r();
        else child.once('exit', () => r());
        setTimeout(() => {
          child.kill('SIGKILL');
          r();
        }, 3000).unref();
      });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function benchScan(o: ScanBenchOptions = {}): Promise<ScanBenchResult> {
  const pods = o.pods ?? 5000;
  const events = o.events ?? 50_000;
  const chunkSize = o.chunkSize ?? 500;
  const srv = await startSyntheticServer({ pods, events });
  try {
    const classify = await loadClassifier();
    const kube = new KubectlAdapter({ kubeconfig: srv.kubeconfig, env: { ...process.env, HOME: srv.dir, KUBECONFIG: undefined } });
    (globalThis as { gc?: () => void }).gc?.();
    const base = process.memoryUsage();
    const raw: { ms: number; heap: number; rss: number }[] = [];
    const t0 = performance.now();
    const timer = setInterval(() => {
      const m = process.memoryUsage();
      raw.push({ ms: performance.now() - t0, heap: m.heapUsed, rss: m.rss });
    }, o.sampleMs ?? 20);
    const r = await scanCluster({ kube, allNamespaces: true, chunkSize, classify });
    clearInterval(timer);
    const durationMs = performance.now() - t0;
    const peakHeap = Math.max(base.heapUsed, ...raw.map((s) => s.heap));
    const peakRss = Math.max(base.rss, ...raw.map((s) => s.rss));
    const step = Math.max(1, Math.ceil(raw.length / 60));
    return {
      pods,
      events,
      chunkSize,
      durationMs: Math.round(durationMs),
      eventsPerSecond: Math.round(r.eventsScanned / (durationMs / 1000)),
      pages: r.pages,
      failingPods: r.failingPods,
      groups: r.groups.length,
      heapMB: { baseline: round(base.heapUsed / MB), peak: round(peakHeap / MB), growth: round((peakHeap - base.heapUsed) / MB) },
      rssMB: { baseline: round(base.rss / MB), peak: round(peakRss / MB) },
      samples: raw.filter((_, i) => i % step === 0).map((s) => ({ ms: Math.round(s.ms), heapMB: round(s.heap / MB) })),
    };
  } finally {
    await srv.close();
  }
}

// `npx tsx test/kube-server/bench.ts [events] [pods] [chunk]` prints the result.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [events, pods, chunk] = process.argv.slice(2).map(Number);
  const r = await benchScan({ events: events || undefined, pods: pods || undefined, chunkSize: chunk || undefined });
  process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
}
