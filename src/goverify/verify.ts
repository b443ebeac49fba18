// A pure replay of Go's crypto/x509 Certificate.Verify as containerd's TLS client runs it: leaf validity (critical
// extensions, expiry), hostname, chain building over roots + presented intermediates (signature policy, basic
// constraints, path length, name constraints, with Go's "possibly because of" hint), then extended key usage.
// It returns the exact message for a Go version and every fault in the order it would surface as each is fixed.
import { isIP } from '../text/ip.js';
import type { CauseCode } from '../core/causes.js';
import { messageIn, msg, type Message, type MessageKey, type ParamsOf } from '../i18n/index.js';
import { signatureValid, type CertInfo } from '../x509/cert.js';

export interface GoVersion {
  major: number;
  minor: number;
}

export function parseGoVersion(v: string): GoVersion {
  const m = v.match(/go(\d+)\.(\d+)/);
  if (!m) throw new Error(`not a Go version: ${v}`);
  return { major: Number(m[1]), minor: Number(m[2]) };
}

const atLeast = (v: GoVersion, minor: number) => v.major > 1 || v.minor >= minor;

export interface GoVerifyInput {
  /** Certificates exactly as the server sent them, leaf first. */
  chain: CertInfo[];
  /** The URL host containerd dials (an IP stays an IP). */
  serverName: string;
  /** The pool Go verifies against (system roots + hosts.toml `ca` / legacy ca_file). */
  roots: CertInfo[];
  now: Date;
  goVersion: string;
}

export interface GoFault {
  code: CauseCode;
  /** Go's x509 error text (without the TLS prefix). */
  message: string;
  /** The certificate the fault is about. */
  subject?: string;
  /** What a human should know beyond the message (English; `detailMessage` for the reader's language). */
  detail: string;
  detailMessage?: Message;
}

/** A fault's detail: English text and the catalogue message it is. */
function detailOf<K extends MessageKey>(key: K, ...params: ParamsOf<K>): { detail: string; detailMessage: Message } {
  const m = msg(key, ...params);
  return { detail: messageIn('en', m), detailMessage: m };
}

export interface GoVerifyResult {
  ok: boolean;
  /** The message the Go TLS client returns for this Go version (undefined when ok). */
  message?: string;
  /** The same fault in both version forms: bare (<= go1.19) and prefixed (>= go1.20). */
  messages?: { go119: string; go120plus: string };
  /** Faults in the order Go would report them as each one is fixed. */
  faults: GoFault[];
  /** Verified chain (leaf → root) when ok. */
  chain?: CertInfo[];
}

// ------------------------------------------------------------------------------------------- Go error texts

function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function quote(s: string): string {
  return JSON.stringify(s);
}

function candidateName(c: CertInfo): string {
  return c.subject.commonName || c.subject.organization[0] || `serial:${c.serial}`;
}

// ------------------------------------------------------------------------------------------- hostname rules

function toLowerAscii(s: string): string {
  return s.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

function validHostname(host: string, isPattern: boolean): boolean {
  let h = host;
  if (!isPattern) h = h.replace(/\.$/, '');
  if (h.length === 0 || h === '*') return false;
  const parts = h.split('.');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part === '') return false;
    if (isPattern && i === 0 && part === '*') continue;
    for (let j = 0; j < part.length; j++) {
      const c = part[j]!;
      if (/[a-zA-Z0-9_]/.test(c)) continue;
      if (c === '-' && j !== 0) continue;
      return false;
    }
  }
  return true;
}

function matchExactly(pattern: string, host: string): boolean {
  if (host === '' || host === '.' || pattern === '' || pattern === '.') return false;
  return toLowerAscii(pattern) === toLowerAscii(host);
}

export function matchHostnames(pattern: string, host: string): boolean {
  const p = toLowerAscii(pattern);
  const h = toLowerAscii(host.replace(/\.$/, ''));
  if (p.length === 0 || h.length === 0) return false;
  const pp = p.split('.');
  const hp = h.split('.');
  if (pp.length !== hp.length) return false;
  return pp.every((part, i) => (i === 0 && part === '*') || part === hp[i]);
}

function ipEqual(a: string, b: string): boolean {
  return normalizeIp(a) === normalizeIp(b);
}

function normalizeIp(ip: string): string {
  if (isIP(ip) === 4) return ip;
  const lower = ip.toLowerCase();
  const m = lower.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/);
  if (m) return m[1]!;
  // expand to 8 groups
  const [head, tail] = lower.includes('::') ? lower.split('::') : [lower, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.map((g) => parseInt(g || '0', 16).toString(16)).join(':');
}

/** Go's Certificate.VerifyHostname; returns undefined when the name matches. */
export function verifyHostname(leaf: CertInfo, host: string, v: GoVersion): GoFault | undefined {
  let candidate = host;
  if (candidate.length >= 3 && candidate.startsWith('[') && candidate.endsWith(']')) candidate = candidate.slice(1, -1);
  if (isIP(candidate)) {
    if (leaf.ipAddresses.some((ip) => ipEqual(ip, candidate))) return undefined;
    if (leaf.ipAddresses.length === 0) {
      return {
        code: 'ip-san-missing',
        message: `x509: cannot validate certificate for ${candidate} because it doesn't contain any IP SANs`,
        subject: leaf.subject.display,
        ...detailOf('verify.ipSanMissing', {
          ip: candidate,
          dns: leaf.dnsNames.length ? msg('verify.itsDnsNames', { names: leaf.dnsNames.join(', ') }) : '',
        }),
      };
    }
    return {
      code: 'hostname-mismatch',
      message: `x509: certificate is valid for ${leaf.ipAddresses.join(', ')}, not ${candidate}`,
      subject: leaf.subject.display,
      ...detailOf('verify.ipSanOther', { ips: leaf.ipAddresses.join(', '), ip: candidate }),
    };
  }
  const lower = toLowerAscii(host);
  const validCandidate = validHostname(lower, false);
  for (const pattern of leaf.dnsNames) {
    if (validCandidate && validHostname(pattern, true)) {
      if (matchHostnames(pattern, lower)) return undefined;
    } else if (matchExactly(pattern, lower)) return undefined;
  }
  // Go <= 1.14 fell back to the Common Name when there were no SANs.
  const cn = leaf.subject.commonName ?? '';
  if (!atLeast(v, 15) && !leaf.hasSanExtension && cn && matchHostnames(cn, host)) return undefined;
  if (!leaf.hasSanExtension && cn && matchHostnames(cn, host)) {
    const message = atLeast(v, 17)
      ? 'x509: certificate relies on legacy Common Name field, use SANs instead'
      : 'x509: certificate relies on legacy Common Name field, use SANs or temporarily enable Common Name matching with GODEBUG=x509ignoreCN=0';
    return {
      code: 'legacy-common-name',
      message,
      subject: leaf.subject.display,
      ...detailOf('verify.legacyCn', { cn }),
    };
  }
  if (leaf.dnsNames.length === 0) {
    return {
      code: 'hostname-mismatch',
      message: `x509: certificate is not valid for any names, but wanted to match ${host}`,
      subject: leaf.subject.display,
      ...detailOf('verify.noDnsNames', { cn: cn ? msg('verify.cnIgnored', { cn }) : '' }),
    };
  }
  return {
    code: 'hostname-mismatch',
    message: `x509: certificate is valid for ${leaf.dnsNames.join(', ')}, not ${host}`,
    subject: leaf.subject.display,
    ...detailOf('verify.hostname', { names: leaf.dnsNames.join(', '), host }),
  };
}

// ------------------------------------------------------------------------------------------- chain building

type CertType = 'leaf' | 'intermediate' | 'root';

interface BuildOptions {
  v: GoVersion;
  now: Date;
  roots: CertInfo[];
  intermediates: CertInfo[];
  leaf: CertInfo;
  /** Relaxations used to find the next fault after a fix. */
  ignoreExpiry: Set<CertInfo>;
  allowSha1: boolean;
}

interface InvalidReason {
  message: string;
  code: CauseCode;
}

function validityError(c: CertInfo, now: Date): InvalidReason | undefined {
  if (now.getTime() < c.notBefore.getTime()) {
    return {
      code: 'not-yet-valid',
      message: `x509: certificate has expired or is not yet valid: current time ${rfc3339(now)} is before ${rfc3339(c.notBefore)}`,
    };
  }
  if (now.getTime() > c.notAfter.getTime()) {
    return {
      code: 'expired',
      message: `x509: certificate has expired or is not yet valid: current time ${rfc3339(now)} is after ${rfc3339(c.notAfter)}`,
    };
  }
  return undefined;
}

function dnsConstraintMatch(name: string, constraint: string): boolean {
  const c = constraint.toLowerCase();
  const n = name.toLowerCase();
  if (c === '') return true;
  if (c.startsWith('.')) return n.endsWith(c);
  return n === c || n.endsWith(`.${c}`);
}

function isValid(c: CertInfo, type: CertType, currentChain: CertInfo[], o: BuildOptions): InvalidReason | undefined {
  if (c.unhandledCriticalExtensions.length > 0) return { code: 'unknown', message: 'x509: unhandled critical extension' };
  if (currentChain.length > 0) {
    const child = currentChain[currentChain.length - 1]!;
    if (!child.issuer.raw.equals(c.subject.raw))
      return { code: 'untrusted-ca', message: 'x509: issuer name does not match subject from issuing certificate' };
  }
  if (!o.ignoreExpiry.has(c)) {
    const exp = validityError(c, o.now);
    if (exp) return exp;
  }
  if ((type === 'intermediate' || type === 'root') && c.nameConstraints) {
    const nc = c.nameConstraints;
    const leaf = o.leaf;
    if ((nc.permittedDns.length || nc.excludedDns.length) && !leaf.hasSanExtension) {
      return { code: 'hostname-mismatch', message: "x509: issuer has name constraints but leaf doesn't have a SAN extension" };
    }
    for (const name of leaf.dnsNames) {
      const excluded = nc.excludedDns.find((e) => dnsConstraintMatch(name, e));
      if (excluded !== undefined) {
        return {
          code: 'hostname-mismatch',
          message: `x509: a root or intermediate certificate is not authorized to sign for this name: DNS name ${quote(name)} is excluded by constraint ${quote(excluded)}`,
        };
      }
      if (nc.permittedDns.length > 0 && !nc.permittedDns.some((p) => dnsConstraintMatch(name, p))) {
        return {
          code: 'hostname-mismatch',
          message: `x509: a root or intermediate certificate is not authorized to sign for this name: DNS name ${quote(name)} is not permitted by any constraint`,
        };
      }
    }
  }
  if (type === 'intermediate' && (!c.basicConstraintsValid || !c.isCA)) {
    return { code: 'untrusted-ca', message: 'x509: certificate is not authorized to sign other certificates' };
  }
  if (c.basicConstraintsValid && c.maxPathLen >= 0) {
    const numIntermediates = currentChain.length - 1;
    if (numIntermediates > c.maxPathLen)
      return { code: 'untrusted-ca', message: 'x509: too many intermediates for path length constraint' };
  }
  return undefined;
}

function checkSignatureFrom(child: CertInfo, parent: CertInfo, o: BuildOptions): InvalidReason | undefined {
  if ((parent.version === 3 && !parent.basicConstraintsValid) || (parent.basicConstraintsValid && !parent.isCA)) {
    return { code: 'untrusted-ca', message: 'x509: invalid signature: parent certificate cannot sign this kind of certificate' };
  }
  if (parent.keyUsagePresent && !parent.keyUsage.includes('keyCertSign')) {
    return { code: 'untrusted-ca', message: 'x509: invalid signature: parent certificate cannot sign this kind of certificate' };
  }
  if (parent.publicKey.type === 'unknown') return { code: 'unknown', message: 'x509: cannot verify signature: algorithm unimplemented' };
  const alg = child.signatureAlgorithm;
  if (child.signatureHash === 'md5' || child.signatureHash === 'md2') {
    return { code: 'insecure-signature', message: `x509: cannot verify signature: insecure algorithm ${alg}` };
  }
  if (child.signatureHash === 'sha1' && atLeast(o.v, 18) && !o.allowSha1) {
    const override =
      (alg === 'SHA1-RSA' || alg === 'ECDSA-SHA1') && !atLeast(o.v, 24) ? ' (temporarily override with GODEBUG=x509sha1=1)' : '';
    return { code: 'insecure-signature', message: `x509: cannot verify signature: insecure algorithm ${alg}${override}` };
  }
  if (!signatureValid(child, parent)) {
    const msg =
      parent.publicKey.type === 'RSA'
        ? 'crypto/rsa: verification error'
        : parent.publicKey.type === 'EC'
          ? 'x509: ECDSA verification failure'
          : parent.publicKey.type === 'Ed25519'
            ? 'x509: Ed25519 verification failure'
            : 'x509: signature verification failure';
    return { code: 'untrusted-ca', message: msg };
  }
  return undefined;
}

function potentialParents(pool: CertInfo[], c: CertInfo): CertInfo[] {
  const matching: CertInfo[] = [];
  const oneKey: CertInfo[] = [];
  const mismatch: CertInfo[] = [];
  for (const p of pool) {
    if (!p.subject.raw.equals(c.issuer.raw)) continue;
    const kidMatch = (p.subjectKeyId ?? '') === (c.authorityKeyId ?? '');
    if (kidMatch) matching.push(p);
    else if ((!p.subjectKeyId && c.authorityKeyId) || (p.subjectKeyId && !c.authorityKeyId)) oneKey.push(p);
    else mismatch.push(p);
  }
  return [...matching, ...oneKey, ...mismatch];
}

function alreadyInChain(c: CertInfo, chain: CertInfo[]): boolean {
  return chain.some((x) => x.der.equals(c.der) || (x.subject.raw.equals(c.subject.raw) && x.publicKey.spki.equals(c.publicKey.spki)));
}

/** Go's buildChains error state (its named `err` return). */
type ChainError =
  | { kind: 'unknown'; cert: CertInfo; hint?: InvalidReason; hintCert?: CertInfo }
  | { kind: 'invalid'; cert: CertInfo; reason: InvalidReason }
  | { kind: 'limit' };

interface ChainOutcome {
  chains: CertInfo[][];
  err?: ChainError;
}

function buildChains(current: CertInfo[], o: BuildOptions, budget: { n: number }): ChainOutcome {
  const c = current[current.length - 1]!;
  const chains: CertInfo[][] = [];
  let hint: InvalidReason | undefined;
  let hintCert: CertInfo | undefined;
  // Mirrors Go exactly: `err` is overwritten by each candidate's validity check and by each recursion, while a
  // failed signature check only records the first hint.
  let err: ChainError | undefined;
  const consider = (type: CertType, candidate: CertInfo) => {
    if (alreadyInChain(candidate, current)) return;
    if (++budget.n > 100) {
      err = { kind: 'limit' };
      return;
    }
    const sigErr = checkSignatureFrom(c, candidate, o);
    if (sigErr) {
      if (!hint) {
        hint = sigErr;
        hintCert = candidate;
      }
      return;
    }
    const invalid = isValid(candidate, type, current, o);
    err = invalid ? { kind: 'invalid', cert: candidate, reason: invalid } : undefined;
    if (invalid) return;
    if (type === 'root') chains.push([...current, candidate]);
    else {
      const sub = buildChains([...current, candidate], o, budget);
      chains.push(...sub.chains);
      err = sub.err;
    }
  };
  for (const r of potentialParents(o.roots, c)) consider('root', r);
  for (const i of potentialParents(o.intermediates, c)) consider('intermediate', i);
  if (chains.length > 0) return { chains };
  return { chains, err: err ?? { kind: 'unknown', cert: c, hint, hintCert } };
}

function ekuAllows(chain: CertInfo[], wanted: string): boolean {
  let ok = true;
  for (let i = chain.length - 1; i >= 0; i--) {
    const eku = chain[i]!.extKeyUsage;
    if (eku.length === 0) continue;
    if (eku.includes('any')) continue;
    if (!eku.includes(wanted)) ok = false;
  }
  return ok;
}

// ------------------------------------------------------------------------------------------- classification

const INTERMEDIATE_NAME = /\b(intermediate|issuing|subordinate|sub[- ]?ca|ica)\b/i;

function classifyUnknownAuthority(
  u: Extract<ChainError, { kind: 'unknown' }>,
  input: GoVerifyInput,
  leaf: CertInfo,
): { code: CauseCode; detail: string; detailMessage?: Message } {
  if (u.hint) {
    if (u.hint.code === 'insecure-signature') {
      return {
        code: 'insecure-signature',
        ...detailOf('verify.sha1', { subject: u.cert.subject.display, algorithm: u.cert.signatureAlgorithm }),
      };
    }
  }
  const top = u.cert;
  const selfSigned = top.selfIssued && signatureValid(top, top);
  if (selfSigned && top === leaf) {
    return {
      code: 'self-signed',
      ...detailOf('verify.selfSigned', { subject: leaf.subject.display }),
    };
  }
  if (selfSigned) {
    return { code: 'untrusted-ca', ...detailOf('verify.untrustedRoot', { subject: top.subject.display }) };
  }
  const presentedIssuer = input.chain.some((c) => c.subject.raw.equals(top.issuer.raw));
  if (!presentedIssuer && top === leaf) {
    const looksIntermediate = leaf.issuingCertificateUrls.length > 0 || INTERMEDIATE_NAME.test(leaf.issuer.display);
    if (looksIntermediate) {
      return {
        code: 'incomplete-chain',
        ...detailOf('verify.missingIntermediate', {
          issuer: leaf.issuer.display,
          published: leaf.issuingCertificateUrls.length ? msg('verify.publishedAt', { url: leaf.issuingCertificateUrls[0]! }) : '',
        }),
      };
    }
    return {
      code: 'untrusted-ca',
      ...detailOf('verify.untrustedIssuer', { issuer: leaf.issuer.display }),
    };
  }
  if (!presentedIssuer && top.isCA && (top.issuingCertificateUrls.length > 0 || INTERMEDIATE_NAME.test(top.issuer.display))) {
    return {
      code: 'incomplete-chain',
      ...detailOf('verify.missingIssuer', { subject: top.subject.display, issuer: top.issuer.display }),
    };
  }
  return {
    code: 'untrusted-ca',
    ...detailOf('verify.untrustedChain', { subject: top.subject.display, issuer: top.issuer.display }),
  };
}

// ------------------------------------------------------------------------------------------- verify

interface Relax {
  ignoreExpiry: Set<CertInfo>;
  skipHostname: boolean;
  extraRoots: CertInfo[];
  allowSha1: boolean;
  skipEku: boolean;
}

type Step = { ok: true; chain: CertInfo[] } | { ok: false; fault: GoFault; fix: (r: Relax) => void };

function verifyOnce(input: GoVerifyInput, v: GoVersion, r: Relax): Step {
  const [leaf, ...rest] = input.chain;
  if (!leaf) {
    return {
      ok: false,
      fault: {
        code: 'tls-handshake-failed',
        message: 'tls: server sent no certificates',
        ...detailOf('probe.verify.noCertificates'),
      },
      fix: () => undefined,
    };
  }
  const o: BuildOptions = {
    v,
    now: input.now,
    roots: [...input.roots, ...r.extraRoots],
    intermediates: rest,
    leaf,
    ignoreExpiry: r.ignoreExpiry,
    allowSha1: r.allowSha1,
  };
  if (leaf.unhandledCriticalExtensions.length > 0) {
    return {
      ok: false,
      fault: {
        code: 'unknown',
        message: 'x509: unhandled critical extension',
        subject: leaf.subject.display,
        ...detailOf('probe.verify.criticalExtension', { oids: leaf.unhandledCriticalExtensions.join(', ') }),
      },
      fix: () => undefined,
    };
  }
  if (!r.ignoreExpiry.has(leaf)) {
    const exp = validityError(leaf, input.now);
    if (exp) {
      return {
        ok: false,
        fault: {
          code: exp.code,
          message: exp.message,
          subject: leaf.subject.display,
          ...(exp.code === 'expired'
            ? detailOf('verify.expired', { at: rfc3339(leaf.notAfter) })
            : detailOf('verify.notYetValid', { at: rfc3339(leaf.notBefore), now: rfc3339(input.now) })),
        },
        fix: (x) => x.ignoreExpiry.add(leaf),
      };
    }
  }
  if (!r.skipHostname) {
    const hf = verifyHostname(leaf, input.serverName, v);
    if (hf) return { ok: false, fault: hf, fix: (x) => (x.skipHostname = true) };
  }
  let chains: CertInfo[][];
  if (o.roots.some((root) => root.der.equals(leaf.der))) chains = [[leaf]];
  else {
    const out = buildChains([leaf], o, { n: 0 });
    const e = out.err;
    if (e?.kind === 'limit') {
      return {
        ok: false,
        fault: {
          code: 'untrusted-ca',
          message: 'x509: signature check attempts limit reached while verifying certificate chain',
          ...detailOf('probe.verify.tangled'),
        },
        fix: () => undefined,
      };
    }
    if (e?.kind === 'invalid') {
      const expiry = e.reason.code === 'expired' || e.reason.code === 'not-yet-valid';
      return {
        ok: false,
        fault: {
          code: e.reason.code,
          message: e.reason.message,
          subject: e.cert.subject.display,
          ...(expiry
            ? detailOf(e.reason.code === 'expired' ? 'probe.verify.caExpired' : 'probe.verify.caNotYetValid', {
                subject: e.cert.subject.display,
                from: e.cert.notBefore.toISOString().slice(0, 10),
                to: e.cert.notAfter.toISOString().slice(0, 10),
              })
            : detailOf('probe.verify.caUnusable', { subject: e.cert.subject.display, error: e.reason.message })),
        },
        fix: (x) => {
          if (expiry) x.ignoreExpiry.add(e.cert);
        },
      };
    }
    if (e?.kind === 'unknown') {
      const u = e;
      const base = 'x509: certificate signed by unknown authority';
      const message = u.hint
        ? `${base} (possibly because of ${quote(u.hint.message)} while trying to verify candidate authority certificate ${quote(candidateName(u.hintCert!))})`
        : base;
      const cls = classifyUnknownAuthority(u, input, leaf);
      const top = u.cert;
      return {
        ok: false,
        fault: { code: cls.code, message, subject: top.subject.display, detail: cls.detail, detailMessage: cls.detailMessage },
        fix: (x) => {
          if (u.hint?.code === 'insecure-signature') x.allowSha1 = true;
          else x.extraRoots.push(top);
        },
      };
    }
    chains = out.chains;
  }
  if (!r.skipEku) {
    const good = chains.filter((ch) => ekuAllows(ch, 'serverAuth'));
    if (good.length === 0) {
      const offending =
        chains[0]!.find((c) => c.extKeyUsage.length > 0 && !c.extKeyUsage.includes('any') && !c.extKeyUsage.includes('serverAuth')) ?? leaf;
      return {
        ok: false,
        fault: {
          code: 'incompatible-key-usage',
          message: 'x509: certificate specifies an incompatible key usage',
          subject: offending.subject.display,
          ...detailOf('verify.eku', { subject: offending.subject.display, ekus: offending.extKeyUsage.join(', ') }),
        },
        fix: (x) => (x.skipEku = true),
      };
    }
    return { ok: true, chain: good[0]! };
  }
  return { ok: true, chain: chains[0]! };
}

export function withTlsPrefix(message: string, goVersion: string | GoVersion): string {
  const v = typeof goVersion === 'string' ? parseGoVersion(goVersion) : goVersion;
  return atLeast(v, 20) ? `tls: failed to verify certificate: ${message}` : message;
}

/** Replays Go's verification. Never throws on certificate content. */
export function goVerify(input: GoVerifyInput): GoVerifyResult {
  const v = parseGoVersion(input.goVersion);
  const relax: Relax = { ignoreExpiry: new Set(), skipHostname: false, extraRoots: [], allowSha1: false, skipEku: false };
  const faults: GoFault[] = [];
  let verifiedChain: CertInfo[] | undefined;
  for (let i = 0; i < 8; i++) {
    const step = verifyOnce(input, v, relax);
    if (step.ok) {
      if (faults.length === 0) verifiedChain = step.chain;
      break;
    }
    if (faults.some((f) => f.message === step.fault.message)) break; // no progress
    faults.push(step.fault);
    step.fix(relax);
  }
  if (faults.length === 0) return { ok: true, faults, chain: verifiedChain };
  const first = faults[0]!;
  return {
    ok: false,
    message: withTlsPrefix(first.message, v),
    messages: { go119: first.message, go120plus: `tls: failed to verify certificate: ${first.message}` },
    faults,
  };
}
