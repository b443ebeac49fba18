// Literal pre-filters for the extractor's regular expressions. Every line of a journal goes through the extractor, and
// most lines cannot hold a pull error: instead of running large case-insensitive alternations (which V8 tries
// alternative by alternative at every position) on each of them, one pass of a literal automaton over the line says
// which alternations can match at all; only those are run. Pure.
//
// requiredLiterals() reads a pattern's source and finds, for each of its alternatives, a run of literal characters
// that every match of that alternative contains (so: no match without one of the literals). The automaton looks for
// the literals with ASCII case ignored, which is what the `i` flag does without `u`: a non-ASCII character never folds
// to an ASCII one (ECMAScript Canonicalize), so it matches no literal character and sends the automaton to its root.
// Tested against the patterns themselves: test/classify/explain-prefilter.test.ts.

/** A literal is cut to this many characters (any part of a required literal is required too): fewer states. */
const MAX_LITERAL = 12;

type Item =
  | { kind: 'char'; ch: string; min: number; max: number }
  | { kind: 'str'; s: string }
  | { kind: 'group'; alts: Item[][]; min: number }
  | { kind: 'break' };

/** A run of characters that are literals wherever they stand (taken in one step: the parse runs once per process,
 *  mostly before the code is optimised). */
const LITERAL_RUN = /[^\\[\](){}|*+?.^$]+/y;
const QUANTIFIER = /[*+?]|\{\d+(?:,\d*)?\}/y;

/** A small parser for the regular-expression syntax (without the u or v flag) the pattern tables use: what it does
 *  not understand becomes a `break` (matches something unknown), which only makes the filter less selective. */
function parse(src: string): Item[][] {
  let i = 0;
  const alternation = (): Item[][] => {
    const alts: Item[][] = [[]];
    while (i < src.length && src[i] !== ')') {
      if (src[i] === '|') {
        i++;
        alts.push([]);
        continue;
      }
      const cur = alts[alts.length - 1]!;
      LITERAL_RUN.lastIndex = i;
      const run = LITERAL_RUN.exec(src)?.[0];
      if (run) {
        // a quantifier after the run applies to its last character only: that one is read as an atom below
        QUANTIFIER.lastIndex = i + run.length;
        const lits = QUANTIFIER.test(src) ? run.slice(0, -1) : run;
        if (lits) {
          cur.push({ kind: 'str', s: lits });
          i += lits.length;
          continue;
        }
      }
      const atom = parseAtom();
      const q = quantifier();
      if (atom === null) continue; // zero-width: ^ $ \b \B and lookarounds
      if (atom.kind === 'char') cur.push({ ...atom, min: q.min, max: q.max });
      else if (atom.kind === 'group') cur.push({ ...atom, min: q.min });
      else cur.push(atom);
    }
    return alts;
  };
  const quantifier = (): { min: number; max: number } => {
    let r = { min: 1, max: 1 };
    const c = src[i];
    if (c === '*') r = { min: 0, max: Infinity };
    else if (c === '+') r = { min: 1, max: Infinity };
    else if (c === '?') r = { min: 0, max: 1 };
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(i));
      if (!m) return r;
      i += m[0].length - 1;
      r = { min: Number(m[1]), max: m[2] === undefined ? Number(m[1]) : m[3] ? Number(m[3]) : Infinity };
    } else return r;
    i++;
    if (src[i] === '?') i++; // lazy
    return r;
  };
  const parseAtom = (): Item | { kind: 'char'; ch: string; min: number; max: number } | null => {
    const c = src[i]!;
    if (c === '(') {
      i++;
      let zeroWidth = false;
      if (src[i] === '?') {
        if (src[i + 1] === ':') i += 2;
        else if (src[i + 1] === '=' || src[i + 1] === '!') {
          i += 2;
          zeroWidth = true;
        } else if (src[i + 1] === '<' && (src[i + 2] === '=' || src[i + 2] === '!')) {
          i += 3;
          zeroWidth = true;
        } else if (src[i + 1] === '<') i = src.indexOf('>', i) + 1;
      }
      const alts = alternation();
      i++; // ')'
      return zeroWidth ? null : { kind: 'group', alts, min: 1 };
    }
    if (c === '[') {
      i++;
      if (src[i] === '^') i++;
      if (src[i] === ']') i++; // a ']' first in a class is a member
      while (i < src.length && src[i] !== ']') i += src[i] === '\\' ? 2 : 1;
      i++;
      return { kind: 'break' };
    }
    if (c === '^' || c === '$') {
      i++;
      return null;
    }
    if (c === '.') {
      i++;
      return { kind: 'break' };
    }
    if (c === '\\') {
      const e = src[i + 1] ?? '';
      i += 2;
      if (e === 'b' || e === 'B') return null;
      if (/[dDsSwW]/.test(e)) return { kind: 'break' };
      if (e === 'n') return { kind: 'char', ch: '\n', min: 1, max: 1 };
      if (e === 't') return { kind: 'char', ch: '\t', min: 1, max: 1 };
      if (e === 'r') return { kind: 'char', ch: '\r', min: 1, max: 1 };
      // hex, unicode and control escapes, back references, \0, \f, \v, \k<name>: not read as literals
      if (/[xucfvk0-9]/.test(e)) {
        if (e === 'x') i += 2;
        else if (e === 'u') i += src[i] === '{' ? src.indexOf('}', i) - i + 1 : 4;
        else if (e === 'c') i += 1;
        else if (e === 'k' && src[i] === '<') i = src.indexOf('>', i) + 1;
        return { kind: 'break' };
      }
      return { kind: 'char', ch: e, min: 1, max: 1 };
    }
    i++;
    return { kind: 'char', ch: c, min: 1, max: 1 };
  };
  const alts = alternation();
  if (i !== src.length) throw new Error(`prefilter: unbalanced pattern ${src}`);
  return alts;
}

/** The literals one of which every match of the sequence contains, or null when no such set was found. */
function sequenceLiterals(seq: Item[]): string[] | null {
  const options: string[][] = [];
  let run = '';
  const end = () => {
    if (run) options.push([run]);
    run = '';
  };
  for (const it of seq) {
    if (it.kind === 'str') {
      for (let k = 0; k < it.s.length; k++) {
        if (it.s.charCodeAt(k) >= 128) end();
        else run += it.s[k];
      }
    } else if (it.kind === 'char') {
      // only ASCII characters are literals of the automaton (a non-ASCII one may match other non-ASCII ones)
      if (it.ch.charCodeAt(0) >= 128 || it.min === 0) {
        end();
        continue;
      }
      run += it.ch;
      if (it.max !== 1 || it.min !== 1) end(); // "ab+c": "ab" is there, what follows the repeated b is not next to it
    } else {
      end();
      if (it.kind === 'group' && it.min > 0) {
        const lits = alternationLiterals(it.alts);
        if (lits) options.push(lits);
      }
    }
  }
  end();
  if (!options.length) return null;
  // the most selective option: the one whose shortest literal is longest
  const score = (o: string[]) => Math.min(...o.map((s) => s.length));
  return options.reduce((a, b) => (score(b) > score(a) ? b : a));
}

function alternationLiterals(alts: Item[][]): string[] | null {
  const out: string[] = [];
  for (const a of alts) {
    const l = sequenceLiterals(a);
    if (!l) return null;
    out.push(...l);
  }
  return out;
}

/** Literals (lower case, ASCII, at most MAX_LITERAL characters) one of which every match of `source` contains when
 *  ASCII case is ignored; null when the pattern has an alternative without one (then it must always be run). */
export function requiredLiterals(source: string): string[] | null {
  const lits = alternationLiterals(parse(source));
  return lits ? [...new Set(lits.map((l) => l.slice(0, MAX_LITERAL).toLowerCase()))] : null;
}

/** An Aho–Corasick automaton over lower-case ASCII words, each word carrying bits. The transition table is dense over
 *  character classes — one per character that occurs in a word (upper case folded into lower case), one for all
 *  others — so that it stays small enough for the processor's first-level cache: `next[state * width + cls[c]]`. */
export interface LiteralAutomaton {
  /** Character class of each ASCII code (0: in no word; every code >= 128 is class 0 too). */
  cls: Uint8Array;
  width: number;
  next: Uint16Array;
  /** Per state, the OR of the bits of every word that ends there (or at a suffix of it). */
  bits: Uint8Array;
  /** The OR of all bits: a scan can stop once it has seen them all. */
  all: number;
}

export function literalAutomaton(words: readonly { word: string; bits: number }[]): LiteralAutomaton {
  const cls = new Uint8Array(128);
  let width = 1;
  for (const { word } of words)
    for (let k = 0; k < word.length; k++) {
      const c = word.charCodeAt(k);
      if (c >= 128 || (c >= 65 && c <= 90)) throw new Error(`literal automaton: not a lower-case ASCII word: ${word}`);
      if (cls[c] === 0) cls[c] = width++;
    }
  for (let c = 65; c <= 90; c++) cls[c] = cls[c + 32]!;
  // the trie: per state its edges as [class, child, class, child, …]
  const edges: number[][] = [[]];
  const out: number[] = [0];
  let all = 0;
  for (const { word, bits } of words) {
    all |= bits;
    let st = 0;
    for (let k = 0; k < word.length; k++) {
      const c = cls[word.charCodeAt(k)]!;
      const e = edges[st]!;
      let nx = -1;
      for (let x = 0; x < e.length; x += 2) if (e[x] === c) nx = e[x + 1]!;
      if (nx === -1) {
        nx = edges.length;
        edges.push([]);
        out.push(0);
        e.push(c, nx);
      }
      st = nx;
    }
    out[st]! |= bits;
  }
  const n = edges.length;
  if (n > 0xffff) throw new Error('literal automaton: too many states');
  // breadth first, so that a state's fail state (shallower) has its row complete: a row is the fail state's row
  // (copied) with the state's own edges over it; a child's fail state is where the parent's fail state goes
  const next = new Uint16Array(n * width);
  const fail = new Int32Array(n);
  const bits = new Uint8Array(n);
  const queue = [0];
  for (let qi = 0; qi < queue.length; qi++) {
    const st = queue[qi]!;
    const row = st * width;
    const f = fail[st]!;
    if (st !== 0) {
      next.copyWithin(row, f * width, f * width + width);
      bits[st] = out[st]! | bits[f]!;
    }
    const e = edges[st]!;
    for (let x = 0; x < e.length; x += 2) {
      const c = e[x]!;
      const child = e[x + 1]!;
      fail[child] = st === 0 ? 0 : next[f * width + c]!;
      next[row + c] = child;
      queue.push(child);
    }
  }
  return { cls, width, next, bits, all };
}

/** The OR of the bits of every word found in s (ASCII case ignored). `stopAt`: bits after which the scan may stop. */
export function scanString(a: LiteralAutomaton, s: string, stopAt = a.all): number {
  const { cls, width, next, bits } = a;
  let st = 0;
  let found = 0;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    st = next[st * width + (c < 128 ? cls[c]! : 0)]!;
    const b = bits[st]!;
    if (b !== 0) {
      found |= b;
      if ((found & stopAt) === stopAt) return found;
    }
  }
  return found;
}

/** The same over UTF-8 bytes buf[from, to). Every byte of a multi-byte character is >= 128 and sends the automaton to
 *  its root, as the one non-ASCII character does in the decoded string (a decoder never folds an ASCII byte into a
 *  replacement character), so the answer is the one scanString gives on the decoded text. */
export function scanBytes(a: LiteralAutomaton, buf: Uint8Array, from: number, to: number): number {
  const { cls, width, next, bits } = a;
  let st = 0;
  let found = 0;
  for (let k = from; k < to; k++) {
    const c = buf[k]!;
    st = next[st * width + (c < 128 ? cls[c]! : 0)]!;
    found |= bits[st]!;
  }
  return found;
}

/** A line splitter that tells which lines hold a word: the automaton with every state where a word ends merged into
 *  one sink (the rest of such a line need not be read) and '\n' a class of its own that leads to a second sink; states
 *  are stored pre-multiplied by the row width, so one step is `st = next[st + cls[byte]]` and one comparison. */
export interface LineScanner {
  /** Class of each byte: the automaton's classes, '\n' its own, every byte >= 128 class 0. */
  cls: Uint8Array;
  next: Uint16Array;
  /** States >= sinks are the sinks: `hit` (a word ended) and `newline`. */
  sinks: number;
  hit: number;
  newline: number;
}

export function lineScanner(a: LiteralAutomaton): LineScanner {
  if (a.cls[10] !== 0) throw new Error('line scanner: a word contains a newline');
  const width = a.width + 1;
  // new numbers: the states where no word ends, in order; the others all become `hit`
  const id = new Int32Array(a.bits.length);
  let m = 0;
  for (let st = 0; st < a.bits.length; st++) id[st] = a.bits[st] === 0 ? m++ * width : -1;
  const sinks = m * width;
  const hit = sinks;
  const newline = sinks + width;
  if (newline > 0xffff) throw new Error('line scanner: too many states');
  for (let st = 0; st < a.bits.length; st++) if (id[st] === -1) id[st] = hit;
  const next = new Uint16Array(sinks);
  for (let st = 0; st < a.bits.length; st++) {
    const row = id[st]!;
    if (row === hit) continue;
    for (let c = 0; c < a.width; c++) next[row + c] = id[a.next[st * a.width + c]!]!;
    next[row + a.width] = newline;
  }
  const cls = new Uint8Array(256);
  cls.set(a.cls);
  cls[10] = a.width;
  return { cls, next, sinks, hit, newline };
}

/** Each complete line of the UTF-8 bytes buf[from, to) (up to a '\n', which is not part of it), with whether one of
 *  the words is in it: onLine(start, end, hit). Returns where the unfinished last line begins. A line's scan
 *  stops at its first word; the rest of it is skipped to the newline (native indexOf: pass a Buffer). Every byte of a
 *  multi-byte character is >= 128 and sends the automaton to its root, as the one non-ASCII character does in the
 *  decoded string (a decoder never folds an ASCII byte into a replacement character), so `hit` is what scanString
 *  says of the decoded line. */
export function scanLines(
  s: LineScanner,
  buf: Uint8Array,
  from: number,
  to: number,
  onLine: (start: number, end: number, hit: boolean) => void,
): number {
  const { cls, next, sinks, newline } = s;
  let st = 0;
  let start = from;
  for (let k = from; k < to; k++) {
    st = next[st + cls[buf[k]!]!]!;
    if (st >= sinks) {
      if (st === newline) {
        onLine(start, k, false);
        start = k + 1;
      } else {
        const nl = buf.indexOf(10, k + 1);
        if (nl === -1 || nl >= to) return start;
        onLine(start, nl, true);
        start = nl + 1;
        k = nl;
      }
      st = 0;
    }
  }
  return start;
}
