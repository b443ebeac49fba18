// `regdoctor fix <target>`: guided fix mode — diagnose, show the plan and a unified diff of every file, confirm,
// apply with backups and a journal, restart the runtime only if needed, then verify with a real CRI pull.
import { readFileSync } from 'node:fs';
import { EXIT, UsageError, type CliIO } from '../io.js';
import { parseCommandArgs, toRunOptions } from '../options.js';
import { parseTarget } from '../../core/reference.js';
import { diagnose } from '../../core/diagnose.js';
import { createRealAdapters } from '../../adapters/index.js';
import { applyPlan, criWaiter, DEFAULT_STATE_DIR, FixError, preparePlan, rollback, type PlannedStep } from '../../fix/engine.js';
import { paint, RISK_LABEL } from '../../ui/format.js';
import type { FixProposal } from '../../core/types.js';
import type { PlanInputs } from '../../fix/propose.js';

export const FIX_OPTIONS = {
  yes: { type: 'boolean', short: 'y' },
  'dry-run': { type: 'boolean' },
  'allow-skip-verify': { type: 'boolean' },
  'allow-destructive': { type: 'boolean' },
  ca: { type: 'string' },
  'client-cert': { type: 'string' },
  'client-key': { type: 'string' },
  'state-dir': { type: 'string' },
  'restart-cmd': { type: 'string' },
  proposal: { type: 'string' },
} as const;

function readInput(path: string | undefined, what: string): string | undefined {
  if (path === undefined) return undefined;
  try {
    const text = readFileSync(path, 'utf8');
    if (what !== 'key' && !text.includes('-----BEGIN CERTIFICATE-----')) throw new UsageError(`${path}: no PEM certificate in it`);
    if (what === 'key' && !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) throw new UsageError(`${path}: no PEM private key in it`);
    return text;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`cannot read --${what === 'key' ? 'client-key' : what} ${path}: ${(err as Error).message}`);
  }
}

async function ask(io: CliIO, question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: io.stdin, output: io.stdout as NodeJS.WritableStream });
  try {
    const a = await rl.question(question);
    return /^y(es)?$/i.test(a.trim());
  } finally {
    rl.close();
  }
}

export async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, FIX_OPTIONS);
  if (positionals.length !== 1) throw new UsageError('fix takes exactly one target (image reference or registry host)');
  const options = toRunOptions(values, io.env);
  const target = parseTarget(positionals[0]!);
  const inputs: PlanInputs = {
    ca: readInput(values.ca as string | undefined, 'ca'),
    caSource: values.ca as string | undefined,
    clientCert: readInput(values['client-cert'] as string | undefined, 'client-cert'),
    clientKey: readInput(values['client-key'] as string | undefined, 'key'),
  };
  if (Boolean(inputs.clientCert) !== Boolean(inputs.clientKey)) throw new UsageError('--client-cert and --client-key go together');
  const yes = Boolean(values.yes);
  const dryRun = Boolean(values['dry-run']);
  if (!yes && !dryRun && !io.interactive) {
    throw new UsageError('refusing to change files without confirmation on a non-interactive terminal: re-run with --yes (or --dry-run to only see the plan)');
  }
  const stateDir = (values['state-dir'] as string | undefined) ?? DEFAULT_STATE_DIR;
  const adapters = createRealAdapters({ root: options.root, env: io.env });
  const out = (s = '') => io.stdout.write(`${s}\n`);
  const c = io.color;

  const first = await diagnose({ target, options, adapters, signal: io.signal, fixInputs: inputs });
  const verdict = first.report.verdict;
  if (verdict.code === 'healthy') {
    out(`${paint('✓', 'green', c)} ${target.input}: nothing to fix — ${verdict.summary}`);
    return EXIT.ok;
  }
  const finding = first.findings.find((f) => f.code === verdict.code && (f.severity === 'error' || f.severity === 'critical'))!;
  out(`${paint('✗', 'red', c)} ${paint(verdict.code, 'bold', c)}: ${verdict.summary}`);
  if (verdict.predictedRuntimeError) out(paint(`  containerd reports: ${verdict.predictedRuntimeError}`, 'dim', c));

  const applicable = finding.fixes.filter((f) => f.actions.length > 0);
  let chosen: FixProposal | undefined;
  if (values.proposal) {
    chosen = finding.fixes.find((f) => f.id === values.proposal);
    if (!chosen) throw new UsageError(`no proposal "${values.proposal}" for ${verdict.code}; available: ${finding.fixes.map((f) => f.id).join(', ') || 'none'}`);
    if (chosen.actions.length === 0) throw new UsageError(`proposal ${chosen.id} can only be done by hand: ${chosen.manualSteps.join(' ; ')}`);
  } else chosen = applicable.find((f) => f.risk === 'safe' || f.risk === 'mutating');
  if (!chosen) {
    out('\nNo fix regdoctor can apply on this node. What to do:');
    for (const f of finding.fixes) {
      out(`  • [${RISK_LABEL[f.risk]}] ${f.title}`);
      out(`    ${f.description}`);
      for (const s of f.manualSteps) out(`      $ ${s}`);
    }
    return EXIT.problems;
  }
  if (chosen.risk === 'disables-verification' && !values['allow-skip-verify']) {
    throw new UsageError(`${chosen.title} DISABLES TLS VERIFICATION for ${target.registry.name}; pass --allow-skip-verify to apply it anyway`);
  }
  if (chosen.risk === 'destructive' && !values['allow-destructive']) throw new UsageError(`${chosen.title} is destructive; pass --allow-destructive to apply it`);

  let steps: PlannedStep[];
  try {
    steps = await preparePlan(adapters.fs, chosen.actions);
  } catch (err) {
    io.stderr.write(`regdoctor fix: ${(err as Error).message}\nNothing was changed.\n`);
    return EXIT.problems;
  }
  const riskText = `${RISK_LABEL[chosen.risk]}${chosen.restartRequired ? ', restarts containerd' : ', no restart'}`;
  // On a terminal without --yes the Ink screen shows the plan step by step; otherwise print it.
  let decisions: boolean[] | undefined;
  if (io.interactive && !yes && !dryRun) {
    const { confirmPlan } = await import('../../ui/fix-view.js');
    decisions = await confirmPlan(io, { title: chosen.title, risk: riskText, description: chosen.description, steps: steps.map((s) => ({ summary: s.summary, diff: s.diff })) });
    if (!decisions.some(Boolean)) {
      out('Nothing was changed.');
      return EXIT.problems;
    }
  } else {
    out(`\nPlan: ${paint(chosen.title, 'bold', c)}  [${riskText}]`);
    out(`  ${chosen.description}`);
    steps.forEach((s, i) => {
      out(`\n  ${i + 1}. ${s.summary}`);
      if (s.diff) for (const l of s.diff.trimEnd().split('\n')) out(`     ${l.startsWith('+') ? paint(l, 'green', c) : l.startsWith('-') ? paint(l, 'red', c) : l}`);
    });
  }
  if (dryRun) {
    out('\n--dry-run: nothing was changed.');
    return EXIT.ok;
  }
  const waitForRuntime = criWaiter(adapters.cri, options.runtimeEndpoint);
  const common = { fs: adapters.fs, exec: adapters.exec, stateDir, restartCmd: values['restart-cmd'] as string | undefined, waitForRuntime, log: (l: string) => out(`  ${l}`) };
  out('');
  let journal;
  try {
    journal = await applyPlan(steps, {
      ...common,
      target: target.input,
      proposal: chosen.id,
      confirm: yes ? undefined : async (s, i) => decisions?.[i] ?? (await ask(io, `Apply step ${i + 1}/${steps.length}: ${s.summary}? [y/N] `)),
    });
  } catch (err) {
    if (err instanceof FixError || (err as { code?: string }).code) {
      io.stderr.write(`regdoctor fix: ${(err as Error).message}\n`);
      return EXIT.problems;
    }
    throw err;
  }
  out(`\nApplied (journal ${journal.id}). To undo: regdoctor rollback ${journal.id}${stateDir !== DEFAULT_STATE_DIR ? ` --state-dir ${stateDir}` : ''}`);

  // verify: the affected checks again, with a real CRI pull
  const second = await diagnose({ target, options: { ...options, pull: options.pull }, adapters, signal: io.signal });
  const pull = (second.state.facts as Record<string, { ok?: boolean; message?: string } | undefined>)['cri-pull'];
  const fixed = second.report.verdict.code === 'healthy' && (pull === undefined || pull.ok === true);
  if (fixed) {
    out(`${paint('✓', 'green', c)} verified: ${pull ? 'a real CRI pull now succeeds' : 'the diagnosis is now healthy (no CRI socket to pull through)'}.`);
    return EXIT.ok;
  }
  out(`${paint('✗', 'red', c)} not fixed yet: ${second.report.verdict.code} — ${second.report.verdict.summary}`);
  if (pull && !pull.ok) out(`  real pull: ${pull.message}`);
  if (io.interactive && !yes && (await ask(io, 'Roll back the change? [y/N] '))) {
    await rollback(journal, common);
    out('rolled back.');
  } else out(`To undo: regdoctor rollback ${journal.id}`);
  return EXIT.problems;
}
