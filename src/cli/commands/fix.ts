// `regdoctor fix <target>`: guided fix mode — diagnose, show the plan and a unified diff of every file, confirm,
// apply with backups and a journal, restart the runtime only if needed, then verify with a real CRI pull.
// parseFixOptions turns argv into FixOptions; runFix holds the policy, with its collaborators injectable (FixDeps).
// Exit codes: 0 nothing to fix / fixed and verified / --dry-run plan shown; 1 problems found and nothing applied (no
// applicable fix, incomplete diagnosis, refused, declined) or not fixed after applying; 2 usage error.
import { readFileSync } from 'node:fs';
import { EXIT, UsageError, type CliIO } from '../../app/io.js';
import type { Adapters } from '../../core/adapters.js';
import { parseCommandArgs, toRunOptions } from '../options.js';
import { parseTarget } from '../../core/reference.js';
import { diagnose, type DiagnoseParams, type DiagnosisResult } from '../../app/diagnose.js';
import { sanitizeProposal } from '../../core/report.js';
import { createRealAdapters } from '../../app/adapters.js';
import { DEFAULT_STATE_DIR } from '../../fix/engine.js';
import { paint, RISK_LABEL } from '../../ui/format.js';
import type { Finding, FixProposal, RunOptions, RunState, Target } from '../../core/types.js';
import type { PlanInputs } from '../../fix/propose.js';
import { planForNode, suppliedCaProblem, tofuDecision } from '../../fix/node-plan.js';
import { proposeCrioFixes } from '../../fix/propose-crio.js';
import { getFact } from '../../core/facts.js';
import type { ApplyDeps, ApplyProposalInput } from './fix-apply.js';

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
  'trust-presented': { type: 'string' },
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

/** `regdoctor fix` flags, parsed. */
export interface FixOptions {
  target: Target;
  run: RunOptions;
  inputs: PlanInputs;
  yes: boolean;
  dryRun: boolean;
  allowSkipVerify: boolean;
  allowDestructive: boolean;
  stateDir: string;
  restartCmd?: string;
  proposal?: string;
  trustPresented?: string;
}

export function parseFixOptions(args: string[], env: CliIO['env']): FixOptions {
  const { values, positionals } = parseCommandArgs(args, FIX_OPTIONS);
  if (positionals.length !== 1) throw new UsageError('fix takes exactly one target (image reference or registry host)');
  const run = toRunOptions(values, env);
  const target = parseTarget(positionals[0]!);
  const inputs: PlanInputs = {
    ca: readInput(values.ca as string | undefined, 'ca'),
    caSource: values.ca as string | undefined,
    clientCert: readInput(values['client-cert'] as string | undefined, 'client-cert'),
    clientKey: readInput(values['client-key'] as string | undefined, 'key'),
  };
  if (Boolean(inputs.clientCert) !== Boolean(inputs.clientKey)) throw new UsageError('--client-cert and --client-key go together');
  return {
    target,
    run,
    inputs,
    yes: Boolean(values.yes),
    dryRun: Boolean(values['dry-run']),
    allowSkipVerify: Boolean(values['allow-skip-verify']),
    allowDestructive: Boolean(values['allow-destructive']),
    stateDir: (values['state-dir'] as string | undefined) ?? DEFAULT_STATE_DIR,
    restartCmd: values['restart-cmd'] as string | undefined,
    proposal: values.proposal as string | undefined,
    trustPresented: values['trust-presented'] as string | undefined,
  };
}

/** What `runFix` works with; everything but `io` has a real default. */
export interface FixDeps extends ApplyDeps {
  io: CliIO;
  adapters?: (o: { root: string; env: CliIO['env'] }) => Adapters;
  diagnose?: (p: DiagnoseParams) => Promise<DiagnosisResult>;
  /** The proposals for the verdict's finding on this node (containerd's files, or CRI-O's). */
  planFixes?: (p: {
    runtime: string | undefined;
    finding: Finding;
    state: RunState;
    target: Target;
    inputs: PlanInputs;
    adapters: Adapters;
  }) => Promise<FixProposal[]>;
  ask?: (io: CliIO, question: string) => Promise<boolean>;
  /** The second half: plan, confirm, apply, verify (fix-apply.ts). */
  applyProposal?: (x: ApplyProposalInput) => Promise<number>;
}

async function planFixesOnNode(p: Parameters<NonNullable<FixDeps['planFixes']>>[0]): Promise<FixProposal[]> {
  if (p.runtime === 'cri-o')
    return proposeCrioFixes(p.finding, { target: p.target, facts: p.state.facts as Record<string, unknown>, inputs: p.inputs });
  return planForNode({ fs: p.adapters.fs, finding: p.finding, state: p.state, inputs: p.inputs });
}

export async function run(args: string[], io: CliIO): Promise<number> {
  return runFix(parseFixOptions(args, io.env), { io });
}

export async function runFix(o: FixOptions, deps: FixDeps): Promise<number> {
  const { io } = deps;
  const { target, inputs, yes, dryRun } = o;
  const options = o.run;
  if (!yes && !dryRun && !io.interactive) {
    throw new UsageError(
      'refusing to change files without confirmation on a non-interactive terminal: re-run with --yes (or --dry-run to only see the plan)',
    );
  }
  const adapters = (deps.adapters ?? createRealAdapters)({ root: options.root, env: io.env });
  const out = (s = '') => io.stdout.write(`${s}\n`);
  const c = io.color;

  const first = await (deps.diagnose ?? diagnose)({ target, options, adapters, signal: io.signal, fixInputs: inputs });
  const verdict = first.report.verdict;
  if (verdict.code === 'healthy') {
    out(`${paint('✓', 'green', c)} ${target.input}: nothing to fix — ${verdict.summary}`);
    return EXIT.ok;
  }
  const finding = first.findings.find((f) => f.code === verdict.code && (f.severity === 'error' || f.severity === 'critical'));
  out(`${paint('✗', 'red', c)} ${paint(verdict.code, 'bold', c)}: ${verdict.summary}`);
  if (verdict.predictedRuntimeError)
    out(
      paint(
        `  ${getFact(first.state.facts, 'runtime-info')?.kind === 'cri-o' ? 'CRI-O' : 'containerd'} reports: ${verdict.predictedRuntimeError}`,
        'dim',
        c,
      ),
    );
  // An incomplete diagnosis (`unknown`: deadline reached, a check failed) names no fault, so there is nothing to plan.
  if (!finding) {
    io.stderr.write(
      `regdoctor fix: no fix to plan: ${verdict.code === 'unknown' ? 'the diagnosis is incomplete' : `the verdict ${verdict.code} is not an error`}. Re-run \`regdoctor diagnose ${target.input}\` (with a longer --timeout if a deadline was reached) to find the cause.\nNothing was changed.\n`,
    );
    return EXIT.problems;
  }

  // A supplied CA must verify the presented chain (Go rules) before anything is planned; then plan against the node.
  const caProblem = suppliedCaProblem(finding, first.state, inputs, adapters.clock.now());
  if (caProblem) {
    io.stderr.write(`regdoctor fix: ${caProblem}\nNothing was changed.\n`);
    return EXIT.problems;
  }
  // the runtime decides where fixes go: containerd's files, CRI-O's (propose-crio.ts), or nothing regdoctor knows
  const runtime = getFact(first.state.facts, 'runtime-info')?.kind;
  if (runtime === 'docker') {
    io.stderr.write(
      `regdoctor fix: this node's runtime is Docker Engine, not containerd: regdoctor plans no changes for it (its containerd edits would not apply). Use /etc/docker/daemon.json or /etc/docker/certs.d/${target.registry.name}/ by hand.\nNothing was changed.\n`,
    );
    return EXIT.problems;
  }
  const fixes = (await (deps.planFixes ?? planFixesOnNode)({ runtime, finding, state: first.state, target, inputs, adapters })).map(
    sanitizeProposal,
  );
  const applicable = fixes.filter((f) => f.actions.length > 0 || f.blocked);
  let chosen: FixProposal | undefined;
  if (o.proposal) {
    chosen = fixes.find((f) => f.id === o.proposal);
    if (!chosen)
      throw new UsageError(`no proposal "${o.proposal}" for ${verdict.code}; available: ${fixes.map((f) => f.id).join(', ') || 'none'}`);
    if (chosen.actions.length === 0 && !chosen.blocked)
      throw new UsageError(`proposal ${chosen.id} can only be done by hand: ${chosen.manualSteps.join(' ; ')}`);
  } else chosen = applicable.find((f) => f.risk === 'safe' || f.risk === 'mutating');
  if (chosen?.blocked) {
    io.stderr.write(`regdoctor fix: ${chosen.blocked}\nNothing was changed.\n`);
    return EXIT.problems;
  }
  if (!chosen) {
    out('\nNo fix regdoctor can apply on this node. What to do:');
    for (const f of fixes) {
      out(`  • [${RISK_LABEL[f.risk]}] ${f.title}`);
      out(`    ${f.description}`);
      for (const s of f.manualSteps) out(`      $ ${s}`);
    }
    return EXIT.problems;
  }
  if (chosen.risk === 'disables-verification' && !o.allowSkipVerify) {
    throw new UsageError(
      `${chosen.title} DISABLES TLS VERIFICATION for ${target.registry.name}; pass --allow-skip-verify to apply it anyway`,
    );
  }
  if (chosen.risk === 'destructive' && !o.allowDestructive)
    throw new UsageError(`${chosen.title} is destructive; pass --allow-destructive to apply it`);
  // Trust on first use is explicit: the presented certificate is named by its fingerprint, never implied by --yes.
  if (chosen.presented && !inputs.ca && !dryRun) {
    const tofu = tofuDecision(chosen.presented, o.trustPresented, io.interactive && !yes);
    if (tofu.kind === 'refuse') {
      io.stderr.write(`regdoctor fix: ${tofu.message}\nNothing was changed.\n`);
      return EXIT.problems;
    }
    if (tofu.kind === 'ask') {
      out('\nThis fix trusts the certificate the registry presented (trust on first use):');
      for (const l of tofu.lines) out(`  ${l}`);
      if (!(await (deps.ask ?? ask)(io, 'Compare the fingerprint with one obtained out of band. Trust this certificate? [y/N] '))) {
        out('Nothing was changed.');
        return EXIT.problems;
      }
    }
  }

  // from here on: plan, one final decision, all-or-nothing apply, verification (src/cli/commands/fix-apply.ts)
  const applyProposal = deps.applyProposal ?? (await import('./fix-apply.js')).applyProposal;
  return applyProposal({ io, adapters, options, target, chosen, stateDir: o.stateDir, restartCmd: o.restartCmd, yes, dryRun, deps });
}
