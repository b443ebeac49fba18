// The unified diff shown for every file change before it is made (on screen, in --dry-run, in CI logs). It is
// computed on the real bytes, so a change of a secret still shows as a change, but it never prints a secret:
//   - a PEM private key block (or a whole *.key file) is one line `[private key, N bytes, sha256 0123…]`;
//   - the value of a secret key (`password = "…"`, `auth`, `identitytoken`, `Authorization = ["Basic …"]`,
//     JSON `"auth": "…"`, multi-line TOML strings included) is `[REDACTED]`;
//   - credentials in URLs and bearer tokens are redacted by the shared text rules;
//   - every other control character in a line becomes a visible escape (`\x1b`); tabs stay.
// Hunk headers count the file's real lines; `\ No newline at end of file` marks a last line without a newline.
import { createHash } from 'node:crypto';
import { diffArrays } from 'diff';
import { redactText, REDACTED } from '../core/redact.js';
import { sanitizeTabbedLine } from '../core/sanitize.js';

/** One comparable piece of a file: a line, or a whole secret block shown as one line. */
interface Unit {
  /** Exact text (for comparison), including whether it ends with a newline. */
  key: string;
  /** How the unit is shown (already redacted, not yet sanitised). */
  shown: string;
  /** Number of real file lines. */
  lines: number;
  /** The unit is the file's last line and has no newline after it. */
  noEol: boolean;
}

const SECRET_KEYS =
  'password|passwd|auth|identitytoken|identity_token|registrytoken|registry_token|token|access_token|refresh_token|id_token|bearer_token|private_token|client_secret|secret|secret_key|api_key|apikey|private_key|authorization|proxy-authorization|x-registry-auth';
// key (bare or quoted, possibly dotted: `auth.password`) then `=` or `:` then a value
const SECRET_ASSIGN = new RegExp(
  `(^|[\\s{,;.])(["']?)(${SECRET_KEYS})\\2(\\s*[=:]\\s*)("(?:\\\\.|[^"\\\\])*"?|'[^']*'?|\\[[^\\]]*\\]?|(?![{\\s])[^,}\\]\\r\\n]*[^\\s,}\\]])`,
  'gi',
);
// the same key opening a TOML multi-line string that closes on a later line
const SECRET_MULTILINE_OPEN = new RegExp(`^(\\s*(["']?)(?:${SECRET_KEYS})\\2\\s*=\\s*)("""|''')`, 'i');
const SECRET_ARRAY_OPEN = new RegExp(`^(\\s*(["']?)(?:${SECRET_KEYS})\\2\\s*=\\s*)\\[`, 'i');
const ANY_ARRAY_OPEN = /^(\s*(?:"(?:\\.|[^"\\])*"|'[^']*'|[^=\s#]+)\s*=\s*)\[/;
const PEM_PRIVATE_BEGIN = /-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY)-----/;
const PEM_PRIVATE_END = /-----END ((?:[A-Z0-9]+ )*PRIVATE KEY)-----/;

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function blockSummary(what: string, text: string): string {
  return `[${what}, ${Buffer.byteLength(text)} bytes, sha256 ${digest(text).slice(0, 16)}…]`;
}

function redactValue(value: string): string {
  if (value.startsWith('[')) return `["${REDACTED}"]`;
  if (value.startsWith('"') || value.startsWith("'")) return `${value[0]}${REDACTED}${value[0]}`;
  return REDACTED;
}

/** One line of a config file with every secret value replaced (structure kept: key, separator, quoting). */
export function redactConfigLine(line: string): string {
  const assigned = line.replace(SECRET_ASSIGN, (_m, pre: string, q: string, key: string, sep: string, value: string) => `${pre}${q}${key}${q}${sep}${redactValue(value)}`);
  return redactText(assigned);
}

// hosts.toml request headers (`[header]`, `[host."…".header]`, `header = { … }`): registries authenticate with
// custom headers too, so every header value is treated as a secret, whatever the header is called.
const HEADER_TABLE = /^\s*\[\s*(?:host\s*\.\s*(?:"(?:\\.|[^"\\])*"|'[^']*'|[^\].]+)\s*\.\s*)?header\s*\]\s*(?:#.*)?$/;
const TABLE_HEADER = /^\s*\[/;
const ASSIGNMENT = /^(\s*(?:"(?:\\.|[^"\\])*"|'[^']*'|[^=\s]+)\s*=\s*)(\S.*)$/;
const INLINE_HEADER = /(^|[\s{,.])(header\s*=\s*\{)([^}]*)(\}?)/;

function redactHeaderValues(inline: string): string {
  return inline.replace(/((?:"(?:\\.|[^"\\])*"|'[^']*'|[\w.-]+)\s*=\s*)("(?:\\.|[^"\\])*"?|'[^']*'?|\[[^\]]*\]?|[^,}]+)/g, (_m, k: string, v: string) => `${k}${redactValue(v.trim())}`);
}

function splitLines(text: string): { line: string; eol: boolean }[] {
  if (text === '') return [];
  const parts = text.split('\n');
  const out = parts.map((line, i) => ({ line, eol: i < parts.length - 1 }));
  if (out[out.length - 1]!.line === '' && !out[out.length - 1]!.eol) out.pop();
  return out;
}

/** Cuts a file into units; secret blocks (private keys, multi-line secret strings) become single units. */
function units(text: string, name: string): Unit[] {
  const lines = splitLines(text);
  const raw = (from: number, to: number) => lines.slice(from, to).map((l) => `${l.line}${l.eol ? '\n' : ''}`).join('');
  const binary = /[\u0000\ufffd]/.test(text);
  const keyFile = /(^|\/)[^/]*\.key$/.test(name);
  if (lines.length && (binary || (keyFile && !PEM_PRIVATE_BEGIN.test(text)))) {
    // a key file or binary data: nothing of it is shown
    return [{ key: text, shown: blockSummary(keyFile ? 'key file' : 'binary content', text), lines: lines.length, noEol: !lines[lines.length - 1]!.eol }];
  }
  const out: Unit[] = [];
  let inHeaderTable = false;
  let i = 0;
  while (i < lines.length) {
    const l = lines[i]!.line;
    if (TABLE_HEADER.test(l) && !/^\s*\[\s*"/.test(l)) inHeaderTable = HEADER_TABLE.test(l);
    let end = i + 1;
    let shown: string | undefined;
    const begin = l.match(PEM_PRIVATE_BEGIN);
    const multi = begin ? undefined : l.match(SECRET_MULTILINE_OPEN);
    if (begin) {
      // to the END line (or, when there is none, to the end of the file: a truncated key is still a key)
      const beginAt = l.indexOf(begin[0]);
      const tail = l.slice(beginAt + begin[0].length);
      let j = i;
      if (!PEM_PRIVATE_END.test(tail)) {
        j = i + 1;
        while (j < lines.length && !PEM_PRIVATE_END.test(lines[j]!.line)) j++;
      }
      end = Math.min(lines.length, j + 1);
      const endLine = end - 1 === i ? tail : lines[end - 1]!.line;
      const endMatch = endLine.match(PEM_PRIVATE_END);
      const after = endMatch ? endLine.slice(endMatch.index! + endMatch[0].length) : '';
      shown = `${redactConfigLine(l.slice(0, beginAt))}${blockSummary('private key', raw(i, end))}${redactConfigLine(after)}`;
    } else if (multi && !l.slice(multi[0].length).includes(multi[3]!)) {
      const delim = multi[3]!;
      let j = i + 1;
      while (j < lines.length && !lines[j]!.line.includes(delim)) j++;
      end = Math.min(lines.length, j + 1);
      const last = lines[end - 1]!.line;
      const rest = last.includes(delim) ? last.slice(last.indexOf(delim) + delim.length) : '';
      shown = `${multi[1]}${delim}${REDACTED}${delim}${redactConfigLine(rest)}`;
    } else {
      // a secret (or any header) value given as an array over several lines: the whole array is one unit
      const arr = l.match(SECRET_ARRAY_OPEN) ?? (inHeaderTable ? l.match(ANY_ARRAY_OPEN) : null);
      if (arr && !l.slice(arr[0].length).includes(']')) {
        let j = i + 1;
        while (j < lines.length && !lines[j]!.line.includes(']')) j++;
        end = Math.min(lines.length, j + 1);
        const lastLine = lines[end - 1]!.line;
        const rest = lastLine.includes(']') ? lastLine.slice(lastLine.indexOf(']') + 1) : '';
        shown = `${arr[1]}["${REDACTED}"]${redactConfigLine(rest)}`;
      }
    }
    const last = lines[end - 1]!;
    if (shown === undefined && inHeaderTable && end === i + 1) {
      const a = l.match(ASSIGNMENT);
      if (a && !a[1]!.trimStart().startsWith('#')) shown = `${a[1]}${redactValue(a[2]!.trim())}`;
      // anything else in a header table that is not blank, a comment or a table: a stray value
      else if (!a && l.trim() && !/^\s*#/.test(l) && !TABLE_HEADER.test(l)) shown = `${l.match(/^\s*/)![0]}${REDACTED}`;
    }
    if (shown === undefined && INLINE_HEADER.test(l)) shown = redactConfigLine(l.replace(INLINE_HEADER, (_m, pre: string, open: string, body: string, close: string) => `${pre}${open}${redactHeaderValues(body)}${close}`));
    out.push({ key: raw(i, end) + (last.eol ? '' : '\u0000noeol'), shown: shown ?? redactConfigLine(l), lines: end - i, noEol: !last.eol });
    i = end;
  }
  return out;
}

type Op = { t: ' ' | '-' | '+'; u: Unit; a: number; b: number };

/** Unified diff of two file contents (empty string when they are equal), safe to print anywhere. */
export function unifiedDiff(oldText: string, newText: string, oldName: string, newName = oldName, context = 3): string {
  const header = [`--- ${sanitizeTabbedLine(redactText(oldName))}`, `+++ ${sanitizeTabbedLine(redactText(newName))}`];
  if (oldText === newText) return '';
  const a = units(oldText, oldName);
  const b = units(newText, newName);
  const tooLarge = () => `${header.join('\n')}\n(file too large to diff: ${a.reduce((n, u) => n + u.lines, 0)} → ${b.reduce((n, u) => n + u.lines, 0)} lines)\n`;
  if (a.length > 20_000 || b.length > 20_000) return tooLarge();
  const changes = diffArrays(
    a.map((u) => u.key),
    b.map((u) => u.key),
    { maxEditLength: 10_000, timeout: 5_000 },
  );
  if (!changes) return tooLarge();
  // every unit with the real line number it starts at (1-based) on each side
  const ops: Op[] = [];
  let ai = 0;
  let bi = 0;
  let aLine = 1;
  let bLine = 1;
  for (const c of changes) {
    for (let k = 0; k < (c.count ?? c.value.length); k++) {
      if (c.added) {
        const u = b[bi++]!;
        ops.push({ t: '+', u, a: aLine, b: bLine });
        bLine += u.lines;
      } else if (c.removed) {
        const u = a[ai++]!;
        ops.push({ t: '-', u, a: aLine, b: bLine });
        aLine += u.lines;
      } else {
        const u = b[bi++]!;
        ai++;
        ops.push({ t: ' ', u, a: aLine, b: bLine });
        aLine += u.lines;
        bLine += u.lines;
      }
    }
  }
  if (!ops.some((o) => o.t !== ' ')) return '';
  const out = [...header];
  let k = 0;
  while (k < ops.length) {
    if (ops[k]!.t === ' ') {
      k++;
      continue;
    }
    const start = Math.max(0, k - context);
    let end = k;
    // extend the hunk while the next change is within 2*context unchanged units
    for (;;) {
      let next = end;
      while (next < ops.length && ops[next]!.t !== ' ') next++;
      let gap = next;
      while (gap < ops.length && ops[gap]!.t === ' ') gap++;
      if (gap < ops.length && gap - next <= context * 2) end = gap;
      else {
        end = Math.min(ops.length, next + context);
        break;
      }
    }
    const hunk = ops.slice(start, end);
    const oldSide = hunk.filter((o) => o.t !== '+');
    const newSide = hunk.filter((o) => o.t !== '-');
    const aLen = oldSide.reduce((n, o) => n + o.u.lines, 0);
    const bLen = newSide.reduce((n, o) => n + o.u.lines, 0);
    // GNU diff convention: an empty side is numbered by the line before it
    const aFrom = aLen ? oldSide[0]!.a : hunk[0]!.a - 1;
    const bFrom = bLen ? newSide[0]!.b : hunk[0]!.b - 1;
    out.push(`@@ -${aFrom},${aLen} +${bFrom},${bLen} @@`);
    for (const o of hunk) {
      out.push(`${o.t}${sanitizeTabbedLine(o.u.shown)}`);
      if (o.u.noEol) out.push('\\ No newline at end of file');
    }
    k = end;
  }
  return `${out.join('\n')}\n`;
}
