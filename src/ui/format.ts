// Shared text helpers for every renderer (plain text, Ink): glyphs, colours, wrapping, durations.
import type { CheckStatus, FixRisk, Severity } from '../core/types.js';
import { sanitizeLine } from '../text/sanitize.js';
import { truncateWidth, wrapWords } from '../text/width.js';

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

export const RISK_LABEL: Record<FixRisk, string> = {
  safe: 'safe',
  mutating: 'changes node config',
  'disables-verification': 'DISABLES TLS VERIFICATION',
  destructive: 'DESTRUCTIVE',
};

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
  for (const para of String(text).split(/\r?\n/).map(sanitizeLine)) out.push(...wrapWords(para, width, indent, rest));
  return out;
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
