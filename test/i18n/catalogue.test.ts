// The catalogues: zh-CN and ja translate every key of the English source with the same placeholders and keep
// technical terms byte-exact; a broken translation is caught (the checker itself is tested on one).
import { describe, expect, it } from 'vitest';
import {
  EN,
  LANGS,
  catalogue,
  catalogueProblems,
  causeExplanation,
  causeTitle,
  checkTitle,
  placeholders,
  resolveLang,
  t,
  textIn,
  tn,
  tr,
  withLang,
  type Lang,
} from '../../src/i18n/index.js';
import { CAUSES, CAUSE_CODES } from '../../src/core/causes.js';
import { CHECKS } from '../../checks/index.js';
import { isSecretKey, redact } from '../../src/text/redact.js';

const source = EN as Record<string, string>;
const CJK = /[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]/;

describe('catalogues', () => {
  for (const lang of LANGS.filter((l): l is Exclude<Lang, 'en'> => l !== 'en')) {
    it(`${lang}: every key, same placeholders, technical terms kept`, () => {
      expect(catalogueProblems(source, catalogue(lang) as Record<string, string>)).toEqual([]);
    });
    it(`${lang}: every text is translated (not the English left in place)`, () => {
      // an acronym or a symbol (ID, SHA-256) may stay as in English; words may not
      const untranslated = Object.entries(catalogue(lang)).filter(([k, v]) => !CJK.test(v!) && (v !== source[k] || /[a-z]{3}/.test(v!)));
      expect(untranslated).toEqual([]);
    });
  }

  it('the checker fails on a missing key, a changed placeholder set, a lost term and an unknown key', () => {
    const src = { a: 'run {n}', b: 'edit `hosts.toml` for {host}', c: 'x' };
    expect(catalogueProblems(src, { a: '第 {n} 次', b: '编辑 `hosts.toml`（{host}）', c: '好' })).toEqual([]);
    expect(catalogueProblems(src, { a: '第 {count} 次', b: '编辑 hosts 文件（{host}）', d: '多' })).toEqual([
      "a: placeholders {count} differ from the source's {n}",
      'b: "`hosts.toml`" must stay as it is',
      'b: "hosts.toml" must stay as it is',
      'c: missing',
      'd: not in the source catalogue',
    ]);
    expect(catalogueProblems({ a: '{x} and {y}' }, { a: '{x}' })).toEqual(["a: placeholders {x} differ from the source's {x,y}"]);
  });

  it('English cause texts are the cause registry itself; every cause has a title and explanation in each language', () => {
    for (const code of CAUSE_CODES) {
      expect(withLang('en', () => causeTitle(code))).toBe(CAUSES[code].title);
      expect(withLang('en', () => causeExplanation(code))).toBe(CAUSES[code].explanation);
      for (const lang of ['zh-CN', 'ja'] as const) {
        expect(catalogue(lang)[`cause.${code}.title`], `${lang} ${code}`).toBeTruthy();
        expect(catalogue(lang)[`cause.${code}.explanation`], `${lang} ${code}`).toBeTruthy();
      }
    }
  });

  it('placeholders are filled in every language; plural forms by count', () => {
    expect(placeholders('a {x} b {y} {x}')).toEqual(['x', 'y']);
    expect(textIn('en', 'ui.reportWritten', { file: '/tmp/r.html' })).toBe('report written to /tmp/r.html');
    expect(textIn('zh-CN', 'ui.reportWritten', { file: '/tmp/r.html' })).toBe('报告已写入 /tmp/r.html');
    expect(textIn('ja', 'ui.reportWritten', { file: '/tmp/r.html' })).toBe('レポートを /tmp/r.html に書き出しました');
    expect(withLang('en', () => [tn('tally.warn', 1), tn('tally.warn', 2)])).toEqual(['1 warning', '2 warnings']);
    expect(withLang('ja', () => tn('tally.warn', 2))).toBe('警告 2');
    expect(withLang('zh-CN', () => t('ui.verdict', { code: 'expired' }))).toBe('结论：expired');
    // a stored message: its key and params, rendered in the reader's language; an unknown key keeps the fallback
    expect(withLang('ja', () => tr({ key: 'ui.waiting', params: { n: 3 } }))).toBe('3 件待機中');
    expect(tr({ key: 'no.such.key' as never }, 'as stored')).toBe('as stored');
  });
});

describe('language selection', () => {
  it('--lang first, then LC_ALL, LC_MESSAGES, LANG (POSIX order), else English', () => {
    expect(resolveLang(undefined, {})).toBe('en');
    expect(resolveLang(undefined, { LANG: 'zh_CN.UTF-8' })).toBe('zh-CN');
    expect(resolveLang(undefined, { LANG: 'ja_JP.UTF-8' })).toBe('ja');
    expect(resolveLang(undefined, { LANG: 'ja_JP.eucJP' })).toBe('ja');
    expect(resolveLang(undefined, { LANG: 'ja' })).toBe('ja');
    expect(resolveLang(undefined, { LANG: 'en_US.UTF-8' })).toBe('en');
    expect(resolveLang(undefined, { LANG: 'C.UTF-8' })).toBe('en');
    expect(resolveLang(undefined, { LANG: 'de_DE.UTF-8' })).toBe('en');
    expect(resolveLang(undefined, { LANG: 'ja_JP.UTF-8', LC_MESSAGES: 'zh_CN.UTF-8' })).toBe('zh-CN');
    expect(resolveLang(undefined, { LANG: 'ja_JP.UTF-8', LC_MESSAGES: 'zh_CN.UTF-8', LC_ALL: 'C' })).toBe('en');
    expect(resolveLang(undefined, { LANG: 'zh_CN.UTF-8', LC_ALL: '' })).toBe('zh-CN');
    expect(resolveLang('ja', { LC_ALL: 'zh_CN.UTF-8' })).toBe('ja');
    expect(resolveLang('zh-CN', {})).toBe('zh-CN');
    expect(resolveLang('zh_CN', {})).toBe('zh-CN');
    expect(resolveLang('en', { LANG: 'ja_JP.UTF-8' })).toBe('en');
  });
});

describe('catalogue hygiene', () => {
  it('every English key is used by the code (keys built from a code, status or risk are used by their family)', async () => {
    const { readdirSync, readFileSync, statSync } = await import('node:fs');
    const path = await import('node:path');
    const root = new URL('../..', import.meta.url).pathname;
    const files: string[] = [];
    const walk = (d: string) => {
      for (const n of readdirSync(d)) {
        const p = path.join(d, n);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.tsx?$/.test(n) && !p.includes(`${path.sep}i18n${path.sep}`)) files.push(p);
      }
    };
    walk(path.join(root, 'src'));
    walk(path.join(root, 'checks'));
    const code = files.map((f) => readFileSync(f, 'utf8')).join('\n');
    // families addressed with a template: `cause.${code}.title`, `status.${s}`, `risk.${r}`, `ui.help.${k}`, …
    const family = /^(cause|check\.title|tally|status|risk|ui\.help|demo\.scenario)\./;
    const unused = Object.keys(EN).filter((k) => {
      if (family.test(k) || k.startsWith('cli.')) return false;
      const base = k.replace(/\.(one|other)$/, '');
      return !code.includes(`'${k}'`) && !code.includes(`'${base}'`);
    });
    expect(unused).toEqual([]);
  });
});

describe('check titles', () => {
  it("every check has its title in the catalogue, the English one byte-equal to the check's own", () => {
    for (const c of CHECKS) {
      expect(source[`check.title.${c.id}`], c.id).toBe(c.title);
      for (const lang of LANGS) {
        const title = withLang(lang, () => checkTitle(c.id, c.title));
        if (lang === 'en') expect(title).toBe(c.title);
        else expect(title, `${lang} ${c.id}`).toMatch(CJK);
      }
    }
    expect(withLang('ja', () => checkTitle('a-check-from-a-newer-version', 'Its English title'))).toBe('Its English title');
  });
});

describe('placeholders and redaction', () => {
  it('no placeholder is named like a secret field: redact() would blank its value in every stored message', () => {
    const named = Object.entries(source).flatMap(([k, v]) =>
      placeholders(v)
        .filter(isSecretKey)
        .map((p) => `${k}: {${p}}`),
    );
    expect(named).toEqual([]);
    // what goes wrong otherwise: a message parameter called `secret` loses its (non-secret) value in a redacted report
    expect(redact({ key: 'x', params: { secret: 'default/regcred' } }).params.secret).not.toBe('default/regcred');
  });
});
