// Attaches fix proposals to every finding, choosing the planner for the node's runtime: CRI-O's (its wording, its
// files) on a CRI-O node, containerd's otherwise. Data only: nothing is applied here.
import type { Finding, RunState } from '../core/types.js';
import { proposeFixes, type PlanContext, type PlanInputs } from './propose.js';
import { attachCrioProposals, isCrioNode } from './propose-crio.js';
import type { RawRegistry } from './legacy-migration.js';
import { guardK3sProposals } from './propose-k3s.js';

/** Fills `fixes` on every finding. */
export function attachProposals(findings: Finding[], state: RunState, inputs: PlanInputs = {}, rawRegistry?: RawRegistry): Finding[] {
  // a CRI-O node: CRI-O's wording and fixes in CRI-O's files (propose-crio.ts), never containerd's
  if (isCrioNode(state.facts)) return attachCrioProposals(findings, state, inputs);
  const ctx: PlanContext = { target: state.target, facts: state.facts, inputs, rawRegistry };
  const out = findings.map((f) => ({ ...f, fixes: f.severity === 'info' ? [] : proposeFixes(f, ctx) }));
  // k3s / RKE2: never edit the generated containerd files; restart the service that renders them (propose-k3s.ts)
  const k3s = state.facts['containerd-config']?.k3s;
  return k3s ? guardK3sProposals(out, k3s, state.target.registry.name) : out;
}
