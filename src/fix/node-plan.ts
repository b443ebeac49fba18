// The fix command's planning step, between the diagnosis and the plan it shows: verify a supplied CA against the
// chain the registry presents (before anything is planned), read the directories the planner needs to be exact, and
// decide whether a certificate taken from the network may be installed (trust on first use is explicit).
import type { FsAdapter } from '../adapters/fs.js';
import type { Finding, FixProposal, RunState } from '../core/types.js';
import { getFact } from '../core/facts.js';
import { DEFAULT_GO_VERSION } from '../goverify/defaults.js';
import { plannerDirs, proposeFixes, type NodeSnapshot, type PlanContext, type PlanInputs } from './propose.js';
import { guardK3sFixes } from './propose-k3s.js';
import { checkSuppliedCa, describePresented, normalizeFingerprint, colonFingerprint, type PresentedCert } from './trust-check.js';

const CA_FINDINGS = new Set(['self-signed', 'untrusted-ca', 'incomplete-chain']);

/** With --ca: the CA must make Go's chain building succeed for the presented chain. Undefined when fine. */
export function suppliedCaProblem(finding: Finding, state: RunState, inputs: PlanInputs, now: Date): string | undefined {
  if (!inputs.ca || !CA_FINDINGS.has(finding.code)) return undefined;
  const chainFacts = getFact(state.facts, 'cert-chain');
  const chain = (chainFacts?.certs ?? []).map((c) => c.info);
  const pool = (chainFacts?.pool ?? []).map((t) => t.cert);
  const hs = getFact(state.facts, 'tls-handshake');
  const gv = getFact(state.facts, 'go-verify');
  const r = checkSuppliedCa({
    chain,
    pool,
    serverName: hs?.serverName ?? state.target.registry.apiHostname,
    caPem: inputs.ca,
    goVersion: gv?.goVersion ?? DEFAULT_GO_VERSION,
    now,
  });
  return r.ok
    ? undefined
    : `this CA does not sign the registry's chain: ${r.message}${inputs.caSource ? ` (--ca ${inputs.caSource})` : ''}`;
}

/** Reads the directories the planner asked for (listing, or null when absent). */
export async function readSnapshot(fs: FsAdapter, dirs: string[]): Promise<NodeSnapshot> {
  const out: NodeSnapshot = { dirs: {} };
  for (const d of dirs) {
    const st = await fs.stat(d).catch(() => undefined);
    out.dirs[d] = st?.isDirectory ? await fs.readdir(d) : null;
  }
  return out;
}

/** The finding's proposals, planned against what is on the node now. */
export async function planForNode(p: { fs: FsAdapter; finding: Finding; state: RunState; inputs: PlanInputs }): Promise<FixProposal[]> {
  const raw = getFact(p.state.facts, 'containerd-config')?.legacyTables;
  const ctx: PlanContext = { target: p.state.target, facts: p.state.facts, inputs: p.inputs, rawRegistry: raw };
  const node = await readSnapshot(p.fs, plannerDirs(ctx));
  const fixes = proposeFixes(p.finding, { ...ctx, node });
  // k3s / RKE2: the generated containerd files are never edited; the change goes into registries.yaml (propose-k3s.ts)
  const k3s = getFact(p.state.facts, 'containerd-config')?.k3s;
  return k3s ? guardK3sFixes(fixes, k3s, p.finding.host ?? p.state.target.registry.name) : fixes;
}

export type TofuDecision = { kind: 'trusted' } | { kind: 'ask'; lines: string[] } | { kind: 'refuse'; message: string };

/**
 * A proposal that installs the certificate the network presented needs the operator to name it: --trust-presented
 * with its SHA-256 fingerprint, or (interactive) a confirmation that shows it. Plain --yes is never enough.
 */
export function tofuDecision(presented: PresentedCert, trustPresented: string | undefined, canAsk: boolean): TofuDecision {
  const lines = describePresented(presented);
  if (trustPresented !== undefined) {
    const want = normalizeFingerprint(trustPresented);
    if (!want)
      return {
        kind: 'refuse',
        message: `--trust-presented ${JSON.stringify(trustPresented)} is not a SHA-256 fingerprint (64 hex digits, colons allowed)`,
      };
    if (want === presented.sha256) return { kind: 'trusted' };
    return {
      kind: 'refuse',
      message: [
        `the registry presented a different certificate than --trust-presented names (${colonFingerprint(want)}): refusing to install it.`,
        ...lines.map((l) => `  ${l}`),
      ].join('\n'),
    };
  }
  if (canAsk) return { kind: 'ask', lines };
  return {
    kind: 'refuse',
    message: [
      'this fix would trust the certificate the network presented (trust on first use). Check it out of band, then re-run with',
      `  --trust-presented ${presented.sha256}`,
      'or give the CA file with --ca FILE. The presented certificate:',
      ...lines.map((l) => `  ${l}`),
    ].join('\n'),
  };
}
