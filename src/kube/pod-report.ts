// A pod diagnosis as a regdoctor/report@1 document, so `diagnose pod/NAME --report FILE --junit FILE` exports the
// same formats (Markdown, JSON, HTML, JUnit) as an image diagnosis: one check per container (failing pulls fail),
// one finding per failing container, the reads that were refused as kube-access warnings, the verdict from the
// first failing container in kubelet's start order. Redacted like every report.
import { causeInfo } from '../core/causes.js';
import { redact } from '../text/redact.js';
import { parseImageReference } from '../core/reference.js';
import type { Report, ReportCheck, ReportFinding } from '../core/report.js';
import { VERSION } from '../core/version.js';
import type { PodDiagnosis } from './pod-diagnosis.js';
import { getLang, msg, summaryOf } from '../i18n/index.js';
import { evidence } from '../i18n/evidence.js';

export interface PodReportOptions {
  startedAt: number;
  finishedAt?: number;
  cancelled?: boolean;
  /** Live diagnoses run from here (`--live`), by container: their verdicts join the container's evidence. */
  live?: Record<string, Report | undefined>;
}

function domainOf(image: string): string | undefined {
  try {
    return parseImageReference(image).domain;
  } catch {
    return undefined;
  }
}

export function buildPodReport(d: PodDiagnosis, o: PodReportOptions): Report {
  const finishedAt = o.finishedAt ?? Date.now();
  const podRef = `pod/${d.pod.namespace}/${d.pod.name}`;
  const checks: ReportCheck[] = [];
  const findings: ReportFinding[] = [];
  for (const f of d.failing) {
    const id = `container/${f.container}`;
    const info = causeInfo(f.code);
    const ev = evidence().say('evidence.pod.image', { image: f.image, invalid: f.invalidImage ? msg('evidence.pod.invalid') : '' });
    if (f.waitingReason) ev.raw(`waiting: ${f.waitingReason}${f.waitingMessage ? `: ${f.waitingMessage}` : ''}`);
    if (f.runtimeError) ev.raw(`kubelet (${f.errorSource ?? 'status'}): ${f.runtimeError}`);
    if (f.missingSecrets?.length) ev.say('evidence.pod.missingSecrets', { names: f.missingSecrets.join(', ') });
    for (const x of f.pullSecrets?.findings ?? [])
      ev.say('evidence.pod.pullSecrets', { code: x.code, summary: x.summaryMessage ?? x.summary });
    if (f.undecided)
      ev.say('evidence.pod.undecided', {
        code: f.undecided.suggested,
        reason: f.undecided.reasonMessage ?? f.undecided.reason,
      });
    if (f.next) ev.say('evidence.pod.onNode', { command: f.next.command });
    const live = o.live?.[f.container];
    if (live) ev.say('evidence.pod.live', { code: live.verdict.code, summary: live.verdict.summaryMessage ?? live.verdict.summary });
    const evidenceOut = ev.out();
    checks.push({
      id,
      title: `${f.kind} ${f.container} pulls its image`,
      status: 'fail',
      durationMs: 0,
      ...summaryOf('node.pod.check', { code: f.code, summary: f.summaryMessage ?? f.summary }),
      // the English as before (a message's English is the stored summary)
      summary: `${f.code}: ${f.summary}`,
      ...evidenceOut,
    });
    findings.push({
      code: f.code,
      title: info.title,
      // The container cannot start whatever the cause: a failing pull is an error even when the cause is undecided.
      severity: 'error',
      summary: f.summary,
      ...(f.summaryMessage ? { summaryMessage: f.summaryMessage } : {}),
      ...evidenceOut,
      host: f.host,
      predictedRuntimeError: f.runtimeError,
      docs: info.docs,
      source: id,
      fixes: [],
      data: {
        container: f.container,
        image: f.image,
        ...(f.failingUrl ? { failingUrl: f.failingUrl } : {}),
        ...(f.undecided ? { undecided: f.undecided } : {}),
      },
    });
  }
  for (const name of d.ok)
    checks.push({ id: `container/${name}`, title: `container ${name} pulls its image`, status: 'pass', durationMs: 0, evidence: [] });
  for (const a of d.access) {
    const id = `kube-read/${a.resource}`;
    const said = summaryOf('node.pod.access', {
      what: a.whatMessage ?? a.what,
      why: a.message,
      undecided: a.undecidedMessage ?? a.undecided,
    });
    // the English as before (the message's English is the same sentence)
    const summary = `${a.what} could not be read: ${a.message} — ${a.undecided}`;
    if (!checks.some((c) => c.id === id))
      checks.push({
        id,
        title: `read ${a.resource}`,
        status: 'warn',
        durationMs: 0,
        summary,
        summaryMessage: said.summaryMessage,
        evidence: [a.message],
      });
    const info = causeInfo('kube-access');
    findings.push({
      code: 'kube-access',
      title: info.title,
      severity: 'warning',
      summary,
      summaryMessage: said.summaryMessage,
      evidence: [a.message],
      docs: info.docs,
      source: id,
      fixes: [],
      data: { resource: a.resource, kind: a.kind, verb: a.verb, namespace: a.namespace },
    });
  }
  const first = d.failing[0];
  const firstFinding = findings[0];
  const healthy = causeInfo('healthy');
  const verdict: Report['verdict'] =
    first && firstFinding
      ? {
          code: firstFinding.code,
          title: firstFinding.title,
          severity: 'error',
          ...summaryOf('node.pod.verdict', {
            count: d.failing.length > 1 ? msg('node.pod.count', { n: d.failing.length }) : '',
            container: first.container,
            summary: first.summaryMessage ?? first.summary,
          }),
          summary: `${d.failing.length > 1 ? `${d.failing.length} containers cannot pull; ` : ''}${first.container}: ${first.summary}`,
          predictedRuntimeError: first.runtimeError,
          docs: firstFinding.docs,
        }
      : {
          code: 'healthy',
          title: healthy.title,
          severity: 'info',
          ...summaryOf('node.pod.healthy', { pod: podRef }),
          docs: healthy.docs,
        };
  const image = first && !first.invalidImage ? first.image : undefined;
  const registry = (first && domainOf(first.image)) ?? podRef;
  const report: Report = {
    schema: 'regdoctor/report@1',
    tool: { name: 'regdoctor', version: VERSION },
    generatedAt: new Date(finishedAt).toISOString(),
    lang: getLang(),
    target: { input: podRef, kind: image ? 'image' : 'registry', image, registry, endpoint: registry },
    durationMs: finishedAt - o.startedAt,
    cancelled: Boolean(o.cancelled),
    checks,
    findings,
    verdict,
  };
  return redact(report);
}
