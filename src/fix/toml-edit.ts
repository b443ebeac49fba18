// TOML-aware edits that keep every comment, blank line, ordering and quoting of what they do not change — never a
// blind `sed`. The document is split into table sections by header lines; keys are edited inside their section,
// values spanning several lines (arrays, multi-line strings) are replaced whole. Every result is re-parsed and
// compared structurally with the intended change; a file that does not parse is refused.
import { parse } from 'smol-toml';
import type { TomlEdit } from '../core/types.js';
import { MAX_DOCUMENT_DEPTH, nestedDeeperThan } from '../text/nesting.js';
import { MessageError } from './errors.js';
import { msg } from '../i18n/index.js';
import { compareCodeUnits } from '../text/compare.js';

export class TomlEditError extends MessageError {
  override name = 'TomlEditError';
}

type Table = Record<string, unknown>;

// ------------------------------------------------------------------------------------------------ key paths

/** Splits a dotted key / header path, honouring quotes: plugins."io.containerd.grpc.v1.cri".registry */
export function splitPath(s: string): string[] {
  const out: string[] = [];
  let i = 0;
  const src = s.trim();
  while (i < src.length) {
    while (src[i] === ' ' || src[i] === '\t') i++;
    if (src[i] === '"' || src[i] === "'") {
      const q = src[i]!;
      let j = i + 1;
      let v = '';
      while (j < src.length && src[j] !== q) {
        if (q === '"' && src[j] === '\\') {
          // TOML escapes (\uXXXX, \UXXXXXXXX, \xHH, \e are not JSON's: JSON.parse threw a SyntaxError on them)
          const e = src[j + 1] ?? '';
          const hexLen = e === 'u' ? 4 : e === 'U' ? 8 : e === 'x' ? 2 : 0;
          const hexText = src.slice(j + 2, j + 2 + hexLen);
          const cp = hexLen && /^[0-9a-fA-F]+$/.test(hexText) && hexText.length === hexLen ? parseInt(hexText, 16) : -1;
          const simple: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', e: '\x1b', '"': '"', '\\': '\\' };
          if (hexLen ? cp < 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) : simple[e] === undefined)
            throw new TomlEditError(msg('fix.toml.escape', { key: JSON.stringify(s) }));
          v += hexLen ? String.fromCodePoint(cp) : simple[e];
          j += 2 + hexLen;
          continue;
        }
        v += src[j];
        j++;
      }
      out.push(v);
      i = j + 1;
    } else {
      let j = i;
      while (j < src.length && src[j] !== '.' && src[j] !== ' ' && src[j] !== '\t') j++;
      out.push(src.slice(i, j));
      i = j;
    }
    while (src[i] === ' ' || src[i] === '\t') i++;
    if (src[i] === '.') i++;
  }
  return out;
}

const BARE = /^[A-Za-z0-9_-]+$/;
export function formatKey(k: string): string {
  return BARE.test(k) ? k : JSON.stringify(k);
}
export function formatPath(p: string[]): string {
  return p.map(formatKey).join('.');
}

export function formatValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'boolean' || typeof v === 'number') return String(v);
  if (Array.isArray(v)) return `[${v.map(formatValue).join(', ')}]`;
  if (v && typeof v === 'object')
    return `{ ${Object.entries(v as Table)
      .map(([k, x]) => `${formatKey(k)} = ${formatValue(x)}`)
      .join(', ')} }`;
  throw new TomlEditError(msg('fix.toml.cannotWrite', { type: typeof v }));
}

// ------------------------------------------------------------------------------------------------ scanning

interface Section {
  /** Header path ([] for the root, before any header). */
  path: string[];
  array: boolean;
  /** Line index of the header (-1 for root). */
  header: number;
  /** First line after the header .. last line of the section (exclusive end). */
  start: number;
  end: number;
}

interface KeyLine {
  key: string[];
  /** Line range of `key = value` including continuation lines. */
  start: number;
  end: number;
  indent: string;
}

/** Whether a value that starts on this line continues on the next ones (open bracket / multi-line string). */
function valueEnd(lines: string[], start: number, valueText: string): number {
  let depth = 0;
  let i = start;
  let text = valueText;
  let inStr: string | undefined;
  for (;;) {
    for (let k = 0; k < text.length; k++) {
      const c = text[k]!;
      if (inStr) {
        if (inStr.length === 3 && text.startsWith(inStr, k)) {
          inStr = undefined;
          k += 2;
        } else if (inStr.length === 1 && c === inStr) inStr = undefined;
        else if (c === '\\' && inStr[0] === '"') k++;
        continue;
      }
      if (text.startsWith('"""', k) || text.startsWith("'''", k)) {
        inStr = text.slice(k, k + 3);
        k += 2;
      } else if (c === '"' || c === "'") inStr = c;
      else if (c === '#') break;
      else if (c === '[' || c === '{') depth++;
      else if (c === ']' || c === '}') depth--;
    }
    if (inStr?.length === 1) inStr = undefined; // single-line strings end at the line
    if (depth <= 0 && !inStr) return i + 1;
    i++;
    if (i >= lines.length) return lines.length;
    text = lines[i]!;
  }
}

/** Index after a quoted string starting at i (or -1 when it does not close on this line). */
function skipQuoted(s: string, i: number): number {
  const q = s[i]!;
  for (let j = i + 1; j < s.length; j++) {
    if (q === '"' && s[j] === '\\') {
      j++;
      continue;
    }
    if (s[j] === q) return j + 1;
  }
  return -1;
}

/** `[a."b".c]` / `[[x]]` with an optional comment: [open, path text, close] — a linear scan (no backtracking). */
function headerLine(t: string): [string, string, string] | undefined {
  if (!t.startsWith('[')) return undefined;
  const open = t.startsWith('[[') ? '[[' : '[';
  let i = open.length;
  while (i < t.length && t[i] !== ']') {
    if (t[i] === '"' || t[i] === "'") {
      i = skipQuoted(t, i);
      if (i < 0) return undefined;
    } else i++;
  }
  if (i >= t.length) return undefined;
  const close = open === '[[' ? ']]' : ']';
  if (!t.startsWith(close, i)) return undefined;
  const inner = t.slice(open.length, i).trim();
  const rest = t.slice(i + close.length).trim();
  if (inner === '' || (rest !== '' && !rest.startsWith('#'))) return undefined;
  return [open, inner, close];
}

/** `  key."quoted".k = value`: [indent, key text, value text] — a linear scan (no backtracking). */
function keyLine(line: string): [string, string, string] | undefined {
  let i = 0;
  while (line[i] === ' ' || line[i] === '\t') i++;
  const indent = line.slice(0, i);
  const start = i;
  while (i < line.length && line[i] !== '=') {
    const c = line[i]!;
    if (c === '"' || c === "'") {
      i = skipQuoted(line, i);
      if (i < 0) return undefined;
    } else if (/[A-Za-z0-9_.\s-]/.test(c)) i++;
    else return undefined;
  }
  if (i >= line.length) return undefined;
  const key = line.slice(start, i).trim();
  if (key === '') return undefined;
  return [indent, key, line.slice(i + 1).replace(/^\s+/, '')];
}

function scan(lines: string[]): { sections: Section[]; keys: Map<Section, KeyLine[]> } {
  const sections: Section[] = [{ path: [], array: false, header: -1, start: 0, end: lines.length }];
  const keys = new Map<Section, KeyLine[]>();
  keys.set(sections[0]!, []);
  let cur = sections[0]!;
  for (let i = 0; i < lines.length;) {
    const line = lines[i]!;
    const t = line.trim();
    const h = headerLine(t);
    if (h && !t.startsWith('[=')) {
      cur.end = i;
      cur = { path: splitPath(h[1]), array: h[0] === '[[', header: i, start: i + 1, end: lines.length };
      sections.push(cur);
      keys.set(cur, []);
      i++;
      continue;
    }
    const kv = keyLine(line);
    if (kv && !t.startsWith('#')) {
      const end = valueEnd(lines, i, kv[2]);
      keys.get(cur)!.push({ key: splitPath(kv[1]), start: i, end, indent: kv[0] });
      i = end;
      continue;
    }
    i++;
  }
  return { sections, keys };
}

const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const startsWith = (a: string[], prefix: string[]) => prefix.length <= a.length && prefix.every((x, i) => x === a[i]);

// ------------------------------------------------------------------------------------------------ editing

function getIn(t: unknown, path: string[]): unknown {
  let cur = t;
  for (const p of path) {
    if (!cur || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Table)[p];
  }
  return cur;
}

/** What the parsed document must look like after the edit (for validation). */
export function applyToParsed(doc: Table, edit: TomlEdit): Table {
  const out = structuredClone(doc);
  const ensure = (path: string[]): Table => {
    let cur = out;
    for (const p of path) {
      if (!cur[p] || typeof cur[p] !== 'object') cur[p] = {};
      cur = cur[p] as Table;
    }
    return cur;
  };
  if (edit.removeTables?.length) {
    for (const rel of edit.removeTables) {
      const parent = getIn(out, [...edit.table, ...rel.slice(0, -1)]) as Table | undefined;
      if (parent) delete parent[rel[rel.length - 1]!];
    }
  }
  if (edit.remove?.length) {
    const t = getIn(out, edit.table) as Table | undefined;
    if (t) for (const k of edit.remove) delete t[k];
  }
  if (edit.set && Object.keys(edit.set).length) {
    const t = ensure(edit.table);
    for (const [k, v] of Object.entries(edit.set)) t[k] = v;
  }
  return out;
}

/** Drops empty tables: removing a table's last sub-table also removes the (implicit) table itself in TOML. */
function prune(v: unknown): unknown {
  if (!v || typeof v !== 'object' || Array.isArray(v) || v instanceof Date) return v;
  const out: Table = {};
  for (const [k, x] of Object.entries(v as Table)) {
    const p = prune(x);
    if (p && typeof p === 'object' && !Array.isArray(p) && !(p instanceof Date) && Object.keys(p).length === 0) continue;
    out[k] = p;
  }
  return out;
}

function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x) =>
    x && typeof x === 'object' && !Array.isArray(x) && !(x instanceof Date)
      ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => compareCodeUnits(a, b)))
      : x,
  );
}

/** Turns `append` into `set` against the current document: a string becomes a list, present items are kept once. */
export function resolveAppend(doc: Table, edit: TomlEdit): TomlEdit {
  if (!edit.append || Object.keys(edit.append).length === 0) return edit;
  const set: Table = { ...(edit.set ?? {}) };
  for (const [k, items] of Object.entries(edit.append)) {
    const cur = getIn(doc, [...edit.table, k]);
    const list: unknown[] = cur === undefined ? [] : Array.isArray(cur) ? [...cur] : [cur];
    if (cur !== undefined && !Array.isArray(cur) && typeof cur !== 'string')
      throw new TomlEditError(msg('fix.toml.notList', { key: formatPath([...edit.table, k]) }));
    for (const it of items) if (!list.some((x) => canonical(x) === canonical(it))) list.push(it);
    set[k] = list;
  }
  const { append: _drop, ...rest } = edit;
  return { ...rest, set };
}

/** `  # comment` at the end of a line (a `#` after the last quote, preceded by whitespace), found in linear time
 * (the regex /\s+#[^"']*$/ backtracked quadratically on long runs of spaces). */
function trailingComment(line: string): string {
  const lastQuote = Math.max(line.lastIndexOf('"'), line.lastIndexOf("'"));
  let k = line.indexOf('#', lastQuote + 1);
  while (k !== -1 && (k === 0 || !/\s/.test(line[k - 1]!))) k = line.indexOf('#', k + 1);
  if (k === -1) return '';
  let start = k - 1;
  while (start > 0 && /\s/.test(line[start - 1]!)) start--;
  return line.slice(start);
}

/** Applies a TomlEdit to the text, preserving everything else. Throws TomlEditError. */
export function editToml(text: string, requested: TomlEdit): string {
  let before: Table;
  try {
    before = parse(text) as Table;
  } catch (err) {
    const e = err as { line?: number; column?: number; message: string };
    throw new TomlEditError(
      msg('fix.toml.noParse', {
        at: e.line ? msg('fix.toml.at', { line: e.line, column: e.column ?? 0 }) : '',
        error: e.message.split('\n')[0]!,
      }),
    );
  }
  if (nestedDeeperThan(before)) throw new TomlEditError(msg('fix.toml.tooDeep', { n: MAX_DOCUMENT_DEPTH }));
  const edit = resolveAppend(before, requested);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  let lines = text.split(/\r?\n/);
  const trailing = lines[lines.length - 1] === '';
  if (trailing) lines.pop();

  // 1. remove sub-tables (their headers and bodies, including deeper sub-tables)
  for (const rel of edit.removeTables ?? []) {
    const target = [...edit.table, ...rel];
    const { sections } = scan(lines);
    const doomed = sections.filter((s) => s.header >= 0 && startsWith(s.path, target));
    if (doomed.length === 0 && getIn(before, target) !== undefined) {
      throw new TomlEditError(msg('fix.toml.notOwnTable', { table: formatPath(target) }));
    }
    const drop = new Set<number>();
    for (const s of doomed) {
      // blank lines closing the section separate it from the next one: keep them
      let end = s.end;
      while (end > s.header + 1 && lines[end - 1]!.trim() === '') end--;
      for (let i = s.header; i < end; i++) drop.add(i);
    }
    // keep trailing blank/comment lines that belong to the next section? drop only the section's own lines
    lines = lines.filter((_l, i) => !drop.has(i));
  }

  // 2. remove keys
  for (const k of edit.remove ?? []) {
    const { sections, keys } = scan(lines);
    const sec = sections.find((s) => same(s.path, edit.table) && !s.array);
    const kl = sec ? keys.get(sec)!.find((x) => same(x.key, [k])) : undefined;
    if (!kl) {
      if (getIn(before, [...edit.table, k]) !== undefined)
        throw new TomlEditError(msg('fix.toml.notPlainKey', { key: formatPath([...edit.table, k]), table: formatPath(edit.table) }));
      continue;
    }
    lines.splice(kl.start, kl.end - kl.start);
  }

  // 3. set keys
  for (const [k, v] of Object.entries(edit.set ?? {})) {
    const { sections, keys } = scan(lines);
    const sec = sections.find((s) => same(s.path, edit.table) && !s.array);
    if (!sec) {
      // a table written inline in its parent ({ ... }) cannot get a header of its own
      const owner = sections.find((s) => same(s.path, edit.table.slice(0, -1)) && !s.array);
      if (owner && keys.get(owner)!.some((x) => same(x.key, [edit.table[edit.table.length - 1]!]))) {
        throw new TomlEditError(msg('fix.toml.inline', { table: formatPath(edit.table), parent: formatPath(edit.table.slice(0, -1)) }));
      }
      // insert a new header after the last section inside the parent table (or at the end)
      const parent = edit.table.slice(0, -1);
      const related = sections.filter((s) => s.header >= 0 && parent.length > 0 && startsWith(s.path, parent));
      const at = related.length ? related[related.length - 1]!.end : lines.length;
      const indentOf = related.length ? (lines[related[0]!.header]!.match(/^(\s*)/)![1] ?? '') : '';
      const block = [`${indentOf}[${formatPath(edit.table)}]`, `${indentOf}  ${formatKey(k)} = ${formatValue(v)}`];
      const needsBlankBefore = at > 0 && lines[at - 1]!.trim() !== '';
      lines.splice(at, 0, ...(needsBlankBefore ? ['', ...block] : block));
      continue;
    }
    const kl = keys.get(sec)!.find((x) => same(x.key, [k]));
    if (kl) {
      const comment = trailingComment(lines[kl.end - 1]!);
      lines.splice(kl.start, kl.end - kl.start, `${kl.indent}${formatKey(k)} = ${formatValue(v)}${kl.end - kl.start === 1 ? comment : ''}`);
    } else {
      const own = keys.get(sec)!;
      const lastKey = own[own.length - 1];
      const headerIndent = sec.header >= 0 ? (lines[sec.header]!.match(/^(\s*)/)![1] ?? '') : '';
      const indent = lastKey ? lastKey.indent : sec.header >= 0 ? `${headerIndent}  ` : '';
      const at = lastKey ? lastKey.end : sec.header + 1;
      lines.splice(at, 0, `${indent}${formatKey(k)} = ${formatValue(v)}`);
    }
  }

  const result = lines.join(eol) + (trailing ? eol : '');
  let after: Table;
  try {
    after = parse(result) as Table;
  } catch (err) {
    throw new TomlEditError(msg('fix.toml.wouldNotParse', { error: (err as Error).message.split('\n')[0]! }));
  }
  if (canonical(prune(after)) !== canonical(prune(applyToParsed(before, edit)))) {
    throw new TomlEditError(msg('fix.toml.tooMuch'));
  }
  return result;
}
