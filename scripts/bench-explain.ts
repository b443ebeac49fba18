// Bench: `regdoctor explain` over a large containerd/kubelet journal streamed in (as `journalctl | regdoctor explain`
// does): time per line must stay flat from 100,000 to 1,000,000 lines, and the heap must not grow with the input.
//   npx tsx --expose-gc scripts/bench-explain.ts [maxLines]
import { explainStream } from '../src/classify/explain.js';

const NOISE = [
  'Nov 23 04:30:00 node-3 kubelet[812]: I1123 04:30:00.000000     812 kubelet.go:2460] "SyncLoop (probe)" probe="readiness" status="ready" pod="kube-system/coredns-5d78c9869d-x2x9q"',
  'Nov 23 04:30:00 node-3 containerd[640]: time="2026-11-23T04:30:00.114Z" level=info msg="ImageCreate event name:\\"registry.k8s.io/pause:3.9\\" labels:{key:\\"io.cri-containerd.image\\" value:\\"managed\\"}"',
  'Nov 23 04:30:00 node-3 kubelet[812]: I1123 04:30:00.120000     812 reconciler_common.go:300] "operationExecutor.VerifyControllerAttachedVolume started" volumeName="kubernetes.io/projected/0c4f"',
  'Nov 23 04:30:01 node-3 kubelet[812]: E1123 04:30:01.100000     812 reflector.go:138] failed to list *v1.Pod: Get "https://10.0.0.1:6443/api/v1/pods": dial tcp 10.0.0.1:6443: connect: connection refused',
  'Nov 23 04:30:01 node-3 systemd[1]: Started cri-containerd-4be2f0e8.scope - libcontainer container 4be2f0e8.',
];
const PULL = [
  'Nov 23 04:31:12 node-3 containerd[640]: time="2026-11-23T04:31:12Z" level=error msg="PullImage \\"reg.corp.test:5000/team/api:1.4.2\\" failed" error="failed to pull and unpack image \\"reg.corp.test:5000/team/api:1.4.2\\": failed to resolve reference \\"reg.corp.test:5000/team/api:1.4.2\\": failed to do request: Head \\"https://reg.corp.test:5000/v2/team/api/manifests/1.4.2\\": tls: failed to verify certificate: x509: certificate signed by unknown authority"',
  'Nov 23 04:31:13 node-3 kubelet[812]: E1123 04:31:13.000000     812 kuberuntime_manager.go:1256] "Unhandled Error" err="container &Container{Name:api} start failed in pod api-7c9d8b5f4-x2x9q: ErrImagePull: failed to pull and unpack image \\"docker.io/team/web:2\\": failed to resolve reference \\"docker.io/team/web:2\\": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed"',
];

/** The journal as stdin gives it: UTF-8 bytes in 64 KiB chunks (explain splits and pre-filters them undecoded). */
async function* journal(lines: number): AsyncGenerator<Buffer> {
  let buf = '';
  for (let i = 0; i < lines; i++) {
    buf += `${i % 97 === 0 ? PULL[((i / 97) % 2) | 0] : NOISE[i % NOISE.length]}\n`;
    if (buf.length >= 64 * 1024) {
      yield Buffer.from(buf);
      buf = '';
    }
  }
  if (buf) yield Buffer.from(buf);
}

async function measure(lines: number) {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
  const t0 = performance.now();
  const r = await explainStream(journal(lines));
  const ms = performance.now() - t0;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  return { lines, ms, items: r.items.map((i) => i.code).join(', '), heapGrowthMB: (peak - base) / 1024 / 1024 };
}

const max = Number(process.argv[2] ?? 1_000_000);
console.log('explain over a streamed journal (every 97th line a pull error, the rest kubelet/containerd noise)');
for (const n of [100_000, 300_000, max]) {
  const r = await measure(n);
  console.log(
    `  ${String(r.lines).padStart(9)} lines  ${r.ms.toFixed(0).padStart(6)} ms  ${((r.ms * 1000) / r.lines).toFixed(2)} µs/line  heap growth ${r.heapGrowthMB.toFixed(1)} MB  → ${r.items}`,
  );
}
