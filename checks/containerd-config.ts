// containerd-config: reads /etc/containerd/config.toml (v1/v2/v3, imports) and the hosts.toml that applies, and
// produces the effective registry configuration for the target host. Emits: config-invalid, config-conflict,
// config-ignored (with the log line containerd prints).
import type { Check, CheckOutcome, FindingInput } from '../src/core/types.js';
import type { ContainerdConfigFacts } from '../src/facts/containerd-config.js';
import {
  ASSUMED_CONTAINERD,
  findHostDir,
  hostDirNames,
  loadContainerdConfig,
  missingReferencedFiles,
  parseSemver,
  effectiveConfigPath,
  registrySection,
  resolveRegistryConfig,
  type TomlProblem,
} from '../src/runtime/containerd-config.js';

function where(p: TomlProblem): string {
  return p.line ? `${p.file}:${p.line}:${p.column}` : p.file;
}

export const containerdConfigCheck: Check<'containerd-config'> = {
  id: 'containerd-config',
  title: 'containerd registry configuration',
  needs: [],
  wants: ['runtime-info'],
  timeoutMs: 8_000,
  async run(ctx): Promise<CheckOutcome<ContainerdConfigFacts>> {
    const fs = ctx.adapters.fs;
    const rt = ctx.maybeFacts('runtime-info');
    if (rt?.kind === 'docker' || rt?.kind === 'cri-o') {
      // The node's runtime is not containerd: its own registry configuration decides.
      const { dockerConfig, crioConfig } = await import('../src/runtime/other-runtimes.js');
      const other = rt.kind === 'docker' ? await dockerConfig(fs, ctx.target.registry) : await crioConfig(fs, ctx.target.registry);
      const e = other.effective.endpoints;
      return {
        summary: `${rt.kind} registry configuration: ${e.map((x) => x.url).join(', ')}`,
        evidence: [
          ...other.evidence,
          ...e.map(
            (x, i) =>
              `endpoint ${i + 1}: ${x.url}${x.tls.skipVerify ? ' skip_verify' : ''}${x.tls.caFiles.length ? ` ca=${x.tls.caFiles.join(',')}` : ''} — ${x.source}`,
          ),
        ],
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
    const loaded = await loadContainerdConfig(fs);
    const findings: FindingInput[] = [];
    const mainProblem = loaded.problems.find((p) => p.file === loaded.file);
    if (mainProblem && loaded.exists) {
      findings.push({
        code: 'config-invalid',
        summary: `${where(mainProblem)}: ${mainProblem.message}. containerd refuses to start with this file; nothing in it can be trusted to apply.`,
        evidence: [`containerd logs: failed to load TOML: ${loaded.file}: ${mainProblem.message}`],
        data: { file: mainProblem.file, line: mainProblem.line, column: mainProblem.column },
      });
    }
    for (const p of loaded.problems.filter((x) => x.file !== loaded.file)) {
      findings.push({
        code: 'config-invalid',
        summary: `imported file ${where(p)} does not parse: ${p.message}.`,
        data: { file: p.file, line: p.line, column: p.column },
      });
    }
    const registry = ctx.target.registry;
    const section = registrySection(loaded.doc, loaded.version);
    const cp = section.table?.config_path;
    const roots = effectiveConfigPath(section.table, version);
    const hostDir = roots.length ? await findHostDir(fs, roots, registry.name, version) : undefined;
    const unusedCertDirs: string[] = [];
    if (!roots.length) {
      for (const base of ['/etc/containerd/certs.d', '/etc/docker/certs.d']) {
        for (const name of hostDirNames(registry.name, version).filter((n) => n !== '_default')) {
          const st = await fs.stat(`${base}/${name}`).catch(() => undefined);
          if (st?.isDirectory) unusedCertDirs.push(`${base}/${name}`);
        }
      }
    }
    const input = {
      loaded,
      registry,
      version,
      versionKnown: !versionAssumed,
      hostDir,
      unusedCertDirs,
      missingFiles: [] as { path: string; error: string }[],
    };
    let resolved = resolveRegistryConfig(input);
    const missing = await missingReferencedFiles(fs, resolved.effective.endpoints);
    if (missing.length) resolved = resolveRegistryConfig({ ...input, missingFiles: missing });
    findings.push(...resolved.findings);
    const eff = resolved.effective;
    const evidence = [
      loaded.exists
        ? `${loaded.file}: config version ${loaded.version}${loaded.imports.length ? `, imports ${loaded.imports.join(', ')}` : ''}`
        : `${loaded.file} does not exist (containerd built-in defaults apply)`,
      `registry settings are read from [${section.path.map((p) => (p.includes('.') ? `"${p}"` : p)).join('.')}]`,
      `semantics of containerd ${version.major}.${version.minor}.${version.patch}${versionAssumed ? ' (assumed: version unknown)' : ''}`,
      eff.configPath
        ? `config_path = ${eff.configPath.join(':')}${typeof cp === 'string' && cp ? '' : ' (built-in default of this containerd version)'}`
        : 'config_path is not set',
      ...(eff.hostsFile ? [`applies: ${eff.hostsFile}`] : eff.hostsDir ? [`applies: ${eff.hostsDir}`] : []),
      ...eff.endpoints.map(
        (e, i) =>
          `endpoint ${i + 1}: ${e.url} [${e.capabilities.join(',')}]${e.tls.caFiles.length ? ` ca=${e.tls.caFiles.join(',')}` : ''}${e.tls.clientPairs.length ? ` client=${e.tls.clientPairs.map((c) => c.cert).join(',')}` : ''}${e.tls.skipVerify ? ' skip_verify' : ''}${e.httpFallback ? ' (HTTPS first, then HTTP)' : ''} — ${e.source}`,
      ),
      ...(eff.legacyAuth ? [`credentials configured in ${eff.legacyAuth.source} (values not shown)`] : []),
      ...resolved.notes.map((n) => `containerd warns: ${n}`),
    ];
    return {
      summary: `${eff.mode === 'hosts-toml' ? `hosts.toml mode${eff.hostsFile ? ` (${eff.hostsFile})` : ', no file for this host'}` : eff.mode === 'legacy' ? 'legacy registry config (mirrors/configs)' : 'no registry configuration for this host'}; ${eff.endpoints.length} endpoint${eff.endpoints.length === 1 ? '' : 's'}`,
      evidence,
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
          mirrors: Object.keys((section.table?.mirrors as object | undefined) ?? {}),
          configs: Object.keys((section.table?.configs as object | undefined) ?? {}),
        },
      },
    };
  },
};
