// `regdoctor fix <target>`: guided fix mode — diagnose, show the plan and a unified diff of every file, confirm,
// apply with backups and a journal, restart the runtime only if needed, then verify with a real CRI pull.
// parseFixOptions turns argv into FixOptions; runFix holds the policy, with its collaborators injectable (FixDeps).
// Exit codes: 0 nothing to fix / fixed and verified / --dry-run plan shown; 1 problems found and nothing applied (no
// applicable fix, incomplete diagnosis, refused, declined) or not fixed after applying; 2 usage error.
import { readFileSync } from 'node:fs';
import { EXIT, UsageError, type CliIO } from '../../app/io.js';
import { fixDescription, fixTitle, sanitizeMessage, summaryText, t, tr } from '../../i18n/index.js';
import { sanitizeLine } from '../../text/sanitize.js';
import type { Adapters } from '../../core/adapters.js';
import { parseCommandArgs, toRunOptions } from '../options.js';
import { parseTarget } from '../../core/reference.js';
import { diagnose, type DiagnoseParams, type DiagnosisResult } from '../../app/diagnose.js';
import { sanitizeProposal } from '../../core/report.js';
import { createRealAdapters } from '../../app/adapters.js';
import { DEFAULT_STATE_DIR } from '../../fix/engine.js';
import { elideLong, paint, proposalRisk, riskLabel, ttyWrap } from '../../ui/format.js';
import { needsOptIn } from '../../fix/risk.js';
import { manualBlock } from '../../text/manual-steps.js';
import type { Finding, FixProposal, RunOptions, RunState, Target } from '../../core/types.js';
import type { PlanInputs } from '../../fix/propose.js';
import { planForNode, suppliedCaProblem, tofuDecision, tofuRefusalText } from '../../fix/node-plan.js';
import { proposeCrioFixes } from '../../fix/propose-crio.js';
import { getFact } from '../../core/facts.js';
import type { ApplyDeps, ApplyProposalInput } from './fix-apply.js';
import { confirmPresented } from '../prompt.js';

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
  /** handled by fix-harden.ts (run() hands --harden over before this parser runs) */
  harden: { type: 'boolean' },
  username: { type: 'string' },
  'password-stdin': { type: 'boolean' },
  'password-file': { type: 'string' },
} as const;

/** A registry password from a file or stdin (never argv): one trailing newline dropped, like `docker login`. */
export function passwordText(text: string, from: string): string {
  const p = text.replace(/\r?\n$/, '');
  if (!p) throw new UsageError(t('cli.fix.err.emptyPassword', { from }));
  if (/[\r\n]/.test(p)) throw new UsageError(t('cli.fix.err.multiLinePassword', { from }));
  return p;
}

/** Reads all of stdin (for --password-stdin). */
export async function readAll(stream: NodeJS.ReadableStream, max = 64 * 1024): Promise<string> {
  let out = '';
  for await (const chunk of stream) {
    out += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    if (out.length > max) throw new UsageError(t('cli.fix.err.stdinTooLarge'));
  }
  return out;
}

function readInput(path: string | undefined, what: string): string | undefined {
  if (path === undefined) return undefined;
  try {
    const text = readFileSync(path, 'utf8');
    if (what !== 'key' && !text.includes('-----BEGIN CERTIFICATE-----')) throw new UsageError(t('cli.fix.err.noPemCert', { file: path }));
    if (what === 'key' && !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) throw new UsageError(t('cli.fix.err.noPemKey', { file: path }));
    return text;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(
      t('cli.fix.err.cannotRead', { flag: `--${what === 'key' ? 'client-key' : what}`, file: path, error: (err as Error).message }),
    );
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
  /** --password-stdin: `run` reads the password from stdin before anything else. */
  passwordStdin?: boolean;
}

export function parseFixOptions(args: string[], env: CliIO['env']): FixOptions {
  const { values, positionals } = parseCommandArgs(args, FIX_OPTIONS);
  if (positionals.length !== 1) throw new UsageError(t('cli.fix.err.oneTarget'));
  const run = toRunOptions(values, env);
  const target = parseTarget(positionals[0]!);
  const inputs: PlanInputs = {
    ca: readInput(values.ca as string | undefined, 'ca'),
    caSource: values.ca as string | undefined,
    clientCert: readInput(values['client-cert'] as string | undefined, 'client-cert'),
    clientKey: readInput(values['client-key'] as string | undefined, 'key'),
  };
  if (Boolean(inputs.clientCert) !== Boolean(inputs.clientKey)) throw new UsageError(t('cli.fix.err.certKeyTogether'));
  // credentials: the user name on the command line, the password only from stdin or a file (never argv)
  const username = values.username as string | undefined;
  const passwordFile = values['password-file'] as string | undefined;
  const passwordStdin = Boolean(values['password-stdin']);
  if (passwordStdin && passwordFile) throw new UsageError(t('cli.fix.err.passwordBoth'));
  if ((passwordStdin || passwordFile !== undefined) !== (username !== undefined))
    throw new UsageError(t('cli.fix.err.usernameNeedsPassword'));
  if (
    username !== undefined &&
    (!username || username.includes(':') || [...username].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f))
  )
    throw new UsageError(t('cli.fix.err.usernameInvalid'));
  if (username !== undefined) inputs.username = username;
  if (passwordFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(passwordFile, 'utf8');
    } catch (err) {
      throw new UsageError(t('cli.fix.err.cannotRead', { flag: '--password-file', file: passwordFile, error: (err as Error).message }));
    }
    inputs.password = passwordText(text, `--password-file ${passwordFile}`);
  }
  if (run.useKube) inputs.kube = run.kube;
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
    passwordStdin,
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
  if (args.includes('--harden')) return (await import('./fix-harden.js')).run(args, io);
  const o = parseFixOptions(args, io.env);
  if (o.passwordStdin && io.stdin.isTTY) throw new UsageError(t('cli.fix.err.passwordStdinTty'));
  if (o.passwordStdin) o.inputs.password = passwordText(await readAll(io.stdin), '--password-stdin');
  return runFix(o, { io });
}

export async function runFix(o: FixOptions, deps: FixDeps): Promise<number> {
  const { io } = deps;
  const { target, inputs, yes, dryRun } = o;
  const options = o.run;
  if (!yes && !dryRun && !io.interactive) {
    throw new UsageError(t('cli.fix.err.needsYes'));
  }
  const adapters = (deps.adapters ?? createRealAdapters)({ root: options.root, env: io.env });
  // on a terminal, long lines wrap at spaces with their indent (ttyWrap); piped output is unchanged
  const out = (s = '') => io.stdout.write(`${io.interactive ? ttyWrap(s, io.columns) : s}\n`);
  const c = io.color;

  const first = await (deps.diagnose ?? diagnose)({ target, options, adapters, signal: io.signal, fixInputs: inputs });
  const verdict = first.report.verdict;
  if (verdict.code === 'healthy') {
    out(`${paint('✓', 'green', c)} ${t('cli.fix.nothingToFix', { target: target.input, summary: summaryText(verdict) })}`);
    return EXIT.ok;
  }
  const applyProposal = deps.applyProposal ?? (await import('./fix-apply.js')).applyProposal;
  // One guided session: each round plans against the current diagnosis; after applying, the verifying diagnosis
  // starts the next round (inside the same lock and journal session) until the pull works or nothing applies.
  const done = new Set<string>();
  const round = async (diag: DiagnosisResult, session?: string): Promise<number | undefined> => {
    const r = await planRound(o, deps, adapters, diag, session !== undefined, done);
    if (typeof r === 'number') return session === undefined ? r : undefined;
    done.add(`${r.finding.code}:${r.chosen.id}`);
    if (session !== undefined) out(`\n${paint('→', 'bold', c)} ${t('cli.fix.next', { code: r.finding.code })}`);
    return applyProposal({
      io,
      adapters,
      options,
      target,
      chosen: r.chosen,
      stateDir: o.stateDir,
      restartCmd: o.restartCmd,
      yes,
      dryRun,
      deps,
      session,
      locked: session !== undefined,
      next: o.proposal || dryRun || done.size >= MAX_ROUNDS ? undefined : (second, s) => round(second, s),
    });
  };
  return (await round(first)) ?? EXIT.problems;
}

const MAX_ROUNDS = 8;

/** Causal order of the fixes: trust first, then the client certificate, then credentials, then a restart. */
function causalRank(code: string): number {
  if (code === 'client-cert-required') return 1;
  if (code === 'credentials-missing' || code === 'credentials-mismatch' || code === 'unauthorized') return 2;
  if (code === 'config-not-applied') return 3;
  return 0;
}

/** What this run lacks for a listed-but-not-applicable proposal: one line each, naming the flag that supplies it. */
export function missingInputs(fixes: FixProposal[], o: Pick<FixOptions, 'allowSkipVerify' | 'allowDestructive'>): string[] {
  const out = new Set<string>();
  for (const f of fixes) {
    if (f.id === 'hosts-toml-client' && f.actions.length === 0) out.add(t('cli.fix.missing.clientCert'));
    else if (/^hosts-toml-ca/.test(f.id) && f.actions.length === 0) out.add(t('cli.fix.missing.ca'));
    else if ((f.id === 'node-auth' || f.id === 'pull-secret') && f.actions.length === 0) out.add(t('cli.fix.missing.credentials'));
    else if (proposalRisk(f) === 'disables-verification' && f.actions.length > 0 && !f.blocked && !o.allowSkipVerify)
      out.add(t('cli.fix.missing.skipVerify'));
    else if (proposalRisk(f) === 'destructive' && f.actions.length > 0 && !f.blocked && !o.allowDestructive)
      out.add(t('cli.fix.missing.destructive'));
  }
  return [...out];
}

type Round = { finding: Finding; chosen: FixProposal };

/** One round: the blocking findings in causal order, the first with a fix this run may apply. Else an exit code. */
async function planRound(
  o: FixOptions,
  deps: FixDeps,
  adapters: Adapters,
  diag: DiagnosisResult,
  later: boolean,
  done: Set<string>,
): Promise<Round | number> {
  const { io, target } = { io: deps.io, target: o.target };
  const { inputs, yes, dryRun } = o;
  // on a terminal, long lines wrap at spaces with their indent (ttyWrap); piped output is unchanged
  const out = (s = '') => io.stdout.write(`${io.interactive ? ttyWrap(s, io.columns) : s}\n`);
  const c = io.color;
  const nothing = later ? t('cli.fix.nothingMore') : t('cli.fix.nothingChanged');
  const verdict = diag.report.verdict;
  const finding = diag.findings.find((f) => f.code === verdict.code && (f.severity === 'error' || f.severity === 'critical'));
  if (!later) {
    out(`${paint('✗', 'red', c)} ${paint(verdict.code, 'bold', c)}: ${elideLong(summaryText(verdict))}`);
    if (verdict.predictedRuntimeError)
      out(
        paint(
          `  ${t('cli.fix.runtimeReports', { runtime: getFact(diag.state.facts, 'runtime-info')?.kind === 'cri-o' ? 'CRI-O' : 'containerd', message: elideLong(verdict.predictedRuntimeError) })}`,
          'dim',
          c,
        ),
      );
  }
  // An incomplete diagnosis (`unknown`: deadline reached, a check failed) names no fault, so there is nothing to plan.
  if (!finding) {
    io.stderr.write(
      `regdoctor fix: ${verdict.code === 'unknown' ? t('cli.fix.noPlanIncomplete', { target: target.input }) : t('cli.fix.noPlanNotError', { code: verdict.code, target: target.input })}\n${nothing}\n`,
    );
    return EXIT.problems;
  }
  // the runtime decides where fixes go: containerd's files, CRI-O's (propose-crio.ts), or nothing regdoctor knows
  const runtime = getFact(diag.state.facts, 'runtime-info')?.kind;
  if (runtime === 'docker') {
    io.stderr.write(`regdoctor fix: ${t('cli.fix.docker', { host: target.registry.name })}\n${nothing}\n`);
    return EXIT.problems;
  }
  // every blocking finding, causal order (the verdict's first among equals)
  const blocking = diag.findings
    .filter((f) => f.severity === 'error' || f.severity === 'critical')
    .map((f, i) => ({ f, k: causalRank(f.code) * 1000 + (f === finding ? -1 : i) }))
    .sort((a, b) => a.k - b.k)
    .map((x) => x.f);
  const candidates = o.proposal ? [finding] : [...new Set(blocking)];
  const seen: { finding: Finding; fixes: FixProposal[] }[] = [];
  for (const f of candidates) {
    // A supplied CA must verify the presented chain (Go rules) before anything is planned; then plan against the node.
    const caProblem = suppliedCaProblem(f, diag.state, inputs, adapters.clock.now());
    if (caProblem) {
      io.stderr.write(`regdoctor fix: ${sanitizeLine(tr(sanitizeMessage(caProblem, sanitizeLine)))}\n${nothing}\n`);
      return EXIT.problems;
    }
    const fixes = (await (deps.planFixes ?? planFixesOnNode)({ runtime, finding: f, state: diag.state, target, inputs, adapters })).map(
      sanitizeProposal,
    );
    seen.push({ finding: f, fixes });
    const applicable = fixes.filter((x) => (x.actions.length > 0 || x.blocked) && !done.has(`${f.code}:${x.id}`));
    let chosen: FixProposal | undefined;
    if (o.proposal) {
      chosen = fixes.find((x) => x.id === o.proposal);
      if (!chosen)
        throw new UsageError(
          t('cli.fix.err.noProposal', {
            id: o.proposal,
            code: verdict.code,
            ids: fixes.map((x) => x.id).join(', ') || t('cli.fix.err.none'),
          }),
        );
      if (chosen.actions.length === 0 && !chosen.blocked)
        throw new UsageError(t('cli.fix.err.manualOnly', { id: chosen.id, steps: chosen.manualSteps.join(' ; ') }));
    } else {
      // safest first (the planner's order is src/fix/risk.ts safestFirst); opt-in risks never on their own
      chosen = applicable.find((x) => !needsOptIn(proposalRisk(x)));
      // --allow-skip-verify opts in to skipping verification when nothing safer applies (never hidden, never implied)
      if (!chosen && o.allowSkipVerify) chosen = applicable.find((x) => proposalRisk(x) === 'disables-verification' && !x.blocked);
      // --allow-destructive opts in the same way (e.g. removing a rejected credential for a public image)
      if (!chosen && o.allowDestructive) chosen = applicable.find((x) => proposalRisk(x) === 'destructive' && !x.blocked);
    }
    if (!chosen) continue;
    if (chosen.blocked) {
      const why = chosen.blockedMessage ? tr(sanitizeMessage(chosen.blockedMessage, sanitizeLine), chosen.blocked) : chosen.blocked;
      io.stderr.write(`regdoctor fix: ${why}\n${nothing}\n`);
      return EXIT.problems;
    }
    const risk = proposalRisk(chosen);
    if (risk === 'disables-verification' && !o.allowSkipVerify) {
      throw new UsageError(t('cli.fix.err.skipVerify', { title: fixTitle(chosen), host: target.registry.name }));
    }
    if (risk === 'disables-verification')
      out(`\n${paint(t('cli.fix.warning'), 'yellow', c)}: ${t('cli.fix.skipVerifyWarning', { host: target.registry.name })}`);
    if (risk === 'destructive' && !o.allowDestructive) throw new UsageError(t('cli.fix.err.destructive', { title: fixTitle(chosen) }));
    // Trust on first use is explicit: the presented certificate is named by its fingerprint, never implied by --yes.
    if (chosen.presented && !inputs.ca && !dryRun) {
      const tofu = tofuDecision(chosen.presented, o.trustPresented, io.interactive && !yes);
      if (tofu.kind === 'refuse') {
        io.stderr.write(`regdoctor fix: ${tofuRefusalText(tofu)}\n${nothing}\n`);
        return EXIT.problems;
      }
      const intro = t('cli.fix.tofuIntro');
      if (tofu.kind === 'ask' && !(await confirmPresented(io, out, intro, tofu.lines, deps.ask))) {
        out(nothing);
        return EXIT.problems;
      }
    }
    return { finding: f, chosen };
  }
  // nothing applicable: say exactly what is missing, and which flags would unlock a fix
  out(`\n${t(later ? 'cli.fix.noFixRemains' : 'cli.fix.noFix')}`);
  let listed = 0;
  for (const { finding: f, fixes } of seen) {
    if (seen.length > 1) out(`  ${paint(f.code, 'bold', c)}:`);
    for (const x of fixes) {
      listed++;
      out(`  • [${riskLabel(x)}] ${fixTitle(x)}`);
      out(`    ${fixDescription(x)}`);
      // copy-pasteable: one command per line, never re-wrapped by ttyWrap (long ones continue with ` \`)
      for (const l of manualBlock(x.manualSteps, { indent: '      ', columns: io.interactive ? io.columns : undefined }))
        io.stdout.write(`${l}\n`);
    }
  }
  if (listed === 0) out(`  • ${t('cli.fix.noPlanner', { codes: seen.map((x) => x.finding.code).join(', '), target: target.input })}`);
  const missing = missingInputs(
    seen.flatMap((x) => x.fixes),
    o,
  );
  if (missing.length) {
    out(`\n${t('cli.fix.missingTitle')}`);
    for (const m of missing) out(`  • ${m}`);
  }
  return EXIT.problems;
}
