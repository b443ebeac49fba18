// Reality wins over prediction: reconciles predicted findings with the outcome of a real CRI pull. Pure.
import type { Finding, RunState } from './types.js';
import { getFact } from './facts.js';

/**
 * Reality wins over prediction. When a real CRI pull ran: a prediction equal to the actual error is marked
 * confirmed and the raw "unknown" pull finding is dropped; when the pull succeeded, predicted failures become
 * warnings (the runtime evidently gets past them, e.g. through another host).
 */
export function reconcileWithPull(findings: Finding[], state: RunState): Finding[] {
  const pull = getFact(state.facts, 'cri-pull');
  if (!pull) return findings;
  if (pull.ok) {
    return findings.map((f) =>
      f.severity === 'error' || f.severity === 'critical'
        ? { ...f, severity: 'warning' as const, evidence: [...f.evidence, 'a real CRI pull of this image succeeded anyway'] }
        : f,
    );
  }
  const confirmed = findings.filter(
    (f) => f.source !== 'cri-pull' && f.predictedRuntimeError !== undefined && f.predictedRuntimeError === pull.message,
  );
  if (confirmed.length === 0) return findings;
  return findings
    .filter((f) => f.source !== 'cri-pull')
    .map((f) =>
      confirmed.includes(f) ? { ...f, evidence: [...f.evidence, 'confirmed: a real CRI pull fails with exactly this message'] } : f,
    );
}
