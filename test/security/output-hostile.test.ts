// Untrusted text never reaches an output raw. A hostile corpus (ESC/CSI, OSC 0/8/52, BEL, backspace, CR, newlines
// forging `✓ verdict: healthy`, U+202E, C1 CSI, <script>, Markdown headings/images, `]]>`, NUL, non-characters)
// goes in where the outside world puts text — server headers and error strings (through the check engine),
// certificate subjects and SANs (a real TLS server), event messages, secret names and keys (pull-secret analysis),
// pasted `explain` input — and out through every renderer: plain text (with and without colour), the Ink view,
// JSON, Markdown, HTML and JUnit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import React from 'react';
import { render } from 'ink-testing-library';
import { runGraph } from '../../src/core/engine.js';
import { buildReport, collectFindings, type Report } from '../../src/core/report.js';
import { diagnose, DEFAULT_RUN_OPTIONS } from '../../src/app/diagnose.js';
import { parseTarget } from '../../src/core/reference.js';
import { createRealAdapters } from '../../src/app/adapters.js';
import type { Adapters } from '../../src/core/adapters.js';
import type { Check, RunState } from '../../src/core/types.js';
import { renderText } from '../../src/ui/text.js';
import { clip, wrap } from '../../src/ui/format.js';
import { App } from '../../src/ui/App.js';
import { renderHtml, renderJson, renderJUnit, renderMarkdown, writeReport } from '../../src/report/export.js';
import { startDemoLab, type DemoLab } from '../../src/demo/scenarios.js';
import { createCA, issueCert } from '../../src/x509/build.js';
import { analyzePullSecrets, type SecretFetch } from '../../src/kube/pull-secrets.js';
import { runInProcess } from '../kube/inproc-cli.js';
import { Parser as MarkdownParser } from 'commonmark';
import { ALL, HOSTILE, expectInert, expectNoForgedLine, htmlTags, markdownShape, tame, xmlError } from './hostile-corpus.js';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const target = parseTarget('reg.test:5000/app:1');
const options = { ...DEFAULT_RUN_OPTIONS, pull: false };

/** A check whose every output field carries `text` (what a hostile registry / cluster / certificate sends). */
function echoCheck(id: string, text: string, extra: Partial<Check> = {}): Check {
  return {
    id,
    title: `echo ${id}`,
    needs: [],
    timeoutMs: 5_000,
    async run() {
      return {
        summary: `Server: ${text}`,
        evidence: [`WWW-Authenticate: Bearer realm="${text}"`, `event: Failed to pull image "${text}"`],
        findings: [
          {
            code: 'unauthorized',
            summary: `the registry answered ${text}`,
            evidence: [text, `secret ${text}: entry "${text}"`],
            host: `h${text}`,
            predictedRuntimeError: `failed to pull and unpack image: ${text}`,
            nextErrors: [`next ${text}`],
            data: { header: text, nested: [{ deep: text }] },
          },
        ],
      };
    },
    ...extra,
  } as unknown as Check;
}

function crashCheck(id: string, text: string): Check {
  return {
    id,
    title: `crash ${id}`,
    needs: [],
    timeoutMs: 5_000,
    async run() {
      throw new Error(`tls: ${text}`);
    },
  } as unknown as Check;
}

async function runHostile(text: string, extraChecks: Check[] = []): Promise<{ state: RunState; report: Report }> {
  const checks = [echoCheck('hostile-server', text), crashCheck('hostile-error', text), ...extraChecks];
  const state = await runGraph(checks, { target, options, adapters: {} as Adapters });
  const findings = collectFindings(state).map((f) => ({
    ...f,
    // a fix proposal that quotes untrusted data (as proposals quote hosts and paths)
    fixes: [
      {
        id: 'x',
        title: `trust ${text}`,
        risk: 'safe' as const,
        where: 'node' as const,
        restartRequired: false,
        description: `for ${text}`,
        manualSteps: [`regdoctor fix ${text}`],
        actions: [],
      },
    ],
  }));
  return { state, report: buildReport(state, findings) };
}

function inkFrames(state: RunState, report: Report | undefined, color: boolean): string {
  const inst = render(React.createElement(App, { state, report, verbose: true, columns: 120, color, message: `exported ${ALL}` }));
  const out = inst.frames.join('\n');
  inst.unmount();
  return out;
}

/** Every renderer on one report; returns the outputs by name. */
function renderAll(report: Report): Record<string, string> {
  return {
    text: renderText(report, { verbose: true, color: false, columns: 100 }),
    'text (colour)': renderText(report, { verbose: true, color: true, columns: 100 }),
    'text (short)': renderText(report, { verbose: false, color: false, columns: 60 }),
    json: renderJson(report),
    markdown: renderMarkdown(report),
    html: renderHtml(report),
    junit: renderJUnit(report),
  };
}

function expectSafeOutputs(report: Report, where: string): void {
  const outs = renderAll(report);
  for (const [name, out] of Object.entries(outs)) {
    expectInert(out, `${where} / ${name}`, name === 'text (colour)');
    if (name.startsWith('text')) expectNoForgedLine(out, `${where} / ${name}`);
  }
  // JUnit: strict XML 1.0, characters included
  expect(xmlError(outs.junit!), outs.junit).toBeUndefined();
  // Markdown: the hostile text adds no heading, image, link, raw HTML, code block or list
  const tamed = renderMarkdown(tame(report));
  expect(markdownShape(outs.markdown!)).toEqual(markdownShape(tamed));
  expect(markdownShape(outs.markdown!)).toMatchObject({ images: 0, html: 0, links: 0 });
  expect(markdownShape(outs.markdown!).headings).not.toContain('FORGED');
  // HTML: the same tags as with harmless text; the hostile markup only as text
  expect(htmlTags(outs.html!)).toEqual(htmlTags(renderHtml(tame(report))));
  expect(outs.html.match(/.{0,80}(<script|<img|<injected).{0,20}/i)?.[0]).toBeUndefined();
}

describe('hostile text through the check engine (server headers, error strings, event messages)', () => {
  let state: RunState;
  let report: Report;
  let plain: Report;
  const buildReportFor = (which: 'plain') => (which === 'plain' ? plain : report);
  beforeAll(async () => {
    ({ state, report } = await runHostile(ALL));
    ({ report: plain } = await runHostile('x'));
  });

  it('enters the run state already neutralised (the Ink view renders from it while checks run)', () => {
    const run = state.checks.find((c) => c.id === 'hostile-server')!;
    expectInert(JSON.stringify(run.findings) + run.summary + run.evidence.join(''), 'run state');
    for (const s of [run.summary!, ...run.evidence, run.findings[0]!.summary, ...run.findings[0]!.evidence]) expect(s).not.toContain('\n');
    const crashed = state.checks.find((c) => c.id === 'hostile-error')!;
    expect(crashed.status).toBe('crash');
    expectInert(`${crashed.error}${crashed.summary}`, 'crash message');
    expect(crashed.error).not.toContain('\n');
  });

  it('text, colour text, JSON, Markdown, HTML and JUnit carry no raw control character and no forged line', () => {
    expectSafeOutputs(report, 'engine');
    // the escapes are visible, not dropped: a reader sees what the server sent
    const text = renderText(report, { verbose: true, color: false, columns: 100 });
    expect(text).toContain('\\x1b]0;pwned-title\\x07');
    expect(text).toContain('\\u202e');
    expect(renderHtml(report)).toContain('&lt;script&gt;');
    // the Markdown skeleton is the template's: the hostile text became inline text
    expect(markdownShape(renderMarkdown(report))).toEqual(markdownShape(renderMarkdown(buildReportFor('plain'))));
  });

  it('the Ink view (finished and while running) shows no raw control character and no forged verdict line', () => {
    for (const color of [false, true]) {
      const done = inkFrames(state, report, color);
      expectInert(done, `ink (colour ${color})`, color);
      expectNoForgedLine(done, `ink (colour ${color})`);
      expect(done).toContain('\\x1b]0;pwned-title');
    }
    const running: RunState = { ...state, checks: state.checks.map((c) => ({ ...c, status: 'running', startedAt: Date.now() })) };
    const live = inkFrames(running, undefined, false);
    expectInert(live, 'ink (running)');
    expectNoForgedLine(live, 'ink (running)');
  });

  it('written report files (.md, .html, .json) are safe too', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'regdoctor-hostile-'));
    for (const ext of ['md', 'html', 'json']) {
      const file = path.join(dir, `r.${ext}`);
      await writeReport(file, report);
      expectInert(await readFile(file, 'utf8'), `--report r.${ext}`);
    }
  });

  it('Markdown code spans and fences hold the whole untrusted text (backticks inside cannot close them)', () => {
    const doc = new MarkdownParser().parse(renderMarkdown(report));
    const codes: string[] = [];
    const w = doc.walker();
    let ev;
    while ((ev = w.next()))
      if (ev.entering && (ev.node.type === 'code' || ev.node.type === 'code_block')) codes.push(ev.node.literal ?? '');
    const next = codes.find((c) => c.startsWith('next '));
    expect(next, codes.join('\n')).toBeDefined();
    expect(next!.endsWith(HOSTILE.backticks)).toBe(true);
    expect(codes.some((c) => c.startsWith('failed to pull and unpack image: ') && c.trimEnd().endsWith(HOSTILE.backticks))).toBe(true);
  });

  for (const [name, piece] of Object.entries(HOSTILE).filter(([n]) => n !== 'backticks')) {
    it(`each piece alone is neutralised: ${name}`, async () => {
      const { report: r } = await runHostile(piece);
      expectSafeOutputs(r, name);
    });
  }
});

describe('the shared text helpers are a safety net for every printer', () => {
  it('wrap keeps paragraphs but escapes every other control character; clip escapes all', () => {
    const wrapped = wrap(`first\r\nsecond ${ALL}`, 80, '  ').join('\n');
    expectInert(wrapped, 'wrap');
    expect(wrapped.split('\n')[0]).toBe('  first');
    expectInert(clip(ALL, 500), 'clip');
    expect(clip(ALL, 500)).not.toContain('\n');
  });
});

describe('renderers escape a report they did not build (a report read back, or built elsewhere)', () => {
  const raw = (): Report => ({
    schema: 'regdoctor/report@1',
    tool: { name: 'regdoctor', version: `1${HOSTILE.osc0}` },
    generatedAt: new Date(0).toISOString(),
    target: {
      input: ALL,
      kind: 'image',
      image: `reg.test/app${HOSTILE.newline}`,
      registry: `reg${HOSTILE.osc52}`,
      endpoint: `e${HOSTILE.csi}`,
    },
    durationMs: 5,
    cancelled: false,
    checks: [{ id: `c${HOSTILE.cr}`, title: ALL, status: 'fail', durationMs: 1, summary: ALL, error: ALL, evidence: [ALL] }],
    findings: [
      {
        code: 'unauthorized',
        title: ALL,
        severity: 'error',
        summary: ALL,
        evidence: [ALL],
        host: ALL,
        predictedRuntimeError: ALL,
        nextErrors: [ALL],
        docs: ALL,
        source: `c${HOSTILE.cr}`,
        fixes: [
          { id: 'f', title: ALL, risk: 'safe', where: 'node', restartRequired: false, description: ALL, manualSteps: [ALL], actions: [] },
        ],
      },
    ],
    verdict: { code: 'unauthorized', title: ALL, severity: 'error', summary: ALL, predictedRuntimeError: ALL, docs: ALL },
    chain: [
      {
        subject: `CN=${ALL}`,
        issuer: `CN=${ALL}`,
        notBefore: new Date(0).toISOString(),
        notAfter: new Date(8.64e15).toISOString(),
        sans: [ALL, HOSTILE.html],
        signatureAlgorithm: 'x',
        key: 'EC 256',
        isCA: false,
        sha256: 'ab',
        failing: true,
      },
    ],
  });

  it('every renderer sanitises on its own', () => {
    expectSafeOutputs(raw(), 'raw report');
  });
});

describe('certificate subject, issuer and SANs from a real TLS server', () => {
  let lab: DemoLab;
  let report: Report;
  let state: RunState;
  const host = 'hostile-cert.demo.regdoctor.test';
  beforeAll(async () => {
    const ca = createCA({ cn: `Evil CA ${HOSTILE.osc0}${HOSTILE.rlo}`, o: `Org ${HOSTILE.newline}${HOSTILE.html}` });
    // DNS SANs are IA5 bytes: ESC, BEL, CR/LF and a C1 CSI byte go on the wire as they are
    const leaf = issueCert(ca, {
      cn: `${host}${HOSTILE.markdown}`,
      dns: [`evil${HOSTILE.osc52}.test`, `x\r\n✓ verdict: healthy\u009b2J.test`, `a${HOSTILE.xml}`],
    });
    lab = await startDemoLab([
      {
        id: 'hostile-cert',
        title: '',
        expect: 'hostname-mismatch',
        host,
        registry: { tls: { cert: leaf.certPem, key: leaf.keyPem } },
        trustCa: ca.certPem,
      },
    ]);
    const s = lab.scenarios[0]!;
    const r = await diagnose({
      target: parseTarget(s.image),
      options: { ...DEFAULT_RUN_OPTIONS, root: lab.root, pull: false, goVersion: 'go1.22.5', timeoutMs: 20_000 },
      adapters: createRealAdapters({ root: lab.root, hosts: lab.hosts, env: {} }),
    });
    report = r.report;
    state = r.state;
  }, 60_000);
  afterAll(async () => {
    await lab?.close();
  });

  it('the names reach the report (so the test means something) and only as visible escapes', () => {
    expect(report.verdict.code).toBe('hostname-mismatch');
    expect(report.chain?.[0]?.issuer).toContain('\\x1b]0\\;pwned-title');
    expect(report.chain?.[0]?.sans).toContain('x\\r\\n\\x13 verdict: healthy\\x9b2J.test');
    expect(JSON.stringify(report)).toContain('evil\\\\x1b]52;c;');
    expectInert(JSON.stringify(report), 'report JSON');
  });

  it('every renderer, the Ink view included', () => {
    expectSafeOutputs(report, 'certificate');
    for (const color of [false, true]) {
      const ink = inkFrames(state, report, color);
      expectInert(ink, 'ink certificate', color);
      expectNoForgedLine(ink, 'ink certificate');
    }
  });
});

describe('cluster data: secret names, data keys and docker config keys', () => {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const image = parseTarget('reg.example.com:5000/app:1').image!;
  const name = `pull${HOSTILE.newline}${HOSTILE.osc52}`;
  const secrets: SecretFetch[] = [
    { name, namespace: 'ns', status: 'ok', type: `kubernetes.io/dockerconfigjson${HOSTILE.cr}`, data: { [`k${HOSTILE.osc0}`]: 'eA==' } },
    {
      name: `${name}2`,
      namespace: 'ns',
      status: 'ok',
      type: 'kubernetes.io/dockerconfigjson',
      data: { '.dockerconfigjson': b64(JSON.stringify({ auths: { [`other.test${HOSTILE.markdown}`]: { auth: b64('u:p') } } })) },
    },
    { name: `${name}3`, namespace: 'ns', status: 'not-found', elsewhere: [`ops${HOSTILE.csi}`] },
  ];

  it('flow from the analysis through the engine into every renderer neutralised', async () => {
    const a = analyzePullSecrets({
      image,
      namespace: 'ns',
      pod: { name: 'p', namespace: 'ns', serviceAccountName: 'default', imagePullSecrets: secrets.map((s) => s.name) },
      secrets,
    });
    expect(a.findings.length).toBeGreaterThanOrEqual(3);
    const check = {
      id: 'pull-secrets',
      title: 'pull secrets',
      needs: [],
      timeoutMs: 5_000,
      run: async () => ({ summary: `secrets ${a.secretNames.join(', ')}`, evidence: a.evidence, findings: a.findings }),
    } as unknown as Check;
    const state = await runGraph([check], { target, options, adapters: {} as Adapters });
    const report = buildReport(state);
    expect(JSON.stringify(report)).toContain('pullok\\\\n');
    const outs = renderAll(report);
    for (const [n, out] of Object.entries(outs)) {
      expectInert(out, `secrets / ${n}`, n === 'text (colour)');
      if (n.startsWith('text')) expectNoForgedLine(out, `secrets / ${n}`);
    }
    expect(xmlError(outs.junit!)).toBeUndefined();
    expect(markdownShape(outs.markdown!)).toEqual(markdownShape(renderMarkdown(tame(report))));
    const ink = inkFrames(state, report, false);
    expectInert(ink, 'secrets / ink');
    expectNoForgedLine(ink, 'secrets / ink');
  });
});

describe('explain: pasted text', () => {
  const pasted = `Warning  Failed  kubelet  Failed to pull image "reg.test:5000/a:1${HOSTILE.osc52}": rpc error: code = Unknown desc = failed to pull and unpack image "reg.test:5000/a:1": failed to resolve reference "reg.test:5000/a:1": failed to do request: Head "https://reg.test:5000/v2/a/manifests/1": tls: failed to verify certificate: x509: certificate signed by unknown authority ${ALL}`;

  it('text (verbose) and JSON output carry no raw control character and no forged line', async () => {
    for (const args of [
      ['explain', '-v', pasted],
      ['explain', '--json', pasted],
    ]) {
      const r = await runInProcess(args);
      expect(r.stdout).toContain('untrusted-ca');
      expectInert(r.stdout, args.join(' ').slice(0, 20));
      expectNoForgedLine(r.stdout, args[1]!);
    }
  });

  it('a hostile image name in a pasted event is data, never a command', async () => {
    const r = await runInProcess([
      'explain',
      `Failed to pull image "other.corp.test/shop/a:1;touch\${IFS}/tmp/x;#": rpc error: code = NotFound desc = failed to pull and unpack image "other.corp.test/shop/a:1;touch\${IFS}/tmp/x;#": not found`,
    ]);
    expect(r.stdout).not.toMatch(/regdoctor diagnose other\.corp\.test\/shop\/a:1;touch/);
  });
});
