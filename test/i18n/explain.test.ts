// Issue 20, area `explain`: every pattern row's reason (src/classify/patterns.ts `why`), every way to tell causes apart
// (`tell`), the failing host's role notes and the unrecognised-wording line read in zh-CN and ja through the real
// classifier (classifyMessage / explainText on real-shaped messages), with no English sentence left — kept: technical
// terms, quoted runtime/Go text, the values filled in. The English stays what `explain --json` stored before. The built
// CLI explains a containerd journal in ja (--lang) and zh-CN (LANG) with the same items and byte-identical JSON, every
// line within the terminal's width.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EN, catalogue, catalogueProblems, messageIn, msg, textIn, withLang, tr, type Lang, type Message } from '../../src/i18n/index.js';
import { classifyMessage } from '../../src/classify/classify.js';
import { explainText } from '../../src/classify/explain.js';
import { PATTERNS } from '../../src/classify/patterns.js';
import { CORPUS } from '../fixtures/messages/corpus.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { displayWidth } from '../../src/text/width.js';

const LANGS = ['zh-CN', 'ja'] as const satisfies readonly Lang[];
const CJK = /[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]/;
const JOURNAL = `${ROOT}test/fixtures/messages/containerd-journal.txt`;

/** Every text value filled into a message (recursively): what the sentence quotes, not what it says. */
function values(m: Message | null | undefined): string[] {
  return Object.values(m?.params ?? {}).flatMap((v) => (typeof v === 'object' ? values(v) : [String(v)]));
}

/** Runs of three or more ASCII words left once the given values, backquoted and double-quoted spans (commands, quoted
 *  runtime text) and identifier-like tokens (paths, hosts, keys: anything with / . : = _ or a digit) are gone. */
function englishRuns(text: string, kept: string[] = []): string[] {
  let rest = text;
  for (const v of [...kept].sort((a, b) => b.length - a.length)) if (v) rest = rest.split(v).join(' ');
  rest = rest
    .replace(/`[^`]*`|"[^"]*"/g, ' ')
    .replace(/\S*[/.:=_\d]\S*/g, ' ')
    .replace(/[（）()、，。：；]/g, ' ');
  return rest.match(/[A-Za-z][A-Za-z'’-]*(?:[ ,]+[A-Za-z][A-Za-z'’-]*){2,}/g) ?? [];
}

/** One real-shaped message per pattern row: the corpus and the real-world records first, then wordings neither holds
 *  (containers/image configuration errors, curl's DNS error, an exec format error). */
const EXTRA = [
  'Error: loading registries configuration "/etc/containers/registries.conf": toml: line 4 (last key "registry.location"): expected a top-level item to end with a newline, comment, or EOF, but got \'x\' instead',
  'Error: short-name "app:1" did not resolve to an alias and no unqualified-search registries are defined in "/etc/containers/registries.conf"',
  'Error: short-name resolution enforced but cannot prompt without a TTY',
  'Error: initializing source docker://reg.example.com/app:1: registry reg.example.com is blocked in /etc/containers/registries.conf or /etc/containers/registries.conf.d',
  'curl: (6) Could not resolve host: reg.example.com',
  'Error: container app of image reg.example.com/app:1 exited: exec /usr/local/bin/app: exec format error',
];
const REAL_WORLD = readFileSync(`${ROOT}test/fixtures/messages/real-world.txt`, 'utf8')
  .split(/^--- .*$/m)
  .slice(1)
  .map((r) => r.trim());
const SAMPLES = [...CORPUS.map((c) => c.text), ...REAL_WORLD, ...EXTRA];

/** A message of `id`'s wording that explain also picks out of a text (some wordings count only beside a pull). */
function sampleFor(id: string): string | undefined {
  return SAMPLES.find((s) => {
    const c = classifyMessage(s);
    return c.rule === id && explainText(s).items.some((i) => i.code === c.code);
  });
}

/** The message in each translation: written in that language, nothing English left; its English is `english`. */
function expectTranslated(m: Message | null | undefined, english: string | null | undefined, what: string): void {
  expect(m, `${what}: a message`).toBeTruthy();
  expect(messageIn('en', m!), `${what}: English as stored`).toBe(english);
  for (const lang of LANGS) {
    const text = messageIn(lang, m!);
    expect(text, `${lang} ${what}`).toMatch(CJK);
    expect(englishRuns(text, values(m)), `${lang} ${what}: ${text}`).toEqual([]);
  }
}

describe('explain catalogue', () => {
  const source = Object.fromEntries(Object.entries(EN).filter(([k]) => k.startsWith('explain.'))) as Record<string, string>;

  it('one reason per pattern row, one way to tell apart per row that has one', () => {
    expect(
      Object.keys(source)
        .filter((k) => k.startsWith('explain.why.'))
        .sort(),
    ).toEqual(PATTERNS.map((r) => `explain.why.${r.id}`).sort());
    expect(PATTERNS.every((r) => r.why === `explain.why.${r.id}` && (r.tell === undefined || r.tell === `explain.tell.${r.id}`))).toBe(
      true,
    );
  });

  for (const lang of LANGS)
    it(`${lang}: every explain key, same placeholders, terms kept, written in ${lang}`, () => {
      const translation = Object.fromEntries(Object.entries(catalogue(lang)).filter(([k]) => k.startsWith('explain.')));
      expect(catalogueProblems(source, translation)).toEqual([]);
      expect(Object.entries(translation).filter(([, v]) => !CJK.test(v!))).toEqual([]);
    });

  it('the English-run check finds the English of every reason (so a reason left in English fails)', () => {
    const missed = PATTERNS.filter((r) => englishRuns(EN[r.why]).length === 0).map((r) => r.id);
    expect(missed).toEqual([]);
  });
});

describe('explanations through the classifier', () => {
  it.each(PATTERNS.map((r) => [r.id, r] as const))('%s: reason and how to tell apart, in zh-CN and ja', (id, row) => {
    const text = sampleFor(id);
    expect(text, `a message that classifies as ${id}`).toBeDefined();
    const c = classifyMessage(text!);
    expect(c.rule).toBe(id);
    expectTranslated(c.explanationMessage, c.explanation, id);
    // the reason itself is in the explanation, in the reader's language
    for (const lang of LANGS) expect(messageIn(lang, c.explanationMessage)).toContain(messageIn(lang, { key: row.why }));
    const items = explainText(text!).items;
    expect(items.map((i) => i.code)).toContain(c.code);
    const item = items.find((i) => i.code === c.code)!;
    expectTranslated(item.explanationMessage, item.explanation, `${id} (explain item)`);
    if (row.tell) {
      expectTranslated(item.tellApartMessage, item.tellApart, `${id} (tell apart)`);
      // the live-diagnosis command is quoted byte-exact in every language
      const command = item.tellApart!.match(/`regdoctor diagnose [^`]*`/)?.[0];
      for (const lang of LANGS) if (command) expect(messageIn(lang, item.tellApartMessage!)).toContain(command);
    } else expect(item.tellApartMessage).toBeNull();
  });

  it("the failing host's role (token service, blob storage, mirror, proxy) is explained in zh-CN and ja", () => {
    const roles = new Map<string, string>();
    for (const s of SAMPLES) {
      const c = classifyMessage(s);
      if (c.code !== 'unknown' && ['token-realm', 'blob-storage', 'mirror', 'proxy'].includes(c.hostRole) && !roles.has(c.hostRole))
        roles.set(c.hostRole, s);
    }
    expect([...roles.keys()].sort()).toEqual(['blob-storage', 'mirror', 'proxy', 'token-realm']);
    for (const [role, s] of roles) {
      const c = classifyMessage(s);
      const note = c.explanationMessage.params!.note as Message;
      expect(note.key, role).toMatch(/^explain\.note\./);
      expectTranslated(c.explanationMessage, c.explanation, role);
      for (const lang of LANGS) expect(messageIn(lang, c.explanationMessage)).toContain(c.host!);
    }
  });

  it('an unrecognised wording says so in zh-CN and ja (the command quoted as it is)', () => {
    const c = classifyMessage('Failed to pull image "reg.example.com/app:1": the flux capacitor refused to engage');
    expect([c.code, c.rule]).toEqual(['unknown', undefined]);
    expectTranslated(c.explanationMessage, c.explanation, 'unrecognised');
    for (const lang of LANGS) expect(messageIn(lang, c.explanationMessage)).toContain('`regdoctor diagnose`');
  });
});

describe('regdoctor explain on a containerd journal (built CLI)', () => {
  const journal = readFileSync(JOURNAL, 'utf8');
  const items = explainText(journal).items;

  it('ja (--lang) and zh-CN (LANG): every explanation translated, same items, exit code and JSON', { timeout: 60_000 }, async () => {
    expect(items.length).toBeGreaterThanOrEqual(12);
    const english = await runCli(['explain', '--file', JOURNAL], { env: { LANG: 'en_US.UTF-8' } });
    const json = await runCli(['explain', '--json', '--file', JOURNAL], { env: { LANG: 'en_US.UTF-8' } });
    expect(english.code).toBe(1);
    const squash = (s: string) => s.replace(/\s+/g, '');
    for (const [lang, how] of [
      ['ja', { args: ['--lang', 'ja'], env: { LANG: 'en_US.UTF-8' } }],
      ['zh-CN', { args: [], env: { LANG: 'zh_CN.UTF-8' } }],
    ] as const) {
      const r = await runCli([...how.args, 'explain', '--file', JOURNAL], { env: how.env });
      expect([r.code, r.stderr]).toEqual([english.code, '']);
      const out = squash(r.stdout);
      for (const it of items) {
        // the explanation and the way to tell apart as the catalogue renders them, not the English
        expect(out, `${lang} ${it.code} line ${it.line}`).toContain(squash(withLang(lang, () => tr(it.explanationMessage))));
        expect(out).not.toContain(squash(it.explanation));
        if (it.tellApartMessage) {
          expect(out).toContain(squash(withLang(lang, () => tr(it.tellApartMessage!))));
          expect(out).not.toContain(squash(it.tellApart!));
        }
        // codes, images and the live-diagnosis command byte-exact; where it was found (an unknown runtime said so)
        expect(r.stdout).toContain(`${it.code === 'unknown' ? '?' : '✗'} ${it.code}`);
        const runtime = it.runtime === 'unknown' ? msg('explain.runtime.unknown') : it.runtime;
        expect(r.stdout).toContain(textIn(lang, 'cli.explain.where', { line: it.line, runtime }));
        if (it.diagnoseCommand) expect(r.stdout).toContain(it.diagnoseCommand);
      }
      // every line fits the 80 columns by display width, but for URLs and the live-diagnosis command (kept whole)
      const whole = (l: string) => l.includes('://') || items.some((i) => i.diagnoseCommand && l.includes(i.diagnoseCommand));
      expect(
        r.stdout.split('\n').filter((l) => displayWidth(l) > 80 && !whole(l)),
        lang,
      ).toEqual([]);
      // nothing English left in the whole output (fix titles and risk labels included)
      const kept = items.flatMap((i) => [i.diagnoseCommand ?? '', i.image ?? '', i.failingUrl ?? '', i.host ?? '', ...i.alternatives]);
      expect(englishRuns(r.stdout.replace(/\n\s*/g, ' '), kept), lang).toEqual([]);
      // JSON is language-independent: byte-identical to the English run
      const j = await runCli([...how.args, 'explain', '--json', '--file', JOURNAL], { env: how.env });
      expect(j.stdout).toBe(json.stdout);
    }
  });
});
