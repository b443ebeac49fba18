// Option parsing shared by diagnose-like commands (diagnose, fix, demo, scan).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../app/io.js';
import { DEFAULT_RUN_OPTIONS } from '../app/diagnose.js';
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
  if (!/^\d+$/.test(v) || Number(v) <= 0 || Number(v) > max)
    throw new UsageError(`--${name} must be a number of milliseconds between 1 and ${max}`);
  return Number(v);
}

/** Strict parse: unknown options are usage errors. */
export function parseCommandArgs<O extends ParseArgsConfig['options']>(
  args: string[],
  extra: O,
): { values: RunOptionValues & Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({
      args,
      options: { ...RUN_OPTION_SPEC, ...extra },
      allowPositionals: true,
      strict: true,
    });
    return { values: values as RunOptionValues & Record<string, string | boolean | undefined>, positionals };
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export function toRunOptions(v: RunOptionValues, env: Readonly<Record<string, string | undefined>>): RunOptions {
  if (v['go-version'] !== undefined && !/^go1\.\d+(\.\d+)?$/.test(v['go-version']))
    throw new UsageError('--go-version must look like go1.19 or go1.22.5');
  if (v['containerd-version'] !== undefined && !/^v?\d+\.\d+(\.\d+)?/.test(v['containerd-version']))
    throw new UsageError('--containerd-version must look like 1.6.20');
  const timeoutMs = positiveInt('timeout', v.timeout, DEFAULT_RUN_OPTIONS.timeoutMs);
  const probe = positiveInt('probe-timeout', v['probe-timeout'], DEFAULT_RUN_OPTIONS.probeTimeoutMs);
  const expiry = v['expiry-warning-days'];
  if (expiry !== undefined && (!/^\d+$/.test(expiry) || Number(expiry) > 3650))
    throw new UsageError('--expiry-warning-days must be a number of days between 0 and 3650');
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
