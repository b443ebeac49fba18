// runtime-drift: configuration the running runtime has not loaded — config.toml or the system CA bundle changed
// after containerd started (it reads both only at start), or the registry config containerd reports over CRI differs
// from the file. Emits: config-not-applied.
import type { Check, CheckOutcome, FindingInput } from '../src/core/types.js';

export interface DriftInput {
  startedAt?: string;
  files: { path: string; mtimeMs?: number; what: string }[];
  /** Registry config from config.toml (effective table). */
  fileRegistry?: { configPath?: string; mirrors: string[]; configs: string[] };
  /** Registry config containerd reports as loaded (CRI Status verbose info). */
  loadedRegistry?: { configPath?: string; mirrors: string[]; configs: string[] };
  /** What restarts the runtime (k3s/RKE2: the service that renders and starts containerd). */
  restart?: { service: string; what: string };
}

/** Pure judge. */
export function judgeDrift(d: DriftInput): { findings: FindingInput[]; evidence: string[] } {
  const findings: FindingInput[] = [];
  const evidence: string[] = [];
  const restart = d.restart
    ? `Restart ${d.restart.what} (systemctl restart ${d.restart.service})`
    : 'Restart containerd (systemctl restart containerd)';
  const started = d.startedAt ? Date.parse(d.startedAt) : NaN;
  if (Number.isFinite(started)) {
    evidence.push(`containerd started ${d.startedAt}`);
    for (const f of d.files) {
      if (f.mtimeMs === undefined) continue;
      if (f.mtimeMs > started + 1000) {
        findings.push({
          code: 'config-not-applied',
          summary: `${f.path} changed at ${new Date(f.mtimeMs).toISOString()}, after containerd started (${d.startedAt}): ${f.what} ${restart} for the change to apply.`,
          evidence: [`${f.path} modified ${new Date(f.mtimeMs).toISOString()}`, `containerd started ${d.startedAt}`],
          data: { file: f.path },
        });
      } else evidence.push(`${f.path} unchanged since containerd started`);
    }
  } else evidence.push('start time of the running containerd unknown: file changes cannot be compared');
  if (d.fileRegistry && d.loadedRegistry) {
    const diffs: string[] = [];
    const a = d.fileRegistry;
    const b = d.loadedRegistry;
    if ((a.configPath ?? '') !== (b.configPath ?? ''))
      diffs.push(`config_path: file "${a.configPath ?? ''}" vs loaded "${b.configPath ?? ''}"`);
    const set = (x: string[]) => [...x].sort().join(',');
    if (set(a.mirrors) !== set(b.mirrors)) diffs.push(`mirrors: file [${a.mirrors.join(', ')}] vs loaded [${b.mirrors.join(', ')}]`);
    if (set(a.configs) !== set(b.configs)) diffs.push(`configs: file [${a.configs.join(', ')}] vs loaded [${b.configs.join(', ')}]`);
    if (diffs.length) {
      findings.push({
        code: 'config-not-applied',
        summary: `The registry configuration containerd is running with differs from config.toml (${diffs.join('; ')}): containerd was not restarted after the edit.${d.restart ? ` ${restart}.` : ''}`,
        evidence: diffs,
      });
    } else evidence.push('the registry configuration containerd reports matches config.toml');
  }
  return { findings, evidence };
}

function registryOf(t: unknown): DriftInput['fileRegistry'] {
  const r = (t ?? {}) as Record<string, unknown>;
  const keys = (x: unknown) => (x && typeof x === 'object' ? Object.keys(x as object) : []);
  const cp = (r.config_path ?? r.configPath) as string | undefined;
  return { configPath: cp || undefined, mirrors: keys(r.mirrors), configs: keys(r.configs) };
}

export const runtimeDriftCheck: Check<'runtime-drift'> = {
  id: 'runtime-drift',
  title: 'Configuration applied by the running runtime',
  needs: [],
  wants: ['runtime-info', 'containerd-config', 'cri-pull'],
  timeoutMs: 5_000,
  skipIf(ctx) {
    if (ctx.adapters.fs.root !== '/' && !ctx.options.liveRoot) return 'offline analysis (--root): no running runtime';
    return undefined;
  },
  async run(ctx): Promise<CheckOutcome<undefined>> {
    const rt = ctx.maybeFacts('runtime-info');
    const cfg = ctx.maybeFacts('containerd-config');
    const pull = ctx.maybeFacts('cri-pull');
    const files: DriftInput['files'] = [];
    if (cfg?.exists) files.push({ path: cfg.file, mtimeMs: cfg.mtimeMs, what: 'containerd reads config.toml only when it starts.' });
    for (const bundle of ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt']) {
      const st = await ctx.adapters.fs.stat(bundle).catch(() => undefined);
      if (st) {
        files.push({
          path: bundle,
          mtimeMs: st.mtimeMs,
          what: 'Go loads the system CA bundle once per process, so a CA added since is not trusted yet.',
        });
        break;
      }
    }
    const loaded = pull?.loadedConfig as { registry?: unknown } | undefined;
    const { findings, evidence } = judgeDrift({
      startedAt: rt?.startedAt,
      files,
      fileRegistry: cfg && loaded?.registry ? cfg.registrySummary : undefined,
      loadedRegistry: loaded?.registry ? registryOf(loaded.registry) : undefined,
      restart: cfg?.k3s ? { service: cfg.k3s.service, what: cfg.k3s.flavour } : undefined,
    });
    return {
      summary: findings.length ? findings[0]!.summary.split(':')[0]! : 'the running runtime has the current configuration',
      evidence,
      findings,
    };
  },
};
