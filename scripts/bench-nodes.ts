// npx tsx scripts/bench-nodes.ts [--quick] — `regdoctor nodes` at scale: 100, 250 and 500 simulated nodes (the test
// API server's kubelet answers each pod at once; no process runs), collected through the real kubectl with at most
// 20 pods at a time. Targets: time per node flat (linear total), pods alive never above --parallel, none left,
// heap growth of a few MB (a small outcome per node, one report per group).
import { benchNodes } from '../test/kube-server/bench-nodes.js';

const sizes = process.argv.includes('--quick') ? [50, 100] : [100, 250, 500];
const rows = [];
for (const n of sizes) {
  const r = await benchNodes({ nodes: n, parallel: 20 });
  rows.push(r);
  console.log(
    `${String(n).padStart(4)} nodes: ${r.durationMs} ms (${r.msPerNode} ms/node), peak ${r.peakPods} pods at once, ${r.podsLeft} left, ${r.groups} groups, heap ${r.heapMB.baseline} → ${r.heapMB.peak} MB (+${r.heapMB.growth})`,
  );
}
const first = rows[0]!;
const last = rows[rows.length - 1]!;
const ratio = last.msPerNode / first.msPerNode;
const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
console.log(`time per node ${first.msPerNode} → ${last.msPerNode} ms (×${ratio.toFixed(2)}; linear: within ×1.5): ${verdict(ratio < 1.5)}`);
console.log(`parallelism bounded (≤ 20 pods at once): ${verdict(rows.every((r) => r.peakPods <= 20))}`);
console.log(`nothing left behind: ${verdict(rows.every((r) => r.podsLeft === 0))}`);
console.log(`heap growth under 64 MB: ${verdict(rows.every((r) => r.heapMB.growth < 64))}`);
