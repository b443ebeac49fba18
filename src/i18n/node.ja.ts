// 日本語: node-side findings and views (checks/, src/facts, src/runtime, src/kube scan/nodes, nodes/audit views and exports) (node.en.ts is the source; every key, same placeholders).
import type { NodeKey } from './node.en.js';

export const NODE_JA: Record<NodeKey, string> = {};
