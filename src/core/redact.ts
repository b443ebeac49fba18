// Secrets never leave regdoctor: passwords, tokens, `auth` fields, Authorization headers and private keys are
// replaced wherever text or structured data is printed, exported or logged.

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
  // JSON / TOML / YAML style key = value for secret keys
  [
    /(["']?)(password|passwd|auth|identitytoken|identity_token|registrytoken|registry_token|token|access_token|refresh_token|client_secret|\.dockerconfigjson|\.dockercfg)\1(\s*[:=]\s*)(["'])((?:\\.|(?!\4).)*)\4/gi,
    (_m, q, k, sep, vq) => `${q}${k}${q}${sep}${vq}${REDACTED}${vq}`,
  ],
  // key=value (environment, query strings, command lines) and YAML-style `key: value` lines
  [/(^|[\s,;&?])(password|passwd|token|access_token|refresh_token|identitytoken|registrytoken)=(?!["'])([^\s&"',;]+)/gim, (_m, pre, k) => `${pre}${k}=${REDACTED}`],
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
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (isSecretKey(k) && v !== undefined && v !== null && v !== '') out[k] = REDACTED;
    else out[k] = redact(v, seen);
  }
  return out as T;
}
