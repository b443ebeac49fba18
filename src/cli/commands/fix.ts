// `regdoctor fix <target>`: guided fix mode — diagnose, show the plan and a unified diff of every file, confirm,
// apply with backups and a journal, restart the runtime only if needed, then verify with a real CRI pull.
import { readFileSync } from 'node:fs';
import { EXIT, UsageError, type CliIO } from '../../app/io.js';
import { parseCommandArgs, toRunOptions } from '../options.js';
import { parseTarget } from '../../core/reference.js';
import { diagnose } from '../../app/diagnose.js';
import { sanitizeProposal } from '../../core/report.js';
import { createRealAdapters } from '../../app/adapters.js';
import { applyPlan, criWaiter, DEFAULT_STATE_DIR, FixError, preparePlan, rollback, type PlannedStep } from '../../fix/engine.js';
import { paint, RISK_LABEL } from '../../ui/format.js';
import type { FixProposal } from '../../core/types.js';
import type { PlanInputs } from '../../fix/propose.js';
import { planForNode, suppliedCaProblem, tofuDecision } from '../../fix/node-plan.js';
import { proposeCrioFixes } from '../../fix/propose-crio.js';
import { getFact } from '../../core/facts.js';

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
  if (verdict.predictedRuntimeError) out(paint(`  ${getFact(first.state.facts, 'runtime-info')?.kind === 'cri-o' ? 'CRI-O' : 'containerd'} reports: ${verdict.predictedRuntimeError}`, 'dim', c));

  // A supplied CA must verify the presented chain (Go rules) before anything is planned; then plan against the node.
  const caProblem = suppliedCaProblem(finding, first.state, inputs, adapters.clock.now());
  if (caProblem) {
    io.stderr.write(`regdoctor fix: ${caProblem}\nNothing was changed.\n`);
    return EXIT.problems;
  }
  // the runtime decides where fixes go: containerd's files, CRI-O's (propose-crio.ts), or nothing regdoctor knows
  const runtime = getFact(first.state.facts, 'runtime-info')?.kind;
  if (runtime === 'docker') {
    io.stderr.write(`regdoctor fix: this node's runtime is Docker Engine, not containerd: regdoctor plans no changes for it (its containerd edits would not apply). Use /etc/docker/daemon.json or /etc/docker/certs.d/${target.registry.name}/ by hand.\nNothing was changed.\n`);
    return EXIT.problems;
  }
  const fixes = (runtime === 'cri-o' ? proposeCrioFixes(finding, { target, facts: first.state.facts as Record<string, unknown>, inputs }) : await planForNode({ fs: adapters.fs, finding, state: first.state, inputs })).map(sanitizeProposal);
  const applicable = fixes.filter((f) => f.actions.length > 0 || f.blocked);
  let chosen: FixProposal | undefined;
  if (values.proposal) {
    chosen = fixes.find((f) => f.id === values.proposal);
    if (!chosen) throw new UsageError(`no proposal "${values.proposal}" for ${verdict.code}; available: ${fixes.map((f) => f.id).join(', ') || 'none'}`);
    if (chosen.actions.length === 0 && !chosen.blocked) throw new UsageError(`proposal ${chosen.id} can only be done by hand: ${chosen.manualSteps.join(' ; ')}`);
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
  if (chosen.risk === 'disables-verification' && !values['allow-skip-verify']) {
    throw new UsageError(`${chosen.title} DISABLES TLS VERIFICATION for ${target.registry.name}; pass --allow-skip-verify to apply it anyway`);
  }
  if (chosen.risk === 'destructive' && !values['allow-destructive']) throw new UsageError(`${chosen.title} is destructive; pass --allow-destructive to apply it`);
  // Trust on first use is explicit: the presented certificate is named by its fingerprint, never implied by --yes.
  if (chosen.presented && !inputs.ca && !dryRun) {
    const tofu = tofuDecision(chosen.presented, values['trust-presented'] as string | undefined, io.interactive && !yes);
    if (tofu.kind === 'refuse') {
      io.stderr.write(`regdoctor fix: ${tofu.message}\nNothing was changed.\n`);
      return EXIT.problems;
    }
    if (tofu.kind === 'ask') {
      out('\nThis fix trusts the certificate the registry presented (trust on first use):');
      for (const l of tofu.lines) out(`  ${l}`);
      if (!(await ask(io, 'Compare the fingerprint with one obtained out of band. Trust this certificate? [y/N] '))) {
        out('Nothing was changed.');
        return EXIT.problems;
      }
    }
  }

  // from here on: plan, one final decision, all-or-nothing apply, verification (src/cli/commands/fix-apply.ts)
  const { applyProposal } = await import('./fix-apply.js');
  return applyProposal({ io, adapters, options, target, chosen, stateDir, restartCmd: values['restart-cmd'] as string | undefined, yes, dryRun });
}
