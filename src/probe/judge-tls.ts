// The TLS step of the probe pipeline, as pure judges: what the endpoint speaks and presents (or that it speaks plain
// HTTP), phrased as Go's TLS client phrases it. Used by the tls-handshake check and by the endpoint walk.
import type { CheckOutcome, FindingInput, Target } from '../core/types.js';
import type { TlsProbeResult } from '../adapters/tls.js';
import type { TlsHandshakeFacts } from '../core/tls-facts.js';
import type { EffectiveEndpoint } from '../core/runtime-config.js';
import { manifestUrl, predictResolvePullError, predictTransportPullError } from '../core/predict.js';
import { walkStatusError, WALK_1_5_5, type WalkRules } from '../runtime/endpoints.js';
import { isIP } from '../text/ip.js';
import { certificateMessageError, certificateMessageLength, goTlsProfile } from '../runtime/go-tls.js';
import { msg, summaryOf, type Message } from '../i18n/index.js';
import { evidence } from '../i18n/evidence.js';

export interface TlsObservation {
  endpoint: EffectiveEndpoint;
  serverName: string;
  /** The probe of the endpoint's port (TLS ClientHello, with the configured client pair if any). */
  probe: TlsProbeResult;
  presentedClientCert: boolean;
  /** A full handshake without a client certificate, done when the server asked for one and none is configured. */
  withoutClientCert?: TlsProbeResult;
  /** Why the configured client pair could not be used. */
  clientPairError?: string;
  /** The runtime's Go version (its TLS client's limits: src/runtime/go-tls.ts). */
  goVersion?: string;
}

/** One line on what a Go version's client offers (for the handshake-failure explanation). */
function goOfferSummary(goVersion: string): Message {
  const g = goTlsProfile(goVersion);
  const v = (n: number) => (n === 0x0304 ? '1.3' : n === 0x0303 ? '1.2' : n === 0x0302 ? '1.1' : '1.0');
  const params = { min: v(g.minVersion), max: v(g.maxVersion), curves: g.groups.join(', ') };
  return g.cipherSuites.some((c) => c.startsWith('TLS_RSA_')) ? msg('probe.tls.goOfferRsa', params) : msg('probe.tls.goOffer', params);
}

/** A probe outcome without the adapter's message, as a phrase (English: the outcome's code, as before). */
function outcomeText(outcome: 'not-tls' | 'reset' | 'error'): Message {
  return msg(
    outcome === 'not-tls' ? 'probe.tls.outcome.notTls' : outcome === 'reset' ? 'probe.tls.outcome.reset' : 'probe.tls.outcome.error',
  );
}

function predict(target: Target, endpoint: EffectiveEndpoint, goError: string): string {
  return target.image ? predictTransportPullError(target.image, endpoint.url, goError) : goError;
}

function chainFacts(o: TlsObservation, p: TlsProbeResult): TlsHandshakeFacts {
  return {
    endpoint: o.endpoint,
    serverName: o.serverName,
    sni: isIP(o.serverName) ? undefined : o.serverName,
    protocol: p.protocol,
    cipher: p.cipher,
    alpn: p.alpn,
    clientCertRequested: Boolean(p.clientCertRequested),
    acceptableCAs: p.acceptableCAs ?? [],
    presentedClientCert: o.presentedClientCert,
    chain: p.chain,
    durationMs: p.durationMs,
  };
}

/** Pure judge for an https endpoint. */
export function judgeTls(o: TlsObservation, target: Target): CheckOutcome<TlsHandshakeFacts> {
  const p = o.probe;
  const ep = o.endpoint;
  const where = `${ep.host}`;
  const ev = evidence().say('evidence.tls.probed', { url: ep.url, source: ep.sourceMessage ?? ep.source });
  if (p.protocol)
    ev.say('evidence.tls.negotiated', {
      protocol: p.protocol,
      cipher: p.cipher ? msg('evidence.tls.withCipher', { cipher: p.cipher }) : '',
      alpn: p.alpn ? msg('evidence.tls.alpn', { alpn: p.alpn }) : '',
    });
  if (p.chain.length) ev.say(p.chain.length === 1 ? 'evidence.tls.sentOne' : 'evidence.tls.sentMany', { n: p.chain.length });
  if (p.firstBytes && p.outcome !== 'handshake') ev.say('evidence.tls.answered', { bytes: JSON.stringify(p.firstBytes) });
  if (p.message && p.outcome !== 'handshake') ev.raw(p.message);
  if (p.proxyError) {
    const goError = p.proxyError;
    return {
      ...summaryOf('probe.tls.tunnelRefusedSummary', { where, why: p.message ?? goError }),
      ...ev.out(),
      findings: [
        {
          code: 'proxy',
          severity: 'error',
          ...summaryOf('probe.tls.tunnelRefused', { where, why: p.message ?? goError }),
          ...ev.out(),
          predictedRuntimeError: predict(target, ep, goError),
          data: { goError },
        },
      ],
    };
  }
  switch (p.outcome) {
    case 'plain-http': {
      const goError = 'http: server gave HTTP response to HTTPS client';
      return {
        ...summaryOf('check.tls.plainHttp', { where }),
        ...ev.out(),
        findings: [
          {
            code: 'plain-http-registry',
            ...summaryOf('finding.plainHttp', { where }),
            ...ev.out(),
            predictedRuntimeError: predict(target, ep, goError),
            data: { goError, endpoint: ep.url },
          },
        ],
      };
    }
    case 'timeout': {
      const goError = 'net/http: TLS handshake timeout';
      return {
        ...summaryOf('probe.tls.noHandshakeSummary', { where, why: p.message ?? msg('probe.timeout') }),
        ...ev.out(),
        findings: [
          {
            code: 'timeout',
            ...summaryOf('probe.tls.noHandshake', { where }),
            ...ev.out(),
            predictedRuntimeError: predict(target, ep, goError),
            data: { goError },
          },
        ],
      };
    }
    case 'refused':
      return {
        ...summaryOf('probe.tls.refusedSummary', { where }),
        ...ev.out(),
        findings: [{ code: 'connection-refused', ...summaryOf('probe.tls.refused', { where }), ...ev.out() }],
      };
    case 'not-tls':
    case 'reset':
    case 'error': {
      const goError =
        p.outcome === 'not-tls'
          ? 'tls: first record does not look like a TLS handshake'
          : p.outcome === 'reset'
            ? 'EOF'
            : (p.message ?? 'tls: handshake failure');
      return {
        ...summaryOf('check.tls.failed', { where, why: p.message ?? outcomeText(p.outcome) }),
        ...ev.out(),
        findings: [
          {
            code: 'tls-handshake-failed',
            ...(p.outcome === 'not-tls'
              ? summaryOf('probe.tls.notTls', { where })
              : summaryOf('probe.tls.brokenOff', { where, why: p.message ?? outcomeText(p.outcome) })),
            ...ev.out(),
            predictedRuntimeError: predict(target, ep, goError),
            data: { goError },
          },
        ],
      };
    }
    case 'alert': {
      const goError = `remote error: tls: ${p.alert}`;
      const certAlert = [
        'bad certificate',
        'certificate required',
        'unknown certificate authority',
        'certificate unknown',
        'unsupported certificate',
        'certificate expired',
        'access denied',
      ].includes(p.alert ?? '');
      if (certAlert && (o.presentedClientCert || p.clientCertRequested)) {
        return {
          ...summaryOf('probe.tls.clientRejectedSummary', { where, alert: p.alert ?? '' }),
          ...ev.out(),
          facts: p.chain.length ? chainFacts(o, p) : undefined,
          findings: [
            {
              code: 'client-cert-required',
              ...(o.presentedClientCert
                ? summaryOf('probe.tls.clientRejected', { where, alert: p.alert ?? '' })
                : summaryOf('probe.tls.clientMissing', { where })),
              ...ev.out(),
              predictedRuntimeError: predict(target, ep, goError),
              data: { goError, acceptableCAs: p.acceptableCAs ?? [] },
            },
          ],
        };
      }
      return {
        ...summaryOf('probe.tls.abortedSummary', { where, alert: p.alert ?? '' }),
        ...ev.out(),
        findings: [
          {
            code: 'tls-handshake-failed',
            ...(o.goVersion &&
            (p.alert === 'handshake failure' || p.alert === 'protocol version not supported' || p.alert === 'insufficient security level')
              ? summaryOf('probe.tls.noCommonGo', { where, alert: p.alert, go: o.goVersion, offer: goOfferSummary(o.goVersion) })
              : summaryOf('probe.tls.aborted', { where, alert: p.alert ?? '' })),
            ...ev.out(),
            predictedRuntimeError: predict(target, ep, goError),
            data: { goError },
          },
        ],
      };
    }
    case 'handshake':
      break;
  }
  const findings: FindingInput[] = [];
  if (p.chainProtocol) ev.say('evidence.tls.chainProtocol', { via: p.chainProtocol, protocol: String(p.protocol) });
  if (o.goVersion && (p.chain.length || p.certificateMessageLength !== undefined)) {
    // Go reads the Certificate message's length first and stops above its limit (conn.go readHandshake), before
    // looking at any certificate: the chain's size alone fails the pull, whatever its trust. A message the probe
    // stopped reading (megabytes, hundreds of certificates) is judged by the length its header declares.
    const limit = goTlsProfile(o.goVersion).certificateMessageLimit;
    const lengths = p.chain.map((c) => c.length);
    const declared = p.certificateMessageLength;
    // Go's text (src/runtime/go-tls.ts certificateMessageError) for the declared length
    const goError =
      declared === undefined
        ? certificateMessageError(lengths, p.protocol, limit)
        : declared > limit
          ? `tls: handshake message of length ${declared} bytes exceeds maximum of ${limit} bytes`
          : undefined;
    if (goError) {
      const n = declared ?? certificateMessageLength(lengths, p.protocol);
      // only the certificates read before the probe stopped are counted: "200+" says there were more
      const count = declared === undefined ? p.chain.length : `${p.chain.length}+`;
      return {
        ...summaryOf('probe.tls.bigChainSummary', { where, n, go: o.goVersion, limit }),
        ...evidence(ev.out())
          .say('evidence.tls.bigMessage', { n, protocol: p.protocol ?? 'TLS', count })
          .out(),
        findings: [
          {
            code: 'tls-handshake-failed',
            ...summaryOf('probe.tls.bigChain', { where, count, n, protocol: p.protocol ?? 'TLS', go: o.goVersion, limit }),
            ...ev.out(),
            predictedRuntimeError: predict(target, ep, goError),
            data: { goError, certificateMessageLength: n, limit },
          },
        ],
      };
    }
  }
  if (p.clientCertRequested) {
    ev.say('evidence.tls.clientRequested', {
      issuers: p.acceptableCAs?.length ? msg('evidence.tls.issuedBy', { cas: p.acceptableCAs.join('; ') }) : '',
    });
  }
  if (o.clientPairError) ev.say('evidence.tls.clientPairError', { error: o.clientPairError });
  if (p.clientCertRequested && !o.presentedClientCert) {
    const w = o.withoutClientCert;
    if (w && w.outcome === 'alert') {
      const goError = `remote error: tls: ${w.alert}`;
      findings.push({
        code: 'client-cert-required',
        ...summaryOf('finding.mtlsRequired', {
          where,
          accepts: p.acceptableCAs?.length ? msg('finding.mtlsAccepts', { cas: p.acceptableCAs.join('; ') }) : '',
        }),
        ...evidence(ev.out())
          .say('evidence.tls.withoutClientAlert', { alert: String(w.alert) })
          .out(),
        predictedRuntimeError: predict(target, ep, goError),
        data: { goError, acceptableCAs: p.acceptableCAs ?? [] },
      });
    } else {
      ev.say('evidence.tls.clientOptional');
    }
  }
  return {
    ...summaryOf(p.chain.length === 1 ? 'check.tls.ok.one' : 'check.tls.ok.other', {
      protocol: p.protocol ?? 'TLS',
      where,
      n: p.chain.length,
      client: p.clientCertRequested ? msg('check.tls.clientRequested') : '',
    }),
    ...ev.out(),
    findings,
    facts: chainFacts(o, p),
  };
}

/** Pure judge for an http:// endpoint: is the port really plain HTTP? */
export function judgeHttpEndpoint(
  ep: EffectiveEndpoint,
  p: TlsProbeResult,
  target: Target,
  /** The detected containerd's walk rules (status-error wording) and the manifest URL its resolver requests. */
  req: { walk?: Pick<WalkRules, 'statusText'>; url?: string } = {},
): CheckOutcome<TlsHandshakeFacts> {
  const ev = evidence().say('evidence.http.endpoint', { url: ep.url, source: ep.sourceMessage ?? ep.source });
  if (p.outcome === 'handshake') {
    ev.say('evidence.http.tlsAnyway', { host: ep.host, protocol: p.protocol ?? 'TLS' });
    if (ep.httpFallback) {
      return { ...summaryOf('probe.http.tlsFirst', { host: ep.host }), ...ev.out() };
    }
    // Go's TLS server answers a plain-HTTP request with 400, which containerd reports as a status error in its
    // version's wording (HOSTS_TOML_RULES walk: "pulling from host H failed with status code [manifests T]: 400 Bad
    // Request" on 1.5.5–1.6, measured: test/e2e/runtime-truth-config.e2e.test.ts › 7).
    const resolverError = walkStatusError(req.walk ?? WALK_1_5_5, {
      host: ep.host,
      manifestReference: target.image?.manifestReference ?? '',
      url: req.url ?? (target.image ? manifestUrl(ep.url, target.image) : `${ep.url}/`),
      method: 'HEAD',
      status: 400,
      statusText: 'Bad Request',
    });
    return {
      ...summaryOf('probe.http.httpsOnlySummary', { host: ep.host }),
      ...ev.out(),
      findings: [
        {
          code: 'http-client-to-https-server',
          ...summaryOf('probe.http.httpsOnly', { host: ep.host }),
          ...ev.out(),
          predictedRuntimeError: target.image ? predictResolvePullError(target.image, resolverError) : resolverError,
          data: { endpoint: ep.url },
        },
      ],
    };
  }
  if (p.outcome === 'plain-http' || p.outcome === 'reset' || p.outcome === 'not-tls') {
    return { ...summaryOf('probe.http.plainOk', { host: ep.host }), ...ev.out() };
  }
  return judgeTls({ endpoint: ep, serverName: ep.hostname, probe: p, presentedClientCert: false }, target);
}
