// English source for the fix engine and planners (src/fix: proposals, harden steps, engine log lines, FixError messages).
// Merged into the catalogue by one spread in en.ts; fix.zh-CN.ts and fix.ja.ts are typed by these keys, so a
// missing translation does not compile (test/i18n/catalogue.test.ts checks placeholders and kept terms).
export const FIX_EN = {} as const;
export type FixKey = keyof typeof FIX_EN;
