// The fix command's planning step, between the diagnosis and the plan it shows: verify a supplied CA against the
// chain the registry presents (before anything is planned), read the directories the planner needs to be exact, and
// decide whether a certificate taken from the network may be installed (trust on first use is explicit).
import type { FsAdapter } from '../adapters/fs.js';
import type { Finding, FixProposal, RunState } from '../core/types.js';
import { getFact } from '../core/facts.js';
import { DEFAULT_GO_VERSION } from '../goverify/defaults.js';
import { plannerDirs, proposeFixes, type NodeSnapshot, type PlanContext, type PlanInputs } from './propose.js';
import { guardK3sFixes } from './propose-k3s.js';
import { checkSuppliedCa, describePresentedMessages, normalizeFingerprint, colonFingerprint, type PresentedCert } from './trust-check.js';
import { messageIn, msg, tr, type Message } from '../i18n/index.js';
import { saidEnglish, type Said } from './errors.js';

const CA_FINDINGS = new Set(['self-signed', 'untrusted-ca', 'incomplete-chain']);

/** With --ca: the CA must make Go's chain building succeed for the presented chain. Undefined when fine. */
export function suppliedCaProblem(finding: Finding, state: RunState, inputs: PlanInputs, now: Date): Message | undefined {
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
  return r.ok ? undefined : caDoesNotSign(r.said ?? r.message, inputs.caSource);
}

/** "this CA does not sign the registry's chain: <why> (--ca FILE)" */
export function caDoesNotSign(why: Said, caSource: string | undefined): Message {
  return msg('fix.ca.doesNotSign', { why, source: caSource ? msg('fix.ca.source', { file: caSource }) : '' });
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

export type TofuDecision =
  | { kind: 'trusted' }
  /** `lines`: the presented certificate, in the reader's language. */
  | { kind: 'ask'; lines: string[] }
  /** `message`: English; `said`: its lines for the reader's language (tofuRefusalText). */
  | { kind: 'refuse'; message: string; said: Said[] };

/** A refusal's lines in the reader's language. */
export function tofuRefusalText(d: Extract<TofuDecision, { kind: 'refuse' }>): string {
  return d.said.map((s) => (typeof s === 'string' ? s : tr(s))).join('\n');
}

function refuse(said: Said[]): TofuDecision {
  return { kind: 'refuse', message: said.map(saidEnglish).join('\n'), said };
}

/**
 * A proposal that installs the certificate the network presented needs the operator to name it: --trust-presented
 * with its SHA-256 fingerprint, or (interactive) a confirmation that shows it. Plain --yes is never enough.
 */
export function tofuDecision(presented: PresentedCert, trustPresented: string | undefined, canAsk: boolean): TofuDecision {
  const lines = describePresentedMessages(presented);
  const indented = lines.map((l) => msg('fix.indent', { a: l }));
  if (trustPresented !== undefined) {
    const want = normalizeFingerprint(trustPresented);
    if (!want) return refuse([msg('fix.tofu.notFingerprint', { value: JSON.stringify(trustPresented) })]);
    if (want === presented.sha256) return { kind: 'trusted' };
    return refuse([msg('fix.tofu.different', { fingerprint: colonFingerprint(want) }), ...indented]);
  }
  if (canAsk) return { kind: 'ask', lines: lines.map((l) => tr(l, messageIn('en', l))) };
  return refuse([msg('fix.tofu.needName1'), `  --trust-presented ${presented.sha256}`, msg('fix.tofu.needName2'), ...indented]);
}
