// Secrets never leave regdoctor: passwords, tokens, `auth` fields, Authorization headers and private keys are
// replaced wherever text or structured data is printed, exported or logged. File contents (fix plans, diffs) are
// redacted by structure: a PEM private key block (or a whole *.key file) becomes `[private key, N bytes, sha256 …]`,
// the value of a secret key (`password = "…"`, `auth`, `identitytoken`, `Authorization = ["Basic …"]`, JSON
// `"auth": "…"`, multi-line strings and arrays) and every hosts.toml request header value become `[REDACTED]`.
import { createHash } from 'node:crypto';
import { MAX_OUTPUT_DEPTH, TOO_DEEP } from './sanitize.js';

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

// Every rule runs on text an attacker shapes (pasted logs, server answers, node files), so none may backtrack
// super-linearly (test/security/redos.test.ts grows hostile inputs 4× and compares the time): each repetition has one
// way to match a character, and a rule that must find a far end (a PEM END line) is a linear search, not a lazy `*?`.
const TEXT_RULES: [RegExp, string | ((...m: string[]) => string)][] = [
  // Authorization headers and bearer tokens
  [/\b((?:Proxy-)?Authorization:\s*)(Basic|Bearer)\s+[^\s"',;]+/gi, `$1$2 ${REDACTED}`],
  [/\b(Bearer)\s+[A-Za-z0-9\-._~+/]+=*/g, `$1 ${REDACTED}`],
  [/\b(Basic)\s+[A-Za-z0-9+/]{6,}={0,2}(?![A-Za-z0-9+/=])/g, `$1 ${REDACTED}`],
  // JSON / TOML / YAML style key = value for secret keys. A backslash is always an escape inside the value (one way to
  // read `\\\\…`: `(?:\\.|(?!\4).)*` had two and was exponential); a value may still end in one backslash (`"a\"`).
  [
    /(["']?)(password|passwd|auth|identitytoken|identity_token|registrytoken|registry_token|token|access_token|refresh_token|client_secret|authorization|proxy-authorization|x-registry-auth|\.dockerconfigjson|\.dockercfg)\1(\s*[:=]\s*)(["'])((?:\\.|(?!\4)[^\\\n\r\u2028\u2029])*\\?)\4/gi,
    (_m, q, k, sep, vq) => `${q}${k}${q}${sep}${vq}${REDACTED}${vq}`,
  ],
  // key=value (environment, query strings, command lines) and YAML-style `key: value` lines
  [
    /(^|[\s,;&?])(password|passwd|token|access_token|refresh_token|identitytoken|registrytoken)=(?!["'])([^\s&"',;]+)/gim,
    (_m, pre, k) => `${pre}${k}=${REDACTED}`,
  ],
  // the indentation stays on its line (`\s*-?\s*` crossed newlines and split blanks two ways: cubic on `\v\n…`)
  [
    /^([^\S\n\r\u2028\u2029]*(?:-[^\S\n\r\u2028\u2029]*)?)(password|passwd|token|identitytoken|auth):[ \t]+(?!["'])(\S.*)$/gim,
    (_m, pre, k) => `${pre}${k}: ${REDACTED}`,
  ],
  // credentials inside URLs: scheme://user:pass@host — found at the `://` (a scheme-first pattern re-scanned every
  // scheme-like run from each of its letters); any scheme, or none, counts
  [/(:\/\/[^\s/:@]+):[^\s/@]+@/g, `$1:${REDACTED}@`],
  // -u user:pass / --password / -p on command lines (a user name is at most 256 characters: the search for its ':'
  // stays bounded per `--creds`)
  [/(--password(?:=|\s+)|--creds(?:=|\s+)[^\s:]{1,256}:)(\S+)/g, `$1${REDACTED}`],
];

const PEM_BEGIN_ANY = /-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY)-----/g;

/** PEM private keys of any kind, each to its END line; a key without one (cut, or its END line lost) is redacted to
 *  the end of the text — a truncated key is still a key. One linear pass: each END line is searched for from its
 *  BEGIN line on, and the first key without one ends the pass. */
function redactPrivateKeys(text: string): string {
  if (!text.includes('PRIVATE KEY-----')) return text;
  let out = '';
  let from = 0;
  PEM_BEGIN_ANY.lastIndex = 0;
  for (let m = PEM_BEGIN_ANY.exec(text); m; m = PEM_BEGIN_ANY.exec(text)) {
    const label = m[1]!;
    const endLine = `-----END ${label}-----`;
    const end = text.indexOf(endLine, m.index + m[0].length);
    out += `${text.slice(from, m.index)}-----BEGIN ${label}-----\n${REDACTED}\n`;
    if (end === -1) return `${out}[truncated: no END line]`;
    out += endLine;
    from = end + endLine.length;
    PEM_BEGIN_ANY.lastIndex = from;
  }
  return out + text.slice(from);
}

/** Redacts secrets inside free text (logs, error messages, config excerpts). */
export function redactText(text: string): string {
  let out = redactPrivateKeys(text);
  for (const [re, rep] of TEXT_RULES) out = out.replace(re, rep as string);
  return out;
}

/** Deep copy of a value with secret fields replaced and every string scrubbed. */
export function redact<T>(value: T, seen = new WeakMap<object, unknown>(), depth = 0): T {
  if (typeof value === 'string') return redactText(value) as T;
  if (value === null || typeof value !== 'object') return value;
  if (Buffer.isBuffer(value)) return value;
  if (seen.has(value as object)) return seen.get(value as object) as T;
  if (depth >= MAX_OUTPUT_DEPTH) return TOO_DEEP as T;
  if (Array.isArray(value)) {
    const arr: unknown[] = [];
    seen.set(value, arr);
    for (const v of value) arr.push(redact(v, seen, depth + 1));
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
    else out[k] = redact(v, seen, depth + 1);
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
// (a bare host name begins and ends with a non-blank: `\s*[^\].]+\s*` split a blank run three ways)
const HEADER_TABLE = /^\s*\[\s*(?:host\s*\.\s*(?:"(?:\\.|[^"\\])*"|'[^']*'|[^\].\s](?:[^\].]*[^\].\s])?)\s*\.\s*)?header\s*\]\s*(?:#.*)?$/;
const TABLE_HEADER = /^\s*\[/;
const ASSIGNMENT = /^(\s*(?:"(?:\\.|[^"\\])*"|'[^']*'|[^=\s]+)\s*=\s*)(\S.*)$/;
const INLINE_HEADER = /(^|[\s{,.])(header\s*=\s*\{)([^}]*)(\}?)/;

const HEADER_KEY = /\s*(?:"(?:\\.|[^"\\])*"|'[^']*'|[\w.-]+)\s*=\s*/y;
const HEADER_VALUE = /"(?:\\.|[^"\\])*"?|'[^']*'?|\[[^\]]*\]?|[^,}]+/y;
const HEADER_SEP = /\s*,/y;

/** The body of an inline header table (`{ k = v, … }`), read pair by pair from its start: every value redacted. Text
 *  that is no `key = value` pair ends the reading and is redacted with the rest — a secret is never shown because
 *  the table was malformed. (A global `key = value` search restarted inside every run of key characters and every
 *  quoted string: quadratic on one long line.) */
function redactHeaderValues(inline: string): string {
  let out = '';
  let i = 0;
  while (i < inline.length) {
    HEADER_KEY.lastIndex = i;
    const key = HEADER_KEY.exec(inline);
    if (!key) return inline.slice(i).trim() === '' ? out + inline.slice(i) : `${out} ${REDACTED} `;
    HEADER_VALUE.lastIndex = HEADER_KEY.lastIndex;
    const value = HEADER_VALUE.exec(inline);
    if (!value) return `${out}${key[0]}${REDACTED} `;
    out += `${key[0]}${redactValue(value[0].trim())}`;
    i = HEADER_VALUE.lastIndex;
    HEADER_SEP.lastIndex = i;
    const sep = HEADER_SEP.exec(inline);
    if (sep) {
      out += sep[0];
      i = HEADER_SEP.lastIndex;
    } else if (inline.slice(i).trim() !== '') return `${out} ${REDACTED} `;
  }
  return out;
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
