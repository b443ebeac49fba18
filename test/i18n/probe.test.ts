// Issue 20, area `probe`: credential-policy reasons, probe summaries and findings, certificate fault details and
// reference-parse explanations read in zh-CN and ja through the real code paths, with no English sentence left
// (kept: technical terms, quoted runtime/Go text, the values filled in).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EN, catalogue, catalogueProblems, messageIn, msg, withLang, type Lang, type Message } from '../../src/i18n/index.js';
import { InvalidReferenceError, parseRegistry, parseTarget } from '../../src/core/reference.js';
import type { EffectiveEndpoint } from '../../src/core/runtime-config.js';
import type { ConnectResult } from '../../src/adapters/net.js';
import type { TlsProbeResult } from '../../src/adapters/tls.js';
import {
  decideEndpoint,
  decideRealm,
  forbiddenAddress,
  redirectWithheld,
  type CredentialDecision,
  type EndpointState,
  type VerifyState,
} from '../../src/probe/credential-policy.js';
import { judgeProxy, judgeTcp } from '../../src/probe/judge-tcp.js';
import { judgeHttpEndpoint, judgeTls } from '../../src/probe/judge-tls.js';
import { judgeManifest, judgeRedirectStop } from '../../src/probe/registry.js';
import { createCA, issueCert, selfSigned, type IssuedCert } from '../../src/x509/build.js';
import { goVerify, type GoVerifyResult } from '../../src/goverify/verify.js';
import type { TlsHandshakeFacts } from '../../src/core/tls-facts.js';
import { certChainCheck, judgeChain } from '../../checks/cert-chain.js';
import { goVerifyCheck } from '../../checks/go-verify.js';
import { startTokenRegistry, type TokenRegistry } from '../kube-server/token-registry.js';
import { RealHttp } from '../../src/adapters/http-real.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRealAdapters } from '../../src/app/adapters.js';
import { DEFAULT_RUN_OPTIONS, diagnose } from '../../src/app/diagnose.js';
import { CHECKS } from '../../checks/index.js';
import { probeRegistryAuth, testCredential, type LoginContext } from '../../src/probe/registry-login.js';
import { httpsEndpoint } from '../helpers/endpoint.js';

const LANGS = ['zh-CN', 'ja'] as const satisfies readonly Lang[];
const CJK = /[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]/;

/** Every text value filled into a message (recursively): what the sentence quotes, not what it says. */
function values(m: Message): string[] {
  return Object.values(m.params ?? {}).flatMap((v) => (typeof v === 'object' ? values(v) : [String(v)]));
}

/** Terms a translation keeps as they are (catalogueProblems' TERMS and a few protocol words). */
const KEPT =
  /Subject Alternative Names?|Common Name|hosts\.toml|config\.toml|skip_verify|NO_PROXY|429 Too Many Requests|Certificate|token realm|containerd|regdoctor|Go TLS|TLS|HTTPS?|ECDHE|RSA|DHE|CA|SAN|manifest|linux\/\S+/g;

/** Runs of three or more ASCII words left in `text` once the filled-in values, quoted text and kept terms are gone. */
export function englishLeft(text: string, m: Message): string[] {
  let rest = text;
  for (const v of values(m).sort((a, b) => b.length - a.length)) if (v) rest = rest.split(v).join(' ');
  rest = rest.replace(/"[^"]*"|`[^`]*`/g, ' ').replace(KEPT, ' ');
  return rest.match(/[A-Za-z]+(?:[\s'’-]+[A-Za-z]+){2,}/g) ?? [];
}

/** The message rendered in each language: translated (CJK present, no English run); English = the stored text. */
export function expectTranslated(m: Message | undefined, english?: string): void {
  expect(m, `a message for: ${english}`).toBeDefined();
  if (english !== undefined) expect(messageIn('en', m)).toBe(english);
  for (const lang of LANGS) {
    const text = messageIn(lang, m);
    expect(text, `${lang}: ${m!.key}`).toMatch(CJK);
    expect(englishLeft(text, m!), `${lang}: ${m!.key}: ${text}`).toEqual([]);
  }
}

describe('probe catalogue', () => {
  const source = Object.fromEntries(Object.entries(EN).filter(([k]) => k.startsWith('probe.'))) as Record<string, string>;
  it('has keys', () => expect(Object.keys(source).length).toBeGreaterThan(20));
  for (const lang of LANGS) {
    it(`${lang}: every probe key, same placeholders, terms kept, written in ${lang}`, () => {
      const tr = Object.fromEntries(Object.entries(catalogue(lang)).filter(([k]) => k.startsWith('probe.')));
      expect(catalogueProblems(source, tr)).toEqual([]);
      expect(Object.entries(tr).filter(([, v]) => !CJK.test(v!))).toEqual([]);
    });
  }
  it('the English-run detector finds a sentence left in English', () => {
    const m = { key: 'probe.tcp.unreachable', params: { where: 'reg:5000', why: 'no route' } } as Message;
    expect(englishLeft('从此节点无法到达 reg:5000（no route）。', m)).toEqual([]);
    expect(englishLeft('reg:5000 is unreachable from this node (no route).', m)).not.toEqual([]);
  });
});

describe('reference-parse errors', () => {
  const cases = [
    'Reg.Test:5000/App:1',
    'http://reg/x',
    'reg.test/app:-bad',
    'reg.test/app@sha256:zz',
    'a'.repeat(64),
    'reg test/app',
    'reg.test:99999/app:1',
    '[fe80::zz]:5000/app',
    `reg.test/${'a'.repeat(260)}`,
  ];
  for (const input of cases) {
    it(`${JSON.stringify(input.slice(0, 40))}: Docker's prefix kept, the explanation translated, the English message unchanged`, () => {
      let err: InvalidReferenceError | undefined;
      try {
        parseTarget(input);
      } catch (e) {
        err = e as InvalidReferenceError;
      }
      expect(err).toBeInstanceOf(InvalidReferenceError);
      expect(err!.message).toBe(`invalid reference format: ${messageIn('en', err!.why)} (${JSON.stringify(input)})`);
      expectTranslated(err!.why);
      for (const lang of LANGS) {
        const line = withLang(lang, () => err!.localized());
        expect(line.startsWith('invalid reference format: ')).toBe(true);
        expect(line).toContain(messageIn(lang, err!.why));
      }
    });
  }
  it('registry targets too (parseRegistry)', () => {
    for (const input of ['ftp://reg.test', 'reg.test/x/', 'bad_host!:5000']) {
      try {
        parseRegistry(input);
        expect.unreachable(input);
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidReferenceError);
        expectTranslated((e as InvalidReferenceError).why);
      }
    }
  });
});

/** Every summary of a check outcome and its findings is a message that reads in zh-CN and ja (English unchanged). */
function expectOutcomeTranslated(out: {
  summary?: string;
  summaryMessage?: Message;
  findings?: { summary: string; summaryMessage?: Message }[];
}): void {
  expectTranslated(out.summaryMessage, out.summary);
  for (const f of out.findings ?? []) expectTranslated(f.summaryMessage, f.summary);
}

describe('credential-policy reasons', () => {
  const verified: EndpointState = { url: 'https://reg.corp:5000/v2', skipVerify: false, verify: { ok: true } };
  const goError = 'tls: failed to verify certificate: x509: certificate signed by unknown authority';
  const decisions = [
    decideEndpoint({ url: 'not a url', skipVerify: false }),
    decideEndpoint({ url: 'ftp://reg.corp/v2', skipVerify: false }),
    decideEndpoint({ url: 'https://reg.corp:5000/v2', skipVerify: false }),
    decideEndpoint({ url: 'https://reg.corp:5000/v2', skipVerify: false, verify: { ok: false, message: goError } }),
    decideEndpoint({ url: 'https://reg.corp:5000/v2', skipVerify: false, verify: { ok: false } }),
    decideRealm(verified, { url: 'file:///etc/passwd' }),
    decideRealm(verified, { url: 'https://169.254.169.254/token' }),
    decideRealm(verified, { url: 'https://auth.corp/token', addresses: ['fd00:ec2::254'] }),
    decideRealm(verified, { url: 'https://auth.corp/token', addresses: ['224.0.0.9'] }),
    decideRealm(verified, { url: 'https://auth.corp/token', addresses: ['0.0.0.0'] }),
    decideRealm(verified, { url: 'https://auth.corp/token', addresses: ['255.255.255.255'] }),
    decideRealm(verified, { url: 'https://auth.corp/token', addresses: ['fe80::1'] }),
    decideRealm(verified, { url: 'http://auth.corp/token' }),
    decideRealm(verified, { url: 'https://auth.corp/token' }),
    decideRealm(verified, { url: 'https://auth.corp/token', verify: { ok: false, message: goError } }),
    decideRealm({ ...verified, skipVerify: true }, { url: 'https://auth.corp/token', verify: { ok: false, message: goError } }),
    redirectWithheld(msg('probe.what.tokenRealm', { host: 'auth.corp' }), 307, 'https://elsewhere/'),
    redirectWithheld(msg('probe.what.tokenService', { host: 'auth.corp' }), 302, undefined),
  ];
  it('every withheld decision carries its reason as a message, English as before', () => {
    expect(decisions.every((d) => !d.send)).toBe(true);
    for (const d of decisions) if (!d.send) expectTranslated(d.reasonMessage, d.reason);
    expect(decisions.map((d) => !d.send && d.code)).toContain('realm-address');
  });
  it('forbidden addresses read as phrases in each language', () => {
    for (const a of ['169.254.169.254', '::ffff:169.254.169.254', '0.0.0.0', '::', '239.1.1.1', 'ff02::1', 'fe80::1', 'fd00:ec2::254'])
      expectTranslated(forbiddenAddress(a));
  });
  it('a withheld reason is filled into the not-found and credentials-withheld findings in the same language', () => {
    const target = parseTarget('reg.corp:5000/team/app:1');
    const d = decisions[3] as Extract<CredentialDecision, { send: false }>;
    const withheld = { source: 'node', reason: d.reason, reasonMessage: d.reasonMessage, sourceMessage: msg('probe.source.node') };
    const notFound = judgeManifest(
      target,
      'https://reg.corp:5000/v2/team/app/manifests/1',
      { kind: 'not-found' },
      { hasCredentials: false, arch: 'amd64', withheld },
    );
    const unauth = judgeManifest(
      target,
      'https://reg.corp:5000/v2/team/app/manifests/1',
      { kind: 'unauthorized', status: 401, body: '' },
      { hasCredentials: false, arch: 'amd64', withheld },
    );
    for (const f of [...notFound, ...unauth]) {
      expect(f.summary).toContain(d.reason);
      expect(f.summary).toMatch(/the node credentials/i);
      for (const lang of LANGS) {
        expect(messageIn(lang, f.summaryMessage)).toContain(messageIn(lang, d.reasonMessage));
        expect(messageIn(lang, f.summaryMessage)).toContain(messageIn(lang, msg('probe.source.node')));
      }
      expectTranslated(f.summaryMessage, f.summary);
    }
  });
});

describe('probe summaries and findings', () => {
  const target = parseTarget('reg.corp:5000/team/app:1');
  const ep = httpsEndpoint('reg.corp', 5000);
  const lookup = { ok: true as const, addresses: [{ address: '10.0.0.5', family: 4 as const }], durationMs: 1 };
  const tcp = (connects: ConnectResult[]) => judgeTcp({ hostname: 'reg.corp', port: 5000, endpointUrl: ep.url, lookup, connects }, target);
  const fail = (error: 'refused' | 'timeout' | 'unreachable' | 'failure', message: string): ConnectResult => ({
    ok: false,
    error,
    code: 'E',
    message,
    durationMs: 1,
  });

  it('TCP: no usable address, refused, timeout, unreachable, a lookup failure, connected', () => {
    for (const out of [
      tcp([]),
      tcp([fail('refused', 'connect ECONNREFUSED 10.0.0.5:5000')]),
      tcp([fail('timeout', 'connect ETIMEDOUT')]),
      tcp([fail('unreachable', 'connect EHOSTUNREACH 10.0.0.5:5000')]),
      tcp([{ ok: true, address: '10.0.0.5', port: 5000, localAddress: '10.0.0.1', durationMs: 3 }]),
      judgeTcp(
        {
          hostname: 'reg.corp',
          port: 5000,
          endpointUrl: ep.url,
          lookup: { ok: false, error: 'failure', code: 'EAI_AGAIN', message: 'getaddrinfo EAI_AGAIN reg.corp', durationMs: 1 },
          connects: [],
        },
        target,
      ),
    ])
      expectOutcomeTranslated(out);
  });

  it('proxy: unreachable and in use', () => {
    const base = {
      hostname: 'reg.corp',
      port: 5000,
      endpointUrl: ep.url,
      proxy: 'http://proxy.corp:3128',
      reason: 'HTTPS_PROXY=http://proxy.corp:3128 applies to reg.corp',
      runtimeEnv: true,
    };
    expectOutcomeTranslated(
      judgeProxy(
        { ...base, lookup: { ok: false, error: 'not-found', code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND', durationMs: 1 } },
        target,
      ),
    );
    expectOutcomeTranslated(judgeProxy({ ...base, lookup, connect: fail('refused', 'connect ECONNREFUSED') }, target));
    expectOutcomeTranslated(
      judgeProxy(
        { ...base, lookup, connect: { ok: true, address: '10.0.0.9', port: 3128, localAddress: '10.0.0.1', durationMs: 2 } },
        target,
      ),
    );
  });

  it('TLS: tunnel refused, timeout, refused, not TLS, reset, client certificate alerts, handshake failure, oversized chain', () => {
    const probe = (p: Partial<TlsProbeResult>): TlsProbeResult => ({ outcome: 'handshake', chain: [], durationMs: 1, ...p });
    const judge = (p: Partial<TlsProbeResult>, presentedClientCert = false, goVersion: string | undefined = 'go1.19.8') =>
      judgeTls({ endpoint: ep, serverName: 'reg.corp', probe: probe(p), presentedClientCert, goVersion }, target);
    const outs = [
      judge({ outcome: 'error', proxyError: 'proxyconnect tcp: Forbidden', message: '403 Forbidden' }),
      judge({ outcome: 'timeout' }),
      judge({ outcome: 'timeout', message: 'no ServerHello in 5000 ms' }),
      judge({ outcome: 'refused' }),
      judge({ outcome: 'not-tls', firstBytes: 'SSH-2.0' }),
      judge({ outcome: 'reset', message: 'socket hang up' }),
      judge({ outcome: 'reset' }),
      judge({ outcome: 'error' }),
      judge({ outcome: 'alert', alert: 'bad certificate' }, true),
      judge({ outcome: 'alert', alert: 'certificate required', clientCertRequested: true }),
      judge({ outcome: 'alert', alert: 'handshake failure' }),
      judge({ outcome: 'alert', alert: 'handshake failure' }, false, 'go1.22.5'),
      judge({ outcome: 'alert', alert: 'internal error' }),
      judge({ outcome: 'handshake', protocol: 'TLSv1.2', chain: Array.from({ length: 40 }, () => Buffer.alloc(2000)) }),
    ];
    expect(outs.map((o) => o.findings?.[0]?.code)).toContain('client-cert-required');
    for (const out of outs) expectOutcomeTranslated(out);
  });

  it('plain-HTTP endpoints: TLS tried first, HTTPS only, plain HTTP as configured', () => {
    const http = { ...ep, url: 'http://reg.corp:5000/v2', scheme: 'http' } as EffectiveEndpoint;
    const hs: TlsProbeResult = { outcome: 'handshake', protocol: 'TLSv1.3', chain: [], durationMs: 1 };
    expectOutcomeTranslated(judgeHttpEndpoint({ ...http, httpFallback: true }, hs, target));
    expectOutcomeTranslated(judgeHttpEndpoint(http, hs, target));
    expectOutcomeTranslated(judgeHttpEndpoint(http, { outcome: 'plain-http', chain: [], durationMs: 1 }, target));
  });

  it('manifest answers: platform mismatch, 429, another status; redirect loop and too many redirects', () => {
    const url = 'https://reg.corp:5000/v2/team/app/manifests/1';
    const findings = [
      ...judgeManifest(
        target,
        url,
        { kind: 'ok', isIndex: true },
        {
          hasCredentials: true,
          arch: 'amd64',
          platforms: [{ os: 'linux', architecture: 'arm64' }],
        },
      ),
      ...judgeManifest(target, url, { kind: 'rate-limited', remaining: '0', retryAfter: '60' }, { hasCredentials: false, arch: 'amd64' }),
      ...judgeManifest(target, url, { kind: 'rate-limited' }, { hasCredentials: false, arch: 'amd64' }),
      ...judgeManifest(target, url, { kind: 'status', status: 502, statusText: 'Bad Gateway' }, { hasCredentials: false, arch: 'amd64' }),
      judgeRedirectStop(
        target,
        'Head "https://reg.corp:5000/x": stopped after 10 redirects',
        [
          { url: 'https://a/', status: 302, location: 'https://b/' },
          { url: 'https://b/', status: 302, location: 'https://a/' },
          { url: 'https://a/', status: 302, location: 'https://b/' },
        ],
        'reg.corp:5000',
      ),
      judgeRedirectStop(
        target,
        'Head "https://reg.corp:5000/x": stopped after 10 redirects',
        Array.from({ length: 10 }, (_, i) => ({ url: `https://h/${i}`, status: 302, location: `https://h/${i + 1}` })),
        'reg.corp:5000',
      ),
    ];
    expect(findings).toHaveLength(6);
    for (const f of findings) expectTranslated(f.summaryMessage, f.summary);
  });
});

describe('certificate fault details', () => {
  // an hour from now: inside the default validity of the certificates built below
  const now = new Date(Date.now() + 3_600_000);
  const day = 86_400_000;
  const root = createCA({ cn: 'Probe Root CA', keyType: 'ec' });
  const inter = issueCert(root, { cn: 'Probe Issuing CA', isCA: true });
  const host = 'reg.probe.test';
  const verify = (chain: IssuedCert[], o: { roots?: IssuedCert[]; name?: string; go?: string } = {}) =>
    goVerify({
      chain: chain.map((c) => c.info),
      serverName: o.name ?? host,
      roots: (o.roots ?? [root]).map((c) => c.info),
      now,
      goVersion: o.go ?? 'go1.20.14',
    });
  const cases: [string, GoVerifyResult][] = [
    ['no certificates', verify([])],
    ['expired leaf', verify([issueCert(inter, { cn: host, notAfter: new Date(now.getTime() - day) }), inter])],
    ['not yet valid', verify([issueCert(inter, { cn: host, notBefore: new Date(now.getTime() + day) }), inter])],
    ['wrong name', verify([issueCert(inter, { cn: 'other.test' }), inter])],
    ['IP without IP SANs', verify([issueCert(inter, { cn: host }), inter], { name: '10.0.0.5' })],
    ['IP SANs without this IP', verify([issueCert(inter, { cn: host, ips: ['10.0.0.6'] }), inter], { name: '10.0.0.5' })],
    ['Common Name only', verify([issueCert(inter, { cn: host, omitSan: true }), inter])],
    ['no DNS names', verify([issueCert(inter, { cn: 'x', ips: ['10.0.0.6'] }), inter])],
    ['self-signed', verify([selfSigned({ cn: host })])],
    ['untrusted root sent', verify([issueCert(inter, { cn: host }), inter, root], { roots: [] })],
    ['missing intermediate', verify([issueCert(inter, { cn: host, issuerUrl: 'http://pki.test/ica.crt' })])],
    ['untrusted issuer', verify([issueCert(root, { cn: host })], { roots: [] })],
    ['SHA-1', verify([issueCert(inter, { cn: host, hash: 'sha1', keyType: 'rsa' }), inter])],
    ['client-auth only', verify([issueCert(inter, { cn: host, eku: ['clientAuth'] }), inter])],
    [
      'expired intermediate',
      verify([
        issueCert(inter, { cn: host }),
        issueCert(root, {
          cn: 'Probe Issuing CA',
          isCA: true,
          key: inter.key,
          notBefore: new Date(now.getTime() - 400 * day),
          notAfter: new Date(now.getTime() - day),
        }),
      ]),
    ],
    ['intermediate that is no CA', verify([issueCert(issueCert(root, { cn: 'Not A CA', isCA: false }), { cn: host })])],
  ];
  for (const [name, r] of cases)
    it(`${name}: every fault Go would report has its detail in zh-CN and ja`, () => {
      expect(r.ok).toBe(false);
      for (const f of r.faults) expectTranslated(f.detailMessage, f.detail);
    });
  it('the cases reach the CA-certificate details too', () => {
    const keys = cases.flatMap(([, r]) => r.faults.map((f) => f.detailMessage?.key));
    for (const k of ['probe.verify.noCertificates', 'probe.verify.caExpired', 'verify.selfSigned', 'verify.eku'])
      expect(keys, k).toContain(k);
  });

  const ep = httpsEndpoint(host, 443);
  const hs = (chain: Buffer[], endpoint = ep): TlsHandshakeFacts => ({
    endpoint,
    serverName: host,
    clientCertRequested: false,
    acceptableCAs: [],
    presentedClientCert: false,
    chain,
    durationMs: 1,
  });

  it('TLS interception: an inspection product as issuer, and a proxy with a foreign certificate', () => {
    const zscaler = createCA({ cn: 'Zscaler Root CA' });
    const leaf = issueCert(zscaler, { cn: host });
    const a = judgeChain(hs([leaf.der]), [leaf.info], [], { proxy: 'http://proxy.corp:3128' });
    const foreign = issueCert(createCA({ cn: 'Corp Gateway' }), { cn: 'gateway.corp' });
    const b = judgeChain(hs([foreign.der]), [foreign.info], [], { proxy: 'http://proxy.corp:3128' });
    const findings = [...a.findings, ...b.findings];
    expect(findings.map((f) => f.code)).toEqual(['tls-interception', 'tls-interception']);
    for (const f of findings) expectTranslated(f.summaryMessage, f.summary);
  });

  it('cert-chain: a certificate that does not parse; go-verify: verification off', async () => {
    for (const der of [Buffer.from('not a certificate'), Buffer.alloc(70 * 1024, 0x30)]) {
      const chainOut = await certChainCheck.run({ facts: () => hs([der]) } as never);
      expect(chainOut.findings?.[0]?.summaryMessage?.params?.error).toHaveProperty('key');
      expectOutcomeTranslated(chainOut);
    }
    const skip = { ...ep, tls: { caFiles: [], clientPairs: [], skipVerify: true } } as unknown as EffectiveEndpoint;
    const ctx = {
      facts: (id: string) => (id === 'tls-handshake' ? hs([], skip) : { certs: [], pool: [] }),
      maybeFacts: () => undefined,
      options: { probeTimeoutMs: 1000 },
      adapters: {},
      target: parseTarget(`${host}/team/app:1`),
    };
    expectOutcomeTranslated(await goVerifyCheck.run(ctx as never));
  });
});

describe('credential tests against a real token registry', () => {
  const ca = createCA({ cn: 'Probe Login CA' });
  let reg: TokenRegistry;
  let basicReg: TokenRegistry;
  beforeAll(async () => {
    const users = { alice: { password: 's3cret-alice', repos: ['team/app'] }, bob: { password: 'bob-pass', repos: [] } };
    const repos = { 'team/app': ['1'] };
    const authCert = issueCert(ca, { cn: 'auth.test', dns: ['auth.test'] });
    reg = await startTokenRegistry({
      registryCert: issueCert(ca, { cn: 'reg.test', dns: ['reg.test'] }),
      authCert,
      authHost: 'auth.test',
      users,
      repos,
    });
    basicReg = await startTokenRegistry({
      registryCert: issueCert(ca, { cn: 'basic.test', dns: ['basic.test'] }),
      authCert,
      authHost: 'auth.test',
      users,
      repos,
      scheme: 'basic',
    });
  });
  afterAll(async () => {
    await reg?.close();
    await basicReg?.close();
  });
  const ctx = (host: string, port: number, o: { endpointVerify?: VerifyState; realmVerify?: VerifyState } = {}): LoginContext => ({
    http: new RealHttp({ 'reg.test': '127.0.0.1', 'auth.test': '127.0.0.1', 'basic.test': '127.0.0.1' }),
    endpoint: `https://${host}:${port}/v2`,
    image: parseTarget(`${host}:${port}/team/app:1`).image!,
    tls: { rejectUnauthorized: true, ca: [ca.certPem] },
    endpointState: { url: `https://${host}:${port}/v2`, skipVerify: false, verify: o.endpointVerify ?? { ok: true } },
    examineRealm: async (url) => ({ url, verify: o.realmVerify ?? { ok: true }, addresses: ['127.0.0.1'] }),
    timeoutMs: 5000,
  });
  const details = (x: { detail: string; detailMessage?: Message }[]) => {
    for (const d of x) expectTranslated(d.detailMessage, d.detail);
  };

  it('token registry: accepted, rejected password, no pull access, no secret; the anonymous probe', async () => {
    const c = ctx('reg.test', reg.port);
    const auth = await probeRegistryAuth(c);
    const results = [
      await testCredential(c, auth, { username: 'alice', password: 's3cret-alice' }),
      await testCredential(c, auth, { username: 'alice', password: 'wrong' }),
      await testCredential(c, auth, { username: 'bob', password: 'bob-pass' }),
      await testCredential(c, auth, {}),
    ];
    expect(results.map((r) => r.outcome)).toEqual(['accepted', 'rejected', 'rejected', 'not-tested']);
    details([auth.probe, ...results]);
  });

  it('basic registry: accepted, rejected, no user name', async () => {
    const c = ctx('basic.test', basicReg.port);
    const auth = await probeRegistryAuth(c);
    const results = [
      await testCredential(c, auth, { username: 'alice', password: 's3cret-alice' }),
      await testCredential(c, auth, { username: 'alice', password: 'nope' }),
      await testCredential(c, auth, { password: 'x' }),
    ];
    expect(results.map((r) => r.outcome)).toEqual(['accepted', 'rejected', 'not-tested']);
    details([auth.probe, ...results]);
  });

  it('withheld by the policy: the registry or its token realm fails verification', async () => {
    const goError = 'tls: failed to verify certificate: x509: certificate signed by unknown authority';
    for (const c of [
      ctx('reg.test', reg.port, { endpointVerify: { ok: false, message: goError } }),
      ctx('reg.test', reg.port, { realmVerify: { ok: false, message: goError } }),
    ]) {
      const auth = await probeRegistryAuth(c);
      const r = await testCredential(c, auth, { username: 'alice', password: 's3cret-alice' });
      expect(r.outcome).toBe('not-tested');
      details([auth.probe, r]);
    }
  });
});

describe('a whole diagnosis (real checks, a closed loopback port)', () => {
  it('the failing TCP step and the checks skipped because of it read in zh-CN and ja', async () => {
    const root = mkdtempSync(join(tmpdir(), 'regdoctor-i18n-probe-'));
    try {
      const adapters = createRealAdapters({ root, hosts: {}, env: {} });
      const options = { ...DEFAULT_RUN_OPTIONS, root, pull: false };
      // a port nothing listens on: connection refused, then tls-handshake, cert-chain, go-verify… are skipped
      const res = await diagnose({ target: parseTarget('127.0.0.1:1/team/app:1'), options, adapters, checks: CHECKS });
      const tcp = res.state.checks.find((c) => c.id === 'tcp-connect')!;
      expect(tcp.status).toBe('fail');
      const skippedByNeeds = res.state.checks.filter((c) => c.status === 'skipped' && c.summaryMessage?.key === 'engine.skippedNeeds');
      expect(skippedByNeeds.map((c) => c.id)).toEqual(expect.arrayContaining(['tls-handshake', 'registry-api']));
      // the reason is a phrase in the reader's language, not the English text filled in
      for (const c of skippedByNeeds) expect(c.summaryMessage!.params!.why).toHaveProperty('key');
      for (const c of [tcp, ...skippedByNeeds]) expectTranslated(c.summaryMessage, c.summary);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
