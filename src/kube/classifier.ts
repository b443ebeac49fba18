// The shape pod diagnosis and scan need from the pull-error classifier (src/classify/), kept small so both can be
// tested with any classifier and the real one is plugged in by defaultClassifier().
import type { CauseCode } from '../core/causes.js';

export interface PullErrorClassification {
  code: CauseCode;
  /** host[:port] that failed — may be a token realm, mirror, blob store or proxy rather than the registry. */
  host?: string;
  hostRole?: string;
  failingUrl?: string;
  explanation?: string;
  /** One recommended fix, in a sentence. */
  fix?: string;
}

export type ClassifyFn = (text: string) => PullErrorClassification;
