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

import { attachProposals, type PlanInputs } from '../fix/propose.js';

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
  const findings = attachFixes(reconcileWithPull(collectFindings(state), state), state, p.fixInputs);
  return { state, findings, report: buildReport(state, findings) };
}

interface PullFactsLike {
  ok: boolean;
  message?: string;
}

/**
 * Reality wins over prediction. When a real CRI pull ran: a prediction equal to the actual error is marked
 * confirmed and the raw "unknown" pull finding is dropped; when the pull succeeded, predicted failures become
 * warnings (the runtime evidently gets past them, e.g. through another host).
 */
export function reconcileWithPull(findings: Finding[], state: RunState): Finding[] {
  const pull = (state.facts as Record<string, unknown>)['cri-pull'] as PullFactsLike | undefined;
  if (!pull) return findings;
  if (pull.ok) {
    return findings.map((f) =>
      f.severity === 'error' || f.severity === 'critical'
        ? { ...f, severity: 'warning' as const, evidence: [...f.evidence, 'a real CRI pull of this image succeeded anyway'] }
        : f,
    );
  }
  const confirmed = findings.filter((f) => f.source !== 'cri-pull' && f.predictedRuntimeError !== undefined && f.predictedRuntimeError === pull.message);
  if (confirmed.length === 0) return findings;
  return findings
    .filter((f) => f.source !== 'cri-pull')
    .map((f) => (confirmed.includes(f) ? { ...f, evidence: [...f.evidence, 'confirmed: a real CRI pull fails with exactly this message'] } : f));
}

/** Fills `fixes` of every finding from the fix planner (data only; nothing is applied here). */
export function attachFixes(findings: Finding[], state: RunState, inputs: PlanInputs = {}): Finding[] {
  const legacy = (state.facts as Record<string, { legacyTables?: { mirrors: Record<string, { endpoint?: string[] }>; configs: Record<string, { tls?: Record<string, unknown> }> } } | undefined>)['containerd-config']?.legacyTables;
  return attachProposals(findings, state, inputs, legacy as Parameters<typeof attachProposals>[3]);
}
