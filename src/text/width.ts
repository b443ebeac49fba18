// Display width of terminal text: East Asian wide and fullwidth characters (CJK, Hangul, fullwidth forms, wide emoji)
// take two columns, combining marks and zero-width characters none, ANSI colour sequences none. Every wrap, pad and
// truncate in the views measures with these, so a translated or CJK string never overflows a line.
// Ranges follow Unicode's EastAsianWidth.txt (W and F) for the blocks a terminal shows; ambiguous (A) counts as one.

const ANSI = /\u001b\[[0-9;?]*[A-Za-z]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;

// [first, last] code points of two-column characters (EastAsianWidth.txt, W and F)
const WIDE: readonly [number, number][] = [
  [0x1100, 0x115f],
  [0x231a, 0x231b],
  [0x2329, 0x232a],
  [0x23e9, 0x23ec],
  [0x23f0, 0x23f0],
  [0x23f3, 0x23f3],
  [0x25fd, 0x25fe],
  [0x2614, 0x2615],
  [0x2648, 0x2653],
  [0x267f, 0x267f],
  [0x2693, 0x2693],
  [0x26a1, 0x26a1],
  [0x26aa, 0x26ab],
  [0x26bd, 0x26be],
  [0x26c4, 0x26c5],
  [0x26ce, 0x26ce],
  [0x26d4, 0x26d4],
  [0x26ea, 0x26ea],
  [0x26f2, 0x26f3],
  [0x26f5, 0x26f5],
  [0x26fa, 0x26fa],
  [0x26fd, 0x26fd],
  [0x2705, 0x2705],
  [0x270a, 0x270b],
  [0x2728, 0x2728],
  [0x274c, 0x274c],
  [0x274e, 0x274e],
  [0x2753, 0x2755],
  [0x2757, 0x2757],
  [0x2795, 0x2797],
  [0x27b0, 0x27b0],
  [0x27bf, 0x27bf],
  [0x2b1b, 0x2b1c],
  [0x2b50, 0x2b50],
  [0x2b55, 0x2b55],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xa960, 0xa97f],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe10, 0xfe19],
  [0xfe30, 0xfe6f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x16fe0, 0x16fe4],
  [0x17000, 0x18cff],
  [0x1b000, 0x1b2ff],
  [0x1f004, 0x1f004],
  [0x1f0cf, 0x1f0cf],
  [0x1f18e, 0x1f18e],
  [0x1f191, 0x1f19a],
  [0x1f200, 0x1f251],
  [0x1f300, 0x1f320],
  [0x1f32d, 0x1f335],
  [0x1f337, 0x1f37c],
  [0x1f37e, 0x1f393],
  [0x1f3a0, 0x1f3ca],
  [0x1f3cf, 0x1f3d3],
  [0x1f3e0, 0x1f3f0],
  [0x1f3f4, 0x1f3f4],
  [0x1f3f8, 0x1f43e],
  [0x1f440, 0x1f440],
  [0x1f442, 0x1f4fc],
  [0x1f4ff, 0x1f53d],
  [0x1f54b, 0x1f54e],
  [0x1f550, 0x1f567],
  [0x1f57a, 0x1f57a],
  [0x1f595, 0x1f596],
  [0x1f5a4, 0x1f5a4],
  [0x1f5fb, 0x1f64f],
  [0x1f680, 0x1f6c5],
  [0x1f6cc, 0x1f6cc],
  [0x1f6d0, 0x1f6d2],
  [0x1f6d5, 0x1f6d7],
  [0x1f6eb, 0x1f6ec],
  [0x1f6f4, 0x1f6fc],
  [0x1f7e0, 0x1f7eb],
  [0x1f90c, 0x1f93a],
  [0x1f93c, 0x1f945],
  [0x1f947, 0x1f9ff],
  [0x1fa70, 0x1faff],
  [0x20000, 0x2fffd],
  [0x30000, 0x3fffd],
];

function inRanges(cp: number, ranges: readonly [number, number][]): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [a, b] = ranges[mid]!;
    if (cp < a) hi = mid - 1;
    else if (cp > b) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Columns one code point takes: 0 (combining, zero-width, control), 1, or 2 (wide/fullwidth). */
export function charWidth(cp: number): 0 | 1 | 2 {
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0;
  if (
    (cp >= 0x300 && cp <= 0x36f) || // combining diacritical marks
    (cp >= 0x200b && cp <= 0x200f) || // zero-width space/joiners, direction marks
    (cp >= 0xfe00 && cp <= 0xfe0f) || // variation selectors
    (cp >= 0x1ab0 && cp <= 0x1aff) ||
    (cp >= 0x1dc0 && cp <= 0x1dff) ||
    (cp >= 0x20d0 && cp <= 0x20ff) ||
    (cp >= 0xfe20 && cp <= 0xfe2f) ||
    cp === 0xad
  )
    return 0;
  return inRanges(cp, WIDE) ? 2 : 1;
}

export function stripAnsiCodes(s: string): string {
  return s.replace(ANSI, '');
}

/** Printable ASCII only: one column per character (the common case, answered without a walk over the code points). */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/** No character at or above U+1100, where the first wide range begins: nothing in it is wide. */
const NO_WIDE = /^[\u0000-\u10ff]*$/;

/** Columns `s` takes on a terminal (ANSI colour sequences ignored). */
export function displayWidth(s: string): number {
  if (PRINTABLE_ASCII.test(s)) return s.length;
  let w = 0;
  for (const ch of stripAnsiCodes(s)) w += charWidth(ch.codePointAt(0)!);
  return w;
}

/** The longest prefix of `s` (plain text) that fits in `width` columns. */
export function sliceToWidth(s: string, width: number): string {
  if (PRINTABLE_ASCII.test(s)) return s.slice(0, Math.max(0, width));
  let w = 0;
  let out = '';
  for (const ch of s) {
    const cw = charWidth(ch.codePointAt(0)!);
    if (w + cw > width) break;
    w += cw;
    out += ch;
  }
  return out;
}

export function padEndWidth(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - displayWidth(s)));
}

export function padStartWidth(s: string, width: number): string {
  return ' '.repeat(Math.max(0, width - displayWidth(s))) + s;
}

/** Truncates plain text to `width` columns, ending in an ellipsis when something was cut. */
export function truncateWidth(s: string, width: number): string {
  if (displayWidth(s) <= width) return s;
  if (width <= 1) return sliceToWidth(s, Math.max(0, width));
  return `${sliceToWidth(s, width - 1)}…`;
}

/**
 * `text` whole when it has at most `max` UTF-16 units; otherwise its head and tail around `marker(omitted)`, where
 * `omitted` counts the characters (code points) left out. The tail keeps about a quarter of the room: the end of an
 * error chain ("…, not registry.example") is where it says what went wrong. Never splits a surrogate pair.
 */
export function elideMiddle(text: string, max: number, marker: (omitted: number) => string): string {
  if (text.length <= max) return text;
  const mark = marker(0);
  const room = Math.max(2, max - mark.length);
  let headEnd = Math.ceil((room * 3) / 4);
  let tailStart = text.length - (room - headEnd);
  if (isLowSurrogate(text.charCodeAt(headEnd))) headEnd--;
  if (isLowSurrogate(text.charCodeAt(tailStart))) tailStart++;
  let omitted = 0;
  for (const _ of text.slice(headEnd, tailStart)) omitted++;
  return `${text.slice(0, headEnd)}${marker(omitted)}${text.slice(tailStart)}`;
}

const isLowSurrogate = (u: number): boolean => u >= 0xdc00 && u <= 0xdfff;

/** Where a token wider than a line may break: after a separator inside it ("/", ".", ":", "-", "=", ",", "@", "?",
 *  "&", ";"), so letters, digits and underscores (a word, an identifier like insecure_skip_verify) stay together. */
const SOFT_BREAK = /[/.:\-=,@?&;]/;

/** The head of a too-wide token for a line of `room` columns: up to its last separator that fits, else hard-cut. */
function breakToken(token: string, room: number): string {
  const fits = sliceToWidth(token, room);
  // a path or URL breaks between its segments when one ends late enough on the line
  const slash = fits.lastIndexOf('/');
  if (slash > 0 && slash + 1 >= fits.length / 2 && slash + 1 < token.length) return fits.slice(0, slash + 1);
  for (let i = fits.length - 1; i > 0; i--) if (SOFT_BREAK.test(fits[i]!)) return fits.slice(0, i + 1);
  return fits || [...token][0]!;
}

/**
 * Word-wraps one paragraph of plain text into lines of at most `width` columns. Lines break at spaces; a single token wider
 * than a whole line breaks after a separator inside it (breakToken), and only a word longer than the line is cut. `first` and `rest` are the prefixes (indents)
 * of the first and following lines; they count against the width.
 */
export function wrapWords(text: string, width: number, first = '', rest = first): string[] {
  const out: string[] = [];
  let prefix = first;
  let line = '';
  let lineW = 0;
  const room = () => Math.max(1, width - displayWidth(prefix));
  const flush = () => {
    out.push(`${prefix}${line}`.trimEnd());
    prefix = rest;
    line = '';
    lineW = 0;
  };
  for (const word of text.split(/ +/)) {
    if (word === '') continue;
    // CJK text has no spaces: it breaks between its characters (cjkPieces), joined without a space on a line
    const pieces = cjkPieces(word);
    for (const [k, piece] of pieces.entries()) {
      const sep = k === 0 ? ' ' : '';
      let w = piece;
      let ww = displayWidth(w);
      if (line && lineW + sep.length + ww <= room()) {
        line += `${sep}${w}`;
        lineW += sep.length + ww;
        continue;
      }
      if (line) flush();
      while (ww > room()) {
        const head = breakToken(w, room());
        line = head;
        flush();
        w = w.slice(head.length);
        ww = displayWidth(w);
      }
      line = w;
      lineW = ww;
    }
  }
  if (line || out.length === 0) flush();
  return out;
}

/** Wide (CJK) characters and the punctuation that may not start a line (kinsoku: 、。，）」 …) or end one (（「 …). */
const CLOSE =
  /^[\u3001\u3002\uff0c\uff0e,.\uff1a:\uff1b;\uff01!\uff1f?\uff09)\u300d\u300f\u3011\u3015\u3009\u300b\u2019\u201d\u30fc\u301c\u2026\u30fb%\uff05]$/u;
const OPEN = /^[\uff08(\u300c\u300e\u3010\u3014\u3008\u300a\u2018\u201c]$/u;

/**
 * A space-free word split where a line may break: before and after each wide (CJK) character, never before closing
 * punctuation nor after opening punctuation; runs of narrow characters (a path, a code, a number) stay whole. A word
 * without wide characters is one piece.
 */
export function cjkPieces(word: string): string[] {
  if (NO_WIDE.test(word)) return [word];
  const chars = [...word];
  if (!chars.some((c) => charWidth(c.codePointAt(0)!) === 2)) return [word];
  const out: string[] = [];
  let cur = '';
  let prevWide = false;
  let prev = '';
  // a short bracketed label ("[ノード設定を変更]", a risk or key hint) stays whole
  let open = -1;
  let shut = -1;
  for (const [i, c] of chars.entries()) {
    if (c === '[' && i > shut) {
      const close = chars.indexOf(']', i);
      if (close > i && displayWidth(chars.slice(i, close + 1).join('')) <= 24) [open, shut] = [i, close];
    }
    const wide = charWidth(c.codePointAt(0)!) === 2;
    const inLabel = i > open && i <= shut;
    const canBreak = cur !== '' && !inLabel && (wide || prevWide) && !CLOSE.test(c) && !OPEN.test(prev);
    if (canBreak) {
      out.push(cur);
      cur = '';
    }
    cur += c;
    prevWide = wide;
    prev = c;
  }
  if (cur) out.push(cur);
  return out;
}

/**
 * Lays out units that must stay whole (key hints like "[q] quit", list items) on as few lines as fit, `sep` between
 * units on a line; a unit wider than the line is word-wrapped on its own.
 */
export function wrapUnits(units: string[], width: number, sep = '  ', indent = ''): string[] {
  const out: string[] = [];
  let line = '';
  const room = Math.max(1, width - displayWidth(indent));
  for (const u of units) {
    if (!line) line = u;
    else if (displayWidth(line) + displayWidth(sep) + displayWidth(u) <= room) line += `${sep}${u}`;
    else {
      out.push(line);
      line = u;
    }
    if (displayWidth(line) > room) {
      out.push(...wrapWords(line, room));
      line = '';
    }
  }
  if (line) out.push(line);
  return out.map((l) => `${indent}${l}`);
}

/**
 * Wraps one preformatted line (a diff line, a command) without touching its spacing: each piece is at most `width`
 * columns, broken at the last space that fits, else after a separator, else hard-cut; continuation pieces start with
 * `rest`.
 */
export function wrapPre(line: string, width: number, first = '', rest = first): string[] {
  const out: string[] = [];
  let prefix = first;
  let left = line;
  for (;;) {
    const room = Math.max(1, width - displayWidth(prefix));
    if (displayWidth(left) <= room) {
      out.push(`${prefix}${left}`);
      return out;
    }
    const fits = sliceToWidth(left, room);
    const sp = fits.lastIndexOf(' ');
    const head = sp > 0 && fits.slice(0, sp).trim() !== '' ? fits.slice(0, sp + 1) : breakToken(left, room);
    out.push(`${prefix}${head}`.trimEnd());
    left = left.slice(head.length);
    prefix = rest;
  }
}
