// 日本語: probe reasons, reference-parse explanations, certificate fault details (probe.en.ts is the source).
import type { ProbeKey } from './probe.en.js';

export const PROBE_JA: Record<ProbeKey, string> = {};
