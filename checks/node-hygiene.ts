// node-hygiene: what makes a working setup unsafe — skip-verify in effect for the registry (and what the certificate
// really is), legacy config.toml tables that containerd deprecates, plain HTTP to a non-loopback host that answers,
// and node files holding the registry's credentials readable by group or others. Emits (all warnings):
// verification-disabled, config-deprecated, plain-http-registry, credentials-exposed.
import { parse as parseToml } from 'smol-toml';
import type { Check, CheckOutcome, FindingInput } from '../src/core/types.js';
import type { EffectiveEndpoint } from '../src/core/runtime-config.js';
import type { FsAdapter } from '../src/core/adapters.js';
import type { ContainerdConfigFacts } from '../src/facts/containerd-config.js';
import type { CertChainFacts } from '../src/facts/cert-chain.js';
import type { NodeHygieneFacts, SkipVerifyEndpoint } from '../src/facts/node-hygiene.js';
import type { GoVerifyResult } from '../src/goverify/verify.js';
import { isLoopbackHost } from '../src/runtime/endpoints.js';
import { probeScope, verifyChain } from '../src/probe/endpoint.js';
import { ASSUMED_CONTAINERD, parseSemver, registrySection, type Semver } from '../src/runtime/containerd-config.js';
import { migrateLegacy } from '../src/fix/legacy-migration.js';
import { renderHostsToml } from '../src/fix/hosts-toml.js';
import { type Message, msg, summaryOf } from '../src/i18n/index.js';
import { evidence, said } from '../src/i18n/evidence.js';

type Table = Record<string, unknown>;
const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What the certificate at a skip-verify endpoint is, judged by Go's verification with skip-verify removed. */
export function judgeSkippedCertificate(chain: CertChainFacts, verify: GoVerifyResult): Omit<SkipVerifyEndpoint, 'url' | 'source'> {
  if (verify.ok) return { certificate: 'verifies' };
  const code = verify.faults[0]?.code;
  const top = chain.certs[chain.certs.length - 1]?.info;
  const leaf = chain.certs[0]?.info;
  const goMessage = verify.message;
  if (code === 'hostname-mismatch' || code === 'ip-san-missing' || code === 'legacy-common-name')
    return { certificate: 'name-mismatch', goMessage };
  if (code === 'self-signed' && leaf)
    return { certificate: 'self-signed', goMessage, trustSha256: leaf.sha256, trustSubject: leaf.subject.display };
  if (code === 'untrusted-ca' || code === 'incomplete-chain')
    return {
      certificate: 'private-ca',
      goMessage,
      ...(top?.selfIssued && top.isCA ? { trustSha256: top.sha256, trustSubject: top.subject.display } : {}),
    };
  return { certificate: 'other', goMessage };
}

function describeSkipped(s: SkipVerifyEndpoint, host: string): Message {
  const fp = s.trustSha256 ? msg('skipVerify.fp', { sha256: s.trustSha256 }) : '';
  switch (s.certificate) {
    case 'self-signed':
      return msg('skipVerify.selfSigned', { subject: String(s.trustSubject), host, fp });
    case 'private-ca':
      return msg('skipVerify.privateCa', {
        ca: s.trustSubject ? msg('skipVerify.privateCa.subject', { subject: s.trustSubject }) : msg('skipVerify.privateCa.noRoot'),
        host,
        fp,
      });
    case 'name-mismatch':
      return msg('skipVerify.nameMismatch', { host, go: String(s.goMessage) });
    case 'verifies':
      return msg('skipVerify.verifies', { host });
    case 'other':
      return msg('skipVerify.other', { go: String(s.goMessage) });
    default:
      return msg('skipVerify.default', { host });
  }
}

/** Legacy tables that configure the target in this config (names only), each as written in config.toml. */
export function deprecatedTables(cfg: ContainerdConfigFacts, registry: string): string[] {
  const out: string[] = [];
  const legacyMode = cfg.effective.mode === 'legacy';
  const v2 = (parseSemver(cfg.containerdVersion)?.major ?? 1) >= 2;
  if (legacyMode) {
    if (cfg.registrySummary.mirrors.includes(registry)) out.push(`mirrors."${registry}"`);
    else if (cfg.registrySummary.mirrors.includes('*')) out.push('mirrors."*"');
    // containerd 2.x ignores configs.tls (config-ignored, reported by containerd-config)
    if (!v2)
      for (const e of cfg.effective.endpoints)
        if (cfg.legacyTables.configs[e.host]?.tls && !out.includes(`configs."${e.host}".tls`)) out.push(`configs."${e.host}".tls`);
  }
  // still honoured with config_path set (and through 2.x), deprecated all the same
  if (cfg.effective.legacyAuth) out.push(cfg.effective.legacyAuth.source);
  return out;
}

/** Credentials for `registry` in a parsed containerd config (configs."h".auth or auths."h"), any value set. */
function holdsCredentials(doc: Table, version: 1 | 2 | 3, registry: string, runtime: Semver): boolean {
  // the table containerd `runtime` reads in this file (2.x also reads a version-1 file's long-name table)
  const reg = registrySection(doc, version, runtime).table;
  if (!reg) return false;
  const configs = isTable(reg.configs) ? reg.configs : {};
  const auths = isTable(reg.auths) ? reg.auths : {};
  const c = configs[registry];
  const candidates = [isTable(c) ? c.auth : undefined, auths[registry], auths[`https://${registry}`]];
  return candidates.some(
    (a) => isTable(a) && ['username', 'password', 'auth', 'identitytoken'].some((k) => typeof a[k] === 'string' && a[k] !== ''),
  );
}

async function readableByOthers(fs: FsAdapter, file: string): Promise<string | undefined> {
  const st = await fs.stat(file).catch(() => undefined);
  if (!st?.isFile || (st.mode & 0o044) === 0) return undefined;
  return (st.mode & 0o777).toString(8).padStart(4, '0');
}

export const nodeHygieneCheck: Check<'node-hygiene'> = {
  id: 'node-hygiene',
  title: 'Unsafe or deprecated settings that still work',
  needs: ['containerd-config'],
  wants: ['runtime-info', 'tls-handshake', 'cert-chain', 'auth-files', 'registry-api', 'cri-pull'],
  timeoutMs: 10_000,
  async run(ctx): Promise<CheckOutcome<NodeHygieneFacts>> {
    const cfg = ctx.facts('containerd-config');
    const registry = ctx.target.registry.name;
    const eps = cfg.effective.endpoints.filter((e) => e.capabilities.includes('pull') || e.capabilities.includes('resolve'));
    const findings: FindingInput[] = [];
    const ev = evidence();
    const facts: NodeHygieneFacts = { skipVerify: [], deprecated: [], plainHttp: [], exposed: [] };
    const hostOf = (e: EffectiveEndpoint) => (e.host === registry || e.host === ctx.target.registry.apiHost ? undefined : e.host);

    // --- verification-disabled
    const hs = ctx.maybeFacts('tls-handshake');
    const chain = ctx.maybeFacts('cert-chain');
    for (const e of eps.filter((x) => x.tls.skipVerify && (x.scheme === 'https' || x.httpFallback))) {
      let s: SkipVerifyEndpoint = { url: e.url, source: e.source };
      if (hs && chain && hs.endpoint.url === e.url && chain.certs.length) {
        const verify = verifyChain(
          probeScope(ctx, ctx.maybeFacts('runtime-info')),
          chain.certs.map((c) => c.info),
          hs.serverName,
          chain.pool,
        );
        s = { ...s, ...judgeSkippedCertificate(chain, verify) };
      }
      facts.skipVerify.push(s);
      const what =
        s.certificate === 'self-signed'
          ? msg('skipVerify.what.selfSigned')
          : s.certificate === 'private-ca'
            ? msg('skipVerify.what.privateCa')
            : s.certificate === 'name-mismatch'
              ? msg('skipVerify.what.nameMismatch')
              : s.certificate === 'verifies'
                ? msg('skipVerify.what.verifies')
                : s.certificate === 'other'
                  ? msg('skipVerify.what.other')
                  : msg('skipVerify.what.unexamined');
      findings.push({
        code: 'verification-disabled',
        ...summaryOf('finding.skipVerify', { host: e.host, source: e.sourceMessage ?? e.source, what, advice: describeSkipped(s, e.host) }),
        ...(s.goMessage
          ? evidence()
              .say('evidence.hygiene.skipVerify', { file: e.source, url: e.url })
              .say('evidence.hygiene.goWouldReport', { message: s.goMessage })
          : evidence().say('evidence.hygiene.skipVerify', { file: e.source, url: e.url })
        ).out(),
        host: hostOf(e),
        data: { ...s },
      });
    }

    // --- config-deprecated
    facts.deprecated = deprecatedTables(cfg, registry);
    if (facts.deprecated.length) {
      const version = cfg.containerdVersion;
      const migrated: { file: string; content: string }[] = [];
      let migrationError: string | undefined;
      try {
        const m = migrateLegacy(
          { mirrors: cfg.legacyTables.mirrors, configs: cfg.legacyTables.configs },
          '/etc/containerd/certs.d',
          version,
        );
        for (const h of m.hosts.filter(
          (x) => x.key === registry || (x.key === '*' && facts.deprecated.includes('mirrors."*"')) || eps.some((e) => e.host === x.key),
        ))
          migrated.push({ file: `${h.dir}/hosts.toml`, content: renderHostsToml(h.model) });
      } catch (err) {
        migrationError = (err as Error).message;
      }
      const tableName = `[${cfg.registryTable.map((p) => (p.includes('.') ? `"${p}"` : p)).join('.')}]`;
      const auth = facts.deprecated.some((d) => d.endsWith('.auth') || d.startsWith('auths.'));
      findings.push({
        code: 'config-deprecated',
        ...summaryOf('finding.deprecated', {
          registry,
          table: tableName,
          file: cfg.file,
          tables: facts.deprecated.join(', '),
          authField: auth ? msg('finding.deprecated.auth') : '',
        }),
        ...migrated
          .reduce(
            (ev, m) =>
              ev.say('evidence.hygiene.equivalent', {
                file: m.file,
                content: m.content
                  .split('\n')
                  .filter((l) => l && !l.startsWith('#'))
                  .join('; '),
              }),
            evidence()
              .raw(...facts.deprecated.map((d) => `${cfg.file}: ${tableName.slice(0, -1)}.${d}]`))
              .raw(...cfg.logLines.filter((l) => /deprecated/.test(l)).map((l) => `containerd logs: ${l}`)),
          )
          .add(migrationError ? said('evidence.hygiene.noMigration', { why: migrationError }) : undefined)
          .out(),
        data: { tables: facts.deprecated, file: cfg.file, containerdVersion: version, migration: migrated },
      });
    }

    // --- plain-http-registry on a working non-loopback host
    const pull = ctx.maybeFacts('cri-pull');
    const api = ctx.maybeFacts('registry-api');
    for (const e of eps.filter((x) => x.scheme === 'http' && !isLoopbackHost(x.hostname))) {
      const answered =
        api?.endpoint === e.url &&
        ((api.manifestStatus !== undefined && api.manifestStatus < 300) || api.pingStatus === 200 || api.pingStatus === 401);
      const works = Boolean(pull?.ok) || answered;
      if (!works) continue;
      facts.plainHttp.push(e.url);
      findings.push({
        code: 'plain-http-registry',
        severity: 'warning',
        ...summaryOf('finding.plainHttpWorks', { host: e.host, source: e.sourceMessage ?? e.source }),
        ...evidence()
          .say('evidence.hygiene.plainHttp', { url: e.url })
          .add(pull?.ok ? said('evidence.hygiene.pullSucceeded') : undefined)
          .add(answered ? said('evidence.hygiene.answeredHttp', { url: e.url }) : undefined)
          .out(),
        host: hostOf(e),
        data: { url: e.url, source: e.source },
      });
    }

    // --- credentials-exposed
    const auth = ctx.maybeFacts('auth-files');
    const authFiles = new Set<string>();
    if (auth?.kubeletFile && auth.matching.some((m) => m.hasPassword || m.hasIdentityToken || m.hasUsername))
      authFiles.add(auth.kubeletFile);
    if (cfg.effective.legacyAuth) {
      for (const file of [cfg.file, ...cfg.imports]) {
        try {
          const doc = parseToml(await ctx.adapters.fs.readText(file, 4 << 20)) as Table;
          if (holdsCredentials(doc, cfg.configVersion, registry, parseSemver(cfg.containerdVersion) ?? parseSemver(ASSUMED_CONTAINERD)!))
            authFiles.add(file);
        } catch {
          // unreadable or invalid: containerd-config reports it
        }
      }
    }
    for (const file of authFiles) {
      const mode = await readableByOthers(ctx.adapters.fs, file);
      if (!mode) continue;
      facts.exposed.push({ file, mode });
      findings.push({
        code: 'credentials-exposed',
        ...summaryOf('finding.exposed', {
          file,
          registry,
          who: (parseInt(mode, 8) & 0o004) !== 0 ? msg('finding.exposed.everyone') : msg('finding.exposed.group'),
          mode,
        }),
        evidence: [`${file}: mode ${mode}`],
        data: { file, mode },
      });
    }

    if (facts.skipVerify.length) ev.raw(`skip-verify: ${facts.skipVerify.map((s) => s.url).join(', ')}`);
    else ev.say('evidence.hygiene.verifyOn');
    if (facts.deprecated.length) ev.say('evidence.hygiene.legacyTables', { tables: facts.deprecated.join(', ') });
    else ev.say('evidence.hygiene.noLegacy');
    return {
      ...(findings.length
        ? summaryOf(findings.length === 1 ? 'check.hygiene.found.one' : 'check.hygiene.found.other', {
            n: findings.length,
            codes: [...new Set(findings.map((f) => f.code))].join(', '),
          })
        : summaryOf('check.hygiene.none')),
      ...ev.out(),
      findings,
      facts,
    };
  },
};
