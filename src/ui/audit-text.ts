// `regdoctor audit` as plain text: one table (host, verdict, warnings, expiry, how it is configured), then one line
// per registry that needs attention with the command that addresses it. Every name in it comes from node files or
// the cluster: printed as inert text (sanitizeLine), clipped to the column.
import type { AuditDocument, AuditEntry, AuditSourceKind } from '../app/audit.js';
import { sanitizeLine } from '../text/sanitize.js';
import { shellJoin } from '../text/shell.js';
import { clip, formatMs, paint, wrap } from './format.js';
import { displayWidth, padEndWidth } from '../text/width.js';
import { causeTitle, summaryText, t as tl, tr } from '../i18n/index.js';

const SOURCE_KEY = {
  'certs-dir': 'node.audit.source.certs-dir',
  'legacy-mirror': 'node.audit.source.legacy-mirror',
  'legacy-config': 'node.audit.source.legacy-config',
  'legacy-auths': 'node.audit.source.legacy-auths',
  'auth-file': 'node.audit.source.auth-file',
  cluster: 'node.audit.source.cluster',
} as const;

/** How a registry is configured, in the active language (file names stay as they are). */
export function sourceLabel(kind: AuditSourceKind): string {
  return kind === 'hosts-toml' ? 'hosts.toml' : kind === 'registries-yaml' ? 'registries.yaml' : tl(SOURCE_KEY[kind]);
}

/** The table's column headers in the active language. */
export function auditHead(): string[] {
  return [
    tr({ key: 'audit.col.host' }),
    tr({ key: 'audit.col.verdict' }),
    tr({ key: 'audit.col.warnings' }),
    tr({ key: 'audit.col.expiry' }),
    tr({ key: 'audit.col.configured' }),
  ];
}

/** "3 registries: 1 healthy, 1 with warnings, 1 with problems, 0 not diagnosed" in the active language. */
export function auditTally(doc: Pick<AuditDocument, 'summary'>): string {
  const s = doc.summary;
  return tl(s.registries === 1 ? 'node.audit.tally.one' : 'node.audit.tally.other', {
    n: s.registries,
    healthy: s.healthy,
    warnings: s.withWarnings,
    problems: s.problems,
    notDiagnosed: s.notDiagnosed,
  });
}

/** The audit's notes in the active language (the stored English for a note without a message). */
export function auditNotes(doc: Pick<AuditDocument, 'notes' | 'noteMessages'>): string[] {
  return doc.notes.map((n, i) => tr(doc.noteMessages?.[i], n));
}

export function configuredText(e: Pick<AuditEntry, 'sources'>): string {
  return [...new Set(e.sources.map((s) => sourceLabel(s.kind)))].join(', ');
}

export function expiryText(e: Pick<AuditEntry, 'expiry'>): string {
  if (!e.expiry) return '–';
  return `${e.expiry.notAfter.slice(0, 10)} (${e.expiry.daysLeft}d)`;
}

export function verdictText(e: AuditEntry): string {
  if (e.state !== 'diagnosed') return tl('node.audit.notDiagnosedState', { state: e.state });
  return e.verdict.code;
}

function glyph(e: AuditEntry): { g: string; tone: 'green' | 'yellow' | 'red' } {
  if (e.state !== 'diagnosed') return { g: '?', tone: 'yellow' };
  if (e.verdict.code !== 'healthy') return { g: '✗', tone: 'red' };
  return e.warnings.length ? { g: '!', tone: 'yellow' } : { g: '✓', tone: 'green' };
}

export function renderAuditText(doc: AuditDocument, o: { color: boolean; columns: number; verbose?: boolean }): string {
  const c = o.color;
  const t = (s: string) => sanitizeLine(s);
  const lines: string[] = [];
  lines.push(
    `${paint('regdoctor audit', 'bold', c)} ${tl(doc.registries.length === 1 ? 'node.audit.head.one' : 'node.audit.head.other', {
      node: t(doc.node.name),
      root: doc.node.root !== '/' ? tl('node.audit.filesUnder', { root: t(doc.node.root) }) : '',
      n: doc.registries.length,
      parallel: doc.limits.parallel,
      bound: formatMs(doc.limits.totalTimeoutMs),
    })}`,
  );
  if (doc.registries.length) {
    lines.push('');
    const rows = doc.registries.map((e) => [t(e.host), verdictText(e), e.warnings.join(', ') || '–', expiryText(e), configuredText(e)]);
    const head = auditHead();
    const max = [40, 28, 60, 18, 60];
    // display columns: a translated header or a wide name takes two per character
    const widths = head.map((h, i) => Math.min(max[i]!, Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i]!)))));
    const fmt = (cells: string[]) =>
      cells
        .map((cell, i) => (i === cells.length - 1 ? clip(cell, widths[i]!) : padEndWidth(clip(cell, widths[i]!), widths[i]!)))
        .join('  ');
    lines.push(`  ${paint(fmt(head), 'dim', c)}`);
    doc.registries.forEach((e, i) => {
      const { g, tone } = glyph(e);
      lines.push(`${paint(g, tone, c)} ${fmt(rows[i]!)}`);
    });
    lines.push('');
  }
  for (const e of doc.registries) {
    const { g, tone } = glyph(e);
    if (e.state === 'diagnosed' && e.verdict.code === 'healthy' && e.warnings.length === 0 && !o.verbose) continue;
    const head =
      e.state !== 'diagnosed'
        ? tl('node.audit.notDiagnosed')
        : e.verdict.code !== 'healthy'
          ? `${e.verdict.code} — ${causeTitle(e.verdict.code, e.verdict.title)}`
          : e.warnings.join(', ');
    lines.push(`${paint(g, tone, c)} ${paint(t(e.host), 'bold', c)}: ${t(head)}`);
    const summaries = e.report
      ? e.report.findings.filter(
          (f) => f.severity !== 'info' && (e.verdict.code === 'healthy' ? f.severity === 'warning' : f.severity !== 'warning'),
        )
      : [];
    if (e.state !== 'diagnosed' || summaries.length === 0)
      for (const l of wrap(t(summaryText(e.verdict)), o.columns, '    ')) lines.push(l);
    // one line per cause (its title); -v: every finding's full summary
    const seen = new Set<string>();
    for (const f of summaries) {
      if (!o.verbose) {
        if (seen.has(f.code)) continue;
        seen.add(f.code);
        lines.push(
          clip(
            `    ${f.code}: ${t(causeTitle(f.code, f.title))}${f.code === 'certificate-expiring' && e.expiry ? ` (${expiryText(e)})` : ''}`,
            o.columns - 1,
          ),
        );
        continue;
      }
      for (const [k, l] of wrap(`${f.code}: ${t(summaryText(f))}`, o.columns, '    ', '      ').entries())
        lines.push(k === 0 ? l : paint(l, 'dim', c));
    }
    if (e.harden) lines.push(`    ${tl('node.audit.harden', { command: e.harden })}`);
    else if (e.state === 'diagnosed' && e.verdict.code !== 'healthy')
      lines.push(`    ${tl('node.audit.fix', { command: shellJoin(['regdoctor', 'fix', e.target]) })}`);
    if (o.verbose)
      lines.push(
        paint(
          `    ${tl('node.audit.configured', { sources: e.sources.map((s) => `${sourceLabel(s.kind)} (${t(s.where)})`).join('; ') })}`,
          'dim',
          c,
        ),
      );
  }
  lines.push(
    '',
    `${auditTally(doc)} — ${formatMs(doc.durationMs)}${doc.incomplete ? paint(tl('node.audit.incomplete'), 'yellow', c) : ''}`,
  );
  for (const n of auditNotes(doc)) lines.push(paint(tl('node.audit.note', { note: t(n) }), 'dim', c));
  return `${lines.join('\n')}\n`;
}
