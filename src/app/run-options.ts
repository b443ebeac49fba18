// The defaults of a diagnosis run, in a module of their own: the CLI's option parser reads them on every start
// (even `--version`), and importing them from diagnose.ts pulled the whole engine and fix planner into that path.
import type { RunOptions } from '../core/types.js';

export const DEFAULT_RUN_OPTIONS: RunOptions = {
  root: '/',
  timeoutMs: 30_000,
  probeTimeoutMs: 5_000,
  pull: true,
  kube: {},
  useKube: false,
  verbose: false,
};
