// Facts published by the `cri-pull` check (checks/cri-pull.ts): their one home, read by dependents, the fix planner
// and the report through the typed FactsMap (src/facts/index.ts).

export interface CriPullFacts {
  endpoint: string;
  runtime: string;
  ok: boolean;
  imageRef?: string;
  message?: string;
  grpcCode?: number;
  durationMs: number;
  /** Loaded CRI config (containerd 1.x Status verbose info "config"), for drift detection. */
  loadedConfig?: Record<string, unknown>;
}
