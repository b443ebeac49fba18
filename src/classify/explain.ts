// explain: every pull error found in a text, classified, with an explanation and fix proposals. Pure.
import { classifyMessage, extractMessages, type Classification } from './classify.js';
import { proposeFixes } from '../fix/propose.js';
import { parseTarget } from '../core/reference.js';
import type { CauseCode } from '../core/causes.js';
import type { FixProposal } from '../core/types.js';

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
  /** The command for a live diagnosis of what was found. */
  diagnoseCommand?: string;
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

export function explainText(text: string): ExplainResult {
  const items: ExplainItem[] = [];
  for (const m of extractMessages(text)) {
    const c = classifyMessage(m.message);
    const what = c.hostRole === 'registry' || c.hostRole === 'unknown' ? (c.image ?? c.host) : c.host;
    items.push({
      message: m.message,
      line: m.line,
      image: c.image ?? null,
      failingUrl: c.failingUrl ?? null,
      host: c.host ?? null,
      hostRole: c.hostRole,
      runtime: c.runtime,
      code: c.code,
      explanation: c.explanation,
      fixes: fixesFor(c),
      diagnoseCommand: what && !/\s/.test(what) ? `regdoctor diagnose ${what}` : undefined,
    });
  }
  return { schema: 'regdoctor/explain@1', items };
}
