// The per-node matrix of `regdoctor nodes`: plain text (pipes, CI) and an Ink view for a TTY (live progress, then the
// groups table). Node names, summaries and errors come from the cluster and the nodes: every one is shown inert.
import React from 'react';
import { Box, Text, render } from 'ink';
import { sanitizeLine } from '../text/sanitize.js';
import { paint, wrap, clip } from './format.js';
import { configDiff, headline, type FleetFix, type NodeGroup } from '../kube/nodes-matrix.js';
import { fixTitle, t as tl, tn, tr } from '../i18n/index.js';

/** "regdoctor nodes <target>: 4 nodes, 2 groups" after the bold name, in the active language. */
export function nodesCount(total: number, groups: number): string {
  return tl('node.nodes.count', { nodes: tn('node.nodes.nodes', total), groups: tn('node.nodes.groups', groups) });
}

const t = (s: string | undefined) => sanitizeLine(String(s ?? ''));

export interface MatrixView {
  target: string;
  total: number;
  groups: NodeGroup[];
  fixes: FleetFix[];
  notes: string[];
}

/** The largest healthy group: the reference the others are compared with. */
function reference(groups: NodeGroup[]): NodeGroup | undefined {
  return [...groups].filter((g) => g.healthy).sort((a, b) => b.nodes.length - a.nodes.length)[0];
}

export function renderMatrixText(v: MatrixView, o: { color: boolean; columns: number }): string {
  const out: string[] = [];
  const col = o.color;
  out.push(`${paint('regdoctor nodes', 'bold', col)} ${t(v.target)}: ${nodesCount(v.total, v.groups.length)}`);
  const ref = reference(v.groups);
  for (const g of v.groups) {
    out.push('');
    // wrapped as plain text, painted after: wrap() shows control characters (an ESC of a colour code) as escapes
    const glyph = g.healthy ? '✓' : '✗';
    wrap(`${glyph} ${t(headline(g, v.total))}`, o.columns, '', '  ').forEach((l, k) =>
      out.push(k === 0 ? l.replace(glyph, paint(glyph, g.healthy ? 'green' : 'red', col)) : l),
    );
    if (g.predictedRuntimeError)
      out.push(...wrap(`containerd: ${t(g.predictedRuntimeError)}`, o.columns, '    ').map((l) => paint(l, 'dim', col)));
    if (g.config) out.push(`    ${tl('node.nodes.registryConfigLine', { digest: `sha256:${g.config.digest}` })}`);
    const d = configDiff(g, ref);
    for (const l of d.only) out.push(...wrap(`      + ${t(l)}`, o.columns, '        '));
    for (const l of d.missing)
      out.push(...wrap(`      - ${t(l)}   ${tl('node.nodes.healthyHave', { n: ref!.nodes.length })}`, o.columns, '        '));
    if (g === ref || !ref)
      for (const l of g.config?.lines ?? [])
        if (/^(applies|endpoint|config_path|anchored)/.test(l))
          out.push(...wrap(`      ${t(l)}`, o.columns, '        ').map((x) => paint(x, 'dim', col)));
    out.push(...wrap(`    ${tl('node.nodes.nodeListLower', { nodes: g.nodes.map(t).join(', ') })}`, o.columns, '      '));
  }
  for (const f of v.fixes) {
    out.push(
      '',
      paint(
        tl(f.nodes.length === 1 ? 'node.nodes.fixPlan.one' : 'node.nodes.fixPlan.other', {
          n: f.nodes.length,
          code: t(f.code),
          summary: t(f.summaryMessage ? tr(f.summaryMessage, f.summary) : f.summary),
        }),
        'bold',
        col,
      ),
    );
    for (const p of f.proposals) out.push(`  - ${t(fixTitle(p))} [${t(p.risk)}]`);
    if (f.files.length) out.push(`  ${tl('node.nodes.filesNeeded', { files: f.files.map(t).join(', ') })}`);
    for (const c of f.prepare) out.push(`    ${t(c.command)}`);
    if (f.commands.some((c) => c.argv.includes('fix')))
      out.push(`  ${tl('node.nodes.journaled', { rollback: '`regdoctor rollback <id> --root /host`' })}`);
    for (const c of f.commands) out.push(`    ${t(c.command)}`);
  }
  for (const n of v.notes) out.push(paint(tl('node.audit.note', { note: t(n) }), 'dim', col));
  return `${out.join('\n')}\n`;
}

export interface ProgressState {
  total?: number;
  done: number;
  running: number;
  last?: string;
  phase: string;
}

export function NodesProgress({ p, columns }: { p: ProgressState; columns: number }) {
  const width = Math.max(20, Math.min(40, columns - 40));
  const frac = p.total ? p.done / p.total : 0;
  const bar = '█'.repeat(Math.round(frac * width)).padEnd(width, '░');
  return (
    <Box flexDirection="column">
      <Text>
        {bar} {tl('node.nodes.progress', { done: p.done, total: p.total ?? '?', running: p.running })}
      </Text>
      <Text dimColor>{clip(t(p.last ? `${p.phase}: ${p.last}` : p.phase), columns - 1)}</Text>
    </Box>
  );
}

export function MatrixTable({ v, columns }: { v: MatrixView; columns: number }) {
  const ref = reference(v.groups);
  return (
    <Box flexDirection="column">
      <Text bold>
        regdoctor nodes {t(v.target)}: {nodesCount(v.total, v.groups.length)}
      </Text>
      {v.groups.map((g) => (
        <Box key={g.key} flexDirection="column" marginTop={1}>
          <Text color={g.healthy ? 'green' : 'red'}>{clip(`${g.healthy ? '✓' : '✗'} ${t(headline(g, v.total))}`, columns - 1)}</Text>
          {g.predictedRuntimeError ? <Text dimColor>{clip(`    containerd: ${t(g.predictedRuntimeError)}`, columns - 1)}</Text> : null}
          {g.config ? <Text>{`    ${tl('node.nodes.registryConfigLine', { digest: `sha256:${g.config.digest}` })}`}</Text> : null}
          {configDiff(g, ref).only.map((l, i) => (
            <Text key={`o${i}`} color="yellow">
              {clip(`      + ${t(l)}`, columns - 1)}
            </Text>
          ))}
          <Text>{clip(`    ${tl('node.nodes.nodeListLower', { nodes: g.nodes.map(t).join(', ') })}`, columns - 1)}</Text>
        </Box>
      ))}
    </Box>
  );
}

/** Live progress on a TTY; returns a function that replaces it with the final matrix. */
export function startInkProgress(io: { stdout: NodeJS.WritableStream; columns: number }): {
  update(p: ProgressState): void;
  finish(v: MatrixView): void;
} {
  const inst = render(<NodesProgress p={{ done: 0, running: 0, phase: tl('node.nodes.phase.starting') }} columns={io.columns} />, {
    stdout: io.stdout as NodeJS.WriteStream,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  return {
    update: (p) => inst.rerender(<NodesProgress p={p} columns={io.columns} />),
    finish: (v) => {
      inst.rerender(<MatrixTable v={v} columns={io.columns} />);
      inst.unmount();
    },
  };
}
