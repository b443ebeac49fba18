// Trust decisions made before a fix is planned: a certificate taken from the network (trust on first use) is only
// installed when the operator names its SHA-256 fingerprint, and a CA supplied with --ca must actually verify the
// chain the registry presents (Go's rules, the same replay go-verify uses) before anything is written.
import { goVerify } from '../goverify/verify.js';
import { parsePemBundle, type CertInfo } from '../x509/cert.js';
import { sanitizeLine } from '../text/sanitize.js';
import { messageIn, msg, type Message } from '../i18n/index.js';

export interface PresentedCert {
  sha256: string;
  subject: string;
  issuer: string;
  notBefore: string;
  notAfter: string;
}

export function presentedCert(c: {
  sha256: string;
  subject: { display: string };
  issuer: { display: string };
  notBefore: Date | string;
  notAfter: Date | string;
}): PresentedCert {
  const iso = (d: Date | string) => (d instanceof Date ? d.toISOString() : String(d));
  return {
    sha256: c.sha256.toLowerCase(),
    subject: sanitizeLine(c.subject.display),
    issuer: sanitizeLine(c.issuer.display),
    notBefore: iso(c.notBefore),
    notAfter: iso(c.notAfter),
  };
}

/** "AB:CD:…", "sha256:abcd…", "SHA256=ab cd" → lower-case hex; undefined when it is not 64 hex digits. */
export function normalizeFingerprint(s: string): string | undefined {
  const hex = s
    .trim()
    .replace(/^sha-?256[:=\s]*/i, '')
    .replace(/[:\s-]/g, '')
    .toLowerCase();
  return /^[0-9a-f]{64}$/.test(hex) ? hex : undefined;
}

/** Colon-separated upper-case form, as `openssl x509 -fingerprint -sha256` prints it. */
export function colonFingerprint(hex: string): string {
  return hex.toUpperCase().match(/../g)!.join(':');
}

export function describePresented(p: PresentedCert): string[] {
  return describePresentedMessages(p).map((m) => messageIn('en', m));
}

/** describePresented as catalogue messages (labels in the reader's language; the values as they are). */
export function describePresentedMessages(p: PresentedCert): Message[] {
  return [
    msg('fix.presented.sha', { sha: colonFingerprint(p.sha256) }),
    msg('fix.presented.subject', { subject: p.subject }),
    msg('fix.presented.issuer', { issuer: p.issuer }),
    msg('fix.presented.valid', { from: p.notBefore, to: p.notAfter }),
  ];
}

export interface CaCheckInput {
  /** The chain the server presented, leaf first. */
  chain: CertInfo[];
  serverName: string;
  /** The pool the runtime verifies against today (system roots + configured CA files). */
  pool: CertInfo[];
  caPem: string;
  goVersion: string;
  now: Date;
}

const CHAIN_FAULTS = new Set(['self-signed', 'untrusted-ca', 'incomplete-chain', 'insecure-signature']);

/** Does the supplied CA make Go's chain building succeed? Returns the Go message when it does not (`said`: regdoctor's
 *  own reason as a catalogue message, when it is not Go's). */
export function checkSuppliedCa(input: CaCheckInput): { ok: true } | { ok: false; message: string; said?: Message } {
  const { certs, errors } = parsePemBundle(input.caPem);
  const own = (said: Message) => ({ ok: false as const, message: messageIn('en', said), said });
  if (certs.length === 0)
    return own(msg('fix.ca.unreadable', { error: errors.length ? msg('fix.ca.unreadableWhy', { error: String(errors[0]) }) : '' }));
  if (input.chain.length === 0) return own(msg('fix.ca.noChain'));
  const r = goVerify({
    chain: input.chain,
    serverName: input.serverName,
    roots: [...input.pool, ...certs],
    now: input.now,
    goVersion: input.goVersion,
  });
  if (r.ok) return { ok: true };
  // Faults Go reports before chain building (expiry, hostname) or after it (key usage) are not about this CA.
  const chainFault = r.faults.find((f) => CHAIN_FAULTS.has(f.code));
  if (!chainFault) return { ok: true };
  return { ok: false, message: sanitizeLine(chainFault.message) };
}
