// Secrets never leave regdoctor: passwords, tokens, `auth` fields, Authorization headers and private keys are
// replaced wherever text or structured data is printed, exported or logged. File contents (fix plans, diffs) are
// redacted by structure: a PEM private key block (or a whole *.key file) becomes `[private key, N bytes, sha256 …]`,
// the value of a secret key (`password = "…"`, `auth`, `identitytoken`, `Authorization = ["Basic …"]`, JSON
// `"auth": "…"`, multi-line strings and arrays) and every hosts.toml request header value become `[REDACTED]`.
import { createHash } from 'node:crypto';

export const REDACTED = '[REDACTED]';

const SECRET_KEYS = new Set([
  'password',
  'passwd',
  'auth',
  'identitytoken',
  'identity_token',
  'registrytoken',
  'registry_token',
  'token',
  'access_token',
  'refresh_token',
  'secret',
  'authorization',
  'proxy-authorization',
  'client_secret',
  'private_key',
  'privatekey',
  'key_data',
  'client-key-data',
  '.dockerconfigjson',
  '.dockercfg',
]);

export function isSecretKey(key: string): boolean {
  return SECRET_KEYS.has(key.toLowerCase());
}

const TEXT_RULES: [RegExp, string | ((...m: string[]) => string)][] = [
  // PEM private keys of any kind
  [/-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY)-----[\s\S]*?-----END \1-----/g, `-----BEGIN $1-----\n${REDACTED}\n-----END $1-----`],
  // Authorization headers and bearer tokens
  [/\b((?:Proxy-)?Authorization:\s*)(Basic|Bearer)\s+[^\s"',;]+/gi, `$1$2 ${REDACTED}`],
  [/\b(Bearer)\s+[A-Za-z0-9\-._~+/]+=*/g, `$1 ${REDACTED}`],
  [/\b(Basic)\s+[A-Za-z0-9+/]{6,}={0,2}(?![A-Za-z0-9+/=])/g, `$1 ${REDACTED}`],
  // JSON / TOML / YAML style key = value for secret keys
  [
    /(["']?)(password|passwd|auth|identitytoken|identity_token|registrytoken|registry_token|token|access_token|refresh_token|client_secret|authorization|proxy-authorization|x-registry-auth|\.dockerconfigjson|\.dockercfg)\1(\s*[:=]\s*)(["'])((?:\\.|(?!\4).)*)\4/gi,
    (_m, q, k, sep, vq) => `${q}${k}${q}${sep}${vq}${REDACTED}${vq}`,
  ],
  // key=value (environment, query strings, command lines) and YAML-style `key: value` lines
  [
    /(^|[\s,;&?])(password|passwd|token|access_token|refresh_token|identitytoken|registrytoken)=(?!["'])([^\s&"',;]+)/gim,
    (_m, pre, k) => `${pre}${k}=${REDACTED}`,
  ],
  [/^(\s*-?\s*)(password|passwd|token|identitytoken|auth):[ \t]+(?!["'])(\S.*)$/gim, (_m, pre, k) => `${pre}${k}: ${REDACTED}`],
  // credentials inside URLs: https://user:pass@host
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s/:@]+):[^\s/@]+@/gi, `$1:${REDACTED}@`],
  // -u user:pass / --password / -p on command lines
  [/(--password(?:=|\s+)|--creds(?:=|\s+)[^\s:]+:)(\S+)/g, `$1${REDACTED}`],
];

/** Redacts secrets inside free text (logs, error messages, config excerpts). */
export function redactText(text: string): string {
  let out = text;
  for (const [re, rep] of TEXT_RULES) out = out.replace(re, rep as string);
  return out;
}

/** Deep copy of a value with secret fields replaced and every string scrubbed. */
export function redact<T>(value: T, seen = new WeakMap<object, unknown>()): T {
  if (typeof value === 'string') return redactText(value) as T;
  if (value === null || typeof value !== 'object') return value;
  if (Buffer.isBuffer(value)) return value;
  if (seen.has(value as object)) return seen.get(value as object) as T;
  if (Array.isArray(value)) {
    const arr: unknown[] = [];
    seen.set(value, arr);
    for (const v of value) arr.push(redact(v, seen));
    return arr as T;
  }
  const out: Record<string, unknown> = {};
  seen.set(value as object, out);
  const rec = value as Record<string, unknown>;
  // a planned file (fix action): its content is redacted by the file's structure, not only by text rules
  const fileContent = rec.kind === 'write-file' && typeof rec.content === 'string' && typeof rec.path === 'string';
  for (const [k, v] of Object.entries(rec)) {
    if (isSecretKey(k) && v !== undefined && v !== null && v !== '') out[k] = REDACTED;
    else if (fileContent && k === 'content') out[k] = redactText(redactFileText(v as string, rec.path as string));
    else out[k] = redact(v, seen);
  }
  return out as T;
}

// ---------------------------------------------------------------------------------------------------------------
// File contents, by structure

/** One comparable piece of a file: a line, or a whole secret block shown as one line. */
export interface SecretUnit {
  /** Exact text (for comparison), including whether it ends with a newline. */
  key: string;
  /** How the unit is shown (already redacted, not yet sanitised). */
  shown: string;
  /** Number of real file lines. */
  lines: number;
  /** The unit is the file's last line and has no newline after it. */
  noEol: boolean;
}

const FILE_SECRET_KEYS =
  'password|passwd|auth|identitytoken|identity_token|registrytoken|registry_token|token|access_token|refresh_token|id_token|bearer_token|private_token|client_secret|secret|secret_key|api_key|apikey|private_key|authorization|proxy-authorization|x-registry-auth';
// key (bare or quoted, possibly dotted: `auth.password`) then `=` or `:` then a value
const SECRET_ASSIGN = new RegExp(
  `(^|[\\s{,;.])(["']?)(${FILE_SECRET_KEYS})\\2(\\s*[=:]\\s*)("(?:\\\\.|[^"\\\\])*"?|'[^']*'?|\\[[^\\]]*\\]?|(?![{\\s])[^,}\\]\\r\\n]*[^\\s,}\\]])`,
  'gi',
);
// the same key opening a TOML multi-line string that closes on a later line
const SECRET_MULTILINE_OPEN = new RegExp(`^(\\s*(["']?)(?:${FILE_SECRET_KEYS})\\2\\s*=\\s*)("""|''')`, 'i');
const SECRET_ARRAY_OPEN = new RegExp(`^(\\s*(["']?)(?:${FILE_SECRET_KEYS})\\2\\s*=\\s*)\\[`, 'i');
const ANY_ARRAY_OPEN = /^(\s*(?:"(?:\\.|[^"\\])*"|'[^']*'|[^=\s#]+)\s*=\s*)\[/;
const PEM_PRIVATE_BEGIN = /-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY)-----/;
const PEM_PRIVATE_END = /-----END ((?:[A-Z0-9]+ )*PRIVATE KEY)-----/;

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function blockSummary(what: string, text: string): string {
  return `[${what}, ${Buffer.byteLength(text)} bytes, sha256 ${digest(text).slice(0, 16)}…]`;
}

function redactValue(value: string): string {
  if (value.startsWith('[')) return `["${REDACTED}"]`;
  if (value.startsWith('"') || value.startsWith("'")) return `${value[0]}${REDACTED}${value[0]}`;
  return REDACTED;
}

/** One line of a config file with every secret value replaced (structure kept: key, separator, quoting). */
export function redactConfigLine(line: string): string {
  const assigned = line.replace(
    SECRET_ASSIGN,
    (_m, pre: string, q: string, key: string, sep: string, value: string) => `${pre}${q}${key}${q}${sep}${redactValue(value)}`,
  );
  return redactText(assigned);
}

// hosts.toml request headers (`[header]`, `[host."…".header]`, `header = { … }`): registries authenticate with
// custom headers too, so every header value is treated as a secret, whatever the header is called.
const HEADER_TABLE = /^\s*\[\s*(?:host\s*\.\s*(?:"(?:\\.|[^"\\])*"|'[^']*'|[^\].]+)\s*\.\s*)?header\s*\]\s*(?:#.*)?$/;
const TABLE_HEADER = /^\s*\[/;
const ASSIGNMENT = /^(\s*(?:"(?:\\.|[^"\\])*"|'[^']*'|[^=\s]+)\s*=\s*)(\S.*)$/;
const INLINE_HEADER = /(^|[\s{,.])(header\s*=\s*\{)([^}]*)(\}?)/;

function redactHeaderValues(inline: string): string {
  return inline.replace(
    /((?:"(?:\\.|[^"\\])*"|'[^']*'|[\w.-]+)\s*=\s*)("(?:\\.|[^"\\])*"?|'[^']*'?|\[[^\]]*\]?|[^,}]+)/g,
    (_m, k: string, v: string) => `${k}${redactValue(v.trim())}`,
  );
}

function splitLines(text: string): { line: string; eol: boolean }[] {
  if (text === '') return [];
  const parts = text.split('\n');
  const out = parts.map((line, i) => ({ line, eol: i < parts.length - 1 }));
  if (out[out.length - 1]!.line === '' && !out[out.length - 1]!.eol) out.pop();
  return out;
}

/** Cuts a file into units; secret blocks (private keys, multi-line secret strings) become single units. */
export function secretUnits(text: string, name: string): SecretUnit[] {
  const lines = splitLines(text);
  const raw = (from: number, to: number) =>
    lines
      .slice(from, to)
      .map((l) => `${l.line}${l.eol ? '\n' : ''}`)
      .join('');
  const binary = /[\u0000\ufffd]/.test(text);
  const keyFile = /(^|\/)[^/]*\.key$/.test(name);
  if (lines.length && (binary || (keyFile && !PEM_PRIVATE_BEGIN.test(text)))) {
    // a key file or binary data: nothing of it is shown
    return [
      {
        key: text,
        shown: blockSummary(keyFile ? 'key file' : 'binary content', text),
        lines: lines.length,
        noEol: !lines[lines.length - 1]!.eol,
      },
    ];
  }
  const out: SecretUnit[] = [];
  let inHeaderTable = false;
  let i = 0;
  while (i < lines.length) {
    const l = lines[i]!.line;
    if (TABLE_HEADER.test(l) && !/^\s*\[\s*"/.test(l)) inHeaderTable = HEADER_TABLE.test(l);
    let end = i + 1;
    let shown: string | undefined;
    const begin = l.match(PEM_PRIVATE_BEGIN);
    const multi = begin ? undefined : l.match(SECRET_MULTILINE_OPEN);
    if (begin) {
      // to the END line (or, when there is none, to the end of the file: a truncated key is still a key)
      const beginAt = l.indexOf(begin[0]);
      const tail = l.slice(beginAt + begin[0].length);
      let j = i;
      if (!PEM_PRIVATE_END.test(tail)) {
        j = i + 1;
        while (j < lines.length && !PEM_PRIVATE_END.test(lines[j]!.line)) j++;
      }
      end = Math.min(lines.length, j + 1);
      const endLine = end - 1 === i ? tail : lines[end - 1]!.line;
      const endMatch = endLine.match(PEM_PRIVATE_END);
      const after = endMatch ? endLine.slice(endMatch.index! + endMatch[0].length) : '';
      shown = `${redactConfigLine(l.slice(0, beginAt))}${blockSummary('private key', raw(i, end))}${redactConfigLine(after)}`;
    } else if (multi && !l.slice(multi[0].length).includes(multi[3]!)) {
      const delim = multi[3]!;
      let j = i + 1;
      while (j < lines.length && !lines[j]!.line.includes(delim)) j++;
      end = Math.min(lines.length, j + 1);
      const last = lines[end - 1]!.line;
      const rest = last.includes(delim) ? last.slice(last.indexOf(delim) + delim.length) : '';
      shown = `${multi[1]}${delim}${REDACTED}${delim}${redactConfigLine(rest)}`;
    } else {
      // a secret (or any header) value given as an array over several lines: the whole array is one unit
      const arr = l.match(SECRET_ARRAY_OPEN) ?? (inHeaderTable ? l.match(ANY_ARRAY_OPEN) : null);
      if (arr && !l.slice(arr[0].length).includes(']')) {
        let j = i + 1;
        while (j < lines.length && !lines[j]!.line.includes(']')) j++;
        end = Math.min(lines.length, j + 1);
        const lastLine = lines[end - 1]!.line;
        const rest = lastLine.includes(']') ? lastLine.slice(lastLine.indexOf(']') + 1) : '';
        shown = `${arr[1]}["${REDACTED}"]${redactConfigLine(rest)}`;
      }
    }
    const last = lines[end - 1]!;
    if (shown === undefined && inHeaderTable && end === i + 1) {
      const a = l.match(ASSIGNMENT);
      if (a && !a[1]!.trimStart().startsWith('#')) shown = `${a[1]}${redactValue(a[2]!.trim())}`;
      // anything else in a header table that is not blank, a comment or a table: a stray value
      else if (!a && l.trim() && !/^\s*#/.test(l) && !TABLE_HEADER.test(l)) shown = `${l.match(/^\s*/)![0]}${REDACTED}`;
    }
    if (shown === undefined && INLINE_HEADER.test(l))
      shown = redactConfigLine(
        l.replace(
          INLINE_HEADER,
          (_m, pre: string, open: string, body: string, close: string) => `${pre}${open}${redactHeaderValues(body)}${close}`,
        ),
      );
    out.push({ key: raw(i, end) + (last.eol ? '' : '\u0000noeol'), shown: shown ?? redactConfigLine(l), lines: end - i, noEol: !last.eol });
    i = end;
  }
  return out;
}

/** A whole file's text with every secret replaced by structure (see secretUnits); line structure otherwise kept. */
export function redactFileText(text: string, name: string): string {
  const us = secretUnits(text, name);
  if (us.length === 0) return text;
  return `${us.map((u) => u.shown).join('\n')}${us[us.length - 1]!.noEol ? '' : '\n'}`;
}
