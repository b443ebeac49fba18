// The CLI's own text in zh-CN and ja (issue 20): `--help` of every command and the usage errors, chosen by LANG or
// --lang, leave no English sentence of the help table behind (every flag description, summary and example note is the
// translation, not the English), keep the exit codes, flags and example commands byte-exact, and fit the terminal by
// display width (CJK = two columns). The built CLI is run once per language with a real LANG environment.
import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT, type CliIO } from '../../src/app/io.js';
import { main } from '../../src/cli/main.js';
import { commandFlags, COMMANDS, GLOBAL_FLAGS, type FlagSpec } from '../../src/cli/help.js';
import { EN, getLang, setLang, textIn, withLang, type Lang } from '../../src/i18n/index.js';
import { renderScan } from '../../src/cli/commands/scan.js';
import type { ScanResult } from '../../src/kube/scan.js';
import { CAUSES } from '../../src/core/causes.js';
import { CLI_EN } from '../../src/i18n/cli.en.js';
import { CLI_ZH_CN } from '../../src/i18n/cli.zh-CN.js';
import { CLI_JA } from '../../src/i18n/cli.ja.js';
import { displayWidth } from '../../src/text/width.js';
import { runCli } from '../helpers/cli.js';
import { memoryIO } from '../helpers/io.js';
import { runHarden } from '../../src/cli/commands/fix-harden.js';
import { DEFAULT_RUN_OPTIONS } from '../../src/app/run-options.js';
import { createRealAdapters } from '../../src/app/adapters.js';
import { parseFixOptions, runFix, type FixDeps } from '../../src/cli/commands/fix.js';
import { parseTarget } from '../../src/core/reference.js';
import { buildReport } from '../../src/core/report.js';
import type { DiagnosisResult } from '../../src/app/diagnose.js';
import type { CheckRun, Finding, FixProposal, RunState } from '../../src/core/types.js';

async function cli(argv: string[], env: Record<string, string>, columns = 80) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    stdin: new PassThrough(),
    env,
    interactive: false,
    color: false,
    columns,
    signal: new AbortController().signal,
  };
  const before = getLang();
  try {
    const code = await main(argv, io);
    return { code, stdout, stderr };
  } finally {
    setLang(before);
  }
}

const NAMES = Object.keys(COMMANDS);
const LOCALES: Record<Exclude<Lang, 'en'>, string> = { 'zh-CN': 'zh_CN.UTF-8', ja: 'ja_JP.UTF-8' };
const CJK = /[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]/;
/** Both ways of choosing a language: the locale environment, and --lang over an English environment. */
const ways = (lang: Exclude<Lang, 'en'>) =>
  [
    ['LANG', { LANG: LOCALES[lang] }, [] as string[]],
    ['--lang', { LANG: 'en_US.UTF-8' }, ['--lang', lang]],
  ] as const;

/** Whitespace-free text, so a description wrapped over several lines is still found whole. */
const squash = (s: string) => s.replace(/\s+/g, '');

// English words of the CLI catalogue (lower-case, 3+ letters) that no translation keeps (so not a technical term such
// as kubectl, bash or pull): three of them in one run of prose is an English sentence left behind
const ascii = (texts: string[]) => new Set(texts.flatMap((v) => v.toLowerCase().match(/[a-z]{3,}/g) ?? []));
// (flag names and backquoted commands inside a translation are not prose: their words do not count as kept)
const KEPT = ascii([...Object.values(CLI_ZH_CN), ...Object.values(CLI_JA)].map((v) => v.replace(/--[\w-]+|`[^`]*`/g, ' ')));
const ENGLISH = new Set([...ascii(Object.values(CLI_EN))].filter((w) => !KEPT.has(w)));
function englishRuns(text: string): string[] {
  const out: string[] = [];
  for (const full of text.split('\n')) {
    // example commands, usage lines and flag names are never translated (an error's "regdoctor scan: " prefix neither)
    const line = full.replace(/^regdoctor( [a-z]+)?: /, '');
    if (/^\s*\$ /.test(line) || /^\s*regdoctor\b/.test(line)) continue;
    const prose = line.replace(/(^|\s)(-\w, )?--[\w-]+( [A-Z][\w.,]*)?/g, ' ');
    for (const m of prose.matchAll(/[A-Za-z']+(?:[\s,]+[A-Za-z']+){2,}/g)) {
      const words = m[0].toLowerCase().split(/[\s,]+/);
      let run = 0;
      for (const w of words) {
        if (w.length < 3) continue; // a, an, be, of, to: neither English proof nor a break in a sentence
        run = ENGLISH.has(w.replace(/'s$/, '')) ? run + 1 : 0;
        if (run >= 3) {
          out.push(line);
          break;
        }
      }
    }
  }
  return out;
}

function expectFits(text: string, width: number) {
  for (const line of text.split('\n'))
    if (!/^ {2}\$ /.test(line)) expect(displayWidth(line), `${width}: ${line}`).toBeLessThanOrEqual(width);
}

it('the English-sentence detector finds the English help and usage errors (so its silence below means something)', async () => {
  for (const name of NAMES) expect(englishRuns((await cli([name, '--help'], {})).stdout).length, name).toBeGreaterThan(1);
  expect(englishRuns((await cli(['scan', '--chunk-size', '0'], {})).stderr)).not.toEqual([]);
});

describe.each(['zh-CN', 'ja'] as const)('%s', (lang) => {
  const en = (f: FlagSpec) => textIn('en', f.about);
  const local = (f: FlagSpec) => textIn(lang, f.about);

  it.each(NAMES)('%s --help: translated (LANG and --lang), same exit code, fits 80 and 100 columns', async (name) => {
    const english = await cli([name, '--help'], {});
    expect(english.code).toBe(EXIT.ok);
    for (const [how, env, flag] of ways(lang)) {
      for (const columns of [80, 100]) {
        const r = await cli([...flag, name, '--help'], env, columns);
        expect([how, r.code, r.stderr]).toEqual([how, EXIT.ok, '']);
        const out = r.stdout;
        expectFits(out, columns);
        // every flag: its own description in this language, not the English one
        for (const f of commandFlags(name)) {
          expect(local(f), `--${f.name}`).not.toBe(en(f));
          expect(squash(out), `${how} --${f.name}`).toContain(squash(local(f)));
          expect(squash(out), `${how} --${f.name} English`).not.toContain(squash(en(f)));
          expect(out).toMatch(new RegExp(`^  ${f.short ? `-${f.short}, ` : '    '}--${f.name}${f.value ? ` ${f.value}` : ''} +\\S`, 'm'));
        }
        const c = COMMANDS[name]!;
        for (const k of [c.about, ...c.examples.map((e) => e.about), ...(c.notes ?? [])]) {
          expect(squash(out), k).toContain(squash(textIn(lang, k)));
          expect(squash(out), `${k} English`).not.toContain(squash(EN[k]));
        }
        // example commands byte-exact, in the same order as in English
        expect(out.match(/^ {2}\$ .+$/gm)).toEqual(english.stdout.match(/^ {2}\$ .+$/gm));
        expect(englishRuns(out)).toEqual([]);
        expect(out).toMatch(CJK);
      }
    }
  });

  it('top help: every command summary and common flag translated, fits the terminal, no English sentence left', async () => {
    for (const [how, env, flag] of ways(lang)) {
      for (const columns of [80, 100]) {
        const r = await cli(flag.length ? [...flag, '--help'] : [], env, columns);
        expect([how, r.code, r.stderr]).toEqual([how, EXIT.ok, '']);
        expectFits(r.stdout, columns);
        for (const n of NAMES) expect(r.stdout).toMatch(new RegExp(`^  ${n} +\\S`, 'm'));
        for (const c of Object.values(COMMANDS)) expect(squash(r.stdout)).toContain(squash(textIn(lang, c.about)));
        for (const f of GLOBAL_FLAGS) expect(squash(r.stdout)).toContain(squash(local(f)));
        expect(englishRuns(r.stdout)).toEqual([]);
        expect(r.stdout).not.toContain('Exit codes');
      }
    }
  });

  it.each([
    ['an unknown command', ['expain', '--no-pull']],
    ['an unknown option with a suggestion', ['diagnose', 'reg.test/a:1', '--jsno']],
    ['a flag without its value', ['scan', '--chunk-size']],
    ['a value out of range', ['scan', '--chunk-size', '0']],
    ['a missing target', ['diagnose']],
    ['a bad --timeout', ['reg.test/a:1', '--timeout', '-5']],
    ['nodes without an image', ['nodes']],
    ['audit with a target', ['audit', 'reg.test']],
    ['completion without a shell', ['completion']],
    ['a bad --go-version', ['demo', '--go-version', '1.19']],
  ])('usage error: %s — translated line and hint, exit 2, flags and names as typed', async (_what, argv) => {
    const english = await cli(argv, {});
    expect(english.code).toBe(EXIT.usage);
    const [enLine, ...enRest] = english.stderr.trimEnd().split('\n');
    for (const [how, env, flag] of ways(lang)) {
      const r = await cli([...flag, ...argv], env);
      expect([how, r.code, r.stdout]).toEqual([how, EXIT.usage, '']);
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines.length).toBe(enRest.length + 1);
      // the same "regdoctor[ cmd]: " prefix, then the message in this language
      const prefix = enLine!.slice(0, enLine!.indexOf(': ') + 2);
      expect(lines[0]!.startsWith(prefix), lines[0]).toBe(true);
      expect(lines[0]).not.toBe(enLine);
      expect(lines[0]).toMatch(CJK);
      // every flag the English line names is named the same way
      for (const f of enLine!.match(/--[a-z][\w-]*/g) ?? []) expect(lines[0]).toContain(f);
      expect(lines.at(-1)).toMatch(CJK);
      expect(lines.at(-1)).toMatch(/'regdoctor( [a-z]+)? --help'/);
      expect(englishRuns(r.stderr)).toEqual([]);
    }
  });
});

describe('the built CLI reads the locale environment', () => {
  it.each([
    ['zh-CN', 'zh_CN.UTF-8'],
    ['ja', 'ja_JP.UTF-8'],
  ] as const)('%s: help and a usage error through the real process (LANG=%s)', async (lang, locale) => {
    const help = await runCli(['fix', '--help'], { env: { LANG: locale, LC_ALL: '', LC_MESSAGES: '' } });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain(textIn(lang, 'cli.help.usage'));
    expect(squash(help.stdout)).toContain(squash(textIn(lang, 'cli.fix.flag.passwordStdin')));
    const bad = await runCli(['scan', '--chunk-size', '0'], { env: { LANG: locale, LC_ALL: '', LC_MESSAGES: '' } });
    expect(bad.code).toBe(2);
    expect(bad.stderr.split('\n')[0]).toBe(
      `regdoctor scan: ${textIn(lang, 'cli.err.numberBetween', { flag: 'chunk-size', min: 1, max: 10_000 })}`,
    );
    // LC_ALL wins over LANG (POSIX order); C means English
    const c = await runCli(['scan', '--chunk-size', '0'], { env: { LANG: locale, LC_ALL: 'C', LC_MESSAGES: '' } });
    expect(c.stderr.split('\n')[0]).toBe('regdoctor scan: --chunk-size must be a number between 1 and 10000');
  });
});

describe('command output in zh-CN and ja', () => {
  it('rollback --list: translated header and notes, columns aligned by display width; data as it is', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'regdoctor-i18n-journals-'));
    try {
      for (const lang of ['zh-CN', 'ja'] as const) {
        const empty = await cli(['--lang', lang, 'rollback', '--list', '--state-dir', stateDir], {});
        expect(empty.stdout).toBe(`${textIn(lang, 'cli.rollback.none', { dir: `${stateDir}/journal` })}\n`);
      }
      mkdirSync(join(stateDir, 'journal'));
      const journal = (id: string, createdAt: string, status: string, files: number, extra: object = {}) =>
        writeFileSync(
          join(stateDir, 'journal', `${id}.json`),
          JSON.stringify({
            id,
            createdAt,
            target: 'reg.example.com:5000/app:1',
            proposal: 'hosts-toml-ca',
            files: Array.from({ length: files }, () => ({ path: '/x' })),
            status,
            ...extra,
          }),
        );
      journal('20261130-140000-ffff', '2026-11-30T14:00:00.000Z', 'rolled-back', 3);
      journal('20261130-160000-cccc', '2026-11-30T16:00:00.000Z', 'applying', 1, { restartPending: true });
      const english = await cli(['rollback', '--list', '--state-dir', stateDir], {});
      for (const lang of ['zh-CN', 'ja'] as const) {
        const r = await cli(['rollback', '--list', '--state-dir', stateDir], { LANG: LOCALES[lang] });
        expect([r.code, r.stderr]).toEqual([english.code, '']);
        const lines = r.stdout.trimEnd().split('\n');
        expect(lines).toHaveLength(3);
        expect(lines[0]).toMatch(CJK);
        expect(lines[0]).not.toContain('CREATED');
        // every column starts at the display column of its header
        const cols = ['created', 'status', 'target', 'fix', 'files'].map((c) =>
          displayWidth(lines[0]!.slice(0, lines[0]!.indexOf(textIn(lang, `cli.rollback.col.${c}` as 'cli.rollback.col.id')))),
        );
        for (const l of lines.slice(1))
          for (const col of cols) {
            const at = [...l].reduce<{ w: number; i: number }>(
              (acc, ch, i) => (acc.w < col ? { w: acc.w + displayWidth(ch), i: i + 1 } : acc),
              { w: 0, i: 0 },
            );
            expect([...l][at.i - 1], `${lang} col ${col}: ${l}`).toBe(' ');
            expect([...l][at.i], `${lang} col ${col}: ${l}`).not.toBe(' ');
          }
        // ids, statuses, targets and proposals are data: byte-exact
        expect(lines[1]).toMatch(/^20261130-140000-ffff +2026-11-30 14:00:00Z +rolled-back +reg\.example\.com:5000\/app:1 +hosts-toml-ca /);
        expect(lines[2]).toContain(textIn(lang, 'cli.rollback.restartPending'));
        expect(lines[2]).toContain(textIn(lang, 'cli.rollback.next'));
        expect(englishRuns(r.stdout)).toEqual([]);
      }
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });

  it('explain: labels translated, cause codes, image and the live-diagnosis command byte-exact, same exit code', async () => {
    const text =
      'Failed to pull image "reg.example.com:5000/team/app:1.4": failed to resolve reference: x509: certificate signed by unknown authority';
    const english = await cli(['explain', text], {});
    expect(english.code).toBe(EXIT.problems);
    const none = await cli(['explain', 'all good'], {});
    for (const lang of ['zh-CN', 'ja'] as const) {
      const r = await cli(['explain', text], { LANG: LOCALES[lang] });
      expect([r.code, r.stderr]).toEqual([english.code, '']);
      expect(r.stdout).toMatch(/^✗ untrusted-ca /);
      expect(r.stdout).toContain(textIn(lang, 'cli.explain.image', { image: 'reg.example.com:5000/team/app:1.4' }));
      expect(r.stdout).toContain(textIn(lang, 'cli.explain.where', { line: 1, runtime: english.stdout.match(/\(line 1, ([^)]+)\)/)![1]! }));
      for (const l of english.stdout.split('\n').filter((x) => x.includes('regdoctor diagnose')))
        expect(r.stdout).toContain(l.slice(l.indexOf('regdoctor diagnose')));
      const empty = await cli(['explain', 'all good'], { LANG: LOCALES[lang] });
      expect([empty.code, empty.stdout]).toEqual([none.code, `${textIn(lang, 'cli.explain.nothing')}\n`]);
    }
  });

  it('scan: counts, headings and the cause title translated; hosts, images, pods and commands as they are', () => {
    const result: ScanResult = {
      schema: 'regdoctor/scan@1',
      scope: { allNamespaces: true },
      podsScanned: 1200,
      eventsScanned: 5400,
      pullEvents: 9,
      failingPods: 3,
      failingContainers: 4,
      groups: [
        {
          host: 'reg.example.com:5000',
          hostRole: 'registry',
          code: 'untrusted-ca',
          title: CAUSES['untrusted-ca'].title,
          pods: 3,
          containers: 4,
          namespaces: ['team', 'web'],
          nodes: ['worker-1', 'worker-2'],
          nodeCount: 2,
          images: ['reg.example.com:5000/team/app:1.4', 'bad image'],
          imageCount: 2,
          examples: ['team/api-1', 'web/web-2'],
          sampleError: 'x509: certificate signed by unknown authority',
          fix: 'trust the CA',
          diagnose: 'regdoctor diagnose reg.example.com:5000/team/app:1.4',
          diagnoseArgv: ['regdoctor', 'diagnose', 'reg.example.com:5000/team/app:1.4'],
        },
      ],
      warnings: [],
      untracked: 2,
      skipped: { pods: 0, events: 0 },
      pages: { pods: 3, events: 11 },
      durationMs: 1500,
    };
    const english = withLang('en', () => renderScan(result, { color: false, columns: 80 }));
    expect(englishRuns(english)).not.toEqual([]);
    for (const lang of ['zh-CN', 'ja'] as const) {
      const out = withLang(lang, () => renderScan(result, { color: false, columns: 80 }));
      expect(out).toContain(textIn(lang, 'cause.untrusted-ca.title'));
      expect(out).not.toContain(CAUSES['untrusted-ca'].title);
      for (const kept of [
        'reg.example.com:5000',
        '[untrusted-ca]',
        'team/api-1, web/web-2',
        'worker-1, worker-2',
        'x509: certificate signed by unknown authority',
      ])
        expect(squash(out)).toContain(squash(kept));
      expect(out).toContain(textIn(lang, 'cli.scan.next', { command: 'regdoctor diagnose reg.example.com:5000/team/app:1.4' }));
      expect(out).toContain(textIn(lang, 'cli.scan.invalidRef', { image: 'bad image' }));
      // the sample error is containerd's text (kept) and the fix text comes from the planner: only our own prose counts
      expect(englishRuns(out.replace(/x509: .*|trust the CA/g, ''))).toEqual([]);
      for (const l of out.split('\n')) expect(displayWidth(l), l).toBeLessThanOrEqual(80);
    }
  });
});

describe('the guided fix in zh-CN and ja (plain text, --yes)', () => {
  const TARGET = parseTarget('reg.test:5000/app:1');
  const finding = (code: Finding['code']): Finding => ({ code, severity: 'error', summary: code, evidence: [], fixes: [], source: 'test' });
  const check: CheckRun = { id: 'runtime-info', title: 'runtime', needs: [], status: 'fail', findings: [], evidence: [], hasFacts: false };
  const result = (findings: Finding[]): DiagnosisResult => {
    const state: RunState = { target: TARGET, startedAt: 0, finishedAt: 1, checks: [check], cancelled: false, facts: {} };
    return { state, findings, report: buildReport(state, findings) };
  };
  const caFix: FixProposal = {
    id: 'hosts-toml-ca',
    title: 'hosts-toml-ca',
    risk: 'safe',
    where: 'node',
    restartRequired: false,
    description: 'hosts-toml-ca',
    manualSteps: [],
    actions: [{ kind: 'write-file', path: '/etc/containerd/certs.d/reg.test:5000/ca.crt', content: 'x\n' }],
  };
  const manualClient: FixProposal = { ...caFix, id: 'hosts-toml-client', title: 'hosts-toml-client', actions: [], manualSteps: [] };

  async function session(lang: Lang, rounds: Finding[][], plans: Partial<Record<Finding['code'], FixProposal[]>>) {
    const root = mkdtempSync(join(tmpdir(), 'regdoctor-i18n-fix-'));
    const io = memoryIO();
    let n = 0;
    const deps: FixDeps = {
      io,
      diagnose: async () => result(rounds[Math.min(n++, rounds.length - 1)]!),
      planFixes: async ({ finding: f }) => plans[f.code] ?? [],
    };
    const before = getLang();
    setLang(lang);
    try {
      const o = { ...parseFixOptions([TARGET.input, '--no-pull', '--root', root, '--state-dir', join(root, 'state')], {}), yes: true };
      return { code: await runFix(o, deps), out: io.out(), err: io.err() };
    } finally {
      setLang(before);
      rmSync(root, { recursive: true, force: true });
    }
  }

  it.each(['zh-CN', 'ja'] as const)(
    '%s: plan, applied, next round, missing input — translated, same exit codes, commands whole',
    async (lang) => {
      const rounds = [[finding('untrusted-ca')], [finding('client-cert-required')]];
      const plans = { 'untrusted-ca': [caFix], 'client-cert-required': [manualClient] };
      const english = await session('en', rounds, plans);
      const r = await session(lang, rounds, plans);
      expect(r.code).toBe(english.code);
      expect(r.out).toContain(textIn(lang, 'fix.plan', { title: 'hosts-toml-ca', risk: textIn(lang, 'risk.node-config') }));
      expect(r.out).toContain(textIn(lang, 'cli.fix.noFixRemains'));
      expect(r.out).toContain(textIn(lang, 'cli.fix.missing.clientCert'));
      // the undo command is the same command in every language
      expect(english.out).toMatch(/regdoctor rollback \S+ --state-dir \S+ --root \S+$/m);
      expect(r.out).toMatch(/regdoctor rollback \S+ --state-dir \S+ --root \S+$/m);
      expect(englishRuns(english.out)).not.toEqual([]);
      expect(englishRuns(r.out)).toEqual([]);
    },
  );

  it.each(['zh-CN', 'ja'] as const)('%s: usage errors of fix are translated', async (lang) => {
    for (const argv of [
      ['fix'],
      ['fix', 'reg.test/a:1', '--username', 'ci'],
      ['fix', 'reg.test/a:1', '--username', 'ci', '--password-stdin', '--password-file', 'pw'],
    ]) {
      const english = await cli(argv, {});
      const r = await cli(argv, { LANG: LOCALES[lang] });
      expect([r.code, english.code]).toEqual([EXIT.usage, EXIT.usage]);
      expect(r.stderr.split('\n')[0]).toMatch(CJK);
      expect(englishRuns(english.stderr), english.stderr).not.toEqual([]);
      expect(englishRuns(r.stderr)).toEqual([]);
    }
  });
});

describe('fix --harden in zh-CN and ja', () => {
  it.each(['zh-CN', 'ja'] as const)(
    '%s: a setup that does not pull today, and a host without an image — translated, commands whole',
    async (lang) => {
      const target = parseTarget('reg.test:5000/team/app:1');
      const notPulling = async (): Promise<DiagnosisResult> => {
        const state: RunState = {
          target,
          startedAt: 0,
          finishedAt: 1,
          checks: [{ id: 'runtime-info', title: 'runtime', needs: [], status: 'fail', findings: [], evidence: [], hasFacts: false }],
          cancelled: false,
          facts: {},
        };
        const findings: Finding[] = [{ code: 'untrusted-ca', severity: 'error', summary: 'x509', evidence: [], fixes: [], source: 'test' }];
        return { state, findings, report: buildReport(state, findings) };
      };
      const options = {
        target,
        run: { ...DEFAULT_RUN_OPTIONS, root: '/' },
        inputs: {},
        yes: true,
        dryRun: false,
        stateDir: '/nonexistent',
      };
      const runIn = async (l: Lang) => {
        const io = memoryIO();
        const before = getLang();
        setLang(l);
        try {
          const code = await runHarden(options, { io, diagnose: notPulling, adapters: () => createRealAdapters({ root: '/', env: {} }) });
          const usage = await runHarden({ ...options, target: parseTarget('reg.test:5000') }, { io: memoryIO() }).catch(
            (e: Error) => e.message,
          );
          return { code, err: io.err(), usage };
        } finally {
          setLang(before);
        }
      };
      const english = await runIn('en');
      const r = await runIn(lang);
      expect(r.code).toBe(english.code);
      expect(r.err).toContain('`regdoctor fix reg.test:5000/team/app:1`');
      expect(r.err).toContain(textIn(lang, 'cli.fix.nothingChanged'));
      expect(r.usage).toBe(textIn(lang, 'cli.harden.err.needsImage', { host: 'reg.test:5000' }));
      expect(r.usage).toContain('regdoctor fix --harden reg.test:5000/<repository>:<tag>');
      expect(englishRuns(english.err)).not.toEqual([]);
      expect(englishRuns(r.err)).toEqual([]);
    },
  );
});
