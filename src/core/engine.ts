// The check graph engine: runs ready checks in parallel, passes facts along `needs`/`wants` edges, skips
// dependents of checks that produced no facts, turns throws and timeouts into `crash`, honours cancellation and
// an overall deadline, and reports every state change so a UI can render the run as a pure function of state.
import { setMaxListeners } from 'node:events';
import { causeInfo, severityOrder } from './causes.js';
import type { Check, CheckContext, CheckId, CheckOutcome, CheckRun, Finding, FindingInput, RunOptions, RunState, Target } from './types.js';
import type { Adapters } from './adapters.js';
import type { FactsMap } from './facts.js';
import { sanitizeDeep, sanitizeLine } from '../text/sanitize.js';
import { messageIn, msg, sanitizeMessage as sanitizeMessageWith, type Message } from '../i18n/index.js';

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
  if (out.summaryMessage) out.summaryMessage = sanitizeMessage(out.summaryMessage);
  if (out.evidence) out.evidence = out.evidence.map((e) => sanitizeLine(String(e)));
  if (out.evidenceMessages) out.evidenceMessages = sanitizeMessages(out.evidenceMessages);
  if (out.findings) {
    out.findings = out.findings.map((f) => ({
      ...f,
      summary: sanitizeLine(String(f.summary)),
      ...(f.summaryMessage !== undefined ? { summaryMessage: sanitizeMessage(f.summaryMessage) } : {}),
      evidence: f.evidence.map((e) => sanitizeLine(String(e))),
      ...(f.evidenceMessages !== undefined ? { evidenceMessages: sanitizeMessages(f.evidenceMessages) } : {}),
      ...(f.host !== undefined ? { host: sanitizeLine(String(f.host)) } : {}),
      ...(f.predictedRuntimeError !== undefined ? { predictedRuntimeError: sanitizeLine(String(f.predictedRuntimeError)) } : {}),
      ...(f.nextErrors !== undefined ? { nextErrors: f.nextErrors.map((n) => sanitizeLine(String(n))) } : {}),
      ...(f.data !== undefined ? { data: sanitizeDeep(f.data) } : {}),
    }));
  }
  return out;
}

/** A message's parameters are untrusted text like the summary they fill in: one line, controls escaped. */
const sanitizeMessage = (m: Message): Message => sanitizeMessageWith(m, sanitizeLine);
const sanitizeMessages = (ms: readonly (Message | null)[]): (Message | null)[] => ms.map((m) => (m ? sanitizeMessage(m) : null));

/** The state before anything ran (for a UI's first frame). */
export function initialState(checks: readonly Check[], target: Target): RunState {
  return {
    target,
    startedAt: Date.now(),
    checks: checks.map((c) => ({
      id: c.id,
      title: c.title,
      needs: c.needs,
      status: 'pending',
      findings: [],
      evidence: [],
      hasFacts: false,
    })),
    cancelled: false,
    facts: {},
  };
}

/** Runs the graph to completion. Never rejects because of a check; rejects only on an invalid graph. */
export async function runGraph(checks: readonly Check[], eo: EngineOptions): Promise<RunState> {
  const ordered = validateGraph(checks);
  const run = new GraphRun(checks, eo);
  run.emit();
  try {
    for (;;) {
      const progressed = run.advanceReadyChecks(ordered);
      if (progressed) run.emit();
      if (run.idle()) {
        if (!progressed) break;
        continue;
      }
      await run.nextSettled();
    }
  } finally {
    run.stop.dispose();
  }
  return run.complete();
}

/**
 * How the whole run is stopped: the caller's signal (Ctrl-C) cancels it, options.timeoutMs ends it at the deadline.
 * Every running check (and every adapter call inside it) listens on `signal`; the first reason to stop wins.
 */
class RunStop {
  readonly controller = new AbortController();
  reason: 'cancelled' | 'deadline' | undefined;
  private readonly deadline: NodeJS.Timeout;
  private readonly onCancel = () => {
    this.reason ??= 'cancelled';
    this.controller.abort(new Error('cancelled'));
  };

  constructor(
    private readonly callerSignal: AbortSignal | undefined,
    timeoutMs: number,
  ) {
    setMaxListeners(256, this.controller.signal);
    if (callerSignal?.aborted) this.onCancel();
    callerSignal?.addEventListener('abort', this.onCancel, { once: true });
    this.deadline = setTimeout(() => {
      this.reason ??= 'deadline';
      this.controller.abort(new Error(`diagnosis deadline of ${timeoutMs} ms reached`));
    }, timeoutMs);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  dispose(): void {
    clearTimeout(this.deadline);
    this.callerSignal?.removeEventListener('abort', this.onCancel);
  }
}

/** What the scheduler decided for one pending check in this pass. */
type Readiness = { kind: 'wait' } | { kind: 'start' } | { kind: 'settle'; patch: Partial<CheckRun> };

/** The mutable state of one run: check records, facts, in-flight checks, and how each change reaches the UI. */
class GraphRun {
  readonly stop: RunStop;
  private readonly now: () => number;
  private readonly wall = () => Date.now();
  private readonly runs = new Map<string, CheckRun>();
  private readonly facts: Partial<Record<string, unknown>> = {};
  private readonly state: RunState;
  private readonly startedAt = new Map<string, number>();
  private readonly inflight = new Map<string, Promise<void>>();
  private wake: (() => void) | undefined;

  constructor(
    private readonly checks: readonly Check[],
    private readonly eo: EngineOptions,
  ) {
    this.now = eo.now ?? (() => performance.now());
    for (const c of checks) {
      this.runs.set(c.id, { id: c.id, title: c.title, needs: c.needs, status: 'pending', findings: [], evidence: [], hasFacts: false });
    }
    this.state = {
      target: eo.target,
      startedAt: this.wall(),
      checks: checks.map((c) => this.runs.get(c.id)!),
      cancelled: false,
      facts: this.facts as Partial<FactsMap>,
    };
    this.stop = new RunStop(eo.signal, eo.options.timeoutMs);
  }

  // ---- recording ----

  private snapshot(): RunState {
    return {
      ...this.state,
      checks: this.state.checks.map((r) => ({ ...r, findings: [...r.findings], evidence: [...r.evidence] })),
      facts: { ...this.facts } as Partial<FactsMap>,
    };
  }

  /** Hands the UI a fresh snapshot; a rendering error must never break the diagnosis. */
  emit(): void {
    if (!this.eo.onUpdate) return;
    this.state.checks = this.checks.map((c) => this.runs.get(c.id)!);
    try {
      this.eo.onUpdate(this.snapshot());
    } catch {
      // a rendering error must never break the diagnosis
    }
  }

  private update(id: string, patch: Partial<CheckRun>): void {
    this.runs.set(id, { ...this.runs.get(id)!, ...sanitizeRunPatch(patch) });
  }

  /** Records a started check's terminal state with its duration, and tells the UI. */
  private finish(id: string, patch: Partial<CheckRun>): void {
    const t0 = this.startedAt.get(id);
    const t = this.now();
    this.update(id, { ...patch, endedAt: this.wall(), durationMs: t0 === undefined ? 0 : Math.round(t - t0) });
    this.emit();
  }

  /** Records what a check returned: its findings (normalized), facts if any, and a status from the worst finding. */
  private recordOutcome(check: Check, outcome: CheckOutcome<unknown>): void {
    const findings = (outcome.findings ?? []).map((f) => normalizeFinding(f, check.id));
    if (outcome.facts !== undefined) this.facts[check.id] = outcome.facts;
    this.finish(check.id, {
      status: outcome.status ?? statusFromFindings(findings),
      summary: outcome.summary,
      ...(outcome.summaryMessage ? { summaryMessage: outcome.summaryMessage } : {}),
      findings,
      evidence: outcome.evidence ?? [],
      ...(outcome.evidenceMessages ? { evidenceMessages: outcome.evidenceMessages } : {}),
      hasFacts: outcome.facts !== undefined,
    });
  }

  /** Records why a check ended without an outcome: its own timeout, the run's cancel or deadline, or a throw. */
  private recordFailure(check: Check, err: unknown): void {
    this.finish(check.id, failurePatch(err, this.stop));
  }

  /** Final state: cancelled flag, end time, and the last snapshot. */
  complete(): RunState {
    this.state.cancelled = this.stop.reason === 'cancelled';
    this.state.finishedAt = this.wall();
    this.state.checks = this.checks.map((c) => this.runs.get(c.id)!);
    this.emit();
    return this.snapshot();
  }

  // ---- scheduling ----

  idle(): boolean {
    return this.inflight.size === 0;
  }

  /** Resolves when some in-flight check has settled. */
  nextSettled(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.wake = resolve;
    });
  }

  private signalWake(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  /** One scheduling pass over the pending checks in topological order; true when any check changed state. */
  advanceReadyChecks(ordered: readonly Check[]): boolean {
    let progressed = false;
    for (const check of ordered) {
      if (this.runs.get(check.id)!.status !== 'pending') continue;
      const readiness = this.readiness(check);
      if (readiness.kind === 'wait') continue;
      if (readiness.kind === 'settle') this.update(check.id, readiness.patch);
      else this.start(check);
      progressed = true;
    }
    return progressed;
  }

  /**
   * Decides a pending check's fate: after a stop it never starts; it waits until every `needs`/`wants` dependency is
   * terminal; it is skipped when a `needs` dependency left no facts or its own skipIf says so; otherwise it starts.
   */
  private readiness(check: Check): Readiness {
    const stopPatch = notStartedAfterStop(this.stop);
    if (stopPatch) return { kind: 'settle', patch: stopPatch };
    const deps = [...check.needs, ...(check.wants ?? [])];
    if (!deps.every((d) => isTerminal(this.runs.get(d)!.status))) return { kind: 'wait' };
    const missing = check.needs.find((d) => !this.runs.get(d)!.hasFacts);
    if (missing !== undefined) {
      const whyMessage = whyNeedLeftNoFacts(missing, this.runs.get(missing)!);
      const why = messageIn('en', whyMessage);
      return {
        kind: 'settle',
        patch: {
          status: 'skipped',
          skipReason: `needs ${why}`,
          summary: `skipped: needs ${why}`,
          summaryMessage: msg('engine.skippedNeeds', { why: whyMessage }),
        },
      };
    }
    const skip = this.ownSkipReason(check);
    if (skip !== undefined) {
      // a skipIf may say why as a catalogue message: the reason then reads in the reader's language too
      const why = typeof skip === 'string' ? skip : messageIn('en', skip);
      return {
        kind: 'settle',
        patch: { status: 'skipped', skipReason: why, summary: `skipped: ${why}`, summaryMessage: msg('engine.skipped', { why: skip }) },
      };
    }
    return { kind: 'start' };
  }

  /** The check's own skipIf verdict; a skipIf that throws skips the check with the reason. */
  private ownSkipReason(check: Check): string | Message | undefined {
    try {
      return check.skipIf?.({
        target: this.eo.target,
        options: this.eo.options,
        adapters: this.eo.adapters,
        signal: this.stop.signal,
        facts: (id) => this.facts[id as string] as never,
        maybeFacts: (id) => this.facts[id as string] as never,
      });
    } catch (err) {
      return `could not decide whether to run: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  // ---- running one check ----

  /** The context a running check sees: only facts of checks it declared in `needs`/`wants`. */
  private contextFor(check: Check, signal: AbortSignal): CheckContext {
    const facts = this.facts;
    const assertDeclared = (id: unknown) => {
      if (!check.needs.includes(id as CheckId) && !(check.wants ?? []).includes(id as CheckId))
        throw new GraphError(`check ${check.id} read facts of ${String(id)} without declaring it`);
    };
    return {
      target: this.eo.target,
      options: this.eo.options,
      adapters: this.eo.adapters,
      signal,
      facts: <K extends keyof FactsMap>(id: K) => {
        assertDeclared(id);
        if (!(id in facts)) throw new GraphError(`facts of ${String(id)} are not available to ${check.id}`);
        return facts[id as string] as FactsMap[K];
      },
      maybeFacts: <K extends keyof FactsMap>(id: K) => {
        assertDeclared(id);
        return facts[id as string] as FactsMap[K] | undefined;
      },
    };
  }

  /**
   * Starts a check: it gets its own abort signal (fired by its timeout or by the run's stop), races its work against
   * both, and records the outcome or the failure when the first of the three settles.
   */
  private start(check: Check): void {
    const runSignal = this.stop.signal;
    const ctrl = new AbortController();
    setMaxListeners(256, ctrl.signal);
    const forward = () => ctrl.abort(runSignal.reason);
    runSignal.addEventListener('abort', forward, { once: true });
    const ctx = this.contextFor(check, ctrl.signal);
    this.startedAt.set(check.id, this.now());
    this.update(check.id, { status: 'running', startedAt: this.wall() });
    this.emit();

    const timeout = checkTimeout(check, ctrl);
    const aborted = rejectOnAbort(runSignal);
    const work = (async (): Promise<CheckOutcome<unknown>> => check.run(ctx))();
    const p = Promise.race([work, timeout.promise, aborted])
      .then((outcome) => this.recordOutcome(check, outcome))
      .catch((err: unknown) => this.recordFailure(check, err))
      .finally(() => {
        timeout.clear();
        runSignal.removeEventListener('abort', forward);
        this.inflight.delete(check.id);
        this.signalWake();
      });
    this.inflight.set(check.id, p);
  }
}

/** The check's own time limit: aborts its signal and rejects with TimeoutSignal after check.timeoutMs. */
function checkTimeout(check: Check, ctrl: AbortController): { promise: Promise<never>; clear: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      ctrl.abort(new Error(`timed out after ${check.timeoutMs} ms`));
      reject(new TimeoutSignal(`timed out after ${check.timeoutMs} ms`));
    }, check.timeoutMs);
  });
  promise.catch(() => undefined);
  return { promise, clear: () => clearTimeout(timer) };
}

/** Rejects with the signal's reason once it aborts (at once when it already has). */
function rejectOnAbort(signal: AbortSignal): Promise<never> {
  const aborted = new Promise<never>((_, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => undefined);
  return aborted;
}

/** A check that never started because the run stopped: skipped at the deadline, cancelled on Ctrl-C. */
function notStartedAfterStop(stop: RunStop): Partial<CheckRun> | undefined {
  if (!stop.signal.aborted) return undefined;
  const reason = stop.reason === 'deadline' ? 'diagnosis deadline reached before it could start' : 'cancelled';
  return { status: stop.reason === 'deadline' ? 'skipped' : 'cancelled', skipReason: reason, summary: reason };
}

/** Why a `needs` dependency left no facts, worded for the dependent's skip reason (the dependency's summary in the
 *  reader's language when it is a message). */
function whyNeedLeftNoFacts(missing: string, dep: CheckRun): Message {
  const summary = dep.summaryMessage ?? dep.summary;
  switch (dep.status) {
    case 'skipped':
      return msg('probe.need.skipped', { check: missing });
    case 'crash':
      return msg('probe.need.crashed', { check: missing });
    case 'cancelled':
      return msg('probe.need.cancelled', { check: missing });
    case 'pass':
      return summary ? msg('probe.need.emptySummary', { check: missing, summary }) : msg('probe.need.empty', { check: missing });
    default:
      return summary ? msg('probe.need.failedSummary', { check: missing, summary }) : msg('probe.need.failed', { check: missing });
  }
}

/**
 * A started check that produced no outcome: its own timeout and the run's deadline are crashes ("did not finish"),
 * the run's cancel is `cancelled`, anything else it threw is a crash.
 */
function failurePatch(err: unknown, stop: RunStop): Partial<CheckRun> {
  if (err instanceof TimeoutSignal) return { status: 'crash', error: err.message, summary: `did not finish: ${err.message}` };
  if (stop.signal.aborted && stop.reason === 'cancelled') return { status: 'cancelled', summary: 'cancelled' };
  if (stop.signal.aborted && stop.reason === 'deadline') {
    const msg = (stop.signal.reason as Error)?.message ?? 'deadline reached';
    return { status: 'crash', error: msg, summary: `did not finish: ${msg}` };
  }
  const msg = err instanceof Error ? err.message : String(err);
  return { status: 'crash', error: msg, summary: `crashed: ${msg}` };
}
