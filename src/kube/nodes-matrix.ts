// The per-node matrix of `regdoctor nodes`: nodes grouped by identical outcome — verdict code, the runtime error
// regdoctor predicts, and a digest of the effective registry configuration for the host — the odd ones out first,
// plus a fleet fix plan for the failing groups (shown, never applied here).
import { createHash } from 'node:crypto';
import type { Report } from '../core/report.js';
import { shellJoin } from '../text/shell.js';
import { needsOptIn, proposalRisk, riskLabel } from '../fix/risk.js';
import { summaryOf, t, tn, tr, type Message } from '../i18n/index.js';
import { evidence } from '../i18n/evidence.js';
import { compareCodeUnits } from '../text/compare.js';

export interface NodeConfig {
  /** sha256 (first 16 hex digits) of the lines below. */
  digest: string;
  /** The effective registry configuration for the host as the node's diagnosis resolved it. */
  lines: string[];
  /** The lines' catalogue messages, same index (null: a raw line); absent when every line is raw. Printed through
   *  i18n/evidence.ts evidenceText({ evidence: lines, evidenceMessages: messages }, i); the digest is of the lines. */
  messages?: (Message | null)[];
}

export interface NodeOutcome {
  node: string;
  /** diagnosed: a report came back; otherwise why not. */
  state: 'diagnosed' | 'pod-failed' | 'timeout' | 'cancelled' | 'error';
  /** The node's cause: the verdict code of its report (but see causeOf), or the state when there is no report. */
  code: string;
  /** The report's own verdict code (diagnosed nodes). */
  verdict?: string;
  /** Distinct finding codes of the report, most severe first. */
  findings?: string[];
  title: string;
  summary: string;
  /** `summary` as a catalogue message (rendered in the reader's language). */
  summaryMessage?: Message;
  predictedRuntimeError?: string;
  config?: NodeConfig;
  exitCode?: number;
  durationMs: number;
}

export interface NodeGroup {
  key: string;
  code: string;
  title: string;
  summary: string;
  summaryMessage?: Message;
  predictedRuntimeError?: string;
  config?: NodeConfig;
  nodes: string[];
  healthy: boolean;
}

/** Evidence lines that describe configuration (not timing): the containerd-config check's resolution of the host
 *  (config file version, config_path, the hosts.toml that applies, each endpoint with its CA/client/skip_verify) and
 *  which trust source anchored the registry's chain. */
export function configOf(report: Report): NodeConfig {
  const ev = evidence();
  for (const c of report.checks ?? []) {
    if (c.id === 'containerd-config') ev.add(c);
    if (c.id === 'cert-chain')
      (c.evidence ?? []).forEach((e, i) => {
        if (e.startsWith('anchored by ')) ev.add({ evidence: [e], evidenceMessages: [c.evidenceMessages?.[i] ?? null] });
      });
  }
  const { evidence: lines, evidenceMessages: messages } = ev.out();
  return { digest: createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16), lines, ...(messages ? { messages } : {}) };
}

/**
 * The cause a node is grouped under. The verdict, except when the running runtime has not loaded the configuration
 * on disk (config-not-applied) and the node does not pull: then every other finding was judged against files the
 * runtime is not using — what the node needs is a restart, and that is what sets it apart from its neighbours
 * (the verdict stays in `verdict`).
 */
export function causeOf(report: Report): { code: string; title: string; summary: string; summaryMessage?: Message } {
  const v = report.verdict;
  const stale = v?.code !== 'healthy' ? (report.findings ?? []).find((f) => f.code === 'config-not-applied') : undefined;
  if (stale)
    return {
      code: stale.code,
      title: String(stale.title ?? ''),
      ...summaryOf('node.nodes.staleCause', { summary: stale.summaryMessage ?? stale.summary, code: String(v?.code) }),
      // the English stored as it was, whatever the finding's message renders
      summary: `${stale.summary} (the pull fails meanwhile: ${v?.code})`,
    };
  return {
    code: String(v?.code ?? 'unknown'),
    title: String(v?.title ?? ''),
    summary: String(v?.summary ?? ''),
    ...(v?.summaryMessage ? { summaryMessage: v.summaryMessage } : {}),
  };
}

export function outcomeFromReport(node: string, report: Report, durationMs: number, exitCode?: number): NodeOutcome {
  const cause = causeOf(report);
  return {
    node,
    state: 'diagnosed',
    code: cause.code,
    verdict: String(report.verdict?.code ?? 'unknown'),
    findings: [...new Set((report.findings ?? []).map((f) => String(f.code)))],
    title: cause.title,
    summary: cause.summary,
    ...(cause.summaryMessage ? { summaryMessage: cause.summaryMessage } : {}),
    predictedRuntimeError: report.verdict?.predictedRuntimeError,
    config: configOf(report),
    exitCode,
    durationMs,
  };
}

export function groupKey(o: NodeOutcome): string {
  return [o.code, o.predictedRuntimeError ?? '', o.config?.digest ?? '', o.state === 'diagnosed' ? '' : o.summary].join('\u0000');
}

/** Groups outcomes: smallest groups (the odd ones out) first, healthy after failing at equal size. */
export function groupOutcomes(outcomes: readonly NodeOutcome[]): NodeGroup[] {
  const groups = new Map<string, NodeGroup>();
  for (const o of outcomes) {
    const k = groupKey(o);
    let g = groups.get(k);
    if (!g) {
      g = {
        key: k,
        code: o.code,
        title: o.title,
        summary: o.summary,
        ...(o.summaryMessage ? { summaryMessage: o.summaryMessage } : {}),
        predictedRuntimeError: o.predictedRuntimeError,
        config: o.config,
        nodes: [],
        healthy: o.code === 'healthy',
      };
      groups.set(k, g);
    }
    g.nodes.push(o.node);
  }
  for (const g of groups.values()) g.nodes.sort();
  return [...groups.values()].sort(
    (a, b) => a.nodes.length - b.nodes.length || Number(a.healthy) - Number(b.healthy) || compareCodeUnits(a.code, b.code),
  );
}

/** "1 of 4 nodes: untrusted-ca — …" in the active language. */
export function headline(g: NodeGroup, total: number): string {
  const summary = g.summaryMessage ? tr(g.summaryMessage, g.summary) : g.summary;
  return t('node.nodes.headline', {
    n: g.nodes.length,
    nodes: tn('node.nodes.nodes', total),
    code: g.code,
    summary: summary ? ` — ${summary}` : '',
  });
}

/** What makes a group's configuration differ from the largest healthy group's, line by line. */
export function configDiff(g: NodeGroup, reference: NodeGroup | undefined): { only: string[]; missing: string[] } {
  if (!g.config || !reference?.config || reference === g) return { only: [], missing: [] };
  const ref = new Set(reference.config.lines);
  const mine = new Set(g.config.lines);
  return { only: g.config.lines.filter((l) => !ref.has(l)), missing: reference.config.lines.filter((l) => !mine.has(l)) };
}

export interface FleetFix {
  group: string;
  code: string;
  nodes: string[];
  /** What the plan does, in one line. */
  summary: string;
  summaryMessage?: Message;
  /** Fix proposals of the group's example report regdoctor can apply (verification-disabling ones left out). */
  proposals: { id: string; title: string; titleMessage?: Message; risk: string; restartRequired: boolean }[];
  /** Files each node of the group gets (paths on the node). */
  files: string[];
  /** Commands run once before the per-node ones (e.g. take the CA the healthy nodes trust from one of them). */
  prepare: { argv: string[]; command: string; redirect?: string }[];
  /** One command per node, run through `kubectl debug node/…`: regdoctor's journaled fix (or a runtime restart). */
  commands: { node: string; argv: string[]; command: string; stdin?: string }[];
}

const TRUST_CODES = new Set(['untrusted-ca', 'self-signed', 'incomplete-chain']);

/** CA files the group's configuration names (endpoint lines: `ca=/a.crt,/b.crt`). */
export function caFilesOf(g: NodeGroup | undefined): string[] {
  const out = new Set<string>();
  for (const l of g?.config?.lines ?? []) {
    const m = l.match(/^endpoint \d+: .*? ca=(\S+)/);
    if (m) for (const f of m[1]!.split(',')) out.add(f);
  }
  return [...out];
}

/** The hosts.toml that applies in the group's configuration. */
export function hostsFileOf(g: NodeGroup | undefined): string | undefined {
  return g?.config?.lines.map((l) => l.match(/^applies: (\S+hosts\.toml)$/)?.[1]).find(Boolean);
}

/**
 * The fleet fix plan for one failing group: the files each node needs and the commands that apply regdoctor's own
 * journaled fix on each node through `kubectl debug node/…` (where the node's root is /host). Shown only.
 *  - config-not-applied: the nodes have the right files; containerd needs a restart.
 *  - a trust problem while healthy nodes trust the registry through a CA file: take that CA from a healthy node and
 *    run `regdoctor fix --ca` with it on each failing node (it writes certs.d/<host>/hosts.toml + the CA).
 *  - otherwise: the fix regdoctor proposes for the group (never one that disables verification).
 */
export function fleetFix(
  g: NodeGroup,
  report: Report | undefined,
  o: { ref: string; image: string; kubectlArgs?: string[]; reference?: NodeGroup },
): FleetFix | undefined {
  if (g.healthy || g.config === undefined) return undefined;
  const kubectl = (node: string, rest: string[], stdin = false) => [
    'kubectl',
    ...(o.kubectlArgs ?? []),
    'debug',
    `node/${node}`,
    ...(stdin ? ['-i'] : []),
    '-q',
    '--profile=sysadmin',
    `--image=${o.image}`,
    '--',
    ...rest,
  ];
  // the journal goes to the node's /var/lib/regdoctor (--state-dir is read under --root)
  const fixArgs = (extra: string[]) => ['regdoctor', 'fix', o.ref, '--root', '/host', '--yes', ...extra];
  const restart = ['--restart-cmd', 'chroot /host systemctl restart containerd'];
  const base = { group: g.key, code: g.code, nodes: g.nodes };
  if (g.code === 'config-not-applied') {
    return {
      ...base,
      ...summaryOf('node.fleet.restart'),
      proposals: [],
      files: [],
      prepare: [],
      commands: g.nodes.map((node) => {
        const argv = kubectl(node, ['chroot', '/host', 'systemctl', 'restart', 'containerd']);
        return { node, argv, command: shellJoin(argv) };
      }),
    };
  }
  const refCa = caFilesOf(o.reference);
  const donor = o.reference?.nodes[0];
  // a hosts.toml containerd ignores (config-ignored) whose symptom is a trust error gets the same trusted-CA fix
  const trustSymptom = g.code === 'config-ignored' && (report?.findings ?? []).some((f) => TRUST_CODES.has(f.code));
  if ((TRUST_CODES.has(g.code) || trustSymptom) && donor && refCa.length) {
    const caPath = refCa[0]!;
    const prep = kubectl(donor, ['cat', `/host${caPath}`]);
    return {
      ...base,
      ...summaryOf('node.fleet.trustCa', { n: o.reference!.nodes.length, file: caPath, donor }),
      proposals: [],
      files: [...new Set([hostsFileOf(o.reference), caPath].filter((f): f is string => Boolean(f)))],
      prepare: [{ argv: prep, command: `${shellJoin(prep)} > ca.crt`, redirect: 'ca.crt' }],
      commands: g.nodes.map((node) => {
        // the CA goes in on stdin: the debug container writes it to its own /tmp, not to the node
        const argv = kubectl(
          node,
          ['sh', '-c', 'cat > /tmp/ca.crt && exec "$@"', 'regdoctor-fix', ...fixArgs(['--ca', '/tmp/ca.crt', ...restart])],
          true,
        );
        return { node, argv, command: `${shellJoin(argv)} < ca.crt`, stdin: 'ca.crt' };
      }),
    };
  }
  const proposals = (report?.findings ?? [])
    .flatMap((f) => f.fixes ?? [])
    .filter(
      (x) =>
        x.where === 'node' &&
        (x.actions ?? []).length > 0 &&
        !(x as { blocked?: unknown }).blocked &&
        !needsOptIn(proposalRisk({ ...x, manualSteps: x.manualSteps ?? [] })),
    );
  if (!proposals.length) return undefined;
  const files = new Set<string>();
  for (const p of proposals) {
    for (const a of p.actions) {
      if (a.kind === 'write-file' || a.kind === 'edit-toml' || a.kind === 'edit-yaml' || a.kind === 'remove-file') files.add(a.path);
      else if (a.kind === 'copy-file') files.add(a.to);
    }
  }
  const needsRestart = proposals.some((p) => p.restartRequired);
  return {
    ...base,
    summary: proposals[0]!.title,
    ...(proposals[0]!.titleMessage ? { summaryMessage: proposals[0]!.titleMessage } : {}),
    // the label every output prints (src/fix/risk.ts), computed from the node report's actions
    proposals: proposals.map((p) => ({
      id: p.id,
      title: p.title,
      ...(p.titleMessage ? { titleMessage: p.titleMessage } : {}),
      risk: riskLabel({ ...p, manualSteps: p.manualSteps ?? [] }),
      restartRequired: p.restartRequired,
    })),
    files: [...files].sort(),
    prepare: [],
    commands: g.nodes.map((node) => {
      const argv = kubectl(node, fixArgs(needsRestart ? restart : []));
      return { node, argv, command: shellJoin(argv) };
    }),
  };
}
