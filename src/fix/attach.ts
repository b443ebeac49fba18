// Attaches fix proposals to every finding, choosing the planner for the node's runtime: CRI-O's (its wording, its
// files) on a CRI-O node, containerd's otherwise. Data only: nothing is applied here.
import type { Finding, RunState } from '../core/types.js';
import { proposeFixes, type PlanContext, type PlanInputs } from './propose.js';
import { attachCrioProposals, isCrioNode } from './propose-crio.js';
import type { RawRegistry } from './legacy-migration.js';

/** Fills `fixes` on every finding. */
export function attachProposals(findings: Finding[], state: RunState, inputs: PlanInputs = {}, rawRegistry?: RawRegistry): Finding[] {
  // a CRI-O node: CRI-O's wording and fixes in CRI-O's files (propose-crio.ts), never containerd's
  if (isCrioNode(state.facts)) return attachCrioProposals(findings, state, inputs);
  const ctx: PlanContext = { target: state.target, facts: state.facts, inputs, rawRegistry };
  return findings.map((f) => ({ ...f, fixes: f.severity === 'info' ? [] : proposeFixes(f, ctx) }));
}
