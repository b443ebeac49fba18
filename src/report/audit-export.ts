// `regdoctor audit` (regdoctor/audit@1) exports: JSON, Markdown, a self-contained HTML page, and JUnit XML with one
// test case per registry (healthy passes, its warnings in system-out; a problem fails; not diagnosed is an error).
// Same rules as every export: redacted again, and every string escaped for its format.
import { writeFile } from 'node:fs/promises';
import type { AuditDocument } from '../app/audit.js';
import { redact, redactText } from '../text/redact.js';
import { sanitizeDeep, sanitizeLine } from '../text/sanitize.js';
import { junitCase, junitDocument, mdCode, mdText, xml } from './export.js';
import { auditNotes, auditTally, configuredText, expiryText, verdictText } from '../ui/audit-text.js';
import { getLang, summaryText, t } from '../i18n/index.js';

const r = (s: string | undefined) => sanitizeLine(redactText(String(s ?? '')));
const esc = (s: string | undefined) => xml(s);

/** The document as JSON: redacted and with every string made inert. */
export function renderAuditJson(doc: AuditDocument): string {
  return `${JSON.stringify(sanitizeDeep(redact(doc)), null, 2)}\n`;
}

export function renderAuditJUnit(doc: AuditDocument): string {
  const diagnosed = (e: AuditDocument['registries'][number]) => e.state === 'diagnosed';
  const failures = doc.registries.filter((e) => diagnosed(e) && e.verdict.code !== 'healthy').length;
  const errors = doc.registries.filter((e) => !diagnosed(e)).length;
  const cases = doc.registries.map((e) => {
    const summary = summaryText(e.verdict);
    const detail = [
      `${r(e.verdict.code)}: ${r(summary)}`,
      ...(e.warnings.length ? [t('node.audit.warningsLine', { codes: e.warnings.map(r).join(', ') })] : []),
      t('node.audit.configured', { sources: configuredText(e) }),
    ].join('\n');
    const body = !diagnosed(e)
      ? `<error message="${esc(`${e.state}: ${summary}`)}" type="${esc(e.state)}"/>`
      : e.verdict.code !== 'healthy'
        ? `<failure message="${esc(`${e.verdict.code}: ${summary}`)}" type="${esc(e.verdict.code)}">${esc(detail)}</failure>`
        : e.warnings.length
          ? `<system-out>${esc(detail)}</system-out>`
          : '';
    return junitCase('regdoctor.audit', e.host, e.durationMs, body);
  });
  return junitDocument({
    name: 'regdoctor audit',
    suite: doc.node.name,
    cases,
    failures,
    errors,
    ms: doc.durationMs,
    timestamp: doc.generatedAt,
  });
}

/** The exports' column headers in the active language. */
function exportHead(): string[] {
  return [
    t('node.audit.col.host'),
    t('node.audit.col.verdict'),
    t('node.audit.col.warnings'),
    t('node.audit.col.expiry'),
    t('node.audit.col.configured'),
  ];
}

export function renderAuditMarkdown(doc: AuditDocument): string {
  const out = [
    `# ${t('node.audit.title', { node: mdText(doc.node.name) })}`,
    '',
    `${t('node.export.sentence', { text: mdText(auditTally(doc)) })} ${t('node.export.generated', { at: mdText(doc.generatedAt), version: mdText(doc.tool.version) })}`,
    '',
    `| ${exportHead().join(' | ')} |`,
    '| --- | --- | --- | --- | --- |',
    ...doc.registries.map(
      (e) =>
        `| ${mdText(e.host)} | ${mdText(verdictText(e))} | ${mdText(e.warnings.join(', ') || '–')} | ${mdText(expiryText(e))} | ${mdText(configuredText(e))} |`,
    ),
    '',
  ];
  for (const e of doc.registries) {
    if (e.state === 'diagnosed' && e.verdict.code === 'healthy' && !e.warnings.length) continue;
    out.push(`## ${mdText(e.host)}: ${mdCode(verdictText(e))}`, '', mdText(summaryText(e.verdict)), '');
    for (const f of e.report?.findings.filter((x) => x.severity !== 'info') ?? [])
      out.push(`- ${mdCode(f.code)} ${mdText(summaryText(f))}`);
    if (e.harden) out.push('', `${t('node.audit.hardenHeading')} ${mdCode(e.harden)}`);
    out.push('');
  }
  if (doc.notes.length) out.push(t('node.audit.notes'), '', ...auditNotes(doc).map((n) => `- ${mdText(n)}`), '');
  return out.join('\n');
}

export function renderAuditHtml(doc: AuditDocument): string {
  const rows = doc.registries
    .map(
      (e) =>
        `<tr class="${e.state !== 'diagnosed' ? 'unknown' : e.verdict.code !== 'healthy' ? 'bad' : e.warnings.length ? 'warn' : 'ok'}"><td><code>${esc(e.host)}</code></td><td>${esc(verdictText(e))}</td><td>${esc(e.warnings.join(', ') || '–')}</td><td>${esc(expiryText(e))}</td><td>${esc(configuredText(e))}</td></tr>`,
    )
    .join('\n');
  const details = doc.registries
    .filter((e) => !(e.state === 'diagnosed' && e.verdict.code === 'healthy' && !e.warnings.length))
    .map(
      (e) =>
        `<section><h2><code>${esc(e.host)}</code>: ${esc(verdictText(e))}</h2><p>${esc(summaryText(e.verdict))}</p><ul>${(
          e.report?.findings ?? []
        )
          .filter((f) => f.severity !== 'info')
          .map((f) => `<li><code>${esc(f.code)}</code> ${esc(summaryText(f))}</li>`)
          .join('')}</ul>${e.harden ? `<p>${esc(t('node.audit.hardenHeading'))} <code>${esc(e.harden)}</code></p>` : ''}</section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="${esc(getLang())}"><head><meta charset="utf-8"><title>regdoctor audit</title><style>body{font-family:system-ui,sans-serif;max-width:80em;margin:2em auto}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}tr.bad td{background:#fde8e8}tr.warn td{background:#fff6e0}tr.unknown td{background:#eee}</style></head><body>
<h1>${esc(t('node.audit.title', { node: doc.node.name }))}</h1>
<table><thead><tr>${exportHead()
    .map((h) => `<th>${esc(h)}</th>`)
    .join('')}</tr></thead><tbody>
${rows}
</tbody></table>
${details}
${
  doc.notes.length
    ? `<ul>${auditNotes(doc)
        .map((n) => `<li>${esc(n)}</li>`)
        .join('')}</ul>`
    : ''
}
<footer>${esc(t('node.export.generated', { at: doc.generatedAt, version: doc.tool.version }))}</footer>
</body></html>
`;
}

/** Writes the audit in the format named by the file extension (.md, .json, .html). */
export async function writeAuditReport(file: string, doc: AuditDocument): Promise<string> {
  const ext = file.toLowerCase().match(/\.(md|markdown|json|html?)$/)?.[1];
  const body =
    ext === 'json'
      ? renderAuditJson(doc)
      : ext === 'html' || ext === 'htm'
        ? renderAuditHtml(doc)
        : ext === 'md' || ext === 'markdown'
          ? renderAuditMarkdown(doc)
          : undefined;
  if (body === undefined) throw new Error(`--report ${file}: use a .md, .json or .html file name`);
  await writeFile(file, body, { mode: 0o644 });
  return file;
}

export async function writeAuditJUnit(file: string, doc: AuditDocument): Promise<string> {
  await writeFile(file, renderAuditJUnit(doc));
  return file;
}
