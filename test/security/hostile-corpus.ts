// A corpus of hostile text (what a registry, a certificate, a cluster object or a pasted log can carry) and the
// checks every output must pass: no raw control character, no forged line, Markdown structure and HTML markup
// unchanged by the hostile text, JUnit well-formed XML.
import { expect } from 'vitest';
import { Parser as MarkdownParser } from 'commonmark';
import { SaxesParser } from 'saxes';

export const HOSTILE = {
  csi: 'a\u001b[2J\u001b[1;1H\u001b[31mred',
  osc0: '\u001b]0;pwned-title\u0007',
  osc8: '\u001b]8;;https://evil.test/\u001b\\click\u001b]8;;\u001b\\',
  osc52: '\u001b]52;c;cHduZWQ=\u0007',
  bel: 'ding\u0007',
  backspace: 'abc\b\b\bxyz',
  cr: 'progress\r✓ verdict: healthy',
  newline: 'ok\n✓ verdict: healthy\n',
  rlo: 'txt.\u202eexe',
  c1: 'c1\u009b31mcsi',
  html: '<script>alert(1)</script><img src=x onerror=alert(1)>',
  markdown: '\n# Forged heading\n![pixel](https://evil.test/p.png)\n<b>bold</b>\n```\n    code\n- item\n',
  xml: ']]><injected attr="x"/><!-- &amp; &#27;',
  nul: 'nul\u0000byte',
  nonchar: 'bad\ufffe\uffff',
  surrogate: 'lone\ud800x',
  backticks: '`` ` ```',
} as const;

/** Every hostile piece in one string. */
export const ALL = Object.values(HOSTILE).join(' | ');

// C0 (but tab and newline), DEL, C1, bidi controls, line/paragraph separators, non-characters, lone surrogates.
const RAW_CONTROL =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** No character that a terminal (or an XML parser) would interpret; with `sgr`, our own colour codes are allowed. */
export function expectInert(out: string, where: string, sgr = false): void {
  const s = sgr ? out.replace(/\u001b\[[0-9;]*m/g, '') : out;
  const m = RAW_CONTROL.exec(s);
  const at = m?.index ?? 0;
  expect(
    m,
    `${where}: raw U+${m?.[0].charCodeAt(0).toString(16).padStart(4, '0')} near ${JSON.stringify(s.slice(Math.max(0, at - 50), at + 30))}`,
  ).toBeNull();
}

/** No output line was forged by hostile newlines / carriage returns. */
export function expectNoForgedLine(out: string, where: string): void {
  const lines = out.replace(/\u001b\[[0-9;]*m/g, '').split('\n');
  expect(
    lines.filter((l) => /^\W*✓ verdict: healthy/.test(l.trim()) || /^\s*#+ Forged heading/.test(l) || /^\s*- item\s*$/.test(l)),
    where,
  ).toEqual([]);
}

export interface MarkdownShape {
  headings: string[];
  images: number;
  html: number;
  links: number;
  codeBlocks: number;
  lists: number;
}

/** The structure a CommonMark parser sees (a heading's text, and how many images, links, raw HTML nodes...). */
export function markdownShape(md: string): MarkdownShape {
  const doc = new MarkdownParser().parse(md);
  const shape: MarkdownShape = { headings: [], images: 0, html: 0, links: 0, codeBlocks: 0, lists: 0 };
  const walker = doc.walker();
  let ev;
  while ((ev = walker.next())) {
    if (!ev.entering) continue;
    const n = ev.node;
    if (n.type === 'heading') {
      let text = '';
      const w = n.walker();
      let e2;
      while ((e2 = w.next())) if (e2.entering && (e2.node.type === 'text' || e2.node.type === 'code')) text += e2.node.literal ?? '';
      shape.headings.push(`h${n.level}`);
      if (/^\W*Forged heading/.test(text)) shape.headings.push('FORGED');
    } else if (n.type === 'image') shape.images++;
    else if (n.type === 'html_inline' || n.type === 'html_block') shape.html++;
    else if (n.type === 'link') shape.links++;
    else if (n.type === 'code_block') shape.codeBlocks++;
    else if (n.type === 'list') shape.lists++;
  }
  return shape;
}

/** Strict XML 1.0 well-formedness (characters included); returns the first error or undefined. */
export function xmlError(xml: string): string | undefined {
  const p = new SaxesParser({ xmlns: false });
  let err: string | undefined;
  p.on('error', (e) => {
    err ??= e.message;
  });
  p.write(xml).close();
  return err;
}

/** The sequence of HTML tags in a page: hostile text must not add, remove or change any. */
export function htmlTags(html: string): string[] {
  return [...html.matchAll(/<\/?([a-zA-Z][\w-]*)/g)].map((m) => m[0]);
}

/**
 * The same value with every string reduced to harmless characters (letters, digits, space, `.:/-`), so a renderer
 * given it produces exactly its own template structure: comparing shapes shows what the hostile strings added.
 */
export function tame<T>(value: T): T {
  if (typeof value === 'string') return value.replace(/[^\w .:/-]/g, 'x') as T;
  if (Array.isArray(value)) return value.map(tame) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, tame(v)])) as T;
  }
  return value;
}
