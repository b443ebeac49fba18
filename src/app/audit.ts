// `regdoctor audit`: every registry this node is configured for, each diagnosed, in parallel with a bound on both
// parallelism and total time. Discovery reads only what configures a registry on the node — the host directories
// under config_path (hosts.toml or Docker-style files; /etc/containerd/certs.d even when config_path is unset, since
// those are then ignored), the legacy config.toml tables (mirrors, configs, auths), kubelet's node auth files — and,
// with cluster access, the images of the pods bound to this node. Names are validated with the reference grammar;
// anything that is not a registry host is a note, never a target.
import { hostname as osHostname } from 'node:os';
import type { Adapters, FsAdapter, KubeAdapter } from '../core/adapters.js';
import type { RunOptions, Target } from '../core/types.js';
import type { Report } from '../core/report.js';
import { messageIn, msg, type Message } from '../i18n/index.js';
import { parseImageReference, parseRegistry } from '../core/reference.js';
import { VERSION } from '../core/version.js';
import { sanitizeLine } from '../text/sanitize.js';
import { shellJoin } from '../text/shell.js';
import {
  ASSUMED_CONTAINERD,
  criPullMode,
  effectiveConfigPath,
  hostDirRoots,
  transferListRoot,
  loadContainerdConfig,
  parseSemver,
  registrySectionFor,
} from '../runtime/containerd-config.js';
import { parseDockerConfig } from '../runtime/credential-match.js';
import { readK3s } from '../runtime/k3s-node.js';
import { KUBELET_CONFIG_JSON, KUBELET_DOCKERCFG } from '../../checks/auth-files.js';
import { diagnose as realDiagnose, type DiagnoseParams, type DiagnosisResult } from './diagnose.js';

/** How a registry came to be configured on this node. */
export type AuditSourceKind =
  'hosts-toml' | 'certs-dir' | 'legacy-mirror' | 'legacy-config' | 'legacy-auths' | 'registries-yaml' | 'auth-file' | 'cluster';

export interface AuditSource {
  kind: AuditSourceKind;
  /** The file, directory, table or pod that names the registry. */
  where: string;
}

export interface AuditCandidate {
  /** Registry host[:port] as it keys hosts.toml directories and auth entries. */
  host: string;
  /** Images of this registry running on the node (cluster access only), first one diagnosed. */
  images: string[];
  sources: AuditSource[];
}

export interface Discovery {
  candidates: AuditCandidate[];
  /** What was looked at, and names that were skipped (not registry hosts, wildcards, `_default`). */
  notes: string[];
  /** `notes` as catalogue messages, one for each (rendered in the reader's language). */
  noteMessages: Message[];
}

const isTable = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `host[:port]` of an auth-file key or legacy table key (scheme and path dropped), or undefined when not a host. */
export function registryOfKey(key: string): string | undefined {
  const s = key.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const host = s.split('/')[0] ?? '';
  if (!host || /[*?]/.test(host)) return undefined;
  try {
    return parseRegistry(host).name;
  } catch {
    return undefined;
  }
}

/** A certs.d directory name as the host it configures (`reg_5000_` → `reg:5000`), or undefined. */
export function hostOfDir(name: string): string | undefined {
  if (name === '_default') return undefined;
  const m = name.match(/^(.+)_(\d+)_$/);
  return registryOfKey(m ? `${m[1]}:${m[2]}` : name);
}

class Collector {
  private readonly byHost = new Map<string, AuditCandidate>();
  readonly notes: string[] = [];
  readonly noteMessages: Message[] = [];

  note(m: Message) {
    this.notes.push(messageIn('en', m));
    this.noteMessages.push(m);
  }

  add(host: string, source: AuditSource, image?: string) {
    let c = this.byHost.get(host);
    if (!c) {
      c = { host, images: [], sources: [] };
      this.byHost.set(host, c);
    }
    if (!c.sources.some((s) => s.kind === source.kind && s.where === source.where)) c.sources.push(source);
    if (image && !c.images.includes(image)) c.images.push(image);
  }

  result(): Discovery {
    return {
      candidates: [...this.byHost.values()].sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : 0)),
      notes: this.notes,
      noteMessages: this.noteMessages,
    };
  }
}

/** Registries configured in the node's files (containerd config, host directories, kubelet auth files). */
export async function discoverNodeRegistries(fs: FsAdapter, o: { containerdVersion?: string } = {}): Promise<Discovery> {
  const out = new Collector();
  const version = parseSemver(o.containerdVersion) ?? parseSemver(ASSUMED_CONTAINERD)!;
  // k3s / RKE2: containerd reads the config.toml and certs.d that k3s renders from registries.yaml
  const k3s = await readK3s(fs).catch(() => undefined);
  const loaded = await loadContainerdConfig(fs, k3s?.layout.configToml);
  const section = registrySectionFor(loaded, version);
  const configured = effectiveConfigPath(section.table, version, loaded.version);
  const roots = configured.length || !k3s ? configured : [k3s.layout.certsDir];
  // containerd 2.1+'s transfer service takes a config_path list as ONE directory (hostDirRoots): the list's
  // directories are still listed (each names a registry someone configured) but marked as not read
  const mode = criPullMode(loaded, version);
  const unreadList = transferListRoot(mode, hostDirRoots(section.table, version, loaded.version, mode));
  if (k3s) {
    const file = k3s.layout.registriesYaml;
    for (const [table, keys] of [
      ['mirrors', Object.keys(k3s.registries?.mirrors ?? {})],
      ['configs', Object.keys(k3s.registries?.configs ?? {})],
    ] as const) {
      for (const key of keys) {
        const host = key === '*' ? undefined : registryOfKey(key);
        if (host) out.add(host, { kind: 'registries-yaml', where: `${file} ${table}."${key}"` });
        else out.note(msg('node.audit.note.notHost', { where: `${file} ${table}.${JSON.stringify(sanitizeLine(key))}` }));
      }
    }
    if (k3s.registriesError) out.note(msg('node.audit.note.problem', { file, why: sanitizeLine(k3s.registriesError) }));
  }
  const where = `${loaded.file} [${section.path.map((p) => (p.includes('.') ? `"${p}"` : p)).join('.')}]`;
  if (!loaded.exists) out.note(msg('node.audit.note.missing', { file: loaded.file }));
  for (const p of loaded.problems) out.note(msg('node.audit.note.problem', { file: p.file, why: p.message }));

  // host directories: the ones containerd reads, and /etc/containerd/certs.d when config_path is unset (ignored then)
  const dirs = roots.length ? roots : [k3s?.layout.certsDir ?? '/etc/containerd/certs.d'];
  for (const root of dirs) {
    const names = await fs.readdir(root).catch(() => [] as string[]);
    for (const name of names.sort()) {
      const dir = `${root.replace(/(?<!\/)\/+$/, '')}/${name}`;
      const st = await fs.stat(dir).catch(() => undefined);
      if (!st?.isDirectory) continue;
      if (name === '_default') {
        out.note(msg('node.audit.note.default', { dir }));
        continue;
      }
      const host = hostOfDir(name);
      if (!host) {
        out.note(msg('node.audit.note.notHostName', { dir: sanitizeLine(dir) }));
        continue;
      }
      const files = await fs.readdir(dir).catch(() => [] as string[]);
      const read = !roots.length
        ? ' (config_path is not set: containerd does not read it)'
        : unreadList
          ? ` (containerd ${version.major}.${version.minor}.${version.patch} pulls through the transfer service, which reads config_path "${sanitizeLine(unreadList)}" as one directory: it does not read this one)`
          : '';
      out.add(
        host,
        files.includes('hosts.toml')
          ? { kind: 'hosts-toml', where: `${dir}/hosts.toml${read}` }
          : { kind: 'certs-dir', where: `${dir}${read}` },
      );
    }
  }

  // legacy tables of config.toml
  const t = section.table ?? {};
  const legacy: [string, AuditSourceKind][] = [
    ['mirrors', 'legacy-mirror'],
    ['configs', 'legacy-config'],
    ['auths', 'legacy-auths'],
  ];
  for (const [table, kind] of legacy) {
    const v = t[table];
    if (!isTable(v)) continue;
    for (const key of Object.keys(v)) {
      const host = registryOfKey(key);
      if (!host) {
        out.note(msg('node.audit.note.notHost', { where: `${where}.${table}.${JSON.stringify(sanitizeLine(key))}` }));
        continue;
      }
      const sub = isTable(v[key]) ? Object.keys(v[key] as object).filter((k) => isTable((v[key] as Record<string, unknown>)[k])) : [];
      out.add(host, { kind, where: `${where}.${table}."${key}"${table === 'configs' && sub.length ? ` (${sub.join(', ')})` : ''}` });
    }
  }

  // kubelet's node auth files (every one of them: each configures credentials, whichever kubelet reads first)
  for (const [list, legacyFormat] of [
    [KUBELET_CONFIG_JSON, false],
    [KUBELET_DOCKERCFG, true],
  ] as const) {
    for (const file of list) {
      const text = await fs.readText(file, 4 << 20).catch(() => undefined);
      if (text === undefined) continue;
      const parsed = parseDockerConfig(text, legacyFormat);
      if (parsed.error) {
        out.note(msg('node.audit.note.invalidJson', { file }));
        continue;
      }
      for (const e of parsed.entries) {
        const host = registryOfKey(e.key);
        if (host) out.add(host, { kind: 'auth-file', where: file });
        else out.note(msg('node.audit.note.keyNotHost', { file, key: JSON.stringify(sanitizeLine(e.key)) }));
      }
    }
  }
  return out.result();
}

interface PodLike {
  metadata?: { name?: string; namespace?: string };
  spec?: {
    nodeName?: string;
    containers?: { image?: string }[];
    initContainers?: { image?: string }[];
    ephemeralContainers?: { image?: string }[];
  };
}

/** Registries of the images of the pods bound to `node` (through kubectl). Failures are notes, never fatal. */
export async function discoverClusterRegistries(
  kube: KubeAdapter,
  node: string,
  signal?: AbortSignal,
): Promise<{ found: { host: string; image: string; pod: string }[]; notes: string[]; noteMessages: Message[] }> {
  const found: { host: string; image: string; pod: string }[] = [];
  const noteMessages: Message[] = [];
  const r = await kube.list<PodLike>('pods', { allNamespaces: true, fieldSelector: `spec.nodeName=${node}`, signal }, (pod) => {
    const pname = `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
    const s = pod.spec ?? {};
    for (const c of [...(s.containers ?? []), ...(s.initContainers ?? []), ...(s.ephemeralContainers ?? [])]) {
      if (typeof c?.image !== 'string') continue;
      try {
        const ref = parseImageReference(c.image);
        found.push({ host: ref.domain, image: ref.normalized, pod: pname });
      } catch {
        noteMessages.push(msg('node.audit.note.invalidRef', { pod: sanitizeLine(pname), image: JSON.stringify(sanitizeLine(c.image)) }));
      }
    }
  });
  if (!r.ok) noteMessages.push(msg('node.audit.note.clusterFailed', { node: sanitizeLine(node), why: sanitizeLine(r.message) }));
  else
    noteMessages.push(
      msg(r.value.items === 1 ? 'node.audit.note.cluster.one' : 'node.audit.note.cluster.other', {
        n: r.value.items,
        node: sanitizeLine(node),
        via: kube.describe(),
      }),
    );
  return { found, notes: noteMessages.map((m) => messageIn('en', m)), noteMessages };
}

// ----------------------------------------------------------------------------------------------------- running

export interface AuditOptions {
  run: RunOptions;
  /** Diagnoses at once. */
  parallel: number;
  /** Bound for one registry's diagnosis. */
  registryTimeoutMs: number;
  /** Bound for the whole audit: registries not finished by then are reported as not diagnosed. */
  totalTimeoutMs: number;
  /** Node name for the cluster's pods (default: this machine's host name). */
  node?: string;
}

export interface AuditEntry {
  host: string;
  /** What was diagnosed: an image running on the node when known, else the registry host. */
  target: string;
  sources: AuditSource[];
  state: 'diagnosed' | 'timeout' | 'cancelled' | 'error';
  verdict: { code: string; severity: string; title: string; summary: string; summaryMessage?: Message };
  /** Warning codes on this registry (a healthy verdict can carry them). */
  warnings: string[];
  /** Error and critical codes. */
  problems: string[];
  /** The certificate of the presented chain that expires first. */
  expiry?: { notAfter: string; daysLeft: number; subject: string };
  /** `regdoctor fix --harden …` when a warning has an automatic hardening. */
  harden?: string;
  durationMs: number;
  report?: Report;
}

export interface AuditDocument {
  schema: 'regdoctor/audit@1';
  tool: { name: 'regdoctor'; version: string };
  generatedAt: string;
  node: { name: string; root: string };
  durationMs: number;
  /** True when the total time bound (or Ctrl-C) stopped the audit before every registry was diagnosed. */
  incomplete: boolean;
  limits: { parallel: number; registryTimeoutMs: number; totalTimeoutMs: number };
  summary: { registries: number; healthy: number; withWarnings: number; problems: number; notDiagnosed: number };
  registries: AuditEntry[];
  notes: string[];
  /** `notes` as catalogue messages, one for each (views and exports print them in the reader's language). */
  noteMessages?: Message[];
}

export interface AuditDeps {
  adapters: Adapters;
  diagnose?: (p: DiagnoseParams) => Promise<DiagnosisResult>;
  now?: () => number;
  signal?: AbortSignal;
  /** Called once discovery is done, with the hosts in the order of the result (live output). */
  onStart?: (hosts: string[]) => void;
  /** Called as each registry finishes (live output). */
  onEntry?: (e: AuditEntry, done: number, total: number) => void;
}

/** A warning `fix --harden` can remove: skip-verify where a CA (or nothing) makes the certificate verify, legacy
 *  mirrors / configs.tls (credentials in configs.auth / auths stay: they move to kubelet by hand). */
function hardenable(f: Report['findings'][number]): boolean {
  if (f.host) return false;
  if (f.code === 'verification-disabled') return !['name-mismatch', 'other'].includes(String(f.data?.certificate ?? ''));
  if (f.code === 'config-deprecated') {
    const tables = Array.isArray(f.data?.tables) ? (f.data.tables as unknown[]).map(String) : [];
    return tables.some((t) => t.startsWith('mirrors.') || t.endsWith('.tls'));
  }
  return false;
}

function entryFromReport(c: AuditCandidate, target: string, report: Report, durationMs: number): AuditEntry {
  const warnings = [...new Set(report.findings.filter((f) => f.severity === 'warning').map((f) => f.code))];
  const problems = [...new Set(report.findings.filter((f) => f.severity === 'error' || f.severity === 'critical').map((f) => f.code))];
  let expiry: AuditEntry['expiry'];
  const now = Date.parse(report.generatedAt);
  for (const cert of report.chain ?? []) {
    const t = Date.parse(cert.notAfter);
    if (!Number.isFinite(t)) continue;
    if (!expiry || t < Date.parse(expiry.notAfter))
      expiry = { notAfter: cert.notAfter, daysLeft: Math.floor((t - now) / 86_400_000), subject: cert.subject };
  }
  const state: AuditEntry['state'] = report.cancelled ? 'timeout' : 'diagnosed';
  return {
    host: c.host,
    target,
    sources: c.sources,
    state,
    verdict: {
      code: report.verdict.code,
      severity: report.verdict.severity,
      title: report.verdict.title,
      summary: report.verdict.summary,
      ...(report.verdict.summaryMessage ? { summaryMessage: report.verdict.summaryMessage } : {}),
    },
    warnings,
    problems,
    ...(expiry ? { expiry } : {}),
    ...(report.findings.some(hardenable)
      ? { harden: shellJoin(['regdoctor', 'fix', '--harden', c.images[0] ?? `${c.host}/REPOSITORY:TAG`]) }
      : {}),
    durationMs,
    report,
  };
}

function notDiagnosed(c: AuditCandidate, target: string, state: AuditEntry['state'], why: Message, durationMs = 0): AuditEntry {
  return {
    host: c.host,
    target,
    sources: c.sources,
    state,
    verdict: { code: 'unknown', severity: 'warning', title: 'not diagnosed', summary: messageIn('en', why), summaryMessage: why },
    warnings: [],
    problems: [],
    durationMs,
  };
}

/** Runs `fn` over `items` with at most `limit` at once; stops starting new ones once `stop()` is true. */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (t: T, i: number) => Promise<R>,
  stop: () => boolean,
  skipped: (t: T) => R,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      out[i] = stop() ? skipped(items[i]!) : await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

/** Discovers and diagnoses every configured registry. */
export async function runAudit(o: AuditOptions, deps: AuditDeps): Promise<AuditDocument> {
  const now = deps.now ?? Date.now;
  const started = now();
  const fs = deps.adapters.fs;
  const disc = await discoverNodeRegistries(fs, { containerdVersion: o.run.containerdVersion });
  const notes = [...disc.notes];
  const noteMessages = [...disc.noteMessages];
  const nodeName = o.node ?? osHostname();
  const byHost = new Map(disc.candidates.map((c) => [c.host, c]));
  if (o.run.useKube) {
    const cl = await discoverClusterRegistries(deps.adapters.kube, nodeName, deps.signal);
    notes.push(...cl.notes);
    noteMessages.push(...cl.noteMessages);
    for (const f of cl.found) {
      let c = byHost.get(f.host);
      if (!c) {
        c = { host: f.host, images: [], sources: [] };
        byHost.set(f.host, c);
      }
      if (!c.images.includes(f.image)) c.images.push(f.image);
      if (
        !c.sources.some((s) => s.kind === 'cluster' && s.where === `pod ${f.pod}`) &&
        c.sources.filter((s) => s.kind === 'cluster').length < 3
      )
        c.sources.push({ kind: 'cluster', where: `pod ${f.pod}` });
    }
  }
  const candidates = [...byHost.values()].sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : 0));
  deps.onStart?.(candidates.map((c) => c.host));
  const deadline = started + o.totalTimeoutMs;
  const total = new AbortController();
  const timer = setTimeout(() => total.abort(new Error('audit time bound reached')), o.totalTimeoutMs);
  const onOuter = () => total.abort(deps.signal?.reason);
  deps.signal?.addEventListener('abort', onOuter, { once: true });
  const diagnose = deps.diagnose ?? realDiagnose;
  let done = 0;
  const targetOf = (c: AuditCandidate): { input: string; target: Target } => {
    const input = c.images[0] ?? c.host;
    if (c.images[0]) {
      const image = parseImageReference(c.images[0]);
      return { input, target: { input, kind: 'image', image, registry: parseRegistry(c.host) } };
    }
    return { input, target: { input, kind: 'registry', registry: parseRegistry(c.host) } };
  };
  try {
    const entries = await mapBounded(
      candidates,
      o.parallel,
      async (c) => {
        const t0 = now();
        const { input, target } = targetOf(c);
        const left = deadline - t0;
        let entry: AuditEntry;
        if (left <= 0) entry = notDiagnosed(c, input, 'timeout', msg('node.audit.notStarted.bound', { ms: o.totalTimeoutMs }));
        else {
          try {
            const timeoutMs = Math.max(1, Math.min(o.registryTimeoutMs, left));
            const r = await diagnose({
              target,
              options: { ...o.run, timeoutMs, probeTimeoutMs: Math.min(o.run.probeTimeoutMs, timeoutMs) },
              adapters: deps.adapters,
              signal: total.signal,
            });
            entry = entryFromReport(c, input, r.report, now() - t0);
            if (r.report.cancelled && deps.signal?.aborted) entry.state = 'cancelled';
          } catch (err) {
            entry = notDiagnosed(c, input, 'error', msg('node.audit.failed', { why: sanitizeLine((err as Error).message) }), now() - t0);
          }
        }
        deps.onEntry?.(entry, ++done, candidates.length);
        return entry;
      },
      () => total.signal.aborted,
      (c) => {
        const e = notDiagnosed(
          c,
          targetOf(c).input,
          deps.signal?.aborted ? 'cancelled' : 'timeout',
          deps.signal?.aborted ? msg('node.audit.notStarted.interrupted') : msg('node.audit.notStarted.bound', { ms: o.totalTimeoutMs }),
        );
        deps.onEntry?.(e, ++done, candidates.length);
        return e;
      },
    );
    const healthy = entries.filter((e) => e.state === 'diagnosed' && e.verdict.code === 'healthy');
    const doc: AuditDocument = {
      schema: 'regdoctor/audit@1',
      tool: { name: 'regdoctor', version: VERSION },
      generatedAt: new Date(started).toISOString(),
      node: { name: nodeName, root: o.run.root },
      durationMs: now() - started,
      incomplete: entries.some((e) => e.state !== 'diagnosed'),
      limits: { parallel: o.parallel, registryTimeoutMs: o.registryTimeoutMs, totalTimeoutMs: o.totalTimeoutMs },
      summary: {
        registries: entries.length,
        healthy: healthy.filter((e) => e.warnings.length === 0).length,
        withWarnings: healthy.filter((e) => e.warnings.length > 0).length,
        problems: entries.filter((e) => e.state === 'diagnosed' && e.verdict.code !== 'healthy').length,
        notDiagnosed: entries.filter((e) => e.state !== 'diagnosed').length,
      },
      registries: entries,
      notes,
      noteMessages,
    };
    if (entries.length === 0) {
      const none = msg('node.audit.note.none');
      notes.push(messageIn('en', none));
      noteMessages.push(none);
    }
    return doc;
  } finally {
    clearTimeout(timer);
    deps.signal?.removeEventListener('abort', onOuter);
  }
}

/** Exit code: 0 every registry healthy (warnings allowed unless strict), 1 otherwise. */
export function auditExitCode(doc: AuditDocument, strict = false): 0 | 1 {
  if (doc.incomplete) return 1;
  return doc.registries.every((e) => e.verdict.code === 'healthy' && (!strict || e.warnings.length === 0)) ? 0 : 1;
}
