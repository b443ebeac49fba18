// English source for explain's per-pattern explanations (src/classify/patterns.ts `why`, src/classify/explain.ts).
// Merged into the catalogue by one spread in en.ts; explain.zh-CN.ts and explain.ja.ts are typed by these keys, so a
// missing translation does not compile (test/i18n/catalogue.test.ts checks placeholders and kept terms).
export const EXPLAIN_EN = {} as const;
export type ExplainKey = keyof typeof EXPLAIN_EN;
