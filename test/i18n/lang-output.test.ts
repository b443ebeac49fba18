// What the language changes and what it must not: the same diagnosis gives byte-identical JSON in every language
// except `lang`, while text, Markdown, HTML (lang attribute) and JUnit messages are translated; through the built CLI
// the demo diagnoses the same causes under LANG=zh_CN.UTF-8 and ja_JP.UTF-8 as in English.
import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/core/report.js';
import { renderHtml, renderJson, renderJUnit, renderMarkdown } from '../../src/report/export.js';
import { renderText } from '../../src/ui/text.js';
import { fixTitle, summaryText, withLang, type Lang } from '../../src/i18n/index.js';
import { runCli } from '../helpers/cli.js';
import { demoDiagnoses } from '../helpers/frames.js';

const results = demoDiagnoses();

const LANGS: Lang[] = ['en', 'zh-CN', 'ja'];
const withoutLang = (json: string) => {
  const o = JSON.parse(json) as Record<string, unknown>;
  delete o.lang;
  return JSON.stringify(o);
};

describe('one diagnosis, three languages', () => {
  it('--json is the same in every language except lang; every other output is translated', () => {
    for (const [id, r] of results) {
      const built = LANGS.map((lang) => withLang(lang, () => buildReport(r.state, r.report.findings)));
      const json = built.map((rep, i) => withLang(LANGS[i]!, () => renderJson(rep)));
      expect(json.map((j) => (JSON.parse(j) as { lang: string }).lang)).toEqual(LANGS);
      expect(withoutLang(json[1]!), id).toBe(withoutLang(json[0]!));
      expect(withoutLang(json[2]!), id).toBe(withoutLang(json[0]!));
      // the human text is not: each language's text differs from the others
      const text = LANGS.map((lang, i) => withLang(lang, () => renderText(built[i]!, { verbose: true, color: false, columns: 100 })));
      expect(new Set(text).size, id).toBe(3);
    }
  });

  it('text, Markdown, HTML and JUnit speak the language; codes and predicted messages stay byte-exact', () => {
    const r = results.get('expired')!;
    const predicted = r.report.verdict.predictedRuntimeError!;
    expect(predicted).toMatch(/x509: certificate has expired/);
    const cases: [Lang, RegExp[]][] = [
      ['zh-CN', [/结论：expired — 证书已过期/, /项检查，用时/]],
      ['ja', [/判定: expired — 証明書の有効期限が切れています/, /件のチェック、所要/]],
    ];
    for (const [lang, want] of cases) {
      const out = withLang(lang, () => {
        const report = buildReport(r.state, r.report.findings);
        return {
          text: renderText(report, { verbose: false, color: false, columns: 2000 }),
          md: renderMarkdown(report),
          html: renderHtml(report),
          junit: renderJUnit(report),
        };
      });
      for (const re of want) expect(out.text).toMatch(re);
      expect(out.text).toContain(predicted);
      expect(out.md).toContain(lang === 'zh-CN' ? '## 发现的问题' : '## 検出された問題');
      expect(out.md).toContain(predicted.replace(/[\\`*_{}[\]()#+!|<>~&]/g, '\\$&').slice(0, 30));
      expect(out.html).toMatch(new RegExp(`^<!doctype html>\\n<html lang="${lang}">`));
      expect(out.html).toContain(lang === 'zh-CN' ? '证书已过期' : '証明書の有効期限が切れています');
      // JUnit keeps the XML structure (codes, type attributes) and carries the translated summaries
      expect(out.junit).toMatch(/<failure message="expired: [^"]+" type="expired">/);
      expect(out.junit).toContain('<property name="regdoctor.verdict" value="expired"/>');
    }
  });
});

describe('coverage on the demo registries', () => {
  it('every verdict, finding and fix title is a catalogue message, so it reads in zh-CN and ja', () => {
    const CJK = /[\u3040-\u30ff\u4e00-\u9fff]/;
    for (const [id, r] of results) {
      for (const f of r.report.findings.filter((x) => x.severity !== 'info')) {
        expect(f.summaryMessage, `${id}: finding ${f.code} (${f.summary})`).toBeDefined();
        for (const x of f.fixes) expect(x.titleMessage, `${id}: fix ${x.id} (${x.title})`).toBeDefined();
      }
      expect(r.report.verdict.summaryMessage, `${id}: verdict`).toBeDefined();
      for (const lang of ['zh-CN', 'ja'] as const)
        withLang(lang, () => {
          for (const f of r.report.findings.filter((x) => x.severity !== 'info')) {
            expect(summaryText(f), `${lang} ${id} ${f.code}`).toMatch(CJK);
            for (const x of f.fixes) expect(fixTitle(x), `${lang} ${id} ${x.id}`).toMatch(CJK);
          }
        });
    }
  });
});

describe('the built CLI under each locale', () => {
  it('demo --json: every scenario diagnosed correctly, the same cause codes as in English', async () => {
    const runs = await Promise.all(
      ['C.UTF-8', 'zh_CN.UTF-8', 'ja_JP.UTF-8'].map((LANG) =>
        runCli(['demo', '--json'], { env: { LANG, LC_ALL: '', LC_MESSAGES: '' }, timeoutMs: 90_000 }),
      ),
    );
    const codes = runs.map((r) => {
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout) as {
        scenarios: { id: string; correct: boolean; report: { lang: string; verdict: { code: string } } }[];
      };
      expect(out.scenarios.filter((s) => !s.correct)).toEqual([]);
      return { lang: out.scenarios[0]!.report.lang, verdicts: out.scenarios.map((s) => `${s.id}=${s.report.verdict.code}`) };
    });
    expect(codes.map((c) => c.lang)).toEqual(['en', 'zh-CN', 'ja']);
    expect(codes[1]!.verdicts).toEqual(codes[0]!.verdicts);
    expect(codes[2]!.verdicts).toEqual(codes[0]!.verdicts);
  }, 120_000);

  it('demo as text: translated walkthrough, same verdict codes', async () => {
    const [en, zh, ja] = await Promise.all(
      ['C.UTF-8', 'zh_CN.UTF-8', 'ja_JP.UTF-8'].map((LANG) =>
        runCli(['demo'], { env: { LANG, LC_ALL: '', LC_MESSAGES: '', COLUMNS: '100' }, timeoutMs: 90_000 }),
      ),
    );
    const verdictCodes = (out: string) => [...out.matchAll(/^\s+[✓✗] ([a-z-]+) — /gm)].map((m) => m[1]);
    expect(en!.code).toBe(0);
    expect(zh!.code).toBe(0);
    expect(ja!.code).toBe(0);
    expect(verdictCodes(en!.stdout).length).toBeGreaterThanOrEqual(4);
    expect(verdictCodes(zh!.stdout)).toEqual(verdictCodes(en!.stdout));
    expect(verdictCodes(ja!.stdout)).toEqual(verdictCodes(en!.stdout));
    expect(zh!.stdout).toMatch(/[\u4e00-\u9fff]/);
    expect(ja!.stdout).toMatch(/[\u3040-\u30ff]/);
    // --lang wins over the environment
    const forced = await runCli(['demo', '--lang', 'ja'], { env: { LANG: 'zh_CN.UTF-8' }, timeoutMs: 90_000 });
    expect(verdictCodes(forced.stdout)).toEqual(verdictCodes(en!.stdout));
    expect(forced.stdout).toMatch(/[\u3040-\u30ff]/);
  }, 120_000);

  it('an unknown --lang is a usage error (exit 2)', async () => {
    const r = await runCli(['diagnose', 'reg.test/app:1', '--lang', 'klingon']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--lang klingon: use one of en, zh-CN, ja');
  });
});
