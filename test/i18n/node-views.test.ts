// `regdoctor audit` and `regdoctor nodes` in zh-CN and ja: the plain text, the Markdown/HTML/JUnit exports (HTML
// carries `lang` of the language) render through the real renderers; headings, labels and summaries are translated
// (no English sentence left), codes, hosts and commands stay as they are, and English is unchanged.
import { describe, expect, it } from 'vitest';
import { renderAuditHtml, renderAuditJUnit, renderAuditMarkdown } from '../../src/report/audit-export.js';
import { renderAuditText } from '../../src/ui/audit-text.js';
import { renderNodesHtml, renderNodesJUnit, renderNodesMarkdown } from '../../src/report/export.js';
import { renderMatrixText } from '../../src/ui/nodes-view.js';
import { fleetFix, groupOutcomes, outcomeFromReport, type NodeOutcome } from '../../src/kube/nodes-matrix.js';
import { runtimeCredentialRejected } from '../../src/runtime/containerd-config.js';
import { messageIn, msg, summaryOf, tr, withLang } from '../../src/i18n/index.js';
import type { AuditDocument, AuditEntry } from '../../src/app/audit.js';
import type { Report } from '../../src/core/report.js';
import { englishRuns } from './node-english.js';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { discoverNodeRegistries, runAudit } from '../../src/app/audit.js';
import { DEFAULT_RUN_OPTIONS } from '../../src/app/diagnose.js';
import { createRealAdapters } from '../../src/app/adapters.js';

const rejected = runtimeCredentialRejected(
  { code: 'unauthorized', summary: 'x' },
  { source: 'configs."reg.test:5000".auth', file: '/etc/containerd/config.toml', username: 'ci' },
  'reg.test:5000',
);
const finding = { ...rejected, severity: 'error', evidence: [], fixes: [], source: 'registry-api' } as never;

const entry = (host: string, o: Partial<AuditEntry> = {}): AuditEntry => ({
  host,
  target: `${host}/app:1`,
  sources: [
    { kind: 'hosts-toml', where: `/etc/containerd/certs.d/${host}/hosts.toml` },
    { kind: 'legacy-auths', where: '/etc/containerd/config.toml' },
    { kind: 'cluster', where: 'pod/a' },
  ],
  state: 'diagnosed',
  verdict: { code: 'healthy', severity: 'info', title: 'h', ...summaryOf('node.fleet.restart') },
  warnings: [],
  problems: [],
  durationMs: 1,
  ...o,
});

const doc: AuditDocument = {
  schema: 'regdoctor/audit@1',
  tool: { name: 'regdoctor', version: '1.2.3' },
  generatedAt: '2026-11-30T00:00:00.000Z',
  node: { name: 'node-a', root: '/mnt/node' },
  durationMs: 1200,
  incomplete: true,
  limits: { parallel: 4, registryTimeoutMs: 1000, totalTimeoutMs: 5000 },
  summary: { registries: 3, healthy: 1, withWarnings: 0, problems: 1, notDiagnosed: 1 },
  registries: [
    entry('a.test:5000'),
    entry('b.test:5000', {
      verdict: {
        code: 'credentials-mismatch',
        severity: 'error',
        title: 't',
        summary: rejected.summary,
        summaryMessage: rejected.summaryMessage,
      },
      problems: ['credentials-mismatch'],
      harden: 'regdoctor fix --harden b.test:5000/app:1',
      report: { findings: [finding] } as unknown as Report,
    }),
    entry('c.test:5000', {
      state: 'timeout',
      verdict: { code: 'unknown', severity: 'warning', title: 'not diagnosed', ...summaryOf('node.nodes.interrupted') },
    }),
  ],
  notes: [],
};

const keptValues = ['regdoctor', 'credentials-mismatch', 'healthy', 'timeout', 'unknown', 'node-a', 'ci'];

describe('audit text and exports in zh-CN and ja', () => {
  for (const lang of ['zh-CN', 'ja'] as const) {
    it(`${lang}: text, Markdown, HTML (lang attribute), JUnit`, () => {
      const [text, verbose, md, html, junit] = withLang(lang, () => [
        renderAuditText(doc, { color: false, columns: 100 }),
        renderAuditText(doc, { color: false, columns: 100, verbose: true }),
        renderAuditMarkdown(doc),
        renderAuditHtml(doc),
        renderAuditJUnit(doc),
      ]);
      for (const out of [
        text,
        verbose,
        md,
        html.replace(/<style>.*?<\/style>/s, '').replace(/<[^>]+>/g, ' '),
        junit.replace(/<[^>]+>/g, ' '),
      ])
        expect(englishRuns(out, keptValues), out).toEqual([]);
      if (process.env.SHOW_I18N) console.log(text, verbose, md);
      expect(html).toContain(`<html lang="${lang}">`);
      expect(md).toContain('configs."reg.test:5000".auth');
      expect(text).toContain('regdoctor fix --harden b.test:5000/app:1');
    });
  }
  it('English is unchanged: lang="en", the headings and tallies as before', () => {
    const html = withLang('en', () => renderAuditHtml(doc));
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<th>host</th><th>verdict</th><th>warnings</th><th>expiry</th><th>configured</th>');
    const md = withLang('en', () => renderAuditMarkdown(doc));
    expect(md).toContain('| host | verdict | warnings | expiry | configured |');
    expect(md).toContain('3 registries: 1 healthy, 0 with warnings, 1 with problems, 1 not diagnosed. Generated');
    expect(md).toContain(`Harden: \`regdoctor fix --harden b.test:5000/app:1\``);
    const text = withLang('en', () => renderAuditText(doc, { color: false, columns: 100, verbose: true }));
    expect(text).toContain('hosts.toml, legacy auths, running pods');
    expect(text).toContain('not diagnosed (timeout)');
  });
});

const report = (code: string, summary: ReturnType<typeof summaryOf>, findings: unknown[] = []): Report =>
  ({
    verdict: { code, severity: code === 'healthy' ? 'info' : 'error', title: code, ...summary },
    findings,
    checks: [{ id: 'containerd-config', evidence: [`applies: /etc/containerd/certs.d/reg.test:5000/hosts.toml`] }],
  }) as unknown as Report;

describe('nodes matrix text and exports in zh-CN and ja', () => {
  const stale = { code: 'config-not-applied', ...summaryOf('node.fleet.restart') };
  const outcomes: NodeOutcome[] = [
    outcomeFromReport('n1', report('credentials-mismatch', summaryOf('node.cred.credential'), [stale]), 10),
    outcomeFromReport('n2', report('credentials-mismatch', { summary: rejected.summary, summaryMessage: rejected.summaryMessage! }), 10),
    outcomeFromReport('n3', report('healthy', summaryOf('node.nodes.noStatus')), 10),
    outcomeFromReport('n4', report('healthy', summaryOf('node.nodes.noStatus')), 10),
  ];
  const failed: NodeOutcome = {
    node: 'n5',
    state: 'timeout',
    code: 'timeout',
    title: 'timeout',
    durationMs: 5,
    ...summaryOf('node.nodes.podTimeout', { pod: 'p-1', ms: 5000, why: msg('node.nodes.noStatus') }),
  };
  const groups = groupOutcomes([...outcomes, failed]);
  const fixes = groups
    .map((g) => fleetFix(g, undefined, { ref: 'reg.test:5000/app:1', image: 'regdoctor:1' }))
    .filter((f) => f !== undefined);
  const exportDoc = {
    target: 'reg.test:5000/app:1',
    total: 5,
    generatedAt: '2026-11-30T00:00:00.000Z',
    durationMs: 10,
    tool: { version: '1.2.3' },
    groups: groups.map((g) => ({ ...g })),
    nodes: [...outcomes, failed],
  };

  for (const lang of ['zh-CN', 'ja'] as const) {
    it(`${lang}: text, Markdown, HTML (lang attribute), JUnit`, () => {
      expect(fixes.length).toBeGreaterThan(0);
      if (process.env.SHOW_I18N)
        console.log(
          withLang(lang, () =>
            renderMatrixText({ target: exportDoc.target, total: 5, groups, fixes, notes: [] }, { color: false, columns: 100 }),
          ),
        );
      const [text, md, html, junit] = withLang(lang, () => [
        renderMatrixText({ target: exportDoc.target, total: 5, groups, fixes, notes: [] }, { color: false, columns: 100 }),
        renderNodesMarkdown(exportDoc as never),
        renderNodesHtml(exportDoc as never),
        renderNodesJUnit(exportDoc as never),
      ]);
      const kept = [
        ...keptValues,
        'config-not-applied',
        'kubectl',
        'chroot',
        'systemctl restart containerd',
        '--profile=sysadmin',
        'debug',
      ];
      for (const out of [text, md, html.replace(/<style>.*?<\/style>/s, '').replace(/<[^>]+>/g, ' '), junit.replace(/<[^>]+>/g, ' ')])
        expect(englishRuns(out, kept), out).toEqual([]);
      expect(html).toContain(`<html lang="${lang}">`);
    });
  }
  it('English is unchanged', () => {
    const md = withLang('en', () => renderNodesMarkdown(exportDoc as never));
    expect(md).toContain('# regdoctor nodes: reg.test:5000/app:1');
    expect(md).toContain('5 nodes, ');
    expect(md).toContain('| node | outcome | summary |');
    expect(md).toContain('\\(the pull fails meanwhile: credentials-mismatch\\)');
    expect(withLang('en', () => renderNodesHtml(exportDoc as never))).toContain('<html lang="en">');
  });
});

describe('audit notes in zh-CN and ja', () => {
  it('discovery notes of real node files (missing config, _default, names that are not hosts, bad JSON) are translated', async () => {
    const root = mkdtempSync(join(tmpdir(), 'regdoctor-i18n-audit-'));
    const files: Record<string, string> = {
      '/etc/containerd/certs.d/_default/hosts.toml': '',
      '/etc/containerd/certs.d/not a host/hosts.toml': '',
      '/var/lib/kubelet/config.json': JSON.stringify({ auths: { '*.wild.test': { auth: 'x' } } }),
      '/root/.docker/config.json': '{"auths":',
    };
    for (const [p, body] of Object.entries(files)) {
      mkdirSync(dirname(join(root, p)), { recursive: true });
      writeFileSync(join(root, p), body);
    }
    const d = await discoverNodeRegistries(createRealAdapters({ root, env: {} }).fs, { containerdVersion: '1.7.13' });
    expect(d.noteMessages.map((m) => messageIn('en', m))).toEqual(d.notes);
    const keys = d.noteMessages.map((m) => m.key);
    for (const k of ['missing', 'default', 'notHostName', 'keyNotHost', 'invalidJson']) expect(keys).toContain(`node.audit.note.${k}`);
    const withNotes = { ...doc, notes: d.notes, noteMessages: d.noteMessages };
    for (const lang of ['zh-CN', 'ja'] as const) {
      const text = withLang(lang, () => renderAuditText(withNotes, { color: false, columns: 200 }));
      const md = withLang(lang, () => renderAuditMarkdown(withNotes));
      for (const out of [text, md]) expect(englishRuns(out, keptValues), out).toEqual([]);
    }
    expect(withLang('en', () => renderAuditText(withNotes, { color: false, columns: 200 }))).toContain(`note: ${d.notes[0]}`);
  });
});

describe('registries the audit could not diagnose, in zh-CN and ja', () => {
  it("a diagnosis that fails and registries the time bound left unstarted say why in the reader's language", async () => {
    const root = mkdtempSync(join(tmpdir(), 'regdoctor-i18n-audit-'));
    for (const h of ['r1.test', 'r2.test', 'r3.test']) {
      mkdirSync(join(root, `/etc/containerd/certs.d/${h}`), { recursive: true });
      writeFileSync(join(root, `/etc/containerd/certs.d/${h}/hosts.toml`), `server = "https://${h}"\n`);
    }
    writeFileSync(
      join(root, '/etc/containerd/config.toml'),
      'version = 2\n[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/etc/containerd/certs.d"\n',
    );
    const d = await runAudit(
      { run: { ...DEFAULT_RUN_OPTIONS, root, pull: false }, parallel: 1, registryTimeoutMs: 1000, totalTimeoutMs: 150 },
      {
        adapters: createRealAdapters({ root, env: {} }),
        // the diagnosis itself fails (an internal error): the audit records why and goes on
        diagnose: async () => {
          await new Promise((r) => setTimeout(r, 200));
          throw new Error('boom');
        },
      },
    );
    const keys = d.registries.map((e) => e.verdict.summaryMessage?.key);
    expect(keys).toContain('node.audit.failed');
    expect(keys).toContain('node.audit.notStarted.bound');
    for (const e of d.registries) {
      expect(messageIn('en', e.verdict.summaryMessage)).toBe(e.verdict.summary);
      for (const lang of ['zh-CN', 'ja'] as const)
        expect(
          englishRuns(
            withLang(lang, () => tr(e.verdict.summaryMessage)),
            ['boom'],
          ),
        ).toEqual([]);
    }
  });
});
