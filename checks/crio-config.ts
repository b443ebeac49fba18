// crio-config: on a CRI-O node, what containers/image applies to the target — the merged registries.conf entry,
// short-name resolution, the certificate directory it reads and the auth file that decides — for the CRI-O fix
// planner and CRI-O's wording. Runs only when runtime-info says CRI-O. Emits: config-conflict (a short name that
// cannot resolve). Configuration findings (parse errors, blocked, ignored tables) come from containerd-config, which
// reads the same model for CRI-O nodes.
import type { Check, CheckOutcome } from '../src/core/types.js';
import { crioNodeConfig, isShortName } from '../src/runtime/crio-config.js';
import { ASSUMED_CRIO, shortNameNoSearchError } from '../src/runtime/crio-predict.js';
import type { CrioConfigFacts } from '../src/facts/crio-config.js';
import { msg, summaryOf } from '../src/i18n/index.js';
import { evidence as evidenceLines } from '../src/i18n/evidence.js';

/** `crio --version` output: "crio version 1.20.0" (old) or a table with "Version:  1.28.1" (newer). */
export function crioVersionFromCli(out: string): string | undefined {
  return out.match(/^[^\S\n\r\u2028\u2029]*Version:\s*v?(\d+\.\d+\.\d+)/m)?.[1] ?? out.match(/crio version v?(\d+\.\d+\.\d+)/i)?.[1];
}

export const crioConfigCheck: Check<'crio-config'> = {
  id: 'crio-config',
  title: 'CRI-O (containers/image) registry configuration',
  needs: ['runtime-info'],
  timeoutMs: 8_000,
  skipIf: (ctx) => (ctx.maybeFacts('runtime-info')?.kind === 'cri-o' ? undefined : msg('skip.notCrio')),
  async run(ctx): Promise<CheckOutcome<CrioConfigFacts>> {
    const rt = ctx.facts('runtime-info');
    const image = ctx.target.image;
    const c = await crioNodeConfig(ctx.adapters.fs, ctx.target.registry, image);
    const shortName = ctx.target.kind === 'image' && isShortName(ctx.target.input);
    const findings = [];
    if (shortName && !c.conf.aliases[ctx.target.input.replace(/[:@].*$/, '')] && !(c.conf.unqualifiedSearchRegistries ?? []).length) {
      findings.push({
        code: 'config-conflict' as const,
        severity: 'error' as const,
        ...summaryOf('node.crio.shortName', { image: ctx.target.input }),
        predictedRuntimeError: shortNameNoSearchError(ctx.target.input, c.conf.searchOrigin ?? '/etc/containers/registries.conf'),
        data: { reason: 'short-name', runtime: 'cri-o' },
      });
    }
    // the version decides CRI-O's wording; runtime-info reads it from the package database, else ask the binary
    let version = rt.version;
    const evidence: string[] = [];
    if (!version && ctx.adapters.fs.root === '/' && rt.binaryPath) {
      const r = await ctx.adapters.exec.run(rt.binaryPath, ['--version'], { timeoutMs: 3000, signal: ctx.signal }).catch(() => undefined);
      version = r && r.exitCode === 0 ? crioVersionFromCli(r.stdout) : undefined;
      if (version) evidence.push(`${rt.binaryPath} --version: ${version}`);
    }
    const facts: CrioConfigFacts = {
      version: version ?? ASSUMED_CRIO,
      versionAssumed: !version,
      files: c.conf.files,
      entry: c.entry,
      problemFile: c.conf.problem?.file,
      certDir: c.certDir,
      certDirsTried: c.certDirsTried,
      authFiles: c.auth.files.map((f) => ({ path: f.path, exists: f.exists, matches: f.matches })),
      authDecides: c.auth.decides,
      shortName,
      unqualifiedSearchRegistries: c.conf.unqualifiedSearchRegistries,
    };
    return {
      ...summaryOf('node.crio.summary', {
        version: facts.version,
        assumed: facts.versionAssumed ? msg('node.crio.assumed') : '',
        entry: c.entry ? `[[registry]] ${c.entry.prefix}` : msg('node.crio.noEntry'),
        certs: c.certDir ?? msg('node.crio.noCerts'),
      }),
      ...evidenceLines({ evidence })
        .add(c)
        .raw(
          ...(shortName ? [`short name: unqualified-search-registries ${JSON.stringify(c.conf.unqualifiedSearchRegistries ?? [])}`] : []),
        )
        .out(),
      findings,
      facts,
    };
  },
};
