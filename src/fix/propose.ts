// Fix proposals per finding, safest first. Data only: nothing here touches the node. Node-side fixes prefer trusting
// the right CA for the one registry host (hosts.toml) over skipping verification. Safe by construction:
//  * the target is always containerd's own directory for the host (never certs.d/_default: that is every host's
//    fallback); when _default applied to the host, its settings are copied into the new directory first;
//  * enabling config_path migrates every legacy mirror / configs.tls entry exactly (legacy-migration.ts) or refuses;
//  * an existing hosts.toml is edited in place (TOML-preserving, `ca`/`client` lists appended), Docker-style files
//    that applied are carried into the new hosts.toml, and the file is written in the form the detected containerd
//    version decodes (hosts-toml.ts);
//  * installed certificate/key files use names containerd's Docker-style fallback ignores, so only a decoded
//    hosts.toml can make them apply.
import { createHash } from 'node:crypto';
import type { Finding, FixAction, FixProposal, KubeOptions, PlannedFix, Target, TomlEdit } from '../core/types.js';
import { describeCredentialAction, describeCredentialActionMessage, planCredentials } from './credentials.js';
import { removeCachedImageProposal } from './credentials-cache.js';
import { planMirrorFailing } from './walk-fixes.js';
import { safestFirst } from './risk.js';
import type { CauseCode } from '../core/causes.js';
import { shellJoin } from '../text/shell.js';
import { described, messageIn, msg, titled, type Message } from '../i18n/index.js';
import { actionText, errorParam, joinSaid, type Said } from './errors.js';
import { getFact, type Facts } from '../core/facts.js';
import type { ChainCert, ContainerdConfigFacts } from '../facts/index.js';
import type { EffectiveEndpoint } from '../core/runtime-config.js';
import { parseSemver, ASSUMED_CONTAINERD, configPathList, hostDirNames } from '../runtime/containerd-config.js';
import { HostNameError, hostDirFor, joinHostDir, validateRegistryHost } from './host-names.js';
import {
  addUnique,
  ensureDecodable,
  hostTableRuleMessage,
  needsHostTable,
  renderHostsToml,
  urlHost,
  type HostSettings,
  type HostsModel,
} from './hosts-toml.js';
import { MigrationError, migrateKey, migrateLegacy, type RawRegistry } from './legacy-migration.js';
import { describePresentedMessages, presentedCert } from './trust-check.js';

export interface PlanInputs {
  /** PEM of a CA (or intermediate+root bundle) the operator supplied with --ca. */
  ca?: string;
  caSource?: string;
  /** Client certificate and key (PEM) the operator supplied with --client-cert / --client-key. */
  clientCert?: string;
  clientKey?: string;
  /** Registry credential the operator supplied (--username with --password-stdin / --password-file). Never printed. */
  username?: string;
  password?: string;
  /** The operator's cluster access (-n/--context/--kubeconfig), for pull-secret fixes through kubectl. */
  kube?: KubeOptions;
}

/** What the fix command read from the node for the planner: directory listings (null = does not exist). */
export interface NodeSnapshot {
  dirs: Record<string, string[] | null>;
}

export interface PlanContext {
  target: Target;
  facts: Facts;
  inputs: PlanInputs;
  /** Legacy registry tables (read by the fix command from config.toml; credentials never included). */
  rawRegistry?: RawRegistry;
  /** Directory listings the planner asked for (plannerDirs); without it, proposals assume nothing else exists. */
  node?: NodeSnapshot;
}

const CERTS_D = '/etc/containerd/certs.d';

function configFacts(ctx: PlanContext): ContainerdConfigFacts | undefined {
  return getFact(ctx.facts, 'containerd-config');
}

function versionOf(ctx: PlanContext): string {
  return configFacts(ctx)?.containerdVersion ?? ASSUMED_CONTAINERD;
}

const base = (p: string) => p.slice(p.lastIndexOf('/') + 1);

/** The first directory of a config_path that may be a ':' list (read as one directory by the transfer service). */
function firstListedDir(configPath: string): string {
  return configPathList(configPath)[0] ?? CERTS_D;
}

/** Where setting config_path takes effect: config.toml, or the import that would override an edit of it
 *  (registryEditFile: 1.x takes a plugin section wholesale from the last file holding it, 2.x the last value set). */
interface ConfigPathAt {
  file: string;
  table?: string[];
  /** config.toml, when `file` is an import that overrides it. */
  overrides?: string;
}

function configPathAt(cfg: ContainerdConfigFacts | undefined): ConfigPathAt {
  return cfg?.configPathEdit ?? { file: cfg?.file ?? '/etc/containerd/config.toml', table: cfg?.registryTable };
}

/** An edit's description, saying why it goes into an import and not config.toml when it does. */
function inFileText(m: Message, at: ConfigPathAt, version: string, table: string[]): { description: string; descriptionMessage: Message } {
  if (!at.overrides) return actionText(m);
  const v = parseSemver(version) ?? parseSemver(ASSUMED_CONTAINERD)!;
  const rule =
    v.major >= 2
      ? msg('fix.rule.importMerged', { version })
      : msg('fix.rule.importWholesale', { version, plugin: table.slice(0, 2).join('.') });
  return actionText(msg('fix.act.inImport', { action: m, file: at.file, main: at.overrides, rule }));
}

/** config.toml edit: config_path = one directory (containerd reads config_path only at start). */
function singleConfigPathEdit(at: ConfigPathAt, root: string, version: string): FixAction {
  const t = at.table?.length ? at.table : ['plugins', 'io.containerd.cri.v1.images', 'registry'];
  return {
    kind: 'edit-toml',
    path: at.file,
    edit: { table: t, set: { config_path: root } },
    ...inFileText(msg('fix.act.setSingleConfigPath', { root, table: t.join('.') }), at, version, t),
  };
}

/** Directories whose listing makes the plan exact (the fix command reads them before planning). */
export function plannerDirs(ctx: PlanContext): string[] {
  const cfg = configFacts(ctx);
  const v = parseSemver(versionOf(ctx))!;
  const out = new Set<string>();
  const host = ctx.target.registry.name;
  const roots = cfg?.effective.configPath?.length ? [firstListedDir(cfg.effective.configPath[0]!)] : [CERTS_D];
  try {
    for (const root of roots) {
      out.add(hostDirFor(root, host, v));
      out.add(joinHostDir(root, '_default'));
      for (const k of [...Object.keys(ctx.rawRegistry?.mirrors ?? {}), ...Object.keys(ctx.rawRegistry?.configs ?? {})]) {
        try {
          out.add(joinHostDir(root, k === '*' ? '_default' : k));
        } catch {
          // invalid names are refused by the planner itself
        }
      }
      // every directory name containerd tries for this host
      for (const name of hostDirNames(host, v)) out.add(joinHostDir(root, name));
    }
  } catch {
    // an invalid target host: the planner refuses
  }
  if (cfg?.effective.hostsDir) out.add(cfg.effective.hostsDir);
  return [...out];
}

const exists = (ctx: PlanContext) => (dir: string) => {
  const l = ctx.node?.dirs[dir];
  return l !== undefined && l !== null;
};

const short = (pem: string) => createHash('sha256').update(pem).digest('hex').slice(0, 12);

function relTo(dir: string, p: string): string {
  return p.startsWith(`${dir}/`) && !p.slice(dir.length + 1).includes('/') ? p.slice(dir.length + 1) : p;
}

/** hosts.toml key/URL of an effective endpoint (containerd appended /v2 unless the path had it). */
function endpointKey(e: EffectiveEndpoint): string {
  const m = e.source.match(/\[host\."(.*)"\]$/);
  if (m) return m[1]!;
  return e.url.replace(/\/v2$/, '');
}

function settingsOf(e: EffectiveEndpoint, dir: string): HostSettings {
  const s: HostSettings = {};
  const caps = e.capabilities;
  if (!(caps.length === 3 && ['pull', 'resolve', 'push'].every((c) => caps.includes(c as 'pull')))) s.capabilities = [...caps];
  if (e.tls.caFiles.length) s.ca = e.tls.caFiles.map((p) => relTo(dir, p));
  if (e.tls.clientPairs.length)
    s.client = e.tls.clientPairs.map((p) => [relTo(dir, p.cert), p.key ? relTo(dir, p.key) : ''] as [string, string]);
  if (e.tls.skipVerify) s.skip_verify = true;
  if (Object.keys(e.headers).length) s.header = structuredClone(e.headers);
  const path = new URL(e.url).pathname;
  if (path !== '/v2' && !path.endsWith('/v2')) s.override_path = true;
  return s;
}

/** Docker-style files of a certs.d directory as hosts.toml settings (what containerd used without a hosts.toml). */
function dockerFiles(files: string[]): HostSettings {
  const s: HostSettings = {};
  const ca = files.filter((f) => f.endsWith('.crt')).sort();
  const pairs = files
    .filter((f) => f.endsWith('.cert') && files.includes(f.replace(/\.cert$/, '.key')))
    .sort()
    .map((f) => [f, f.replace(/\.cert$/, '.key')] as [string, string]);
  if (ca.length) s.ca = ca;
  if (pairs.length) s.client = pairs;
  return s;
}

function mergeSettings(a: HostSettings, b: HostSettings): HostSettings {
  const out: HostSettings = structuredClone(a);
  if (b.ca?.length) out.ca = addUnique(out.ca, b.ca);
  if (b.client?.length) out.client = addUnique(out.client, b.client);
  if (b.skip_verify) out.skip_verify = true;
  if (b.capabilities) out.capabilities = b.capabilities;
  if (b.override_path) out.override_path = true;
  if (b.header) out.header = { ...(out.header ?? {}), ...b.header };
  return out;
}

/** What a fix adds for the host. */
type Change =
  | { kind: 'ca'; name: string; pem: string; what: string }
  | { kind: 'skip-verify' }
  | { kind: 'http' }
  | { kind: 'client'; cert: string; key: string; certPem: string; keyPem: string };

function changeSettings(c: Change): HostSettings {
  switch (c.kind) {
    case 'ca':
      return { ca: [c.name] };
    case 'skip-verify':
      return { skip_verify: true };
    case 'client':
      return { client: [[c.cert, c.key]] };
    case 'http':
      return {};
  }
}

function settingsToToml(s: HostSettings): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) if (v !== undefined && !(Array.isArray(v) && v.length === 0)) out[k] = v;
  return out;
}

function appendEdit(table: string[], s: HostSettings): TomlEdit {
  const append: Record<string, unknown[]> = {};
  const set: Record<string, unknown> = {};
  if (s.ca?.length) append.ca = s.ca;
  if (s.client?.length) append.client = s.client;
  if (s.skip_verify) set.skip_verify = true;
  return { table, set: Object.keys(set).length ? set : undefined, append: Object.keys(append).length ? append : undefined };
}

export interface HostsPlan {
  dir: string;
  actions: FixAction[];
  restart: boolean;
  notes: Message[];
}

/** Legacy node (no config_path): exact migration of every legacy entry and config_path in config.toml. */
function legacyPre(ctx: PlanContext, root: string, skipKey?: string): { pre: FixAction[]; notes: Message[]; configEdits: FixAction[] } {
  const cfg = configFacts(ctx);
  const raw = ctx.rawRegistry ?? { mirrors: {}, configs: {} };
  const version = versionOf(ctx);
  const m = migrateLegacy(raw, root, version, exists(ctx));
  const pre: FixAction[] = [];
  for (const h of m.hosts) {
    if (h.key === skipKey) continue;
    // a migration restates what the legacy tables configure (skip-verify included): it turns nothing off
    pre.push({
      kind: 'write-file',
      path: `${h.dir}/hosts.toml`,
      content: renderHostsToml(h.model),
      mode: 0o644,
      description: h.note,
      restates: true,
    });
  }
  const file = cfg?.file ?? '/etc/containerd/config.toml';
  const table = cfg?.registryTable?.length ? cfg.registryTable : ['plugins', 'io.containerd.grpc.v1.cri', 'registry'];
  const configPathSet = Boolean(cfg?.effective.configPath?.length && cfg?.registrySummary.configPath);
  // config_path goes where it takes effect (an import may override config.toml); each migrated legacy table is removed
  // from every file that holds it in effect (one file on 1.x, each file on 2.x, which merges them)
  const at = configPathAt(cfg);
  const cpFile = configPathSet ? undefined : at.file;
  const removals = new Map<string, string[][]>();
  for (const rel of m.removeTables) {
    const held = cfg?.legacyTableFiles?.find((x) => JSON.stringify(x.table) === JSON.stringify(rel))?.files;
    for (const f of held?.length ? held : [file]) removals.set(f, [...(removals.get(f) ?? []), rel]);
  }
  const files = [...new Set([...(cpFile ? [cpFile] : []), ...removals.keys()])].sort((a, b) => (a === file ? -1 : b === file ? 1 : 0));
  const configEdits: FixAction[] = files.map((f) => {
    const removeTables = removals.get(f);
    const sets = f === cpFile;
    const edit: TomlEdit = { table, set: sets ? { config_path: root } : undefined, removeTables };
    const text = sets
      ? inFileText(
          msg(removeTables ? 'fix.act.setConfigPathAndRemove' : 'fix.act.setConfigPath', { root, table: table.join('.') }),
          at,
          version,
          table,
        )
      : actionText(msg('fix.act.removeMigrated'));
    return { kind: 'edit-toml', path: f, edit, ...text };
  });
  // nothing to change (config_path set, nothing migrated): the edit as before, empty
  if (!configEdits.length) configEdits.push({ kind: 'edit-toml', path: file, edit: { table }, description: '' });
  return { pre, notes: [...m.hosts.map((h) => h.noteMessage), ...m.notes], configEdits };
}

/** Plans one change to the host's hosts.toml. Throws HostNameError / MigrationError when it cannot be done safely. */
export function planHostsChange(ctx: PlanContext, change: Change): HostsPlan {
  const cfg = configFacts(ctx);
  const version = versionOf(ctx);
  const v = parseSemver(version)!;
  const host = validateRegistryHost(ctx.target.registry.name, 'target');
  const apiHost = ctx.target.registry.apiHost;
  const fixHost = apiHost.toLowerCase();
  const eff = cfg?.effective;
  const notes: Message[] = [];
  const pre: FixAction[] = [];
  let restart = false;
  let dir: string;
  let existingFile: string | undefined;
  let model: HostsModel = { server: `https://${apiHost}`, root: {}, hosts: [] };

  if (eff?.configPath?.length) {
    let root = eff.configPath[0]!;
    if (root.includes(':')) {
      // containerd 2.1+'s transfer service reads a config_path list as ONE directory (effectiveConfigPath, hostDirRoots):
      // write under the list's first directory and make it the config_path
      root = firstListedDir(root);
      pre.push(singleConfigPathEdit(configPathAt(cfg), root, version));
      restart = true;
    }
    const effDir = eff.hostsDir;
    if (effDir && base(effDir) !== '_default') {
      dir = effDir;
      existingFile = eff.hostsFile;
      if (!existingFile) {
        // Docker-style directory: carry what containerd used into the new hosts.toml
        const listing = ctx.node?.dirs[dir];
        const files =
          listing ??
          (eff.endpoints[0]?.tls
            ? [...eff.endpoints[0].tls.caFiles, ...eff.endpoints[0].tls.clientPairs.flatMap((p) => [p.cert, p.key ?? ''])]
                .map((p) => relTo(dir, p))
                .filter(Boolean)
            : []);
        const carried = dockerFiles(files);
        if (carried.ca || carried.client) {
          model.root = carried;
          notes.push(
            msg('fix.note.dockerFilesCarried', { dir, files: [...(carried.ca ?? []), ...(carried.client ?? []).flat()].join(', ') }),
          );
        }
      }
    } else {
      dir = hostDirFor(root, host, v, exists(ctx));
      if (effDir && base(effDir) === '_default') {
        // _default applied to this host: copy its meaning, leave it alone
        const eps = eff.endpoints;
        const server = eps.find((e) => e.isServer);
        model = {
          server: server ? endpointKey(server) : `https://${apiHost}`,
          root: server ? settingsOf(server, effDir) : {},
          hosts: eps.filter((e) => !e.isServer).map((e) => ({ url: endpointKey(e), settings: settingsOf(e, effDir) })),
        };
        if (!eff.hostsFile) {
          const listing = ctx.node?.dirs[effDir];
          if (listing) model.root = mergeSettings(model.root, dockerFiles(listing.map((f) => `${effDir}/${f}`)));
        }
        // relative names were relative to _default: make them absolute for the new directory
        const abs = (p: string) => (p.startsWith('/') ? p : `${effDir}/${p}`);
        const fixPaths = (s: HostSettings) => {
          if (s.ca) s.ca = s.ca.map(abs);
          if (s.client) s.client = s.client.map(([c, k]) => [abs(c), k ? abs(k) : k] as [string, string]);
        };
        fixPaths(model.root);
        model.hosts.forEach((h) => fixPaths(h.settings));
        notes.push(msg('fix.note.defaultCopied', { dir: effDir, host, file: `${dir}/hosts.toml` }));
      }
    }
  } else {
    // legacy or nothing: migrate first, then config_path
    dir = joinHostDir(CERTS_D, host);
    if (ctx.node?.dirs[dir]?.includes('hosts.toml')) {
      throw new MigrationError(msg('fix.mig.hostsTomlExists', { file: `${dir}/hosts.toml` }));
    }
    const raw = ctx.rawRegistry ?? { mirrors: {}, configs: {} };
    const { pre: mig, notes: migNotes, configEdits } = legacyPre(ctx, CERTS_D, host);
    pre.push(...mig, ...configEdits);
    notes.push(...migNotes);
    model = migrateKey(raw, host, version, notes);
    model.comments = undefined;
    restart = true;
  }

  const settings = changeSettings(change);
  const material: FixAction[] = [];
  if (change.kind === 'ca')
    material.push({
      kind: 'write-file',
      path: `${dir}/${change.name}`,
      content: change.pem,
      mode: 0o644,
      description: `install ${change.what} for ${host} only`,
    });
  if (change.kind === 'client') {
    material.push({
      kind: 'write-file',
      path: `${dir}/${change.cert}`,
      content: change.certPem,
      mode: 0o644,
      description: 'client certificate',
    });
    material.push({
      kind: 'write-file',
      path: `${dir}/${change.key}`,
      content: change.keyPem,
      mode: 0o600,
      description: 'client key (mode 600)',
    });
  }

  const hostsActions: FixAction[] = [];
  if (existingFile) {
    // edit in place: append to the entries that talk to this host; make the file decodable when it is not
    const eps = eff!.endpoints;
    const server = eps.find((e) => e.isServer);
    const tables = eps.filter((e) => !e.isServer);
    const decodes = tables.length > 0 || !needsHostTable(version);
    let carried: HostSettings = {};
    if (!decodes) {
      const listing = ctx.node?.dirs[dir];
      if (listing) carried = dockerFiles(listing.filter((f) => f !== 'hosts.toml'));
      else notes.push(msg('fix.note.notListed', { dir }));
      notes.push(
        msg('fix.note.noHostTable', {
          file: existingFile,
          rule: hostTableRuleMessage(version),
          carried:
            carried.ca || carried.client
              ? msg('fix.note.dockerFilesUsed', { files: [...(carried.ca ?? []), ...(carried.client ?? []).flat()].join(', ') })
              : '',
        }),
      );
    }
    const rootMatches = server ? urlHost(endpointKey(server)) === fixHost : true;
    const desc: Said =
      change.kind === 'ca'
        ? msg('fix.act.trust', { name: change.name })
        : change.kind === 'client'
          ? msg('fix.act.present', { cert: change.cert })
          : change.kind === 'skip-verify'
            ? 'skip_verify = true'
            : msg('fix.act.plainHttp');
    if (change.kind === 'http' && rootMatches) {
      hostsActions.push({
        kind: 'edit-toml',
        path: existingFile,
        edit: { table: [], set: { server: `http://${apiHost}` } },
        ...actionText(msg('fix.act.serverHttp', { url: `http://${apiHost}`, host })),
      });
    } else if (rootMatches && (Object.keys(settingsToToml(settings)).length || carried.ca || carried.client)) {
      hostsActions.push({
        kind: 'edit-toml',
        path: existingFile,
        edit: appendEdit([], mergeSettings(carried, settings)),
        ...actionText(msg('fix.act.rootLevel', { what: desc, host })),
      });
    }
    let matched = rootMatches;
    for (const t of tables) {
      if (urlHost(endpointKey(t)) !== fixHost || change.kind === 'http') continue;
      matched = true;
      hostsActions.push({
        kind: 'edit-toml',
        path: existingFile,
        edit: appendEdit(['host', endpointKey(t)], settings),
        ...actionText(msg('fix.act.inHost', { what: desc, url: endpointKey(t) })),
      });
    }
    if (!decodes) {
      const url = change.kind === 'http' ? `http://${apiHost}` : server ? endpointKey(server) : `https://${apiHost}`;
      const s = mergeSettings(mergeSettings(server ? settingsOf(server, dir) : {}, carried), rootMatches ? settings : {});
      hostsActions.push({
        kind: 'edit-toml',
        path: existingFile,
        edit: {
          table: ['host', url],
          set: settingsToToml(change.kind === 'http' ? mergeSettings(s, { capabilities: ['pull', 'resolve'] }) : s),
        },
        ...actionText(msg('fix.act.addHostDecode', { url, version })),
      });
    } else if (!matched) {
      const url = `${change.kind === 'http' ? 'http' : 'https'}://${apiHost}`;
      hostsActions.push({
        kind: 'edit-toml',
        path: existingFile,
        edit: { table: ['host', url], set: settingsToToml(change.kind === 'http' ? { capabilities: ['pull', 'resolve'] } : settings) },
        ...actionText(msg('fix.act.addHostWith', { url, what: desc })),
      });
    }
  } else {
    // a new hosts.toml: apply the change to the model, then write the form this version decodes
    const rootMatches = model.server === undefined || urlHost(model.server) === fixHost;
    if (change.kind === 'http') {
      if (rootMatches) model.server = `http://${apiHost}`;
      if (!model.hosts.some((h) => h.url === `http://${apiHost}`))
        model.hosts.push({ url: `http://${apiHost}`, settings: { capabilities: ['pull', 'resolve'] } });
    } else {
      let matched = false;
      if (rootMatches) {
        model.root = mergeSettings(model.root, settings);
        matched = true;
      }
      for (const h of model.hosts) {
        if (urlHost(h.url) === fixHost) {
          h.settings = mergeSettings(h.settings, settings);
          matched = true;
        }
      }
      if (!matched) model.hosts.push({ url: `https://${apiHost}`, settings });
    }
    model = ensureDecodable(model, version, `https://${apiHost}`);
    if (!model.comments) model.comments = ['Written by regdoctor. containerd reads this file on every pull (no restart needed).'];
    if (needsHostTable(version))
      model.comments.push(
        `containerd ${version}: settings are repeated in a [host."…"] table, without which this version does not decode the file.`,
      );
    hostsActions.push({
      kind: 'write-file',
      path: `${dir}/hosts.toml`,
      content: renderHostsToml(model),
      mode: 0o644,
      description: `hosts.toml for ${host}`,
      // what was in effect for the host (a copied _default, migrated legacy settings) plus this change: only a
      // skip-verify change turns verification off (src/fix/risk.ts)
      restates: change.kind !== 'skip-verify',
    });
  }
  const actions: FixAction[] = [
    ...pre,
    ...material,
    ...hostsActions,
    ...(restart
      ? [{ kind: 'restart-runtime', service: 'containerd', description: 'containerd reads config_path only at start' } as FixAction]
      : []),
  ];
  return { dir, actions, restart, notes };
}

type Titled = { title: string; titleMessage?: Message };

/** A node proposal that could not be planned safely: no actions, the reason in `blocked`. */
function blockedProposal(id: string, title: Titled, err: unknown): PlannedFix {
  const why = errorParam(err);
  return {
    id,
    ...title,
    where: 'node',
    restartRequired: false,
    ...described('fix.desc.blocked', { why }),
    manualSteps: [],
    actions: [],
    blocked: (err as Error).message,
    ...(typeof why === 'object' ? { blockedMessage: why } : {}),
  };
}

function planOrBlock(id: string, title: Titled, ctx: PlanContext, change: Change, build: (p: HostsPlan) => PlannedFix): PlannedFix {
  try {
    return build(planHostsChange(ctx, change));
  } catch (err) {
    if (err instanceof HostNameError || err instanceof MigrationError) return blockedProposal(id, title, err);
    throw err;
  }
}

function presentedText(c: ChainCert | undefined): Message | '' {
  if (!c?.info.sha256 || !c.info.notBefore || !c.info.notAfter) return '';
  const p = presentedCert({ ...c.info, sha256: c.info.sha256, notBefore: c.info.notBefore, notAfter: c.info.notAfter });
  return msg('fix.desc.presented', { details: joinSaid(describePresentedMessages(p)) });
}

/** The " Also: …" sentence after a description (the planner's notes). */
const alsoNotes = (notes: Message[]): Message | '' => (notes.length ? msg('fix.desc.also', { notes: joinSaid(notes) }) : '');

function trustCaProposal(ctx: PlanContext, caPem: string, whatMsg: Message, id = 'hosts-toml-ca', presented?: ChainCert): PlannedFix {
  const host = ctx.target.registry.name;
  // English in the planned files and JSON; the message for the reader's language
  const what = messageIn('en', whatMsg);
  const titleText = titled('fix.title.trustCa', { what: whatMsg, host });
  const name = `regdoctor-ca-${short(caPem)}.pem`;
  return planOrBlock(id, titleText, ctx, { kind: 'ca', name, pem: caPem, what }, ({ dir, actions, restart, notes }) => ({
    id,
    ...titleText,
    where: 'node',
    restartRequired: restart,
    ...described('fix.desc.trustCa', {
      what: whatMsg,
      file: `${dir}/${name}`,
      host,
      presented: presentedText(presented),
      also: alsoNotes(notes),
    }),
    manualSteps: actions.map(manualStepOf),
    actions,
    ...(presented?.info.sha256 && presented.info.notBefore && presented.info.notAfter
      ? {
          presented: presentedCert({
            ...presented.info,
            sha256: presented.info.sha256,
            notBefore: presented.info.notBefore,
            notAfter: presented.info.notAfter,
          }),
        }
      : {}),
  }));
}

function skipVerifyProposal(ctx: PlanContext): PlannedFix {
  const host = ctx.target.registry.name;
  const titleText = titled('fix.title.skipVerify', { host });
  return planOrBlock('hosts-toml-skip-verify', titleText, ctx, { kind: 'skip-verify' }, ({ actions, restart, notes }) => ({
    id: 'hosts-toml-skip-verify',
    ...titleText,
    where: 'node',
    restartRequired: restart,
    ...described('fix.desc.skipVerify', { host, also: alsoNotes(notes) }),
    manualSteps: actions.map(manualStepOf),
    actions,
  }));
}

function systemTrustProposal(ctx: PlanContext, caPem: string | undefined): PlannedFix {
  const host = ctx.target.registry.name;
  return {
    id: 'system-trust-store',
    ...titled('fix.title.systemTrust'),
    where: 'node',
    restartRequired: true,
    ...described('fix.desc.systemTrust', { host }),
    manualSteps: [
      `# ${caPem ? 'save the CA' : 'obtain the CA certificate'} as /usr/local/share/ca-certificates/regdoctor-${host.replace(/[:/]/g, '_')}.crt (Debian/Ubuntu) or /etc/pki/ca-trust/source/anchors/ (RHEL)`,
      'update-ca-certificates   # or: update-ca-trust',
      'systemctl restart containerd',
    ],
    actions: [],
  };
}

function reissueProposal(ctx: PlanContext, why: Message, extra: Message | '' = ''): PlannedFix {
  const host = ctx.target.registry.hostname;
  const isIp = /^[\d.]+$|:/.test(host);
  const san = isIp ? `IP:${host}` : `DNS:${host}`;
  return {
    id: 'reissue-server-certificate',
    ...titled('fix.title.reissue', { why }),
    where: 'registry-server',
    restartRequired: false,
    ...described('fix.desc.reissue', { host: ctx.target.registry.apiHost, extra }),
    manualSteps: [
      `openssl req -new -newkey rsa:2048 -nodes -keyout registry.key -subj "/CN=${host}" -addext "subjectAltName=${san}" -addext "extendedKeyUsage=serverAuth" -out registry.csr`,
      `openssl x509 -req -sha256 -days 365 -in registry.csr -CA ca.crt -CAkey ca.key -CAcreateserial -copy_extensions copy -out registry.crt`,
      'cat registry.crt intermediate.crt > registry-chain.crt   # serve the full chain (leaf first), without the root',
      '# point the registry at registry-chain.crt / registry.key and reload it',
    ],
    actions: [],
  };
}

/**
 * An action as a manual step: a shell line to paste — the command itself when it is one (restart, kubectl, a run,
 * CRI image removal), else a `# note` saying what to change (file contents are in the plan's diff).
 */
export function manualStepOf(a: FixAction): string {
  switch (a.kind) {
    case 'restart-runtime':
      return shellJoin(['systemctl', a.reload ? 'reload' : 'restart', a.service]);
    case 'run':
      return shellJoin(a.argv);
    case 'kubectl':
      return shellJoin(['kubectl', ...a.args]);
    case 'remove-image':
      return shellJoin(['crictl', ...(a.endpoint ? ['--runtime-endpoint', a.endpoint] : []), 'rmi', a.image]);
    case 'kube-create-secret':
    case 'kube-patch-sa':
      return describeCredentialAction(a);
    default:
      return `# ${describeAction(a)}`;
  }
}

/** describeAction as a catalogue message, for the fix screen in the reader's language (commands — systemctl,
 *  kubectl, credential steps — print as they are: undefined). Journals and manual steps keep describeAction's English. */
export function describeActionMessage(a: FixAction): Message | undefined {
  switch (a.kind) {
    case 'write-file':
      return msg('step.write', { path: a.path, mode: a.mode ? msg('step.mode', { mode: a.mode.toString(8) }) : '' });
    case 'copy-file':
      return msg('step.copy', { from: a.from, to: a.to });
    case 'edit-toml':
    case 'edit-yaml':
      return msg('step.edit', { path: a.path, what: a.descriptionMessage ?? a.description });
    case 'remove-file':
      return msg('step.remove', { path: a.path });
    case 'run':
      return msg('step.run', { command: a.argv.join(' ') });
    case 'docker-auth':
    case 'remove-image':
    case 'kube-create-secret':
      return describeCredentialActionMessage(a);
    default:
      return undefined;
  }
}

export function describeAction(a: FixAction): string {
  switch (a.kind) {
    case 'write-file':
      return `write ${a.path}${a.mode ? ` (mode ${a.mode.toString(8)})` : ''}`;
    case 'copy-file':
      return `copy ${a.from} to ${a.to}`;
    case 'edit-toml':
    case 'edit-yaml':
      return `edit ${a.path}: ${a.description}`;
    case 'remove-file':
      return `remove ${a.path}`;
    case 'run':
      return `run: ${a.argv.join(' ')}`;
    case 'restart-runtime':
      return `systemctl ${a.reload ? 'reload' : 'restart'} ${a.service}`;
    case 'kubectl':
      return `kubectl ${a.args.join(' ')}`;
    case 'docker-auth':
    case 'kube-create-secret':
    case 'kube-patch-sa':
    case 'remove-image':
      return describeCredentialAction(a);
  }
}

function presentedChain(ctx: PlanContext): ChainCert[] {
  return getFact(ctx.facts, 'cert-chain')?.certs ?? [];
}

function needCa(ctx: PlanContext, why: Message): PlannedFix {
  return {
    id: 'hosts-toml-ca',
    ...titled('fix.title.needCa', { host: ctx.target.registry.name }),
    where: 'node',
    restartRequired: false,
    ...described('fix.desc.needCa', { why, target: ctx.target.input }),
    manualSteps: [shellJoin(['regdoctor', 'fix', ctx.target.input, '--ca', './ca-bundle.crt'])],
    actions: [],
  };
}

function planSelfSigned(_finding: Finding, ctx: PlanContext): PlannedFix[] {
  const chain = presentedChain(ctx);
  const supplied = ctx.inputs.ca;
  const pem = supplied ?? chain[0]?.info.pem;
  if (!pem) return [needCa(ctx, msg('fix.needCa.unreadable'))];
  return [
    trustCaProposal(
      ctx,
      pem,
      supplied ? msg('fix.what.suppliedCa') : msg('fix.what.selfSigned'),
      'hosts-toml-ca',
      supplied ? undefined : chain[0],
    ),
    reissueProposal(ctx, msg('fix.why.useCa')),
    skipVerifyProposal(ctx),
    systemTrustProposal(ctx, pem),
  ];
}

function planUntrustedCa(_finding: Finding, ctx: PlanContext): PlannedFix[] {
  const chain = presentedChain(ctx);
  const supplied = ctx.inputs.ca;
  const root = chain.find((c) => c.info.isCA && c.info.selfIssued);
  const pem = supplied ?? root?.info.pem;
  const first = pem
    ? trustCaProposal(
        ctx,
        pem,
        supplied ? msg('fix.what.suppliedCa') : msg('fix.what.itsCa', { subject: String(root?.info.subject.display) }),
        'hosts-toml-ca',
        supplied ? undefined : root,
      )
    : needCa(ctx, msg('fix.needCa.noRoot', { issuer: chain[chain.length - 1]?.info.issuer.display ?? 'unknown' }));
  return [first, skipVerifyProposal(ctx), systemTrustProposal(ctx, pem)];
}

function planIncompleteChain(_finding: Finding, ctx: PlanContext): PlannedFix[] {
  const chain = presentedChain(ctx);
  const supplied = ctx.inputs.ca;
  const nodeSide = supplied
    ? trustCaProposal(ctx, supplied, msg('fix.what.suppliedBundle'), 'hosts-toml-ca-bundle')
    : needCa(ctx, msg('fix.needCa.noIntermediate', { issuer: chain[0]?.info.issuer.display ?? 'unknown' }));
  return [reissueProposal(ctx, msg('fix.why.serveIntermediate'), msg('fix.desc.reissueBundled')), nodeSide, skipVerifyProposal(ctx)];
}

function planHostnameMismatch(finding: Finding, ctx: PlanContext): PlannedFix[] {
  return [
    reissueProposal(
      ctx,
      finding.code === 'legacy-common-name' ? msg('fix.why.addSans') : msg('fix.why.addSan', { host: ctx.target.registry.hostname }),
    ),
    skipVerifyProposal(ctx),
  ];
}

function planExpired(finding: Finding, ctx: PlanContext): PlannedFix[] {
  return [
    reissueProposal(
      ctx,
      finding.code === 'expired' ? msg('fix.why.renew') : msg('fix.why.checkClock'),
      finding.code === 'not-yet-valid' ? msg('fix.desc.reissueClock') : '',
    ),
    skipVerifyProposal(ctx),
  ];
}

function planInsecureSignature(finding: Finding, ctx: PlanContext): PlannedFix[] {
  return [
    reissueProposal(ctx, finding.code === 'insecure-signature' ? msg('fix.why.sha256') : msg('fix.why.serverAuth')),
    skipVerifyProposal(ctx),
  ];
}

function planPlainHttpRegistry(finding: Finding, ctx: PlanContext): PlannedFix[] {
  const host = ctx.target.registry.name;
  // node-hygiene's warning: HTTP already works there; the remedy is TLS on the registry, not an http:// entry
  if (finding.source === 'node-hygiene') return [];
  const titleText = titled('fix.title.plainHttp', { host });
  return [
    planOrBlock('hosts-toml-http', titleText, ctx, { kind: 'http' }, ({ actions, restart, notes }) => ({
      id: 'hosts-toml-http',
      ...titleText,
      where: 'node',
      restartRequired: restart,
      ...described('fix.desc.plainHttp', { also: alsoNotes(notes) }),
      manualSteps: actions.map(manualStepOf),
      actions,
    })),
  ];
}

function planClientCertRequired(finding: Finding, ctx: PlanContext): PlannedFix[] {
  const host = ctx.target.registry.name;
  if (!ctx.inputs.clientCert || !ctx.inputs.clientKey) {
    return [
      {
        id: 'hosts-toml-client',
        ...titled('fix.title.clientCert', { host }),
        where: 'node',
        restartRequired: false,
        ...described('fix.desc.clientCertNeeded', {
          issuedBy: (finding.data?.acceptableCAs as string[] | undefined)?.length
            ? msg('fix.desc.issuedBy', { cas: (finding.data!.acceptableCAs as string[]).join('; ') })
            : '',
          target: ctx.target.input,
        }),
        manualSteps: [shellJoin(['regdoctor', 'fix', ctx.target.input, '--client-cert', './node.crt', '--client-key', './node.key'])],
        actions: [],
      },
    ];
  }
  const h = short(ctx.inputs.clientCert);
  const change: Change = {
    kind: 'client',
    cert: `regdoctor-client-${h}.pem`,
    key: `regdoctor-client-${h}-key.pem`,
    certPem: ctx.inputs.clientCert,
    keyPem: ctx.inputs.clientKey,
  };
  const titleText = titled('fix.title.clientPair', { host });
  return [
    planOrBlock('hosts-toml-client', titleText, ctx, change, ({ actions, restart, notes }) => ({
      id: 'hosts-toml-client',
      ...titleText,
      where: 'node',
      restartRequired: restart,
      ...described('fix.desc.clientPair', { host, also: alsoNotes(notes) }),
      manualSteps: actions.map(manualStepOf),
      actions,
    })),
  ];
}

function planConfigConflict(finding: Finding, ctx: PlanContext): PlannedFix[] {
  const supplied = ctx.inputs.ca;
  const cfg = configFacts(ctx);
  // a host directory containerd never reads (certs.d/<host>/ for <host>:<port>): the move is the fix; with a CA
  // supplied (--ca), the same trust written where containerd reads it
  const move = finding.code === 'config-ignored' && typeof finding.data?.move === 'string' ? finding.data.move : undefined;
  if (move) {
    const manual: PlannedFix = {
      id: 'move-host-dir',
      ...titled('fix.title.moveDir', { dir: String(finding.data?.readDir) }),
      where: 'node',
      restartRequired: false,
      ...described('fix.desc.moveDir'),
      manualSteps: [move],
      actions: [],
    };
    return supplied ? [trustCaProposal(ctx, supplied, msg('fix.what.suppliedCa')), manual] : [manual];
  }
  // containerd 2.1+'s transfer service reads a config_path list as one directory: name the directory that holds the
  // host's hosts.toml (containerd reads config_path only at start)
  if (finding.code === 'config-ignored' && finding.data?.transferIgnored === true && typeof finding.data.singleDir === 'string') {
    const root = finding.data.singleDir;
    const table = Array.isArray(finding.data.table) ? finding.data.table.map(String) : cfg?.registryTable;
    // where config_path takes effect: the run's facts (an import may override config.toml), else the finding's file
    const at: ConfigPathAt = cfg?.configPathEdit ?? {
      file: typeof finding.data.configFile === 'string' ? finding.data.configFile : (cfg?.file ?? '/etc/containerd/config.toml'),
      table,
    };
    const edit = singleConfigPathEdit({ ...at, table: at.table ?? table }, root, versionOf(ctx));
    return [
      {
        id: 'single-config-path',
        ...titled('fix.title.singleConfigPath', { dir: root }),
        where: 'node',
        restartRequired: true,
        ...described('fix.desc.singleConfigPath'),
        manualSteps: [manualStepOf(edit), 'systemctl restart containerd'],
        actions: [edit, { kind: 'restart-runtime', service: 'containerd' }],
      },
    ];
  }
  if (finding.code === 'config-conflict' || /config_path/.test(finding.summary)) {
    let pre: FixAction[];
    try {
      const root = cfg?.registrySummary.configPath !== undefined ? firstListedDir(cfg.registrySummary.configPath) : CERTS_D;
      const l = legacyPre(ctx, root);
      pre = [...l.pre, ...l.configEdits];
    } catch (err) {
      if (err instanceof HostNameError || err instanceof MigrationError)
        return [blockedProposal('migrate-to-config-path', titled('fix.title.migrateLegacy'), err)];
      throw err;
    }
    return [
      {
        id: 'migrate-to-config-path',
        ...titled('fix.title.migrateLegacy'),
        where: 'node',
        restartRequired: true,
        ...described('fix.desc.migrateLegacy'),
        manualSteps: [...pre.map(manualStepOf), 'systemctl restart containerd'],
        actions: [...pre, { kind: 'restart-runtime', service: 'containerd' }],
      },
    ];
  }
  // settings this containerd does not read, and no exact change planned for them: show what it reads instead
  return [
    {
      id: 'manual-config-ignored',
      ...titled('fix.title.moveIgnored'),
      where: 'node',
      restartRequired: false,
      ...described('fix.desc.moveIgnored', { summary: finding.summaryMessage ?? finding.summary }),
      manualSteps: [
        'containerd config dump | grep -n -A3 registry',
        shellJoin(['ls', '-la', `${CERTS_D}/${ctx.target.registry.name}`, `${CERTS_D}/_default`]),
      ],
      actions: [],
    },
  ];
}

function planConfigNotApplied(_finding: Finding, _ctx: PlanContext): PlannedFix[] {
  return [
    {
      id: 'restart-runtime',
      ...titled('fix.title.restart'),
      where: 'node',
      restartRequired: true,
      ...described('fix.desc.restart'),
      manualSteps: ['systemctl restart containerd'],
      actions: [{ kind: 'restart-runtime', service: 'containerd' }],
    },
  ];
}

function planNotFound(finding: Finding, ctx: PlanContext): PlannedFix[] {
  return [
    {
      id: 'check-image',
      ...titled(finding.code === 'not-found' ? 'fix.title.checkImage' : 'fix.title.platform'),
      where: 'cluster',
      restartRequired: false,
      ...described('fix.desc.staleCopy'),
      manualSteps: [
        `${shellJoin(['crictl', 'rmi', ctx.target.image?.normalized ?? ctx.target.input])}   # drop a stale cached copy on this node`,
        'kubectl get pods -o wide   # compare nodes that pull and nodes that fail',
      ],
      actions: [],
    },
  ];
}

function planDns(_finding: Finding, ctx: PlanContext): PlannedFix[] {
  return [
    {
      id: 'fix-dns',
      ...titled('fix.title.dns'),
      where: 'node',
      restartRequired: false,
      ...described('fix.desc.dns'),
      manualSteps: [
        shellJoin(['getent', 'hosts', ctx.target.registry.hostname]),
        'cat /etc/resolv.conf',
        '# check the cluster DNS / corporate resolver records for the registry',
      ],
      actions: [],
    },
  ];
}

function planConnectionRefused(_finding: Finding, ctx: PlanContext): PlannedFix[] {
  return [
    {
      id: 'check-network',
      ...titled('fix.title.connect'),
      where: 'registry-server',
      restartRequired: false,
      ...described('fix.desc.connect'),
      manualSteps: [
        shellJoin(['curl', '-v', `https://${ctx.target.registry.apiHost}/v2/`]),
        '# check security groups / firewalls between the node and the registry',
        '# check that the registry process is up and listens on this port',
      ],
      actions: [],
    },
  ];
}

/** A code without a node-side change regdoctor can make: an explicit manual answer (one runnable command per entry). */
interface ManualAnswer {
  title: string;
  titleMessage?: Message;
  description: string;
  descriptionMessage?: Message;
  where: FixProposal['where'];
  steps: (ctx: PlanContext) => string[];
}

/** Every cause has an entry: a planner (proposals as data) or a manual answer. The compiler catches a missing one. */
export type PlanEntry = { plan: (finding: Finding, ctx: PlanContext) => PlannedFix[] } | { manual: ManualAnswer };

const reg = (ctx: PlanContext) => ctx.target.registry;
const image = (ctx: PlanContext) => ctx.target.image?.normalized ?? ctx.target.input;
/** `fix --harden` verifies with a real pull: the image, or the registry with placeholders to fill in. */
const hardenImage = (ctx: PlanContext) => (ctx.target.image ? ctx.target.input : `${ctx.target.registry.name}/REPOSITORY:TAG`);

const TRUST_PLANNERS = {
  expired: { plan: planExpired },
  'not-yet-valid': { plan: planExpired },
  'hostname-mismatch': { plan: planHostnameMismatch },
  'ip-san-missing': { plan: planHostnameMismatch },
  'legacy-common-name': { plan: planHostnameMismatch },
  'self-signed': { plan: planSelfSigned },
  'untrusted-ca': { plan: planUntrustedCa },
  'incomplete-chain': { plan: planIncompleteChain },
  'insecure-signature': { plan: planInsecureSignature },
  'incompatible-key-usage': { plan: planInsecureSignature },
  'client-cert-required': { plan: planClientCertRequired },
  'tls-interception': {
    manual: {
      ...titled('fix.title.interception'),
      ...described('fix.desc.interception'),
      where: 'node',
      steps: (ctx) => [
        shellJoin(['openssl', 's_client', '-connect', reg(ctx).apiHost, '-servername', reg(ctx).hostname, '-showcerts']),
        shellJoin(['regdoctor', 'fix', ctx.target.input, '--ca', '<proxy-ca.pem>']),
      ],
    },
  },
  'certificate-expiring': {
    manual: {
      ...titled('fix.title.renew'),
      ...described('fix.desc.renew'),
      where: 'registry-server',
      steps: (ctx) => [
        `${shellJoin(['openssl', 's_client', '-connect', reg(ctx).apiHost, '-servername', reg(ctx).hostname])} </dev/null | openssl x509 -noout -enddate`,
        '# renew the certificate with your CA, then reload the registry',
      ],
    },
  },
  'verification-disabled': {
    manual: {
      ...titled('fix.title.verifyBackOn'),
      ...described('fix.desc.verifyBackOn'),
      where: 'node',
      // fix --harden (src/fix/harden.ts): trust added and verified by a real pull before skip-verify goes
      steps: (ctx) => [
        shellJoin(['grep', '-rn', 'skip_verify', `${CERTS_D}/${reg(ctx).name}`, '/etc/containerd/config.toml']),
        shellJoin(['regdoctor', 'fix', '--harden', hardenImage(ctx), '--dry-run']),
        shellJoin(['regdoctor', 'fix', '--harden', hardenImage(ctx), '--ca', './registry-ca.pem']),
      ],
    },
  },
} satisfies Partial<Record<CauseCode, PlanEntry>>;

const TRANSPORT_PLANNERS = {
  dns: { plan: planDns },
  'connection-refused': { plan: planConnectionRefused },
  timeout: { plan: planConnectionRefused },
  'plain-http-registry': { plan: planPlainHttpRegistry },
  proxy: {
    manual: {
      ...titled('fix.title.noProxy'),
      ...described('fix.desc.noProxy'),
      where: 'node',
      steps: (ctx) => [
        'systemctl show containerd --property=Environment',
        'systemctl edit containerd   # add: [Service] Environment="NO_PROXY=<existing-list>,' + reg(ctx).hostname + '"',
        'systemctl restart containerd',
      ],
    },
  },
  'http-client-to-https-server': {
    manual: {
      ...titled('fix.title.useHttps'),
      ...described('fix.desc.useHttps'),
      where: 'node',
      steps: (ctx) => [
        shellJoin(['grep', '-rn', `http://${reg(ctx).name}`, CERTS_D, '/etc/containerd/config.toml']),
        `# edit that entry: https://${reg(ctx).name}`,
      ],
    },
  },
  'tls-handshake-failed': {
    manual: {
      ...titled('fix.title.handshake'),
      ...described('fix.desc.handshake'),
      where: 'registry-server',
      steps: (ctx) => [
        shellJoin(['openssl', 's_client', '-connect', reg(ctx).apiHost, '-servername', reg(ctx).hostname, '-tls1_2']),
        shellJoin(['openssl', 's_client', '-connect', reg(ctx).apiHost, '-servername', reg(ctx).hostname, '-tls1_3']),
      ],
    },
  },
} satisfies Partial<Record<CauseCode, PlanEntry>>;

const CONFIG_PLANNERS = {
  'config-conflict': { plan: planConfigConflict },
  'config-ignored': { plan: planConfigConflict },
  'mirror-failing': { plan: planMirrorFailing },
  'config-not-applied': { plan: planConfigNotApplied },
  'config-invalid': {
    manual: {
      ...titled('fix.title.repairConfig'),
      ...described('fix.desc.repairConfig'),
      where: 'node',
      steps: () => ['containerd config dump >/dev/null', 'journalctl -u containerd --since -10min', 'systemctl restart containerd'],
    },
  },
  'runtime-unavailable': {
    manual: {
      ...titled('fix.title.runtimeBack'),
      ...described('fix.desc.runtimeBack'),
      where: 'node',
      steps: () => ['systemctl status containerd', 'journalctl -u containerd --since -10min', 'systemctl restart containerd'],
    },
  },
  'config-deprecated': {
    manual: {
      ...titled('fix.title.migrateDeprecated'),
      ...described('fix.desc.migrateDeprecated'),
      where: 'node',
      steps: (ctx) => [shellJoin(['regdoctor', 'fix', '--harden', hardenImage(ctx), '--dry-run'])],
    },
  },
} satisfies Partial<Record<CauseCode, PlanEntry>>;

const CREDENTIAL_PLANNERS = {
  'credentials-missing': { plan: planCredentials },
  'credentials-mismatch': { plan: planCredentials },
  unauthorized: { plan: planCredentials },
  'credentials-exposed': {
    manual: {
      ...titled('fix.title.chmod'),
      ...described('fix.desc.chmod'),
      where: 'node',
      steps: () => ['chmod 600 /var/lib/kubelet/config.json /root/.docker/config.json', 'chown root:root /var/lib/kubelet/config.json'],
    },
  },
  'rate-limited': {
    manual: {
      ...titled('fix.title.rateLimit'),
      ...described('fix.desc.rateLimit'),
      where: 'cluster',
      steps: (ctx) => [
        `kubectl -n <namespace> create secret docker-registry regcred ${shellJoin([`--docker-server=${reg(ctx).name}`])} --docker-username=<user> --docker-password=<password>`,
        `kubectl -n <namespace> patch serviceaccount default -p '{"imagePullSecrets":[{"name":"regcred"}]}'`,
      ],
    },
  },
} satisfies Partial<Record<CauseCode, PlanEntry>>;

const UNKNOWN_MANUAL: ManualAnswer = {
  ...titled('fix.title.finishFirst'),
  ...described('fix.desc.finishFirst'),
  where: 'node',
  steps: (ctx) => [shellJoin(['regdoctor', 'diagnose', ctx.target.input, '--timeout', '60000'])],
};

const CLUSTER_PLANNERS = {
  'not-found': { plan: planNotFound },
  'platform-mismatch': { plan: planNotFound },
  'kube-access': {
    manual: {
      ...titled('fix.title.kubeAccess'),
      ...described('fix.desc.kubeAccess'),
      where: 'cluster',
      steps: () => [
        'kubectl config current-context',
        'kubectl auth can-i get pods -n <namespace>',
        'kubectl auth can-i get secrets -n <namespace>',
      ],
    },
  },
  unknown: {
    // a real pull failing in the runtime's own image store: drop the broken cached copy (credentials-cache.ts)
    plan: (finding, ctx) => [
      ...[removeCachedImageProposal(finding, ctx)].filter((p) => p !== undefined),
      manualProposal('unknown', UNKNOWN_MANUAL, ctx),
    ],
  },
  healthy: {
    manual: {
      ...titled('fix.title.nothing'),
      ...described('fix.desc.nothing'),
      where: 'node',
      steps: (ctx) => [shellJoin(['crictl', 'pull', image(ctx)])],
    },
  },
} satisfies Partial<Record<CauseCode, PlanEntry>>;

/** The exhaustive table: a cause code missing here (or in two families) does not compile. */
export const PLANNERS: Record<CauseCode, PlanEntry> = {
  ...TRUST_PLANNERS,
  ...TRANSPORT_PLANNERS,
  ...CONFIG_PLANNERS,
  ...CREDENTIAL_PLANNERS,
  ...CLUSTER_PLANNERS,
};

/** The manual answer as a proposal: nothing to apply, its commands listed one per step. */
export function manualProposal(code: CauseCode, m: ManualAnswer, ctx: PlanContext): PlannedFix {
  return {
    id: `manual-${code}`,
    title: m.title,
    ...(m.titleMessage ? { titleMessage: m.titleMessage } : {}),
    where: m.where,
    restartRequired: false,
    description: m.description,
    ...(m.descriptionMessage ? { descriptionMessage: m.descriptionMessage } : {}),
    manualSteps: m.steps(ctx),
    actions: [],
  };
}

/** Ranked proposals for one finding, safest first: the risk of each is computed from what it does (src/fix/risk.ts). */
export function proposeFixes(finding: Finding, ctx: PlanContext): FixProposal[] {
  const entry = PLANNERS[finding.code];
  return safestFirst('plan' in entry ? entry.plan(finding, ctx) : [manualProposal(finding.code, entry.manual, ctx)]);
}
