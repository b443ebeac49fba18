// What the runtime's Go TLS client offers, per Go version (containerd's HTTP client uses crypto/tls with its defaults:
// containerd sets no CipherSuites, CurvePreferences or MinVersion for registry hosts — remotes/docker/config/hosts.go
// ConfigureHosts starts from `&tls.Config{}` and sets only InsecureSkipVerify, RootCAs and Certificates per host; the
// CRI plugin's legacy `configs.tls` path, pkg/cri/server/image_pull.go getTLSConfig, sets the same three). The TLS
// probe offers exactly this, so a server that shares nothing with Go refuses the probe as it refuses containerd (a
// DHE-only server: `remote error: tls: handshake failure`), instead of Node/OpenSSL negotiating what Go never would.
//
// Sources (golang/go, src/crypto/tls; row by row below):
//   versions      common.go (Config.MinVersion doc, supportedVersions / roleClient): clients default to TLS 1.2 as the
//                 minimum since go1.18 (release notes go1.18 "crypto/tls"); TLS 1.0 before. Maximum TLS 1.3.
//   cipher suites cipher_suites.go cipherSuitesPreferenceOrder (AES-GCM first on AES hardware) minus
//                 disabledCipherSuites (CBC-SHA256, RC4); go1.22 drops RSA key exchange (defaults.go tlsrsakex),
//                 go1.23 drops 3DES (defaults.go tls3des). Go never implemented DHE suites.
//                 TLS 1.3: defaults.go defaultCipherSuitesTLS13 (AES-128-GCM, AES-256-GCM, CHACHA20-POLY1305).
//   curves        common.go defaultCurvePreferences (X25519, P-256, P-384, P-521); go1.23 adds X25519Kyber768Draft00
//                 first (tlskyber), go1.24 replaces it with X25519MLKEM768 (defaults.go defaultCurvePreferences,
//                 tlsmlkem). Go never offers FFDHE groups.
//   signatures    common.go supportedSignatureAlgorithms / defaults.go defaultSupportedSignatureAlgorithms: PSS,
//                 ECDSA, Ed25519, PKCS#1 v1.5, with PKCS1WithSHA1 / ECDSAWithSHA1 last until go1.25 (tlssha1).
//   message limit conn.go readHandshake: maxHandshake = 65536 for every handshake message; go1.23 allows certificate
//                 messages up to maxHandshakeCertificateMsg = 262144 (golang/go#50773). The error is
//                 fmt.Errorf("tls: handshake message of length %d bytes exceeds maximum of %d bytes", n, max).
// GODEBUG settings in containerd's environment (tlsrsakex=1, tls3des=1, tlssha1=1, tlskyber=0, tlsmlkem=0) undo the
// rows they name (GODEBUG_UNDO).
import type { TlsClientOffer } from '../adapters/tls.js';
import { parseGoVersion } from '../goverify/verify.js';

export const TLS10 = 0x0301;
export const TLS11 = 0x0302;
export const TLS12 = 0x0303;
export const TLS13 = 0x0304;

interface Suite {
  id: number;
  iana: string;
  openssl: string;
  /** RSA key exchange (dropped from the defaults in go1.22). */
  rsaKex?: boolean;
  /** 3DES (dropped from the defaults in go1.23). */
  tdes?: boolean;
}

/** cipherSuitesPreferenceOrder (AES hardware present), disabled-by-default suites left out. */
const SUITES: Suite[] = [
  { id: 0xc02b, iana: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', openssl: 'ECDHE-ECDSA-AES128-GCM-SHA256' },
  { id: 0xc02f, iana: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', openssl: 'ECDHE-RSA-AES128-GCM-SHA256' },
  { id: 0xc02c, iana: 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', openssl: 'ECDHE-ECDSA-AES256-GCM-SHA384' },
  { id: 0xc030, iana: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', openssl: 'ECDHE-RSA-AES256-GCM-SHA384' },
  { id: 0xcca9, iana: 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256', openssl: 'ECDHE-ECDSA-CHACHA20-POLY1305' },
  { id: 0xcca8, iana: 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256', openssl: 'ECDHE-RSA-CHACHA20-POLY1305' },
  { id: 0xc009, iana: 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA', openssl: 'ECDHE-ECDSA-AES128-SHA' },
  { id: 0xc013, iana: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', openssl: 'ECDHE-RSA-AES128-SHA' },
  { id: 0xc00a, iana: 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA', openssl: 'ECDHE-ECDSA-AES256-SHA' },
  { id: 0xc014, iana: 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA', openssl: 'ECDHE-RSA-AES256-SHA' },
  { id: 0x009c, iana: 'TLS_RSA_WITH_AES_128_GCM_SHA256', openssl: 'AES128-GCM-SHA256', rsaKex: true },
  { id: 0x009d, iana: 'TLS_RSA_WITH_AES_256_GCM_SHA384', openssl: 'AES256-GCM-SHA384', rsaKex: true },
  { id: 0x002f, iana: 'TLS_RSA_WITH_AES_128_CBC_SHA', openssl: 'AES128-SHA', rsaKex: true },
  { id: 0x0035, iana: 'TLS_RSA_WITH_AES_256_CBC_SHA', openssl: 'AES256-SHA', rsaKex: true },
  { id: 0xc012, iana: 'TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA', openssl: 'ECDHE-RSA-DES-CBC3-SHA', tdes: true },
  { id: 0x000a, iana: 'TLS_RSA_WITH_3DES_EDE_CBC_SHA', openssl: 'DES-CBC3-SHA', rsaKex: true, tdes: true },
];

const TLS13_SUITES = [
  { id: 0x1301, iana: 'TLS_AES_128_GCM_SHA256' },
  { id: 0x1302, iana: 'TLS_AES_256_GCM_SHA384' },
  { id: 0x1303, iana: 'TLS_CHACHA20_POLY1305_SHA256' },
];

interface Group {
  id: number;
  name: string;
  /** OpenSSL's name; undefined for hybrid post-quantum groups OpenSSL 3.0 does not have. */
  openssl?: string;
}
const X25519: Group = { id: 0x001d, name: 'X25519', openssl: 'X25519' };
const CLASSIC_GROUPS: Group[] = [
  X25519,
  { id: 0x0017, name: 'P-256', openssl: 'P-256' },
  { id: 0x0018, name: 'P-384', openssl: 'P-384' },
  { id: 0x0019, name: 'P-521', openssl: 'P-521' },
];
const KYBER: Group = { id: 0x6399, name: 'X25519Kyber768Draft00' };
const MLKEM: Group = { id: 0x11ec, name: 'X25519MLKEM768' };

interface SigAlg {
  id: number;
  openssl: string;
  sha1?: boolean;
}
const SIGALGS: SigAlg[] = [
  { id: 0x0804, openssl: 'rsa_pss_rsae_sha256' },
  { id: 0x0403, openssl: 'ecdsa_secp256r1_sha256' },
  { id: 0x0807, openssl: 'ed25519' },
  { id: 0x0805, openssl: 'rsa_pss_rsae_sha384' },
  { id: 0x0806, openssl: 'rsa_pss_rsae_sha512' },
  { id: 0x0401, openssl: 'rsa_pkcs1_sha256' },
  { id: 0x0501, openssl: 'rsa_pkcs1_sha384' },
  { id: 0x0601, openssl: 'rsa_pkcs1_sha512' },
  { id: 0x0503, openssl: 'ecdsa_secp384r1_sha384' },
  { id: 0x0603, openssl: 'ecdsa_secp521r1_sha512' },
  { id: 0x0201, openssl: 'rsa_pkcs1_sha1', sha1: true },
  { id: 0x0203, openssl: 'ECDSA+SHA1', sha1: true },
];

/** One row of the table: what a Go version's TLS client offers by default. */
export interface GoTlsProfile {
  goVersion: string;
  minVersion: number;
  maxVersion: number;
  cipherSuites: string[];
  tls13CipherSuites: string[];
  groups: string[];
  sha1Signatures: boolean;
  /** conn.go: the largest Certificate message accepted. */
  certificateMessageLimit: number;
  /** Why each row differs from go1.17's (for evidence). */
  notes: string[];
}

interface Row {
  /** First Go minor version the row applies to. */
  since: number;
  apply: (p: Mutable) => void;
  note: string;
}
interface Mutable {
  minVersion: number;
  rsaKex: boolean;
  tdes: boolean;
  groups: Group[];
  sha1: boolean;
  certLimit: number;
}

/** The per-version rows, oldest first; each applies to its version and every later one. */
const ROWS: Row[] = [
  { since: 18, apply: (p) => (p.minVersion = TLS12), note: 'go1.18: clients offer TLS 1.2 as the minimum (TLS 1.0 before)' },
  { since: 22, apply: (p) => (p.rsaKex = false), note: 'go1.22: RSA key exchange suites are no longer offered (GODEBUG tlsrsakex=1)' },
  {
    since: 23,
    apply: (p) => {
      p.tdes = false;
      p.groups = [KYBER, ...CLASSIC_GROUPS];
      p.certLimit = 262144;
    },
    note: 'go1.23: no 3DES (GODEBUG tls3des=1), X25519Kyber768Draft00 offered first, certificate messages up to 256 KiB',
  },
  { since: 24, apply: (p) => (p.groups = [MLKEM, ...CLASSIC_GROUPS]), note: 'go1.24: X25519MLKEM768 replaces X25519Kyber768Draft00' },
  { since: 25, apply: (p) => (p.sha1 = false), note: 'go1.25: SHA-1 signature algorithms are no longer offered (GODEBUG tlssha1=1)' },
];

/** GODEBUG settings (from the daemon's environment) that restore what a row removed. */
const GODEBUG_UNDO: Record<string, (m: Mutable) => void> = {
  'tlsrsakex=1': (m) => (m.rsaKex = true),
  'tls3des=1': (m) => (m.tdes = true),
  'tlssha1=1': (m) => (m.sha1 = true),
  'tlskyber=0': (m) => (m.groups = m.groups.filter((g) => g !== KYBER)),
  'tlsmlkem=0': (m) => (m.groups = m.groups.filter((g) => g !== MLKEM)),
};

function build(goVersion: string, godebug?: string): { m: Mutable; notes: string[] } {
  let minor = 22;
  try {
    const v = parseGoVersion(goVersion);
    minor = v.major > 1 ? 1000 : v.minor;
  } catch {
    // unparseable: the default row
  }
  const m: Mutable = { minVersion: TLS10, rsaKex: true, tdes: true, groups: [...CLASSIC_GROUPS], sha1: true, certLimit: 65536 };
  const notes: string[] = [];
  for (const r of ROWS) {
    if (minor >= r.since) {
      r.apply(m);
      notes.push(r.note);
    }
  }
  for (const setting of (godebug ?? '').split(',').map((x) => x.trim())) {
    const undo = GODEBUG_UNDO[setting];
    if (undo) {
      undo(m);
      notes.push(`GODEBUG ${setting} in the runtime's environment`);
    }
  }
  return { m, notes };
}

function suitesOf(m: Mutable): Suite[] {
  return SUITES.filter((s) => (m.rsaKex || !s.rsaKex) && (m.tdes || !s.tdes));
}

/** The table row for a Go version ("go1.19.8"), with the GODEBUG of the runtime's environment when known. */
export function goTlsProfile(goVersion: string, godebug?: string): GoTlsProfile {
  const { m, notes } = build(goVersion, godebug);
  return {
    goVersion,
    minVersion: m.minVersion,
    maxVersion: TLS13,
    cipherSuites: suitesOf(m).map((s) => s.iana),
    tls13CipherSuites: TLS13_SUITES.map((s) => s.iana),
    groups: m.groups.map((g) => g.name),
    sha1Signatures: m.sha1,
    certificateMessageLimit: m.certLimit,
    notes,
  };
}

const NODE_VERSION: Record<number, TlsClientOffer['node']['minVersion']> = {
  [TLS10]: 'TLSv1',
  [TLS11]: 'TLSv1.1',
  [TLS12]: 'TLSv1.2',
  [TLS13]: 'TLSv1.3',
};

/** The offer the TLS probe makes to look like this Go version's client. */
export function goTlsOffer(goVersion: string, godebug?: string): TlsClientOffer {
  const { m } = build(goVersion, godebug);
  const suites = suitesOf(m);
  const sigalgs = SIGALGS.filter((s) => m.sha1 || !s.sha1);
  return {
    minVersion: m.minVersion,
    maxVersion: TLS13,
    cipherSuites: suites.map((s) => s.id),
    tls13CipherSuites: TLS13_SUITES.map((s) => s.id),
    groups: m.groups.map((g) => g.id),
    signatureAlgorithms: sigalgs.map((s) => s.id),
    certificateMessageLimit: m.certLimit,
    node: {
      // SECLEVEL=0: OpenSSL 3 refuses TLS 1.0/1.1 and SHA-1 signatures at its default level, Go does not.
      ciphers: [...TLS13_SUITES.map((s) => s.iana), ...suites.map((s) => s.openssl)].join(':') + ':@SECLEVEL=0',
      sigalgs: sigalgs.map((s) => s.openssl).join(':'),
      ecdhCurve: m.groups
        .map((g) => g.openssl)
        .filter((g): g is string => Boolean(g))
        .join(':'),
      minVersion: NODE_VERSION[m.minVersion]!,
      maxVersion: 'TLSv1.3',
    },
  };
}

export function tlsVersionName(v: number): string {
  return v === TLS13 ? 'TLSv1.3' : v === TLS12 ? 'TLSv1.2' : v === TLS11 ? 'TLSv1.1' : v === TLS10 ? 'TLSv1' : `0x${v.toString(16)}`;
}

/** The length Go reads from the Certificate message's header for this chain: TLS 1.2 (RFC 5246 §7.4.2) is a 3-byte
 *  list length and a 3-byte length per certificate; TLS 1.3 (RFC 8446 §4.4.2) adds the 1-byte request context and
 *  2 bytes of (empty) extensions per entry. Stapled OCSP / SCT extensions, which only a server configured for them
 *  sends, are not counted. */
export function certificateMessageLength(chainLengths: number[], protocol: string | undefined): number {
  const tls13 = protocol === 'TLSv1.3';
  const perCert = tls13 ? 5 : 3;
  return (tls13 ? 4 : 3) + chainLengths.reduce((n, len) => n + perCert + len, 0);
}

/** Go's error when the server's Certificate message is larger than it accepts, or undefined. */
export function certificateMessageError(chainLengths: number[], protocol: string | undefined, limit: number): string | undefined {
  const n = certificateMessageLength(chainLengths, protocol);
  return n > limit ? `tls: handshake message of length ${n} bytes exceeds maximum of ${limit} bytes` : undefined;
}
