// `regdoctor audit`: every registry this node is configured for (host directories, legacy config.toml tables, node
// auth files and — with cluster access — the images of the pods on this node), diagnosed in parallel with bounded
// parallelism and a total time bound; one table of host, verdict, warnings, expiry and how it is configured.
// Exit codes: 0 every registry healthy (warnings allowed unless --strict), 1 a problem or a registry not diagnosed,
// 2 usage error, 130 interrupted.
import { EXIT, UsageError, type CliIO } from '../../app/io.js';
import { t } from '../../i18n/index.js';
import { checkReportOption, checkRootOption, parseCommandArgs, toRunOptions } from '../options.js';
import { createRealAdapters } from '../../app/adapters.js';
import { auditExitCode, runAudit, type AuditDeps, type AuditDocument, type AuditOptions } from '../../app/audit.js';
import type { Adapters } from '../../core/adapters.js';
import type { RunOptions } from '../../core/types.js';

export interface AuditCliOptions {
  audit: AuditOptions;
  json: boolean;
  strict: boolean;
  reportFile?: string;
  junitFile?: string;
}

const AUDIT_OPTIONS = {
  parallel: { type: 'string' },
  'registry-timeout': { type: 'string' },
  node: { type: 'string' },
  strict: { type: 'boolean' },
} as const;

const DEFAULT_TOTAL_MS = 120_000;
const DEFAULT_REGISTRY_MS = 30_000;

function intOption(name: string, v: string | undefined, dflt: number, min: number, max: number): number {
  if (v === undefined) return dflt;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new UsageError(t('cli.err.numberBetween', { flag: name, min, max }));
  return Number(v);
}

export function parseAuditOptions(args: string[], env: CliIO['env']): AuditCliOptions {
  const { values, positionals } = parseCommandArgs(args, AUDIT_OPTIONS);
  if (positionals.length) throw new UsageError(t('cli.err.auditNoTarget', { args: positionals.join(' ') }));
  const total = intOption('timeout', values.timeout, DEFAULT_TOTAL_MS, 1, 3_600_000);
  const perRegistry = intOption('registry-timeout', values['registry-timeout'] as string | undefined, DEFAULT_REGISTRY_MS, 1, 3_600_000);
  // --timeout is the whole audit's bound here; each diagnosis gets --registry-timeout (never more than what is left)
  const run: RunOptions = { ...toRunOptions({ ...values, timeout: undefined }, env), timeoutMs: Math.min(perRegistry, total) };
  run.probeTimeoutMs = Math.min(run.probeTimeoutMs, run.timeoutMs);
  checkRootOption(values.root);
  checkReportOption(values.report);
  const node = values.node as string | undefined;
  if (node !== undefined && !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(node))
    throw new UsageError(t('cli.err.badNodeName', { node: JSON.stringify(node) }));
  return {
    audit: {
      run,
      parallel: intOption('parallel', values.parallel as string | undefined, 4, 1, 32),
      registryTimeoutMs: run.timeoutMs,
      totalTimeoutMs: total,
      node,
    },
    json: Boolean(values.json),
    strict: Boolean(values.strict),
    reportFile: values.report,
    junitFile: values.junit,
  };
}

export interface AuditCommandDeps {
  io: CliIO;
  adapters?: (o: { root: string; kube: RunOptions['kube']; env: CliIO['env'] }) => Adapters;
  diagnose?: AuditDeps['diagnose'];
}

export async function run(args: string[], io: CliIO): Promise<number> {
  return runAuditCommand(parseAuditOptions(args, io.env), { io });
}

export async function runAuditCommand(o: AuditCliOptions, deps: AuditCommandDeps): Promise<number> {
  const { io } = deps;
  const run = o.audit.run;
  const adapters = (deps.adapters ?? createRealAdapters)({ root: run.root, kube: run.kube, env: io.env });
  const live = !o.json && io.interactive;
  // on a terminal: the Ink table fills in as registries finish, then `f` hardens the selected one
  const ui = live ? await import('../../ui/audit-view.js') : undefined;
  let view: ReturnType<NonNullable<typeof ui>['startAuditView']> | undefined;
  const doc: AuditDocument = await runAudit(o.audit, {
    adapters,
    diagnose: deps.diagnose,
    signal: io.signal,
    onStart: ui
      ? (hosts) => {
          if (hosts.length)
            view = ui.startAuditView(
              { stdout: io.stdout as NodeJS.WritableStream, stdin: io.stdin, columns: io.columns, color: io.color },
              hosts,
            );
        }
      : undefined,
    onEntry: ui ? (e) => view?.update(e) : undefined,
  });
  const choice = view ? await view.finish(doc.registries) : undefined;
  if (o.reportFile || o.junitFile) {
    const { writeAuditReport, writeAuditJUnit } = await import('../../report/audit-export.js');
    if (o.reportFile) io.stderr.write(`${t('ui.reportWritten', { file: await writeAuditReport(o.reportFile, doc) })}\n`);
    if (o.junitFile) io.stderr.write(`${t('cli.junitWritten', { file: await writeAuditJUnit(o.junitFile, doc) })}\n`);
  }
  if (o.json) {
    const { renderAuditJson } = await import('../../report/audit-export.js');
    io.stdout.write(renderAuditJson(doc));
  } else if (view) {
    const { sanitizeLine } = await import('../../text/sanitize.js');
    for (const n of doc.notes) io.stdout.write(`${t('cli.note', { note: sanitizeLine(n) })}\n`);
    if (choice) {
      const { run: harden } = await import('./fix-harden.js');
      return harden(['--harden', choice.target, ...(run.root !== '/' ? ['--root', run.root] : [])], io);
    }
  } else {
    const { renderAuditText } = await import('../../ui/audit-text.js');
    io.stdout.write(renderAuditText(doc, { color: io.color, columns: io.columns, verbose: run.verbose }));
  }
  if (io.signal.aborted) return 130;
  return auditExitCode(doc, o.strict) === 0 ? EXIT.ok : EXIT.problems;
}
