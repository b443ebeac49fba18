// Pure classification of pull-error text (kubelet events, runtime logs, CLI output) into cause codes, plus the
// failing URL and the role of its host. Shared by `regdoctor explain`, the CRI pull check and the event scraper.
import type { CauseCode } from '../core/causes.js';
import { messageIn, msg, type Message } from '../i18n/index.js';
import { parseImageReference } from '../core/reference.js';
import { PATTERNS, type PatternRow } from './patterns.js';
import {
  lineScanner,
  literalAutomaton,
  requiredLiterals,
  scanBytes,
  scanLines,
  scanString,
  type LineScanner,
  type LiteralAutomaton,
} from './prefilter.js';

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
  /** How to tell `code` and `alternatives` apart, as a message without its `{diagnose}` param (the live-diagnosis
   *  command, filled in by whoever knows it: src/classify/explain.ts). */
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
  /Error response from daemon: (?:manifest for )?([\w./:-]+(?:@[\w:]*)?) not found/,
  /\bimage "([^"]+)"/,
];

/** An image reference as written, or undefined when it does not parse (a trailing ':' from podman's
 *  "docker://reg:5000/app:1: reading manifest…" is the separator, not part of the tag). */
function validImage(candidate: string | undefined): string | undefined {
  if (!candidate) return undefined;
  // (the look-behind starts the trailing run at its first character only: linear on a 64 KiB run of ':')
  const s = candidate.replace(/(?<![:.,;)])[:.,;)]+$/, '');
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
  const proxyHost =
    text.match(/proxyconnect tcp: dial tcp ([^\s:]+:\d+|\[[^\]\s]+\]:\d+)/)?.[1] ??
    text.match(/writing response to \S+:\d+: (?:connecting to|resolving) (\[[^\]]+\]:\d+|[^\s:]+(?::\d+)?)/)?.[1];
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
      // a DNS name is at most 253 characters: a longer "host" is no blob store (and is not searched)
      (host.length <= 253 + 6 && BLOB_HOSTS.test(host)) ||
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
  // The Go error ends the message: look at the tail only. Each capture ends on a character that cannot begin its
  // terminator (`[^"\s]`): a lazy `[^"\n]+?` before `\s*$` split every blank run two ways (cubic: 0.3 s per message on
  // 4 KiB of 'x509: ' and tabs, test/security/redos.test.ts).
  const tail = text.length > 4096 ? text.slice(-4096) : text;
  const goError =
    tail.match(/(?:tls: failed to verify certificate: )?(x509: [^"\n]*?[^"\s])(?:"?\s*$|\s*\\n)/)?.[1] ??
    tail.match(
      /(http: server gave HTTP response to HTTPS client|remote error: tls: [\w ]*\w|dial tcp [^\s]+: [^"\n]*?[^"\s])(?:"?\s*$)/,
    )?.[1];
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

/** A row's way to tell causes apart, as a message without its `{diagnose}` param. */
function tellOf(row: PatternRow): { tellApartMessage?: Message } {
  return row.tell ? { tellApartMessage: { key: row.tell } } : {};
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
 *  error counts, whether or not a pull prefix precedes it — a person often pastes only the last line. `found`: the
 *  candidate automaton's bits for the line (or for a text it is part of): an alternation none of whose literals is
 *  there cannot match and is not run. */
function isCandidate(line: string, found: number): boolean {
  if ((found & BIT.start && START.test(line)) || (found & BIT.specific && SPECIFIC.test(line))) return true;
  const pullContext = () => (found & BIT.pullContext) !== 0 && PULL_CONTEXT.test(line);
  if (found & BIT.network && NETWORK.test(line)) return !(found & BIT.cluster && CLUSTER_TRAFFIC.test(line)) || pullContext();
  return (found & BIT.weak) !== 0 && WEAK.test(line) && pullContext();
}

/** Quick rejection of lines that cannot hold any of the wordings above (most log lines): does the line contain one of
 *  these words, ASCII case ignored? Same answer as /fail|error|…|connect/i: test/classify/cheap-filter.test.ts
 *  compares them. */
export const CHEAP_WORDS: readonly string[] = (
  'fail|error|err=|denied|x509|refused|timeout|timed out|not found|unknown|429|backoff|back-off|pull|tls|ssl|lookup|certif|' +
  'http|dial|deadline|canceled|cancelled|unauthori|forbidden|authenticat|credential|token|permission|scope|manifest|' +
  'blob|reset|eof|route|unreachable|resolution|resolve|host|proxy|limit|too many|secret|platform|format|space|gateway|' +
  'unavailable|signature|reference|media type|invalid|.sock|daemon|connect'
).split('|');

/** The bits of the candidate automaton: a literal of START, SPECIFIC, NETWORK, WEAK, PULL_CONTEXT, CLUSTER_TRAFFIC
 *  (one of which every match of that alternation contains: requiredLiterals, test/classify/explain-prefilter.test.ts);
 *  an ESC (colour codes are stripped before matching, which can join text: the literals of the raw line then say
 *  nothing about the stripped one). */
const BIT = { start: 1, specific: 2, network: 4, weak: 8, pullContext: 16, cluster: 32, esc: 64 } as const;
/** A line without any of these cannot be a candidate. */
const CANDIDATE_BITS = BIT.start | BIT.specific | BIT.network | BIT.weak | BIT.esc;

/** The alternations the candidate automaton stands in front of (exported for the test that checks its literals). */
export const PREFILTERED: readonly { re: RegExp; bit: number }[] = [
  { re: START, bit: BIT.start },
  { re: SPECIFIC, bit: BIT.specific },
  { re: NETWORK, bit: BIT.network },
  { re: WEAK, bit: BIT.weak },
  { re: PULL_CONTEXT, bit: BIT.pullContext },
  { re: CLUSTER_TRAFFIC, bit: BIT.cluster },
];

/** Every line of the input goes through one pass of the cheap automaton, and lines with a cheap word through one pass
 *  of the candidate automaton (Aho–Corasick over ASCII, built on first use — a diagnosis imports this module without
 *  scanning any text) instead of case-insensitive regex alternations, which V8 tries word by word at every position. */
interface Automata {
  cheap: LiteralAutomaton;
  /** The cheap automaton as a line splitter (byte input). */
  cheapLines: LineScanner;
  candidate: LiteralAutomaton;
  /** Bits of alternations that have no required literals (always run). */
  always: number;
}
let automata: Automata | undefined;
function lineAutomata(): Automata {
  if (automata) return automata;
  const words = [{ word: '\u001b', bits: BIT.esc as number }];
  // an alternation without required literals would be run on every line: its bit is always set
  let always = 0;
  for (const { re, bit } of PREFILTERED) {
    const lits = requiredLiterals(re.source);
    if (lits) for (const word of lits) words.push({ word, bits: bit });
    else always |= bit;
  }
  const cheap = literalAutomaton(CHEAP_WORDS.map((word) => ({ word, bits: 1 })));
  return (automata = { cheap, cheapLines: lineScanner(cheap), candidate: literalAutomaton(words), always });
}

/** The candidate automaton's bits for a line. */
function candidateBits(line: string): number {
  const a = lineAutomata();
  return scanString(a.candidate, line) | a.always;
}

/** Does `line` contain one of CHEAP_WORDS (ASCII case ignored)? */
export function cheapHit(line: string): boolean {
  return scanString(lineAutomata().cheap, line, 1) !== 0;
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

/** The line without colour codes and a trailing CR (the regexes only where they can match: one of them scans the
 *  whole line for nothing on most lines). */
function plain(line: string): string {
  const s = line.includes('\u001b') ? line.replace(/\u001b\[[0-9;]*m/g, '') : line;
  return s.charCodeAt(s.length - 1) === 13 ? s.slice(0, -1) : s;
}

function stripPrefixes(line: string): string {
  let s = plain(line);
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
  const cri = criPluginNamed(line, msg);
  if (cri) return `failed to load plugin ${cri}: ${unescape(m[1]!)}`;
  // keep the message when it carries the meaning (e.g. "Ignoring unknown key in TOML for plugin")
  return msg && !/^PullImage|^failed to load plugin|^[Pp]ulling image failed$|^fetch failed$|^trying next host$/.test(unescape(msg))
    ? `${unescape(msg)}: ${unescape(m[1]!)}`
    : unescape(m[1]!);
}

/** The CRI plugin's id when the line is containerd's "failed to load plugin" for it — named in the message (1.x:
 *  msg="failed to load plugin io.containerd.grpc.v1.cri", or `WARN[…] failed to load plugin <id>  error=…`) or in the
 *  id=/plugin= field (1.7+, 2.x: msg="failed to load plugin" … id=<id>). Its error alone ("invalid plugin config: …")
 *  does not say that every CRI call now fails. */
function criPluginNamed(line: string, msg: string | undefined): string | undefined {
  const head = msg ?? line.slice(0, Math.max(0, line.search(/\berr(?:or)?="/)));
  if (!/\bfailed to load plugin\b/.test(head)) return undefined;
  return (head.match(CRI_PLUGIN_ID) ?? line.match(CRI_PLUGIN_FIELD))?.[1];
}
const CRI_PLUGIN_ID = /\bfailed to load plugin \\?"?(io\.containerd\.(?:grpc\.v1\.cri|cri\.v1\.(?:images|runtime)))\b/;
const CRI_PLUGIN_FIELD = /\b(?:id|plugin)=\\?"?(io\.containerd\.(?:grpc\.v1\.cri|cri\.v1\.(?:images|runtime)))\b/;

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

/** The kind of a line in the window: text input, looked at when taken; byte input, decided as it was split. */
const NOT_SCANNED = -1;
const NOT_CANDIDATE = 0;
const CANDIDATE = 1;
/** Byte input: a line that is no candidate on its own but exactly as long as a terminal is wide — maybe the head of a
 *  record the terminal (or the person pasting) hard-wrapped; judged joined with what follows when taken. */
const WRAPPED = 2;

/** Widths at which pasted logs are hard-wrapped (terminal and pager defaults). A line of exactly one of these lengths
 *  followed by a line that goes straight on is read as one line cut in two (moby/moby#22503: `lev` / `el=error …`). */
const WRAP_WIDTHS = new Set([80, 100, 120, 132, 160, 200]);
const ASCII_ONLY = /^[\x00-\x7f]*$/;

/** The line (prefixes stripped, cut when huge) when it may begin a message, else undefined. `found`: the candidate
 *  bits of the raw line, which stand for the stripped line — a part of it — unless colour codes were taken out of it
 *  or it was cut. */
function candidateLine(rawLine: string, found: number): string | undefined {
  let line = stripPrefixes(rawLine);
  if (line.length > 64 * 1024) {
    line = `${line.slice(0, 32 * 1024)} … ${line.slice(-32 * 1024)}`;
    found = candidateBits(line);
  } else if (found & BIT.esc) found = candidateBits(line);
  return isCandidate(line, found) ? line : undefined;
}

export class MessageExtractor {
  private pending = '';
  /** The unfinished last line of byte input (pushBytes), in parts. */
  private pendingBytes: Buffer[] = [];
  private pendingLength = 0;
  /** Byte input seen: a UTF-8 byte order mark at its start is dropped, as TextDecoder does. */
  private bytesSeen = false;
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  /** The lines of the window; `undefined` for a line of byte input not decoded yet (most are never decoded). */
  private window: (string | undefined)[] = [];
  /** Per line of the window: for byte input, CANDIDATE (with its stripped line in wLine) or NOT_CANDIDATE, and where
   *  its bytes are; for text input, NOT_SCANNED. */
  private wKind: number[] = [];
  private wLine: (string | undefined)[] = [];
  private wBuf: (Uint8Array | undefined)[] = [];
  private wStart: number[] = [];
  private wEnd: number[] = [];
  private head = 0;
  private consumed = 0;
  /** Lines seen so far (in the window or skipped), and the number of the last one that may begin a message. */
  private lines = 0;
  private lastCandidate = -LOOKAHEAD;
  private readonly out: Extracted[] = [];
  private readonly seen = new Set<string>();
  /** Raw lines already found to repeat a kept message on their own (a back-off loop logs the same line again and
   *  again): skipped without parsing. Bounded. */
  private readonly repeats = new Set<string>();

  push(chunk: string): void {
    if (this.pendingLength) {
      this.pending += this.decoder.decode(Buffer.concat(this.pendingBytes));
      this.pendingBytes = [];
      this.pendingLength = 0;
    }
    let text = this.pending + chunk;
    let start = 0;
    for (let p = text.indexOf('\n'); p !== -1; p = text.indexOf('\n', start)) {
      this.pushLine(text.slice(start, p), NOT_SCANNED, undefined, undefined, 0, 0);
      start = p + 1;
    }
    text = text.slice(start);
    if (text.length > MAX_LINE) {
      this.pushLine(text, NOT_SCANNED, undefined, undefined, 0, 0);
      text = '';
    }
    this.pending = text;
    this.drain(false);
  }

  /** The same for UTF-8 bytes (stdin, a file): lines are found and pre-filtered on the bytes, and only lines that may
   *  matter are decoded — the others are counted and skipped. Do not mix with push() in one stream. */
  pushBytes(chunk: Uint8Array): void {
    // a Buffer: its indexOf of a byte is memchr, a Uint8Array's a loop
    let buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let from = 0;
    if (!this.bytesSeen) {
      buf = Buffer.concat([...this.pendingBytes, buf]);
      this.pendingBytes = [];
      this.pendingLength = 0;
      // a byte order mark is dropped at the start of the stream only (TextDecoder's default)
      if (buf.length < 3 && [0xef, 0xbb, 0xbf].slice(0, buf.length).every((b, k) => buf[k] === b)) {
        this.keep(buf, 0);
        return;
      }
      this.bytesSeen = true;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) from = 3;
    }
    if (this.pendingLength) {
      // the line begun in an earlier chunk: completed and scanned on its own (the chunk itself is not copied)
      const nl = buf.indexOf(10);
      if (nl === -1) {
        this.keep(buf, 0);
        return;
      }
      const head = Buffer.concat([...this.pendingBytes, buf.subarray(0, nl + 1)]);
      this.pendingBytes = [];
      this.pendingLength = 0;
      this.scan(head, 0);
      from = nl + 1;
    }
    this.keep(buf, this.scan(buf, from));
    this.drain(false);
  }

  /** Pushes the complete lines of buf[from…); returns where the unfinished last one begins. */
  private scan(buf: Buffer, from: number): number {
    return scanLines(lineAutomata().cheapLines, buf, from, buf.length, (start, end, hit) => this.byteLine(buf, start, end, hit));
  }

  /** A line of byte input: whether it may begin a message is decided now (it depends on the line alone; whether it
   *  is a repeat or the output is full, when it is taken). A line that cannot, with no line that can among the
   *  LOOKAHEAD before it (none of them would join it as a continuation), is only counted: the window is emptied up to
   *  it first, so that line numbers and order stay those of the input. */
  private byteLine(buf: Buffer, start: number, end: number, hit: boolean): void {
    let line: string | undefined;
    let raw: string | undefined;
    if (hit) {
      // the cheap words were looked for as the line was split; the candidate literals now (a line of more than 64 KiB
      // is cut with " … ", which may join text: always decoded)
      const a = lineAutomata();
      const found = scanBytes(a.candidate, buf, start, end) | a.always;
      if ((found & CANDIDATE_BITS) !== 0 || end - start > 64 * 1024) {
        raw = this.decoder.decode(buf.subarray(start, end));
        if (raw.length >= 6) line = candidateLine(raw, found);
      }
    }
    // a line with a cheap word that is exactly a terminal's width long (in bytes: only an ASCII head is read as
    // hard-wrapped, see unwrapped) may be the head of a hard-wrapped record: kept for the joined look when taken (a head
    // without any cheap word is not, on either path — the record is then read from its first part that has one; keeping
    // every line of such a width cost explain ~13% on a journal)
    const wrapped = line === undefined && hit && WRAP_WIDTHS.has(end - start);
    if (line === undefined && !wrapped && this.lines - this.lastCandidate >= LOOKAHEAD) {
      if (this.window.length > this.head) this.drain(true);
      this.consumed++;
      this.lines++;
      return;
    }
    this.pushLine(raw, line !== undefined ? CANDIDATE : wrapped ? WRAPPED : NOT_CANDIDATE, line, buf, start, end);
  }

  /** Keeps buf[rest…) — a copy, not the chunk — as part of the unfinished line (parts: a line that arrives in many
   *  small chunks is joined once). A "line" of megabytes is cut at a character boundary (not inside a UTF-8
   *  sequence) and pushed. */
  private keep(buf: Buffer, rest: number): void {
    if (rest === buf.length) return;
    this.pendingBytes.push(Buffer.from(buf.subarray(rest)));
    this.pendingLength += buf.length - rest;
    if (this.pendingLength <= MAX_LINE) return;
    const all = Buffer.concat(this.pendingBytes);
    let cut = all.length;
    for (let k = 1; k <= 3 && cut - k > 0; k++) {
      const b = all[cut - k]!;
      if (b >= 0xc0) {
        cut -= k;
        break;
      }
      if (b < 0x80) break;
    }
    this.pushLine(this.decoder.decode(all.subarray(0, cut)), NOT_SCANNED, undefined, undefined, 0, 0);
    this.pendingBytes = cut < all.length ? [all.subarray(cut)] : [];
    this.pendingLength = all.length - cut;
  }

  finish(): Extracted[] {
    if (this.pendingLength) this.pending += this.decoder.decode(Buffer.concat(this.pendingBytes));
    this.pendingBytes = [];
    this.pendingLength = 0;
    if (this.pending) this.pushLine(this.pending, NOT_SCANNED, undefined, undefined, 0, 0);
    this.pending = '';
    this.drain(true);
    return this.out;
  }

  private pushLine(
    text: string | undefined,
    kind: number,
    line: string | undefined,
    buf: Uint8Array | undefined,
    start: number,
    end: number,
  ): void {
    // a line of text input may begin a message (it is looked at when taken)
    if (kind !== NOT_CANDIDATE) this.lastCandidate = this.lines;
    this.lines++;
    this.window.push(text);
    this.wKind.push(kind);
    this.wLine.push(line);
    this.wBuf.push(buf);
    this.wStart.push(start);
    this.wEnd.push(end);
    if (this.window.length - this.head > 4 * LOOKAHEAD) this.drain(false);
  }

  /** Line k of the window, decoded on first use. */
  private lineAt(k: number): string {
    let s = this.window[k];
    if (s === undefined) {
      s = this.decoder.decode(this.wBuf[k]!.subarray(this.wStart[k], this.wEnd[k]));
      this.window[k] = s;
    }
    return s;
  }

  private drain(final: boolean): void {
    while (this.window.length - this.head > (final ? 0 : LOOKAHEAD)) {
      const used = this.take(this.head, this.window.length);
      this.head += used;
      this.consumed += used;
    }
    if (this.head > 256) {
      this.window = this.window.slice(this.head);
      this.wKind = this.wKind.slice(this.head);
      this.wLine = this.wLine.slice(this.head);
      this.wBuf = this.wBuf.slice(this.head);
      this.wStart = this.wStart.slice(this.head);
      this.wEnd = this.wEnd.slice(this.head);
      this.head = 0;
    }
  }

  /** The line at window index i joined with the lines that continue it, when it is exactly a terminal's width long
   *  (WRAP_WIDTHS) and each part but the last is too: a record hard-wrapped mid-word is read as it was written, parts
   *  joined without a space, and judged as one line. Undefined when that is no candidate either. */
  private unwrapped(i: number, end: number): { line: string; next: number } | undefined {
    const first = this.lineAt(i);
    const width = first.length;
    // a terminal cuts at display columns: only an ASCII line's length is its width (and its byte count, which is what
    // the byte path can see without decoding); the head has a cheap word itself, as on the byte path
    if (!WRAP_WIDTHS.has(width) || !ASCII_ONLY.test(first) || !cheapHit(first)) return undefined;
    let text = first;
    let prev = first;
    let j = i + 1;
    while (j < end && j - i < LOOKAHEAD && prev.length === width) {
      const next = this.lineAt(j);
      // an indented line, a new record or coloured text is not the rest of a cut line
      if (!next.trim() || /^\s/.test(next) || NEW_RECORD.test(next) || plain(next) !== next || next.length > width) break;
      text += next;
      prev = next;
      j++;
    }
    if (j === i + 1) return undefined;
    const line = cheapHit(text) ? candidateLine(text, candidateBits(text)) : undefined;
    return line === undefined ? undefined : { line, next: j };
  }

  /** Looks at the line at window index i (lines up to end are available); returns how many lines it used. */
  private take(i: number, end: number): number {
    if (this.out.length >= MAX_MESSAGES) return 1;
    const kind = this.wKind[i]!;
    if (kind === NOT_CANDIDATE) return 1;
    const rawLine = this.lineAt(i);
    if (rawLine.length < 6 || this.repeats.has(rawLine)) return 1;
    let line: string | undefined;
    let j = i + 1;
    if (kind === CANDIDATE) line = this.wLine[i]!;
    else if (kind === NOT_SCANNED) line = cheapHit(rawLine) ? candidateLine(rawLine, candidateBits(rawLine)) : undefined;
    if (line === undefined) {
      const w = this.unwrapped(i, end);
      if (!w) return 1;
      line = w.line;
      j = w.next;
    }
    const head = withoutEventPrefix(line);
    if (STATUS_ONLY.some((re) => re.test(head))) return 1;
    // join wrapped continuation lines: indented ones, or unindented ones that go on with lower case after a line that
    // ends open (':' ',' '(') or was cut by the terminal width — never a line of its own log record (a prefix was stripped)
    while (j < end && j - i < LOOKAHEAD) {
      const rawNext = this.lineAt(j);
      const plainNext = plain(rawNext);
      const next = stripPrefixes(rawNext);
      if (!next.trim() || next.length > 64 * 1024 || next !== plainNext) break;
      // a line hard-wrapped at a terminal's width (the head is that wide, and so is every part before this one) goes
      // on mid-word: its parts are joined as they stand, unless a new record or an indented line begins
      const cutAt = this.lineAt(j - 1).length;
      if (WRAP_WIDTHS.has(cutAt) && cutAt === rawLine.length && rawNext === next && !/^\s{2,}/.test(rawNext)) {
        if (NEW_RECORD.test(next)) break;
        // a line that ends a clause (':' ',' ';') before a word may end there naturally ("errors:" then a list): a
        // wrap keeps the text's own space at one side of the cut, a natural end has none — one space stands for it
        line = `${line}${/[:,;]$/.test(line) && /^[A-Za-z]/.test(rawNext) ? ' ' : ''}${rawNext}`;
        j++;
        continue;
      }
      const prevRaw = this.lineAt(j - 1).trimEnd();
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
