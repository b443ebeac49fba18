// The docker config files kubelet reads for node credentials (config.json `auths`, legacy .dockercfg): one entry
// set, copied under another key or removed, every other entry and field kept, the file's indentation kept. Pure:
// the fix engine reads the file, calls this, then shows the (redacted) diff and writes it with a backup.
// An entry is written as `auth` (base64 user:password): kubelet's DockerConfigEntry decodes `auth` over `username`/
// `password` (kubernetes pkg/credentialprovider/config.go, UnmarshalJSON), so stale plain fields are dropped.
import type { FixAction } from '../core/types.js';
import { MessageError } from './errors.js';
import { msg } from '../i18n/index.js';

export type DockerAuthAction = Extract<FixAction, { kind: 'docker-auth' }>;

export class DockerAuthError extends MessageError {
  override name = 'DockerAuthError';
}

/** Base64 `user:password`, as docker login writes it. */
export function basicAuthField(username: string, password: string): string {
  return Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
}

function indentOf(text: string): string {
  const m = text.match(/^[{[]\r?\n([\t ]+)\S/);
  return m ? m[1]! : '\t';
}

/** The new content of the docker config file after the action (undefined `before`: the file does not exist yet). */
export function editDockerConfig(before: string | undefined, a: DockerAuthAction): string {
  let doc: Record<string, unknown> = {};
  if (before !== undefined && before.trim() !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(before);
    } catch (err) {
      throw new DockerAuthError(msg('fix.auth.notJson', { path: a.path, error: (err as Error).message }));
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new DockerAuthError(msg('fix.auth.notObject', { path: a.path }));
    doc = parsed as Record<string, unknown>;
  }
  let map: Record<string, unknown>;
  if (a.format === 'config.json') {
    const auths = doc.auths;
    if (auths !== undefined && (typeof auths !== 'object' || auths === null || Array.isArray(auths)))
      throw new DockerAuthError(msg('fix.auth.authsNotObject', { path: a.path }));
    map = (auths as Record<string, unknown> | undefined) ?? {};
    doc.auths = map;
  } else map = doc;
  const entryOf = (key: string): Record<string, unknown> | undefined => {
    const v = map[key];
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  };
  if (a.set) {
    const { key, username, password } = a.set;
    if (!username || username.includes(':')) throw new DockerAuthError(msg('fix.auth.badUsername'));
    const entry = { ...(entryOf(key) ?? {}) };
    delete entry.username;
    delete entry.password;
    delete entry.identitytoken;
    entry.auth = basicAuthField(username, password);
    map[key] = entry;
  }
  if (a.copy) {
    const from = entryOf(a.copy.from);
    if (!from) throw new DockerAuthError(msg('fix.auth.noEntry', { path: a.path, key: a.copy.from }));
    if (map[a.copy.to] !== undefined) throw new DockerAuthError(msg('fix.auth.hasEntry', { path: a.path, key: a.copy.to }));
    map[a.copy.to] = structuredClone(from);
  }
  if (a.remove !== undefined) {
    if (map[a.remove] === undefined) throw new DockerAuthError(msg('fix.auth.noEntry', { path: a.path, key: a.remove }));
    delete map[a.remove];
  }
  const eol = before === undefined || before === '' || /\n$/.test(before) ? '\n' : '';
  return `${JSON.stringify(doc, null, before ? indentOf(before) : '\t')}${eol}`;
}
