// Pure analysis of a pod's image pull credentials as kubelet builds them: which secrets apply (the pod's
// imagePullSecrets, which the ServiceAccount admission copied at creation only), whether each secret is usable
// (type + key + JSON, as kubelet requires), which entries match the image host with kubelet's rules, and what the
// registry said when the matching credentials were tried. Nothing here prints a secret value.
import type { FindingInput, ImageReference } from '../core/types.js';
import type { KubeError } from '../adapters/kubectl/errors.js';
import { kubeErrorParam } from './kube-error-message.js';
import { keyMatches, parseDockerConfig, parseKey, type MatchFailure } from '../runtime/credential-match.js';
import { REDACTED } from '../text/redact.js';
import { locateJsonFault } from './json-fault.js';
import type { CredentialTest, RegistryAuthProbe } from '../probe/registry-login.js';
import { msg, summaryOf, type Message, type ParamValue } from '../i18n/index.js';
import { joinMessages } from '../i18n/node-join.js';
import { evidence } from '../i18n/evidence.js';

/** "{head}: {rest}." — the head is the finding's first clause (what a check summary shows). */
const clause = (head: Message, rest: ParamValue) => summaryOf('node.ps.clause', { head, rest });

export type { CredentialTest, RegistryAuthProbe } from '../probe/registry-login.js';

export const DOCKERCONFIGJSON = 'kubernetes.io/dockerconfigjson';
export const DOCKERCFG = 'kubernetes.io/dockercfg';

export interface PodPullInfo {
  name: string;
  namespace: string;
  creationTimestamp?: string;
  serviceAccountName: string;
  imagePullSecrets: string[];
}

export interface ServiceAccountInfo {
  name: string;
  namespace: string;
  creationTimestamp?: string;
  /** Latest write (managedFields time) — a ServiceAccount edited after the pod was created never reaches it. */
  lastWrite?: string;
  imagePullSecrets: string[];
}

export type SecretFetch = { name: string; namespace: string } & (
  | { status: 'ok'; type: string; data: Record<string, string> }
  | { status: 'not-found'; /** namespaces holding a secret of that name */ elsewhere?: string[] }
  | { status: 'error'; error: KubeError }
);

/** A credential kubelet would send for this image (internal: never put into findings or report data). */
export interface CandidateCredential {
  secret: string;
  key: string;
  username?: string;
  password?: string;
  identityToken?: string;
}

export interface PullSecretsAnalysis {
  /** Where the secret list comes from. */
  source: 'pod' | 'service-account' | 'none';
  secretNames: string[];
  /** Matching entries in kubelet's order (secrets in order, entries in key order). */
  candidates: CandidateCredential[];
  /** Entries that do not apply to the image, with the reason. */
  mismatches: { secret: string; key: string; why: MatchFailure | 'unparseable' }[];
  /** Some secret is unusable in a way that makes kubelet fail every pull of the pod (malformed JSON). */
  breaksAllPulls: boolean;
  findings: FindingInput[];
  evidence: string[];
  /** Messages of the evidence lines written as sentences (same index; i18n/evidence.ts). */
  evidenceMessages?: (Message | null)[];
}

export interface AnalyzeInput {
  image: ImageReference;
  namespace: string;
  pod?: PodPullInfo;
  /** The ServiceAccount, or why it could not be read. */
  serviceAccount?: ServiceAccountInfo | { error: KubeError };
  secrets: SecretFetch[];
}

function kubeAccessFinding(e: KubeError, what: Message): FindingInput {
  return {
    code: 'kube-access',
    ...summaryOf('node.secrets.cannotReadFinding', { what, why: kubeErrorParam(e) }),
    evidence: [e.message],
    data: { error: e.error, verb: e.verb, resource: e.resource, namespace: e.namespace },
  };
}

/**
 * A docker config key as it may be shown: userinfo (`user:pass@host:5000`, with or without a scheme) is replaced
 * by structure — everything before the last `@` of the authority — never by looking for what seems secret.
 */
export function displayKey(key: string): string {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)?([^/?#]*)([\s\S]*)$/i.exec(key)!;
  const authority = m[2]!;
  const at = authority.lastIndexOf('@');
  if (at < 0) return key;
  return `${m[1] ?? ''}${REDACTED}@${authority.slice(at + 1)}${m[3]}`;
}

// Data key names worth naming when a pull secret lacks its key (the usual mistakes); any other name is counted,
// not shown: a secret's key names are the secret owner's text.
const TELLING_DATA_KEYS = new Set([
  '.dockerconfigjson',
  '.dockercfg',
  'config.json',
  '.docker/config.json',
  'dockerconfigjson',
  'dockercfg',
  'auths',
  'auth',
  'username',
  'password',
]);

function describeDataKeys(keys: string[]): ParamValue {
  const named = keys.filter((k) => TELLING_DATA_KEYS.has(k));
  const others = keys.length - named.length;
  const parts: ParamValue[] = [
    ...named,
    ...(others ? [msg(others === 1 ? 'node.ps.otherKeys.one' : 'node.ps.otherKeys.other', { n: others })] : []),
  ];
  return joinMessages(parts, 'node.list.comma');
}

/** credHelpers / credsStore in a config: named with a count, their values (helper names, hosts) not shown. */
function describeIgnored(text: string): ParamValue[] {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return [];
  }
  const out: ParamValue[] = [];
  if (doc && typeof doc === 'object' && !Array.isArray(doc)) {
    if (doc.credHelpers) {
      const n = typeof doc.credHelpers === 'object' ? Object.keys(doc.credHelpers as object).length : 0;
      out.push(msg(n === 1 ? 'node.ps.credHelpers.one' : 'node.ps.credHelpers.other', { n }));
    }
    if (doc.credsStore) out.push(msg('node.ps.credsStore'));
  }
  return out;
}

/** A JSON syntax error of a pull secret, by position and structure only (no character of any value). */
function describeJsonFault(text: string): { line?: number; column?: number; text: string } {
  const f = locateJsonFault(text);
  if (!f) return { text: 'JSON error: not a JSON object' };
  const where = f.path.map((k) => {
    const shown = displayKey(k);
    return JSON.stringify(shown.length > 80 ? `${shown.slice(0, 79)}…` : shown);
  });
  return {
    line: f.line,
    column: f.column,
    text: `JSON error at line ${f.line}, column ${f.column}${where.length ? ` in ${where.join(' › ')}` : ''}: ${f.problem}`,
  };
}

function decodeBase64(s: string): string {
  return Buffer.from(s, 'base64').toString('utf8');
}

function hostOfImage(image: ImageReference): string {
  return image.domain;
}

export function analyzePullSecrets(input: AnalyzeInput): PullSecretsAnalysis {
  const { image, pod } = input;
  const findings: FindingInput[] = [];
  const ev = evidence();
  const sa = input.serviceAccount && 'error' in input.serviceAccount ? undefined : (input.serviceAccount as ServiceAccountInfo | undefined);
  const saError = input.serviceAccount && 'error' in input.serviceAccount ? input.serviceAccount.error : undefined;
  const host = hostOfImage(image);

  let source: PullSecretsAnalysis['source'];
  let names: string[];
  if (pod) {
    names = pod.imagePullSecrets;
    source = names.length ? 'pod' : 'none';
    if (names.length) ev.raw(`pod ${pod.namespace}/${pod.name} imagePullSecrets: ${names.join(', ')}`);
    else ev.say('evidence.ps.podNone', { pod: `${pod.namespace}/${pod.name}` });
    if (sa) {
      if (sa.imagePullSecrets.length)
        ev.raw(`ServiceAccount ${sa.namespace}/${sa.name} imagePullSecrets: ${sa.imagePullSecrets.join(', ')}`);
      else ev.say('evidence.ps.saNone', { sa: `${sa.namespace}/${sa.name}` });
      const missing = sa.imagePullSecrets.filter((n) => !names.includes(n));
      if (missing.length) {
        const podTime = pod.creationTimestamp ? Date.parse(pod.creationTimestamp) : NaN;
        const saTime = sa.lastWrite ? Date.parse(sa.lastWrite) : NaN;
        const changedAfter = Number.isFinite(podTime) && Number.isFinite(saTime) && saTime > podTime;
        const whyMessage = changedAfter
          ? msg('node.ps.why.changedAfter', { changed: String(sa.lastWrite), created: String(pod.creationTimestamp) })
          : names.length
            ? msg('node.ps.why.ownSecrets')
            : msg('node.ps.why.onCreate');
        ev.say(missing.length > 1 ? 'evidence.ps.saSecretsNotInPod' : 'evidence.ps.saSecretNotInPod', {
          names: missing.join(', '),
          why: whyMessage,
        });
        findings.push({
          code: 'credentials-missing',
          severity: names.length ? 'warning' : 'error',
          ...clause(msg('node.ps.notCarried', { pod: pod.name, secrets: missing.join(', '), sa: sa.name }), whyMessage),
          data: {
            serviceAccount: sa.name,
            missingSecrets: missing,
            serviceAccountChangedAfterPod: changedAfter,
            reason: changedAfter ? 'sa-changed-after-pod' : 'pod-has-own-secrets',
          },
        });
      }
    }
  } else if (sa) {
    names = sa.imagePullSecrets;
    source = names.length ? 'service-account' : 'none';
    ev.say('evidence.ps.newPod', {
      namespace: input.namespace,
      sa: sa.name,
      names: names.length ? names.join(', ') : msg('evidence.ps.none'),
    });
  } else {
    names = [];
    source = 'none';
  }
  if (saError) {
    if (saError.error === 'not-found')
      ev.say('evidence.ps.saNotFound', { sa: pod?.serviceAccountName ?? 'default', namespace: input.namespace });
    else
      findings.push(
        kubeAccessFinding(saError, msg('node.ps.saIn', { name: pod?.serviceAccountName ?? 'default', namespace: input.namespace })),
      );
  }

  const candidates: CandidateCredential[] = [];
  // keys as shown (userinfo redacted); rawKeys[i] is mismatches[i]'s key as written, for parsing only
  const mismatches: PullSecretsAnalysis['mismatches'] = [];
  const rawKeys: string[] = [];
  let breaksAllPulls = false;
  for (const name of names) {
    const s = input.secrets.find((x) => x.name === name);
    if (!s) continue;
    if (s.status === 'error') {
      findings.push(kubeAccessFinding(s.error, msg('node.ps.secret', { name: `${s.namespace}/${name}` })));
      continue;
    }
    if (s.status === 'not-found') {
      const elsewhere = s.elsewhere?.filter((n) => n !== s.namespace) ?? [];
      findings.push({
        code: 'credentials-missing',
        ...(elsewhere.length
          ? clause(
              msg('node.ps.otherNamespace', { name, namespace: s.namespace, elsewhere: elsewhere.join(', ') }),
              msg('node.ps.otherNamespace.rest', { namespace: s.namespace }),
            )
          : clause(msg('node.ps.notFound', { name, namespace: s.namespace }), msg('node.ps.notFound.rest'))),
        data: { secret: name, namespace: s.namespace, reason: elsewhere.length ? 'secret-other-namespace' : 'secret-not-found', elsewhere },
      });
      continue;
    }
    const dataKey = s.type === DOCKERCONFIGJSON ? '.dockerconfigjson' : s.type === DOCKERCFG ? '.dockercfg' : undefined;
    if (!dataKey) {
      const hasKey =
        s.data['.dockerconfigjson'] !== undefined ? '.dockerconfigjson' : s.data['.dockercfg'] !== undefined ? '.dockercfg' : undefined;
      findings.push({
        code: 'credentials-missing',
        ...summaryOf('node.ps.wrongType', {
          name,
          type: s.type || msg('node.ps.noType'),
          json: DOCKERCONFIGJSON,
          cfg: DOCKERCFG,
          hasKey: hasKey ? msg('node.ps.hasKey', { key: hasKey }) : '',
        }),
        data: { secret: name, namespace: s.namespace, reason: 'secret-wrong-type', type: s.type },
      });
      continue;
    }
    const raw = s.data[dataKey];
    if (raw === undefined || raw === '') {
      findings.push({
        code: 'credentials-missing',
        ...summaryOf('node.ps.missingKey', {
          name,
          type: s.type,
          key: dataKey,
          keys: Object.keys(s.data).length ? msg('node.ps.keys', { keys: describeDataKeys(Object.keys(s.data)) }) : '',
        }),
        data: { secret: name, namespace: s.namespace, reason: 'secret-missing-key' },
      });
      continue;
    }
    const decoded = decodeBase64(raw);
    const parsed = parseDockerConfig(decoded, dataKey === '.dockercfg');
    if (parsed.error) {
      breaksAllPulls = true;
      // never parsed.error.message: JSON.parse quotes the text around the fault, i.e. part of a password
      const fault = describeJsonFault(decoded);
      findings.push({
        code: 'credentials-missing',
        ...clause(
          msg('node.ps.malformed', {
            name,
            key: dataKey,
            at: fault.line ? msg('node.hosts.atLine', { line: fault.line, column: fault.column ?? '' }) : '',
          }),
          msg('node.ps.malformed.rest'),
        ),
        evidence: [fault.text],
        data: { secret: name, namespace: s.namespace, reason: 'secret-malformed' },
      });
      continue;
    }
    if (parsed.entries.length === 0) {
      findings.push({
        code: 'credentials-missing',
        severity: 'warning',
        ...summaryOf('node.ps.empty', {
          name,
          under: dataKey === '.dockerconfigjson' ? msg('node.ps.underAuths') : '',
          uses: parsed.ignored.length
            ? msg('node.ps.usesIgnored', { list: joinMessages(describeIgnored(decoded), 'node.list.comma') })
            : '',
        }),
        data: { secret: name, namespace: s.namespace, reason: 'secret-empty' },
      });
      continue;
    }
    for (const e of parsed.entries) {
      const m = keyMatches(e.key, image);
      if (!m.ok) {
        rawKeys.push(e.key);
        mismatches.push({ secret: name, key: displayKey(e.key), why: m.why });
        continue;
      }
      // kubelet decodes `auth` and lets it win over username/password.
      let username = e.username;
      let password = e.password;
      if (e.auth) {
        const d = decodeBase64(e.auth);
        const i = d.indexOf(':');
        if (i > 0) {
          username = d.slice(0, i);
          password = d.slice(i + 1);
        }
      }
      candidates.push({ secret: name, key: displayKey(e.key), username, password, identityToken: e.identitytoken });
      ev.say('evidence.ps.entryMatches', {
        name,
        key: displayKey(e.key),
        host,
        what: username
          ? msg('evidence.ps.withUser', { username, pass: msg(password ? 'evidence.auth.set' : 'evidence.ps.empty') })
          : msg(e.identitytoken ? 'evidence.ps.identityToken' : 'evidence.ps.noUser'),
      });
    }
  }

  for (const mm of mismatches) ev.say('evidence.ps.entryMismatch', { name: mm.secret, key: mm.key, host, why: mm.why });
  if (names.length && candidates.length === 0 && mismatches.length) {
    const samePort = mismatches.find((m) => m.why === 'port');
    const samePath = mismatches.find((m) => m.why === 'path');
    const keyHost = (m: (typeof mismatches)[number]) => parseKey(rawKeys[mismatches.indexOf(m)] ?? '')?.host;
    let detail: Message;
    if (samePort) {
      const pk = parseKey(rawKeys[mismatches.indexOf(samePort)] ?? '');
      const imgPort = image.domain.match(/:(\d+)$/)?.[1];
      detail = msg('node.ps.detail.port', {
        key: samePort.key,
        has: pk?.port ? msg('node.ps.forPort', { port: pk.port }) : msg('node.ps.hasNoPort'),
        uses: imgPort ? msg('node.ps.port', { port: imgPort }) : msg('node.ps.noPort'),
        registry: image.domain,
      });
    } else if (samePath) {
      detail = msg('node.ps.detail.path', { key: samePath.key, path: image.path });
    } else {
      detail = msg('node.ps.detail.other', {
        hosts: [...new Set(mismatches.map((m) => keyHost(m) ?? m.key))].join(', '),
        registry: image.domain,
      });
    }
    findings.push({
      code: 'credentials-mismatch',
      ...clause(msg('node.ps.noMatch', { registry: image.domain }), detail),
      evidence: mismatches.map((m) => `secret ${m.secret}: "${m.key}" (${m.why})`),
      data: { keys: mismatches.map((m) => ({ secret: m.secret, key: m.key, why: m.why })), imageHost: image.domain },
    });
  }
  return { source, secretNames: names, candidates, mismatches, breaksAllPulls, findings, ...ev.out() };
}

/** What the registry said about one credential (tested with TLS verification on). */

/** Findings from the credential tests: kubelet tries every matching entry; the pull works when any is accepted. */
export function judgeCredentialTests(
  a: PullSecretsAnalysis,
  image: ImageReference,
  probe: RegistryAuthProbe | undefined,
  tests: { candidate: Pick<CandidateCredential, 'secret' | 'key'>; result: CredentialTest }[],
  nodeHasCredentials: boolean,
): FindingInput[] {
  const out: FindingInput[] = [];
  if (tests.some((t) => t.result.outcome === 'accepted')) return out;
  const rejected = tests.filter((t) => t.result.outcome === 'rejected');
  if (rejected.length) {
    const r = rejected[0]!;
    const res = r.result as Extract<CredentialTest, { outcome: 'rejected' }>;
    out.push({
      code: 'unauthorized',
      host: res.realmHost,
      ...clause(
        msg('node.ps.rejected', { registry: image.domain, secretName: r.candidate.secret, key: r.candidate.key }),
        res.detailMessage ?? res.detail,
      ),
      ...rejected
        .reduce(
          (ev, t) =>
            ev.say('evidence.ps.rejected', {
              name: t.candidate.secret,
              key: t.candidate.key,
              detail: t.result.detailMessage ?? t.result.detail,
            }),
          evidence(),
        )
        .out(),
      data: { secrets: rejected.map((t) => t.candidate.secret), via: res.via, status: res.status },
    });
    return out;
  }
  if (
    a.candidates.length === 0 &&
    probe?.authRequired &&
    !nodeHasCredentials &&
    !a.findings.some((f) => f.code === 'credentials-mismatch' || f.code === 'credentials-missing')
  ) {
    out.push({
      code: 'credentials-missing',
      host: probe.realmHost,
      ...(a.source === 'none'
        ? summaryOf('node.ps.authNoSecrets', { registry: image.domain, detail: probe.detailMessage ?? probe.detail })
        : summaryOf('node.ps.authNoEntry', {
            registry: image.domain,
            detail: probe.detailMessage ?? probe.detail,
            secrets: a.secretNames.join(', '),
          })),
      data: { reason: 'no-secret', source: a.source },
    });
  }
  return out;
}
