// One diagnosis: run the check graph for a target, then attach fix proposals and build the report.
// Shared by `diagnose`, `demo`, `fix` (verification re-runs) and the Ink UI.
import { runGraph } from '../core/engine.js';
import { buildReport, collectFindings, type Report } from '../core/report.js';
import type { Adapters } from '../core/adapters.js';
import type { Check, Finding, RunOptions, RunState, Target } from '../core/types.js';

export interface DiagnosisResult {
  state: RunState;
  findings: Finding[];
  report: Report;
}

import type { PlanInputs } from '../fix/propose.js';
import { attachProposals } from '../fix/attach.js';
import { reconcileWithPull } from '../core/reconcile.js';
import { getFact } from '../core/facts.js';
import { loadSystemRoots } from '../trust/system-roots.js';

export { reconcileWithPull } from '../core/reconcile.js';

export interface DiagnoseParams {
  target: Target;
  options: RunOptions;
  adapters: Adapters;
  signal?: AbortSignal;
  onUpdate?: (state: RunState) => void;
  /** Defaults to the full ordered list in checks/index.ts. */
  checks?: readonly Check[];
  /** Material the operator supplied for fixes (--ca, --client-cert, --client-key). */
  fixInputs?: PlanInputs;
}

export { DEFAULT_RUN_OPTIONS } from './run-options.js';

export async function diagnose(p: DiagnoseParams): Promise<DiagnosisResult> {
  // Startup ordering: the trust pool (a few hundred file reads and parses) loads from t=0, in parallel with the
  // runtime probe and the network checks, instead of after the handshake. It is keyed by root and the runtime's
  // SSL_CERT_* (none here, the common case); a runtime with its own SSL_CERT_FILE loads its pool when known.
  if (!p.checks || p.checks.some((c) => c.id === 'cert-chain')) void loadSystemRoots(p.adapters.fs, {}).catch(() => undefined);
  const checks = p.checks ?? (await import('../../checks/index.js')).CHECKS;
  const state = await runGraph(checks, {
    target: p.target,
    options: p.options,
    adapters: p.adapters,
    signal: p.signal,
    onUpdate: p.onUpdate,
  });
  const findings = attachFixes(reconcileWithPull(collectFindings(state), state), state, p.fixInputs);
  return { state, findings, report: buildReport(state, findings) };
}

/** Fills `fixes` of every finding from the fix planner (data only; nothing is applied here). */
export function attachFixes(findings: Finding[], state: RunState, inputs: PlanInputs = {}): Finding[] {
  return attachProposals(findings, state, inputs, getFact(state.facts, 'containerd-config')?.legacyTables);
}
