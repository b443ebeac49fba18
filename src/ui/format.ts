// Shared text helpers for every renderer (plain text, Ink): glyphs, colours, wrapping, durations.
import type { CheckStatus, Severity } from '../core/types.js';
import { sanitizeLine } from '../text/sanitize.js';
import { displayWidth, elideMiddle, truncateWidth, wrapWords } from '../text/width.js';
import { t } from '../i18n/index.js';

export const GLYPH: Record<CheckStatus, string> = {
  pending: '·',
  running: '…',
  pass: '✓',
  warn: '!',
  fail: '✗',
  skipped: '–',
  crash: '☠',
  cancelled: '⊘',
};

export type Tone = 'green' | 'yellow' | 'red' | 'dim' | 'magenta' | 'cyan' | 'bold';

const ANSI: Record<Tone, [number, number]> = {
  green: [32, 39],
  yellow: [33, 39],
  red: [31, 39],
  dim: [2, 22],
  magenta: [35, 39],
  cyan: [36, 39],
  bold: [1, 22],
};

export function paint(text: string, tone: Tone, color: boolean): string {
  if (!color) return text;
  const [a, b] = ANSI[tone];
  return `\u001b[${a}m${text}\u001b[${b}m`;
}

export function statusTone(s: CheckStatus): Tone {
  switch (s) {
    case 'pass':
      return 'green';
    case 'warn':
      return 'yellow';
    case 'fail':
      return 'red';
    case 'crash':
      return 'magenta';
    case 'running':
      return 'cyan';
    default:
      return 'dim';
  }
}

export function severityGlyph(s: Severity): { glyph: string; tone: Tone } {
  switch (s) {
    case 'critical':
    case 'error':
      return { glyph: '✗', tone: 'red' };
    case 'warning':
      return { glyph: '!', tone: 'yellow' };
    default:
      return { glyph: '✓', tone: 'green' };
  }
}

/** The one risk model (src/fix/risk.ts): every view prints `riskLabel(proposal)`. */
export { RISK_LABEL, riskLabel, proposalRisk } from '../fix/risk.js';

export function formatMs(ms: number | undefined): string {
  if (ms === undefined) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/**
 * Word-wraps `text` to `width` display columns (CJK counts two), prefixing every line with `indent`; lines break at
 * spaces, and only a single token wider than a whole line is hard-broken. Newlines separate paragraphs; every other
 * control character (ESC, CR, BEL, backspace, bidi overrides) becomes a visible escape — a safety net for every
 * printer, on top of sanitising where untrusted text comes in.
 */
export function wrap(text: string, width: number, indent = '', rest = indent): string[] {
  const out: string[] = [];
  for (const para of String(text).split(/\r?\n/).map(sanitizeLine)) out.push(...wrapLine(para, width, indent, rest));
  return out;
}

/** A paragraph longer than this many characters is shown as its head and tail (ELIDE_AT: ~12 lines of 100 columns). */
export const ELIDE_AT = 1200;

/**
 * A paragraph for a terminal: whole up to ELIDE_AT characters, else its head and tail around a note of how many
 * characters were left out. A server or certificate controls some of these strings (a certificate with 700 names makes
 * Go's "certificate is valid for …" 30 KB long); the JSON report keeps them whole.
 */
export function elideLong(text: string): string {
  return elideMiddle(text, ELIDE_AT, (n) => t('ui.elided', { n }));
}

/** wrapWords (one paragraph, no newlines) after elideLong: every renderer's wrapping of text it did not write. */
export function wrapLine(text: string, width: number, first = '', rest = first): string[] {
  return wrapWords(elideLong(text), width, first, rest);
}

/** Truncates to `width` display columns with an ellipsis (control characters shown as visible escapes first). */
export function clip(raw: string, width: number): string {
  return truncateWidth(sanitizeLine(String(raw)), width);
}

// eslint-disable-next-line no-control-regex
const ANSI_RE = /\u001b\[[0-9;]*m/g;

export function stripAnsi(s: string): string {
  return s.replace(ANSI_RE, '');
}

/**
 * Lines printed on a terminal outside Ink (the fix session's plan, results, manual steps): each line wider than the
 * terminal is word-wrapped at spaces by display width, colour codes kept, continuation lines indented like the line
 * (two more after a bullet or a number). Command lines ("$ …", a rollback command) are left whole so that copying
 * them from the terminal gives one command; so is a single token wider than the line.
 */
export function ttyWrap(text: string, columns: number): string {
  const width = Math.max(20, columns - 1);
  return text
    .split('\n')
    .map((line) => {
      const plain = stripAnsi(line);
      if (displayWidth(plain) <= width || /^\s*(?:\$ |regdoctor rollback )/.test(plain)) return line;
      const lead = /^\s*/.exec(plain)![0];
      const bullet = /^\s*(?:[\u2022*-]|\d+\.|\d+\/\d+\.) /.exec(plain);
      const rest = bullet ? ' '.repeat(bullet[0].length) : lead;
      // colour codes before the indent stay in front of it
      // eslint-disable-next-line no-control-regex
      const head = /^((?:\u001b\[[0-9;]*m)*)\s*/.exec(line)![0];
      const words = line.slice(head.length).split(' ');
      // a rollback command after prose ("… To undo: regdoctor rollback ID") is one unit: the prose wraps, the
      // command moves to the next line whole (the terminal would otherwise cut it, or a word before it, anywhere)
      const cmd = words.findIndex((w, i) => stripAnsi(w) === 'regdoctor' && words[i + 1] === 'rollback');
      if (cmd > 0) words.splice(cmd, words.length - cmd, words.slice(cmd).join(' '));
      const out: string[] = [];
      let cur = head;
      let curW = displayWidth(lead);
      let empty = true;
      for (const w of words) {
        const ww = displayWidth(w);
        if (!empty && curW + 1 + ww > width) {
          out.push(cur);
          cur = rest + w;
          curW = displayWidth(rest) + ww;
        } else {
          cur += empty ? w : ` ${w}`;
          curW += empty ? ww : 1 + ww;
        }
        empty = false;
      }
      out.push(cur);
      return out.join('\n');
    })
    .join('\n');
}
