// containerd-config: reads /etc/containerd/config.toml (v1/v2/v3, imports) and the hosts.toml that applies, and
// produces the effective registry configuration for the target host. Emits: config-invalid, config-conflict,
// config-ignored (with the log line containerd prints).
import type { Check, CheckOutcome, FindingInput } from '../src/core/types.js';
import type { ContainerdConfigFacts } from '../src/facts/containerd-config.js';
import {
  ASSUMED_CONTAINERD,
  hostsTomlRules,
  loadContainerdConfig,
  parseSemver,
  registryEditFile,
  registrySectionFor,
  registryValueFiles,
  resolveOnNode,
  type ConfigAlternative,
  type TomlProblem,
} from '../src/runtime/containerd-config.js';
import type { EffectiveEndpoint } from '../src/core/runtime-config.js';
import { probeScope, type ProbeScope } from '../src/probe/endpoint.js';
import { predictResolvePullError } from '../src/core/predict.js';
import { criText, describeOutcome, pullOutcome } from '../src/runtime/pull-outcome.js';
import { judgeK3s, readK3s } from '../src/runtime/k3s-node.js';
import { k3sVersionFromCli } from '../src/runtime/k3s.js';
import { msg, summaryOf, textIn, type Message } from '../src/i18n/index.js';
import { evidence as evidenceLines } from '../src/i18n/evidence.js';
import type { HostOutcome } from '../src/probe/endpoint.js';

const describe = describeOutcome;

/**
 * An ignored file decides the verdict only when it changes the outcome: the pull as containerd will do it (with the
 * fallback) is compared with the pull as the file meant it. Same outcome → a warning; the fallback works → a warning
 * that says so; otherwise the ignored file is the cause, with containerd's exact error.
 */
async function judgeAlternatives(
  findings: FindingInput[],
  alternatives: ConfigAlternative[],
  effective: EffectiveEndpoint[],
  scope: ProbeScope,
): Promise<void> {
  const image = scope.target.image;
  if (!image || alternatives.length === 0) return;
  const actual = await pullOutcome(scope, effective);
  for (const alt of alternatives) {
    const f = findings[alt.index];
    if (!f) continue;
    const meant = alt.intended ? await pullOutcome(scope, alt.intended) : undefined;
    const ev = evidenceLines(f).say('evidence.alt.asReads', { outcome: outcomeMessage(actual.outcome) });
    if (meant) ev.say('evidence.alt.meant', { what: alt.what, outcome: outcomeMessage(meant.outcome) });
    Object.assign(f, ev.out());
    if (actual.outcome.kind === 'ok') {
      f.severity = 'warning';
      appendTo(f, 'node.alt.fallbackWorks');
      continue;
    }
    const changes = !meant || meant.outcome.kind !== actual.outcome.kind || describe(meant.outcome) !== describe(actual.outcome);
    if (!changes) {
      f.severity = 'warning';
      appendTo(f, 'node.alt.sameOutcome');
      continue;
    }
    if (actual.outcome.kind === 'error' && actual.endpoint) {
      f.severity = 'critical';
      f.predictedRuntimeError = criText(image, actual.endpoint, actual.outcome);
    }
  }
}

/** describe(o) as a message: regdoctor's words translated, a runtime error as it is. */
function outcomeMessage(o: HostOutcome): Message | string {
  return o.kind === 'ok' ? msg('node.outcome.works') : o.kind === 'not-found' ? msg('node.outcome.notFound') : describe(o);
}

/** `f`'s summary followed by a sentence (its English text and its message alike). */
function appendTo(f: FindingInput, key: 'node.alt.fallbackWorks' | 'node.alt.sameOutcome'): void {
  const m = msg(key, { summary: f.summaryMessage ?? f.summary });
  f.summary = textIn('en', key, { summary: f.summary });
  f.summaryMessage = m;
}

function where(p: TomlProblem): string {
  return p.line ? `${p.file}:${p.line}:${p.column}` : p.file;
}

export const containerdConfigCheck: Check<'containerd-config'> = {
  id: 'containerd-config',
  title: 'containerd registry configuration',
  needs: [],
  wants: ['runtime-info'],
  // probes run only when a hosts.toml is ignored (to tell whether that decides the pull)
  timeoutMs: 30_000,
  async run(ctx): Promise<CheckOutcome<ContainerdConfigFacts>> {
    const fs = ctx.adapters.fs;
    const rt = ctx.maybeFacts('runtime-info');
    if (rt?.kind === 'docker' || rt?.kind === 'cri-o') {
      // The node's runtime is not containerd: its own registry configuration decides.
      const { dockerConfig, crioConfig } = await import('../src/runtime/other-runtimes.js');
      const other = rt.kind === 'docker' ? await dockerConfig(fs, ctx.target.registry) : await crioConfig(fs, ctx.target.registry);
      const e = other.effective.endpoints;
      return {
        ...summaryOf('node.config.otherRuntime', { runtime: rt.kind, endpoints: e.map((x) => x.url).join(', ') }),
        ...evidenceLines(other)
          .raw(
            ...e.map(
              (x, i) =>
                `endpoint ${i + 1}: ${x.url}${x.tls.skipVerify ? ' skip_verify' : ''}${x.tls.caFiles.length ? ` ca=${x.tls.caFiles.join(',')}` : ''} — ${x.source}`,
            ),
          )
          .out(),
        findings: other.findings,
        facts: {
          file: rt.kind === 'docker' ? '/etc/docker/daemon.json' : '/etc/containers/registries.conf',
          exists: true,
          configVersion: 2,
          imports: [],
          containerdVersion: rt.version ?? 'unknown',
          versionAssumed: !rt.version,
          registryTable: [],
          effective: other.effective,
          problems: [],
          logLines: [],
          notes: [],
          registrySummary: { mirrors: [], configs: [] },
          legacyTables: { mirrors: {}, configs: {} },
        },
      };
    }
    const versionText = ctx.options.containerdVersion ?? (rt?.kind === 'containerd' ? rt.version : undefined);
    const version = parseSemver(versionText) ?? parseSemver(ASSUMED_CONTAINERD)!;
    const versionAssumed = versionText === undefined;
    // k3s / RKE2: containerd reads the config.toml and certs.d that k3s renders from registries.yaml.
    const k3s = await readK3s(fs);
    if (k3s?.layout.binaryPath && fs.root === '/') {
      const r = await ctx.adapters.exec
        .run(k3s.layout.binaryPath, ['--version'], { timeoutMs: 3000, signal: ctx.signal })
        .catch(() => undefined);
      if (r?.exitCode === 0) k3s.layout.version = k3sVersionFromCli(r.stdout);
    }
    const loaded = await loadContainerdConfig(fs, k3s?.layout.configToml);
    const findings: FindingInput[] = [];
    const k3sJudged = k3s ? judgeK3s(k3s) : undefined;
    if (k3sJudged) findings.push(...k3sJudged.findings);
    const mainProblem = loaded.problems.find((p) => p.file === loaded.file);
    if (mainProblem && loaded.exists) {
      findings.push({
        code: 'config-invalid',
        ...summaryOf('finding.config.invalid', { where: where(mainProblem), why: mainProblem.message }),
        evidence: [`containerd logs: failed to load TOML: ${loaded.file}: ${mainProblem.message}`],
        data: { file: mainProblem.file, line: mainProblem.line, column: mainProblem.column },
      });
    }
    for (const p of loaded.problems.filter((x) => x.file !== loaded.file)) {
      findings.push({
        code: 'config-invalid',
        ...summaryOf('finding.config.importInvalid', { where: where(p), why: p.message }),
        data: { file: p.file, line: p.line, column: p.column },
      });
    }
    const registry = ctx.target.registry;
    const section = registrySectionFor(loaded, version);
    const cp = section.table?.config_path;
    const resolved = await resolveOnNode(fs, loaded, registry, version, !versionAssumed);
    const image = ctx.target.image;
    const resolvedFindings = resolved.findings.map((f) => ({ ...f }));
    for (const f of resolvedFindings) {
      const resolverError = f.data?.resolverError;
      if (typeof resolverError === 'string')
        f.predictedRuntimeError = image ? predictResolvePullError(image, resolverError) : resolverError;
    }
    if (!resolvedFindings.some((f) => f.code === 'config-invalid')) {
      await judgeAlternatives(
        resolvedFindings,
        resolved.alternatives,
        resolved.effective.endpoints,
        // the walk (which host's error stands, its wording) of the detected containerd; unknown version: the default
        { ...probeScope(ctx, rt?.kind === 'containerd' ? rt : undefined), walk: versionAssumed ? undefined : hostsTomlRules(version).walk },
      );
    }
    findings.push(...resolvedFindings);
    const eff = resolved.effective;
    const ev = evidenceLines(k3sJudged);
    if (loaded.exists)
      ev.say('evidence.config.version', {
        file: loaded.file,
        version: loaded.version,
        imports: loaded.imports.length ? msg('evidence.config.imports', { files: loaded.imports.join(', ') }) : '',
      });
    else ev.say('evidence.config.noFile', { file: loaded.file });
    ev.say('evidence.config.section', { table: section.path.map((p) => (p.includes('.') ? `"${p}"` : p)).join('.') });
    ev.say('evidence.config.semantics', {
      version: `${version.major}.${version.minor}.${version.patch}`,
      assumed: versionAssumed ? msg('evidence.config.versionAssumed') : '',
    });
    if (eff.configPath && typeof cp === 'string' && cp) ev.raw(`config_path = ${eff.configPath.join(':')}`);
    else if (eff.configPath) ev.say('evidence.config.configPath', { path: eff.configPath.join(':') });
    else ev.say('evidence.config.noConfigPath');
    if (eff.hostsFile ?? eff.hostsDir) ev.say('evidence.config.applies', { path: (eff.hostsFile ?? eff.hostsDir)! });
    eff.endpoints.forEach((e, i) =>
      ev.say('evidence.config.endpoint', {
        n: i + 1,
        url: e.url,
        tls: `[${e.capabilities.join(',')}]${e.tls.caFiles.length ? ` ca=${e.tls.caFiles.join(',')}` : ''}${e.tls.clientPairs.length ? ` client=${e.tls.clientPairs.map((c) => c.cert).join(',')}` : ''}${e.tls.skipVerify ? ' skip_verify' : ''}`,
        fallback: e.httpFallback ? msg('evidence.config.httpsThenHttp') : '',
        source: e.sourceMessage ?? e.source,
      }),
    );
    if (eff.legacyAuth) ev.say('evidence.config.credentials', { source: eff.legacyAuth.source });
    resolved.notes.forEach((n, i) => ev.say('evidence.config.warns', { note: resolved.noteMessages[i] ?? n }));
    const evidence = ev.out();
    const mirrorHosts = Object.keys((section.table?.mirrors as object | undefined) ?? {});
    const configHosts = Object.keys((section.table?.configs as object | undefined) ?? {});
    return {
      ...summaryOf(eff.endpoints.length === 1 ? 'check.config.summary.one' : 'check.config.summary.other', {
        mode:
          eff.mode === 'hosts-toml'
            ? eff.hostsFile
              ? msg('check.config.hostsFile', { file: eff.hostsFile })
              : msg('check.config.hostsNoFile')
            : eff.mode === 'legacy'
              ? msg('check.config.legacy')
              : msg('check.config.none'),
        n: eff.endpoints.length,
      }),
      ...evidence,
      findings,
      facts: {
        file: loaded.file,
        exists: loaded.exists,
        configVersion: loaded.version,
        imports: loaded.imports,
        containerdVersion: `${version.major}.${version.minor}.${version.patch}`,
        versionAssumed,
        registryTable: section.path,
        effective: eff,
        problems: loaded.problems,
        logLines: resolved.logLines,
        notes: resolved.notes,
        mtimeMs: loaded.mtimeMs,
        ...(k3s ? { k3s: k3s.layout } : {}),
        legacyTables: {
          mirrors: Object.fromEntries(
            Object.entries((section.table?.mirrors as Record<string, { endpoint?: unknown }> | undefined) ?? {}).map(([h, m]) => [
              h,
              {
                endpoint: Array.isArray(m?.endpoint)
                  ? (m.endpoint as unknown[]).filter((e): e is string => typeof e === 'string')
                  : undefined,
              },
            ]),
          ),
          configs: Object.fromEntries(
            Object.entries((section.table?.configs as Record<string, { tls?: Record<string, unknown> }> | undefined) ?? {})
              .filter(([, c]) => c?.tls)
              .map(([h, c]) => [h, { tls: c.tls }]),
          ),
        },
        registrySummary: {
          configPath: typeof cp === 'string' && cp ? cp : undefined,
          mirrors: mirrorHosts,
          configs: configHosts,
        },
        // an import may hold config_path or the legacy tables: where an edit takes effect, per containerd's merge rule
        ...(loaded.imports.length
          ? {
              configPathEdit: registryEditFile(loaded, version, 'config_path'),
              legacyTableFiles: [...mirrorHosts.map((h) => ['mirrors', h]), ...configHosts.map((h) => ['configs', h, 'tls'])].map(
                (table) => ({ table, files: registryValueFiles(loaded, version, table) }),
              ),
            }
          : {}),
      },
    };
  },
};
