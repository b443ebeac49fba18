// cri-pull: pulls the image through the runtime's CRI socket exactly as kubelet does (with the node credentials
// kubelet would send), so the real error text is evidence and every prediction is checked against reality.
// Emits: runtime-unavailable; `unknown` (with the raw message) when the runtime fails in a way nothing explained.
import type { Check, CheckOutcome, FindingInput } from '../src/core/types.js';
import type { CriRuntimeInfo } from '../src/adapters/cri.js';
import type { CriPullFacts } from '../src/facts/cri-pull.js';
import { msg, summaryOf } from '../src/i18n/index.js';
import { evidence as evidenceLines } from '../src/i18n/evidence.js';

export const criPullCheck: Check<'cri-pull'> = {
  id: 'cri-pull',
  title: 'Pull through CRI, like kubelet',
  needs: [],
  wants: ['auth-files', 'pull-secrets'],
  timeoutMs: 60_000,
  skipIf(ctx) {
    if (!ctx.target.image) return msg('skip.registryNoImage');
    if (!ctx.options.pull) return msg('skip.noPull');
    if (ctx.adapters.fs.root !== '/' && !ctx.options.liveRoot) return msg('skip.offlineCopy');
    return undefined;
  },
  async run(ctx): Promise<CheckOutcome<CriPullFacts>> {
    const info = await ctx.adapters.cri.detect({
      endpoint: ctx.options.runtimeEndpoint,
      timeoutMs: Math.min(5000, ctx.options.probeTimeoutMs),
      signal: ctx.signal,
    });
    if ('error' in info) {
      // crictl, when installed, as a second opinion (it may speak a CRI version our client does not)
      const crictl = await ctx.adapters.exec
        .run(
          'crictl',
          [
            ...(ctx.options.runtimeEndpoint ? ['--runtime-endpoint', ctx.options.runtimeEndpoint] : []),
            'pull',
            ctx.target.image!.normalized,
          ],
          { timeoutMs: Math.max(10_000, ctx.options.timeoutMs - 5_000), signal: ctx.signal },
        )
        .catch(() => undefined);
      if (crictl && !crictl.notFound && !/connect|no such file|Unimplemented|unknown service/i.test(crictl.stderr)) {
        const ok = crictl.exitCode === 0;
        const message = crictl.stderr
          .trim()
          .replace(/^.*?rpc error: code = \w+ desc = /s, '')
          .replace(/^E\d+ .*?\] /, '');
        return {
          ...(ok ? summaryOf('node.cri.crictlOk') : summaryOf('node.cri.crictlFailed', { error: message })),
          evidence: [`crictl pull: exit ${crictl.exitCode}`, ...(ok ? [] : [crictl.stderr.trim()])],
          facts: {
            endpoint: ctx.options.runtimeEndpoint ?? 'crictl default',
            runtime: 'via crictl',
            ok,
            message: ok ? undefined : message,
            durationMs: crictl.durationMs,
          },
          findings: ok
            ? []
            : [
                {
                  code: 'unknown',
                  severity: 'error',
                  ...summaryOf('node.cri.realPullFails', { cause: '', error: message }),
                  predictedRuntimeError: message,
                  data: { actualRuntimeError: message },
                },
              ],
        };
      }
      if (!ctx.options.runtimeEndpoint && /no CRI socket found/.test(info.error)) {
        return { ...summaryOf('node.cri.notOnNode', { error: info.error }), status: 'pass' };
      }
      const unknownService = /unknown service runtime\.v1|Unimplemented|code = 12/.test(info.error);
      return {
        ...summaryOf('node.cri.noAnswer', { error: info.error }),
        findings: [
          {
            code: 'runtime-unavailable',
            ...(unknownService ? summaryOf('node.cri.pluginNotLoaded') : summaryOf('node.cri.socketSilent', { error: info.error })),
            evidence: [info.error],
          },
        ],
      };
    }
    const rt = info as CriRuntimeInfo;
    // kubelet sends the pod's pull-secret credentials first, then the node's.
    const cred = ctx.maybeFacts('pull-secrets')?.credential ?? ctx.maybeFacts('auth-files')?.credential;
    const image = ctx.target.image!.normalized;
    const pull = await ctx.adapters.cri.pullImage(image, {
      endpoint: rt.endpoint,
      auth: cred ? { username: cred.username, password: cred.password, auth: cred.auth, identityToken: cred.identityToken } : undefined,
      timeoutMs: Math.max(10_000, ctx.options.timeoutMs - 5_000),
      signal: ctx.signal,
    });
    let loadedConfig: Record<string, unknown> | undefined;
    try {
      loadedConfig = rt.info.config ? (JSON.parse(rt.info.config) as Record<string, unknown>) : undefined;
    } catch {
      loadedConfig = undefined;
    }
    const facts: CriPullFacts = {
      endpoint: rt.endpoint,
      runtime: `${rt.runtimeName} ${rt.runtimeVersion}`,
      ok: pull.ok,
      imageRef: pull.ok ? pull.imageRef : undefined,
      message: pull.ok ? undefined : pull.message,
      grpcCode: pull.ok ? undefined : pull.grpcCode,
      durationMs: pull.durationMs,
      loadedConfig,
    };
    const ev = evidenceLines().say('evidence.cri.runtimeOn', {
      runtime: rt.runtimeName,
      version: rt.runtimeVersion,
      endpoint: rt.endpoint,
      cred: cred ? msg('evidence.cri.withNodeCreds') : '',
    });
    if (pull.ok) {
      ev.say('evidence.cri.pulled', { image, ref: pull.imageRef, ms: pull.durationMs });
      return { ...summaryOf('node.cri.pulled', { image, ms: pull.durationMs }), ...ev.out(), facts };
    }
    ev.raw(`CRI PullImage: rpc error: code = ${pull.grpcCode} desc = ${pull.message}`);
    const evidence = ev.out();
    // the classifier (its pattern tables) is loaded only for a pull that failed
    const { classifyMessage } = await import('../src/classify/classify.js');
    const c = classifyMessage(pull.message);
    const findings: FindingInput[] = [
      {
        code: c.code,
        severity: 'error',
        host: c.host && c.hostRole !== 'registry' ? c.host : undefined,
        ...summaryOf('node.cri.realPullFails', {
          cause: c.code !== 'unknown' ? msg('node.cri.cause', { explanation: c.explanationMessage }) : '',
          error: pull.message,
        }),
        ...evidence,
        predictedRuntimeError: pull.message,
        data: { actualRuntimeError: pull.message, grpcCode: pull.grpcCode },
      },
    ];
    return { ...summaryOf('node.cri.pullFailed', { error: pull.message }), ...evidence, findings, facts };
  },
};
