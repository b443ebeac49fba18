// Pure classification of pull-error text (kubelet events, runtime logs, CLI output) into cause codes, plus the
// failing URL and the role of its host. Shared by `regdoctor explain`, the CRI pull check and the event scraper.
import { causeInfo, type CauseCode } from '../core/causes.js';
import { PATTERNS } from './patterns.js';

export type HostRole = 'registry' | 'mirror' | 'token-realm' | 'blob-storage' | 'proxy' | 'dns' | 'unknown';
export type RuntimeName = 'containerd' | 'cri-o' | 'docker' | 'podman' | 'crictl' | 'ctr' | 'nerdctl' | 'skopeo' | 'kubelet' | 'unknown';

export interface Classification {
  code: CauseCode | 'unknown';
  /** Pattern row that matched. */
  rule?: string;
  explanation: string;
  image?: string;
  failingUrl?: string;
  host?: string;
  hostRole: HostRole;
  runtime: RuntimeName;
  /** The Go-level error at the end of the chain, when recognisable. */
  goError?: string;
  grpcCode?: string;
  confidence: 'high' | 'low';
}

const BLOB_HOSTS = /(?:\.s3[.-][\w.-]*amazonaws\.com|\.s3\.amazonaws\.com|storage\.googleapis\.com|\.blob\.core\.windows\.net|\.cloudfront\.net|\.r2\.cloudflarestorage\.com|production\.cloudflare\.docker\.com|\.pkg-containers\.githubusercontent\.com|\.cdn\.|\.azureedge\.net|quay-registry\.s3|cdn\d*\.quay\.io)/i;

function unescape(s: string): string {
  return s.replace(/\\\\"/g, '"').replace(/\\"/g, '"').replace(/\\n/g, ' ');
}

export function detectRuntime(text: string): RuntimeName {
  if (/Failed to pull image "|Back-off pulling image|ErrImagePull|ImagePullBackOff/.test(text)) return 'kubelet';
  if (/failed to pull and unpack image|level=\w+ msg="PullImage/.test(text)) return 'containerd';
  if (/^ctr: |\bctr: /m.test(text)) return 'ctr';
  if (/nerdctl|FATA\[\d+\] failed to resolve reference/.test(text)) return 'nerdctl';
  if (/crictl|FATA\[\d+\] pulling image/.test(text)) return 'crictl';
  if (/skopeo|Error parsing image name|FATA\[\d+\] initializing source/.test(text)) return 'skopeo';
  if (/^Error: initializing source docker:\/\/|Trying to pull [\w./:-]+\.\.\.|podman/m.test(text)) return 'podman';
  if (/pinging container registry|Error reading manifest|initializing source docker:\/\/|cri-o|crio/i.test(text)) return 'cri-o';
  if (/Error response from daemon|docker:|dockerd/.test(text)) return 'docker';
  if (/failed to resolve reference|failed to do request/.test(text)) return 'containerd';
  return 'unknown';
}

export function extractImage(text: string): string | undefined {
  const m =
    text.match(/(?:Failed to pull image|Back-off pulling image|failed to pull and unpack image|PullImage|pulling image|Pulling image) \\?"([^"\\]+)\\?"/) ??
    text.match(/failed to resolve reference \\?"([^"\\]+)\\?"/) ??
    text.match(/docker:\/\/([^\s:"]+(?::[^\s@"]+)?(?:@sha256:[a-f0-9]+)?)/) ??
    text.match(/reading manifest (\S+) in (\S+):/) ??
    text.match(/pull access denied for ([\w./:-]+),/) ??
    text.match(/Error response from daemon: (?:manifest for )?([\w./:-]+@?[\w:]*) not found/) ??
    text.match(/image "([^"]+)"/);
  if (!m) return undefined;
  if (m.length > 2 && m[2] && /reading manifest/.test(m[0]!)) return `${m[2]}:${m[1]}`;
  return m[1];
}

export function extractUrl(text: string): string | undefined {
  const all = [...text.matchAll(/(?:Head|Get|Post|Put|HEAD|GET)\s+\\?"?(https?:\/\/[^\s"\\]+)\\?"?/g)].map((m) => m[1]!);
  if (all.length) return all[all.length - 1];
  return text.match(/https?:\/\/[^\s"'\\,)]+/)?.[0];
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

function imageRegistry(image: string | undefined): string | undefined {
  if (!image) return undefined;
  const first = image.split('/')[0]!;
  if (!image.includes('/') || !(/[.:]/.test(first) || first === 'localhost')) return 'docker.io';
  return first;
}

/** Classifies one message (already extracted and unwrapped). */
export function classifyMessage(raw: string): Classification {
  const text = unescape(raw);
  const runtime = detectRuntime(text);
  const image = extractImage(text);
  const failingUrl = extractUrl(text);
  const grpcCode = text.match(/rpc error: code = (\w+)/)?.[1];
  let row: (typeof PATTERNS)[number] | undefined;
  for (const r of PATTERNS) {
    if (r.re.test(text)) {
      row = r;
      break;
    }
  }
  // host and its role: classify by the failing URL, not by the image name
  let host = failingUrl ? hostOf(failingUrl) : undefined;
  let hostRole: HostRole = 'unknown';
  const reg = imageRegistry(image);
  const proxyHost = text.match(/proxyconnect tcp: dial tcp ([^\s:]+:\d+|\[[^\]]+\]:\d+)/)?.[1];
  const dnsHost = text.match(/lookup ([^\s:]+)(?: on |: )/)?.[1];
  if (row?.code === 'proxy' && proxyHost) {
    host = proxyHost;
    hostRole = 'proxy';
  } else if (row?.code === 'dns' && dnsHost) {
    host = dnsHost;
    hostRole = 'dns';
  } else if (host) {
    if (/failed to (?:fetch (?:anonymous|oauth) token|authorize)|\/token\b|\/oauth2?\/|\/v2\/token|\/jwt\/auth/i.test(text) && /token|oauth|jwt|auth/i.test(failingUrl ?? '')) hostRole = 'token-realm';
    else if (BLOB_HOSTS.test(host) || (/\/blobs\//.test(failingUrl ?? '') && reg !== undefined && host !== reg && !host.startsWith(`${reg}`))) hostRole = 'blob-storage';
    else if (reg && host !== reg && !(reg === 'docker.io' && /(?:^|\.)docker\.io$/.test(host.replace(/:\d+$/, '')))) hostRole = /\/v2\//.test(failingUrl ?? '') ? 'mirror' : 'unknown';
    else hostRole = 'registry';
  } else if (reg) {
    host = reg;
    hostRole = 'registry';
  }
  const goError = text.match(/(?:tls: failed to verify certificate: )?(x509: [^"\n]+?)(?:"?\s*$|\s*\\n)/)?.[1] ?? text.match(/(http: server gave HTTP response to HTTPS client|remote error: tls: [\w ]+|dial tcp [^\s]+: [^"\n]+?)(?:"?\s*$)/)?.[1];
  if (!row) {
    return { code: 'unknown', explanation: 'regdoctor does not recognise this wording; the raw message is kept as it is. Run `regdoctor diagnose` on the node for a live diagnosis.', image, failingUrl, host, hostRole, runtime, goError, grpcCode, confidence: 'low' };
  }
  const info = causeInfo(row.code);
  const roleNote =
    hostRole === 'token-realm'
      ? ` The failing host ${host} is the registry's token service (its "realm"), not the registry itself.`
      : hostRole === 'blob-storage'
        ? ` The failing host ${host} is the blob storage the registry redirects layer downloads to, not the registry.`
        : hostRole === 'mirror'
          ? ` The failing host ${host} is a mirror configured for ${reg}, not ${reg} itself.`
          : hostRole === 'proxy'
            ? ` The failing host ${host} is the HTTP proxy.`
            : '';
  return {
    code: row.code,
    rule: row.id,
    explanation: `${info.title}: ${row.why}${roleNote}`,
    image,
    failingUrl,
    host,
    hostRole,
    runtime,
    goError,
    grpcCode,
    confidence: 'high',
  };
}

// ------------------------------------------------------------------------------------------------ extraction

const START =
  /Failed to pull image|Back-off pulling image|ErrImagePull|ImagePullBackOff|failed to pull and unpack|failed to resolve reference|Error response from daemon|Error: (?:initializing source|reading manifest|writing blob|pulling image|copying system image)|FATA\[\d+\]|^ctr: |level=(?:error|warning) |Unable to retrieve some image pull secrets|FailedToRetrieveImagePullSecret|pinging container registry|Error reading manifest|x509:|SSL certificate problem|certificate verify failed|server gave HTTP response|remote error: tls|toomanyrequests|no match for platform|cannot be set when `config_path`|unknown service runtime\.v1/;
const CHEAP = /(?:fail|error|denied|x509|refused|timeout|not found|unknown|429|back-off|pull|tls|lookup|certif|ssl)/i;
const TS_PREFIX = /^(?:\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?\s+|\w{3}\s+\d+ \d\d:\d\d:\d\d \S+ \S+?(?:\[\d+\])?:\s+|\[\d+(?:\.\d+)?\]\s+|##\[\w+\]|\d\d:\d\d:\d\d\s+)/;

/** A line that begins a new record (event row, log line, CLI error), not a continuation of the previous one. */
const NEW_RECORD = /^(?:(?:Normal|Warning)\s+\w+\s|Failed to pull image|Back-off pulling image|Error[: ]|FATA\[|ctr: |time=|level=|[EIWF]\d{4} |\w{3} +\d+ \d\d:|\d{4}-\d\d-\d\d|Type\s+Reason|-{3,})/;
/** Kubelet's bare status lines ("Error: ErrImagePull") carry no cause. */
const STATUS_ONLY = /^Error: (?:ErrImagePull|ImagePullBackOff|ErrImageNeverPull|InvalidImageName)\s*$/;

export interface Extracted {
  message: string;
  line: number;
}

function stripPrefixes(line: string): string {
  let s = line.replace(/\u001b\[[0-9;]*m/g, '').replace(/\r$/, '');
  for (let k = 0; k < 3; k++) {
    const t = s.replace(TS_PREFIX, '');
    if (t === s) break;
    s = t;
  }
  return s;
}

/** Pulls a logfmt field out of a journald/containerd log line (msg="..." error="...") with escaped quotes. */
function logfmtError(line: string): string | undefined {
  const m = line.match(/\berror="((?:[^"\\]|\\.)*)"/) ?? line.match(/\berr="((?:[^"\\]|\\.)*)"/);
  if (!m) return undefined;
  const msg = line.match(/\bmsg="((?:[^"\\]|\\.)*)"/)?.[1];
  // keep the message when it carries the meaning (e.g. "Ignoring unknown key in TOML for plugin")
  return msg && !/^PullImage|^failed to load plugin/.test(unescape(msg)) ? `${unescape(msg)}: ${unescape(m[1]!)}` : unescape(m[1]!);
}

/** Finds every pull-error message in arbitrary text (events, describe output, logs, CI output). Linear. */
export function extractMessages(text: string, maxBytes = 64 * 1024 * 1024): Extracted[] {
  if (text.length > maxBytes) throw new Error(`input larger than ${maxBytes} bytes`);
  const lines = text.split('\n');
  const out: Extracted[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < lines.length; i++) {
    const rawLine = lines[i]!;
    if (!CHEAP.test(rawLine)) continue;
    let line = stripPrefixes(rawLine);
    if (!START.test(line)) continue;
    // join wrapped continuation lines (indented, not a new record)
    let j = i + 1;
    while (j < lines.length && j - i < 20) {
      const next = stripPrefixes(lines[j]!);
      if (!/^\s{2,}\S/.test(lines[j]!) && !/^[a-z0-9"\\:./-]/.test(next)) break;
      if (NEW_RECORD.test(next.trimStart()) || /^\s*[A-Z][\w ]+:\s/.test(next)) break;
      line = `${line.trimEnd()}${/[:(,]$/.test(line.trimEnd()) || /^\s/.test(next) ? ' ' : ''}${next.trim()}`;
      j++;
    }
    i = j - 1;
    // keep the interesting part of structured lines
    let msg = logfmtError(line) ?? line;
    msg = msg.replace(/^\s*(?:Warning|Normal)\s+\w+\s+(?:\S+\s+\(x\d+ over \S+\)\s+|\S+\s+)?\S+\s+/, '').trim();
    const key = msg.replace(/\s+/g, ' ');
    if (STATUS_ONLY.test(msg) || /^(?:Back-off pulling image|Pulling image) "[^"]+"$/.test(msg)) continue;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ message: msg, line: i + 1 });
  }
  return out;
}
