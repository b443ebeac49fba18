// Manual steps as a copy-pasteable block: every step is one POSIX shell line (a command, or a `# note`), printed
// without a `$` prompt so the block can be pasted into a shell as it is. A line wider than the terminal is broken
// only between words outside quotes, with ` \` continuations (the shell joins them back into the same command); a
// trailing `# comment` is continued as comment lines. A word wider than the whole line is broken with a backslash-
// newline the shell removes again (see layoutWords): what is pasted is always the same command.
import { displayWidth } from './width.js';

export interface ManualBlockOptions {
  /** Put before every line (spaces: a shell ignores them). */
  indent?: string;
  /** Terminal width; undefined = never wrap (piped output). */
  columns?: number;
}

/** Splits a shell line at unquoted whitespace into words (quotes kept) and an unquoted `# comment` (without `#`). */
export function shellWords(line: string): { words: string[]; comment?: string } {
  const words: string[] = [];
  let cur = '';
  let q: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (q) {
      cur += ch;
      if (ch === q) q = undefined;
      else if (ch === '\\' && q === '"' && i + 1 < line.length) cur += line[++i];
    } else if (ch === '\\' && i + 1 < line.length) cur += ch + line[++i];
    else if (ch === "'" || ch === '"') {
      q = ch;
      cur += ch;
    } else if (ch === ' ' || ch === '\t') {
      if (cur) words.push(cur);
      cur = '';
    } else if (ch === '<' && /^<[A-Za-z][^<>|;&'"\n]*>/.test(line.slice(i))) {
      // a placeholder such as <owner of pod api-1> is one word to fill in: never broken at its spaces
      const end = line.indexOf('>', i);
      cur += line.slice(i, end + 1);
      i = end;
    } else if (ch === '#' && cur === '') {
      return { words, comment: line.slice(i + 1).trim() };
    } else cur += ch;
  }
  if (cur) words.push(cur);
  return { words };
}

/** Hard-breaks a comment word wider than `room` (a comment line's text is never pasted as a command). */
function chunks(word: string, room: number): string[] {
  const out: string[] = [];
  let cur = '';
  for (const ch of word) {
    if (cur && displayWidth(cur + ch) > room) {
      out.push(cur);
      cur = '';
    }
    cur += ch;
  }
  if (cur) out.push(cur);
  return out;
}

/** Greedy fill of comment words into lines of at most `room` columns. */
function fill(words: string[], room: number): string[][] {
  const out: string[][] = [];
  let line: string[] = [];
  let w = 0;
  for (const long of words) {
    for (const word of chunks(long, room)) {
      const ww = displayWidth(word);
      if (line.length && w + 1 + ww > room) {
        out.push(line);
        line = [];
        w = 0;
      }
      w += (line.length ? 1 : 0) + ww;
      line.push(word);
    }
  }
  if (line.length) out.push(line);
  return out;
}

/**
 * Lays out the words of a command within `width`: lines end in ` \` and continue indented; a single word wider
 * than a line is broken with a `\` directly after it and continued at column 0 (leading spaces would become part
 * of the word). Inside single quotes the quote is closed before the break and reopened after it (`'ab'\` + `'cd'`
 * is the word abcd); a backslash-newline outside single quotes is removed by the shell, so the word is unchanged.
 */
function layoutWords(words: string[], indent: string, cont: string, width: number, more: boolean): string[] {
  const out: string[] = [];
  let cur = indent;
  let fresh = true; // nothing but indentation on the current line
  const W = (t: string) => displayWidth(t);
  words.forEach((word, n) => {
    const last = n === words.length - 1 && !more;
    const tail = last ? 0 : 2; // ' \'
    if (!fresh && W(cur) + 1 + W(word) + tail > width) {
      out.push(`${cur} \\`);
      cur = cont;
      fresh = true;
    }
    if (W(cur) + (fresh ? 0 : 1) + W(word) + tail <= width) {
      cur += `${fresh ? '' : ' '}${word}`;
      fresh = false;
      return;
    }
    // one word wider than the line: break it inside
    if (!fresh) cur += ' ';
    let q: string | undefined;
    let prev = '';
    for (const ch of word) {
      const closing = q === "'" ? 1 : 0;
      if (W(cur) + W(ch) + 1 + closing > width && prev !== '\\' && !fresh) {
        out.push(`${cur}${q === "'" ? "'" : ''}\\`);
        cur = q === "'" ? "'" : '';
      }
      cur += ch;
      fresh = false;
      if (q) {
        if (ch === q && !(q === '"' && prev === '\\')) q = undefined;
      } else if ((ch === "'" || ch === '"') && prev !== '\\') q = ch;
      prev = prev === '\\' ? '' : ch;
    }
  });
  out.push(more ? `${cur} \\` : cur);
  return out;
}

/** The lines of one step. */
export function manualStepLines(step: string, o: ManualBlockOptions = {}): string[] {
  const indent = o.indent ?? '';
  const cont = `${indent}  `;
  const width = o.columns === undefined ? Infinity : Math.max(20, o.columns - 1);
  const text = step.trim();
  if (displayWidth(indent) + displayWidth(text) <= width) return [`${indent}${text}`];
  const { words, comment } = shellWords(text);
  const out: string[] = [];
  if (words.length) out.push(...layoutWords(words, indent, cont, width, comment !== undefined));
  if (comment !== undefined) {
    const lead = words.length ? cont : indent;
    for (const r of fill(comment.split(/\s+/).filter(Boolean), Math.max(10, width - displayWidth(lead) - 2)))
      out.push(`${lead}# ${r.join(' ')}`);
  }
  return out;
}

/** All steps, one command per line (long ones continued with ` \`). */
export function manualBlock(steps: readonly string[], o: ManualBlockOptions = {}): string[] {
  return steps.flatMap((s) => manualStepLines(s, o));
}
