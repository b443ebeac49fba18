// Pure classification of pull-error text (kubelet events, runtime logs, CLI output) into cause codes, plus the
// failing URL and the role of its host. Shared by `regdoctor explain`, the CRI pull check and the event scraper.
import type { CauseCode } from '../core/causes.js';
import { messageIn, msg, type Message } from '../i18n/index.js';
import { parseImageReference } from '../core/reference.js';
import { PATTERNS, type PatternRow } from './patterns.js';

export type HostRole = 'registry' | 'mirror' | 'token-realm' | 'blob-storage' | 'proxy' | 'dns' | 'unknown';
export type RuntimeName = 'containerd' | 'cri-o' | 'docker' | 'podman' | 'crictl' | 'ctr' | 'nerdctl' | 'skopeo' | 'kubelet' | 'unknown';

export interface Classification {
  code: CauseCode | 'unknown';
  /** Pattern row that matched. */
  rule?: string;
  /** English (what `explain --json` and reports store); `explanationMessage` renders it in the reader's language. */
  explanation: string;
  explanationMessage: Message;
  image?: string;
  failingUrl?: string;
  host?: string;
  hostRole: HostRole;
  runtime: RuntimeName;
  /** The Go-level error at the end of the chain, when recognisable. */
  goError?: string;
  grpcCode?: string;
  confidence: 'high' | 'low';
  /** Other causes that produce the same text, most likely first (empty when the wording is unambiguous). */
  alternatives: CauseCode[];
  /** How to tell `code` and `alternatives` apart; `{diagnose}` stands for the live-diagnosis command. */
  tellApart?: string;
  /** The same as a message (its `{diagnose}` param is filled by whoever knows the command). */
  tellApartMessage?: Message;
}

const BLOB_HOSTS =
  /(?:\.s3[.-][\w.-]*amazonaws\.com|\.s3\.amazonaws\.com|storage\.googleapis\.com|\.blob\.core\.windows\.net|\.cloudfront\.net|\.r2\.cloudflarestorage\.com|production\.cloudflare\.docker\.com|\.pkg-containers\.githubusercontent\.com|\.cdn\.|\.azureedge\.net|quay-registry\.s3|cdn\d*\.quay\.io)/i;

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

const IMAGE_PATTERNS: RegExp[] = [
  /(?:Failed to pull image|Back-off pulling image|failed to pull and unpack image|PullImage|pulling image|Pulling image|failed to get sandbox image|error pulling image) \\?"([^"\\]+)\\?"/,
  /failed to resolve reference \\?"([^"\\]+)\\?"/,
  /docker:\/\/([^\s"']+)/,
  /pull access denied for ([\w./:@-]+),/,
  /Error response from daemon: (?:manifest for )?([\w./:-]+@?[\w:]*) not found/,
  /\bimage "([^"]+)"/,
];

/** An image reference as written, or undefined when it does not parse (a trailing ':' from podman's
 *  "docker://reg:5000/app:1: reading manifest…" is the separator, not part of the tag). */
function validImage(candidate: string | undefined): string | undefined {
  if (!candidate) return undefined;
  const s = candidate.replace(/[:.,;)]+$/, '');
  if (!s || s.length > 512) return undefined;
  try {
    parseImageReference(s);
    return s;
  } catch {
    return undefined;
  }
}

export function extractImage(text: string): string | undefined {
  for (const re of IMAGE_PATTERNS) {
    const m = text.match(re);
    if (!m) continue;
    // "docker://reg:5000/app:1: reading …": cut at the first ': ' so the separator colon is not taken for a tag
    const img = validImage(m[1]!.split(/:\s/)[0]);
    if (img) return img;
  }
  const rm = text.match(/reading manifest (\S+) in ([^\s:]+(?::\d+)?\/[^\s:]+)/);
  if (rm) {
    const img = validImage(`${rm[2]}${rm[1]!.startsWith('sha256:') ? '@' : ':'}${rm[1]}`);
    if (img) return img;
  }
  return undefined;
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
  let row: PatternRow | undefined;
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
    if (
      /failed to (?:fetch (?:anonymous|oauth) token|authorize)|\/token\b|\/oauth2?\/|\/v2\/token|\/jwt\/auth/i.test(text) &&
      /token|oauth|jwt|auth/i.test(failingUrl ?? '')
    )
      hostRole = 'token-realm';
    else if (
      BLOB_HOSTS.test(host) ||
      (/\/blobs\//.test(failingUrl ?? '') && reg !== undefined && host !== reg && !host.startsWith(`${reg}`))
    )
      hostRole = 'blob-storage';
    else if (reg && host !== reg && !(reg === 'docker.io' && /(?:^|\.)docker\.io$/.test(host.replace(/:\d+$/, ''))))
      hostRole = /\/v2\//.test(failingUrl ?? '') ? 'mirror' : 'unknown';
    else hostRole = 'registry';
  } else if (reg) {
    host = reg;
    hostRole = 'registry';
  }
  // The Go error ends the message: look at the tail only (these lazy captures backtrack quadratically, and a
  // pasted 50 KB line took seconds).
  const tail = text.length > 4096 ? text.slice(-4096) : text;
  const goError =
    tail.match(/(?:tls: failed to verify certificate: )?(x509: [^"\n]+?)(?:"?\s*$|\s*\\n)/)?.[1] ??
    tail.match(/(http: server gave HTTP response to HTTPS client|remote error: tls: [\w ]+|dial tcp [^\s]+: [^"\n]+?)(?:"?\s*$)/)?.[1];
  // what was read from the message, whatever the verdict
  const seen = { image, failingUrl, host, hostRole, runtime, goError, grpcCode };
  if (!row) {
    return {
      code: 'unknown',
      ...explained(msg('explain.unrecognised')),
      ...seen,
      confidence: 'low',
      alternatives: [],
    };
  }
  if (row.code === 'unknown') {
    // recognised wording that names no cause regdoctor acts on: explain it, never guess a cause
    return {
      code: 'unknown',
      rule: row.id,
      ...explained(msg(row.why)),
      ...seen,
      confidence: 'low',
      alternatives: row.alt ?? [],
      ...tellOf(row),
    };
  }
  const roleNote: Message | '' =
    hostRole === 'token-realm'
      ? msg('explain.note.tokenRealm', { host: String(host) })
      : hostRole === 'blob-storage'
        ? msg('explain.note.blobStorage', { host: String(host) })
        : hostRole === 'mirror'
          ? msg('explain.note.mirror', { host: String(host), registry: String(reg) })
          : hostRole === 'proxy'
            ? msg('explain.note.proxy', { host: String(host) })
            : '';
  return {
    code: row.code,
    rule: row.id,
    ...explained(msg('explain.explanation', { title: msg(`cause.${row.code}.title`), why: msg(row.why), note: roleNote })),
    ...seen,
    confidence: 'high',
    alternatives: row.alt ?? [],
    ...tellOf(row),
  };
}

/** An explanation as stored English and as a message. */
function explained(m: Message): { explanation: string; explanationMessage: Message } {
  return { explanation: messageIn('en', m), explanationMessage: m };
}

/** A row's way to tell causes apart, English with `{diagnose}` left in and as a message without its param. */
function tellOf(row: PatternRow): { tellApart?: string; tellApartMessage?: Message } {
  return row.tell ? { tellApart: messageIn('en', { key: row.tell }), tellApartMessage: { key: row.tell } } : {};
}

// ------------------------------------------------------------------------------------------------ extraction

/** Lines that begin a pull-error message whatever follows (the wording after them may be unknown). */
const START =
  /Failed to pull image|Back-off pulling image|ErrImagePull|ImagePullBackOff|failed to pull and unpack|failed to resolve reference|failed to resolve image|Error response from daemon|Error: (?:initializing source|reading manifest|writing blob|pulling image|copying system image)|Error (?:while )?pulling image|error pulling image|initializing source docker:|FATA\[\d+\]|^ctr: |level=(?:error|warning|fatal) msg="(?:PullImage|[Pp]ulling image|Error pulling|Not continuing with pull|Attempting next endpoint for pull|Handler for POST \/v[\d.]+\/images\/create)|Unable to retrieve some image pull secrets|FailedToRetrieveImagePullSecret|pinging (?:container|docker) registry|unable to ping registry|Error reading manifest|failed to get sandbox image|x509:|SSL certificate problem|certificate verify failed|server gave HTTP response|remote error: tls|toomanyrequests|no match for platform|cannot be set when `config_path`|unknown service runtime\.v1/;

/** Something of an image pull is named on the line (for wordings that are common elsewhere). */
const PULL_CONTEXT = /pull|image|registr|manifest|\/v2\/|blob|layer|repositor|docker|podman|crictl|containerd|cri-o|skopeo|\btag\b/i;
/** Go network errors that are the cluster's own traffic, not a pull: probes, API server, etcd, CNI, webhooks. */
const CLUSTER_TRAFFIC =
  /probe failed|(?:liveness|readiness|startup) probe|reflector\.go|failed to (?:list|watch) \*|\/apis?\/v1|:6443\b|:10250\b|:2379\b|\betcd|\blease\b|node status|\bCNI\b|networkplugin|plugin\/errors|\bHINFO\b/i;

function union(rows: PatternRow[]): RegExp {
  return new RegExp(rows.map((r) => `(?:${r.re.source})`).join('|'), 'i');
}
const SPECIFIC = union(PATTERNS.filter((r) => !r.needs));
const NETWORK = union(PATTERNS.filter((r) => r.needs === 'not-cluster'));
const WEAK = union(PATTERNS.filter((r) => r.needs === 'pull-context'));

/** Does this line (prefixes stripped) start or contain a pull error? Any recognisable Go / HTTP / TLS / registry
 *  error counts, whether or not a pull prefix precedes it — a person often pastes only the last line. */
function isCandidate(line: string): boolean {
  if (START.test(line) || SPECIFIC.test(line)) return true;
  if (NETWORK.test(line)) return !CLUSTER_TRAFFIC.test(line) || PULL_CONTEXT.test(line);
  return WEAK.test(line) && PULL_CONTEXT.test(line);
}

/** Quick rejection of lines that cannot hold any of the wordings above (most log lines): does the line contain one of
 *  these words, ASCII case ignored? Every line of the input goes through it, so it is one pass of a literal automaton
 *  (Aho–Corasick over ASCII, built once) instead of a case-insensitive regex alternation, which V8 tries word by word
 *  at every position (half of `explain`'s time on a large journal). Same answer as /fail|error|…|connect/i:
 *  test/classify/cheap-filter.test.ts compares them. */
export const CHEAP_WORDS: readonly string[] = (
  'fail|error|err=|denied|x509|refused|timeout|timed out|not found|unknown|429|backoff|back-off|pull|tls|ssl|lookup|certif|' +
  'http|dial|deadline|canceled|cancelled|unauthori|forbidden|authenticat|credential|token|permission|scope|manifest|' +
  'blob|reset|eof|route|unreachable|resolution|resolve|host|proxy|limit|too many|secret|platform|format|space|gateway|' +
  'unavailable|signature|reference|media type|invalid|.sock|daemon|connect'
).split('|');

/** An Aho–Corasick automaton of lower-case ASCII words as a dense transition table over the 128 ASCII codes (upper
 *  case folded in the table); a non-ASCII character matches no word character (case-insensitive matching without
 *  the u flag never folds a non-ASCII character to ASCII), so it sends the automaton back to the root. */
function literalAutomaton(words: readonly string[]): { next: Int32Array; hit: Uint8Array } {
  const goto: Map<number, number>[] = [new Map()];
  const out: boolean[] = [false];
  for (const w of words) {
    let st = 0;
    for (let k = 0; k < w.length; k++) {
      const c = w.charCodeAt(k);
      let nx = goto[st]!.get(c);
      if (nx === undefined) {
        nx = goto.length;
        goto.push(new Map());
        out.push(false);
        goto[st]!.set(c, nx);
      }
      st = nx;
    }
    out[st] = true;
  }
  const n = goto.length;
  const next = new Int32Array(n * 128);
  const hit = new Uint8Array(n);
  const fail = new Int32Array(n);
  // breadth first: a state's fail link and row are complete before its children's
  const queue: number[] = [];
  for (let c = 0; c < 128; c++) {
    const nx = goto[0]!.get(c);
    next[c] = nx ?? 0;
    if (nx !== undefined) queue.push(nx);
  }
  for (let qi = 0; qi < queue.length; qi++) {
    const st = queue[qi]!;
    hit[st] = out[st] || hit[fail[st]!] ? 1 : 0;
    for (let c = 0; c < 128; c++) {
      const nx = goto[st]!.get(c);
      if (nx !== undefined) {
        fail[nx] = next[fail[st]! * 128 + c]!;
        next[st * 128 + c] = nx;
        queue.push(nx);
      } else next[st * 128 + c] = next[fail[st]! * 128 + c]!;
    }
  }
  // fold upper case: 'A'..'Z' go where 'a'..'z' go
  for (let st = 0; st < n; st++) for (let c = 65; c <= 90; c++) next[st * 128 + c] = next[st * 128 + c + 32]!;
  return { next, hit };
}

/** Built on the first use: a diagnosis imports this module without scanning any text. */
let cheapAutomaton: { next: Int32Array; hit: Uint8Array } | undefined;

/** Does `line` contain one of CHEAP_WORDS (ASCII case ignored)? */
export function cheapHit(line: string): boolean {
  const { next, hit } = (cheapAutomaton ??= literalAutomaton(CHEAP_WORDS));
  let st = 0;
  for (let k = 0; k < line.length; k++) {
    const c = line.charCodeAt(k);
    st = c < 128 ? next[(st << 7) | c]! : 0;
    if (hit[st] === 1) return true;
  }
  return false;
}

const TS_PREFIX =
  /^(?:\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?\s+|\w{3}\s+\d+ \d\d:\d\d:\d\d \S+ \S+?(?:\[\d+\])?:\s+|\S+ \d+ \d\d:\d\d:\d\d \S+ \S+?(?:\[\d+\])?:\s+|\[\d+(?:\.\d+)?\]\s+|\[\s*\d+\.\d+\]\s+|##\[\w+\]|\d\d:\d\d:\d\d\s+)/;

/** A line that begins a new record (event row, log line, CLI error), not a continuation of the previous one. */
const NEW_RECORD =
  /^(?:(?:Normal|Warning)\s+\w+\s|Failed to pull image|Back-off pulling image|Error[: ]|FATA\[|ERRO\[|WARN\[|INFO\[|DEBU\[|ctr: |time=|level=|[EIWF]\d{4} |\w{3} +\d+ \d\d:|\d{4}-\d\d-\d\d|Type\s+Reason|-{3,}|\* |[\w.-]+: Pulling from |Using default tag|Trying to pull|Digest: |Status: |[0-9a-f]{12}: )/;
/** Lines that only report a pull state and carry no cause: kubelet's "Error: ErrImagePull", describe's
 *  "Reason: ImagePullBackOff", a `kubectl get pods` row, the Pulling / Back-off notices. */
const STATUS_ONLY = [
  /^(?:Error: |Reason:\s*|State:\s*Waiting\s*)?(?:ErrImagePull|ImagePullBackOff|ErrImageNeverPull|InvalidImageName|ImageInspectError|RegistryUnavailable)\s*$/,
  /^\S+\s+\d+\/\d+\s+(?:ErrImagePull|ImagePullBackOff|Init:ErrImagePull|Init:ImagePullBackOff|InvalidImageName)\s+\d+(?:\s+\(\S+ ago\))?\s+\S+\s*$/,
  /^(?:Back-off pulling image|Pulling image|pulling image) \\?"[^"]+\\?"\s*$/,
  /^(?:Error from server \(BadRequest\): )?container "[^"]+" in pod "[^"]+" is waiting to start: (?:trying and failing to pull image|image can't be pulled)\s*$/,
];

/** Keeps at most this many distinct messages: a pasted journal of millions of lines stays bounded in memory. */
export const MAX_MESSAGES = 1000;

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
  return msg && !/^PullImage|^failed to load plugin|^[Pp]ulling image failed$|^fetch failed$|^trying next host$/.test(unescape(msg))
    ? `${unescape(msg)}: ${unescape(m[1]!)}`
    : unescape(m[1]!);
}

/** The msg="..." of a logfmt line that has no error field. */
function logfmtMsg(line: string): string | undefined {
  if (!/\blevel=\w+/.test(line)) return undefined;
  const m = line.match(/\bmsg="((?:[^"\\]|\\.)*)"/);
  return m ? unescape(m[1]!) : undefined;
}

/** An event row's message without its "Warning  Failed  43s (x4 over 2m)  kubelet" columns. */
function withoutEventPrefix(s: string): string {
  return s.replace(/^\s*(?:Warning|Normal)\s+\w+\s+(?:\S+\s+\(x\d+ over \S+\)\s+|\S+\s+)?(?:\S+,\s+)?\S+\s+/, '').trim();
}

/** How many following lines a wrapped message may span. */
const LOOKAHEAD = 20;
/** A single "line" longer than this (no newline for megabytes) is cut, so a pathological paste stays bounded. */
const MAX_LINE = 1024 * 1024;

/** Finds pull-error messages in text fed chunk by chunk (a journal piped in, a file streamed): keeps only a window
 *  of LOOKAHEAD lines and at most MAX_MESSAGES distinct messages, so memory stays bounded whatever the input size;
 *  the work is linear in it. */
/** A copy of a string that shares no memory with the chunk it was cut from: a kept line or message that is a slice
 *  of a 64 KiB input chunk would keep the whole chunk alive, and memory would grow with the input. */
const own = (s: string): string => structuredClone(s);

export class MessageExtractor {
  private pending = '';
  private window: string[] = [];
  private head = 0;
  private consumed = 0;
  private readonly out: Extracted[] = [];
  private readonly seen = new Set<string>();
  /** Raw lines already found to repeat a kept message on their own (a back-off loop logs the same line again and
   *  again): skipped without parsing. Bounded. */
  private readonly repeats = new Set<string>();

  push(chunk: string): void {
    let text = this.pending + chunk;
    let start = 0;
    for (let p = text.indexOf('\n'); p !== -1; p = text.indexOf('\n', start)) {
      this.window.push(text.slice(start, p));
      start = p + 1;
      if (this.window.length - this.head > 4 * LOOKAHEAD) this.drain(false);
    }
    text = text.slice(start);
    if (text.length > MAX_LINE) {
      this.window.push(text);
      text = '';
    }
    this.pending = text;
    this.drain(false);
  }

  finish(): Extracted[] {
    if (this.pending) this.window.push(this.pending);
    this.pending = '';
    this.drain(true);
    return this.out;
  }

  private drain(final: boolean): void {
    const w = this.window;
    while (w.length - this.head > (final ? 0 : LOOKAHEAD)) {
      const used = this.take(this.head, w.length);
      this.head += used;
      this.consumed += used;
    }
    if (this.head > 256) {
      this.window = w.slice(this.head);
      this.head = 0;
    }
  }

  /** Looks at the line at window index i (lines up to end are available); returns how many lines it used. */
  private take(i: number, end: number): number {
    const w = this.window;
    const rawLine = w[i]!;
    if (this.out.length >= MAX_MESSAGES || rawLine.length < 6 || !cheapHit(rawLine) || this.repeats.has(rawLine)) return 1;
    let line = stripPrefixes(rawLine);
    if (line.length > 64 * 1024) line = `${line.slice(0, 32 * 1024)} … ${line.slice(-32 * 1024)}`;
    if (!isCandidate(line)) return 1;
    if (STATUS_ONLY.some((re) => re.test(withoutEventPrefix(line)))) return 1;
    // join wrapped continuation lines: indented ones, or unindented ones that go on with lower case after a line that
    // ends open (':' ',' '(') or was cut by the terminal width — never a line of its own log record (a prefix was stripped)
    let j = i + 1;
    while (j < end && j - i < LOOKAHEAD) {
      const rawNext = w[j]!;
      const plainNext = rawNext.replace(/\u001b\[[0-9;]*m/g, '').replace(/\r$/, '');
      const next = stripPrefixes(rawNext);
      if (!next.trim() || next.length > 64 * 1024 || next !== plainNext) break;
      const prevRaw = w[j - 1]!.trimEnd();
      const indented = /^\s{2,}\S/.test(rawNext);
      // containers/image prints a registry's error list as "errors:" then one "code: message" per line
      const goesOn =
        /^[a-z0-9"\\:./-]/.test(next) &&
        (/[:(,]$/.test(prevRaw) || prevRaw.length >= 70 || (/\berrors:(?:\s|$)/.test(line) && /^[a-z][a-z _]*: /.test(next)));
      if (!indented && !goesOn) break;
      if (NEW_RECORD.test(next.trimStart()) || /^\s*[A-Z][\w ]+:\s/.test(next)) break;
      line = `${line.trimEnd()}${/[:(,]$/.test(line.trimEnd()) || /^\s/.test(next) ? ' ' : ''}${next.trim()}`;
      j++;
    }
    // keep the interesting part of structured lines
    const msg = withoutEventPrefix(logfmtError(line) ?? logfmtMsg(line) ?? line);
    if (STATUS_ONLY.some((re) => re.test(msg))) return j - i;
    const key = msg.replace(/\s+/g, ' ');
    if (this.seen.has(key)) {
      if (j === i + 1 && this.repeats.size < 4096) this.repeats.add(own(rawLine));
      return j - i;
    }
    this.seen.add(own(key));
    this.out.push({ message: own(msg), line: this.consumed + (i - this.head) + (j - i) });
    return j - i;
  }
}

/** Finds every pull-error message in arbitrary text (events, describe output, logs, CI output, a bare line).
 *  Linear in the text; keeps at most MAX_MESSAGES distinct messages. */
export function extractMessages(text: string, maxBytes = 64 * 1024 * 1024): Extracted[] {
  if (text.length > maxBytes) throw new Error(`input larger than ${maxBytes} bytes`);
  const x = new MessageExtractor();
  x.push(text);
  return x.finish();
}
