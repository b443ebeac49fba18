// Issue 20, area `evidence`: evidence lines written as sentences read in zh-CN and ja (text, live view, Markdown,
// HTML, JUnit) while raw observations (HTTP exchanges, paths, versions, runtime messages) stay byte-exact, and the
// JSON report is the same in every language. Real judges with fixtures, and real diagnoses of the demo registries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRealAdapters } from '../../src/app/adapters.js';
import { DEFAULT_RUN_OPTIONS, diagnose } from '../../src/app/diagnose.js';
import { startTokenRegistry, type TokenRegistry } from '../kube-server/token-registry.js';
import { EN, catalogue, catalogueProblems, messageIn, withLang, type Lang, type Message } from '../../src/i18n/index.js';
import { evidence, evidenceText, type EvidenceOf } from '../../src/i18n/evidence.js';
import { parseTarget } from '../../src/core/reference.js';
import type { EffectiveEndpoint } from '../../src/core/runtime-config.js';
import type { ConnectResult } from '../../src/adapters/net.js';
import type { TlsProbeResult } from '../../src/adapters/tls.js';
import type { TlsHandshakeFacts } from '../../src/core/tls-facts.js';
import type { CheckOutcome } from '../../src/core/types.js';
import { judgeProxy, judgeTcp } from '../../src/probe/judge-tcp.js';
import { judgeHttpEndpoint, judgeTls } from '../../src/probe/judge-tls.js';
import { proxyFor } from '../../src/probe/proxy.js';
import { judgeChain } from '../../checks/cert-chain.js';
import { goVerifyCheck } from '../../checks/go-verify.js';
import { createCA, issueCert } from '../../src/x509/build.js';
import { buildReport, rankFindings } from '../../src/core/report.js';
import { renderHtml, renderJson, renderJUnit, renderMarkdown } from '../../src/report/export.js';
import { renderText } from '../../src/ui/text.js';
import { demoDiagnoses } from '../helpers/frames.js';
import { judgeDrift, judgeRunningModel } from '../../checks/runtime-drift.js';
import { analyzePullSecrets } from '../../src/kube/pull-secrets.js';
import { reconcileWithDeadPlugin, reconcileWithPull } from '../../src/core/reconcile.js';
import { judgeManifest, judgeRedirectStop } from '../../src/probe/registry.js';
import { normalizeFinding } from '../../src/core/engine.js';
import type { RunState } from '../../src/core/types.js';
import { buildPodReport } from '../../src/kube/pod-report.js';
import { httpsEndpoint } from '../helpers/endpoint.js';

const LANGS = ['zh-CN', 'ja'] as const satisfies readonly Lang[];
const CJK = /[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]/;

function values(m: Message): string[] {
  return Object.values(m.params ?? {}).flatMap((v) => (typeof v === 'object' ? values(v) : [String(v)]));
}
/** Terms and raw tokens a translated evidence line keeps as they are. */
const KEPT =
  /token realm|skip_verify|hosts\.toml|config\.toml|containerd|kubelet|Certificate|notAfter|sha256|ALPN|TLS|HTTPS?|GET|HEAD|JSON|SAN|IP|Go|CA|\/etc\/resolv\.conf|--[a-z-]+/g;

/** Runs of three or more ASCII words left once the filled-in values, quoted text and kept terms are gone. */
function englishLeft(text: string, m: Message): string[] {
  let rest = text;
  for (const v of values(m).sort((a, b) => b.length - a.length)) if (v) rest = rest.split(v).join(' ');
  rest = rest.replace(/"[^"]*"|`[^`]*`/g, ' ').replace(KEPT, ' ');
  return rest.match(/[A-Za-z]+(?:[\s'’-]+[A-Za-z]+){2,}/g) ?? [];
}

/** Every line of `x`: a sentence (a message) reads translated with no English run left; a raw line is unchanged. */
function expectEvidenceTranslated(x: EvidenceOf, where = ''): number {
  const lines = x.evidence ?? [];
  expect(x.evidenceMessages === undefined || x.evidenceMessages.length === lines.length, `${where}: parallel`).toBe(true);
  let said = 0;
  lines.forEach((line, i) => {
    const m = x.evidenceMessages?.[i];
    if (!m) {
      for (const lang of LANGS) expect(withLang(lang, () => evidenceText(x, i))).toBe(line);
      return;
    }
    said++;
    expect(messageIn('en', m), `${where}: the stored English is the message's`).toBe(line);
    for (const lang of LANGS) {
      const text = withLang(lang, () => evidenceText(x, i));
      expect(text, `${lang} ${where}: ${line}`).toMatch(CJK);
      expect(englishLeft(text, m), `${lang} ${where}: ${text}`).toEqual([]);
    }
  });
  return said;
}

/** An outcome's evidence and each finding's: returns the keys said. */
function outcomeKeys(out: CheckOutcome<unknown>, where: string): string[] {
  expectEvidenceTranslated(out, where);
  for (const f of out.findings ?? []) expectEvidenceTranslated(f, `${where} ${f.code}`);
  return [out, ...(out.findings ?? [])].flatMap((x) => (x.evidenceMessages ?? []).flatMap((m) => (m ? [m.key] : [])));
}

describe('evidence catalogue', () => {
  const source = Object.fromEntries(Object.entries(EN).filter(([k]) => k.startsWith('evidence.'))) as Record<string, string>;
  for (const lang of LANGS)
    it(`${lang}: every evidence key, same placeholders, terms kept, written in ${lang}`, () => {
      const tr = Object.fromEntries(Object.entries(catalogue(lang)).filter(([k]) => k.startsWith('evidence.')));
      expect(catalogueProblems(source, tr)).toEqual([]);
      expect(Object.entries(tr).filter(([, v]) => !CJK.test(v!))).toEqual([]);
    });
  it('the detector finds a sentence left in English; a moved message falls back to its English line', () => {
    const m = { key: 'evidence.tcp.literal', params: { host: '10.0.0.5' } } as Message;
    expect(englishLeft('10.0.0.5 is an IP address (no DNS lookup)', m)).not.toEqual([]);
    expect(
      englishLeft(
        withLang('ja', () => messageIn('ja', m)),
        m,
      ),
    ).toEqual([]);
    const ev = evidence().raw('GET https://r/v2/: 401').say('evidence.tcp.literal', { host: '10.0.0.5' }).out();
    expect(ev.evidence).toEqual(['GET https://r/v2/: 401', '10.0.0.5 is an IP address (no DNS lookup)']);
    // a line edited after it was built keeps its (English) text rather than another sentence's translation
    const moved = { evidence: ['something else', ev.evidence[0]!], evidenceMessages: [ev.evidenceMessages![1]!, null] };
    expect(withLang('ja', () => evidenceText(moved, 0))).toBe('something else');
    expect(evidence().raw('a', 'b').out()).toEqual({ evidence: ['a', 'b'] });
  });
});

describe('judges with fixtures', () => {
  const target = parseTarget('reg.corp:5000/team/app:1');
  const ep = httpsEndpoint('reg.corp', 5000, { source: '/etc/containerd/certs.d/reg.corp:5000/hosts.toml' });
  const lookup = { ok: true as const, addresses: [{ address: '10.0.0.5', family: 4 as const }], durationMs: 1 };
  const refused: ConnectResult = { ok: false, error: 'refused', code: 'E', message: 'connect ECONNREFUSED 10.0.0.5:5000', durationMs: 1 };
  const connected: ConnectResult = { ok: true, address: '10.0.0.5', port: 5000, localAddress: '10.0.0.1', durationMs: 3 };

  it('tcp-connect and proxies: resolution, connections, the resolver, the proxy rule that applies', () => {
    const keys = [
      judgeTcp({ hostname: 'reg.corp', port: 5000, endpointUrl: ep.url, lookup, connects: [refused] }, target),
      judgeTcp({ hostname: 'reg.corp', port: 5000, endpointUrl: ep.url, lookup, connects: [connected] }, target),
      judgeTcp(
        { hostname: '10.0.0.5', port: 5000, endpointUrl: ep.url, lookup: { ...lookup }, connects: [connected] },
        parseTarget('10.0.0.5:5000/a:1'),
      ),
      judgeTcp(
        {
          hostname: 'reg.corp',
          port: 5000,
          endpointUrl: ep.url,
          nameserver: '10.0.0.53',
          lookup: { ok: false, error: 'not-found', code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND reg.corp', durationMs: 1 },
          connects: [],
        },
        target,
      ),
      ...[true, false].flatMap((runtimeEnv) => {
        const d = proxyFor(ep.url, { HTTPS_PROXY: 'http://proxy.corp:3128' });
        expect(d.reasonMessage).toBeDefined();
        const base = {
          hostname: 'reg.corp',
          port: 5000,
          endpointUrl: ep.url,
          proxy: d.proxy!,
          reason: d.reason,
          reasonMessage: d.reasonMessage,
          runtimeEnv,
        };
        return [
          judgeProxy({ ...base, lookup, connect: refused }, target),
          judgeProxy({ ...base, lookup, connect: { ...connected, port: 3128 } }, target),
        ];
      }),
    ].flatMap((o, i) => outcomeKeys(o, `tcp #${i}`));
    for (const k of [
      'evidence.tcp.resolves',
      'evidence.tcp.connected',
      'evidence.tcp.literal',
      'evidence.tcp.resolver',
      'evidence.proxy.from',
      'evidence.proxy.connected',
    ])
      expect(keys, k).toContain(k);
  });

  it('tls-handshake: probe, negotiation, certificates sent, client certificates, an oversized chain, plain HTTP', () => {
    const probe = (p: Partial<TlsProbeResult>): TlsProbeResult => ({ outcome: 'handshake', chain: [], durationMs: 1, ...p });
    const judge = (p: Partial<TlsProbeResult>, o: { clientPairError?: string; withoutClientCert?: unknown } = {}) =>
      judgeTls(
        { endpoint: ep, serverName: 'reg.corp', probe: probe(p), presentedClientCert: false, goVersion: 'go1.19.8', ...o } as never,
        target,
      );
    const cert = Buffer.alloc(1200, 0x30);
    const http = { ...ep, url: 'http://reg.corp:5000/v2', scheme: 'http' } as EffectiveEndpoint;
    const keys = [
      judge({ outcome: 'not-tls', firstBytes: 'SSH-2.0' }),
      judge({ protocol: 'TLSv1.3', cipher: 'TLS_AES_128_GCM_SHA256', alpn: 'h2', chain: [cert] }),
      judge({ protocol: 'TLSv1.2', chain: [cert, cert], chainProtocol: 'TLSv1.2' }),
      judge(
        { protocol: 'TLSv1.3', chain: [cert], clientCertRequested: true, acceptableCAs: ['CN=Corp Client CA'] },
        { clientPairError: 'ENOENT: no such file', withoutClientCert: { outcome: 'alert', alert: 'certificate required' } },
      ),
      judge({ protocol: 'TLSv1.3', chain: [cert], clientCertRequested: true }, { withoutClientCert: { outcome: 'handshake' } }),
      judge({ protocol: 'TLSv1.2', chain: Array.from({ length: 40 }, () => Buffer.alloc(2000)) }),
      judgeHttpEndpoint(http, probe({ protocol: 'TLSv1.3' }), target),
    ].flatMap((o, i) => outcomeKeys(o, `tls #${i}`));
    for (const k of [
      'evidence.tls.probed',
      'evidence.tls.negotiated',
      'evidence.tls.sentOne',
      'evidence.tls.sentMany',
      'evidence.tls.answered',
      'evidence.tls.chainProtocol',
      'evidence.tls.bigMessage',
      'evidence.tls.clientRequested',
      'evidence.tls.clientPairError',
      'evidence.tls.withoutClientAlert',
      'evidence.tls.clientOptional',
      'evidence.http.endpoint',
      'evidence.http.tlsAnyway',
    ])
      expect(keys, k).toContain(k);
  });

  it('cert-chain and go-verify: anchoring, order, expiry, the Go version, the verified chain, faults', async () => {
    const host = 'reg.corp';
    const root = createCA({ cn: 'Evidence Root CA' });
    const leaf = issueCert(root, { cn: host, dns: [host] });
    const inter = issueCert(root, { cn: 'Evidence Intermediate CA', isCA: true });
    const leaf2 = issueCert(inter, { cn: host, dns: [host] });
    const soon = issueCert(root, {
      cn: host,
      dns: [host],
      notBefore: new Date(Date.now() - 300 * 86_400_000),
      notAfter: new Date(Date.now() + 3 * 86_400_000),
    });
    const hs = (chain: Buffer[]): TlsHandshakeFacts => ({
      endpoint: { ...ep, hostname: host },
      serverName: host,
      clientCertRequested: false,
      acceptableCAs: [],
      presentedClientCert: false,
      chain,
      durationMs: 1,
    });
    const pool = [{ cert: root.info, source: '/etc/containerd/certs.d/reg.corp:5000/ca.crt' }];
    const judged = [
      judgeChain(hs([leaf.der]), [leaf.info], pool),
      judgeChain(hs([leaf2.der, root.der, inter.der]), [leaf2.info, root.info, inter.info], [], {}),
      judgeChain(hs([soon.der]), [soon.info], pool, { now: new Date() }),
    ];
    const keys = judged.flatMap((j, i) => outcomeKeys({ summary: '', ...j }, `chain #${i}`));
    const verify = async (chainFacts: unknown, goVersion?: string) =>
      goVerifyCheck.run({
        facts: (id: string) => (id === 'tls-handshake' ? hs([leaf.der]) : chainFacts),
        maybeFacts: () => undefined,
        options: { probeTimeoutMs: 1000, goVersion },
        adapters: { clock: { now: () => new Date() } },
        target: parseTarget(`${host}/team/app:1`),
      } as never);
    keys.push(
      ...outcomeKeys(
        await verify({
          certs: [{ info: leaf.info, index: 0 }],
          pool,
          anchor: pool[0] ? { subject: 'Evidence Root CA', source: 'x' } : undefined,
        }),
        'verify ok',
      ),
      ...outcomeKeys(await verify({ ...judged[0]!.facts, anchor: undefined, pool: [] }, 'go1.21.0'), 'verify fault'),
    );
    for (const k of [
      'evidence.chain.anchored',
      'evidence.chain.noAnchor',
      'evidence.chain.order',
      'evidence.chain.expiring',
      'evidence.verify.predictedAssumed',
      'evidence.verify.predictedOverride',
      'evidence.verify.chain',
      'evidence.verify.goReports',
      'evidence.verify.notAnchored',
    ])
      expect(keys, k).toContain(k);
  });

  it('merged findings keep each line with its own message', () => {
    const a = { code: 'dns' as const, severity: 'error' as const, summary: 's', fixes: [], source: 'x', ...evidence().raw('raw a').out() };
    const b = { ...a, ...evidence().raw('raw a').say('evidence.tcp.literal', { host: '10.0.0.5' }).out() };
    const [m] = rankFindings([a, b]);
    expect(m!.evidence).toEqual(['raw a', '10.0.0.5 is an IP address (no DNS lookup)']);
    expectEvidenceTranslated(m!, 'merged');
    expect(m!.evidenceMessages?.[1]?.key).toBe('evidence.tcp.literal');
  });
});

describe('pure judges of the node, the cluster and reality', () => {
  const image = parseTarget('reg.corp:5000/team/app:1');

  it('runtime-drift: start time, files changed or not, loaded table, the pull both ways', () => {
    const started = '2026-01-01T10:00:00.000Z';
    const t = Date.parse(started);
    const outs = [
      judgeDrift({
        startedAt: started,
        pid: 42,
        files: [
          { path: '/etc/containerd/config.toml', mtimeMs: t + 60_000, what: 'x' },
          { path: '/etc/containerd/certs.d/reg.corp:5000/hosts.toml', mtimeMs: t - 60_000, what: 'y' },
        ],
        fileRegistry: { configPath: '/etc/containerd/certs.d', mirrors: [], configs: [] },
        loadedRegistry: { configPath: '/etc/containerd/certs.d', mirrors: [], configs: [] },
      }),
      judgeDrift({ files: [] }),
    ];
    const model = {
      now: { ok: false, what: 'x509: certificate signed by unknown authority' },
      onDisk: { ok: true, what: 'the pull works' },
      ...evidence()
        .say('evidence.drift.endpoint', {
          label: { key: 'evidence.drift.labelRuns' },
          n: 1,
          url: 'https://reg.corp:5000/v2',
          tls: '',
          source: 'default',
        })
        .out(),
    };
    const f = judgeRunningModel(model, '/etc/containerd/config.toml', 'systemctl restart containerd');
    const keys = [...outs.map((o) => ({ summary: '', ...o })), { summary: '', findings: f ? [f] : [] }].flatMap((o, i) =>
      outcomeKeys(o, `drift #${i}`),
    );
    for (const k of [
      'evidence.drift.started',
      'evidence.drift.modified',
      'evidence.drift.unchanged',
      'evidence.drift.unknownStart',
      'evidence.drift.matches',
      'evidence.drift.endpoint',
      'evidence.drift.asRuns',
      'evidence.drift.afterRestart',
    ])
      expect(keys, k).toContain(k);
  });

  it('pull secrets: the pod and its ServiceAccount, matching and other entries', () => {
    const cfg = (auths: Record<string, unknown>) => ({ '.dockerconfigjson': Buffer.from(JSON.stringify({ auths })).toString('base64') });
    const secrets = [
      {
        name: 'regcred',
        namespace: 'team',
        status: 'ok' as const,
        type: 'kubernetes.io/dockerconfigjson',
        data: cfg({ 'reg.corp:5000': { username: 'ci', password: 'pw' }, 'reg.corp:6000': { username: 'x', password: 'y' } }),
      },
    ];
    const sa = { name: 'default', namespace: 'team', imagePullSecrets: ['regcred', 'other'] };
    const pod = { name: 'web', namespace: 'team', serviceAccountName: 'default', imagePullSecrets: ['regcred'] };
    const keys = [
      analyzePullSecrets({ image: image.image!, namespace: 'team', pod, serviceAccount: sa, secrets }),
      analyzePullSecrets({
        image: image.image!,
        namespace: 'team',
        pod: { ...pod, imagePullSecrets: [] },
        serviceAccount: { ...sa, imagePullSecrets: [] },
        secrets: [],
      }),
      analyzePullSecrets({ image: image.image!, namespace: 'team', serviceAccount: sa, secrets }),
    ].flatMap((a, i) => outcomeKeys({ summary: '', ...a }, `secrets #${i}`));
    for (const k of [
      'evidence.ps.podNone',
      'evidence.ps.saNone',
      'evidence.ps.saSecretNotInPod',
      'evidence.ps.newPod',
      'evidence.ps.entryMatches',
      'evidence.ps.entryMismatch',
    ])
      expect(keys, k).toContain(k);
  });

  it("a pod's report: the image, pull secrets kubelet could not retrieve, what to run on the node, a live diagnosis", () => {
    const failing = {
      container: 'web',
      kind: 'container',
      code: 'unauthorized',
      summary: 'the registry rejected the credentials',
      image: 'reg.corp:5000/team/app:1',
      invalidImage: false,
      waitingReason: 'ImagePullBackOff',
      runtimeError: 'failed to pull and unpack image: 401 Unauthorized',
      errorSource: 'event',
      missingSecrets: ['regcred'],
      next: { command: 'regdoctor diagnose reg.corp:5000/team/app:1' },
    };
    const live = {
      web: {
        verdict: { code: 'unauthorized', summary: 'x', summaryMessage: { key: 'evidence.tcp.literal', params: { host: '10.0.0.5' } } },
      },
    };
    const report = buildPodReport(
      {
        pod: { name: 'p', namespace: 'team', serviceAccount: 'default', imagePullSecrets: [] },
        failing: [failing],
        ok: [],
        notes: [],
        access: [],
      } as never,
      { startedAt: Date.now(), live } as never,
    );
    const keys = [...report.checks, ...report.findings].flatMap((x) => {
      expectEvidenceTranslated(x, 'pod');
      return (x.evidenceMessages ?? []).flatMap((m) => (m ? [m.key] : []));
    });
    for (const k of ['evidence.pod.image', 'evidence.pod.missingSecrets', 'evidence.pod.onNode', 'evidence.pod.live'])
      expect(keys, k).toContain(k);
    // kubelet's own words stay as they are
    expect(report.findings[0]!.evidence).toContain('kubelet (event): failed to pull and unpack image: 401 Unauthorized');
  });

  it('manifests, redirects, and a real pull against the predictions', () => {
    const url = 'https://reg.corp:5000/v2/team/app/manifests/1';
    const findings = [
      ...judgeManifest(
        image,
        url,
        {
          kind: 'unauthorized',
          status: 401,
          body: JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }),
        } as never,
        { hasCredentials: true, arch: 'amd64' } as never,
      ),
      judgeRedirectStop(
        image,
        'stopped after 10 redirects',
        Array.from({ length: 5 }, (_, i) => ({ url: `${url}?${i}`, status: 302, location: `${url}?${i + 1}` })),
        'reg.corp:5000',
      ),
    ];
    const keys = outcomeKeys({ summary: '', findings }, 'manifest');
    for (const k of ['evidence.registry.says', 'evidence.redirect.more']) expect(keys, k).toContain(k);
    const predicted = normalizeFinding(
      { code: 'expired', severity: 'error', summary: 's', predictedRuntimeError: 'boom', evidence: ['raw'] },
      'go-verify',
    );
    const state = (ok: boolean, message = 'boom') => ({ facts: { 'cri-pull': { ok, message } } }) as unknown as RunState;
    const dead = normalizeFinding(
      { code: 'runtime-unavailable', summary: 'd', predictedRuntimeError: 'dead', data: { pluginNotLoaded: true } },
      'containerd-config',
    );
    const reconciled = [
      ...reconcileWithPull([predicted], state(false)),
      ...reconcileWithPull([{ ...predicted, severity: 'error' }], state(true)),
      ...reconcileWithPull([dead], state(false, 'other')),
      ...reconcileWithDeadPlugin([
        dead,
        { ...predicted, source: 'tls-handshake' },
        { ...predicted, source: 'cri-pull', evidence: ['rpc error: code = Unimplemented desc = unknown service runtime.v1.ImageService'] },
      ]),
    ];
    const rk = outcomeKeys({ summary: '', findings: reconciled }, 'reconcile');
    for (const k of [
      'evidence.reconcile.confirmed',
      'evidence.reconcile.pullSucceeded',
      'evidence.reconcile.refuted',
      'evidence.reconcile.setAside',
      'evidence.reconcile.unknownService',
    ])
      expect(rk, k).toContain(k);
  });
});

describe('a real diagnosis of a token registry with node credentials', () => {
  const ca = createCA({ cn: 'Evidence Token CA' });
  let reg: TokenRegistry | undefined;
  let root = '';
  beforeAll(async () => {
    reg = await startTokenRegistry({
      registryCert: issueCert(ca, { cn: 'reg.test', dns: ['reg.test', 'mirror.test'] }),
      authCert: issueCert(ca, { cn: 'auth.test', dns: ['auth.test'] }),
      authHost: 'auth.test',
      users: { alice: { password: 's3cret-alice', repos: ['team/app'] } },
      repos: { 'team/app': ['1'] },
      // anonymous pulls work too, so the host walk (which sends no credentials) finds the image
      publicRepos: ['team/app'],
    });
    root = mkdtempSync(join(tmpdir(), 'regdoctor-i18n-evidence-'));
    const host = `reg.test:${reg.port}`;
    const dir = join(root, 'etc/containerd/certs.d', host);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'ca.crt'), ca.certPem);
    writeFileSync(
      join(root, 'etc/containerd/config.toml'),
      'version = 2\n\n[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/etc/containerd/certs.d"\n',
    );
    writeFileSync(
      join(dir, 'hosts.toml'),
      // a mirror (the same server under another name), then the registry itself
      `server = "https://${host}"\n\n[host."https://mirror.test:${reg.port}"]\n  capabilities = ["pull", "resolve"]\n  ca = "/etc/containerd/certs.d/${host}/ca.crt"\n\n[host."https://${host}"]\n  capabilities = ["pull", "resolve"]\n  ca = "/etc/containerd/certs.d/${host}/ca.crt"\n`,
    );
    mkdirSync(join(root, 'var/lib/kubelet'), { recursive: true });
    writeFileSync(
      join(root, 'var/lib/kubelet/config.json'),
      JSON.stringify({ auths: { [host]: { auth: Buffer.from('alice:s3cret-alice').toString('base64') } } }),
    );
  });
  afterAll(async () => {
    await reg?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('registry-api, auth-files, node-hygiene and endpoint-walk say their evidence in zh-CN and ja', async () => {
    const adapters = createRealAdapters({
      root,
      hosts: { 'reg.test': '127.0.0.1', 'auth.test': '127.0.0.1', 'mirror.test': '127.0.0.1' },
      env: {},
    });
    const options = { ...DEFAULT_RUN_OPTIONS, root, pull: false, useKube: false, goVersion: 'go1.22.5' };
    const res = await diagnose({ target: parseTarget(`reg.test:${reg!.port}/team/app:1`), options, adapters });
    const keys = res.state.checks.flatMap((c) =>
      outcomeKeys({ summary: '', evidence: c.evidence, evidenceMessages: c.evidenceMessages, findings: c.findings }, c.id),
    );
    for (const k of [
      'evidence.realm.otherHost',
      'evidence.api.tokenGetWith',
      'evidence.api.testingWith',
      'evidence.auth.readsOne',
      'evidence.auth.matches',
      'evidence.hygiene.verifyOn',
      'evidence.hygiene.noLegacy',
      'evidence.walk.hasImage',
      'evidence.chain.anchored',
      'evidence.chain.pool',
    ])
      expect(keys, k).toContain(k);
  });
});

describe('real diagnoses of the demo registries', () => {
  const results = demoDiagnoses();

  it('every view prints the sentences translated and the raw lines as they are; --json is the same in every language', () => {
    const said = new Set<string>();
    for (const [id, r] of results) {
      const built = (['en', ...LANGS] as Lang[]).map((lang) => withLang(lang, () => buildReport(r.state, r.report.findings)));
      const json = built.map((rep, i) => withLang((['en', ...LANGS] as Lang[])[i]!, () => renderJson(rep)));
      const strip = (j: string) => JSON.stringify({ ...(JSON.parse(j) as object), lang: undefined });
      expect(strip(json[1]!), id).toBe(strip(json[0]!));
      expect(strip(json[2]!), id).toBe(strip(json[0]!));
      const report = built[0]!;
      for (const x of [...report.checks, ...report.findings]) {
        expectEvidenceTranslated(x, `${id} ${'code' in x ? x.code : x.id}`);
        x.evidenceMessages?.forEach((m) => m && said.add(m.key));
      }
      for (const lang of LANGS) {
        const out = withLang(lang, () => {
          const rep = buildReport(r.state, r.report.findings);
          return [renderText(rep, { verbose: true, color: false, columns: 4000 }), renderMarkdown(rep), renderHtml(rep), renderJUnit(rep)];
        });
        const [text, md] = out;
        for (const f of report.findings)
          f.evidence.forEach((line, i) => {
            const m = f.evidenceMessages?.[i];
            if (!m) return;
            const translated = withLang(lang, () => evidenceText(f, i));
            expect(text, `${lang} ${id}: ${line}`).toContain(translated);
            expect(text, `${lang} ${id}: English left`).not.toContain(`• ${line}`);
            expect(md, `${lang} ${id}: English left in Markdown`).not.toContain(`- ${line}`);
          });
      }
    }
    // the demo's registries reach the sentences of the probes every diagnosis runs
    for (const k of ['evidence.tcp.resolves', 'evidence.tls.probed', 'evidence.tls.negotiated', 'evidence.verify.predictedOverride'])
      expect([...said], k).toContain(k);
  });
});
