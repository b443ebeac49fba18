// Plain-text rendering of a report (non-TTY output, logs, CI). Pure: report in, string out.
import { sanitizeReport, type Report, type ReportFinding } from '../core/report.js';
import { sanitizeLine } from '../text/sanitize.js';
import type { CheckStatus } from '../core/types.js';
import { MSG, tally } from './strings.js';
import { causeTitle, fixDescription, fixTitle, summaryText, t } from '../i18n/index.js';
import { evidenceText } from '../i18n/evidence.js';
import { displayWidth, padEndWidth, padStartWidth } from '../text/width.js';
import { GLYPH, formatMs, paint, proposalRisk, riskLabel, severityGlyph, statusTone, wrap, wrapLine } from './format.js';
import { manualBlock } from '../text/manual-steps.js';

// Every string that came from outside (servers, certificates, the cluster, pasted text) is printed through these:
// control characters and newlines become visible escapes, so nothing drives the terminal or forges a line.
const L = (s: string | undefined) => sanitizeLine(String(s ?? ''));

export interface TextOptions {
  verbose: boolean;
  color: boolean;
  columns: number;
}

function targetLine(r: Report): string {
  const what =
    r.target.kind === 'image'
      ? t('ui.target.image', { image: L(r.target.image) })
      : t('ui.target.registry', { registry: L(r.target.registry) });
  const ep = r.target.endpoint !== r.target.registry ? t('ui.target.endpoint', { endpoint: L(r.target.endpoint) }) : '';
  return `${what}${ep}`;
}

export function renderChecks(r: Report, o: TextOptions): string[] {
  const shown = r.checks.filter((c) => o.verbose || !['pass', 'skipped'].includes(c.status) || c.error);
  if (shown.length === 0) return [];
  const idWidth = Math.min(22, Math.max(...shown.map((c) => displayWidth(L(c.id)))));
  const lines: string[] = [];
  // the duration column is right-aligned at the same place on every line; a long summary wraps under itself
  const DUR_W = 7;
  for (const c of shown) {
    const status = c.status as CheckStatus;
    const glyph = paint(GLYPH[status] ?? '?', statusTone(status), o.color);
    const dur = c.status === 'skipped' ? '' : formatMs(c.durationMs);
    const lead = 2 + 2 + idWidth + 2;
    const head = `  ${glyph} ${padEndWidth(L(c.id), idWidth)}  `;
    const room = Math.max(10, o.columns - 1 - lead - (dur ? DUR_W + 1 : 0));
    const summary = wrapLine(L(summaryText(c)), room);
    lines.push(
      `${head}${dur ? `${padEndWidth(summary[0] ?? '', room)} ${paint(padStartWidth(dur, DUR_W), 'dim', o.color)}` : (summary[0] ?? '')}`.trimEnd(),
    );
    for (const l of summary.slice(1)) lines.push(`${' '.repeat(lead)}${l}`);
    if (o.verbose) {
      for (const i of c.evidence.keys())
        lines.push(...wrap(L(evidenceText(c, i)), o.columns, ' '.repeat(idWidth + 7)).map((l) => paint(l, 'dim', o.color)));
    }
  }
  return lines;
}

export function renderFinding(f: ReportFinding, o: TextOptions): string[] {
  const { glyph, tone } = severityGlyph(f.severity);
  const out: string[] = [];
  const host = f.host ? ` [${L(f.host)}]` : '';
  // wrapped as plain text; the first line's glyph and code are painted afterwards (colour never changes the layout)
  wrap(`${glyph} ${L(f.code)} — ${L(causeTitle(f.code, f.title))}${host}`, o.columns, '', '  ').forEach((l, k) =>
    out.push(k === 0 ? l.replace(`${glyph} ${L(f.code)}`, `${paint(glyph, tone, o.color)} ${paint(L(f.code), 'bold', o.color)}`) : l),
  );
  out.push(...wrap(L(summaryText(f)), o.columns, '  '));
  if (f.predictedRuntimeError) {
    out.push(paint(`  ${MSG.runtimeWillReport}`, 'dim', o.color));
    out.push(...wrap(L(f.predictedRuntimeError), o.columns, '    '));
  }
  if (f.nextErrors && f.nextErrors.length > 0) {
    out.push(paint(`  ${MSG.nextError}`, 'dim', o.color));
    for (const n of f.nextErrors) out.push(...wrap(L(n), o.columns, '    '));
  }
  const evidence = o.verbose ? f.evidence : f.evidence.slice(0, 4);
  if (evidence.length > 0) {
    out.push(paint(`  ${t('ui.evidence')}`, 'dim', o.color));
    for (const i of evidence.keys()) out.push(...wrap(`• ${L(evidenceText(f, i))}`, o.columns, '    '));
    if (evidence.length < f.evidence.length)
      out.push(paint(`    ${t('ui.moreEvidence', { n: f.evidence.length - evidence.length })}`, 'dim', o.color));
  }
  if (f.fixes.length > 0) {
    out.push(paint(`  ${MSG.fixesTitle}`, 'dim', o.color));
    f.fixes.forEach((x, i) => {
      const risk = proposalRisk(x);
      const risky = risk === 'disables-verification' || risk === 'destructive';
      const label = `[${riskLabel(x)}]`;
      wrap(`${i + 1}. ${label} ${L(fixTitle(x))}`, o.columns, '    ', '       ').forEach((l, k) =>
        out.push(k === 0 ? l.replace(label, paint(label, risky ? 'red' : risk === 'safe' ? 'green' : 'yellow', o.color)) : l),
      );
      if (risky)
        out.push(
          ...wrap(t('ui.riskyText', { host: f.host ? L(f.host) : t('ui.thisRegistry') }), o.columns, '       ').map((l) =>
            paint(l, 'red', o.color),
          ),
        );
      out.push(...wrap(L(fixDescription(x)), o.columns, '       '));
      // copy-pasteable: one command per line, long ones continued with ` \` (src/text/manual-steps.ts)
      if (o.verbose) out.push(...manualBlock(x.manualSteps.map(L), { indent: '         ', columns: o.columns }));
    });
  }
  if (o.verbose) out.push(...wrap(t('ui.docs', { url: L(f.docs) }), o.columns, '  ', '    ').map((l) => paint(l, 'dim', o.color)));
  return out;
}

export function renderText(report: Report, o: TextOptions): string {
  const r = sanitizeReport(report);
  const lines: string[] = [];
  wrap(`regdoctor ${targetLine(r)}`, o.columns, '', '  ').forEach((l, k) =>
    lines.push(k === 0 ? l.replace('regdoctor', paint('regdoctor', 'bold', o.color)) : l),
  );
  const checks = renderChecks(r, o);
  if (checks.length > 0) lines.push('', ...checks);
  const shownFindings = r.findings.filter((f) => o.verbose || f.severity !== 'info' || f.code !== 'healthy');
  for (const f of shownFindings) lines.push('', ...renderFinding(f, o));
  const v = r.verdict;
  const { glyph, tone } = severityGlyph(v.severity);
  lines.push('');
  const verdict = `${glyph} ${MSG.verdict(v.code)}`;
  wrap(`${verdict} — ${causeTitle(v.code, v.title)}`, o.columns, '', '  ').forEach((l, k) =>
    lines.push(k === 0 ? l.replace(verdict, paint(verdict, tone, o.color)) : l),
  );
  if (v.code === 'healthy' || r.findings.length === 0) lines.push(...wrap(summaryText(v), o.columns, '  '));
  const tallied = `${MSG.checksIn(r.checks.length, formatMs(r.durationMs))}${o.verbose ? '' : t('ui.detailsHint')}: ${tally(r.checks.map((c) => c.status))}`;
  lines.push(...wrap(tallied, o.columns, '  ', '    ').map((l) => paint(l, 'dim', o.color)));
  return `${lines.join('\n')}\n`;
}
