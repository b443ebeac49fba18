// The scan benchmark harness (used by scripts/bench.mjs) on a small synthetic cluster: the API server runs in its
// own process, the scan pages through it with the real kubectl, and memory stays bounded.
import { describe, expect, it } from 'vitest';
import { benchScan } from '../kube-server/bench.js';

describe('benchScan', () => {
  it('scans a synthetic cluster served from a child process', { timeout: 60_000 }, async () => {
    const r = await benchScan({ pods: 1000, events: 6000, chunkSize: 500 });
    expect(r).toMatchObject({ pods: 1000, events: 6000, failingPods: 100, pages: { pods: 2, events: 12 } });
    expect(r.groups).toBeGreaterThanOrEqual(10);
    expect(r.samples.length).toBeGreaterThan(0);
    // Bounded: the scan keeps only failing containers; a few MB of parse garbage at most between collections.
    expect(r.heapMB.growth).toBeLessThan(150);
  });
});
