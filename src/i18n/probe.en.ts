// English source for probe reasons, reference-parse explanations and certificate fault details (src/probe,
// src/core/reference.ts, src/x509, src/goverify, src/trust). Merged into the catalogue by one spread in en.ts;
// probe.zh-CN.ts and probe.ja.ts are typed by these keys (test/i18n/catalogue.test.ts checks placeholders and terms).
export const PROBE_EN = {} as const;
export type ProbeKey = keyof typeof PROBE_EN;
