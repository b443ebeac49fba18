// 日本語: evidence lines written as prose (evidence.en.ts is the source; every key, same placeholders).
import type { EvidenceKey } from './evidence.en.js';

export const EVIDENCE_JA: Record<EvidenceKey, string> = {};
