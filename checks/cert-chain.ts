// cert-chain: inspects every certificate the registry presented (names, validity, algorithms, constraints, usages,
// AIA, fingerprints), whether the chain is complete and in order, and which trust source anchors it (Go's system
// roots on this node, the host's hosts.toml `ca`, a legacy ca_file). Emits: tls-interception, tls-handshake-failed,
// certificate-expiring (leaf, intermediate or anchoring CA within --expiry-warning-days, default 30).
import type { Check, CheckOutcome, FindingInput } from '../src/core/types.js';
import type { TlsHandshakeFacts } from '../src/core/tls-facts.js';
import type { CertInfo } from '../src/x509/cert.js';
import type { TrustedCert } from '../src/trust/system-roots.js';
import { buildTrustPool, parseChain, probeScope, trustEnv } from '../src/probe/endpoint.js';
import type { ChainCert, CertChainFacts } from '../src/facts/cert-chain.js';
import { msg, summaryOf, type Message } from '../src/i18n/index.js';
import { evidence as evidenceLines, said } from '../src/i18n/evidence.js';

// Issuers that mark a TLS-intercepting proxy or endpoint-security product.
const INTERCEPTION =
  /zscaler|fortinet|fortigate|palo alto|paloalto|blue ?coat|symantec web|netskope|cisco umbrella|opendns|mitmproxy|sophos|kaspersky|eset ssl|avast|avg web|bitdefender|forcepoint|websense|mcafee web|checkpoint|check point|barracuda|smoothwall|lightspeed|securly|contentkeeper|cloudflare gateway|menlo security|iboss|squid|charles proxy|fiddler|burp/i;

export function judgeChain(
  hs: TlsHandshakeFacts,
  certs: CertInfo[],
  pool: TrustedCert[],
  opts: { proxy?: string; now?: Date; expiryWarningDays?: number } = {},
): {
  facts: Omit<CertChainFacts, 'pool' | 'poolErrors' | 'systemBundle' | 'endpointCaFiles'>;
  findings: FindingInput[];
  evidence: string[];
  evidenceMessages?: (Message | null)[];
} {
  const chain: ChainCert[] = certs.map((info, index) => ({ info, index }));
  for (const c of chain) {
    const issuer = chain.find((p) => p !== c && p.info.subject.raw.equals(c.info.issuer.raw));
    if (issuer) c.issuedBy = issuer.index;
    const trusted = pool.find((t) => t.cert.sha256 === c.info.sha256) ?? pool.find((t) => t.cert.subject.raw.equals(c.info.issuer.raw));
    if (trusted) c.trustedAs = trusted.source;
  }
  // walk from the leaf
  let cur: ChainCert | undefined = chain[0];
  const seen = new Set<number>();
  let complete = false;
  let anchor: CertChainFacts['anchor'];
  while (cur && !seen.has(cur.index)) {
    seen.add(cur.index);
    const inPool = pool.find((t) => t.cert.sha256 === cur!.info.sha256);
    const issuerInPool = pool.find((t) => t.cert.subject.raw.equals(cur!.info.issuer.raw));
    if (inPool) {
      anchor = { subject: inPool.cert.subject.display, source: inPool.source, sha256: inPool.cert.sha256 };
      complete = true;
      break;
    }
    if (issuerInPool) {
      anchor = { subject: issuerInPool.cert.subject.display, source: issuerInPool.source, sha256: issuerInPool.cert.sha256 };
      complete = true;
      break;
    }
    if (cur.info.selfIssued) {
      complete = true;
      break;
    }
    cur = cur.issuedBy !== undefined ? chain[cur.issuedBy] : undefined;
  }
  const inOrder = chain.every((c, i) => i === chain.length - 1 || c.issuedBy === undefined || c.issuedBy === i + 1);
  const evidence = evidenceLines().raw(
    ...chain.map(
      (c) =>
        `#${c.index} ${c.info.subject.display} ← ${c.info.issuer.display}; ${c.info.signatureAlgorithm}; ${c.info.publicKey.type}${c.info.publicKey.bits ? ` ${c.info.publicKey.bits}` : ''}; valid ${c.info.notBefore.toISOString().slice(0, 10)} → ${c.info.notAfter.toISOString().slice(0, 10)}${c.info.dnsNames.length || c.info.ipAddresses.length ? `; SANs ${[...c.info.dnsNames, ...c.info.ipAddresses].join(', ')}` : ''}${c.info.isCA ? `; CA${c.info.maxPathLen >= 0 ? ` pathlen ${c.info.maxPathLen}` : ''}` : ''}${c.info.keyUsage.length ? `; KU ${c.info.keyUsage.join(',')}` : ''}${c.info.extKeyUsage.length ? `; EKU ${c.info.extKeyUsage.join(',')}` : ''}${c.info.issuingCertificateUrls.length ? `; AIA ${c.info.issuingCertificateUrls.join(',')}` : ''}; sha256 ${c.info.sha256}`,
    ),
  );
  if (anchor) evidence.say('evidence.chain.anchored', { subject: anchor.subject, source: anchor.source });
  else evidence.say('evidence.chain.noAnchor');
  if (!inOrder) evidence.say('evidence.chain.order');
  const findings: FindingInput[] = [];
  const leaf = certs[0];
  const interceptor = certs.find((c) => INTERCEPTION.test(`${c.issuer.display} ${c.subject.display}`));
  if (leaf && interceptor) {
    findings.push({
      code: 'tls-interception',
      ...summaryOf('probe.chain.interception', {
        host: hs.serverName,
        issuer: interceptor.issuer.display,
        proxy: opts.proxy ? msg('probe.chain.viaProxy', { proxy: opts.proxy }) : '',
      }),
      ...evidence.out(),
      data: { issuer: interceptor.issuer.display },
    });
  } else if (
    leaf &&
    opts.proxy &&
    !anchor &&
    !leaf.dnsNames.some((d) => d.toLowerCase().endsWith(hs.serverName.split('.').slice(-2).join('.')))
  ) {
    findings.push({
      code: 'tls-interception',
      severity: 'warning',
      ...summaryOf('probe.chain.interceptionLikely', {
        host: hs.serverName,
        proxy: opts.proxy,
        subject: leaf.subject.display,
        issuer: leaf.issuer.display,
      }),
      ...evidence.out(),
    });
  }
  if (opts.now) findings.push(...expiringSoon(chain, pool, anchor, opts.now, opts.expiryWarningDays ?? DEFAULT_EXPIRY_WARNING_DAYS));
  return { facts: { certs: chain, complete, inOrder, anchor }, findings, ...evidence.out() };
}

export const DEFAULT_EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 86_400_000;

/** Certificates that are valid now but expire within `days`: every presented one and the anchor from the trust pool.
 *  A short-lived certificate is flagged only once less than a third of its lifetime is left (ACME clients renew at
 *  two thirds): a 30-day certificate renewed on schedule is always "within 30 days" and must not warn for ever.
 *  An already expired certificate is go-verify's `expired`, not a warning. */
export function expiringSoon(
  chain: ChainCert[],
  pool: TrustedCert[],
  anchor: CertChainFacts['anchor'],
  now: Date,
  days: number,
): FindingInput[] {
  const list: { info: CertInfo; role: string }[] = chain.map((c) => ({
    info: c.info,
    role: c.index === 0 ? 'registry certificate' : c.info.selfIssued ? 'root CA (sent by the registry)' : 'intermediate CA',
  }));
  const anchorCert = anchor ? pool.find((t) => t.cert.sha256 === anchor.sha256) : undefined;
  if (anchorCert && !chain.some((c) => c.info.sha256 === anchorCert.cert.sha256))
    list.push({ info: anchorCert.cert, role: `anchoring CA (${anchorCert.source})` });
  const out: FindingInput[] = [];
  for (const { info, role } of list) {
    const left = info.notAfter.getTime() - now.getTime();
    const lifetime = info.notAfter.getTime() - info.notBefore.getTime();
    if (left < 0 || left > days * DAY_MS || left > lifetime / 3 || info.notBefore.getTime() > now.getTime()) continue;
    const inDays = Math.floor(left / DAY_MS);
    out.push({
      code: 'certificate-expiring',
      severity: 'warning',
      ...summaryOf('finding.expiring', {
        role:
          role === 'registry certificate'
            ? msg('role.leaf')
            : role === 'intermediate CA'
              ? msg('role.intermediate')
              : role.startsWith('root CA')
                ? msg('role.root')
                : anchorCert && role.startsWith('anchoring')
                  ? msg('role.anchor', { source: anchorCert.source })
                  : role,
        subject: info.subject.display,
        date: info.notAfter.toISOString().slice(0, 10),
        when:
          inDays === 0
            ? msg('finding.expiring.withinDay')
            : msg(inDays === 1 ? 'finding.expiring.inDays.one' : 'finding.expiring.inDays.other', { n: inDays }),
        distribute: role.startsWith('anchoring') ? msg('finding.expiring.distribute') : '',
      }),
      ...said('evidence.chain.expiring', { subject: info.subject.display, date: info.notAfter.toISOString(), days, sha256: info.sha256 }),
      data: {
        subject: info.subject.display,
        role,
        notAfter: info.notAfter.toISOString(),
        daysLeft: inDays,
        sha256: info.sha256,
        windowDays: days,
      },
    });
  }
  return out;
}

export const certChainCheck: Check<'cert-chain'> = {
  id: 'cert-chain',
  title: 'Certificate chain and trust source',
  needs: ['tls-handshake'],
  wants: ['runtime-info'],
  timeoutMs: 10_000,
  async run(ctx): Promise<CheckOutcome<CertChainFacts>> {
    const hs = ctx.facts('tls-handshake');
    const parsed = parseChain(hs.chain);
    if (!parsed.ok) {
      return {
        ...summaryOf('probe.chain.unparsableSummary', { index: parsed.index, host: hs.endpoint.host }),
        findings: [
          {
            code: 'tls-handshake-failed',
            ...summaryOf('probe.chain.unparsable', { index: parsed.index, error: parsed.why }),
            data: { goError: parsed.goError },
          },
        ],
      };
    }
    const certs = parsed.certs;
    const sys = await buildTrustPool(ctx.adapters.fs, hs.endpoint, trustEnv(probeScope(ctx, ctx.maybeFacts('runtime-info'))));
    const { pool, errors: poolErrors } = sys;
    const judged = judgeChain(hs, certs, pool, { now: ctx.adapters.clock.now(), expiryWarningDays: ctx.options.expiryWarningDays });
    const evidence = evidenceLines(judged)
      .say('evidence.chain.pool', {
        n: sys.systemCount,
        bundle: sys.bundle ? ` (${sys.bundle})` : '',
        files: hs.endpoint.tls.caFiles.length ? ` + ${hs.endpoint.tls.caFiles.join(', ')}` : '',
      })
      .raw(...poolErrors.slice(0, 5));
    return {
      ...summaryOf(certs.length === 1 ? 'check.chain.summary.one' : 'check.chain.summary.other', {
        n: certs.length,
        subject: certs[0]?.subject.display ?? '?',
        anchor: judged.facts.anchor ? msg('check.chain.anchored', { source: judged.facts.anchor.source }) : msg('check.chain.notAnchored'),
      }),
      ...evidence.out(),
      findings: judged.findings,
      facts: { ...judged.facts, pool, poolErrors, systemBundle: sys.bundle, endpointCaFiles: hs.endpoint.tls.caFiles },
    };
  },
};
