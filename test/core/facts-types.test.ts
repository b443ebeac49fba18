// Type test: facts are read by key with the publishing check's declared type. `npm test` runs tsc first, and every
// `@ts-expect-error` below must be an error — a wrong key or a wrong shape does not compile.
import { describe, expect, it } from 'vitest';
import { getFact, type Facts } from '../../src/core/facts.js';

describe('typed facts', () => {
  it('getFact returns the declared fact type for a key, and nothing is cast', () => {
    const facts: Facts = {
      'cri-pull': { endpoint: 'unix:///run/containerd/containerd.sock', runtime: 'containerd', ok: false, message: 'boom', durationMs: 3 },
    };
    const pull = getFact(facts, 'cri-pull');
    const ok: boolean | undefined = pull?.ok;
    expect(ok).toBe(false);
    expect(getFact(facts, 'cert-chain')).toBeUndefined();

    // @ts-expect-error — no check publishes facts under this key
    getFact(facts, 'cert-chian');
    // @ts-expect-error — the cri-pull facts have no `certs`
    void pull?.certs;
    // @ts-expect-error — a wrong shape for a known key does not compile
    const bad: Facts = { 'cri-pull': { ok: 'yes' } };
    void bad;
  });
});
