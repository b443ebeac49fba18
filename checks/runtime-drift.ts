// runtime-drift: configuration the running runtime has not loaded — config.toml or the system CA bundle changed
// after containerd started (it reads both only at start), or the registry config containerd reports over CRI differs
// from the file. When it differs, the pull is modelled both ways (as containerd runs, as the file on disk says): if
// only the restart stands between the node and a working pull, that is the cause. Emits: config-not-applied.
import type { Check, CheckContext, CheckOutcome, FindingInput } from '../src/core/types.js';
import type { EffectiveEndpoint } from '../src/core/runtime-config.js';
import type { ContainerdConfigFacts } from '../src/facts/containerd-config.js';
import {
  ASSUMED_CONTAINERD,
  criPullMode,
  hostsTomlRules,
  loadContainerdConfig,
  loadedFromCriStatus,
  parseSemver,
  resolveOnNode,
  type ResolvedConfig,
} from '../src/runtime/containerd-config.js';
import { modelPull, type ModelPull } from '../src/runtime/pull-outcome.js';
import { probeScope } from '../src/probe/endpoint.js';
import { messageIn, msg, summaryOf, type Message } from '../src/i18n/index.js';
import { joinMessages } from '../src/i18n/node-join.js';
import { evidence, type EvidenceLines, type EvidenceOut } from '../src/i18n/evidence.js';

export interface DriftInput {
  startedAt?: string;
  /** The daemon whose start time this is (the one behind the CRI socket: runtime-info). */
  pid?: number;
  files: { path: string; mtimeMs?: number; what: string; whatMessage?: Message }[];
  /** Registry config from config.toml (effective table). */
  fileRegistry?: { configPath?: string; mirrors: string[]; configs: string[] };
  /** Registry config containerd reports as loaded (CRI Status verbose info). */
  loadedRegistry?: { configPath?: string; mirrors: string[]; configs: string[] };
  /** What restarts the runtime (k3s/RKE2: the service that renders and starts containerd). */
  restart?: { service: string; what: string };
}

const whatOf = (m: Message) => ({ what: messageIn('en', m), whatMessage: m });

/** A check summary from its first finding: the finding's first clause, with the message whose English is exactly that
 *  clause when the finding's message has one (a head), else the English alone. */
export function firstClause(f: FindingInput): { summary: string; summaryMessage?: Message } {
  const summary = f.summary.split(': ')[0]!;
  const head = f.summaryMessage?.params?.head;
  return typeof head === 'object' && messageIn('en', head) === summary ? { summary, summaryMessage: head } : { summary };
}

/** Pure judge. */
export function judgeDrift(d: DriftInput): { findings: FindingInput[] } & EvidenceOut {
  const findings: FindingInput[] = [];
  const ev = evidence();
  const restart = msg('node.drift.restart', {
    what: d.restart?.what ?? 'containerd',
    command: `systemctl restart ${d.restart?.service ?? 'containerd'}`,
  });
  const started = d.startedAt ? Date.parse(d.startedAt) : NaN;
  if (Number.isFinite(started)) {
    ev.say('evidence.drift.started', { time: String(d.startedAt), pid: d.pid ? ` (pid ${d.pid})` : '' });
    for (const f of d.files) {
      if (f.mtimeMs === undefined) continue;
      if (f.mtimeMs > started + 1000) {
        findings.push({
          code: 'config-not-applied',
          ...summaryOf('node.drift.changed', {
            head: msg('node.drift.changedHead', { file: f.path, time: new Date(f.mtimeMs).toISOString(), started: String(d.startedAt) }),
            what: f.whatMessage ?? f.what,
            restart,
          }),
          ...evidence()
            .say('evidence.drift.modified', { file: f.path, time: new Date(f.mtimeMs).toISOString() })
            .say('evidence.drift.started', { time: String(d.startedAt), pid: '' })
            .out(),
          data: { file: f.path },
        });
      } else ev.say('evidence.drift.unchanged', { file: f.path });
    }
  } else ev.say('evidence.drift.unknownStart');
  if (d.fileRegistry && d.loadedRegistry) {
    const diffMessages: Message[] = [];
    const a = d.fileRegistry;
    const b = d.loadedRegistry;
    if ((a.configPath ?? '') !== (b.configPath ?? ''))
      diffMessages.push(
        msg('node.drift.diff', { table: 'config_path', file: `"${a.configPath ?? ''}"`, loaded: `"${b.configPath ?? ''}"` }),
      );
    const set = (x: string[]) => [...x].sort().join(',');
    if (set(a.mirrors) !== set(b.mirrors))
      diffMessages.push(
        msg('node.drift.diff', { table: 'mirrors', file: `[${a.mirrors.join(', ')}]`, loaded: `[${b.mirrors.join(', ')}]` }),
      );
    if (set(a.configs) !== set(b.configs))
      diffMessages.push(
        msg('node.drift.diff', { table: 'configs', file: `[${a.configs.join(', ')}]`, loaded: `[${b.configs.join(', ')}]` }),
      );
    const diffs = diffMessages.map((m) => messageIn('en', m));
    if (diffs.length) {
      findings.push({
        code: 'config-not-applied',
        ...summaryOf('finding.drift.differs', {
          diffs: joinMessages(diffMessages, 'node.list.semi'),
          restart: d.restart ? msg('finding.drift.restartSentence', { restart }) : '',
        }),
        ...evidence({ evidence: diffs, evidenceMessages: diffMessages }).out(),
        data: { registryDiff: true },
      });
    } else ev.say('evidence.drift.matches');
  }
  return { findings, ...ev.out() };
}

function registryOf(t: unknown): DriftInput['fileRegistry'] {
  const r = (t ?? {}) as Record<string, unknown>;
  const keys = (x: unknown) => (x && typeof x === 'object' ? Object.keys(x as object) : []);
  const cp = (r.config_path ?? r.configPath) as string | undefined;
  return { configPath: cp || undefined, mirrors: keys(r.mirrors), configs: keys(r.configs) };
}

/** What decides a pull in an effective configuration (endpoint order, scheme, TLS material, headers). */
function endpointKey(eps: EffectiveEndpoint[]): string {
  return JSON.stringify(eps.map((e) => [e.url, e.capabilities, e.tls, e.headers, e.httpFallback]));
}

function endpointLines(ev: EvidenceLines, label: Message, r: ResolvedConfig): EvidenceLines {
  r.effective.endpoints.forEach((e, i) =>
    ev.say('evidence.drift.endpoint', {
      label,
      n: i + 1,
      url: e.url,
      tls: `${e.tls.caFiles.length ? ` ca=${e.tls.caFiles.join(',')}` : ''}${e.tls.clientPairs.length ? ` client=${e.tls.clientPairs.map((c) => c.cert).join(',')}` : ''}${e.tls.skipVerify ? ' skip_verify' : ''}`,
      source: e.sourceMessage ?? e.source,
    }),
  );
  return ev;
}

export interface RunningModel {
  /** The pull as containerd runs now (config.toml as loaded at start, certs.d as it is: re-read on every pull). */
  now: ModelPull;
  /** The pull after a restart (config.toml as it is on disk). */
  onDisk: ModelPull;
  evidence: string[];
  evidenceMessages?: (Message | null)[];
}

/** The model's endpoints, then the pull as containerd runs and after a restart. */
function bothWays(m: RunningModel, file: string): EvidenceOut {
  return evidence(m)
    .say('evidence.drift.asRuns', { what: m.now.whatMessage ?? m.now.what })
    .say('evidence.drift.afterRestart', { file, what: m.onDisk.whatMessage ?? m.onDisk.what })
    .out();
}

/**
 * Pure judge: a restart-only cause when the pull fails as containerd runs and works with the file on disk (the
 * verdict, with containerd's error as the prediction); a warning when a restart would break a working pull.
 */
export function judgeRunningModel(m: RunningModel, file: string, restart: string | Message): FindingInput | undefined {
  if (!m.now.ok && m.onDisk.ok) {
    return {
      code: 'config-not-applied',
      severity: 'error',
      ...summaryOf('finding.drift.restartOnly', { now: m.now.whatMessage ?? m.now.what, file, restart }),
      ...bothWays(m, file),
      predictedRuntimeError: m.now.criError,
      data: { file, restartOnly: true },
    };
  }
  if (m.now.ok && !m.onDisk.ok) {
    return {
      code: 'config-not-applied',
      severity: 'warning',
      ...summaryOf('finding.drift.wouldBreak', { file, onDisk: m.onDisk.whatMessage ?? m.onDisk.what }),
      ...bothWays(m, file),
      predictedRuntimeError: m.onDisk.criError,
      data: { file, breaksOnRestart: true },
    };
  }
  return undefined;
}

/** The running containerd's registry table (CRI Status), or undefined when it cannot be read. */
async function loadedRegistry(ctx: CheckContext, fromPull: Record<string, unknown> | undefined): Promise<unknown> {
  if (fromPull) return fromPull.registry;
  const info = await ctx.adapters.cri
    .detect({ endpoint: ctx.options.runtimeEndpoint, timeoutMs: Math.min(3000, ctx.options.probeTimeoutMs), signal: ctx.signal })
    .catch(() => undefined);
  if (!info || 'error' in info || !/containerd/i.test(info.runtimeName) || !info.info.config) return undefined;
  try {
    return (JSON.parse(info.info.config) as { registry?: unknown }).registry;
  } catch {
    return undefined;
  }
}

/** Models the pull both ways when the registry configuration containerd runs with differs from the file for this host. */
async function runningModel(ctx: CheckContext, cfg: ContainerdConfigFacts, registry: unknown): Promise<RunningModel | undefined> {
  const image = ctx.target.image;
  const runningLoaded = loadedFromCriStatus(registry, cfg.file);
  if (!image || !runningLoaded || !cfg.exists) return undefined;
  const fs = ctx.adapters.fs;
  const version = parseSemver(cfg.containerdVersion) ?? parseSemver(ASSUMED_CONTAINERD)!;
  // The pull mode (containerd 2.1+: transfer service or local pull, which decides whether a config_path list is split)
  // comes from settings outside the registry table, which the CRI status does not carry: both ways take the file's
  // (criPullMode, the answer containerd-config uses), so they differ only by the registry table. containerd 2.x
  // reports no registry table in its CRI status at all (internal/cri/config/config.go Config embeds RuntimeConfig
  // only, v2.0.0–v2.2.0; status.go marshals it), so on a node where the mode matters there is nothing to compare.
  const onFile = await loadContainerdConfig(fs, cfg.file);
  const mode = criPullMode(onFile, version);
  const [running, disk] = await Promise.all([
    resolveOnNode(fs, runningLoaded, ctx.target.registry, version, !cfg.versionAssumed, mode),
    resolveOnNode(fs, onFile, ctx.target.registry, version, !cfg.versionAssumed, mode),
  ]);
  const fatal = (r: ResolvedConfig) =>
    r.findings.map((f) => (f.data?.pluginNotLoaded ? 'plugin' : typeof f.data?.resolverError === 'string' ? f.data.resolverError : ''));
  if (
    endpointKey(running.effective.endpoints) === endpointKey(disk.effective.endpoints) &&
    JSON.stringify(fatal(running)) === JSON.stringify(fatal(disk))
  )
    return undefined;
  const scope = { ...probeScope(ctx, ctx.maybeFacts('runtime-info')), walk: cfg.versionAssumed ? undefined : hostsTomlRules(version).walk };
  const [now, onDisk] = await Promise.all([modelPull(scope, image, running), modelPull(scope, image, disk)]);
  const ev = endpointLines(endpointLines(evidence(), msg('evidence.drift.labelRuns'), running), msg('evidence.drift.labelDisk'), disk);
  return { now, onDisk, ...ev.out() };
}

export const runtimeDriftCheck: Check<'runtime-drift'> = {
  id: 'runtime-drift',
  title: 'Configuration applied by the running runtime',
  needs: [],
  wants: ['runtime-info', 'containerd-config', 'cri-pull'],
  // the pull is probed both ways only when the running registry configuration differs from the file
  timeoutMs: 20_000,
  skipIf(ctx) {
    if (ctx.adapters.fs.root !== '/' && !ctx.options.liveRoot) return msg('skip.offline');
    return undefined;
  },
  async run(ctx): Promise<CheckOutcome<undefined>> {
    const rt = ctx.maybeFacts('runtime-info');
    const cfg = ctx.maybeFacts('containerd-config');
    const pull = ctx.maybeFacts('cri-pull');
    const files: DriftInput['files'] = [];
    if (cfg?.exists) files.push({ path: cfg.file, mtimeMs: cfg.mtimeMs, ...whatOf(msg('node.drift.configAtStart')) });
    for (const bundle of ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt']) {
      const st = await ctx.adapters.fs.stat(bundle).catch(() => undefined);
      if (st) {
        files.push({
          path: bundle,
          mtimeMs: st.mtimeMs,
          ...whatOf(msg('node.drift.bundleOnce')),
        });
        break;
      }
    }
    const containerd = cfg && (!rt || rt.kind === 'containerd');
    const registry = containerd ? await loadedRegistry(ctx, pull?.loadedConfig) : undefined;
    const restart = cfg?.k3s ? { service: cfg.k3s.service, what: cfg.k3s.flavour } : undefined;
    const judged = judgeDrift({
      startedAt: rt?.startedAt,
      pid: rt?.pid,
      files,
      fileRegistry: cfg && registry ? cfg.registrySummary : undefined,
      loadedRegistry: registry ? registryOf(registry) : undefined,
      restart,
    });
    let findings = judged.findings;
    const ev = evidence(judged);
    const model = cfg && registry ? await runningModel(ctx, cfg, registry) : undefined;
    if (model && cfg) {
      const restartText = msg('node.drift.restartLower', {
        what: restart?.what ?? 'containerd',
        command: `systemctl restart ${restart?.service ?? 'containerd'}`,
      });
      const f = judgeRunningModel(model, cfg.file, restartText);
      if (f) {
        // one finding for config.toml: the modelled one, carrying what the start-time and table comparisons saw
        const same = findings.filter((x) => x.data?.registryDiff === true || x.data?.file === cfg.file);
        Object.assign(f, same.reduce((acc, x) => acc.add(x), evidence(f)).out());
        findings = [f, ...findings.filter((x) => !same.includes(x))];
      } else
        ev.say('evidence.drift.both', {
          now: model.now.whatMessage ?? model.now.what,
          file: cfg.file,
          onDisk: model.onDisk.whatMessage ?? model.onDisk.what,
        });
    }
    return {
      // the first clause ends at ": " — a bare colon is inside a time (T19:28:42) or a host:port
      ...(findings.length ? firstClause(findings[0]!) : summaryOf('node.drift.current')),
      ...ev.out(),
      findings,
    };
  },
};
