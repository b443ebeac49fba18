// The regdoctor/report@1 document: what every renderer (text, JSON, Ink, Markdown/HTML export) reads.
// Verdict = the most severe finding, ties broken by the cause registry's rank (root causes first).
import { causeInfo, causeRank, severityOrder, type CauseCode, type Severity } from './causes.js';
import { redact } from '../text/redact.js';
import { sanitizeDeep, sanitizeDeepLine, sanitizeLine } from '../text/sanitize.js';
import type { Finding, FixProposal, RunState } from './types.js';
import { VERSION } from './version.js';
import { getFact } from './facts.js';
import { getLang, messageIn, sanitizeMessage, type Lang, type Message } from '../i18n/index.js';

export interface ReportCheck {
  id: string;
  title: string;
  status: string;
  durationMs: number;
  /** English; views and exports print `summaryMessage` (when set) in the reader's language instead. */
  summary?: string;
  summaryMessage?: Message;
  skipReason?: string;
  error?: string;
  evidence: string[];
  /** Messages of the evidence lines written as sentences (same index, null: raw); views print them. */
  evidenceMessages?: (Message | null)[];
}

export interface ReportFinding {
  code: CauseCode;
  title: string;
  severity: Severity;
  summary: string;
  summaryMessage?: Message;
  evidence: string[];
  evidenceMessages?: (Message | null)[];
  host?: string;
  predictedRuntimeError?: string;
  nextErrors?: string[];
  docs: string;
  source: string;
  fixes: FixProposal[];
  data?: Record<string, unknown>;
}

export interface ReportChainCert {
  subject: string;
  issuer: string;
  notBefore: string;
  notAfter: string;
  sans: string[];
  signatureAlgorithm: string;
  key: string;
  isCA: boolean;
  sha256: string;
  /** Trust source when this certificate (or its issuer) is trusted by the runtime. */
  trustedAs?: string;
  /** A verification fault names this certificate. */
  failing: boolean;
}

export interface Report {
  schema: 'regdoctor/report@1';
  tool: { name: 'regdoctor'; version: string };
  generatedAt: string;
  /** The language of the human text regdoctor printed with this report (every other field is the same in each). */
  lang?: Lang;
  target: {
    input: string;
    kind: 'image' | 'registry';
    image?: string;
    registry: string;
    endpoint: string;
  };
  durationMs: number;
  cancelled: boolean;
  checks: ReportCheck[];
  findings: ReportFinding[];
  verdict: {
    code: CauseCode;
    title: string;
    severity: Severity;
    summary: string;
    summaryMessage?: Message;
    predictedRuntimeError?: string;
    docs: string;
  };
  /** The certificate chain the registry presented, leaf first (when a TLS handshake happened). */
  chain?: ReportChainCert[];
}

function chainSummary(state: RunState, findings: Finding[]): ReportChainCert[] | undefined {
  const chain = getFact(state.facts, 'cert-chain');
  if (!chain) return undefined;
  const failingSubjects = new Set<string>();
  for (const f of findings) {
    const faults = (f.data?.faults as { subject?: string }[] | undefined) ?? [];
    if (faults[0]?.subject) failingSubjects.add(faults[0].subject);
  }
  return chain.certs.map(({ info, trustedAs }) => ({
    subject: info.subject.display,
    issuer: info.issuer.display,
    notBefore: info.notBefore.toISOString(),
    notAfter: info.notAfter.toISOString(),
    sans: [...info.dnsNames, ...info.ipAddresses],
    signatureAlgorithm: info.signatureAlgorithm,
    key: `${info.publicKey.type}${info.publicKey.bits ? ` ${info.publicKey.bits}` : ''}`,
    isCA: info.isCA,
    sha256: info.sha256,
    trustedAs,
    failing: failingSubjects.has(info.subject.display),
  }));
}

function findingKey(f: Finding): string {
  return `${f.code}\u0000${f.host ?? ''}\u0000${f.predictedRuntimeError ?? f.summary}`;
}

/** Merges duplicate findings (same code, host and message) and sorts: severity, then cause rank, then order. */
export function rankFindings(findings: readonly Finding[]): Finding[] {
  const merged = new Map<string, Finding>();
  for (const f of findings) {
    const k = findingKey(f);
    const prev = merged.get(k);
    if (!prev) {
      merged.set(k, {
        ...f,
        evidence: [...f.evidence],
        ...(f.evidenceMessages ? { evidenceMessages: [...f.evidenceMessages] } : {}),
        fixes: [...f.fixes],
      });
      continue;
    }
    f.evidence.forEach((e, i) => {
      if (prev.evidence.includes(e)) return;
      const m = f.evidenceMessages?.[i] ?? null;
      if (m || prev.evidenceMessages) {
        prev.evidenceMessages = [...(prev.evidenceMessages ?? [])];
        while (prev.evidenceMessages.length < prev.evidence.length) prev.evidenceMessages.push(null);
        prev.evidenceMessages.push(m);
      }
      prev.evidence.push(e);
    });
    for (const x of f.fixes) if (!prev.fixes.some((p) => p.id === x.id)) prev.fixes.push(x);
  }
  const list = [...merged.values()];
  const index = new Map(list.map((f, i) => [f, i]));
  return list.sort(
    (a, b) =>
      severityOrder(a.severity) - severityOrder(b.severity) || causeRank(a.code) - causeRank(b.code) || index.get(a)! - index.get(b)!,
  );
}

/** Every finding of a finished run, ranked. */
export function collectFindings(state: RunState): Finding[] {
  return rankFindings(state.checks.flatMap((c) => c.findings));
}

/** The verdict is the most fundamental error; warnings alone (latent problems, deprecations) leave it healthy. */
export function verdictOf(state: RunState, ranked: Finding[]): Report['verdict'] {
  const top = ranked.find((f) => f.severity === 'critical' || f.severity === 'error');
  if (top) {
    const info = causeInfo(top.code);
    return {
      code: top.code,
      title: info.title,
      severity: top.severity,
      summary: top.summary,
      summaryMessage: top.summaryMessage,
      predictedRuntimeError: top.predictedRuntimeError,
      docs: info.docs,
    };
  }
  const broken = state.checks.filter((c) => c.status === 'crash' || c.status === 'cancelled');
  if (state.cancelled || broken.length > 0) {
    const info = causeInfo('unknown');
    const message: Message = state.cancelled
      ? { key: 'verdict.cancelled' }
      : { key: 'verdict.incomplete', params: { checks: broken.map((c) => `${c.id} (${c.error ?? c.status})`).join(', ') } };
    return { code: 'unknown', title: info.title, severity: 'warning', ...withEnglish(message), docs: info.docs };
  }
  const info = causeInfo('healthy');
  const warnings = ranked.filter((f) => f.severity === 'warning');
  const registry = state.target.registry.name;
  const message: Message = warnings.length
    ? {
        key: warnings.length === 1 ? 'verdict.healthyWarnings.one' : 'verdict.healthyWarnings.other',
        params: { registry, n: warnings.length, codes: [...new Set(warnings.map((w) => w.code))].join(', ') },
      }
    : { key: 'verdict.healthy', params: { registry } };
  return { code: 'healthy', title: info.title, severity: 'info', ...withEnglish(message), docs: info.docs };
}

/** A message with its English text as `summary` (JSON and logs keep English; views print the message). */
function withEnglish(m: Message): { summary: string; summaryMessage: Message } {
  return { summary: messageIn('en', m), summaryMessage: m };
}

const line = (s: string | undefined) => (s === undefined ? undefined : sanitizeLine(String(s)));
const lines = (a: readonly string[] | undefined) => a?.map((s) => sanitizeLine(String(s)));
const messages = (a: readonly (Message | null)[] | undefined) =>
  a === undefined ? {} : { evidenceMessages: a.map((m) => (m ? sanitizeMessage(m, sanitizeLine) : null)) };

/**
 * Every string of a report made safe to print: control characters, DEL, C1 and bidi overrides become visible
 * escapes (`\x1b`), and every field that a renderer prints on one line gets its newlines escaped too (a fix's
 * manual steps included: a newline in a command to paste would run a second one), so text from a server, a
 * certificate or the cluster can neither drive the terminal nor forge a report line. Only planned file contents and
 * structured data keep their newlines. Idempotent; renderers call it again on whatever they get.
 */
export function sanitizeReport(r: Report): Report {
  // Fields this function does not know (added later) still lose every control character but newlines.
  const base = sanitizeDeep(r);
  return {
    ...base,
    tool: { name: r.tool.name, version: sanitizeLine(String(r.tool.version)) },
    generatedAt: sanitizeLine(String(r.generatedAt)),
    target: sanitizeDeepLine(r.target),
    checks: (base.checks ?? []).map((c) => ({
      ...c,
      id: sanitizeLine(String(c.id)),
      title: sanitizeLine(String(c.title)),
      status: sanitizeLine(String(c.status)),
      summary: line(c.summary),
      ...(c.summaryMessage ? { summaryMessage: sanitizeMessage(c.summaryMessage, sanitizeLine) } : {}),
      skipReason: line(c.skipReason),
      error: line(c.error),
      evidence: lines(c.evidence) ?? [],
      ...messages(c.evidenceMessages),
    })),
    findings: (base.findings ?? []).map((f) => ({
      ...f,
      code: sanitizeLine(String(f.code)) as CauseCode,
      title: sanitizeLine(String(f.title)),
      summary: sanitizeLine(String(f.summary)),
      ...(f.summaryMessage ? { summaryMessage: sanitizeMessage(f.summaryMessage, sanitizeLine) } : {}),
      evidence: lines(f.evidence) ?? [],
      ...messages(f.evidenceMessages),
      host: line(f.host),
      predictedRuntimeError: line(f.predictedRuntimeError),
      nextErrors: lines(f.nextErrors),
      docs: sanitizeLine(String(f.docs)),
      source: sanitizeLine(String(f.source)),
      fixes: (f.fixes ?? []).map((x) => ({
        ...x,
        id: sanitizeLine(String(x.id)),
        title: sanitizeLine(String(x.title)),
        ...(x.titleMessage ? { titleMessage: sanitizeMessage(x.titleMessage, sanitizeLine) } : {}),
        description: sanitizeLine(String(x.description)),
        ...(x.descriptionMessage ? { descriptionMessage: sanitizeMessage(x.descriptionMessage, sanitizeLine) } : {}),
        // commands and file names to paste: a newline in one would run a second command
        manualSteps: (x.manualSteps ?? []).map((s) => sanitizeLine(String(s))),
      })),
    })),
    verdict: sanitizeDeepLine(r.verdict),
    chain: r.chain === undefined ? undefined : sanitizeDeepLine(r.chain),
  };
}

/**
 * A fix proposal as shown to a person (plan header, "what to do" lists, the guided-fix screen): title, description,
 * manual steps and the blocking reason one line each with control characters escaped — planners quote certificate
 * names and other untrusted text in them. The actions (what will be written) are left exactly as they are.
 */
export function sanitizeProposal<P extends FixProposal>(p: P): P {
  return {
    ...p,
    title: sanitizeLine(String(p.title)),
    ...(p.titleMessage ? { titleMessage: sanitizeMessage(p.titleMessage, sanitizeLine) } : {}),
    description: sanitizeLine(String(p.description)),
    ...(p.descriptionMessage ? { descriptionMessage: sanitizeMessage(p.descriptionMessage, sanitizeLine) } : {}),
    manualSteps: (p.manualSteps ?? []).map((s) => sanitizeLine(redact(String(s)))),
    ...(typeof p.blocked === 'string' ? { blocked: sanitizeLine(p.blocked) } : {}),
  };
}

/** Builds the report. Everything is redacted (reports are meant to be pasted into tickets) and sanitised. */
export function buildReport(state: RunState, findings: Finding[] = collectFindings(state)): Report {
  const ranked = rankFindings(findings);
  const report: Report = {
    schema: 'regdoctor/report@1',
    tool: { name: 'regdoctor', version: VERSION },
    generatedAt: new Date(state.finishedAt ?? Date.now()).toISOString(),
    lang: getLang(),
    target: {
      input: state.target.input,
      kind: state.target.kind,
      image: state.target.image?.normalized,
      registry: state.target.registry.name,
      endpoint: state.target.registry.apiHost,
    },
    durationMs: (state.finishedAt ?? Date.now()) - state.startedAt,
    cancelled: state.cancelled,
    checks: state.checks.map((c) => ({
      id: c.id,
      title: c.title,
      status: c.status,
      durationMs: c.durationMs ?? 0,
      summary: c.summary,
      summaryMessage: c.summaryMessage,
      skipReason: c.skipReason,
      error: c.error,
      evidence: c.evidence,
      ...(c.evidenceMessages ? { evidenceMessages: c.evidenceMessages } : {}),
    })),
    findings: ranked.map((f) => {
      const info = causeInfo(f.code);
      return {
        code: f.code,
        title: info.title,
        severity: f.severity,
        summary: f.summary,
        summaryMessage: f.summaryMessage,
        evidence: f.evidence,
        ...(f.evidenceMessages ? { evidenceMessages: f.evidenceMessages } : {}),
        host: f.host,
        predictedRuntimeError: f.predictedRuntimeError,
        nextErrors: f.nextErrors,
        docs: info.docs,
        source: f.source,
        fixes: f.fixes,
        data: f.data,
      };
    }),
    verdict: verdictOf(state, ranked),
    chain: chainSummary(state, ranked),
  };
  return sanitizeReport(redact(report));
}

/** 0 healthy, 1 problems found — with `strict`, a healthy verdict with warnings counts as problems too.
 *  (2 usage and 3 internal errors are decided by the CLI.) */
export function exitCodeFor(report: Pick<Report, 'verdict'> & Partial<Pick<Report, 'findings'>>, opts: { strict?: boolean } = {}): 0 | 1 {
  if (report.verdict.code !== 'healthy') return 1;
  return opts.strict && (report.findings ?? []).some((f) => f.severity === 'warning') ? 1 : 0;
}
