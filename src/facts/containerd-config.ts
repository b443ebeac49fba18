// Facts published by the `containerd-config` check (checks/containerd-config.ts): their one home, read by dependents, the fix planner
// and the report through the typed FactsMap (src/facts/index.ts).
import type { EffectiveRegistryConfig } from '../core/runtime-config.js';
import type { TomlProblem } from '../runtime/containerd-config.js';
import type { K3sLayout } from '../runtime/k3s.js';

export interface ContainerdConfigFacts {
  file: string;
  exists: boolean;
  configVersion: 1 | 2 | 3;
  imports: string[];
  /** containerd version the semantics were applied for, and whether it was assumed. */
  containerdVersion: string;
  versionAssumed: boolean;
  /** Table actually read for registry settings. */
  registryTable: string[];
  effective: EffectiveRegistryConfig;
  problems: TomlProblem[];
  logLines: string[];
  notes: string[];
  mtimeMs?: number;
  /** k3s / RKE2 node: containerd's config is rendered from registries.yaml (the file above is the rendered one). */
  k3s?: K3sLayout;
  /** What the read registry table sets (names only), to compare with what the running runtime reports. */
  registrySummary: { configPath?: string; mirrors: string[]; configs: string[] };
  /** Legacy mirrors and configs.tls (no credentials), for the fix planner's migration to hosts.toml. */
  legacyTables: { mirrors: Record<string, { endpoint?: string[] }>; configs: Record<string, { tls?: Record<string, unknown> }> };
  /** With imports: where setting config_path takes effect (registryEditFile) — an import when it would override an
   *  edit of config.toml (`overrides` names config.toml then). */
  configPathEdit?: { file: string; table: string[]; overrides?: string };
  /** With imports: the files holding each legacy table in effect (relative to registryTable: ['mirrors', h],
   *  ['configs', h, 'tls']), so a migration removes each where it is (registryValueFiles). */
  legacyTableFiles?: { table: string[]; files: string[] }[];
}
