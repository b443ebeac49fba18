// The hosts.toml form each containerd version decodes — the one place that knows it — and a small model of a
// hosts.toml (server + root settings + [host."…"] tables) that the planner renders.
//
// Facts this rests on (see ../shared/knowledge.md "hosts.toml"):
//  * containerd 1.6 (measured on 1.6.20): a hosts.toml without any [host."…"] table does not decode ("failed to
//    decode hosts.toml" error="invalid `host` tree", logged at error level only, never surfaced through CRI).
//    containerd then falls back to the Docker-style files of the directory (*.crt, *.cert + *.key) and https://host,
//    so `server` + top-level `ca`/`skip_verify` alone silently do nothing.
//  * The same parser is in every 1.x (v1.7.34 still returns "invalid `host` tree"); 2.0+ uses go-toml/v2 and
//    decodes root-only files. The rule per version lives in HOSTS_TOML_RULES (src/runtime/containerd-config.ts).
//  * Root-level settings apply to the `server` entry only; tables are tried in file order, then `server`. A table and
//    `server` with the same URL are two entries, so the table repeats the root settings (a failure on the first
//    entry, e.g. 404, then shows the same error as the second one).
import { formatKey, formatValue } from './toml-edit.js';
import { needsHostTable } from '../runtime/containerd-config.js';
import { msg, type Message } from '../i18n/index.js';

/** Does this containerd version need at least one [host."…"] table for the file to decode? (HOSTS_TOML_RULES) */
export { needsHostTable };

/** One-line statement of the rule, for plan descriptions. */
/** Why the planner repeats settings in a [host."…"] table (or not), for the planner's note. */
export function hostTableRuleMessage(version: string | undefined): Message {
  return needsHostTable(version)
    ? msg('fix.rule.hostTable', { version: version ?? msg('fix.rule.unknownVersion') })
    : msg('fix.rule.root', { version: String(version) });
}

export interface HostSettings {
  ca?: string[];
  client?: [string, string][];
  skip_verify?: boolean;
  capabilities?: string[];
  override_path?: boolean;
  header?: Record<string, string[]>;
}

export interface HostsModel {
  /** Omitted: containerd uses the requested host (used for _default). */
  server?: string;
  root: HostSettings;
  hosts: { url: string; settings: HostSettings }[];
  /** Comment lines written at the top. */
  comments?: string[];
}

const ORDER: (keyof HostSettings)[] = ['capabilities', 'ca', 'client', 'skip_verify', 'override_path', 'header'];

function settingLines(s: HostSettings, indent: string): string[] {
  const out: string[] = [];
  for (const k of ORDER) {
    const v = s[k];
    if (v === undefined) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    if (k === 'header') continue;
    out.push(`${indent}${k} = ${formatValue(k === 'ca' && (v as string[]).length === 1 ? (v as string[])[0] : v)}`);
  }
  return out;
}

function headerBlock(s: HostSettings, path: string): string[] {
  if (!s.header || Object.keys(s.header).length === 0) return [];
  return [
    '',
    `[${path}header]`,
    ...Object.entries(s.header).map(([k, v]) => `  ${formatKey(k)} = ${formatValue(v.length === 1 ? v[0] : v)}`),
  ];
}

export function renderHostsToml(m: HostsModel): string {
  const lines = [...(m.comments ?? []).map((c) => `# ${c}`)];
  if (m.server !== undefined) lines.push(`server = ${formatValue(m.server)}`);
  lines.push(...settingLines(m.root, ''));
  lines.push(...headerBlock(m.root, ''));
  for (const h of m.hosts) {
    const key = `host.${formatValue(h.url)}`;
    lines.push('', `[${key}]`, ...settingLines(h.settings, '  '));
    lines.push(...headerBlock(h.settings, `${key}.`));
  }
  return `${lines.join('\n')}\n`;
}

/** Makes the model decodable by `version`: adds a table equal to the server entry when one is needed. */
export function ensureDecodable(m: HostsModel, version: string | undefined, fallbackServer: string): HostsModel {
  if (!needsHostTable(version) || m.hosts.length > 0) return m;
  return { ...m, hosts: [{ url: m.server ?? fallbackServer, settings: structuredClone(m.root) }] };
}

/** host[:port] of a hosts.toml URL (no scheme = https). */
export function urlHost(url: string): string {
  const s = url.includes('://') ? url.slice(url.indexOf('://') + 3) : url;
  return s.split('/')[0]!.toLowerCase();
}

export function addUnique<T>(list: T[] | undefined, items: T[]): T[] {
  const out = [...(list ?? [])];
  for (const i of items) if (!out.some((x) => JSON.stringify(x) === JSON.stringify(i))) out.push(i);
  return out;
}
