// Message catalogues: English is the source (src/i18n/en.ts, keys typed from it), zh-CN and ja translate it.
// Human text goes through t()/tr(); what must stay byte-exact (cause codes, predicted runtime messages, file
// contents, commands, JSON) never does. The active language is chosen once per process (--lang, else
// LC_ALL / LC_MESSAGES / LANG, else English) and read by every view and export.
import { EN, type MessageKey, type Translation } from './en.js';
import type { CauseCode } from '../core/causes.js';

export { EN, type MessageKey, type Translation } from './en.js';

export const LANGS = ['en', 'zh-CN', 'ja'] as const;
export type Lang = (typeof LANGS)[number];

// English is always here; a translation is loaded on demand (loadLang) so an English run never parses the other
// catalogues (~35 ms of start-up for both on a 2-core node). Using a language that was not loaded is a programming
// error and throws: silently printing English to a Japanese reader would hide the bug.
const CATALOGUES: Partial<Record<Lang, Translation>> = { en: EN };
const LOADERS: Record<Exclude<Lang, 'en'>, () => Promise<Translation>> = {
  'zh-CN': () => import('./zh-CN.js').then((m) => m.ZH_CN),
  ja: () => import('./ja.js').then((m) => m.JA),
};

/** Loads `lang`'s catalogue (once); every language must be loaded before it is made active or rendered. */
export async function loadLang(lang: Lang): Promise<void> {
  if (CATALOGUES[lang]) return;
  CATALOGUES[lang] = await LOADERS[lang as Exclude<Lang, 'en'>]();
}

/** Whether `lang`'s catalogue is loaded. */
export function isLangLoaded(lang: Lang): boolean {
  return CATALOGUES[lang] !== undefined;
}

function loaded(lang: Lang): Translation {
  const c = CATALOGUES[lang];
  if (!c) throw new Error(`i18n: the ${lang} catalogue is not loaded (await loadLang('${lang}') first)`);
  return c;
}

export function catalogue(lang: Lang): Translation {
  return loaded(lang);
}

/** Names of the `{placeholders}` in a message text. */
type ParamNames<S extends string> = S extends `${string}{${infer P}}${infer R}` ? P | ParamNames<R> : never;
/** A value filled into a placeholder: text, a number, or another message (a phrase rendered in the same language). */
export type ParamValue = string | number | Message;
/** The params a key takes: exactly its placeholders in the English source. */
export type ParamsOf<K extends MessageKey> = [ParamNames<(typeof EN)[K]>] extends [never]
  ? []
  : [params: Record<ParamNames<(typeof EN)[K]>, ParamValue>];

/** A message as data (check summaries, findings): rendered in the reader's language, stored language-independent. */
export interface Message {
  key: MessageKey;
  params?: Record<string, ParamValue>;
}

export function msg<K extends MessageKey>(key: K, ...params: ParamsOf<K>): Message {
  return params[0] === undefined ? { key } : { key, params: params[0] as Record<string, ParamValue> };
}

/** `{name}` placeholders of a text, in order of first use. */
export function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\{([A-Za-z][A-Za-z0-9_]*)\}/g)].map((m) => m[1]!))];
}

function fill(text: string, params: Record<string, ParamValue> | undefined, lang: Lang): string {
  if (!params) return text;
  return text.replace(/\{([A-Za-z][A-Za-z0-9_]*)\}/g, (all, name: string) => {
    if (!Object.prototype.hasOwnProperty.call(params, name)) return all;
    const v = params[name]!;
    return typeof v === 'object' ? messageIn(lang, v, '') : String(v);
  });
}

let active: Lang = 'en';

export function setLang(lang: Lang): void {
  loaded(lang);
  active = lang;
}

export function getLang(): Lang {
  return active;
}

/** Runs `fn` with `lang` active (tests, exports in a language other than the terminal's). */
export function withLang<T>(lang: Lang, fn: () => T): T {
  loaded(lang);
  const prev = active;
  active = lang;
  try {
    return fn();
  } finally {
    active = prev;
  }
}

/** The text of `key` in `lang`, placeholders filled; English when the translation lacks the key. */
export function textIn<K extends MessageKey>(lang: Lang, key: K, ...params: ParamsOf<K>): string {
  const text = loaded(lang)[key] ?? EN[key];
  return fill(text, params[0] as Record<string, ParamValue> | undefined, lang);
}

/** The text of `key` in the active language. */
export function t<K extends MessageKey>(key: K, ...params: ParamsOf<K>): string {
  return textIn(active, key, ...params);
}

/** A stored message in `lang` (unknown keys — a report from a newer version — fall back to `fallback`). */
export function messageIn(lang: Lang, m: Message | undefined, fallback = ''): string {
  if (!m || !Object.prototype.hasOwnProperty.call(EN, m.key)) return fallback;
  return fill(loaded(lang)[m.key] ?? EN[m.key], m.params, lang);
}

/** A stored message in the active language. */
export function tr(m: Message | undefined, fallback = ''): string {
  return messageIn(active, m, fallback);
}

/** English text and message together, for a check outcome or finding: `{ ...summaryOf('tcp.ok', { addr }) }`. */
export function summaryOf<K extends MessageKey>(key: K, ...params: ParamsOf<K>): { summary: string; summaryMessage: Message } {
  return { summary: textIn('en', key, ...params), summaryMessage: msg(key, ...params) };
}

/** The summary of a check, finding or verdict in the active language (its stored English text when it has no message). */
export function summaryText(x: { summary?: string; summaryMessage?: Message }): string {
  return x.summaryMessage ? tr(x.summaryMessage, x.summary ?? '') : (x.summary ?? '');
}

/** Plural forms: `<base>.one` for 1, else `<base>.other` (zh-CN and ja use the same text for both). */
export function tn<B extends PluralBase>(base: B, n: number): string {
  const key = `${base}.${n === 1 ? 'one' : 'other'}` as MessageKey;
  return fill(loaded(active)[key] ?? EN[key], { n }, active);
}
export type PluralBase = MessageKey extends infer K ? (K extends `${infer B}.one` ? B : never) : never;

/** A cause's title in the active language; `fallback` (the stored English title) for a code this version lacks. */
export function causeTitle(code: CauseCode | string, fallback = String(code)): string {
  const key = `cause.${code}.title`;
  return Object.prototype.hasOwnProperty.call(EN, key) ? t(key as `cause.${CauseCode}.title`) : fallback;
}

/** A check's title in the active language; `fallback` (its English title) for a check this catalogue lacks. */
export function checkTitle(id: string, fallback: string): string {
  const key = `check.title.${id}`;
  return Object.prototype.hasOwnProperty.call(EN, key) ? t(key as MessageKey & `check.title.${string}`) : fallback;
}

export function causeExplanation(code: CauseCode | string, fallback = ''): string {
  const key = `cause.${code}.explanation`;
  return Object.prototype.hasOwnProperty.call(EN, key) ? t(key as `cause.${CauseCode}.explanation`) : fallback;
}

/** The language a locale names (`zh_CN.UTF-8`, `ja_JP.eucJP`, `zh-Hans`, `en_US`), or undefined when not one of ours. */
export function langOfLocale(locale: string | undefined): Lang | undefined {
  if (!locale) return undefined;
  const l = locale
    .trim()
    .replace(/[.@].*$/, '')
    .replace('_', '-')
    .toLowerCase();
  if (l === '' || l === 'c' || l === 'posix') return 'en';
  if (l === 'zh' || l === 'zh-cn' || l === 'zh-sg' || l === 'zh-hans' || l.startsWith('zh-hans-')) return 'zh-CN';
  if (l === 'ja' || l.startsWith('ja-')) return 'ja';
  if (l === 'en' || l.startsWith('en-')) return 'en';
  return undefined;
}

/** `--lang` names one of LANGS (case-insensitive, `zh`/`zh_CN`/`ja_JP` accepted); undefined when it does not. */
export function parseLangFlag(value: string): Lang | undefined {
  return langOfLocale(value) ?? LANGS.find((l) => l.toLowerCase() === value.toLowerCase());
}

/**
 * The language of human text: `--lang`, else the first of LC_ALL, LC_MESSAGES, LANG that is set (POSIX precedence:
 * a set LC_ALL wins even when it names a language regdoctor lacks, which then means English), else English.
 */
export function resolveLang(flag: string | undefined, env: Record<string, string | undefined>): Lang {
  if (flag !== undefined) return parseLangFlag(flag) ?? 'en';
  for (const name of ['LC_ALL', 'LC_MESSAGES', 'LANG'] as const) {
    const v = env[name];
    if (v) return langOfLocale(v) ?? 'en';
  }
  return 'en';
}

/** What is wrong with a translation against the English source: missing or unknown keys, empty texts, a different
 *  set of placeholders, or a backquoted term / technical name of the source not carried over byte-exact. */
export function catalogueProblems(source: Record<string, string>, translation: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  for (const [key, en] of Object.entries(source)) {
    const text = translation[key];
    if (text === undefined) {
      problems.push(`${key}: missing`);
      continue;
    }
    if (text.trim() === '') problems.push(`${key}: empty`);
    const a = placeholders(en).sort().join(',');
    const b = placeholders(text).sort().join(',');
    if (a !== b) problems.push(`${key}: placeholders {${b}} differ from the source's {${a}}`);
    for (const term of kept(en)) if (!text.includes(term)) problems.push(`${key}: "${term}" must stay as it is`);
  }
  for (const key of Object.keys(translation)) if (!(key in source)) problems.push(`${key}: not in the source catalogue`);
  return problems;
}

/** Terms a translation keeps byte-exact: backquoted spans, and technical names (files, keys, env vars, flags, codes). */
const TERMS =
  /hosts\.toml|config\.toml|config\.json|registries\.yaml|certs\.d|imagePullSecrets|(?:insecure_)?skip_verify|config_path|HTTPS?_PROXY|notAfter|notBefore|chmod 600|--[a-z][a-z-]+|\bCA\b|\bSAN|\bCRI\b|\bTOML\b|\bmTLS\b|\bRBAC\b|\bSHA-1\b|\b429 Too Many Requests\b|\bcontainerd\b|\bkubelet\b|\bkubectl\b|\bregdoctor\b/g;
function kept(en: string): string[] {
  return [...new Set([...(en.match(/`[^`]+`/g) ?? []), ...(en.match(TERMS) ?? [])])];
}

/** A fix proposal's title and description in the active language (the stored English when it has no message). */
export function fixTitle(x: { title: string; titleMessage?: Message }): string {
  return x.titleMessage ? tr(x.titleMessage, x.title) : x.title;
}

export function fixDescription(x: { description: string; descriptionMessage?: Message }): string {
  return x.descriptionMessage ? tr(x.descriptionMessage, x.description) : x.description;
}

/** English text plus the message, for a planner: `{ ...titled('fix.title.reissue', { why }) }`. */
export function titled<K extends MessageKey>(key: K, ...params: ParamsOf<K>): { title: string; titleMessage: Message } {
  return { title: textIn('en', key, ...params), titleMessage: msg(key, ...params) };
}

export function described<K extends MessageKey>(key: K, ...params: ParamsOf<K>): { description: string; descriptionMessage: Message } {
  return { description: textIn('en', key, ...params), descriptionMessage: msg(key, ...params) };
}

/** A message whose text values are one line with control characters escaped (they come from servers and files). */
export function sanitizeMessage(m: Message, clean: (s: string) => string): Message {
  if (!m.params) return m;
  return {
    key: m.key,
    params: Object.fromEntries(
      Object.entries(m.params).map(([k, v]) => [
        k,
        typeof v === 'number' ? v : typeof v === 'object' ? sanitizeMessage(v, clean) : clean(String(v)),
      ]),
    ),
  };
}
