// The check graph engine: runs ready checks in parallel, passes facts along `needs`/`wants` edges, skips
// dependents of checks that produced no facts, turns throws and timeouts into `crash`, honours cancellation and
// an overall deadline, and reports every state change so a UI can render the run as a pure function of state.
import { setMaxListeners } from 'node:events';
import { causeInfo, severityOrder } from './causes.js';
import type {
  Check,
  CheckContext,
  CheckId,
  CheckOutcome,
  CheckRun,
  Finding,
  FindingInput,
  RunOptions,
  RunState,
  Target,
} from './types.js';
import type { Adapters } from './adapters.js';
import type { FactsMap } from './facts.js';
import { sanitizeDeep, sanitizeLine } from './sanitize.js';

export interface EngineOptions {
  target: Target;
  options: RunOptions;
  adapters: Adapters;
  /** Cancels the run (Ctrl-C). Running checks are aborted and reported as `cancelled`. */
  signal?: AbortSignal;
  /** Called with a fresh immutable snapshot after every state change. */
  onUpdate?: (state: RunState) => void;
  /** Clock for durations (defaults to performance.now based). */
  now?: () => number;
}

export class GraphError extends Error {
  override name = 'GraphError';
}

/** Validates ids, dependencies and acyclicity; returns checks in a stable topological order. */
export function validateGraph(checks: readonly Check[]): Check[] {
  const byId = new Map<string, Check>();
  for (const c of checks) {
    if (byId.has(c.id)) throw new GraphError(`duplicate check id ${c.id}`);
    byId.set(c.id, c);
  }
  for (const c of checks) {
    for (const d of [...c.needs, ...(c.wants ?? [])]) {
      if (!byId.has(d)) throw new GraphError(`check ${c.id} depends on unknown check ${d}`);
    }
  }
  const out: Check[] = [];
  const mark = new Map<string, 'visiting' | 'done'>();
  const visit = (c: Check, trail: string[]) => {
    const m = mark.get(c.id);
    if (m === 'done') return;
    if (m === 'visiting') throw new GraphError(`dependency cycle: ${[...trail, c.id].join(' -> ')}`);
    mark.set(c.id, 'visiting');
    for (const d of [...c.needs, ...(c.wants ?? [])]) visit(byId.get(d)!, [...trail, c.id]);
    mark.set(c.id, 'done');
    out.push(c);
  };
  for (const c of checks) visit(c, []);
  return out;
}

export function normalizeFinding(f: FindingInput, source: string): Finding {
  return {
    ...f,
    severity: f.severity ?? causeInfo(f.code).severity,
    evidence: f.evidence ?? [],
    fixes: [],
    source,
  };
}

function statusFromFindings(findings: Finding[]): 'pass' | 'warn' | 'fail' {
  let worst = 3;
  for (const f of findings) worst = Math.min(worst, severityOrder(f.severity));
  return worst <= 1 ? 'fail' : worst === 2 ? 'warn' : 'pass';
}

const TERMINAL = new Set(['pass', 'warn', 'fail', 'skipped', 'crash', 'cancelled']);

export function isTerminal(status: string): boolean {
  return TERMINAL.has(status);
}

class TimeoutSignal extends Error {}

/**
 * The boundary where untrusted text (certificate names, server headers, event messages, error strings) enters the
 * run state: every field a renderer prints on one line gets control characters and newlines as visible escapes.
 */
export function sanitizeRunPatch(patch: Partial<CheckRun>): Partial<CheckRun> {
  const out: Partial<CheckRun> = { ...patch };
  for (const k of ['summary', 'error', 'skipReason'] as const) if (typeof out[k] === 'string') out[k] = sanitizeLine(out[k]);
  if (out.evidence) out.evidence = out.evidence.map((e) => sanitizeLine(String(e)));
  if (out.findings) {
    out.findings = out.findings.map((f) => ({
      ...f,
      summary: sanitizeLine(String(f.summary)),
      evidence: f.evidence.map((e) => sanitizeLine(String(e))),
      ...(f.host !== undefined ? { host: sanitizeLine(String(f.host)) } : {}),
      ...(f.predictedRuntimeError !== undefined ? { predictedRuntimeError: sanitizeLine(String(f.predictedRuntimeError)) } : {}),
      ...(f.nextErrors !== undefined ? { nextErrors: f.nextErrors.map((n) => sanitizeLine(String(n))) } : {}),
      ...(f.data !== undefined ? { data: sanitizeDeep(f.data) } : {}),
    }));
  }
  return out;
}

/** The state before anything ran (for a UI's first frame). */
export function initialState(checks: readonly Check[], target: Target): RunState {
  return {
    target,
    startedAt: Date.now(),
    checks: checks.map((c) => ({ id: c.id, title: c.title, needs: c.needs, status: 'pending', findings: [], evidence: [], hasFacts: false })),
    cancelled: false,
    facts: {},
  };
}

/** Runs the graph to completion. Never rejects because of a check; rejects only on an invalid graph. */
export async function runGraph(checks: readonly Check[], eo: EngineOptions): Promise<RunState> {
  const ordered = validateGraph(checks);
  const now = eo.now ?? (() => performance.now());
  const wall = () => Date.now();
  const runs = new Map<string, CheckRun>();
  for (const c of checks) {
    runs.set(c.id, { id: c.id, title: c.title, needs: c.needs, status: 'pending', findings: [], evidence: [], hasFacts: false });
  }
  const facts: Partial<Record<string, unknown>> = {};
  const state: RunState = {
    target: eo.target,
    startedAt: wall(),
    checks: checks.map((c) => runs.get(c.id)!),
    cancelled: false,
    facts: facts as Partial<FactsMap>,
  };
  const snapshot = (): RunState => ({
    ...state,
    checks: state.checks.map((r) => ({ ...r, findings: [...r.findings], evidence: [...r.evidence] })),
    facts: { ...facts } as Partial<FactsMap>,
  });
  const emit = () => {
    if (!eo.onUpdate) return;
    state.checks = checks.map((c) => runs.get(c.id)!);
    try {
      eo.onUpdate(snapshot());
    } catch {
      // a rendering error must never break the diagnosis
    }
  };
  const update = (id: string, patch: Partial<CheckRun>) => {
    runs.set(id, { ...runs.get(id)!, ...sanitizeRunPatch(patch) });
  };

  // The whole run is bounded by options.timeoutMs and by the caller's signal.
  const runAbort = new AbortController();
  // Every running check (and every adapter call inside it) listens on the run's signal.
  setMaxListeners(256, runAbort.signal);
  let stopReason: 'cancelled' | 'deadline' | undefined;
  const onCancel = () => {
    stopReason ??= 'cancelled';
    runAbort.abort(new Error('cancelled'));
  };
  if (eo.signal?.aborted) onCancel();
  eo.signal?.addEventListener('abort', onCancel, { once: true });
  const deadline = setTimeout(() => {
    stopReason ??= 'deadline';
    runAbort.abort(new Error(`diagnosis deadline of ${eo.options.timeoutMs} ms reached`));
  }, eo.options.timeoutMs);

  const startedAt = new Map<string, number>();
  const inflight = new Map<string, Promise<void>>();
  let wake: (() => void) | undefined;
  const signalWake = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };

  const finish = (id: string, patch: Partial<CheckRun>) => {
    const t0 = startedAt.get(id);
    const t = now();
    update(id, { ...patch, endedAt: wall(), durationMs: t0 === undefined ? 0 : Math.round(t - t0) });
    emit();
  };

  const start = (check: Check) => {
    const ctrl = new AbortController();
    setMaxListeners(256, ctrl.signal);
    const forward = () => ctrl.abort(runAbort.signal.reason);
    runAbort.signal.addEventListener('abort', forward, { once: true });
    const ctx: CheckContext = {
      target: eo.target,
      options: eo.options,
      adapters: eo.adapters,
      signal: ctrl.signal,
      facts: <K extends keyof FactsMap>(id: K) => {
        if (!check.needs.includes(id as CheckId) && !(check.wants ?? []).includes(id as CheckId))
          throw new GraphError(`check ${check.id} read facts of ${String(id)} without declaring it`);
        if (!(id in facts)) throw new GraphError(`facts of ${String(id)} are not available to ${check.id}`);
        return facts[id as string] as FactsMap[K];
      },
      maybeFacts: <K extends keyof FactsMap>(id: K) => {
        if (!check.needs.includes(id as CheckId) && !(check.wants ?? []).includes(id as CheckId))
          throw new GraphError(`check ${check.id} read facts of ${String(id)} without declaring it`);
        return facts[id as string] as FactsMap[K] | undefined;
      },
    };
    startedAt.set(check.id, now());
    update(check.id, { status: 'running', startedAt: wall() });
    emit();

    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        ctrl.abort(new Error(`timed out after ${check.timeoutMs} ms`));
        reject(new TimeoutSignal(`timed out after ${check.timeoutMs} ms`));
      }, check.timeoutMs);
    });
    const aborted = new Promise<never>((_, reject) => {
      const onAbort = () => reject(runAbort.signal.reason);
      if (runAbort.signal.aborted) onAbort();
      else runAbort.signal.addEventListener('abort', onAbort, { once: true });
    });
    aborted.catch(() => undefined);
    timeout.catch(() => undefined);

    const work = (async (): Promise<CheckOutcome<unknown>> => check.run(ctx))();
    const p = Promise.race([work, timeout, aborted])
      .then((outcome) => {
        const findings = (outcome.findings ?? []).map((f) => normalizeFinding(f, check.id));
        if (outcome.facts !== undefined) facts[check.id] = outcome.facts;
        finish(check.id, {
          status: outcome.status ?? statusFromFindings(findings),
          summary: outcome.summary,
          findings,
          evidence: outcome.evidence ?? [],
          hasFacts: outcome.facts !== undefined,
        });
      })
      .catch((err: unknown) => {
        if (err instanceof TimeoutSignal) {
          finish(check.id, { status: 'crash', error: err.message, summary: `did not finish: ${err.message}` });
        } else if (runAbort.signal.aborted && stopReason === 'cancelled') {
          finish(check.id, { status: 'cancelled', summary: 'cancelled' });
        } else if (runAbort.signal.aborted && stopReason === 'deadline') {
          const msg = (runAbort.signal.reason as Error)?.message ?? 'deadline reached';
          finish(check.id, { status: 'crash', error: msg, summary: `did not finish: ${msg}` });
        } else {
          const msg = err instanceof Error ? err.message : String(err);
          finish(check.id, { status: 'crash', error: msg, summary: `crashed: ${msg}` });
        }
      })
      .finally(() => {
        clearTimeout(timer);
        runAbort.signal.removeEventListener('abort', forward);
        inflight.delete(check.id);
        signalWake();
      });
    inflight.set(check.id, p);
  };

  emit();
  try {
    for (;;) {
      let progressed = false;
      for (const check of ordered) {
        const run = runs.get(check.id)!;
        if (run.status !== 'pending') continue;
        if (runAbort.signal.aborted) {
          const reason = stopReason === 'deadline' ? 'diagnosis deadline reached before it could start' : 'cancelled';
          update(check.id, { status: stopReason === 'deadline' ? 'skipped' : 'cancelled', skipReason: reason, summary: reason });
          progressed = true;
          continue;
        }
        const deps = [...check.needs, ...(check.wants ?? [])];
        if (!deps.every((d) => isTerminal(runs.get(d)!.status))) continue;
        const missing = check.needs.find((d) => !runs.get(d)!.hasFacts);
        if (missing !== undefined) {
          const dep = runs.get(missing)!;
          const why =
            dep.status === 'skipped'
              ? `${missing} was skipped`
              : dep.status === 'crash'
                ? `${missing} crashed`
                : dep.status === 'cancelled'
                  ? `${missing} was cancelled`
                  : dep.status === 'pass'
                    ? `${missing}, which has nothing for it${dep.summary ? ` (${dep.summary})` : ''}`
                    : `${missing} failed${dep.summary ? `: ${dep.summary}` : ''}`;
          update(check.id, { status: 'skipped', skipReason: `needs ${why}`, summary: `skipped: needs ${why}` });
          progressed = true;
          continue;
        }
        let skip: string | undefined;
        try {
          skip = check.skipIf?.({
            target: eo.target,
            options: eo.options,
            adapters: eo.adapters,
            signal: runAbort.signal,
            facts: (id) => facts[id as string] as never,
            maybeFacts: (id) => facts[id as string] as never,
          });
        } catch (err) {
          skip = `could not decide whether to run: ${err instanceof Error ? err.message : String(err)}`;
        }
        if (skip !== undefined) {
          update(check.id, { status: 'skipped', skipReason: skip, summary: `skipped: ${skip}` });
          progressed = true;
          continue;
        }
        start(check);
        progressed = true;
      }
      if (progressed) emit();
      if (inflight.size === 0) {
        if (!progressed) break;
        continue;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    clearTimeout(deadline);
    eo.signal?.removeEventListener('abort', onCancel);
  }
  state.cancelled = stopReason === 'cancelled';
  state.finishedAt = wall();
  state.checks = checks.map((c) => runs.get(c.id)!);
  emit();
  return snapshot();
}
