// Option parsing shared by diagnose-like commands (diagnose, fix, demo, scan).
import { statSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../app/io.js';
import { suggestFlag, USAGE_TEXT } from './help.js';
import { t } from '../i18n/index.js';
import { DEFAULT_RUN_OPTIONS } from '../app/run-options.js';
import type { RunOptions } from '../core/types.js';

export const RUN_OPTION_SPEC = {
  json: { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v' },
  root: { type: 'string' },
  timeout: { type: 'string' },
  'probe-timeout': { type: 'string' },
  'runtime-endpoint': { type: 'string' },
  'no-pull': { type: 'boolean' },
  'go-version': { type: 'string' },
  'containerd-version': { type: 'string' },
  context: { type: 'string' },
  kubeconfig: { type: 'string' },
  namespace: { type: 'string', short: 'n' },
  report: { type: 'string' },
  junit: { type: 'string' },
  'expiry-warning-days': { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

export type RunOptionValues = {
  [K in keyof typeof RUN_OPTION_SPEC]?: (typeof RUN_OPTION_SPEC)[K]['type'] extends 'boolean' ? boolean : string;
};

function positiveInt(name: string, v: string | undefined, dflt: number, max = 3_600_000): number {
  if (v === undefined) return dflt;
  if (!/^\d+$/.test(v) || Number(v) <= 0 || Number(v) > max) throw new UsageError(t('cli.err.milliseconds', { flag: name, max, value: v }));
  return Number(v);
}

type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** The long name of `--name`, `--name=value` or a one-letter alias `-n`, when the spec knows it. */
function longName(arg: string, spec: OptionSpec): string | undefined {
  const long = /^--([^=]+)$/.exec(arg)?.[1];
  if (long !== undefined) return spec[long] ? long : undefined;
  const short = /^-([^-])$/.exec(arg)?.[1];
  return short === undefined ? undefined : Object.keys(spec).find((k) => spec[k]!.short === short);
}

/** `--timeout -5` → `--timeout=-5`: a negative number after a string flag is its value (Node's parseArgs calls it
 *  ambiguous), so the flag's own check can say what is wrong with it. */
function joinNegativeValues(args: readonly string[], spec: OptionSpec): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') return [...out, ...args.slice(i)];
    const name = longName(a, spec);
    const next = args[i + 1];
    if (name && spec[name]!.type === 'string' && next !== undefined) {
      if (/^-\d/.test(next)) out.push(`--${name}=${next}`);
      else out.push(a, next);
      i++;
      continue;
    }
    out.push(a);
  }
  return out;
}

/** Node's parseArgs error as one line a person can act on (its own text has an unbalanced quote and a lecture). */
export function parseErrorMessage(message: string, spec: OptionSpec = {}): string {
  const unknown = /^Unknown option '([^']+)'/.exec(message)?.[1];
  if (unknown !== undefined)
    return USAGE_TEXT.unknownOption(
      unknown,
      suggestFlag(
        unknown,
        Object.entries(spec).flatMap(([k, o]) => [`--${k}`, ...(o.short ? [`-${o.short}`] : [])]),
      ),
    );
  const opt = /^Option '([^']+)'/.exec(message)?.[1];
  if (opt !== undefined) {
    const short = /^-([^-])\b/.exec(opt)?.[1];
    const long = short !== undefined ? Object.keys(spec).find((k) => spec[k]!.short === short) : undefined;
    const flag = /--[^\s,<]+/.exec(opt)?.[0] ?? (long ? `--${long}` : opt.split(/[\s,]/)[0]!);
    if (/argument missing|argument is ambiguous/.test(message)) return USAGE_TEXT.needsValue(flag);
    if (/does not take an argument/.test(message)) return USAGE_TEXT.takesNoValue(flag);
  }
  return message;
}

/** Strict parse of `args` against exactly `spec`: unknown options, missing values and values given to boolean flags
 *  are UsageErrors with one clear line (and the closest known flag). */
export function parseStrict<O extends OptionSpec>(args: string[], spec: O) {
  try {
    return parseArgs({ args: joinNegativeValues(args, spec), options: spec, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(parseErrorMessage((err as Error).message, spec));
  }
}

/** Strict parse with the run options: unknown options are usage errors. */
export function parseCommandArgs<O extends ParseArgsConfig['options']>(
  args: string[],
  extra: O,
): { values: RunOptionValues & Record<string, string | boolean | undefined>; positionals: string[] } {
  const { values, positionals } = parseStrict(args, { ...RUN_OPTION_SPEC, ...extra });
  return { values: values as RunOptionValues & Record<string, string | boolean | undefined>, positionals };
}

/** --root must name a directory: the node's files are read below it. */
export function checkRootOption(root: string | undefined): void {
  if (root === undefined) return;
  let ok = false;
  try {
    ok = statSync(root).isDirectory();
  } catch {
    ok = false;
  }
  if (!ok) throw new UsageError(t('cli.err.rootNotDir', { dir: root }));
}

/** --report FILE: one of the formats the report writers know by the file's extension. */
export function checkReportOption(file: string | undefined): void {
  if (file !== undefined && !/\.(md|markdown|json|html?)$/i.test(file)) throw new UsageError(t('cli.err.reportExt', { file }));
}

export function toRunOptions(v: RunOptionValues, env: Readonly<Record<string, string | undefined>>): RunOptions {
  if (v['go-version'] !== undefined && !/^go1\.\d+(\.\d+)?$/.test(v['go-version'])) throw new UsageError(t('cli.err.goVersion'));
  if (v['containerd-version'] !== undefined && !/^v?\d+\.\d+(\.\d+)?/.test(v['containerd-version']))
    throw new UsageError(t('cli.err.containerdVersion'));
  const timeoutMs = positiveInt('timeout', v.timeout, DEFAULT_RUN_OPTIONS.timeoutMs);
  const probe = positiveInt('probe-timeout', v['probe-timeout'], DEFAULT_RUN_OPTIONS.probeTimeoutMs);
  const expiry = v['expiry-warning-days'];
  if (expiry !== undefined && (!/^\d+$/.test(expiry) || Number(expiry) > 3650)) throw new UsageError(t('cli.err.expiryDays'));
  return {
    ...DEFAULT_RUN_OPTIONS,
    root: v.root ?? '/',
    timeoutMs,
    probeTimeoutMs: Math.min(probe, timeoutMs),
    runtimeEndpoint: v['runtime-endpoint'] ?? env.CONTAINER_RUNTIME_ENDPOINT,
    pull: !v['no-pull'],
    goVersion: v['go-version'],
    containerdVersion: v['containerd-version']?.replace(/^v/, ''),
    kube: { context: v.context, kubeconfig: v.kubeconfig, namespace: v.namespace },
    useKube: Boolean(v.context || v.kubeconfig || v.namespace || env.KUBECONFIG),
    verbose: Boolean(v.verbose),
    // `--root /host --runtime-endpoint unix:///host/…`: a node's root mounted into a pod, with its runtime running
    liveRoot: v.root !== undefined && v.root !== '/' && v['runtime-endpoint'] !== undefined,
    ...(expiry !== undefined ? { expiryWarningDays: Number(expiry) } : {}),
  };
}
