// The live view's first run starts before Ink is imported (earlyRun): the run is under way at once, the view adopts
// it with the updates so far, its cancel reaches it, a re-run starts a new one, and a failure before adoption is the
// view's to report (no unhandled rejection).
import { describe, expect, it } from 'vitest';
import { earlyRun } from '../../src/cli/commands/diagnose.js';
import type { DiagnosisResult } from '../../src/app/diagnose.js';
import type { RunState } from '../../src/core/types.js';

const state = (n: number) => ({ checks: [], n }) as unknown as RunState;
const result = (n: number) => ({ n }) as unknown as DiagnosisResult;

function fakeRun() {
  const calls: { onUpdate: (s: RunState) => void; signal: AbortSignal; finish: (r: DiagnosisResult) => void; fail: (e: Error) => void }[] =
    [];
  const run = (onUpdate: (s: RunState) => void, signal: AbortSignal) =>
    new Promise<DiagnosisResult>((finish, fail) => calls.push({ onUpdate, signal, finish, fail }));
  return { calls, run };
}

describe('earlyRun', () => {
  it('starts the run before the view asks, replays the latest update and forwards the rest', async () => {
    const { calls, run } = fakeRun();
    const adopt = earlyRun(run);
    expect(calls).toHaveLength(1);
    calls[0]!.onUpdate(state(1));
    calls[0]!.onUpdate(state(2));
    const seen: RunState[] = [];
    const p = adopt((s) => seen.push(s), new AbortController().signal);
    expect(calls).toHaveLength(1);
    expect(seen).toEqual([state(2)]);
    calls[0]!.onUpdate(state(3));
    expect(seen).toEqual([state(2), state(3)]);
    calls[0]!.finish(result(1));
    await expect(p).resolves.toEqual(result(1));
  });

  it('the view’s cancel aborts the early run, also when it came before adoption', () => {
    for (const before of [false, true]) {
      const { calls, run } = fakeRun();
      const adopt = earlyRun(run);
      const view = new AbortController();
      if (before) view.abort(new Error('cancelled'));
      void adopt(() => undefined, view.signal).catch(() => undefined);
      if (!before) {
        expect(calls[0]!.signal.aborted).toBe(false);
        view.abort(new Error('cancelled'));
      }
      expect(calls[0]!.signal.aborted).toBe(true);
      expect((calls[0]!.signal.reason as Error).message).toBe('cancelled');
    }
  });

  it('a re-run starts a new run with the view’s own signal and updates', async () => {
    const { calls, run } = fakeRun();
    const adopt = earlyRun(run);
    void adopt(() => undefined, new AbortController().signal);
    const signal = new AbortController().signal;
    const seen: RunState[] = [];
    const p = adopt((s) => seen.push(s), signal);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.signal).toBe(signal);
    calls[1]!.onUpdate(state(7));
    expect(seen).toEqual([state(7)]);
    calls[1]!.finish(result(2));
    await expect(p).resolves.toEqual(result(2));
  });

  it('a run that fails before the view adopts it rejects for the view, not as an unhandled rejection', async () => {
    const { calls, run } = fakeRun();
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const adopt = earlyRun(run);
      calls[0]!.fail(new Error('boom'));
      await new Promise((r) => setTimeout(r, 20));
      expect(unhandled).toEqual([]);
      await expect(adopt(() => undefined, new AbortController().signal)).rejects.toThrow('boom');
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
