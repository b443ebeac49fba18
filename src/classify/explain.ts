// explain: every pull error found in a text, classified, with an explanation and fix proposals. Pure.
import { classifyMessage, extractMessages, type Classification } from './classify.js';
import { proposeFixes } from '../fix/propose.js';
import { parseTarget } from '../core/reference.js';
import type { CauseCode } from '../core/causes.js';
import type { FixProposal } from '../core/types.js';
import { sanitizeLine } from '../core/sanitize.js';
import { shellJoin } from '../core/shell.js';

export interface ExplainItem {
  message: string;
  line: number;
  image: string | null;
  failingUrl: string | null;
  host: string | null;
  hostRole: Classification['hostRole'];
  runtime: Classification['runtime'];
  code: CauseCode | 'unknown';
  explanation: string;
  fixes: FixProposal[];
  /** The command for a live diagnosis of what was found (built from a validated reference, shell-quoted). */
  diagnoseCommand?: string;
  /** The validated target of diagnoseCommand. */
  diagnoseTarget?: string;
}

export interface ExplainResult {
  schema: 'regdoctor/explain@1';
  items: ExplainItem[];
}

function fixesFor(c: Classification): FixProposal[] {
  if (c.code === 'unknown') return [];
  let input = c.image;
  if (c.host && c.hostRole !== 'registry' && c.hostRole !== 'unknown') input = c.host.replace(/:443$/, '');
  try {
    const target = parseTarget(input ?? c.host ?? '');
    return proposeFixes({ code: c.code, severity: 'error', summary: c.explanation, evidence: [], fixes: [], source: 'explain' }, { target, facts: {}, inputs: {} });
  } catch {
    return [];
  }
}

/** A live-diagnosis target only when it is a valid reference (anything else is data, never part of a command). */
function validTarget(what: string | undefined): string | undefined {
  if (!what) return undefined;
  try {
    return parseTarget(what).input;
  } catch {
    return undefined;
  }
}

const line = (s: string | undefined | null) => (s === undefined || s === null ? null : sanitizeLine(s));

/** Pasted text is untrusted: every string of the result is one line with control characters as visible escapes. */
export function explainText(text: string): ExplainResult {
  const items: ExplainItem[] = [];
  for (const m of extractMessages(text)) {
    const c = classifyMessage(m.message);
    const what = c.hostRole === 'registry' || c.hostRole === 'unknown' ? (c.image ?? c.host) : c.host;
    const target = validTarget(what);
    items.push({
      message: sanitizeLine(m.message),
      line: m.line,
      image: line(c.image),
      failingUrl: line(c.failingUrl),
      host: line(c.host),
      hostRole: c.hostRole,
      runtime: c.runtime,
      code: c.code,
      explanation: sanitizeLine(c.explanation),
      fixes: fixesFor(c),
      diagnoseCommand: target ? shellJoin(['regdoctor', 'diagnose', target]) : undefined,
      diagnoseTarget: target,
    });
  }
  return { schema: 'regdoctor/explain@1', items };
}
