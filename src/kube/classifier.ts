// The shape pod diagnosis and scan need from the pull-error classifier (src/classify/), kept small so both can be
// tested with any classifier and the real one is plugged in by defaultClassifier().
import type { CauseCode } from '../core/causes.js';
import type { Message } from '../i18n/index.js';

export interface PullErrorClassification {
  code: CauseCode;
  /** host[:port] that failed — may be a token realm, mirror, blob store or proxy rather than the registry. */
  host?: string;
  hostRole?: string;
  failingUrl?: string;
  explanation?: string;
  /** `explanation` as a catalogue message (rendered in the reader's language). */
  explanationMessage?: Message;
  /** One recommended fix, in a sentence. */
  fix?: string;
  fixMessage?: Message;
}

export type ClassifyFn = (text: string) => PullErrorClassification;

/** The project's pull-error classifier (src/classify), loaded on first use. */
export async function loadClassifier(): Promise<ClassifyFn> {
  const { classifyMessage } = await import('../classify/classify.js');
  return (text) => {
    const c = classifyMessage(text);
    return {
      code: c.code,
      host: c.host,
      hostRole: c.hostRole,
      failingUrl: c.failingUrl,
      explanation: c.explanation,
      ...(c.explanationMessage ? { explanationMessage: c.explanationMessage } : {}),
    };
  };
}

/** Classifies a runtime error for an image; when the text names no host, the image's registry is the one failing. */
export function classifyForImage(classify: ClassifyFn, text: string, image: string): PullErrorClassification {
  const c = classify(text);
  if (c.host) return c;
  const first = image.split('/')[0] ?? '';
  const domain = image.includes('/') && (/[.:]/.test(first) || first === 'localhost' || first.startsWith('[')) ? first : 'docker.io';
  return { ...c, host: domain, hostRole: c.hostRole && c.hostRole !== 'unknown' ? c.hostRole : 'registry' };
}
