// English source for node-side findings and views (checks/, src/facts, src/runtime, src/kube scan/nodes, nodes/audit views and exports).
// Merged into the catalogue by one spread in en.ts; node.zh-CN.ts and node.ja.ts are typed by these keys, so a
// missing translation does not compile (test/i18n/catalogue.test.ts checks placeholders and kept terms).
export const NODE_EN = {} as const;
export type NodeKey = keyof typeof NODE_EN;
