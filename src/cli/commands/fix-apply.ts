// The second half of `regdoctor fix`, once a proposal is chosen: prepare the plan (reads only), show every step and
// its diff, take one final decision, then apply all the steps or none under the state-directory lock, verify with a
// real CRI pull, and offer a rollback. Under --root nothing on the host is restarted or waited on (unless
// --restart-cmd is given).
import * as path from 'node:path';
import { EXIT, type CliIO } from '../../app/io.js';
import { diagnose, type DiagnoseParams, type DiagnosisResult } from '../../app/diagnose.js';
import type { Adapters } from '../../core/adapters.js';
import type { FixProposal, RunOptions, Target } from '../../core/types.js';
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
  skipRestartMessage,
  withStateLock,
  type PlannedStep,
} from '../../fix/engine.js';
import { errorText } from '../../fix/errors.js';
import { elideLong, paint, riskLabel, ttyWrap } from '../../ui/format.js';
import { shellJoin } from '../../text/shell.js';
import { fixDescription, fixTitle, summaryText, t, tr } from '../../i18n/index.js';
import { askYesNo } from '../prompt.js';

export interface ApplyProposalInput {
  io: CliIO;
  adapters: Adapters;
  options: RunOptions;
  target: Target;
  chosen: FixProposal;
  stateDir: string;
  restartCmd?: string;
  yes: boolean;
  dryRun: boolean;
  /** Collaborators to use instead of the real ones (tests). */
  deps?: ApplyDeps;
  /** The guided session (first journal's id) a later round joins; undefined in the first round. */
  session?: string;
  /** A later round runs inside the first round's state-directory lock. */
  locked?: boolean;
  /**
   * The next round: called with the verifying diagnosis when the pull still fails. Returns the exit code of the rest of
   * the session, or undefined when nothing more can be applied (then this round reports as before).
   */
  next?: (second: DiagnosisResult, session: string) => Promise<number | undefined>;
}

/** The fix engine's steps and the verifying diagnosis, injectable; each defaults to the real one. */
export interface ApplyDeps {
  preparePlan?: typeof preparePlan;
  applyPlan?: typeof applyPlan;
  rollback?: typeof rollback;
  diagnose?: (p: DiagnoseParams) => Promise<DiagnosisResult>;
  ask?: (io: CliIO, question: string) => Promise<boolean>;
}

/** True when the files are not the running host's (--root DIR). */
export function underRoot(root: string): boolean {
  return path.resolve(root) !== '/';
}

export async function applyProposal(x: ApplyProposalInput): Promise<number> {
  const { io, adapters, options, target, chosen, stateDir } = x;
  const d = x.deps ?? {};
  // on a terminal, long lines wrap at spaces with their indent (ttyWrap); piped output is unchanged
  const out = (s = '') => io.stdout.write(`${io.interactive ? ttyWrap(s, io.columns) : s}\n`);
  const c = io.color;
  const rooted = underRoot(options.root);
  // --root: the files belong to another node; its runtime is not ours to restart, and the host socket is not its
  const skipRestart = rooted && !x.restartCmd ? RESTART_SKIPPED_ROOT : undefined;
  const stateArgs = [...(stateDir !== DEFAULT_STATE_DIR ? ['--state-dir', stateDir] : []), ...(rooted ? ['--root', options.root] : [])];
  const body = async (): Promise<number> => {
    if (!x.dryRun) {
      // a fix interrupted by a crash is rolled back before anything else changes this node
      const broken = await interruptedJournals(adapters.fs, stateDir).catch(() => []);
      if (broken.length) {
        const j = broken.at(-1)!;
        io.stderr.write(
          `regdoctor fix: ${t(j.restartPending ? 'cli.fix.interruptedPending' : 'cli.fix.interrupted', { id: j.id, proposal: j.proposal, target: j.target, command: shellJoin(['regdoctor', 'rollback', j.id, ...stateArgs]) })}\n${t('cli.fix.nothingChanged')}\n`,
        );
        return EXIT.problems;
      }
    }
    let steps: PlannedStep[];
    try {
      steps = await (d.preparePlan ?? preparePlan)(adapters.fs, chosen.actions, { skipRestart, restartCmd: x.restartCmd });
    } catch (err) {
      io.stderr.write(`regdoctor fix: ${errorText(err)}\n${t('cli.fix.nothingChanged')}\n`);
      return EXIT.problems;
    }
    const restart = chosen.actions.find((a) => a.kind === 'restart-runtime');
    // the label every output prints (src/fix/risk.ts); only what this run does differently is said after it (the
    // restart skipped under --root, a reload instead of a restart) — the steps name the service
    const riskText = `${riskLabel(chosen)}${chosen.restartRequired && skipRestart ? t('cli.fix.restartSkippedRoot') : restart?.kind === 'restart-runtime' && restart.reload ? t('cli.fix.reloads', { service: restart.service }) : ''}`;
    // On a terminal without --yes the Ink screen shows every step, then asks once; otherwise print the plan.
    if (io.interactive && !x.yes && !x.dryRun) {
      const { confirmPlan } = await import('../../ui/fix-view.js');
      const go = await confirmPlan(io, {
        title: fixTitle(chosen),
        risk: riskText,
        description: fixDescription(chosen),
        steps: steps.map((s) => ({ summary: tr(s.summaryMessage, s.summary), diff: s.diff })),
      });
      if (!go || io.signal.aborted) {
        out(t('cli.fix.nothingChanged'));
        return EXIT.problems;
      }
    } else {
      out(`\n${t('fix.plan', { title: paint(fixTitle(chosen), 'bold', c), risk: riskText })}`);
      out(`  ${fixDescription(chosen)}`);
      steps.forEach((s, i) => {
        out(`\n  ${i + 1}. ${tr(s.summaryMessage, s.summary)}`);
        if (s.diff)
          for (const l of s.diff.trimEnd().split('\n'))
            out(`     ${l.startsWith('+') ? paint(l, 'green', c) : l.startsWith('-') ? paint(l, 'red', c) : l}`);
      });
    }
    if (x.dryRun) {
      out(`\n${t('cli.fix.dryRunDone')}`);
      return EXIT.ok;
    }
    const waitForRuntime = criWaiter(adapters.cri, options.runtimeEndpoint);
    const common = {
      fs: adapters.fs,
      exec: adapters.exec,
      stateDir,
      restartCmd: x.restartCmd,
      skipRestart,
      waitForRuntime,
      log: (l: string) => out(`  ${l}`),
    };
    out('');
    let journal;
    try {
      journal = await (d.applyPlan ?? applyPlan)(steps, {
        ...common,
        target: target.input,
        proposal: chosen.id,
        cri: adapters.cri,
        signal: io.signal,
        session: x.session ?? true,
      });
    } catch (err) {
      if (err instanceof FixError || (err as { code?: string }).code) {
        io.stderr.write(`regdoctor fix: ${errorText(err)}\n`);
        return EXIT.problems;
      }
      throw err;
    }
    const session = x.session ?? journal.session ?? journal.id;
    const undo = shellJoin(['regdoctor', 'rollback', session, ...stateArgs]);
    const applied = { journal: journal.id, session, command: undo };
    const appliedKey =
      session !== journal.id
        ? x.session
          ? 'cli.fix.appliedSessionRounds'
          : 'cli.fix.appliedSession'
        : x.session
          ? 'cli.fix.appliedRounds'
          : 'cli.fix.applied';
    out(`\n${t(appliedKey, applied)}`);
    if (skipRestart && journal.restartSkipped)
      out(`  ${paint('!', 'yellow', c)} ${skipRestartMessage(skipRestart) ? t('fix.log.restartSkippedRootSentence') : `${skipRestart}.`}`);

    // verify: the affected checks again, with a real CRI pull (not under --root: the host's runtime is not that node's)
    const second = await (d.diagnose ?? diagnose)({
      target,
      options: { ...options, pull: options.pull && !rooted },
      adapters,
      signal: io.signal,
    });
    const pull = (second.state.facts as Record<string, { ok?: boolean; message?: string } | undefined>)['cri-pull'];
    const fixed = second.report.verdict.code === 'healthy' && (pull === undefined || pull.ok === true);
    if (fixed) {
      out(`${paint('✓', 'green', c)} ${t(pull ? 'cli.fix.verifiedPull' : rooted ? 'cli.fix.verifiedRoot' : 'cli.fix.verifiedNoCri')}`);
      return EXIT.ok;
    }
    out(
      `${paint('✗', 'red', c)} ${t('cli.fix.notFixed', { code: second.report.verdict.code, summary: elideLong(summaryText(second.report.verdict)) })}`,
    );
    if (pull && !pull.ok) out(`  ${t('cli.fix.realPull', { message: pull.message ?? '' })}`);
    if (x.next) {
      const rest = await x.next(second, session);
      if (rest !== undefined) return rest;
    }
    if (io.interactive && !x.yes && (await (d.ask ?? askYesNo)(io, t('cli.fix.askRollback')))) {
      try {
        const back = await (d.rollback ?? rollback)(journal, common);
        out(
          back.differences.length
            ? t('cli.fix.rolledBackDiff', { differences: differencesText(back).join('; ') })
            : t('cli.fix.rolledBack'),
        );
      } catch (err) {
        if (!(err instanceof FixError)) throw err;
        io.stderr.write(`regdoctor fix: ${t('cli.fix.rollbackFailed', { message: errorText(err) })}\n`);
      }
    } else out(t('cli.fix.toUndo', { command: undo }));
    return EXIT.problems;
  };
  if (x.dryRun || x.locked) return body();
  try {
    return await withStateLock(adapters.fs, stateDir, body, { log: (l) => out(l), what: 'fix' });
  } catch (err) {
    if (err instanceof FixError) {
      io.stderr.write(`regdoctor fix: ${errorText(err)}\n${t('cli.fix.nothingChanged')}\n`);
      return EXIT.problems;
    }
    throw err;
  }
}
