// The TLS step of the probe pipeline, as pure judges: what the endpoint speaks and presents (or that it speaks plain
// HTTP), phrased as Go's TLS client phrases it. Used by the tls-handshake check and by the endpoint walk.
import type { CheckOutcome, FindingInput, Target } from '../core/types.js';
import type { TlsProbeResult } from '../adapters/tls.js';
import type { TlsHandshakeFacts } from '../core/tls-facts.js';
import type { EffectiveEndpoint } from '../core/runtime-config.js';
import { manifestUrl, predictResolvePullError, predictTransportPullError } from '../core/predict.js';
import { walkStatusError, WALK_1_5_5, type WalkRules } from '../runtime/endpoints.js';
import { isIP } from 'node:net';
import { certificateMessageError, certificateMessageLength, goTlsProfile } from '../runtime/go-tls.js';
import { msg, summaryOf } from '../i18n/index.js';

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
function goOfferSummary(goVersion: string): string {
  const g = goTlsProfile(goVersion);
  const v = (n: number) => (n === 0x0304 ? '1.3' : n === 0x0303 ? '1.2' : n === 0x0302 ? '1.1' : '1.0');
  return `TLS ${v(g.minVersion)}–${v(g.maxVersion)}, ECDHE${g.cipherSuites.some((c) => c.startsWith('TLS_RSA_')) ? ' and RSA' : ''} key exchange only — never DHE —, curves ${g.groups.join(', ')}`;
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
  const evidence: string[] = [`probed ${ep.url} (${ep.source})`];
  if (p.protocol) evidence.push(`negotiated ${p.protocol}${p.cipher ? ` with ${p.cipher}` : ''}${p.alpn ? `, ALPN ${p.alpn}` : ''}`);
  if (p.chain.length) evidence.push(`server sent ${p.chain.length} certificate${p.chain.length === 1 ? '' : 's'}`);
  if (p.firstBytes && p.outcome !== 'handshake') evidence.push(`server answered: ${JSON.stringify(p.firstBytes)}`);
  if (p.message && p.outcome !== 'handshake') evidence.push(p.message);
  if (p.proxyError) {
    const goError = p.proxyError;
    return {
      summary: `the proxy refused the tunnel to ${where}: ${p.message ?? goError}`,
      evidence,
      findings: [
        {
          code: 'proxy',
          severity: 'error',
          summary: `The proxy in front of this node refuses to open a tunnel to ${where} (${p.message ?? goError}): proxy authentication, an allow-list, or a proxy that should be bypassed with NO_PROXY.`,
          evidence,
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
        evidence,
        findings: [
          {
            code: 'plain-http-registry',
            ...summaryOf('finding.plainHttp', { where }),
            evidence,
            predictedRuntimeError: predict(target, ep, goError),
            data: { goError, endpoint: ep.url },
          },
        ],
      };
    }
    case 'timeout': {
      const goError = 'net/http: TLS handshake timeout';
      return {
        summary: `no TLS handshake from ${where}: ${p.message ?? 'timeout'}`,
        evidence,
        findings: [
          {
            code: 'timeout',
            summary: `${where} accepts TCP connections but never completes a TLS handshake (a stuck server, a proxy or a firewall that swallows the traffic).`,
            evidence,
            predictedRuntimeError: predict(target, ep, goError),
            data: { goError },
          },
        ],
      };
    }
    case 'refused':
      return {
        summary: `connection to ${where} refused during the TLS probe`,
        evidence,
        findings: [{ code: 'connection-refused', summary: `${where} refused the connection.`, evidence }],
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
        ...summaryOf('check.tls.failed', { where, why: p.message ?? p.outcome }),
        evidence,
        findings: [
          {
            code: 'tls-handshake-failed',
            summary:
              p.outcome === 'not-tls'
                ? `${where} does not speak TLS (nor HTTP) on this port.`
                : `${where} breaks off the TLS handshake (${p.message ?? p.outcome}).`,
            evidence,
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
          summary: `${where} rejected the client certificate (${p.alert})`,
          evidence,
          facts: p.chain.length ? chainFacts(o, p) : undefined,
          findings: [
            {
              code: 'client-cert-required',
              summary: o.presentedClientCert
                ? `${where} rejects the client certificate configured for it (${p.alert}): it is not issued by a CA the registry accepts, expired, or not valid for client authentication.`
                : `${where} requires a TLS client certificate and the runtime has none configured for it.`,
              evidence,
              predictedRuntimeError: predict(target, ep, goError),
              data: { goError, acceptableCAs: p.acceptableCAs ?? [] },
            },
          ],
        };
      }
      return {
        summary: `${where} aborted the TLS handshake: ${p.alert}`,
        evidence,
        findings: [
          {
            code: 'tls-handshake-failed',
            summary:
              o.goVersion &&
              (p.alert === 'handshake failure' || p.alert === 'protocol version not supported' || p.alert === 'insufficient security level')
                ? `${where} aborts the TLS handshake with "${p.alert}" when offered what the runtime's Go TLS client (${o.goVersion}) offers: the server shares no protocol version, cipher suite, curve or signature scheme with it (Go offers ${goOfferSummary(o.goVersion)}). Enable one of those on the registry.`
                : `${where} aborts the TLS handshake with "${p.alert}" (no common protocol version or cipher suite, or a server-side TLS policy).`,
            evidence,
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
  if (p.chainProtocol) evidence.push(`certificates read through ${p.chainProtocol} (the runtime's client negotiates ${p.protocol})`);
  if (o.goVersion && p.chain.length) {
    // Go reads the Certificate message's length first and stops above its limit (conn.go readHandshake), before
    // looking at any certificate: the chain's size alone fails the pull, whatever its trust.
    const limit = goTlsProfile(o.goVersion).certificateMessageLimit;
    const lengths = p.chain.map((c) => c.length);
    const goError = certificateMessageError(lengths, p.protocol, limit);
    if (goError) {
      const n = certificateMessageLength(lengths, p.protocol);
      return {
        summary: `${where} sends a ${n}-byte certificate message, more than ${o.goVersion}'s TLS client accepts (${limit})`,
        evidence: [...evidence, `Certificate message of ${n} bytes in ${p.protocol ?? 'TLS'} for ${p.chain.length} certificates`],
        findings: [
          {
            code: 'tls-handshake-failed',
            summary: `${where} sends a certificate chain of ${p.chain.length} certificates (${n} bytes in its ${p.protocol ?? 'TLS'} Certificate message); the runtime's Go TLS client (${o.goVersion}) accepts at most ${limit} bytes and ends the handshake. Send only the leaf and its intermediates.`,
            evidence,
            predictedRuntimeError: predict(target, ep, goError),
            data: { goError, certificateMessageLength: n, limit },
          },
        ],
      };
    }
  }
  if (p.clientCertRequested) {
    evidence.push(`server requests a client certificate${p.acceptableCAs?.length ? ` issued by: ${p.acceptableCAs.join('; ')}` : ''}`);
  }
  if (o.clientPairError) evidence.push(`configured client certificate unusable: ${o.clientPairError}`);
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
        evidence: [...evidence, `a handshake without a client certificate ends with "${w.alert}"`],
        predictedRuntimeError: predict(target, ep, goError),
        data: { goError, acceptableCAs: p.acceptableCAs ?? [] },
      });
    } else {
      evidence.push('client certificate is optional (a handshake without one succeeds)');
    }
  }
  return {
    ...summaryOf(p.chain.length === 1 ? 'check.tls.ok.one' : 'check.tls.ok.other', {
      protocol: p.protocol ?? 'TLS',
      where,
      n: p.chain.length,
      client: p.clientCertRequested ? msg('check.tls.clientRequested') : '',
    }),
    evidence,
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
  const evidence = [`endpoint ${ep.url} (${ep.source})`];
  if (p.outcome === 'handshake') {
    evidence.push(`but ${ep.host} completes a TLS handshake (${p.protocol ?? 'TLS'})`);
    if (ep.httpFallback) {
      return { summary: `${ep.host} speaks TLS; containerd tries HTTPS first for this endpoint`, evidence };
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
      summary: `${ep.host} speaks HTTPS, but the runtime is configured for plain HTTP`,
      evidence,
      findings: [
        {
          code: 'http-client-to-https-server',
          summary: `containerd is configured to use http://${ep.host}, but that port only speaks HTTPS: the registry answers "400 Bad Request: Client sent an HTTP request to an HTTPS server".`,
          evidence,
          predictedRuntimeError: target.image ? predictResolvePullError(target.image, resolverError) : resolverError,
          data: { endpoint: ep.url },
        },
      ],
    };
  }
  if (p.outcome === 'plain-http' || p.outcome === 'reset' || p.outcome === 'not-tls') {
    return { summary: `${ep.host} uses plain HTTP as configured (no TLS to inspect)`, evidence };
  }
  return judgeTls({ endpoint: ep, serverName: ep.hostname, probe: p, presentedClientCert: false }, target);
}
