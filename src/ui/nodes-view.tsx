// The per-node matrix of `regdoctor nodes`: plain text (pipes, CI) and an Ink view for a TTY (live progress, then the
// groups table). Node names, summaries and errors come from the cluster and the nodes: every one is shown inert.
import React from 'react';
import { Box, Text, render } from 'ink';
import { sanitizeLine } from '../text/sanitize.js';
import { paint, wrap, clip } from './format.js';
import { configDiff, headline, type FleetFix, type NodeGroup } from '../kube/nodes-matrix.js';

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
  out.push(
    `${paint('regdoctor nodes', 'bold', col)} ${t(v.target)}: ${v.total} node${v.total === 1 ? '' : 's'}, ${v.groups.length} group${v.groups.length === 1 ? '' : 's'}`,
  );
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
    if (g.config) out.push(`    registry config sha256:${g.config.digest}`);
    const d = configDiff(g, ref);
    for (const l of d.only) out.push(...wrap(`      + ${t(l)}`, o.columns, '        '));
    for (const l of d.missing) out.push(...wrap(`      - ${t(l)}   (the ${ref!.nodes.length} healthy have this)`, o.columns, '        '));
    if (g === ref || !ref)
      for (const l of g.config?.lines ?? [])
        if (/^(applies|endpoint|config_path|anchored)/.test(l))
          out.push(...wrap(`      ${t(l)}`, o.columns, '        ').map((x) => paint(x, 'dim', col)));
    out.push(...wrap(`    nodes: ${g.nodes.map(t).join(', ')}`, o.columns, '      '));
  }
  for (const f of v.fixes) {
    out.push(
      '',
      paint(
        `Fix plan for the ${f.nodes.length} ${t(f.code)} node${f.nodes.length === 1 ? '' : 's'} (shown only; nothing was changed): ${t(f.summary)}`,
        'bold',
        col,
      ),
    );
    for (const p of f.proposals) out.push(`  - ${t(p.title)} [${t(p.risk)}]`);
    if (f.files.length) out.push(`  files each node needs: ${f.files.map(t).join(', ')}`);
    for (const c of f.prepare) out.push(`    ${t(c.command)}`);
    if (f.commands.some((c) => c.argv.includes('fix')))
      out.push(
        "  on each node, regdoctor's journaled fix (it prints its journal id there; `regdoctor rollback <id> --root /host` run the same way undoes it):",
      );
    for (const c of f.commands) out.push(`    ${t(c.command)}`);
  }
  for (const n of v.notes) out.push(paint(`note: ${t(n)}`, 'dim', col));
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
        {bar} {p.done} of {p.total ?? '?'} nodes done ({p.running} running)
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
        regdoctor nodes {t(v.target)}: {v.total} nodes, {v.groups.length} groups
      </Text>
      {v.groups.map((g) => (
        <Box key={g.key} flexDirection="column" marginTop={1}>
          <Text color={g.healthy ? 'green' : 'red'}>{clip(`${g.healthy ? '✓' : '✗'} ${t(headline(g, v.total))}`, columns - 1)}</Text>
          {g.predictedRuntimeError ? <Text dimColor>{clip(`    containerd: ${t(g.predictedRuntimeError)}`, columns - 1)}</Text> : null}
          {g.config ? <Text>{`    registry config sha256:${g.config.digest}`}</Text> : null}
          {configDiff(g, ref).only.map((l, i) => (
            <Text key={`o${i}`} color="yellow">
              {clip(`      + ${t(l)}`, columns - 1)}
            </Text>
          ))}
          <Text>{clip(`    nodes: ${g.nodes.map(t).join(', ')}`, columns - 1)}</Text>
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
  const inst = render(<NodesProgress p={{ done: 0, running: 0, phase: 'starting' }} columns={io.columns} />, {
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
