// Untrusted text (certificate names, server headers, event messages, pasted input, cluster object names) never reaches
// a terminal or a report raw: C0/C1 control characters, DEL and bidirectional overrides become visible escapes.

// C0 controls (tab kept only where allowed), DEL, C1 controls, and Unicode bidi/format characters that reorder text.
// Also U+FFFE/U+FFFF and lone surrogates: not characters at all (invalid in XML, mangled by UTF-8 encoders).
// And the invisible ones that hide inside a name without a trace — zero-width space U+200B, word joiner and invisible
// operators U+2060–U+2064, the byte order mark U+FEFF, tag characters U+E0000–U+E007F: a certs.d directory or a
// hosts.toml host spelled with one never matches what containerd looks for, and the reader must be able to see why.
// (Zero-width joiners U+200C/U+200D stay: emoji and Indic scripts need them.)
const UNSAFE_LINE =
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\u200b\u2060-\u2064\ufeff\ufffe\uffff\ud800-\udfff\u{e0000}-\u{e007f}]/gu;
const UNSAFE_MULTILINE =
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\u200b\u2060-\u2064\ufeff\ufffe\uffff\ud800-\udfff\u{e0000}-\u{e007f}]/gu;
// Diff and file-content lines: a tab is layout, not a control sequence.
const UNSAFE_TABBED =
  /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\u200b\u2060-\u2064\ufeff\ufffe\uffff\ud800-\udfff\u{e0000}-\u{e007f}]/gu;

function escapeChar(ch: string): string {
  const c = ch.codePointAt(0)!;
  if (c > 0xffff) return `\\u{${c.toString(16)}}`;
  if (c === 0x1b) return '\\x1b';
  if (c === 0x0a) return '\\n';
  if (c === 0x0d) return '\\r';
  if (c === 0x09) return '\\t';
  if (c < 0x100) return `\\x${c.toString(16).padStart(2, '0')}`;
  return `\\u${c.toString(16).padStart(4, '0')}`;
}

/** One line of untrusted text: every control character (newlines included) shown as a visible escape. */
export function sanitizeLine(text: string): string {
  return text.replace(UNSAFE_LINE, escapeChar);
}

/** Untrusted multi-line text (pasted logs, PEM, diffs): newlines kept, every other control character escaped. */
export function sanitizeText(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(UNSAFE_MULTILINE, escapeChar);
}

/** One line of a file shown to a person (diff lines, config excerpts): like sanitizeLine, but tabs stay. */
export function sanitizeTabbedLine(text: string): string {
  return text.replace(UNSAFE_TABBED, escapeChar);
}

/** True when the text holds nothing a terminal would interpret. */
export function isInert(text: string, multiline = false): boolean {
  const re = new RegExp((multiline ? UNSAFE_MULTILINE : UNSAFE_LINE).source, 'u');
  return !re.test(text.replace(/\r\n/g, '\n'));
}

// Only arrays and plain objects are copied; anything else (Buffer, Date, Map, class instances) is kept as it is.
function isPlain(value: object): boolean {
  if (Array.isArray(value)) return true;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Objects and arrays nested deeper than this (no report or fact is) are cut, and the cut says so — here and in
 *  redact: each level is one recursion, and a hostile document 100k levels deep overflowed the stack (RangeError). */
export const MAX_OUTPUT_DEPTH = 256;
export const TOO_DEEP = `[nested more than ${MAX_OUTPUT_DEPTH} levels deep: not shown]`;

/** Deep copy of plain objects and arrays with every string mapped by `fn` and every key sanitised as one line. */
function mapStrings<T>(value: T, fn: (s: string) => string, seen: WeakMap<object, unknown>, depth = 0): T {
  if (typeof value === 'string') return fn(value) as T;
  if (value === null || typeof value !== 'object') return value;
  if (!isPlain(value)) return value;
  if (seen.has(value as object)) return seen.get(value as object) as T;
  if (depth >= MAX_OUTPUT_DEPTH) return TOO_DEEP as T;
  if (Array.isArray(value)) {
    const arr: unknown[] = [];
    seen.set(value, arr);
    for (const v of value) arr.push(mapStrings(v, fn, seen, depth + 1));
    return arr as T;
  }
  const out: Record<string, unknown> = {};
  seen.set(value as object, out);
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[sanitizeLine(k)] = mapStrings(v, fn, seen, depth + 1);
  return out as T;
}

/** Deep copy with every string sanitised (single-line rules for short strings, multi-line rules for text blocks). */
export function sanitizeDeep<T>(value: T, seen = new WeakMap<object, unknown>()): T {
  return mapStrings(value, sanitizeText, seen);
}

/** Deep copy with every string (and key) sanitised as one line: for data whose strings are all single-line fields. */
export function sanitizeDeepLine<T>(value: T, seen = new WeakMap<object, unknown>()): T {
  return mapStrings(value, sanitizeLine, seen);
}
