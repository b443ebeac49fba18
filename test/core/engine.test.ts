import { describe, expect, it } from 'vitest';
import { runGraph, validateGraph, GraphError } from '../../src/core/engine.js';
import { DEFAULT_RUN_OPTIONS } from '../../src/app/diagnose.js';
import { parseTarget } from '../../src/core/reference.js';
import type { Adapters } from '../../src/core/adapters.js';
import type { Check, CheckContext, RunState } from '../../src/core/types.js';

// Engine tests use synthetic checks; ids are cast because FactsMap only knows the real checks.
type AnyCheck = Check;
function mk(
  id: string,
  run: (ctx: CheckContext) => Promise<{ facts?: unknown; summary: string; findings?: never[] } | any>,
  opts: { needs?: string[]; wants?: string[]; timeoutMs?: number; skipIf?: (ctx: CheckContext) => string | undefined } = {},
): AnyCheck {
  return {
    id: id as never,
    title: id,
    needs: (opts.needs ?? []) as never[],
    wants: (opts.wants ?? []) as never[],
    timeoutMs: opts.timeoutMs ?? 2000,
    skipIf: opts.skipIf,
    run: run as never,
  };
}

const adapters = {} as Adapters;
const target = parseTarget('reg.test:5000/app:1');
const options = { ...DEFAULT_RUN_OPTIONS, timeoutMs: 5000 };
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      reject(signal.reason);
    });
  });

function byId(state: RunState, id: string) {
  const c = state.checks.find((x) => x.id === id);
  if (!c) throw new Error(`no check ${id}`);
  return c;
}

describe('check graph engine', () => {
  it('runs independent checks in parallel (their run intervals overlap)', async () => {
    const spans: Record<string, [number, number]> = {};
    const timed = (id: string) =>
      mk(id, async () => {
        const a = performance.now();
        await sleep(150);
        spans[id] = [a, performance.now()];
        return { summary: id, facts: { id } };
      });
    const started = performance.now();
    const state = await runGraph([timed('a'), timed('b'), timed('c')], { target, options, adapters });
    const total = performance.now() - started;
    expect(state.checks.map((c) => c.status)).toEqual(['pass', 'pass', 'pass']);
    // every pair overlaps in time
    for (const [x, y] of [
      ['a', 'b'],
      ['a', 'c'],
      ['b', 'c'],
    ] as const) {
      expect(spans[x]![0]).toBeLessThan(spans[y]![1]);
      expect(spans[y]![0]).toBeLessThan(spans[x]![1]);
    }
    expect(total).toBeLessThan(400); // sequential would be >= 450
  });

  it('passes facts along needs edges and runs dependents only after their dependencies', async () => {
    const order: string[] = [];
    const a = mk('a', async () => {
      order.push('a');
      return { summary: 'a', facts: { n: 41 } };
    });
    const b = mk(
      'b',
      async (ctx) => {
        order.push('b');
        const f = ctx.facts('a' as never) as unknown as { n: number };
        return { summary: 'b', facts: { n: f.n + 1 } };
      },
      { needs: ['a'] },
    );
    const state = await runGraph([b, a], { target, options, adapters });
    expect(order).toEqual(['a', 'b']);
    expect((state.facts as Record<string, { n: number }>).b!.n).toBe(42);
    // display order is declaration order, not execution order
    expect(state.checks.map((c) => c.id)).toEqual(['b', 'a']);
  });

  it('skips dependents (transitively) of a check that produced no facts, with the reason', async () => {
    const a = mk('a', async () => ({ summary: 'connection refused', findings: [{ code: 'connection-refused', summary: 'refused' }] }));
    const b = mk('b', async () => ({ summary: 'b', facts: {} }), { needs: ['a'] });
    const c = mk('c', async () => ({ summary: 'c', facts: {} }), { needs: ['b'] });
    const d = mk('d', async () => ({ summary: 'd ran', facts: {} }), { wants: ['a'] });
    const state = await runGraph([a, b, c, d], { target, options, adapters });
    expect(byId(state, 'a').status).toBe('fail');
    expect(byId(state, 'b').status).toBe('skipped');
    expect(byId(state, 'b').skipReason).toBe('needs a failed: connection refused');
    expect(byId(state, 'c').status).toBe('skipped');
    expect(byId(state, 'c').skipReason).toBe('needs b was skipped');
    // a `wants` edge waits but does not skip
    expect(byId(state, 'd').status).toBe('pass');
  });

  it('honours skipIf', async () => {
    const a = mk('a', async () => ({ summary: 'ran' }), { skipIf: () => 'no cluster access' });
    const state = await runGraph([a], { target, options, adapters });
    expect(byId(state, 'a').status).toBe('skipped');
    expect(byId(state, 'a').skipReason).toBe('no cluster access');
  });

  it('turns a thrown error into crash and keeps running the rest', async () => {
    const a = mk('a', async () => {
      throw new Error('boom');
    });
    const b = mk('b', async () => ({ summary: 'fine', facts: {} }));
    const c = mk('c', async () => ({ summary: 'c', facts: {} }), { needs: ['a'] });
    const state = await runGraph([a, b, c], { target, options, adapters });
    expect(byId(state, 'a').status).toBe('crash');
    expect(byId(state, 'a').error).toBe('boom');
    expect(byId(state, 'b').status).toBe('pass');
    expect(byId(state, 'c').skipReason).toBe('needs a crashed');
  });

  it('turns a check that exceeds its timeout into crash, even if it ignores its signal', async () => {
    const hung = mk('hung', () => new Promise(() => undefined), { timeoutMs: 100 });
    let sawAbort = false;
    const polite = mk(
      'polite',
      async (ctx) => {
        await sleep(10_000, ctx.signal).catch(() => {
          sawAbort = ctx.signal.aborted;
          throw new Error('aborted');
        });
        return { summary: 'never' };
      },
      { timeoutMs: 100 },
    );
    const started = performance.now();
    const state = await runGraph([hung, polite], { target, options, adapters });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(byId(state, 'hung').status).toBe('crash');
    expect(byId(state, 'hung').error).toBe('timed out after 100 ms');
    expect(byId(state, 'polite').status).toBe('crash');
    expect(sawAbort).toBe(true);
  });

  it('bounds the whole run by options.timeoutMs', async () => {
    const slow = mk('slow', () => new Promise(() => undefined), { timeoutMs: 60_000 });
    const after = mk('after', async () => ({ summary: 'x' }), { needs: ['slow'] });
    const started = performance.now();
    const state = await runGraph([slow, after], { target, options: { ...options, timeoutMs: 150 }, adapters });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(byId(state, 'slow').status).toBe('crash');
    expect(byId(state, 'slow').error).toMatch(/deadline of 150 ms/);
    expect(byId(state, 'after').status).toBe('skipped');
  });

  it('cancels cleanly: running checks are aborted, pending ones never start', async () => {
    const ctrl = new AbortController();
    let started2 = false;
    const a = mk('a', async (ctx) => {
      await sleep(10_000, ctx.signal);
      return { summary: 'x', facts: {} };
    });
    const b = mk(
      'b',
      async () => {
        started2 = true;
        return { summary: 'b' };
      },
      { needs: ['a'] },
    );
    setTimeout(() => ctrl.abort(new Error('SIGINT')), 50);
    const t0 = performance.now();
    const state = await runGraph([a, b], { target, options, adapters, signal: ctrl.signal });
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(state.cancelled).toBe(true);
    expect(byId(state, 'a').status).toBe('cancelled');
    expect(['cancelled', 'skipped']).toContain(byId(state, 'b').status);
    expect(started2).toBe(false);
  });

  it('reports every state change as an immutable snapshot', async () => {
    const snaps: RunState[] = [];
    const a = mk('a', async () => ({ summary: 'a', facts: {} }));
    const b = mk('b', async () => ({ summary: 'b' }), { needs: ['a'] });
    await runGraph([a, b], { target, options, adapters, onUpdate: (s) => snaps.push(s) });
    const statuses = snaps.map((s) => s.checks.map((c) => c.status).join(','));
    expect(statuses).toContain('running,pending');
    expect(statuses).toContain('pass,running');
    expect(statuses.at(-1)).toBe('pass,pass');
    // earlier snapshots were not mutated by later progress
    expect(snaps[0]!.checks[0]!.status).toBe('pending');
  });

  it('derives status from findings and fills severity from the cause registry', async () => {
    const warn = mk('w', async () => ({ summary: 'w', findings: [{ code: 'config-ignored', summary: 'ignored' }] }));
    const info = mk('i', async () => ({ summary: 'i', findings: [{ code: 'proxy', summary: 'proxy in path' }] }));
    const state = await runGraph([warn, info], { target, options, adapters });
    expect(byId(state, 'w').status).toBe('warn');
    expect(byId(state, 'w').findings[0]!.severity).toBe('warning');
    expect(byId(state, 'w').findings[0]!.source).toBe('w');
    expect(byId(state, 'i').status).toBe('pass');
  });

  it('rejects invalid graphs: unknown dependency, duplicate id, cycle', () => {
    expect(() => validateGraph([mk('a', async () => ({ summary: '' }), { needs: ['zz'] })])).toThrow(GraphError);
    expect(() => validateGraph([mk('a', async () => ({ summary: '' })), mk('a', async () => ({ summary: '' }))])).toThrow(/duplicate/);
    expect(() =>
      validateGraph([mk('a', async () => ({ summary: '' }), { needs: ['b'] }), mk('b', async () => ({ summary: '' }), { needs: ['a'] })]),
    ).toThrow(/cycle/);
  });

  it('refuses to hand out facts a check did not declare', async () => {
    const a = mk('a', async () => ({ summary: 'a', facts: { secret: 1 } }));
    const b = mk(
      'b',
      async (ctx) => {
        ctx.facts('a' as never);
        return { summary: 'b' };
      },
      { wants: [] },
    );
    const c = mk('c', async () => ({ summary: 'c' }), { needs: ['a'] });
    const state = await runGraph([a, b, c], { target, options, adapters });
    expect(byId(state, 'b').status).toBe('crash');
    expect(byId(state, 'b').error).toMatch(/without declaring/);
  });
});
