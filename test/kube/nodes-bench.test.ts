// The `regdoctor nodes` scale harness (scripts/bench-nodes.ts) on a small fleet: bounded parallelism, nothing left.
import { describe, expect, it } from 'vitest';
import { benchNodes } from '../kube-server/bench-nodes.js';

describe('benchNodes', () => {
  it('collects 120 simulated nodes with at most 8 pods at once and leaves none', { timeout: 60_000 }, async () => {
    const r = await benchNodes({ nodes: 120, parallel: 8, answerMs: 5 });
    expect(r).toMatchObject({ nodes: 120, peakPods: 8, podsLeft: 0, groups: 2 });
    expect(r.heapMB.growth).toBeLessThan(64);
  });
});
