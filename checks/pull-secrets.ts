// pull-secrets: the pod's imagePullSecrets (and its ServiceAccount's), decoded and matched to the image host with
// kubelet's rules, then tried against the registry where the credential policy allows it (src/probe/credential-policy.ts:
// only where kubelet + containerd would send them, over a connection containerd would accept). Emits credentials-missing,
// credentials-mismatch, unauthorized, kube-access. Secret values never leave this check's facts.
import type { Check, CheckContext, CheckOutcome, FindingInput } from '../src/core/types.js';
import type { KubeResult } from '../src/adapters/kube.js';
import type { CredentialTest } from '../src/kube/pull-secrets.js';
import { probeRegistryAuth, testCredential, type LoginContext } from '../src/probe/registry-login.js';
import { kubeErrorParam } from '../src/kube/kube-error-message.js';
import { buildTrustPool, examinedEndpoint, loadClientPair, probeScope, trustEnv } from '../src/probe/endpoint.js';
import { isIP } from '../src/text/ip.js';
import type { CertInfo } from '../src/x509/cert.js';
import type { EndpointState } from '../src/probe/credential-policy.js';
import { examineRealmHost } from '../src/probe/realm-trust.js';
import type { PullSecretsFacts } from '../src/facts/pull-secrets.js';
import { messageIn, msg, summaryOf, textIn, type Message } from '../src/i18n/index.js';
import { evidence } from '../src/i18n/evidence.js';
import { firstClause } from './runtime-drift.js';

const MAX_TESTS = 5;

async function trustPool(ctx: CheckContext): Promise<CertInfo[]> {
  const chain = ctx.maybeFacts('cert-chain');
  if (chain) return chain.pool.map((t) => t.cert);
  const scope = probeScope(ctx, ctx.maybeFacts('runtime-info'));
  return (await buildTrustPool(ctx.adapters.fs, examinedEndpoint(ctx), trustEnv(scope))).pool.map((t) => t.cert);
}

export const pullSecretsCheck: Check<'pull-secrets'> = {
  id: 'pull-secrets',
  title: 'Pod pull secrets',
  needs: [],
  wants: ['tcp-connect', 'tls-handshake', 'cert-chain', 'go-verify', 'runtime-info', 'endpoint-walk', 'containerd-config', 'auth-files'],
  timeoutMs: 30_000,
  skipIf(ctx) {
    if (!ctx.options.useKube) return msg('skip.noCluster');
    if (!ctx.target.image) return msg('skip.registryNoSecrets');
    return undefined;
  },
  async run(ctx): Promise<CheckOutcome<PullSecretsFacts>> {
    // loaded when the check runs (with a cluster): a node-only diagnosis never loads them
    const [{ analyzePullSecrets, judgeCredentialTests }, { collectPullSecrets }] = await Promise.all([
      import('../src/kube/pull-secrets.js'),
      import('../src/kube/pull-secrets-collect.js'),
    ]);
    const image = ctx.target.image!;
    const kube = ctx.adapters.kube;
    const ev = evidence().say('evidence.ps.via', { what: kube.describe() });
    const access = (r: Extract<KubeResult<unknown>, { ok: false }>, what: Message): CheckOutcome<PullSecretsFacts> => ({
      ...summaryOf('node.secrets.cannotRead', { what, why: kubeErrorParam(r) }),
      ...evidence(ev.out()).raw(r.message).out(),
      findings: [
        {
          code: 'kube-access',
          ...summaryOf('node.secrets.cannotReadFinding', { what, why: kubeErrorParam(r) }),
          data: { error: r.error, verb: r.verb, resource: r.resource, namespace: r.namespace },
        },
      ],
    });

    let namespace = ctx.options.kube.namespace;
    if (!namespace) {
      const ns = await kube.namespace(ctx.signal);
      if (!ns.ok) return access(ns, msg('node.secrets.currentNamespace'));
      namespace = ns.value;
    }

    const col = await collectPullSecrets(kube, namespace, ctx.options.kube.pod, ctx.signal);
    if (!col.ok)
      return access(
        col,
        ctx.options.kube.pod
          ? msg('node.secrets.pod', { name: `${namespace}/${ctx.options.kube.pod}` })
          : msg('node.secrets.serviceAccount', { name: `${namespace}/default` }),
      );
    const { pod, serviceAccount, secrets, serviceAccountName: saName } = col.value;

    const a = analyzePullSecrets({ image, namespace, pod, serviceAccount, secrets });
    ev.add(a);
    const findings: FindingInput[] = [...a.findings];
    const facts: PullSecretsFacts = {
      namespace,
      pod: pod?.name,
      serviceAccount: saName,
      source: a.source,
      secrets: a.secretNames,
      matching: a.candidates.map((c) => ({
        secret: c.secret,
        key: c.key,
        hasUsername: Boolean(c.username),
        hasPassword: Boolean(c.password),
        hasIdentityToken: Boolean(c.identityToken),
      })),
      tested: [],
    };

    // --- try the credentials against the registry (TLS verification on, node trust pool) ---
    const ep = examinedEndpoint(ctx);
    const reachable = ctx.maybeFacts('tcp-connect') !== undefined;
    let probe: Awaited<ReturnType<typeof probeRegistryAuth>> | undefined;
    const tests: { candidate: { secret: string; key: string }; result: CredentialTest }[] = [];
    if (!reachable) {
      ev.say('evidence.ps.unreachable', { url: ep.url });
    } else {
      const { pair } = await loadClientPair(ctx.adapters.fs, ep);
      const cert = pair?.cert.toString('utf8');
      const key = pair?.key.toString('utf8');
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(ep.headers)) if (v.length) headers[k] = v.join(', ');
      const pool = await trustPool(ctx);
      const gv = ctx.maybeFacts('go-verify');
      const sameEndpoint = ctx.maybeFacts('tls-handshake')?.endpoint.url === ep.url;
      const endpointState: EndpointState = {
        url: ep.url,
        skipVerify: ep.tls.skipVerify,
        verify: gv && sameEndpoint && !gv.skipVerify ? { ok: gv.result.ok, message: gv.result.message } : undefined,
      };
      const { goVersion, runtimeEnv } = probeScope(ctx, ctx.maybeFacts('runtime-info'));
      const lctx: LoginContext = {
        http: ctx.adapters.http,
        endpoint: ep.url,
        image,
        tls: { rejectUnauthorized: true, ca: pool.map((c) => c.pem), cert, key, servername: isIP(ep.hostname) ? undefined : ep.hostname },
        endpointState,
        examineRealm: (url) =>
          examineRealmHost(ctx.adapters, url, {
            roots: pool,
            goVersion,
            timeoutMs: ctx.options.probeTimeoutMs,
            signal: ctx.signal,
            proxy: ctx.maybeFacts('tcp-connect')?.proxy,
            env: runtimeEnv,
          }),
        timeoutMs: ctx.options.probeTimeoutMs,
        signal: ctx.signal,
        proxy: ctx.maybeFacts('tcp-connect')?.proxy,
        headers,
      };
      probe = await probeRegistryAuth(lctx);
      facts.authRequired = probe.probe.authRequired;
      ev.say('evidence.ps.registry', {
        host: ep.host,
        detail: probe.probe.detailMessage ?? probe.probe.detail,
        skip: ep.tls.skipVerify ? msg('evidence.ps.skipVerify') : '',
      });
      for (const c of a.candidates.slice(0, MAX_TESTS)) {
        const result = await testCredential(lctx, probe, c);
        tests.push({ candidate: c, result });
        facts.tested.push({ secret: c.secret, key: c.key, outcome: result.outcome, detail: result.detail });
        ev.say('evidence.ps.tested', {
          name: c.secret,
          key: c.key,
          outcome: result.outcome,
          detail: result.detailMessage ?? result.detail,
        });
        if (result.outcome === 'accepted') break;
      }
    }
    // Other checks (registry-api, a test pull) get a credential only when this check could send it itself.
    const accepted = a.candidates.find((_, i) => tests[i]?.result.outcome === 'accepted') ?? a.candidates[0];
    const stop: { code: string; reason: string; reasonMessage?: Message } | undefined = !reachable
      ? {
          code: 'not-reachable',
          reason: textIn('en', 'probe.policy.notReachable', { url: ep.url }),
          reasonMessage: msg('probe.policy.notReachable', { url: ep.url }),
        }
      : (probe?.withheld ??
        (probe?.blocked ? { code: 'blocked', reason: probe.blocked, reasonMessage: probe.probe.detailMessage } : undefined));
    if (accepted && stop) {
      facts.withheld = { code: stop.code, reason: stop.reason, ...(stop.reasonMessage ? { reasonMessage: stop.reasonMessage } : {}) };
      ev.say('evidence.ps.skipped', { reason: stop.reasonMessage ?? stop.reason });
    } else if (accepted)
      facts.credential = { username: accepted.username, password: accepted.password, identityToken: accepted.identityToken };

    const nodeHasCredentials = (ctx.maybeFacts('auth-files')?.matching.length ?? 0) > 0;
    findings.push(...judgeCredentialTests(a, image, probe?.probe, tests, nodeHasCredentials));
    // When the registry serves the image anonymously, credential problems cannot be why the pull fails.
    if (probe?.probe.authRequired === false) {
      for (const f of findings) {
        if (f.code === 'credentials-missing' || f.code === 'credentials-mismatch') {
          f.severity = 'info';
          const m = msg('node.secrets.anonymous', { summary: f.summaryMessage ?? f.summary });
          f.summary = messageIn('en', msg('node.secrets.anonymous', { summary: f.summary }));
          f.summaryMessage = m;
        }
      }
    }
    const ok = tests.find((t) => t.result.outcome === 'accepted');
    const firstFinding = findings.find((f) => f.severity !== 'info');
    const first = firstFinding ? firstClause(firstFinding) : undefined;
    const outcome = ok
      ? summaryOf('node.secrets.accepted', { secretName: ok.candidate.secret, key: ok.candidate.key, registry: image.domain })
      : a.candidates.length
        ? summaryOf(a.candidates.length === 1 ? 'node.secrets.matching.one' : 'node.secrets.matching.other', {
            n: a.candidates.length,
            verified: tests.length ? msg('node.secrets.notVerified') : '',
          })
        : a.secretNames.length
          ? summaryOf('node.secrets.noEntry', { registry: image.domain })
          : summaryOf('node.secrets.none');
    return { ...(first ?? outcome), ...ev.out(), findings, facts };
  },
};
