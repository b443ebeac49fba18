// The CLI's own text in zh-CN and ja (issue 20): `--help` of every command and the usage errors, chosen by LANG or
// --lang, leave no English sentence of the help table behind (every flag description, summary and example note is the
// translation, not the English), keep the exit codes, flags and example commands byte-exact, and fit the terminal by
// display width (CJK = two columns). The built CLI is run once per language with a real LANG environment.
import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { EXIT, type CliIO } from '../../src/app/io.js';
import { main } from '../../src/cli/main.js';
import { commandFlags, COMMANDS, GLOBAL_FLAGS, type FlagSpec } from '../../src/cli/help.js';
import { EN, getLang, setLang, textIn, type Lang } from '../../src/i18n/index.js';
import { CLI_EN } from '../../src/i18n/cli.en.js';
import { CLI_ZH_CN } from '../../src/i18n/cli.zh-CN.js';
import { CLI_JA } from '../../src/i18n/cli.ja.js';
import { displayWidth } from '../../src/text/width.js';
import { runCli } from '../helpers/cli.js';

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
const KEPT = ascii([...Object.values(CLI_ZH_CN), ...Object.values(CLI_JA)]);
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
