// 简体中文: explain's pattern explanations, reference-parse errors, probe reasons and certificate fault details (explain.en.ts is the source; every key, same placeholders).
import type { ExplainKey } from './explain.en.js';

export const EXPLAIN_ZH_CN: Record<ExplainKey, string> = {};
