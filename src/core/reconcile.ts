// Reality wins over prediction: reconciles predicted findings with the outcome of a real CRI pull. Pure.
import type { Finding, RunState } from './types.js';
import { getFact } from './facts.js';
import { evidence } from '../i18n/evidence.js';

const CONFIRMED = 'evidence.reconcile.confirmed';

/** Checks on the pull path (network, TLS, registry API, the real pull): what they find is what a pull would meet. */
const PULL_PATH = new Set(['tcp-connect', 'tls-handshake', 'cert-chain', 'go-verify', 'registry-api', 'endpoint-walk', 'cri-pull']);

const blocking = (f: Finding) => f.severity === 'error' || f.severity === 'critical';

/**
 * A CRI plugin that does not load (a config-conflict finding with `data.pluginNotLoaded`) is the one cause: every
 * CRI call fails before any registry is contacted, so the blocking findings of the pull path — an x509 error of a
 * configuration containerd is not running, the "runtime unavailable" it amounts to — are set aside and named in the
 * conflict's evidence. The CRI socket answering "unknown service runtime.v1…" is the real-world confirmation.
 */
export function reconcileWithDeadPlugin(findings: Finding[]): Finding[] {
  const dead = findings.find((f) => f.data?.pluginNotLoaded === true && blocking(f));
  if (!dead) return findings;
  const aside = findings.filter((f) => f !== dead && PULL_PATH.has(f.source) && blocking(f));
  if (!aside.length) return findings;
  const answer = aside
    .filter((f) => f.source === 'cri-pull')
    .flatMap((f) => [f.data?.actualRuntimeError, ...f.evidence])
    .find((e): e is string => typeof e === 'string' && /unknown service runtime\.v1\w*\.\w+Service/.test(e));
  const service = answer?.match(/unknown service (runtime\.v1\w*\.\w+Service)/)?.[1];
  const ev = evidence(dead);
  if (answer === dead.predictedRuntimeError) ev.say(CONFIRMED);
  else if (service) ev.say('evidence.reconcile.unknownService', { service });
  ev.say('evidence.reconcile.setAside', { list: aside.map((f) => `${f.code} (${f.source})`).join(', ') });
  return findings.filter((f) => !aside.includes(f)).map((f) => (f === dead ? { ...f, ...ev.out() } : f));
}

const refuted = (f: Finding): Finding => ({
  ...f,
  severity: 'warning',
  ...evidence(f).say('evidence.reconcile.refuted').out(),
});

/**
 * Reality wins over prediction. When a real CRI pull ran: a prediction equal to the actual error is marked
 * confirmed and the raw "unknown" pull finding is dropped; when the pull succeeded, predicted failures become
 * warnings (the runtime evidently gets past them, e.g. through another host).
 */
export function reconcileWithPull(input: Finding[], state: RunState): Finding[] {
  const pull = getFact(state.facts, 'cri-pull');
  // A real pull went through CRI: the plugin is loaded, whatever the configuration predicted (a misdetected version).
  const findings = pull ? input.map((f) => (f.data?.pluginNotLoaded === true ? refuted(f) : f)) : reconcileWithDeadPlugin(input);
  if (!pull) return findings;
  if (pull.ok) {
    return findings.map((f) =>
      f.severity === 'error' || f.severity === 'critical'
        ? { ...f, severity: 'warning' as const, ...evidence(f).say('evidence.reconcile.pullSucceeded').out() }
        : f,
    );
  }
  const confirmed = findings.filter(
    (f) => f.source !== 'cri-pull' && f.predictedRuntimeError !== undefined && f.predictedRuntimeError === pull.message,
  );
  if (confirmed.length === 0) return findings;
  return findings
    .filter((f) => f.source !== 'cri-pull')
    .map((f) => (confirmed.includes(f) ? { ...f, ...evidence(f).say(CONFIRMED).out() } : f));
}
