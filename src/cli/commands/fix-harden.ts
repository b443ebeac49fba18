// `regdoctor fix --harden <image>`: replaces a working but unsafe setup (skip-verify, legacy config.toml tables) with
// the safe equivalent through the fix engine, stage by stage (src/fix/harden.ts): the whole plan and every diff are
// shown and confirmed once; then each stage is applied (journal, backups, lock) and verified by a real CRI pull before
// the next one starts, so a workaround is removed only after its replacement works. Any failure rolls back every
// stage (one journal session): the node is left exactly as it was, workaround included.
// Exit codes: 0 hardened and verified / nothing to harden / --dry-run; 1 refused, declined, or rolled back; 2 usage.
import * as path from 'node:path';
import { readFileSync } from 'node:fs';
import { EXIT, UsageError, type CliIO } from '../../app/io.js';
import { parseCommandArgs, toRunOptions } from '../options.js';
import { parseTarget } from '../../core/reference.js';
import type { Adapters } from '../../core/adapters.js';
import { createRealAdapters } from '../../app/adapters.js';
import { diagnose, type DiagnoseParams, type DiagnosisResult } from '../../app/diagnose.js';
import { getFact } from '../../core/facts.js';
import type { RunOptions, Target } from '../../core/types.js';
import { ASSUMED_CONTAINERD, loadContainerdConfig, parseSemver, registrySectionFor } from '../../runtime/containerd-config.js';
import {
  applyPlan,
  criWaiter,
  DEFAULT_STATE_DIR,
  differencesText,
  FixError,
  interruptedJournals,
  preparePlan,
  RESTART_SKIPPED_ROOT,
  rollback,
  withStateLock,
  type Journal,
  type PlannedStep,
} from '../../fix/engine.js';
import { hardenDirs, planHarden, readyForNext, sameHost, type HardenInputs } from '../../fix/harden.js';
import { readSnapshot, tofuDecision, tofuRefusalText } from '../../fix/node-plan.js';
import { errorText, saidText } from '../../fix/errors.js';
import { paint } from '../../ui/format.js';
import { manualBlock } from '../../text/manual-steps.js';
import { shellJoin } from '../../text/shell.js';
import { sanitizeLine } from '../../text/sanitize.js';
import { askYesNo, confirmPresented } from '../prompt.js';
import { summaryText, t, tn, tr } from '../../i18n/index.js';

export interface HardenOptions {
  target: Target;
  run: RunOptions;
  inputs: HardenInputs;
  yes: boolean;
  dryRun: boolean;
  stateDir: string;
  restartCmd?: string;
  trustPresented?: string;
}

export const HARDEN_OPTIONS = {
  harden: { type: 'boolean' },
  yes: { type: 'boolean', short: 'y' },
  'dry-run': { type: 'boolean' },
  ca: { type: 'string' },
  'trust-presented': { type: 'string' },
  'state-dir': { type: 'string' },
  'restart-cmd': { type: 'string' },
} as const;

/** `regdoctor fix --harden <image> [--ca FILE | --trust-presented SHA256] [--yes] [--dry-run] …` */
export function parseHardenOptions(args: string[], env: CliIO['env']): HardenOptions {
  const { values, positionals } = parseCommandArgs(args, HARDEN_OPTIONS);
  if (positionals.length !== 1) throw new UsageError(t('cli.harden.err.oneImage'));
  const caFile = values.ca as string | undefined;
  let ca: string | undefined;
  if (caFile !== undefined) {
    try {
      ca = readFileSync(caFile, 'utf8');
    } catch (err) {
      throw new UsageError(t('cli.fix.err.cannotRead', { flag: '--ca', file: caFile, error: (err as Error).message }));
    }
    if (!ca.includes('-----BEGIN CERTIFICATE-----')) throw new UsageError(t('cli.fix.err.noPemCert', { file: caFile }));
  }
  return {
    target: parseTarget(positionals[0]!),
    run: toRunOptions(values, env),
    inputs: { ca, caSource: caFile },
    yes: Boolean(values.yes),
    dryRun: Boolean(values['dry-run']),
    stateDir: (values['state-dir'] as string | undefined) ?? DEFAULT_STATE_DIR,
    restartCmd: values['restart-cmd'] as string | undefined,
    trustPresented: values['trust-presented'] as string | undefined,
  };
}

export async function run(args: string[], io: CliIO): Promise<number> {
  return runHarden(parseHardenOptions(args, io.env), { io });
}

export interface HardenDeps {
  io: CliIO;
  adapters?: (o: { root: string; env: CliIO['env'] }) => Adapters;
  diagnose?: (p: DiagnoseParams) => Promise<DiagnosisResult>;
  ask?: (io: CliIO, question: string) => Promise<boolean>;
}

/** What must hold after the last stage: the pull works, the verdict is healthy, skip-verify and the legacy tables of
 *  this host are gone. */
function finalProblem(second: DiagnosisResult, skipVerifyUrls: string[], migrated: boolean): string | undefined {
  const pull = getFact(second.state.facts, 'cri-pull');
  if (!pull?.ok) return t('cli.harden.pullFails', { message: pull?.message ?? t('cli.harden.noPullMade') });
  if (second.report.verdict.code !== 'healthy') return `${second.report.verdict.code}: ${summaryText(second.report.verdict)}`;
  const hyg = getFact(second.state.facts, 'node-hygiene');
  const still = skipVerifyUrls.filter((u) => hyg?.skipVerify.some((s) => sameHost(s.url, u)));
  if (still.length) return t('cli.harden.skipStill', { urls: still.join(', ') });
  const legacy = (hyg?.deprecated ?? []).filter((d) => d.startsWith('mirrors.') || d.endsWith('.tls'));
  if (migrated && legacy.length) return t('cli.harden.legacyStill', { tables: legacy.join(', ') });
  return undefined;
}

export async function runHarden(o: HardenOptions, deps: HardenDeps): Promise<number> {
  const { io, target } = { io: deps.io, target: o.target };
  const options = o.run;
  const out = (s = '') => io.stdout.write(`${s}\n`);
  const c = io.color;
  if (target.kind !== 'image') throw new UsageError(t('cli.harden.err.needsImage', { host: target.registry.name }));
  if (!o.yes && !o.dryRun && !io.interactive) throw new UsageError(t('cli.fix.err.needsYes'));
  const adapters = (deps.adapters ?? createRealAdapters)({ root: options.root, env: io.env });
  const run = deps.diagnose ?? diagnose;
  const first = await run({ target, options, adapters, signal: io.signal });
  const verdict = first.report.verdict;
  const pull = getFact(first.state.facts, 'cri-pull');
  if (verdict.code !== 'healthy') {
    io.stderr.write(
      `regdoctor fix --harden: ${t('cli.harden.doesNotPull', { target: target.input, code: verdict.code, summary: summaryText(verdict), command: shellJoin(['regdoctor', 'fix', target.input]) })}\n${t('cli.fix.nothingChanged')}\n`,
    );
    return EXIT.problems;
  }
  if (!o.dryRun && !pull?.ok) {
    io.stderr.write(
      `regdoctor fix --harden: ${t('cli.harden.noRealPull', { why: pull ? (pull.message ?? '') : t('cli.harden.noCri') })}\n${t('cli.fix.nothingChanged')}\n`,
    );
    return EXIT.problems;
  }
  const cfg = getFact(first.state.facts, 'containerd-config');
  const loaded = cfg ? await loadContainerdConfig(adapters.fs, cfg.file) : undefined;
  const registryTable =
    loaded && cfg ? registrySectionFor(loaded, parseSemver(cfg.containerdVersion) ?? parseSemver(ASSUMED_CONTAINERD)!).table : undefined;
  const dirs = (await readSnapshot(adapters.fs, hardenDirs({ facts: first.state.facts }))).dirs;
  const plan = planHarden({
    target,
    facts: first.state.facts,
    findings: first.findings,
    inputs: o.inputs,
    registryTable,
    dirs,
    now: adapters.clock.now(),
  });
  if (plan.kind === 'nothing') {
    out(`${paint('✓', 'green', c)} ${saidText(plan.said)}`);
    return EXIT.ok;
  }
  if (plan.kind === 'blocked') {
    // the commands as a block to paste (no prompt; long ones continued with ` \`): src/text/manual-steps.ts
    const block = manualBlock(plan.manualSteps, { indent: '  ', columns: io.interactive ? io.columns : undefined });
    io.stderr.write(
      `regdoctor fix --harden: ${saidText(plan.said)}\n${block.map((l) => `${l}\n`).join('')}${t('cli.fix.nothingChanged')}\n`,
    );
    return EXIT.problems;
  }

  const rooted = path.resolve(options.root) !== '/';
  const skipRestart = rooted && !o.restartCmd ? RESTART_SKIPPED_ROOT : undefined;
  const stateArgs = [...(o.stateDir !== DEFAULT_STATE_DIR ? ['--state-dir', o.stateDir] : []), ...(rooted ? ['--root', options.root] : [])];
  let all: PlannedStep[];
  try {
    all = await preparePlan(
      adapters.fs,
      plan.stages.flatMap((s) => s.actions),
      { skipRestart, restartCmd: o.restartCmd },
    );
  } catch (err) {
    io.stderr.write(`regdoctor fix --harden: ${errorText(err)}\n${t('cli.fix.nothingChanged')}\n`);
    return EXIT.problems;
  }
  const stageSteps: PlannedStep[][] = [];
  let k = 0;
  for (const s of plan.stages) {
    stageSteps.push(all.slice(k, k + s.actions.length));
    k += s.actions.length;
  }

  out(`\n${tn('cli.harden.title', plan.stages.length).replace('{host}', paint(plan.host, 'bold', c))}`);
  plan.stages.forEach((s, i) => {
    out(
      `\n${t('cli.harden.stage', { n: i + 1, title: paint(tr(s.titleMessage, s.title), 'bold', c) })}  [${t(s.restart ? (skipRestart ? 'cli.harden.restartSkipped' : 'cli.harden.restarts') : 'cli.harden.noRestart')}]`,
    );
    out(`  ${tr(s.descriptionMessage, s.description)}`);
    stageSteps[i]!.forEach((st, j) => {
      out(`\n  ${i + 1}.${j + 1} ${tr(st.summaryMessage, st.summary)}`);
      if (st.diff)
        for (const l of st.diff.trimEnd().split('\n'))
          out(`     ${l.startsWith('+') ? paint(l, 'green', c) : l.startsWith('-') ? paint(l, 'red', c) : l}`);
    });
  });
  for (const n of plan.notes) out(paint(`  ${t('cli.note', { note: sanitizeLine(tr(n)) })}`, 'dim', c));
  for (const l of plan.left) out(`  ${paint('!', 'yellow', c)} ${t('cli.harden.notChanged', { what: sanitizeLine(tr(l)) })}`);
  if (o.dryRun) {
    out(`\n${t('cli.fix.dryRunDone')}`);
    return EXIT.ok;
  }
  // trust on first use is explicit: the presented certificate is named by its fingerprint, never implied by --yes
  if (plan.presented && !o.inputs.ca) {
    const tofu = tofuDecision(plan.presented, o.trustPresented, io.interactive && !o.yes);
    if (tofu.kind === 'refuse') {
      io.stderr.write(`regdoctor fix --harden: ${tofuRefusalText(tofu)}\n${t('cli.fix.nothingChanged')}\n`);
      return EXIT.problems;
    }
    const intro = t('cli.harden.tofuIntro');
    if (tofu.kind === 'ask' && !(await confirmPresented(io, out, intro, tofu.lines, deps.ask))) {
      out(t('cli.fix.nothingChanged'));
      return EXIT.problems;
    }
  }
  if (io.interactive && !o.yes && !(await (deps.ask ?? askYesNo)(io, `\n${tn('cli.harden.apply', plan.stages.length)}`))) {
    out(t('cli.fix.nothingChanged'));
    return EXIT.problems;
  }

  const common = {
    fs: adapters.fs,
    exec: adapters.exec,
    stateDir: o.stateDir,
    restartCmd: o.restartCmd,
    skipRestart,
    waitForRuntime: criWaiter(adapters.cri, options.runtimeEndpoint),
    log: (l: string) => out(`  ${l}`),
  };
  const body = async (): Promise<number> => {
    const broken = await interruptedJournals(adapters.fs, o.stateDir).catch(() => []);
    if (broken.length) {
      const j = broken.at(-1)!;
      io.stderr.write(
        `regdoctor fix --harden: ${t('cli.fix.interrupted', { id: j.id, proposal: j.proposal, target: j.target, command: shellJoin(['regdoctor', 'rollback', j.id, ...stateArgs]) })}\n${t('cli.fix.nothingChanged')}\n`,
      );
      return EXIT.problems;
    }
    let session: string | undefined;
    let last: Journal | undefined;
    const undoAll = async (why: string): Promise<number> => {
      out(`${paint('✗', 'red', c)} ${why}`);
      if (!last) return EXIT.problems;
      out(`  ${t('cli.harden.rollingBack')}`);
      try {
        const back = await rollback(last, common);
        out(
          back.differences.length
            ? `  ${t('cli.fix.rolledBackDiff', { differences: differencesText(back).join('; ') })}`
            : `  ${t('cli.harden.rolledBack')}`,
        );
      } catch (err) {
        if (!(err instanceof FixError)) throw err;
        io.stderr.write(`regdoctor fix --harden: ${t('cli.fix.rollbackFailed', { message: errorText(err) })}\n`);
      }
      return EXIT.problems;
    };
    for (const [i, stage] of plan.stages.entries()) {
      out(`\n${t('cli.harden.stage', { n: i + 1, title: tr(stage.titleMessage, stage.title) })}`);
      try {
        last = await applyPlan(stageSteps[i]!, {
          ...common,
          target: target.input,
          proposal: stage.id,
          signal: io.signal,
          session: session ?? true,
        });
        session ??= last.session ?? last.id;
      } catch (err) {
        if (!(err instanceof FixError)) throw err;
        io.stderr.write(`regdoctor fix --harden: ${errorText(err)}\n`);
        // this stage rolled itself back; the earlier ones are rolled back here
        return session ? undoAll(t('cli.harden.stageFailed', { n: i + 1 })) : EXIT.problems;
      }
      const second = await run({ target, options: { ...options, pull: true }, adapters, signal: io.signal });
      const lastStage = i === plan.stages.length - 1;
      if (lastStage) {
        const problem = finalProblem(
          second,
          plan.skipVerifyUrls,
          plan.stages.some((s) => s.restart),
        );
        if (problem) return undoAll(t('cli.harden.afterStage', { n: i + 1, problem }));
      } else {
        const ready = readyForNext(second.state.facts, plan.skipVerifyUrls);
        if (!ready.ok) return undoAll(t('cli.harden.notRemoved', { n: i + 1, why: tr(ready.said, ready.why) }));
      }
      out(
        `  ${paint('✓', 'green', c)} ${t(!lastStage && plan.skipVerifyUrls.length ? 'cli.harden.verifiedTrust' : 'cli.harden.verified')}`,
      );
    }
    const undo = shellJoin(['regdoctor', 'rollback', session!, ...stateArgs]);
    out(
      `\n${paint('✓', 'green', c)} ${t('cli.harden.done', {
        host: plan.host,
        what: t(
          plan.stages.some((s) => s.restart)
            ? plan.skipVerifyUrls.length
              ? 'cli.harden.done.verificationLegacy'
              : 'cli.harden.done.hostsTomlLegacy'
            : plan.skipVerifyUrls.length
              ? 'cli.harden.done.verification'
              : 'cli.harden.done.hostsToml',
        ),
        command: undo,
      })}`,
    );
    for (const l of plan.left) out(`  ${paint('!', 'yellow', c)} ${t('cli.harden.byHand', { what: sanitizeLine(tr(l)) })}`);
    return EXIT.ok;
  };
  try {
    return await withStateLock(adapters.fs, o.stateDir, body, { log: (l) => out(l), what: 'fix --harden' });
  } catch (err) {
    if (err instanceof FixError) {
      io.stderr.write(`regdoctor fix --harden: ${errorText(err)}\n${t('cli.fix.nothingChanged')}\n`);
      return EXIT.problems;
    }
    throw err;
  }
}
