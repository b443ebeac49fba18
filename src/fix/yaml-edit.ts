// YAML-aware edits of a block-style YAML file (k3s / RKE2 registries.yaml) that keep every other line — comments,
// blank lines, ordering, quoting — as it was: a mapping path is found (or created at the end of its parent block), and
// scalar keys inside it are set, replaced in place (a trailing comment kept) or removed. The result is re-parsed and
// compared structurally with the intended change; a file that does not parse, or a construct this editor does not
// rewrite (flow mappings, anchors, multi-line scalars on the path), is refused rather than guessed at.
import type { YamlEdit } from '../core/types.js';
import { MessageError } from './errors.js';
import { msg } from '../i18n/index.js';
import { parseYamlSubset, splitYamlKey, stripYamlComment, type Yaml } from '../runtime/k3s.js';

export class YamlEditError extends MessageError {
  override name = 'YamlEditError';
}

interface Row {
  /** Index in the line array. */
  i: number;
  indent: number;
  key?: string;
  value?: string;
  /** The row is a sequence item ("- …"). */
  item: boolean;
}

/** Content rows (not blank, not comment-only) of the document. */
function rows(lines: string[]): Row[] {
  const out: Row[] = [];
  for (const [i, raw] of lines.entries()) {
    const s = stripYamlComment(raw).replace(/(?<!\s)\s+$/, '');
    if (!s.trim() || s.trim() === '---') continue;
    const text = s.trim();
    const kv = splitYamlKey(text);
    out.push({ i, indent: s.length - s.trimStart().length, key: kv?.[0], value: kv?.[1], item: text === '-' || text.startsWith('- ') });
  }
  return out;
}

const PLAIN = /^[A-Za-z0-9_][A-Za-z0-9_.\-/]*$/;
/** A key as written: plain when YAML reads it back unchanged, else double-quoted (JSON strings are YAML strings). */
export function formatYamlKey(k: string): string {
  return PLAIN.test(k) && !/^(true|false|yes|no|on|off|null|~)$/i.test(k) ? k : JSON.stringify(k);
}

function formatYamlValue(v: string | boolean): string {
  return typeof v === 'boolean' ? String(v) : JSON.stringify(v);
}

/** The indent one level deeper than `indent`, in the file's own step (2 when it has no nesting yet). */
function step(rs: Row[]): number {
  for (let n = 1; n < rs.length; n++) {
    const d = rs[n]!.indent - rs[n - 1]!.indent;
    if (d > 0 && !rs[n - 1]!.item) return d;
  }
  return 2;
}

function get(doc: Yaml, path: string[]): Yaml | undefined {
  let cur: Yaml | undefined = doc;
  for (const k of path) {
    if (!cur || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

function withoutPath(doc: Yaml, path: string[], keys: string[]): Yaml {
  const copy = JSON.parse(JSON.stringify(doc)) as Yaml;
  const m = get(copy, path);
  if (m && typeof m === 'object' && !Array.isArray(m)) for (const k of keys) delete m[k];
  return copy;
}

/** Drops mappings left empty (a created path with nothing in it reads back as "" or {}). */
function pruneEmpty(v: Yaml): Yaml {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
  const out: Record<string, Yaml> = {};
  for (const [k, x] of Object.entries(v)) {
    const p = pruneEmpty(x);
    if (p === '' || p === '{}' || (typeof p === 'object' && !Array.isArray(p) && !Object.keys(p).length)) continue;
    out[k] = p;
  }
  return out;
}

const LINE_END = /[\n\r\u2028\u2029]/;

/**
 * The line with every quoted string replaced by `""`: what `line.replace(/"(?:[^"\\]|\\.)*"|'[^']*'/g, '""')` gives, in
 * one pass. That expression restarted at every `"` of an unclosed string full of `\"` and rescanned the rest of the
 * line from each (quadratic: minutes on a 1 MiB line). A `"` inside such a string is the second half of an escape, so
 * the scan from it meets the same end: one failed scan answers for every `"` before the point where it failed.
 */
function blankQuoted(line: string): string {
  let out = '';
  let from = 0;
  let dqFailsBefore = -1;
  let sqNone = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    let close = -1;
    if (c === '"' && i >= dqFailsBefore) {
      let j = i + 1;
      while (j < line.length && line[j] !== '"') {
        if (line[j] === '\\') {
          if (j + 1 >= line.length || LINE_END.test(line[j + 1]!)) break;
          j += 2;
        } else j++;
      }
      if (j < line.length && line[j] === '"') close = j;
      else dqFailsBefore = j + 1;
    } else if (c === "'" && !sqNone) {
      close = line.indexOf("'", i + 1);
      if (close === -1) sqNone = true;
    }
    if (close !== -1) {
      out += `${line.slice(from, i)}""`;
      from = close + 1;
      i = close;
    }
  }
  return out + line.slice(from);
}

/**
 * Applies `edit` to the YAML text: the mapping at `edit.path` is created when missing, `edit.set` keys are set to
 * scalars and `edit.remove` keys removed in it. Throws YamlEditError (nothing changed) when it cannot do so safely.
 */
export function editYaml(text: string, edit: YamlEdit): string {
  const plain = text.split(/\r?\n/).map((l) => blankQuoted(stripYamlComment(l)));
  if (plain.some((l) => /(^|[\s:[,-])[&*!][A-Za-z0-9_!-]/.test(l) || /:\s*[|>][-+0-9]*\s*$/.test(l)))
    throw new YamlEditError(msg('fix.yaml.anchors'));
  let before: Yaml;
  try {
    before = text.trim() ? parseYamlSubset(text) : {};
  } catch (err) {
    throw new YamlEditError(msg('fix.yaml.noParse', { error: (err as Error).message }));
  }
  if (before && (typeof before !== 'object' || Array.isArray(before))) throw new YamlEditError(msg('fix.yaml.notMapping'));
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text === '' ? [] : text.split(/\r?\n/);
  const trailingNewline = lines.length > 0 && lines[lines.length - 1] === '';
  if (trailingNewline) lines.pop();

  let rs = rows(lines);
  const unit = step(rs);
  // the block of the current mapping: rows [from, to) at `indent`, inserting after line `after`
  let from = 0;
  let to = rs.length;
  let indent = rs.length ? Math.min(...rs.map((r) => r.indent)) : 0;
  let after = lines.length - 1;
  const missing: string[] = [];
  for (const [depth, key] of edit.path.entries()) {
    const at = rs.slice(from, to).findIndex((r) => r.indent === indent && r.key === key && !r.item);
    if (at < 0) {
      missing.push(...edit.path.slice(depth));
      break;
    }
    const r = rs[from + at]!;
    if (r.value && r.value !== '{}') throw new YamlEditError(msg('fix.yaml.notBlock', { key: edit.path.slice(0, depth + 1).join('.') }));
    if (r.value === '{}') {
      // an empty flow mapping becomes a block mapping: `key:` (its comment kept)
      const raw = lines[r.i]!;
      const pos = raw.indexOf('{}', raw.indexOf(':'));
      lines[r.i] = `${raw.slice(0, pos).replace(/(?<!\s)\s+$/, '')}${raw.slice(pos + 2)}`;
      rs = rows(lines);
    }
    let end = from + at + 1;
    while (end < to && rs[end]!.indent > r.indent) end++;
    from = from + at + 1;
    to = end;
    after = to > from ? rs[to - 1]!.i : r.i;
    indent = to > from ? rs[from]!.indent : r.indent + unit;
    if (to > from && rs[from]!.item) throw new YamlEditError(msg('fix.yaml.sequence', { key: edit.path.slice(0, depth + 1).join('.') }));
  }

  const inserts: string[] = [];
  const pad = (n: number) => ' '.repeat(n);
  let ind = indent;
  for (const k of missing) {
    inserts.push(`${pad(ind)}${formatYamlKey(k)}:`);
    ind += unit;
  }
  const remove = new Set(edit.remove ?? []);
  const replaced = new Map<number, string | undefined>();
  for (const [k, v] of Object.entries(edit.set ?? {})) {
    const existing = missing.length ? undefined : rs.slice(from, to).find((r) => r.indent === indent && r.key === k && !r.item);
    if (existing) {
      const end = rs.indexOf(existing) + 1;
      if (end < to && rs[end]!.indent > existing.indent)
        throw new YamlEditError(msg('fix.yaml.notScalar', { key: [...edit.path, k].join('.') }));
      const raw = lines[existing.i]!;
      const content = stripYamlComment(raw).replace(/(?<!\s)\s+$/, '');
      const comment = raw.slice(content.length);
      const keyPart = content.slice(0, content.length - (existing.value ?? '').length).replace(/(?<!\s)\s+$/, '');
      replaced.set(existing.i, `${keyPart} ${formatYamlValue(v)}${comment}`);
    } else inserts.push(`${pad(ind)}${formatYamlKey(k)}: ${formatYamlValue(v)}`);
  }
  for (const k of remove) {
    const existing = missing.length ? undefined : rs.slice(from, to).find((r) => r.indent === indent && r.key === k && !r.item);
    if (!existing) continue;
    const at = rs.indexOf(existing);
    let end = at + 1;
    while (end < rs.length && rs[end]!.indent > existing.indent) end++;
    const last = end < rs.length ? rs[end]!.i : lines.length;
    for (let i = existing.i; i < last; i++) if (i === existing.i || rs.some((r) => r.i === i)) replaced.set(i, undefined);
  }

  const out: string[] = [];
  for (const [i, l] of lines.entries()) {
    if (replaced.has(i)) {
      const r = replaced.get(i);
      if (r !== undefined) out.push(r);
    } else out.push(l);
    if (i === after) out.push(...inserts);
  }
  if (after < 0) out.unshift(...inserts);
  const result = `${out.join(eol)}${trailingNewline || !lines.length ? eol : ''}`;

  // re-parse: the path holds exactly what was asked, and nothing else changed
  let doc: Yaml;
  try {
    doc = parseYamlSubset(result);
  } catch (err) {
    throw new YamlEditError(msg('fix.yaml.wouldNotParse', { error: (err as Error).message }));
  }
  const m = get(doc, edit.path);
  for (const [k, v] of Object.entries(edit.set ?? {}))
    if (!m || typeof m !== 'object' || Array.isArray(m) || m[k] !== String(v))
      throw new YamlEditError(msg('fix.yaml.notLeft', { key: [...edit.path, k].join('.'), value: String(v) }));
  for (const k of remove)
    if (m && typeof m === 'object' && !Array.isArray(m) && k in m)
      throw new YamlEditError(msg('fix.yaml.notRemoved', { key: [...edit.path, k].join('.') }));
  const touched = [...Object.keys(edit.set ?? {}), ...remove];
  if (
    JSON.stringify(pruneEmpty(withoutPath(doc, edit.path, touched))) !==
    JSON.stringify(pruneEmpty(withoutPath(before ?? {}, edit.path, touched)))
  )
    throw new YamlEditError(msg('fix.yaml.tooMuch'));
  return result;
}
