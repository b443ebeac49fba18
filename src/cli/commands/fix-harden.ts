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
import { loadContainerdConfig, registrySection } from '../../runtime/containerd-config.js';
import {
  applyPlan,
  criWaiter,
  DEFAULT_STATE_DIR,
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
import { readSnapshot, tofuDecision } from '../../fix/node-plan.js';
import { paint } from '../../ui/format.js';
import { manualBlock } from '../../text/manual-steps.js';
import { shellJoin } from '../../text/shell.js';
import { sanitizeLine } from '../../text/sanitize.js';
import { askYesNo, confirmPresented } from '../prompt.js';

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
  if (positionals.length !== 1) throw new UsageError('fix --harden takes exactly one image reference');
  const caFile = values.ca as string | undefined;
  let ca: string | undefined;
  if (caFile !== undefined) {
    try {
      ca = readFileSync(caFile, 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read --ca ${caFile}: ${(err as Error).message}`);
    }
    if (!ca.includes('-----BEGIN CERTIFICATE-----')) throw new UsageError(`${caFile}: no PEM certificate in it`);
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
  if (!pull?.ok) return `the real pull fails: ${pull?.message ?? 'no pull was made'}`;
  if (second.report.verdict.code !== 'healthy') return `${second.report.verdict.code}: ${second.report.verdict.summary}`;
  const hyg = getFact(second.state.facts, 'node-hygiene');
  const still = skipVerifyUrls.filter((u) => hyg?.skipVerify.some((s) => sameHost(s.url, u)));
  if (still.length) return `skip-verify is still in effect for ${still.join(', ')}`;
  const legacy = (hyg?.deprecated ?? []).filter((d) => d.startsWith('mirrors.') || d.endsWith('.tls'));
  if (migrated && legacy.length) return `legacy tables still configure the registry: ${legacy.join(', ')}`;
  return undefined;
}

export async function runHarden(o: HardenOptions, deps: HardenDeps): Promise<number> {
  const { io, target } = { io: deps.io, target: o.target };
  const options = o.run;
  const out = (s = '') => io.stdout.write(`${s}\n`);
  const c = io.color;
  if (target.kind !== 'image')
    throw new UsageError(
      `--harden verifies every stage with a real pull, so it needs an image of that registry: regdoctor fix --harden ${target.registry.name}/<repository>:<tag>`,
    );
  if (!o.yes && !o.dryRun && !io.interactive)
    throw new UsageError(
      'refusing to change files without confirmation on a non-interactive terminal: re-run with --yes (or --dry-run to only see the plan)',
    );
  const adapters = (deps.adapters ?? createRealAdapters)({ root: options.root, env: io.env });
  const run = deps.diagnose ?? diagnose;
  const first = await run({ target, options, adapters, signal: io.signal });
  const verdict = first.report.verdict;
  const pull = getFact(first.state.facts, 'cri-pull');
  if (verdict.code !== 'healthy') {
    io.stderr.write(
      `regdoctor fix --harden: ${target.input} does not pull today (${verdict.code}: ${verdict.summary}). Hardening makes a working setup safe; run \`${shellJoin(['regdoctor', 'fix', target.input])}\` first.\nNothing was changed.\n`,
    );
    return EXIT.problems;
  }
  if (!o.dryRun && !pull?.ok) {
    io.stderr.write(
      `regdoctor fix --harden: no real pull is possible here (${pull ? pull.message : 'no CRI socket answered, or --no-pull / --root'}), and a workaround is only removed after a real pull verified its replacement.\nNothing was changed.\n`,
    );
    return EXIT.problems;
  }
  const cfg = getFact(first.state.facts, 'containerd-config');
  const loaded = cfg ? await loadContainerdConfig(adapters.fs, cfg.file) : undefined;
  const registryTable = loaded ? registrySection(loaded.doc, loaded.version).table : undefined;
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
    out(`${paint('✓', 'green', c)} ${plan.reason}`);
    return EXIT.ok;
  }
  if (plan.kind === 'blocked') {
    // the commands as a block to paste (no prompt; long ones continued with ` \`): src/text/manual-steps.ts
    const block = manualBlock(plan.manualSteps, { indent: '  ', columns: io.interactive ? io.columns : undefined });
    io.stderr.write(`regdoctor fix --harden: ${plan.reason}\n${block.map((l) => `${l}\n`).join('')}Nothing was changed.\n`);
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
    io.stderr.write(`regdoctor fix --harden: ${(err as Error).message}\nNothing was changed.\n`);
    return EXIT.problems;
  }
  const stageSteps: PlannedStep[][] = [];
  let k = 0;
  for (const s of plan.stages) {
    stageSteps.push(all.slice(k, k + s.actions.length));
    k += s.actions.length;
  }

  out(
    `\nHarden ${paint(plan.host, 'bold', c)}: ${plan.stages.length} stage${plan.stages.length === 1 ? '' : 's'}, each verified by a real pull before the next; any failure rolls back all of them.`,
  );
  plan.stages.forEach((s, i) => {
    out(
      `\nStage ${i + 1}: ${paint(s.title, 'bold', c)}  [${s.restart ? (skipRestart ? 'restart skipped (--root)' : 'restarts containerd') : 'no restart'}]`,
    );
    out(`  ${s.description}`);
    stageSteps[i]!.forEach((st, j) => {
      out(`\n  ${i + 1}.${j + 1} ${st.summary}`);
      if (st.diff)
        for (const l of st.diff.trimEnd().split('\n'))
          out(`     ${l.startsWith('+') ? paint(l, 'green', c) : l.startsWith('-') ? paint(l, 'red', c) : l}`);
    });
  });
  for (const n of plan.notes) out(paint(`  note: ${sanitizeLine(n)}`, 'dim', c));
  for (const l of plan.left) out(`  ${paint('!', 'yellow', c)} not changed: ${sanitizeLine(l)}`);
  if (o.dryRun) {
    out('\n--dry-run: nothing was changed.');
    return EXIT.ok;
  }
  // trust on first use is explicit: the presented certificate is named by its fingerprint, never implied by --yes
  if (plan.presented && !o.inputs.ca) {
    const tofu = tofuDecision(plan.presented, o.trustPresented, io.interactive && !o.yes);
    if (tofu.kind === 'refuse') {
      io.stderr.write(`regdoctor fix --harden: ${tofu.message}\nNothing was changed.\n`);
      return EXIT.problems;
    }
    const intro = 'Stage 1 trusts the certificate the registry presented (trust on first use):';
    if (tofu.kind === 'ask' && !(await confirmPresented(io, out, intro, tofu.lines, deps.ask))) {
      out('Nothing was changed.');
      return EXIT.problems;
    }
  }
  if (
    io.interactive &&
    !o.yes &&
    !(await (deps.ask ?? askYesNo)(io, `\nApply the ${plan.stages.length} stage${plan.stages.length === 1 ? '' : 's'}? [y/N] `))
  ) {
    out('Nothing was changed.');
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
        `regdoctor fix --harden: journal ${j.id} (${j.proposal} for ${j.target}) was interrupted while applying; roll it back first: ${shellJoin(['regdoctor', 'rollback', j.id, ...stateArgs])}\nNothing was changed.\n`,
      );
      return EXIT.problems;
    }
    let session: string | undefined;
    let last: Journal | undefined;
    const undoAll = async (why: string): Promise<number> => {
      out(`${paint('✗', 'red', c)} ${why}`);
      if (!last) return EXIT.problems;
      out('  rolling back every stage…');
      try {
        const back = await rollback(last, common);
        out(
          back.differences.length
            ? `  rolled back, but not everything is as before: ${back.differences.join('; ')}`
            : '  rolled back: the node is exactly as before (the workaround is back; contents, modes, owners verified).',
        );
      } catch (err) {
        if (!(err instanceof FixError)) throw err;
        io.stderr.write(`regdoctor fix --harden: rollback: ${err.message}\n`);
      }
      return EXIT.problems;
    };
    for (const [i, stage] of plan.stages.entries()) {
      out(`\nStage ${i + 1}: ${stage.title}`);
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
        io.stderr.write(`regdoctor fix --harden: ${err.message}\n`);
        // this stage rolled itself back; the earlier ones are rolled back here
        return session ? undoAll(`stage ${i + 1} failed`) : EXIT.problems;
      }
      const second = await run({ target, options: { ...options, pull: true }, adapters, signal: io.signal });
      const lastStage = i === plan.stages.length - 1;
      if (lastStage) {
        const problem = finalProblem(
          second,
          plan.skipVerifyUrls,
          plan.stages.some((s) => s.restart),
        );
        if (problem) return undoAll(`after stage ${i + 1}: ${problem}`);
      } else {
        const ready = readyForNext(second.state.facts, plan.skipVerifyUrls);
        if (!ready.ok) return undoAll(`after stage ${i + 1}: ${ready.why}; the workaround is not removed`);
      }
      out(
        `  ${paint('✓', 'green', c)} verified: a real CRI pull works${lastStage ? '' : plan.skipVerifyUrls.length ? ', and the certificate verifies with the trust now configured' : ''}`,
      );
    }
    const undo = shellJoin(['regdoctor', 'rollback', session!, ...stateArgs]);
    out(
      `\n${paint('✓', 'green', c)} hardened ${plan.host}: ${plan.skipVerifyUrls.length ? 'certificate verification is on' : 'configured through hosts.toml'}${plan.stages.some((s) => s.restart) ? ', the legacy tables are gone' : ''}, and a real pull works. To undo every stage: ${undo}`,
    );
    for (const l of plan.left) out(`  ${paint('!', 'yellow', c)} still to do by hand: ${sanitizeLine(l)}`);
    return EXIT.ok;
  };
  try {
    return await withStateLock(adapters.fs, o.stateDir, body, { log: (l) => out(l), what: 'fix --harden' });
  } catch (err) {
    if (err instanceof FixError) {
      io.stderr.write(`regdoctor fix --harden: ${err.message}\nNothing was changed.\n`);
      return EXIT.problems;
    }
    throw err;
  }
}
