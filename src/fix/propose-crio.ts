// Fix proposals for a CRI-O node, written where CRI-O (containers/image) reads them — never containerd's files:
//  * trust: the CA as <dir>/regdoctor-ca.crt in the certificate directory containers/image reads for host:port (the
//    existing one, since only the first existing directory is read; else /etc/containers/certs.d/<host:port>/). A
//    `.crt` there adds to the system roots for this host only. No reload: certs.d is read on every pull.
//  * mTLS: client.cert + client.key (0600) in the same directory.
//  * plain HTTP: a drop-in /etc/containers/registries.conf.d/99-regdoctor-<host>.conf with a [[registry]] for the
//    host and `insecure = true` (which also turns verification off — containers/image has no HTTP-only switch).
//    A drop-in entry with the same prefix REPLACES the earlier one, so the existing entry's location, mirrors and
//    blocked flag are carried over. CRI-O re-reads registries.conf on `systemctl reload crio`.
// Predictions of the other checks (worded for containerd) are re-worded in CRI-O's words for the node's version.
import type { Finding, FixAction, FixProposal, PlannedFix, RunState } from '../core/types.js';
import { shellJoin } from '../text/shell.js';
import { described, messageIn, msg, summaryOf, titled, type Message } from '../i18n/index.js';
import { errorParam, joinSaid } from './errors.js';
import { safestFirst } from './risk.js';
import { getFact, type Facts } from '../core/facts.js';
import type { ChainCert, CrioConfigFacts } from '../facts/index.js';
import { CONTAINERS_CERTS_D, REGISTRIES_CONF_D } from '../runtime/crio-config.js';
import { blockedError, crioFromContainerdPrediction, parseCrioVersion } from '../runtime/crio-predict.js';
import { manualStepOf, proposeFixes, type PlanContext, type PlanInputs } from './propose.js';
import { describePresentedMessages, presentedCert } from './trust-check.js';
import { validateRegistryHost } from './host-names.js';
import { reconcileWithPull } from '../core/reconcile.js';

function crioFacts(ctx: PlanContext): CrioConfigFacts | undefined {
  return getFact(ctx.facts, 'crio-config');
}

export function isCrioNode(facts: Facts): boolean {
  return getFact(facts, 'runtime-info')?.kind === 'cri-o';
}

/** The directory a trust/client fix writes into: the one containers/image reads now, else /etc/containers/certs.d. */
export function crioCertDirFor(ctx: PlanContext): string {
  const f = crioFacts(ctx);
  const dir = f?.certDir;
  // containers/image reads the directory of the host it connects to: the [[registry]] location's, else the target's
  const loc = f?.entry?.location?.split('/')[0];
  let host = ctx.target.registry.name;
  if (loc) {
    try {
      host = validateRegistryHost(loc);
    } catch {
      // not a host: keep the target's
    }
  }
  const fallback = `${CONTAINERS_CERTS_D}/${host}`;
  if (!dir) return fallback;
  // only a <certs.d root>/<valid host[:port]> directory (a registries.conf location is not trusted to name a path)
  const i = dir.lastIndexOf('/');
  const rootOk =
    dir.slice(0, i) === CONTAINERS_CERTS_D ||
    dir.slice(0, i) === '/etc/docker/certs.d' ||
    /^\/(?:root|home\/[^/]+)\/\.config\/containers\/certs\.d$/.test(dir.slice(0, i));
  try {
    validateRegistryHost(dir.slice(i + 1));
  } catch {
    return fallback;
  }
  return rootOk ? dir : fallback;
}

/** The drop-in file name for a host: 99-regdoctor-<host with ':' → '_'>.conf. */
export function dropInPath(host: string): string {
  return `${REGISTRIES_CONF_D}/99-regdoctor-${host.replace(/[^A-Za-z0-9._-]/g, '_')}.conf`;
}

const q = (s: string) => JSON.stringify(s);

/** The drop-in's text: the entry that applies now (carried over, as the drop-in replaces it) with insecure = true. */
export function renderInsecureDropIn(host: string, entry: CrioConfigFacts['entry']): string {
  const prefix = entry?.prefix ?? host;
  const lines = [
    `# Written by regdoctor: ${host} speaks plain HTTP. insecure = true lets CRI-O use HTTP for it (and turns off`,
    '# certificate verification for it). This entry replaces any earlier [[registry]] with the same prefix.',
    '[[registry]]',
    `prefix = ${q(prefix)}`,
    `location = ${q(entry?.location || prefix)}`,
    'insecure = true',
  ];
  if (entry?.blocked) lines.push('blocked = true');
  for (const m of entry?.mirrors ?? []) {
    lines.push('', '[[registry.mirror]]', `location = ${q(m.location)}`);
    if (m.insecure) lines.push('insecure = true');
    if (m.pullFromMirror) lines.push(`pull-from-mirror = ${q(m.pullFromMirror)}`);
  }
  return `${lines.join('\n')}\n`;
}

function trustProposal(ctx: PlanContext, pem: string, whatMsg: Message, presented?: ChainCert): PlannedFix {
  const dir = crioCertDirFor(ctx);
  // English in the planned step (journal, --json); the message for the reader's language
  const what = messageIn('en', whatMsg);
  const actions: FixAction[] = [
    {
      kind: 'write-file',
      path: `${dir}/regdoctor-ca.crt`,
      content: pem.endsWith('\n') ? pem : `${pem}\n`,
      mode: 0o644,
      description: `trust ${what} for ${ctx.target.registry.name}`,
    },
  ];
  const p =
    presented?.info.sha256 && presented.info.notBefore && presented.info.notAfter
      ? presentedCert({
          ...presented.info,
          sha256: presented.info.sha256,
          notBefore: presented.info.notBefore,
          notAfter: presented.info.notAfter,
        })
      : undefined;
  return {
    id: 'crio-certs-d-ca',
    ...titled('fix.title.crioCa', { registry: ctx.target.registry.name, dir }),
    where: 'node',
    restartRequired: false,
    ...described('fix.crio.desc.ca', {
      what: whatMsg,
      file: `${dir}/regdoctor-ca.crt`,
      presented: p ? msg('fix.desc.presented', { details: joinSaid(describePresentedMessages(p)) }) : '',
    }),
    manualSteps: actions.map(manualStepOf),
    actions,
    ...(p ? { presented: p } : {}),
  };
}

function needCa(ctx: PlanContext, why: Message): PlannedFix {
  return {
    id: 'crio-certs-d-ca',
    ...titled('fix.title.crioCaNeeded', { registry: ctx.target.registry.name }),
    where: 'node',
    restartRequired: false,
    ...described('fix.crio.desc.needCa', { why, target: ctx.target.input, dir: `${crioCertDirFor(ctx)}/` }),
    manualSteps: [shellJoin(['regdoctor', 'fix', ctx.target.input, '--ca', './ca-bundle.crt'])],
    actions: [],
  };
}

function insecureProposal(ctx: PlanContext, why: Message): PlannedFix {
  const host = ctx.target.registry.name;
  const f = crioFacts(ctx);
  const path = dropInPath(host);
  const actions: FixAction[] = [
    {
      kind: 'write-file',
      path,
      content: renderInsecureDropIn(host, f?.entry),
      mode: 0o644,
      description: `[[registry]] ${host} insecure = true`,
    },
    { kind: 'restart-runtime', service: 'crio', reload: true, description: 'CRI-O re-reads registries.conf on reload' },
  ];
  return {
    id: 'crio-registries-insecure',
    ...titled('fix.crio.title.insecure', { host }),
    where: 'node',
    restartRequired: true,
    ...described('fix.crio.desc.insecure', {
      why,
      replaces: f?.entry ? msg('fix.crio.desc.replaces', { prefix: f.entry.prefix, file: f.entry.file }) : '',
    }),
    manualSteps: actions.map(manualStepOf),
    actions,
  };
}

const CONTAINERD_WORDS = /containerd|hosts\.toml|config\.toml/i;

/** Ranked proposals for one finding on a CRI-O node, safest first (src/fix/risk.ts). */
export function proposeCrioFixes(finding: Finding, ctx: PlanContext): FixProposal[] {
  return safestFirst(planCrio(finding, ctx));
}

function planCrio(finding: Finding, ctx: PlanContext): PlannedFix[] {
  const host = ctx.target.registry.name;
  try {
    validateRegistryHost(host);
  } catch (err) {
    return [
      {
        id: 'crio-refused',
        ...titled('fix.crio.title.refused'),
        where: 'node',
        restartRequired: false,
        ...(typeof errorParam(err) === 'object'
          ? described('fix.crio.refusedWhy', { why: errorParam(err) })
          : { description: (err as Error).message }),
        manualSteps: [],
        actions: [],
        blocked: messageIn('en', msg('fix.crio.refused', { host: JSON.stringify(host), why: errorParam(err) })),
        blockedMessage: msg('fix.crio.refused', { host: JSON.stringify(host), why: errorParam(err) }),
      },
    ];
  }
  if (typeof finding.data?.mirror === 'string') {
    // the failing endpoint is a mirror: its own certs.d directory (or registries.conf entry) is what needs the change
    const m = finding.data.mirror;
    return [
      {
        id: 'crio-mirror-manual',
        ...titled('fix.title.crioMirror', { mirror: m }),
        where: 'node',
        restartRequired: false,
        ...described('fix.desc.crioMirror', { mirror: m, host, dir: `${CONTAINERS_CERTS_D}/${m}/` }),
        manualSteps: [
          shellJoin(['ls', `${CONTAINERS_CERTS_D}/${m}/`]),
          shellJoin(['grep', '-rn', m, '/etc/containers/registries.conf', '/etc/containers/registries.conf.d/']),
        ],
        actions: [],
      },
    ];
  }
  const chain = getFact(ctx.facts, 'cert-chain')?.certs ?? [];
  const supplied = ctx.inputs.ca;
  switch (finding.code) {
    case 'self-signed': {
      const pem = supplied ?? chain[0]?.info.pem;
      return [
        pem
          ? trustProposal(ctx, pem, supplied ? msg('fix.what.suppliedCa') : msg('fix.what.selfSigned'), supplied ? undefined : chain[0])
          : needCa(ctx, msg('fix.needCa.unreadable')),
      ];
    }
    case 'untrusted-ca': {
      const root = chain.find((c) => c.info.isCA && c.info.selfIssued);
      const pem = supplied ?? root?.info.pem;
      return [
        pem
          ? trustProposal(
              ctx,
              pem,
              supplied ? msg('fix.what.suppliedCa') : msg('fix.what.itsCa', { subject: String(root?.info.subject.display) }),
              supplied ? undefined : root,
            )
          : needCa(ctx, msg('fix.crio.noRoot')),
      ];
    }
    case 'incomplete-chain':
      return [supplied ? trustProposal(ctx, supplied, msg('fix.what.suppliedBundle')) : needCa(ctx, msg('fix.crio.noIntermediate'))];
    case 'plain-http-registry':
      return [insecureProposal(ctx, msg('fix.crio.httpOnly'))];
    case 'client-cert-required': {
      const dir = crioCertDirFor(ctx);
      if (!ctx.inputs.clientCert || !ctx.inputs.clientKey) {
        return [
          {
            id: 'crio-certs-d-client',
            ...titled('fix.title.crioClientNeeded', { host }),
            where: 'node',
            restartRequired: false,
            ...described('fix.desc.crioClientNeeded', { input: ctx.target.input, dir }),
            manualSteps: [shellJoin(['regdoctor', 'fix', ctx.target.input, '--client-cert', './node.crt', '--client-key', './node.key'])],
            actions: [],
          },
        ];
      }
      const actions: FixAction[] = [
        { kind: 'write-file', path: `${dir}/client.cert`, content: ctx.inputs.clientCert, mode: 0o644, description: 'client certificate' },
        { kind: 'write-file', path: `${dir}/client.key`, content: ctx.inputs.clientKey, mode: 0o600, description: 'client key' },
      ];
      return [
        {
          id: 'crio-certs-d-client',
          ...titled('fix.title.crioClient', { host, dir }),
          where: 'node',
          restartRequired: false,
          ...described('fix.desc.crioClient', { dir }),
          manualSteps: actions.map(manualStepOf),
          actions,
        },
      ];
    }
    case 'config-invalid':
    case 'config-conflict':
    case 'config-ignored':
      return [
        {
          id: 'crio-config-manual',
          ...titled('fix.title.crioConfigManual'),
          where: 'node',
          restartRequired: false,
          ...described('fix.crio.desc.manual', { summary: finding.summaryMessage ?? finding.summary }),
          manualSteps: [...(finding.data?.file ? [`"$EDITOR" ${shellJoin([String(finding.data.file)])}`] : []), 'systemctl reload crio'],
          actions: [],
        },
      ];
    default:
      // runtime-independent advice only (network, DNS, registry side, cluster): nothing that names containerd
      return proposeFixes(finding, ctx).filter(
        (p) => p.actions.length === 0 && !CONTAINERD_WORDS.test([p.title, p.description, ...p.manualSteps].join(' ')),
      );
  }
}

function registrySays(f: Finding): string | undefined {
  for (const e of f.evidence) {
    const m = e.match(/^registry says: (\S+) (.+)$/);
    if (m) return `${m[1]!.toLowerCase().replace(/_/g, ' ')}: ${m[2]}`;
  }
  return undefined;
}

/** Findings with predictions in CRI-O's words for the node's CRI-O version (containerd's wording dropped). */
export function crioWording(findings: Finding[], state: RunState): Finding[] {
  const cf = getFact(state.facts, 'crio-config');
  const version = cf?.version ?? getFact(state.facts, 'runtime-info')?.version;
  const image = state.target.image;
  const entry = cf?.entry;
  // insecure = true: containers/image falls back to plain HTTP after the HTTPS attempt (the probes follow HTTPS only)
  let kept = entry?.insecure ? findings.filter((f) => f.code !== 'plain-http-registry') : findings;
  // a short name never goes to docker.io on CRI-O: what the probes found there does not concern this pull
  if (cf?.shortName) kept = kept.filter((f) => f.data?.runtime === 'cri-o' || f.source === 'crio-config');
  return kept.map((f) => {
    if (f.code === 'credentials-missing' && cf?.authDecides) {
      // CRI-O falls back to its own auth files when kubelet sends none: the anonymous answer says nothing about them
      const { predictedRuntimeError: _p, ...rest } = f;
      void _p;
      return {
        ...rest,
        code: 'unknown' as const,
        severity: 'warning' as const,
        // the summary (and its message: views print the message) gains what CRI-O does on its own
        ...summaryOf('fix.crio.authFiles', { summary: f.summaryMessage ?? f.summary, file: cf.authDecides }),
        evidence: [
          ...f.evidence,
          `CRI-O auth files in order: ${cf.authFiles.map((a) => `${a.path}${a.exists ? (a.matches.length ? ` (${a.matches.join(', ')})` : '') : ' (absent)'}`).join(', ')}`,
        ],
        data: { ...f.data, reason: 'crio-auth-file', authFile: cf.authDecides },
      };
    }
    if (f.code === 'plain-http-registry' && !f.data?.runtime) {
      f = {
        ...f,
        ...summaryOf('fix.crio.plainHttp', { host: state.target.registry.name }),
      };
    }
    if (f.data?.runtime === 'cri-o') {
      if (f.code === 'config-conflict' && typeof f.data.prefix === 'string' && image && !f.predictedRuntimeError)
        return { ...f, predictedRuntimeError: blockedError(image, state.target.registry.name, parseCrioVersion(version)) };
      return f;
    }
    if (!f.predictedRuntimeError) return f;
    const crio = image
      ? crioFromContainerdPrediction(f.predictedRuntimeError, image, state.target.registry.apiHost, version, registrySays(f))
      : undefined;
    const { predictedRuntimeError: _drop, nextErrors: _next, ...rest } = f;
    void _drop;
    void _next;
    if (crio) return { ...rest, predictedRuntimeError: crio };
    const mirror = mirrorOf(f.predictedRuntimeError, state.target.registry.apiHost);
    if (mirror) {
      // containers/image tries the next mirror, then the registry: a mirror's failure alone shows only in CRI-O's debug
      // log; the pull fails only when every endpoint fails (the probes stop at the first failing one, so the
      // severity stays: regdoctor does not know yet whether the later endpoints work)
      return {
        ...rest,
        data: { ...f.data, mirror },
        evidence: [
          ...f.evidence,
          `CRI-O moves on from mirror ${mirror} to the next endpoint; its failure alone shows only in CRI-O's debug log — the pull fails only when every endpoint fails, then with "(Mirrors also failed: […])" in the message`,
        ],
      };
    }
    return {
      ...rest,
      evidence: [...f.evidence, 'CRI-O words this failure differently from containerd; no exact CRI-O message is predicted for it'],
    };
  });
}

/** Host of a mirror endpoint named in a containerd transport prediction (not the registry itself). */
function mirrorOf(containerdMessage: string, apiHost: string): string | undefined {
  const m = containerdMessage.match(/failed to do request: (?:Head|Get) "(https?:\/\/[^"/]+)/);
  if (!m) return undefined;
  const host = new URL(m[1]!).host;
  return host !== apiHost ? host : undefined;
}

/** On a CRI-O node: CRI-O's wording and CRI-O proposals on every finding. */
export function attachCrioProposals(findings: Finding[], state: RunState, inputs: PlanInputs = {}): Finding[] {
  const ctx: PlanContext = { target: state.target, facts: state.facts, inputs };
  // reality wins again, now that the predictions are in CRI-O's words (the first reconciliation compared containerd's)
  return reconcileWithPull(crioWording(findings, state), state).map((f) => ({
    ...f,
    fixes: f.severity === 'info' ? [] : proposeCrioFixes(f, ctx),
  }));
}
