import type { Message } from '../i18n/index.js';
// Shared contract: how the node's runtime will talk to the target registry. Produced by the node-configuration
// checks (runtime-info, containerd-config); consumed by the probes (which endpoints, which scheme), go-verify
// (which trust roots, client certs, skip_verify) and the fix planner. Fields may be added; none removed.

export type RuntimeKind = 'containerd' | 'cri-o' | 'docker' | 'unknown';

export interface RuntimeInfoFacts {
  kind: RuntimeKind;
  /** e.g. "1.6.20" (no leading v). */
  version?: string;
  versionSource: 'binary' | 'cri' | 'override' | 'unknown';
  /** Go toolchain the runtime was built with, e.g. "go1.19.8". */
  goVersion: string;
  goVersionSource: 'build-info' | 'override' | 'default';
  binaryPath?: string;
  /** Process start time of the running daemon, when known (for drift detection). */
  startedAt?: string;
  pid?: number;
  /** Environment of the running daemon, when readable (proxy variables, SSL_CERT_FILE/DIR). Never printed raw. */
  daemonEnv?: Record<string, string>;
}

export interface EndpointTls {
  /** CA files (absolute node paths), appended to the system pool by containerd. */
  caFiles: string[];
  /** Client certificate/key pairs (absolute node paths). */
  clientPairs: { cert: string; key?: string }[];
  skipVerify: boolean;
}

export interface EffectiveEndpoint {
  /** Base URL as containerd builds it: scheme://host[:port]/v2 (path from hosts.toml, default /v2). */
  url: string;
  scheme: 'http' | 'https';
  /** host[:port] as it appears in the URL. */
  host: string;
  hostname: string;
  /** Port actually dialled (443/80 when the URL has none). */
  port: number;
  capabilities: ('pull' | 'resolve' | 'push')[];
  tls: EndpointTls;
  headers: Record<string, string[]>;
  /** Where this endpoint comes from, e.g. "/etc/containerd/certs.d/reg.test:5000/hosts.toml [host.\"https://m\"]". */
  source: string;
  /** `source` as a catalogue message when regdoctor worded it (defaults, runtime rules), for the reader's language. */
  sourceMessage?: Message;
  /** The `server` entry (the registry itself) rather than a mirror. */
  isServer: boolean;
  /** containerd tries HTTPS first and falls back to HTTP for this endpoint (1.6.25+/1.7.7+ rules). */
  httpFallback: boolean;
}

export interface LegacyAuthSummary {
  /** Where it was found, e.g. 'configs."reg.test:5000".auth'. Values are never copied here. */
  source: string;
  hasUsername: boolean;
  hasPassword: boolean;
  hasAuth: boolean;
  hasIdentityToken: boolean;
}

export interface EffectiveRegistryConfig {
  /** Target registry host[:port] (hosts.toml directory name form). */
  registry: string;
  /** hosts-toml: config_path is set (whether or not a file applies); legacy: mirrors/configs; default: nothing. */
  mode: 'hosts-toml' | 'legacy' | 'default';
  configPath?: string[];
  /** hosts.toml (or certs.d dir with docker-style files) that applies to the target, if any. */
  hostsFile?: string;
  hostsDir?: string;
  /** In the order containerd tries them; the server (registry itself) last. */
  endpoints: EffectiveEndpoint[];
  legacyAuth?: LegacyAuthSummary;
}
