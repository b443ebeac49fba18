// Issue 20, area `probe`: credential-policy reasons, probe summaries and findings, certificate fault details and
// reference-parse explanations read in zh-CN and ja through the real code paths, with no English sentence left
// (kept: technical terms, quoted runtime/Go text, the values filled in).
import { describe, expect, it } from 'vitest';
import { EN, catalogue, catalogueProblems, messageIn, withLang, type Lang, type Message } from '../../src/i18n/index.js';
import { InvalidReferenceError, parseRegistry, parseTarget } from '../../src/core/reference.js';

const LANGS = ['zh-CN', 'ja'] as const satisfies readonly Lang[];
const CJK = /[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]/;

/** Every text value filled into a message (recursively): what the sentence quotes, not what it says. */
function values(m: Message): string[] {
  return Object.values(m.params ?? {}).flatMap((v) => (typeof v === 'object' ? values(v) : [String(v)]));
}

/** Terms a translation keeps as they are (catalogueProblems' TERMS and a few protocol words). */
const KEPT =
  /hosts\.toml|config\.toml|skip_verify|NO_PROXY|429 Too Many Requests|Certificate|token realm|containerd|regdoctor|Go TLS|TLS|HTTPS?|ECDHE|RSA|DHE|CA|SAN|manifest|linux\/\S+/g;

/** Runs of three or more ASCII words left in `text` once the filled-in values, quoted text and kept terms are gone. */
export function englishLeft(text: string, m: Message): string[] {
  let rest = text;
  for (const v of values(m).sort((a, b) => b.length - a.length)) if (v) rest = rest.split(v).join(' ');
  rest = rest.replace(/"[^"]*"|`[^`]*`/g, ' ').replace(KEPT, ' ');
  return rest.match(/[A-Za-z]+(?:[\s'’-]+[A-Za-z]+){2,}/g) ?? [];
}

/** The message rendered in each language: translated (CJK present, no English run); English = the stored text. */
export function expectTranslated(m: Message | undefined, english?: string): void {
  expect(m, `a message for: ${english}`).toBeDefined();
  if (english !== undefined) expect(messageIn('en', m)).toBe(english);
  for (const lang of LANGS) {
    const text = messageIn(lang, m);
    expect(text, `${lang}: ${m!.key}`).toMatch(CJK);
    expect(englishLeft(text, m!), `${lang}: ${m!.key}: ${text}`).toEqual([]);
  }
}

describe('probe catalogue', () => {
  const source = Object.fromEntries(Object.entries(EN).filter(([k]) => k.startsWith('probe.'))) as Record<string, string>;
  it('has keys', () => expect(Object.keys(source).length).toBeGreaterThan(20));
  for (const lang of LANGS) {
    it(`${lang}: every probe key, same placeholders, terms kept, written in ${lang}`, () => {
      const tr = Object.fromEntries(Object.entries(catalogue(lang)).filter(([k]) => k.startsWith('probe.')));
      expect(catalogueProblems(source, tr)).toEqual([]);
      expect(Object.entries(tr).filter(([, v]) => !CJK.test(v!))).toEqual([]);
    });
  }
  it('the English-run detector finds a sentence left in English', () => {
    const m = { key: 'probe.tcp.unreachable', params: { where: 'reg:5000', why: 'no route' } } as Message;
    expect(englishLeft('从此节点无法到达 reg:5000（no route）。', m)).toEqual([]);
    expect(englishLeft('reg:5000 is unreachable from this node (no route).', m)).not.toEqual([]);
  });
});

describe('reference-parse errors', () => {
  const cases = [
    'Reg.Test:5000/App:1',
    'http://reg/x',
    'reg.test/app:-bad',
    'reg.test/app@sha256:zz',
    'a'.repeat(64),
    'reg test/app',
    'reg.test:99999/app:1',
    '[fe80::zz]:5000/app',
    `reg.test/${'a'.repeat(260)}`,
  ];
  for (const input of cases) {
    it(`${JSON.stringify(input.slice(0, 40))}: Docker's prefix kept, the explanation translated, the English message unchanged`, () => {
      let err: InvalidReferenceError | undefined;
      try {
        parseTarget(input);
      } catch (e) {
        err = e as InvalidReferenceError;
      }
      expect(err).toBeInstanceOf(InvalidReferenceError);
      expect(err!.message).toBe(`invalid reference format: ${messageIn('en', err!.why)} (${JSON.stringify(input)})`);
      expectTranslated(err!.why);
      for (const lang of LANGS) {
        const line = withLang(lang, () => err!.localized());
        expect(line.startsWith('invalid reference format: ')).toBe(true);
        expect(line).toContain(messageIn(lang, err!.why));
      }
    });
  }
  it('registry targets too (parseRegistry)', () => {
    for (const input of ['ftp://reg.test', 'reg.test/x/', 'bad_host!:5000']) {
      try {
        parseRegistry(input);
        expect.unreachable(input);
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidReferenceError);
        expectTranslated((e as InvalidReferenceError).why);
      }
    }
  });
});
