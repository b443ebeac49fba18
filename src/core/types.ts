// Core contracts shared by the engine, the checks, the fix engine and the renderers.
import type { CauseCode, Severity } from './causes.js';
import type { Adapters } from './adapters.js';
import type { FactsMap } from './facts.js';
import type { Message } from '../i18n/index.js';

export type { CauseCode, Severity } from './causes.js';
export type { ImageReference } from './reference.js';

// ---------------------------------------------------------------------------------------------------------------
// Targets

import type { Target } from './reference.js';
export type { RegistryHost, Target } from './reference.js';

// ---------------------------------------------------------------------------------------------------------------
// Findings and fixes

/** What applying a fix risks, safest first. Computed from the proposal's actions by src/fix/risk.ts, never set by hand. */
export type FixRisk = 'safe' | 'node-config' | 'cluster-objects' | 'restarts-runtime' | 'disables-verification' | 'destructive';

/** One step of a fix plan. Plans are data until the fix engine applies them after confirmation. */
export type FixAction =
  | {
      kind: 'write-file';
      path: string;
      content: string;
      mode?: number;
      description?: string;
      /** The content restates settings already in effect (a legacy migration, a fallback copied for one host): it
       *  moves them, so a `skip_verify` in it does not count as turning verification off (src/fix/risk.ts). */
      restates?: boolean;
    }
  | { kind: 'copy-file'; from: string; to: string; mode?: number; description?: string }
  /** `descriptionMessage`: the description as a catalogue message, for the fix screen in the reader's language. */
  | { kind: 'edit-toml'; path: string; description: string; descriptionMessage?: Message; edit: TomlEdit }
  /** A block-style YAML file (k3s / RKE2 registries.yaml) edited in place, every other line kept (src/fix/yaml-edit.ts). */
  | { kind: 'edit-yaml'; path: string; description: string; descriptionMessage?: Message; edit: YamlEdit }
  | { kind: 'remove-file'; path: string; description?: string }
  | { kind: 'run'; argv: string[]; description: string; stdin?: string }
  | {
      kind: 'restart-runtime';
      service: string;
      description?: string;
      /** `systemctl reload` (CRI-O re-reads registries.conf on SIGHUP) instead of a restart. */ reload?: boolean;
    }
  | { kind: 'kubectl'; args: string[]; description: string; stdin?: string }
  /** A docker config file kubelet reads (config.json `auths`, or a legacy .dockercfg): one entry set, copied under
   *  another key, or removed; every other entry and field kept. The engine computes the new content (shown as a
   *  redacted diff, backed up and journalled like any file). `password` never appears in a diff or a log. */
  | {
      kind: 'docker-auth';
      path: string;
      format: 'config.json' | 'dockercfg';
      set?: { key: string; username: string; password: string };
      copy?: { from: string; to: string };
      remove?: string;
      description: string;
    }
  /** `kubectl create` of a kubernetes.io/dockerconfigjson Secret (manifest on stdin, never argv); rollback deletes it. */
  | {
      kind: 'kube-create-secret';
      /** Global kubectl flags (--kubeconfig=…, --context=…). */
      kubectl: string[];
      namespace: string;
      name: string;
      server: string;
      username: string;
      password: string;
      description: string;
    }
  /** Sets a ServiceAccount's imagePullSecrets from `before` (checked when applying) to `after`; rollback restores `before`. */
  | {
      kind: 'kube-patch-sa';
      kubectl: string[];
      namespace: string;
      serviceAccount: string;
      before: string[];
      after: string[];
      description: string;
    }
  /** CRI RemoveImage (`crictl rmi`): drops a cached image so the next pull resolves the reference again. */
  | { kind: 'remove-image'; image: string; endpoint?: string; description: string };

/** A TOML-aware edit, applied by the fix engine preserving layout and comments of everything else. */
export interface TomlEdit {
  /** Table path, e.g. ['plugins', 'io.containerd.grpc.v1.cri', 'registry']. */
  table: string[];
  /** Keys to set (value = TOML-serialisable) or remove (value = undefined). */
  set?: Record<string, unknown>;
  remove?: string[];
  /** Remove these sub-tables entirely (relative to `table`). */
  removeTables?: string[][];
  /** Append to list keys (a string value becomes a list; items already present are not repeated). */
  append?: Record<string, unknown[]>;
}

/** A YAML edit: the mapping at `path` (created when missing) gets scalar keys set or removed. */
export interface YamlEdit {
  /** Mapping keys from the document root, e.g. ['configs', 'registry.example.com:5000', 'tls']. */
  path: string[];
  set?: Record<string, string | boolean>;
  remove?: string[];
}

export interface FixProposal {
  /** Stable id, e.g. `hosts-toml-ca`. */
  id: string;
  /** English; with `titleMessage` (i18n `titled()`) views print it in the reader's language. */
  title: string;
  titleMessage?: Message;
  /** Computed from `actions` (or the manual steps) by src/fix/risk.ts when the proposal is planned. */
  risk: FixRisk;
  /** Where the change happens. */
  where: 'node' | 'registry-server' | 'cluster';
  /** containerd must restart for the change to take effect. */
  restartRequired: boolean;
  /** What it changes and why, in a sentence or two (English; `descriptionMessage` for the reader's language). */
  description: string;
  descriptionMessage?: Message;
  /** Steps for an operator who prefers to do it by hand (commands, file contents). */
  manualSteps: string[];
  /** Machine-applicable plan; empty when the fix can only be done by hand (e.g. reissue a server certificate). */
  actions: FixAction[];
  /** Why this node fix cannot be planned safely (the `fix` command refuses it; nothing is changed). */
  blocked?: string;
  /** `blocked` as a catalogue message, for the reader's language (src/fix/errors.ts). */
  blockedMessage?: Message;
  /** Trust on first use: the certificate the network presented that this fix would install. */
  presented?: { sha256: string; subject: string; issuer: string; notBefore: string; notAfter: string };
}

/** A proposal as a planner builds it: the risk is computed from its actions afterwards (src/fix/risk.ts `rated`). */
export type PlannedFix = Omit<FixProposal, 'risk'>;

/** What a check reports. Severity defaults to the cause's registry severity. */
export interface FindingInput {
  code: CauseCode;
  severity?: Severity;
  /** English. With `summaryMessage` (i18n `summaryOf(key, params)` sets both) views print it in the reader's language. */
  summary: string;
  summaryMessage?: Message;
  evidence?: string[];
  /** Catalogue messages of the evidence lines written as sentences, same index (null: a raw observation);
   *  built with i18n/evidence.ts `evidence()`, printed through `evidenceText()`. */
  evidenceMessages?: (Message | null)[];
  /** host[:port] this finding concerns, when it is not the target registry (token realm, mirror, blob storage). */
  host?: string;
  /** The exact error text the runtime would print (full containerd message when known). */
  predictedRuntimeError?: string;
  /** Errors the runtime would report after this one is fixed (Go reports only the first fault). */
  nextErrors?: string[];
  /** Structured details for renderers, fix planners and tests. Must never contain secrets. */
  data?: Record<string, unknown>;
}

export interface Finding extends FindingInput {
  severity: Severity;
  evidence: string[];
  fixes: FixProposal[];
  /** Id of the check that produced it. */
  source: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Checks

export interface KubeOptions {
  context?: string;
  kubeconfig?: string;
  namespace?: string;
  /** Pod whose imagePullSecrets and ServiceAccount apply (`diagnose pod/<name>`); else the namespace's `default` SA. */
  pod?: string;
}

export interface RunOptions {
  /** Filesystem root of the node to inspect ("/" live, or a copied node tree). */
  root: string;
  /** Bound for the whole diagnosis. */
  timeoutMs: number;
  /** Bound for each network step (connect, handshake, request). */
  probeTimeoutMs: number;
  /** CRI endpoint (unix:///run/containerd/containerd.sock); auto-detected when unset. */
  runtimeEndpoint?: string;
  /** Pull through CRI as kubelet does. */
  pull: boolean;
  /** Override the Go version used to predict messages (e.g. go1.19). */
  goVersion?: string;
  /** Override the containerd version (e.g. 1.6.20). */
  containerdVersion?: string;
  kube: KubeOptions;
  /** Whether cluster access should be attempted at all. */
  useKube: boolean;
  verbose: boolean;
  /** --root is the live node's filesystem mounted elsewhere (a diagnosis pod's /host) and --runtime-endpoint its
   *  running runtime: ask the runtime (CRI pull, loaded config, start time) as on the node itself. */
  liveRoot?: boolean;
  /** certificate-expiring warns when a certificate of the chain expires within this many days (default 30). */
  expiryWarningDays?: number;
}

export interface CheckContext {
  readonly target: Target;
  readonly options: RunOptions;
  readonly adapters: Adapters;
  /** Aborted on timeout, cancellation or the overall deadline. Pass it to every adapter call. */
  readonly signal: AbortSignal;
  /** Facts of a check listed in `needs` (guaranteed present). */
  facts<K extends keyof FactsMap>(id: K): FactsMap[K];
  /** Facts of a check listed in `wants` (absent when it failed, was skipped or crashed). */
  maybeFacts<K extends keyof FactsMap>(id: K): FactsMap[K] | undefined;
}

export interface CheckOutcome<F> {
  /** Facts for dependents. Leave undefined when dependents cannot proceed: they are then skipped. */
  facts?: F;
  findings?: FindingInput[];
  /** One line describing what was observed (English; `summaryMessage` is the same as a catalogue message). */
  summary: string;
  summaryMessage?: Message;
  evidence?: string[];
  /** Messages of the evidence lines written as sentences (same index, null: raw), as on FindingInput. */
  evidenceMessages?: (Message | null)[];
  /** Defaults from the findings: error/critical → fail, warning → warn, else pass. */
  status?: 'pass' | 'warn' | 'fail';
}

export type CheckId = keyof FactsMap & string;

export interface Check<K extends CheckId = CheckId> {
  id: K;
  title: string;
  /** Checks whose facts are required: this check is skipped if any of them produced none. */
  needs: readonly CheckId[];
  /** Checks whose facts are used when present: this check waits for them but still runs without. */
  wants?: readonly CheckId[];
  timeoutMs: number;
  /** Return a reason to skip (e.g. "no image reference"), or undefined to run. */
  skipIf?(ctx: CheckContext): string | Message | undefined;
  run(ctx: CheckContext): Promise<CheckOutcome<FactsMap[K]>>;
}

export type CheckStatus = 'pending' | 'running' | 'pass' | 'warn' | 'fail' | 'skipped' | 'crash' | 'cancelled';

export interface CheckRun {
  id: string;
  title: string;
  needs: readonly string[];
  status: CheckStatus;
  startedAt?: number;
  endedAt?: number;
  durationMs?: number;
  summary?: string;
  summaryMessage?: Message;
  findings: Finding[];
  evidence: string[];
  evidenceMessages?: (Message | null)[];
  /** Error message for crash (thrown error or timeout). */
  error?: string;
  skipReason?: string;
  /** True when the check published facts. */
  hasFacts: boolean;
}

export interface RunState {
  target: Target;
  startedAt: number;
  finishedAt?: number;
  checks: CheckRun[];
  cancelled: boolean;
  /** Facts by check id (not rendered; used for fix planning and reports). */
  facts: Partial<FactsMap>;
}
