// explain: every pull error found in a text, classified, with an explanation and fix proposals. Pure.
import { classifyMessage, extractMessages, MessageExtractor, type Classification, type Extracted } from './classify.js';
import { proposeFixes } from '../fix/propose.js';
import { parseTarget } from '../core/reference.js';
import type { CauseCode } from '../core/causes.js';
import type { FixProposal } from '../core/types.js';
import { messageIn, msg, sanitizeMessage, type Message } from '../i18n/index.js';
import { sanitizeLine } from '../text/sanitize.js';
import { shellJoin } from '../text/shell.js';

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
  /** `explanation` as a message, for the reader's language (not part of the JSON document). */
  explanationMessage: Message;
  fixes: FixProposal[];
  /** The command for a live diagnosis of what was found (built from a validated reference, shell-quoted). */
  diagnoseCommand?: string;
  /** The validated target of diagnoseCommand. */
  diagnoseTarget?: string;
  /** Other causes that produce the same text, most likely first; [] when the wording is unambiguous. */
  alternatives: CauseCode[];
  /** One line on how to tell `code` and `alternatives` apart, or null. */
  tellApart: string | null;
  /** `tellApart` as a message (not part of the JSON document). */
  tellApartMessage: Message | null;
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
    return proposeFixes(
      { code: c.code, severity: 'error', summary: c.explanation, evidence: [], fixes: [], source: 'explain' },
      { target, facts: {}, inputs: {} },
    );
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

/** The end of an error chain, without quoting and escaping, which differ between layers that print the same error. */
function errorTail(message: string): string {
  return message
    .replace(/(?<!\\)\\+"/g, '"')
    .replace(/["'`\\]/g, '')
    .replace(/\s+/g, ' ')
    .replace(/(?<![\s.,;)\]])[\s.,;)\]]+$/, '')
    .slice(-100);
}

const line = (s: string | undefined | null) => (s === undefined || s === null ? null : sanitizeLine(s));

/** Pasted text is untrusted: every string of the result is one line with control characters as visible escapes. */
export function explainText(text: string): ExplainResult {
  return explainExtracted(extractMessages(text));
}

/** The same for text that arrives in chunks (stdin, a file): memory stays bounded whatever the input size. */
export async function explainStream(source: AsyncIterable<string | Buffer>): Promise<ExplainResult> {
  const x = new MessageExtractor();
  // bytes are split and pre-filtered undecoded: only the lines that may hold a pull error become strings
  for await (const chunk of source) {
    if (typeof chunk === 'string') x.push(chunk);
    else x.pushBytes(chunk);
  }
  return explainExtracted(x.finish());
}

function explainExtracted(extracted: Extracted[]): ExplainResult {
  const items: ExplainItem[] = [];
  const layers = new Set<string>();
  for (const m of extracted) {
    const c = classifyMessage(m.message);
    // the same error seen through several layers (kubelet event, containerd journal, crictl) is one item
    const layer = `${c.code}|${c.failingUrl ?? ''}|${errorTail(m.message)}`;
    if (layers.has(layer)) continue;
    layers.add(layer);
    const what = c.hostRole === 'registry' || c.hostRole === 'unknown' ? (c.image ?? c.host) : c.host;
    const target = validTarget(what);
    const diagnose = `\`${target ? shellJoin(['regdoctor', 'diagnose', target]) : 'regdoctor diagnose <image>'}\``;
    const tellApart = c.tellApartMessage && msg('explain.tellApart', { how: { key: c.tellApartMessage.key, params: { diagnose } } });
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
      explanationMessage: sanitizeMessage(c.explanationMessage, sanitizeLine),
      fixes: fixesFor(c),
      diagnoseCommand: target ? shellJoin(['regdoctor', 'diagnose', target]) : undefined,
      diagnoseTarget: target,
      alternatives: c.alternatives,
      tellApart: tellApart ? sanitizeLine(messageIn('en', tellApart)) : null,
      tellApartMessage: tellApart ? sanitizeMessage(tellApart, sanitizeLine) : null,
    });
  }
  return { schema: 'regdoctor/explain@1', items };
}
