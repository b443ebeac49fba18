// Evidence lines in the reader's language. A check's or finding's `evidence` stays English text (JSON, logs and
// tests read it); a line written as a sentence also has its catalogue message at the same index of
// `evidenceMessages` (null for a raw observation: an HTTP exchange, a path, a version, a runtime's own message).
// Producers build both with evidence(); every view prints a line through evidenceText().
// Param names never name a secret (`token`, `secret`, `auth`, …): redact() would blank their values.
import { messageIn, msg, textIn, tr, type Message, type MessageKey, type ParamsOf } from './index.js';

/** Evidence as a check or finding carries it. */
export interface EvidenceOf {
  evidence?: readonly string[];
  evidenceMessages?: readonly (Message | null)[];
}

/** What `evidence().out()` spreads into a finding or outcome (no `evidenceMessages` when every line is raw). */
export interface EvidenceOut {
  evidence: string[];
  evidenceMessages?: (Message | null)[];
}

export class EvidenceLines {
  private readonly lines: string[] = [];
  private readonly messages: (Message | null)[] = [];

  /** Raw observations, printed as they are in every language. */
  raw(...lines: readonly string[]): this {
    for (const l of lines) {
      this.lines.push(l);
      this.messages.push(null);
    }
    return this;
  }

  /** A sentence: its English text in `evidence`, its message beside it. */
  say<K extends MessageKey>(key: K, ...params: ParamsOf<K>): this {
    this.lines.push(textIn('en', key, ...params));
    this.messages.push(msg(key, ...params));
    return this;
  }

  /** Another check's or finding's evidence, appended with its messages. */
  add(x: EvidenceOf | undefined): this {
    const lines = x?.evidence ?? [];
    lines.forEach((l, i) => {
      this.lines.push(l);
      this.messages.push(x?.evidenceMessages?.[i] ?? null);
    });
    return this;
  }

  get length(): number {
    return this.lines.length;
  }

  /** Copies of the lines (and messages, when any line has one). */
  out(): EvidenceOut {
    return this.messages.some((m) => m !== null)
      ? { evidence: [...this.lines], evidenceMessages: [...this.messages] }
      : { evidence: [...this.lines] };
  }
}

/** A builder, optionally starting with an existing check's or finding's evidence. */
export function evidence(from?: EvidenceOf): EvidenceLines {
  return new EvidenceLines().add(from);
}

/** One sentence as a whole evidence list: `{ ...said('evidence.x', params) }`. */
export function said<K extends MessageKey>(key: K, ...params: ParamsOf<K>): EvidenceOut {
  return evidence()
    .say(key, ...params)
    .out();
}

/**
 * Evidence line `i` in the active language: its message when it has one that still says the stored English line
 * (a line edited, redacted or moved after it was built keeps its English text), else the line as it is.
 */
export function evidenceText(x: EvidenceOf, i: number): string {
  const line = x.evidence?.[i] ?? '';
  const m = x.evidenceMessages?.[i];
  if (!m || messageIn('en', m) !== line) return line;
  return tr(m, line);
}
