// Report exports: Markdown, JSON, a self-contained HTML page (inline CSS, no external assets) and JUnit XML for CI.
// Everything is redacted again on the way out (reports get pasted into tickets), and every string is escaped for
// its format: text from servers, certificates and the cluster never adds a Markdown heading, image, link or HTML
// tag, never adds HTML markup, and never makes the JUnit file invalid XML (control characters become `\x1b`).
import { writeFile } from 'node:fs/promises';
import { sanitizeReport, type Report, type ReportFinding } from '../core/report.js';
import { redact, redactText } from '../text/redact.js';
import { sanitizeLine } from '../text/sanitize.js';
import { formatMs, proposalRisk, riskLabel } from '../ui/format.js';
import { chainRows } from '../ui/chain.js';
import { evidenceText } from '../i18n/evidence.js';
import { EN, causeTitle, fixDescription, fixTitle, getLang, summaryText, t, tn, type Message } from '../i18n/index.js';
import type { CheckStatus } from '../core/types.js';

/** Redacted, one line, every control character (newlines included) as a visible escape. */
const r = (s: string | undefined) => sanitizeLine(redactText(String(s ?? '')));

/** Inline Markdown text: every character CommonMark/GFM could read as markup is backslash-escaped. */
/** A nodes-matrix configuration line in the reader's language (its message when it has one, else the line). */
function configLine(c: { lines: string[]; messages?: (Message | null)[] }, i: number): string {
  return evidenceText({ evidence: c.lines, evidenceMessages: c.messages }, i);
}

export function mdText(s: string | undefined): string {
  return r(s).replace(/[\\`*_{}[\]()#+!|<>~&]/g, '\\$&');
}

/** Markdown text that starts a line: also no list item, thematic break, setext underline or indented code. */
export function mdLine(s: string | undefined): string {
  return mdText(s)
    .replace(/^[ \t]+/, '')
    .replace(/^(\d+)([.)])/, '$1\\$2')
    .replace(/^([-=])/, '\\$1');
}

/** A code span that no backtick inside can close (CommonMark: a longer backtick string than any run inside). */
export function mdCode(s: string | undefined): string {
  const text = r(s);
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || text.startsWith(' ') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** A fenced code block holding one untrusted line; the fence is longer than any backtick run in it. */
function mdFence(s: string | undefined): string[] {
  const text = r(s);
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [fence, text, fence];
}

/** A GFM table cell: inline-escaped (that includes `|`). */
const mdCell = mdText;

export function renderMarkdown(input: Report): string {
  const report = sanitizeReport(input);
  const v = report.verdict;
  const out: string[] = [];
  out.push(`# ${mdText(t('report.title', { target: report.target.image ?? report.target.registry }))}`, '');
  out.push(`**${mdText(t('report.verdict'))} ${mdCode(v.code)}** — ${mdText(causeTitle(v.code, v.title))}`, '', mdLine(summaryText(v)), '');
  if (v.predictedRuntimeError) out.push(t('report.runtimeReports'), '', ...mdFence(v.predictedRuntimeError), '');
  out.push(
    `${mdText(t('report.generated', { at: report.generatedAt, version: report.tool.version, took: formatMs(report.durationMs) }))} ${t('report.registry', { registry: mdCode(report.target.registry), endpoint: mdCode(report.target.endpoint) })}`,
    '',
  );
  out.push(`## ${t('report.findings')}`, '');
  if (report.findings.length === 0) out.push(t('report.none'), '');
  for (const f of report.findings) {
    out.push(
      `### ${f.severity === 'error' || f.severity === 'critical' ? '✗' : f.severity === 'warning' ? '!' : '✓'} ${mdCode(f.code)} — ${mdText(causeTitle(f.code, f.title))}${f.host ? ` (${mdText(f.host)})` : ''}`,
      '',
    );
    out.push(mdLine(summaryText(f)), '');
    if (f.predictedRuntimeError) out.push(...mdFence(f.predictedRuntimeError), '');
    if (f.nextErrors?.length) out.push(t('report.nextError'), '', ...f.nextErrors.map((n) => `- ${mdCode(n)}`), '');
    if (f.evidence.length) out.push(t('report.evidence'), '', ...f.evidence.map((_, i) => `- ${mdText(evidenceText(f, i))}`), '');
    if (f.fixes.length) {
      out.push(t('report.fixes'), '');
      f.fixes.forEach((x, i) => {
        out.push(`${i + 1}. **\\[${mdText(riskLabel(x))}\\]** ${mdText(fixTitle(x))} — ${mdText(fixDescription(x))}`);
        // one fenced block to copy (commands one per line)
        if (x.manualSteps.length) out.push('', '   ```sh', ...x.manualSteps.map((s) => `   ${s}`), '   ```');
      });
      out.push('');
    }
  }
  if (report.chain?.length) {
    out.push(
      `## ${t('report.chain')}`,
      '',
      `| # | ${t('report.col.subject')} | ${t('report.col.issuer')} | ${t('report.col.valid')} | SANs | |`,
      '|---|---|---|---|---|---|',
    );
    report.chain.forEach((c, i) =>
      out.push(
        `| ${i} | ${mdCell(c.subject)} | ${mdCell(c.issuer)} | ${mdCell(String(c.notBefore).slice(0, 10))} → ${mdCell(String(c.notAfter).slice(0, 10))} | ${mdCell(c.sans.join(', '))} | ${c.failing ? '✗' : ''} |`,
      ),
    );
    out.push('');
  }
  out.push(
    `## ${t('report.checksShort')}`,
    '',
    `| ${t('report.col.check')} | ${t('report.col.status')} | ${t('report.col.time')} | ${t('report.col.summary')} |`,
    '|---|---|---|---|',
  );
  for (const c of report.checks)
    out.push(
      `| ${mdCell(c.id)} | ${mdCell(statusText(c.status))} | ${formatMs(c.durationMs)} | ${mdCell(c.summary !== undefined ? summaryText(c) : (c.skipReason ?? ''))} |`,
    );
  return `${out.join('\n')}\n`;
}

const HTML_ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** One untrusted line for HTML text or an attribute value. */
function esc(s: string | undefined): string {
  return r(s).replace(/[&<>"']/g, (c) => HTML_ESC[c]!);
}

function findingHtml(f: ReportFinding): string {
  const cls = f.severity === 'error' || f.severity === 'critical' ? 'bad' : f.severity === 'warning' ? 'warn' : 'ok';
  return `<section class="finding ${cls}"><h3><code>${esc(f.code)}</code> ${esc(causeTitle(f.code, f.title))}${f.host ? ` <span class="host">${esc(f.host)}</span>` : ''}</h3>
<p>${esc(summaryText(f))}</p>
${f.predictedRuntimeError ? `<p class="label">${esc(t('report.runtimeReports'))}</p><pre>${esc(f.predictedRuntimeError)}</pre>` : ''}
${f.nextErrors?.length ? `<p class="label">${esc(t('report.nextError'))}</p><ul>${f.nextErrors.map((n) => `<li><code>${esc(n)}</code></li>`).join('')}</ul>` : ''}
${f.evidence.length ? `<details><summary>${esc(t('report.evidenceCount', { n: f.evidence.length }))}</summary><ul>${f.evidence.map((_, i) => `<li>${esc(evidenceText(f, i))}</li>`).join('')}</ul></details>` : ''}
${f.fixes.length ? `<ol class="fixes">${f.fixes.map((x) => `<li><span class="risk ${esc(proposalRisk(x))}">${esc(riskLabel(x))}</span> ${esc(fixTitle(x))}<br>${esc(fixDescription(x))}${x.manualSteps.length ? `<pre>${x.manualSteps.map(esc).join('\n')}</pre>` : ''}</li>`).join('')}</ol>` : ''}
</section>`;
}

export function renderHtml(input: Report): string {
  const report = sanitizeReport(input);
  const v = report.verdict;
  const rows = chainRows(report, undefined, Date.parse(report.generatedAt));
  const chain = rows.length
    ? `<h2>${esc(t('report.chain'))}</h2><ol class="chain">${rows
        .map(
          (c) =>
            `<li class="${c.failing ? 'failing' : ''}" style="margin-left:${c.depth * 1.2}em"><b>${esc(c.subject)}</b><br>${esc(t('ui.chainIssuer', { issuer: c.issuer }))}<br><span class="bar ${c.expired ? 'bad' : c.expiringSoon ? 'warn' : 'ok'}">${esc(c.bar)}</span> ${esc(c.validity)}${c.sans ? `<br>SANs ${esc(c.sans)}` : ''}${c.failing ? ` <span class="badge">${esc(t('report.chainFails'))}</span>` : ''}</li>`,
        )
        .join('')}</ol>`
    : '';
  const checks = report.checks
    .map(
      (c) =>
        `<tr class="${esc(c.status)}"><td>${esc(c.id)}</td><td>${esc(statusText(c.status))}</td><td>${esc(formatMs(c.durationMs))}</td><td>${esc(c.summary !== undefined ? summaryText(c) : (c.skipReason ?? ''))}</td></tr>`,
    )
    .join('');
  return `<!doctype html>
<html lang="${esc(getLang())}"><head><meta charset="utf-8"><title>regdoctor: ${esc(v.code)} — ${esc(report.target.image ?? report.target.registry)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:62em;color:#1c1e21;padding:0 1em}
code,pre{font:12.5px/1.4 ui-monospace,Menlo,monospace}pre{background:#f4f5f7;padding:.6em .8em;overflow-x:auto;white-space:pre-wrap;word-break:break-all}
.verdict{padding:1em 1.2em;border-left:6px solid #c62828;background:#fdecea}.verdict.healthy{border-color:#2e7d32;background:#edf7ed}
.finding{border-top:1px solid #ddd;padding:.4em 0}.finding.bad h3{color:#c62828}.finding.warn h3{color:#a15c00}.host{font-size:.8em;color:#555}
.label{margin:.2em 0;color:#555}.risk{font-size:.75em;padding:.1em .4em;border-radius:3px;background:#e8f5e9}.risk.disables-verification,.risk.destructive{background:#c62828;color:#fff}.risk.node-config,.risk.cluster-objects,.risk.restarts-runtime{background:#fff3e0}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.25em .5em;border-bottom:1px solid #eee;vertical-align:top}tr.fail td:nth-child(2),tr.crash td:nth-child(2){color:#c62828}tr.pass td:nth-child(2){color:#2e7d32}
.chain li{margin:.4em 0}.chain .failing{color:#c62828}.bar.ok{color:#2e7d32}.bar.warn{color:#a15c00}.bar.bad{color:#c62828}.badge{background:#c62828;color:#fff;font-size:.75em;padding:.1em .4em;border-radius:3px}
footer{margin-top:2em;color:#777;font-size:.85em}
</style></head><body>
<h1>${esc(t('report.heading'))}</h1>
<p>${esc(report.target.kind === 'image' ? t('ui.target.image', { image: report.target.image ?? '' }) : t('ui.target.registry', { registry: report.target.registry }))} — ${esc(t('report.endpointLabel'))} <code>${esc(report.target.endpoint)}</code></p>
<div class="verdict ${v.code === 'healthy' ? 'healthy' : ''}"><h2>${esc(t('report.verdict'))} <code>${esc(v.code)}</code> — ${esc(causeTitle(v.code, v.title))}</h2><p>${esc(summaryText(v))}</p>${v.predictedRuntimeError ? `<pre>${esc(v.predictedRuntimeError)}</pre>` : ''}</div>
<h2>${esc(t('report.findings'))}</h2>${report.findings.map(findingHtml).join('\n') || `<p>${esc(t('report.none'))}</p>`}
${chain}
<h2>${esc(t('report.checks'))}</h2><table><thead><tr><th>${esc(t('report.col.check'))}</th><th>${esc(t('report.col.status'))}</th><th>${esc(t('report.col.time'))}</th><th>${esc(t('report.col.summary'))}</th></tr></thead><tbody>${checks}</tbody></table>
<footer>${esc(t('report.generated', { at: report.generatedAt, version: report.tool.version, took: formatMs(report.durationMs) }))} ${esc(t('report.redacted'))}</footer>
</body></html>
`;
}

/** A check status in the active language (the raw status for one this version does not know). */
function statusText(status: string): string {
  const key = `status.${status}`;
  return key in EN ? t(key as `status.${CheckStatus}`) : status;
}

/** Untrusted text for XML character data or an attribute value; newlines (kept in element text) are the only control. */
export function xml(s: string | undefined, multiline = false): string {
  const text = multiline
    ? String(s ?? '')
        .split('\n')
        .map(r)
        .join('\n')
    : r(s);
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

const num = (n: unknown) => (Number.isFinite(Number(n)) ? Number(n) : 0);

/** JUnit's time attribute: seconds with three decimals (0 for what is not a number). */
const junitSeconds = (ms: unknown) => (num(ms) / 1000).toFixed(3);

/** One JUnit `<testcase>` line; `classname` and `body` are XML already escaped. */
export function junitCase(classname: string, name: string, ms: unknown, body: string): string {
  return `    <testcase classname="${classname}" name="${xml(name)}" time="${junitSeconds(ms)}">${body}</testcase>`;
}

/** A JUnit document of one suite (as every regdoctor JUnit export writes it); `properties` is XML already escaped. */
export function junitDocument(o: {
  name: string;
  suite: string;
  cases: string[];
  failures: number;
  errors: number;
  skipped?: number;
  ms: unknown;
  timestamp: string;
  properties?: string;
}): string {
  const counts = `tests="${o.cases.length}" failures="${o.failures}" errors="${o.errors}"${o.skipped === undefined ? '' : ` skipped="${o.skipped}"`}`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="${xml(o.name)}" ${counts} time="${junitSeconds(o.ms)}">
  <testsuite name="${xml(o.suite)}" ${counts} timestamp="${xml(o.timestamp)}">
${o.properties === undefined ? '' : `    ${o.properties}\n`}${o.cases.join('\n')}
  </testsuite>
</testsuites>
`;
}

/** How the JUnit file judges warnings: `strict` (diagnose --strict, where warnings fail the run) makes a `warn`
 *  check a `<failure>` counted in `failures`, as the exit code counts it. */
export interface JUnitOptions {
  strict?: boolean;
}

/** One testcase per check; failures carry their findings. A `warn` check ran and passed with a warning: JUnit has no
 *  such state, so it is reported as CI tools show it — `<skipped message="warning: …">` (counted, listed and shown
 *  by Jenkins, GitLab, Azure DevOps and the GitHub JUnit actions without failing the build) plus a `<system-out>`
 *  note with the warnings and evidence; with `strict`, a `<failure>` of its warnings. A crash is an `<error>` and
 *  counted in `errors`, not in `failures`. */
export function renderJUnit(input: Report, opts: JUnitOptions = {}): string {
  const report = sanitizeReport(input);
  const count = (...st: string[]) => report.checks.filter((c) => st.includes(c.status)).length;
  const mine = (id: string, ...sev: string[]) => report.findings.filter((f) => f.source === id && sev.includes(f.severity));
  // strict: a check with a warning fails, as exitCodeFor({ strict }) counts warning findings
  const warned = (c: Report['checks'][number]) => c.status === 'warn' || (c.status === 'pass' && mine(c.id, 'warning').length > 0);
  const fails = (c: Report['checks'][number]) => c.status === 'fail' || (Boolean(opts.strict) && warned(c));
  const failures = report.checks.filter(fails).length;
  const errors = count('crash');
  const skipped = count('skipped', 'cancelled') + (opts.strict ? 0 : count('warn'));
  const cases = report.checks.map((c) => {
    const warnings = mine(c.id, 'warning');
    const fs = c.status === 'fail' ? mine(c.id, 'error', 'critical') : warnings;
    const label = c.status === 'fail' ? '' : `${t('junit.warning')} (--strict): `;
    const body = fails(c)
      ? `<failure message="${xml(`${label}${fs[0] ? `${fs[0].code}: ${summaryText(fs[0])}` : summaryText(c)}`)}" type="${xml(fs[0]?.code ?? 'fail')}">${xml([...fs.map((f) => `${r(f.code)}: ${r(summaryText(f))}${f.predictedRuntimeError ? `\ncontainerd: ${r(f.predictedRuntimeError)}` : ''}`), ...c.evidence.map((_, i) => r(evidenceText(c, i)))].join('\n'), true)}</failure>`
      : c.status === 'crash'
        ? `<error message="${xml(c.error ?? summaryText(c))}" type="crash"/>`
        : c.status === 'skipped' || c.status === 'cancelled'
          ? `<skipped message="${xml(c.skipReason ?? c.status)}"/>`
          : c.status === 'warn'
            ? `<skipped message="${xml(`${t('junit.warning')}: ${warnings[0] ? `${warnings[0].code}: ${summaryText(warnings[0])}` : summaryText(c)}`)}"/><system-out>${xml([t('junit.warnNote'), ...warnings.map((f) => `${t('junit.warning')} ${r(f.code)}: ${r(summaryText(f))}`), ...c.evidence.map((_, i) => r(evidenceText(c, i)))].join('\n'), true)}</system-out>`
            : '';
    return junitCase(`regdoctor.${xml(report.target.registry)}`, c.id, c.durationMs, body);
  });
  return junitDocument({
    name: 'regdoctor',
    suite: report.target.image ?? report.target.registry,
    cases,
    failures,
    errors,
    skipped,
    ms: report.durationMs,
    timestamp: report.generatedAt,
    properties: `<properties><property name="regdoctor.verdict" value="${xml(report.verdict.code)}"/><property name="regdoctor.warnings" value="${count('warn')}"/></properties>`,
  });
}

/** The report as JSON: redacted and sanitised (JSON.stringify escapes C0 controls but leaves C1 and bidi characters raw). */
export function renderJson(report: Report): string {
  return `${JSON.stringify(sanitizeReport(redact(report)), null, 2)}\n`;
}

/** Writes the report in the format named by the file extension (.md, .json, .html). */
export async function writeReport(file: string, report: Report): Promise<string> {
  const safe = sanitizeReport(redact(report));
  const ext = file.toLowerCase().match(/\.(md|markdown|json|html?|xml)$/)?.[1];
  let body: string;
  if (ext === 'json') body = renderJson(safe);
  else if (ext === 'html' || ext === 'htm') body = renderHtml(safe);
  else if (ext === 'xml') body = renderJUnit(safe);
  else if (ext === 'md' || ext === 'markdown') body = renderMarkdown(safe);
  else throw new Error(`--report ${file}: use a .md, .json or .html file name`);
  await writeFile(file, body, { mode: 0o644 });
  return file;
}

export async function writeJUnit(file: string, report: Report, opts: JUnitOptions = {}): Promise<string> {
  await writeFile(file, renderJUnit(sanitizeReport(redact(report)), opts));
  return file;
}

// ---------------------------------------------------------------------------------------------------------------
// `regdoctor nodes` (regdoctor/nodes@1): the per-node matrix in the same formats, with the same escaping.

/** The parts of a regdoctor/nodes@1 document the exports read. */
export interface NodesExportInput {
  generatedAt: string;
  tool: { version: string };
  target: string;
  total: number;
  durationMs: number;
  groups: {
    code: string;
    title: string;
    summary: string;
    summaryMessage?: Message;
    predictedRuntimeError?: string;
    config?: { digest: string; lines: string[] };
    nodes: string[];
    healthy: boolean;
  }[];
  nodes: {
    node: string;
    state: string;
    code: string;
    summary: string;
    summaryMessage?: Message;
    predictedRuntimeError?: string;
    durationMs: number;
  }[];
}

/** One JUnit test case per node: healthy passes, a diagnosis with a problem fails, no report at all is an error. */
export function renderNodesJUnit(doc: NodesExportInput): string {
  const failures = doc.nodes.filter((n) => n.state === 'diagnosed' && n.code !== 'healthy').length;
  const errors = doc.nodes.filter((n) => n.state !== 'diagnosed').length;
  const cases = doc.nodes.map((n) => {
    const body =
      n.state !== 'diagnosed'
        ? `<error message="${xml(`${n.code}: ${summaryText(n)}`)}" type="${xml(n.code)}"/>`
        : n.code === 'healthy'
          ? ''
          : `<failure message="${xml(`${n.code}: ${summaryText(n)}`)}" type="${xml(n.code)}">${xml([`${r(n.code)}: ${r(summaryText(n))}`, ...(n.predictedRuntimeError ? [`containerd: ${r(n.predictedRuntimeError)}`] : [])].join('\n'), true)}</failure>`;
    return junitCase('regdoctor.nodes', n.node, n.durationMs, body);
  });
  return junitDocument({
    name: 'regdoctor nodes',
    suite: doc.target,
    cases,
    failures,
    errors,
    ms: doc.durationMs,
    timestamp: doc.generatedAt,
  });
}

/** "4 nodes, 2 groups" in the active language. */
function nodesTally(total: number, groups: number): string {
  return t('node.nodes.count', { nodes: tn('node.nodes.nodes', total), groups: tn('node.nodes.groups', groups) });
}

/** The matrix as Markdown: one section per group (odd ones out first) and a table of nodes. */
export function renderNodesMarkdown(doc: NodesExportInput): string {
  const out = [
    `# ${t('node.nodes.title', { target: mdText(doc.target) })}`,
    '',
    `${t('node.export.sentence', { text: nodesTally(doc.total, doc.groups.length) })} ${t('node.export.generated', { at: mdText(doc.generatedAt), version: mdText(doc.tool.version) })}`,
    '',
  ];
  for (const g of doc.groups) {
    out.push(
      `## ${t('node.nodes.groupHeading', { n: g.nodes.length, total: doc.total, code: mdText(g.code) })}`,
      '',
      mdLine(summaryText(g)),
      '',
    );
    if (g.predictedRuntimeError) out.push(t('node.nodes.predicted'), '', ...mdFence(g.predictedRuntimeError), '');
    if (g.config)
      out.push(
        t('node.nodes.registryConfig', { digest: mdCode(`sha256:${g.config.digest}`) }),
        '',
        ...g.config.lines.map((_, i) => `- ${mdText(configLine(g.config!, i))}`),
        '',
      );
    out.push(t('node.nodes.nodeList', { nodes: g.nodes.map((n) => mdCode(n)).join(', ') }), '');
  }
  out.push(
    `| ${t('node.nodes.col.node')} | ${t('node.nodes.col.outcome')} | ${t('node.nodes.col.summary')} |`,
    '| --- | --- | --- |',
    ...doc.nodes.map((n) => `| ${mdCell(n.node)} | ${mdCell(n.code)} | ${mdCell(summaryText(n))} |`),
    '',
  );
  return out.join('\n');
}

/** The matrix as a self-contained HTML page. */
export function renderNodesHtml(doc: NodesExportInput): string {
  const h = (s: string | undefined) =>
    r(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
  const groups = doc.groups
    .map(
      (g) =>
        `<section><h2>${t('node.nodes.groupHeading', { n: g.nodes.length, total: doc.total, code: `<code>${h(g.code)}</code>` })}</h2><p>${h(summaryText(g))}</p>${g.predictedRuntimeError ? `<pre>${h(g.predictedRuntimeError)}</pre>` : ''}${g.config ? `<p>${h(t('node.nodes.configuration'))} <code>sha256:${h(g.config.digest)}</code></p><ul>${g.config.lines.map((_, i) => `<li>${h(configLine(g.config!, i))}</li>`).join('')}</ul>` : ''}<p>${g.nodes.map((n) => `<code>${h(n)}</code>`).join(', ')}</p></section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="${h(getLang())}"><head><meta charset="utf-8"><title>regdoctor nodes</title><style>body{font-family:system-ui,sans-serif;max-width:70em;margin:2em auto}pre{background:#f4f4f4;padding:.5em;white-space:pre-wrap}</style></head><body>
<h1>${h(t('node.nodes.title', { target: doc.target }))}</h1>
<p>${h(t('node.export.sentence', { text: nodesTally(doc.total, doc.groups.length) }))}</p>
${groups}
<footer>${h(t('node.export.generated', { at: doc.generatedAt, version: doc.tool.version }))}</footer>
</body></html>
`;
}
