// English source for evidence lines written as prose (what a check observed, said in a sentence); raw observations
// (HTTP exchanges, file paths, versions, runtime messages) stay as they are. Merged into the catalogue by one spread
// in en.ts; evidence.zh-CN.ts and evidence.ja.ts are typed by these keys (test/i18n/catalogue.test.ts).
export const EVIDENCE_EN = {} as const;
export type EvidenceKey = keyof typeof EVIDENCE_EN;
