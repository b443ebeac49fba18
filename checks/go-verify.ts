// go-verify: replays Go's certificate verification (expiry, hostname, chain with hints, SHA-1, EKU) against the trust
// pool the runtime uses for this endpoint, and predicts the exact error containerd prints — plus what comes next.
// Emits: expired, not-yet-valid, hostname-mismatch, ip-san-missing, legacy-common-name, self-signed, untrusted-ca,
// incomplete-chain, insecure-signature, incompatible-key-usage.
import type { Check, CheckOutcome, FindingInput } from '../src/core/types.js';
import { withTlsPrefix, type GoVerifyResult } from '../src/goverify/verify.js';
import { probeScope, verifyChain } from '../src/probe/endpoint.js';
import { predictTransportPullError } from '../src/core/predict.js';
import type { GoVerifyFacts } from '../src/facts/go-verify.js';
import { msg, summaryOf } from '../src/i18n/index.js';
import { evidence, said } from '../src/i18n/evidence.js';

export const goVerifyCheck: Check<'go-verify'> = {
  id: 'go-verify',
  title: 'Certificate verification as containerd (Go) does it',
  needs: ['tls-handshake', 'cert-chain'],
  wants: ['runtime-info', 'endpoint-walk'],
  timeoutMs: 10_000,
  async run(ctx): Promise<CheckOutcome<GoVerifyFacts>> {
    const hs = ctx.facts('tls-handshake');
    const chain = ctx.facts('cert-chain');
    const rt = ctx.maybeFacts('runtime-info');
    const scope = probeScope(ctx, rt);
    const goVersion = scope.goVersion;
    const goVersionSource: GoVerifyFacts['goVersionSource'] = ctx.options.goVersion
      ? 'override'
      : rt?.goVersionSource === 'build-info'
        ? 'runtime'
        : 'default';
    const versionNote = () =>
      goVersionSource === 'default'
        ? evidence().say('evidence.verify.predictedAssumed', { go: goVersion })
        : goVersionSource === 'override'
          ? evidence().say('evidence.verify.predictedOverride', { go: goVersion })
          : evidence().say('evidence.verify.predictedRead', { go: goVersion, path: String(rt?.binaryPath) });
    if (hs.endpoint.tls.skipVerify) {
      const result: GoVerifyResult = { ok: true, faults: [] };
      return {
        ...summaryOf('probe.verify.disabled', { host: hs.endpoint.host }),
        ...said('evidence.verify.skipVerify', { file: hs.endpoint.source }),
        facts: { goVersion, goVersionSource, skipVerify: true, result },
      };
    }
    const result = verifyChain(
      scope,
      chain.certs.map((c) => c.info),
      hs.serverName,
      chain.pool,
    );
    const facts: GoVerifyFacts = { goVersion, goVersionSource, skipVerify: false, result };
    if (result.ok) {
      return {
        ...summaryOf('check.verify.ok', {
          host: hs.serverName,
          anchor: chain.anchor ? msg('check.anchoredBy', { source: chain.anchor.source }) : '',
        }),
        ...(result.chain
          ? versionNote().say('evidence.verify.chain', { chain: result.chain.map((c) => c.subject.display).join(' → ') })
          : versionNote()
        ).out(),
        facts,
      };
    }
    const first = result.faults[0]!;
    const message = result.message!;
    const next = result.faults.slice(1).map((f) => withTlsPrefix(f.message, goVersion));
    const image = ctx.target.image;
    // The walk found the tag missing behind this error (issue 13 item 8): the fault is real, but latent for tags that exist.
    const masked = ctx.maybeFacts('endpoint-walk')?.maskedNotFound;
    const findings: FindingInput[] = [
      {
        code: first.code,
        severity: masked ? 'warning' : 'error',
        summary: masked
          ? `${first.detail} Here it only hides the registry's own 404 for this tag (see endpoint-walk): images that exist still pull.`
          : first.detail,
        ...(first.detailMessage
          ? { summaryMessage: masked ? msg('verify.masked', { detail: first.detailMessage }) : first.detailMessage }
          : {}),
        ...(chain.anchor
          ? evidence().say('evidence.verify.goReports', { message }).add(versionNote().out())
          : evidence().say('evidence.verify.goReports', { message }).add(versionNote().out()).say('evidence.verify.notAnchored')
        ).out(),
        predictedRuntimeError: image ? predictTransportPullError(image, hs.endpoint.url, message) : message,
        nextErrors: next.length ? next : undefined,
        data: {
          goMessage: message,
          goMessages: result.messages,
          goVersion,
          faults: result.faults.map((f) => ({ code: f.code, message: f.message, subject: f.subject })),
        },
      },
      // Later faults are real problems too, reported as latent: Go shows them only once the first one is fixed.
      ...result.faults.slice(1).map((f, i): FindingInput => ({
        code: f.code,
        severity: 'warning',
        summary: `Once "${result.faults[i]!.code}" is fixed: ${f.detail}`,
        ...(f.detailMessage ? { summaryMessage: msg('verify.onceFixed', { code: result.faults[i]!.code, detail: f.detailMessage }) } : {}),
        ...said('evidence.verify.thenReports', { message: withTlsPrefix(f.message, goVersion) }),
        data: { goMessage: withTlsPrefix(f.message, goVersion), latent: true },
      })),
    ];
    return { summary: message, ...versionNote().out(), findings, facts };
  },
};
