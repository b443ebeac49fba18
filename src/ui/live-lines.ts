// The live view as lines: a pure function of run state. liveLines() lays every line out to the terminal width (display
// columns, words never split, wrapped lines keep their indent, durations in one right-aligned column); paintFrame()
// turns them into terminal text (the live view on a TTY draws that, src/ui/interactive.ts), and <App> (App.tsx) paints
// the same lines with Ink. Everything is one redrawable frame, so a re-run replaces the list in place. No React here:
// the live view's first frame and verdict never wait for Ink to load.
import type { CheckRun, CheckStatus, RunState } from '../core/types.js';
import type { Report, ReportFinding } from '../core/report.js';
import { GLYPH, formatMs, proposalRisk, riskLabel, wrapLine } from './format.js';
import { chainRows } from './chain.js';
import { sanitizeLine } from '../text/sanitize.js';
import { displayWidth, padEndWidth, padStartWidth, truncateWidth, wrapUnits } from '../text/width.js';
import { HELP, MSG, helpTitle, tally } from './strings.js';
import { causeTitle, checkTitle, fixTitle, summaryText, t } from '../i18n/index.js';
import { evidenceText } from '../i18n/evidence.js';

// Untrusted text (check summaries, certificate names, cluster data) is shown through L(): control characters and
// newlines become visible escapes, so nothing reaches the terminal that could move the cursor or forge a line.
const L = (s: string | undefined) => sanitizeLine(String(s ?? ''));

export interface AppProps {
  state: RunState;
  report?: Report;
  verbose: boolean;
  columns: number;
  color: boolean;
  /** Keys offered, each kept whole when the hint wraps (e.g. ["[f] fix", "[r] re-run", "[q] quit"]); a string is one unit. */
  hint?: string | string[];
  /** A status line (export written, fix started...). */
  message?: string;
  /** Frozen spinner frame for snapshots. */
  spinnerFrame?: number;
  /** The clock the running checks' elapsed times are measured against (default Date.now()). */
  now?: number;
  /** Which run this is (shown from the second run on). */
  run?: number;
  /** Show the key help. */
  help?: boolean;
  /** The run was cancelled after this many finished checks: the final frame says so, without spinners or keys. */
  cancelledAfter?: number;
}

export interface Seg {
  text: string;
  color?: string;
  bold?: boolean;
  dim?: boolean;
}
export type Line = Seg[];

const SPIN = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
/** Width of the right-aligned duration column ("999 ms", "12.34 s", "123.4 s"). */
const DUR_W = 7;

const TONE: Record<CheckStatus, string | undefined> = {
  pending: 'gray',
  running: 'cyan',
  pass: 'green',
  warn: 'yellow',
  fail: 'red',
  skipped: 'gray',
  crash: 'magenta',
  cancelled: 'gray',
};

const seg = (text: string, style: Omit<Seg, 'text'> = {}): Seg => ({ text, ...style });
/** Wrapped text, one style for every line. */
function para(text: string, width: number, first: string, rest = first, style: Omit<Seg, 'text'> = {}): Line[] {
  return wrapLine(text, width, first, rest).map((l) => {
    const pre = l.startsWith(first) ? first : rest;
    return l.startsWith(pre) && pre ? [seg(pre), seg(l.slice(pre.length), style)] : [seg(l, style)];
  });
}

function checkLines(run: CheckRun, idW: number, width: number, now: number, frame: number, verbose: boolean): Line[] {
  const running = run.status === 'running';
  const dur =
    running && run.startedAt ? formatMs(Math.max(0, now - run.startedAt)) : run.status === 'skipped' ? '' : formatMs(run.durationMs);
  const lead = 2 + idW + 1;
  const room = Math.max(8, dur ? width - lead - 1 - DUR_W : width - lead);
  const summary = L(run.summary !== undefined ? summaryText(run) : running ? checkTitle(run.id, run.title) : '');
  const wrapped = wrapLine(summary, room);
  const glyph = running ? SPIN[frame % SPIN.length]! : GLYPH[run.status];
  const out: Line[] = [
    [
      seg(`${glyph} `, { color: TONE[run.status] }),
      seg(`${padEndWidth(truncateWidth(L(run.id), idW), idW)} `),
      seg(dur ? padEndWidth(wrapped[0] ?? '', room) : (wrapped[0] ?? '')),
      ...(dur ? [seg(` ${padStartWidth(dur, DUR_W)}`, { dim: true })] : []),
    ],
  ];
  for (const l of wrapped.slice(1)) out.push([seg(' '.repeat(lead)), seg(l)]);
  if (verbose)
    for (const i of run.evidence.keys())
      out.push(...para(L(evidenceText(run, i)), width, ' '.repeat(lead + 2), ' '.repeat(lead + 4), { dim: true }));
  return out;
}

function findingLines(f: ReportFinding, width: number, verbose: boolean): Line[] {
  const bad = f.severity === 'critical' || f.severity === 'error';
  const tone = bad ? 'red' : f.severity === 'warning' ? 'yellow' : 'green';
  const glyph = bad ? '✗' : f.severity === 'warning' ? '!' : '✓';
  const out: Line[] = [[]];
  const head = wrapLine(`${glyph} ${L(f.code)} — ${L(causeTitle(f.code, f.title))}${f.host ? ` [${L(f.host)}]` : ''}`, width, '', '  ');
  head.forEach((l, i) => {
    if (i === 0) {
      const code = `${glyph} ${L(f.code)}`;
      out.push(
        l.startsWith(code) ? [seg(`${glyph} `, { color: tone }), seg(L(f.code), { bold: true }), seg(l.slice(code.length))] : [seg(l)],
      );
    } else out.push([seg(l)]);
  });
  out.push(...para(L(summaryText(f)), width, '  '));
  if (f.predictedRuntimeError) {
    out.push([seg('  '), seg(MSG.runtimeWillReport, { dim: true })]);
    out.push(...para(L(f.predictedRuntimeError), width, '    ', '    ', { color: 'red' }));
  }
  if (f.nextErrors?.length) {
    out.push([seg('  '), seg(MSG.nextError, { dim: true })]);
    for (const n of f.nextErrors) out.push(...para(L(n), width, '    '));
  }
  for (const i of (verbose ? f.evidence : f.evidence.slice(0, 3)).keys())
    out.push(...para(`• ${L(evidenceText(f, i))}`, width, '  ', '    ', { dim: true }));
  if (f.fixes.length > 0) {
    out.push([seg('  '), seg(MSG.fixesTitle, { dim: true })]);
    f.fixes.forEach((x, i) => {
      const risk = proposalRisk(x);
      const risky = risk === 'disables-verification' || risk === 'destructive';
      const label = `[${riskLabel(x)}]`;
      const num = `${i + 1}. `;
      const lines = wrapLine(`${num}${label} ${L(fixTitle(x))}`, width, '    ', '       ');
      lines.forEach((l, k) => {
        const body = l.slice(k === 0 ? 4 : 7);
        const pre = k === 0 ? '    ' : '       ';
        if (k === 0 && body.startsWith(`${num}${label}`))
          out.push([
            seg(`${pre}${num}`),
            seg(label, { color: risky ? 'red' : risk === 'safe' ? 'green' : 'yellow' }),
            seg(body.slice(num.length + label.length)),
          ]);
        else out.push([seg(pre), seg(body)]);
      });
      if (risky) out.push(...para(MSG.risky(f.host ? L(f.host) : undefined), width, '       ', '         ', { color: 'red' }));
    });
  }
  return out;
}

function chainLines(report: Report, state: RunState, now: number, width: number): Line[] {
  const rows = chainRows(report, state, now);
  if (rows.length === 0) return [];
  const out: Line[] = [[], [seg(MSG.chainTitle, { dim: true })]];
  for (const r of rows) {
    const base = ' '.repeat(2 + r.depth * 2);
    const inner = base + (r.depth > 0 ? '   ' : '');
    out.push(
      ...para(`${L(r.subject)}${r.failing ? '  ✗' : ''}`, width, base + (r.depth > 0 ? '└─ ' : ''), inner, {
        color: r.failing ? 'red' : undefined,
        bold: r.failing,
      }),
    );
    out.push(...para(t('ui.chainIssuer', { issuer: L(r.issuer) }), width, inner, `${inner}  `, { dim: true }));
    const bar = wrapLine(`${r.bar} ${r.validity}`, width, inner, `${inner}  `);
    const barTone = r.expired ? 'red' : r.expiringSoon ? 'yellow' : 'green';
    bar.forEach((l, k) => {
      if (k === 0 && l.startsWith(inner + r.bar))
        out.push([seg(inner), seg(r.bar, { color: barTone }), seg(l.slice(inner.length + r.bar.length), { dim: true })]);
      else out.push([seg(l, { dim: true })]);
    });
    if (r.sans) out.push(...para(`SANs ${L(r.sans)}`, width, inner, `${inner}  `, { dim: true }));
  }
  return out;
}

/** Every line of the live view, laid out for `columns` (one column is kept free: a full last column makes terminals
 *  wrap and breaks redraws). Pure: the snapshot tests check width and word integrity on exactly these lines. */
export function liveLines(p: AppProps): Line[] {
  const { state, report, verbose } = p;
  const width = Math.max(30, p.columns - 1);
  const now = p.now ?? Date.now();
  const frame = p.spinnerFrame ?? Math.floor(now / 80);
  const out: Line[] = [];
  const target = L(
    state.target.image
      ? t('ui.target.image', { image: state.target.image.normalized })
      : t('ui.target.registry', { registry: state.target.registry.name }),
  );
  const runTag = p.run && p.run > 1 ? ` · ${MSG.run(p.run)}` : '';
  wrapLine(`regdoctor ${target}${runTag}`, width, '', '  ').forEach((l, i) =>
    out.push(i === 0 ? [seg('regdoctor', { bold: true }), seg(l.slice('regdoctor'.length))] : [seg(l)]),
  );
  out.push([]);
  const cancelled = p.cancelledAfter !== undefined;
  const idW = Math.min(Math.max(10, ...state.checks.map((c) => displayWidth(L(c.id)))), Math.max(8, Math.floor(width / 3)));
  // in the graph's order, so a line never moves: a running check becomes its result in place
  const shown = state.checks.filter((c) => c.status !== 'pending' && !(cancelled && c.status === 'running'));
  for (const c of shown) out.push(...checkLines(c, idW, width, now, frame, verbose));
  const pending = state.checks.filter((c) => c.status === 'pending').length;
  if (cancelled) {
    out.push([], [seg(`⊘ ${MSG.cancelled(p.cancelledAfter!)}`, { bold: true })]);
    return out;
  }
  if (!report && pending > 0) out.push([seg(`  ${MSG.waiting(pending)}`, { dim: true })]);
  if (report) {
    for (const f of report.findings.filter((x) => verbose || x.severity !== 'info')) out.push(...findingLines(f, width, verbose));
    out.push(...chainLines(report, state, now, width));
    out.push([]);
    const ok = report.verdict.code === 'healthy';
    const verdictTitle = L(causeTitle(report.verdict.code, report.verdict.title));
    out.push(
      ...para(`${ok ? '✓' : '✗'} ${MSG.verdict(L(report.verdict.code))} — ${verdictTitle}`, width, '', '  ', {
        color: ok ? 'green' : 'red',
        bold: true,
      }),
    );
    out.push(
      ...para(
        `${MSG.checksIn(report.checks.length, formatMs(report.durationMs))}: ${tally(report.checks.map((c) => c.status))}`,
        width,
        '  ',
        '    ',
        {
          dim: true,
        },
      ),
    );
  }
  if (p.message) out.push(...para(L(p.message), width, ''));
  if (p.hint) {
    const units = Array.isArray(p.hint) ? p.hint : [p.hint];
    for (const l of wrapUnits(units, width)) out.push([seg(l, { dim: true })]);
  }
  if (p.help) {
    out.push([], [seg(helpTitle(), { bold: true })]);
    for (const [k, what] of HELP) out.push(...para(what, width, `  ${k}  `, '     '));
  }
  return out;
}

/** Lines as plain text (snapshots, tests). */
export function plainLines(lines: Line[]): string[] {
  return lines.map((l) => l.map((s) => s.text).join(''));
}
