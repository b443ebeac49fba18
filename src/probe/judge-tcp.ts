// The TCP step of the probe pipeline, as pure judges: what the runtime's dialer would see for an endpoint (direct, or
// through the proxy its environment names), phrased as Go's dialer phrases it. Used by the tcp-connect check and by
// the endpoint walk, so one endpoint yields the same facts on both paths.
import type { CheckOutcome, FindingInput, Target } from '../core/types.js';
import type { ConnectResult, LookupResult, ResolvedAddress } from '../adapters/net.js';
import { fmt } from '../adapters/net.js';
import { predictTransportPullError } from '../core/predict.js';
import { msg, summaryOf, type Message } from '../i18n/index.js';
import { evidence, type EvidenceLines } from '../i18n/evidence.js';

export interface TcpFacts {
  /** Host name dialled (endpoint host). */
  hostname: string;
  port: number;
  addresses: ResolvedAddress[];
  /** Address the connection was made to. */
  connectedTo: string;
  connectMs: number;
  /** Endpoint base URL used for predictions (scheme://host[:port]/v2). */
  endpointUrl: string;
  /** The HTTP(S) proxy the runtime goes through for this endpoint (the TCP connection went to it). */
  proxy?: string;
}

export interface TcpObservation {
  hostname: string;
  port: number;
  endpointUrl: string;
  /** First nameserver from the node's resolv.conf, used to phrase Go's DNS error. */
  nameserver?: string;
  lookup: LookupResult;
  /** One result per address tried (in order); empty when the lookup failed. */
  connects: ConnectResult[];
}

/** How the name was resolved, when that is worth a line: from /etc/hosts (Go reads it before DNS), or through libc
 *  because the node's configuration makes containerd's Go resolver defer to it. */
function viaEvidence(via: LookupResult['via'], host: string, ev: EvidenceLines): EvidenceLines {
  if (via?.resolver === 'libc') return ev.say('evidence.tcp.libc', { reason: via.reason });
  if (via?.resolver === 'go' && via.source === 'hosts') return ev.say('evidence.tcp.hostsFile', { host });
  return ev;
}

/** Pure judge: turns what was observed into facts and findings, phrasing errors as Go's dialer does. */
export function judgeTcp(obs: TcpObservation, target: Target): CheckOutcome<TcpFacts> {
  const predict = (goError: string): string => (target.image ? predictTransportPullError(target.image, obs.endpointUrl, goError) : goError);
  const where = `${obs.hostname}:${obs.port}`;
  if (!obs.lookup.ok) {
    const ns = obs.nameserver ? ` on ${fmt(obs.nameserver, 53)}` : '';
    const goTail = obs.lookup.error === 'timeout' ? 'i/o timeout' : 'no such host';
    // the resolver's own *net.DNSError text when it knows it (server named, libc's wording, server misbehaving)
    const goError = obs.lookup.goError ? `dial tcp: ${obs.lookup.goError}` : `dial tcp: lookup ${obs.hostname}${ns}: ${goTail}`;
    const finding: FindingInput = {
      code: 'dns',
      ...(obs.lookup.error === 'not-found'
        ? summaryOf('finding.dns.notFound', { host: obs.hostname })
        : summaryOf('finding.dns.failed', { host: obs.hostname, why: obs.lookup.message })),
      ...viaEvidence(
        obs.lookup.via,
        obs.hostname,
        obs.nameserver
          ? evidence().raw(obs.lookup.message).say('evidence.tcp.resolver', { server: obs.nameserver })
          : evidence().raw(obs.lookup.message),
      ).out(),
      predictedRuntimeError: predict(goError),
      data: { goError, lookupError: obs.lookup.code },
    };
    return { ...summaryOf('check.tcp.noResolve', { host: obs.hostname, why: obs.lookup.message }), findings: [finding] };
  }
  const addrs = obs.lookup.addresses;
  const ok = obs.connects.find((c): c is Extract<ConnectResult, { ok: true }> => c.ok);
  const isLiteral = addrs.length === 1 && addrs[0]!.address === obs.hostname;
  const ev = isLiteral
    ? evidence().say('evidence.tcp.literal', { host: obs.hostname })
    : viaEvidence(
        obs.lookup.via,
        obs.hostname,
        evidence().say('evidence.tcp.resolves', { host: obs.hostname, addresses: addrs.map((a) => a.address).join(', ') }),
      );
  for (const c of obs.connects) {
    if (c.ok) ev.say('evidence.tcp.connected', { addr: fmt(c.address, c.port), ms: c.durationMs });
    else ev.raw(c.message);
  }
  if (ok) {
    return {
      ...summaryOf('check.tcp.connected', { addr: fmt(ok.address, ok.port), ms: ok.durationMs }),
      ...ev.out(),
      facts: {
        hostname: obs.hostname,
        port: obs.port,
        addresses: addrs,
        connectedTo: ok.address,
        connectMs: ok.durationMs,
        endpointUrl: obs.endpointUrl,
      },
    };
  }
  // Go reports the first address's error when every address fails.
  const first = obs.connects[0] as Extract<ConnectResult, { ok: false }> | undefined;
  if (!first) {
    return {
      ...summaryOf('probe.tcp.noAddressSummary', { host: obs.hostname }),
      findings: [{ code: 'dns', ...summaryOf('probe.tcp.noAddress', { host: obs.hostname }), ...ev.out() }],
    };
  }
  const addr = fmt(addrs[0]!.address, obs.port);
  if (first.error === 'refused') {
    const goError = `dial tcp ${addr}: connect: connection refused`;
    return {
      ...summaryOf('check.tcp.refused', { where }),
      ...ev.out(),
      findings: [
        {
          code: 'connection-refused',
          ...summaryOf('finding.refused', { where, addr }),
          ...ev.out(),
          predictedRuntimeError: predict(goError),
          data: { goError },
        },
      ],
    };
  }
  if (first.error === 'timeout') {
    const goError = `dial tcp ${addr}: i/o timeout`;
    return {
      ...summaryOf('check.tcp.timeout', { where }),
      ...ev.out(),
      findings: [
        {
          code: 'timeout',
          ...summaryOf('finding.timeout', { where, addr }),
          ...ev.out(),
          predictedRuntimeError: predict(goError),
          data: { goError },
        },
      ],
    };
  }
  const goError = first.error === 'unreachable' ? `dial tcp ${addr}: connect: no route to host` : first.message;
  return {
    ...summaryOf('probe.tcp.cannotConnect', { where, why: first.message }),
    ...ev.out(),
    findings: [
      {
        code: 'timeout',
        ...summaryOf('probe.tcp.unreachable', { where, why: first.message }),
        ...ev.out(),
        predictedRuntimeError: predict(goError),
        data: { goError },
      },
    ],
  };
}

export async function firstNameserver(read: () => Promise<string>): Promise<string | undefined> {
  try {
    const text = await read();
    const m = text.match(/^[^\S\n\r\u2028\u2029]*nameserver\s+(\S+)/m);
    return m?.[1];
  } catch {
    return undefined;
  }
}

export interface ProxyObservation {
  hostname: string;
  port: number;
  endpointUrl: string;
  /** The proxy URL the runtime's environment names for this endpoint, and why it applies. */
  proxy: string;
  reason: string;
  /** `reason` as a catalogue message (ProxyDecision.reasonMessage). */
  reasonMessage?: Message;
  /** Whether the proxy rules came from the runtime's environment (else this shell's). */
  runtimeEnv: boolean;
  /** Lookup of the proxy's host, and the TCP connection to it (absent when the lookup failed). */
  lookup: LookupResult;
  connect?: ConnectResult;
}

/** Pure judge for an endpoint reached through a proxy: the TCP connection goes to the proxy. */
export function judgeProxy(obs: ProxyObservation, target: Target): CheckOutcome<TcpFacts> {
  const pu = new URL(obs.proxy);
  const phost = pu.hostname.replace(/^\[|\]$/g, '');
  const { lookup, connect: conn } = obs;
  const envNote = msg(obs.runtimeEnv ? 'evidence.proxy.runtimeEnv' : 'evidence.proxy.shellEnv');
  const ev = evidence().say('evidence.proxy.from', { reason: obs.reasonMessage ?? obs.reason, env: envNote });
  if (!lookup.ok || !conn?.ok) {
    const err = !lookup.ok ? lookup.message : conn && !conn.ok ? conn.message : 'failed';
    const goError = `proxyconnect tcp: ${!lookup.ok ? `dial tcp: ${lookup.goError ?? `lookup ${phost}: no such host`}` : err}`;
    return {
      ...summaryOf('probe.proxy.unreachableSummary', { proxy: pu.host, why: err === 'failed' ? msg('probe.failed') : err }),
      ...evidence(ev.out()).raw(err).out(),
      findings: [
        {
          code: 'proxy',
          severity: 'error',
          host: pu.host,
          ...summaryOf('probe.proxy.unreachable', { proxy: pu.host, why: err === 'failed' ? msg('probe.failed') : err }),
          ...evidence(ev.out()).raw(err).out(),
          predictedRuntimeError: target.image ? predictTransportPullError(target.image, obs.endpointUrl, goError) : goError,
          data: { goError, proxy: obs.proxy },
        },
      ],
    };
  }
  return {
    ...summaryOf('probe.proxy.through', { proxy: pu.host, ms: conn.durationMs }),
    ...evidence(ev.out()).say('evidence.proxy.connected', { proxy: pu.host, ms: conn.durationMs }).out(),
    findings: [
      {
        code: 'proxy',
        host: pu.host,
        ...summaryOf('probe.proxy.note', { proxy: pu.host }),
        ...ev.out(),
      },
    ],
    facts: {
      hostname: obs.hostname,
      port: obs.port,
      addresses: lookup.addresses,
      connectedTo: obs.hostname,
      connectMs: conn.durationMs,
      endpointUrl: obs.endpointUrl,
      proxy: obs.proxy,
    },
  };
}
