// The per-node matrix of `regdoctor nodes`: nodes grouped by identical outcome — verdict code, the runtime error
// regdoctor predicts, and a digest of the effective registry configuration for the host — the odd ones out first,
// plus a fleet fix plan for the failing groups (shown, never applied here).
import { createHash } from 'node:crypto';
import type { Report } from '../core/report.js';
import { shellJoin } from '../core/shell.js';

export interface NodeConfig {
  /** sha256 (first 16 hex digits) of the lines below. */
  digest: string;
  /** The effective registry configuration for the host as the node's diagnosis resolved it. */
  lines: string[];
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
  predictedRuntimeError?: string;
  config?: NodeConfig;
  nodes: string[];
  healthy: boolean;
}

/** Evidence lines that describe configuration (not timing): the containerd-config check's resolution of the host
 *  (config file version, config_path, the hosts.toml that applies, each endpoint with its CA/client/skip_verify) and
 *  which trust source anchored the registry's chain. */
export function configOf(report: Report): NodeConfig {
  const lines: string[] = [];
  for (const c of report.checks ?? []) {
    if (c.id === 'containerd-config') lines.push(...(c.evidence ?? []));
    if (c.id === 'cert-chain') lines.push(...(c.evidence ?? []).filter((e) => e.startsWith('anchored by ')));
  }
  return { digest: createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16), lines };
}

/**
 * The cause a node is grouped under. The verdict, except when the running runtime has not loaded the configuration
 * on disk (config-not-applied) and the node does not pull: then every other finding was judged against files the
 * runtime is not using — what the node needs is a restart, and that is what sets it apart from its neighbours
 * (the verdict stays in `verdict`).
 */
export function causeOf(report: Report): { code: string; title: string; summary: string } {
  const v = report.verdict;
  const stale = v?.code !== 'healthy' ? (report.findings ?? []).find((f) => f.code === 'config-not-applied') : undefined;
  if (stale) return { code: stale.code, title: String(stale.title ?? ''), summary: `${stale.summary} (the pull fails meanwhile: ${v?.code})` };
  return { code: String(v?.code ?? 'unknown'), title: String(v?.title ?? ''), summary: String(v?.summary ?? '') };
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
      g = { key: k, code: o.code, title: o.title, summary: o.summary, predictedRuntimeError: o.predictedRuntimeError, config: o.config, nodes: [], healthy: o.code === 'healthy' };
      groups.set(k, g);
    }
    g.nodes.push(o.node);
  }
  for (const g of groups.values()) g.nodes.sort();
  return [...groups.values()].sort((a, b) => a.nodes.length - b.nodes.length || Number(a.healthy) - Number(b.healthy) || a.code.localeCompare(b.code));
}

/** "1 of 4 nodes: untrusted-ca — …" */
export function headline(g: NodeGroup, total: number): string {
  return `${g.nodes.length} of ${total} node${total === 1 ? '' : 's'}: ${g.code}${g.summary ? ` — ${g.summary}` : ''}`;
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
  /** Fix proposals of the group's example report that can be applied by regdoctor (id: title). */
  proposals: { id: string; title: string; risk: string; restartRequired: boolean }[];
  /** Files each node of the group gets (paths on the node). */
  files: string[];
  /** One command per node: regdoctor's own journaled fix, run on the node through `kubectl debug node/…`. */
  commands: { node: string; argv: string[]; command: string }[];
}

/** The fleet fix plan for one failing group from its example report. Shown; applying is up to the operator. */
export function fleetFix(g: NodeGroup, report: Report | undefined, o: { ref: string; image: string; kubectlArgs?: string[] }): FleetFix | undefined {
  if (g.healthy || !report) return undefined;
  const proposals = (report.findings ?? []).flatMap((f) => f.fixes ?? []).filter((x) => x.where === 'node' && (x.actions ?? []).length > 0 && !(x as { blocked?: unknown }).blocked);
  if (!proposals.length) return undefined;
  const files = new Set<string>();
  for (const p of proposals) {
    for (const a of p.actions) {
      if (a.kind === 'write-file' || a.kind === 'edit-toml' || a.kind === 'remove-file') files.add(a.path);
      else if (a.kind === 'copy-file') files.add(a.to);
    }
  }
  const restart = proposals.some((p) => p.restartRequired);
  const commands = g.nodes.map((node) => {
    const argv = [
      'kubectl', ...(o.kubectlArgs ?? []), 'debug', `node/${node}`, '--profile=sysadmin', `--image=${o.image}`, '--',
      'regdoctor', 'fix', o.ref, '--root', '/host', '--state-dir', '/host/var/lib/regdoctor', '--yes',
      ...(restart ? ['--restart-cmd', 'chroot /host systemctl restart containerd'] : []),
    ];
    return { node, argv, command: shellJoin(argv) };
  });
  return {
    group: g.key,
    code: g.code,
    nodes: g.nodes,
    proposals: proposals.map((p) => ({ id: p.id, title: p.title, risk: p.risk, restartRequired: p.restartRequired })),
    files: [...files].sort(),
    commands,
  };
}
