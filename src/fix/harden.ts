// `regdoctor fix --harden <image>`: replaces the workaround a working setup relies on (skip-verify, legacy
// config.toml tables) with the safe equivalent, in stages the fix command applies one after another, each verified
// by a real pull before the next one starts (and all rolled back when one fails):
//   1. the safe replacement is added while the workaround stays: the CA that signs the registry's chain is installed
//      for this host only (hosts.toml `ca`); on a legacy node the legacy tables move to hosts.toml exactly — with
//      skip_verify still set — together with config_path (restart);
//   2. only then the workaround goes: skip_verify is removed from the host's entries (hosts.toml is re-read on every
//      pull, no restart).
// The CA must verify the presented chain by Go's rules before anything is planned (--ca), or be the certificate the
// registry presented, named by its SHA-256 fingerprint (--trust-presented / a confirmation on a terminal).
// Data only: nothing here touches the node.
import { createHash } from 'node:crypto';
import type { Finding, FixAction, Target, TomlEdit } from '../core/types.js';
import { getFact, type Facts } from '../core/facts.js';
import type { EffectiveEndpoint } from '../core/runtime-config.js';
import { DEFAULT_GO_VERSION } from '../goverify/defaults.js';
import { HostNameError } from './host-names.js';
import { renderHostsToml, urlHost, type HostSettings, type HostsModel } from './hosts-toml.js';
import { MigrationError, migrateLegacy } from './legacy-migration.js';
import { checkSuppliedCa, presentedCert, type PresentedCert } from './trust-check.js';
import { shellJoin } from '../text/shell.js';
import { described, messageIn, msg, titled, type Message } from '../i18n/index.js';
import { caDoesNotSign } from './node-plan.js';
import { actionText, joinComma, joinSaid, saidEnglish, type Said } from './errors.js';

const CERTS_D = '/etc/containerd/certs.d';

export interface HardenInputs {
  /** PEM supplied with --ca. */
  ca?: string;
  caSource?: string;
}

export interface HardenContext {
  target: Target;
  facts: Facts;
  findings: readonly Finding[];
  inputs: HardenInputs;
  /** The registry table config.toml is read from (as parsed), to see every sub-table of `configs."<host>"`. */
  registryTable?: Record<string, unknown>;
  /** Which of the planner's directories exist (node path → listing, null = absent). */
  dirs?: Record<string, string[] | null>;
  now: Date;
}

export interface HardenStage {
  id: 'harden-add-trust' | 'harden-migrate' | 'harden-verify-on';
  /** English; `titleMessage` / `descriptionMessage` are the same for the reader's language. */
  title: string;
  titleMessage: Message;
  description: string;
  descriptionMessage: Message;
  actions: FixAction[];
  restart: boolean;
  /** This stage removes a workaround (skip-verify): it runs only after the stages before it verified. */
  removesWorkaround: boolean;
}

export type HardenPlan =
  | {
      kind: 'plan';
      host: string;
      stages: HardenStage[];
      notes: Message[];
      /** The certificate the network presented that stage 1 installs (trust on first use: needs its fingerprint). */
      presented?: PresentedCert;
      /** Endpoints of this host whose skip-verify the plan removes. */
      skipVerifyUrls: string[];
      /** Warnings that stay (what harden does not change automatically), one line each. */
      left: Message[];
    }
  /** `reason` English; `said` the same for the reader's language. */
  | { kind: 'blocked'; reason: string; said: Said; manualSteps: string[] }
  | { kind: 'nothing'; reason: string; said: Said };

const isTable = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const short = (pem: string) => createHash('sha256').update(pem).digest('hex').slice(0, 12);
const dirOf = (p: string) => p.slice(0, p.lastIndexOf('/')) || '/';

/** The TOML table of a hosts.toml endpoint: [] for the `server` entry, ['host', url] for a [host."…"] table. */
export function endpointTable(e: EffectiveEndpoint): string[] | undefined {
  const m = e.source.match(/ \[host\."(.*)"\]$/);
  if (m) return ['host', m[1]!];
  if (/ server$/.test(e.source)) return [];
  return undefined;
}

function blocked(said: Said, manualSteps: string[] = []): HardenPlan {
  return { kind: 'blocked', reason: saidEnglish(said), said, manualSteps };
}

/** `[host."url"]` or "the server entry": the hosts.toml entry a table path names. */
const entryOf = (t: string[]): Said => (t.length ? `[host."${t[1]}"]` : msg('fix.harden.serverEntry'));

/** Removes `skip_verify` from the model entries of `apiHost` (root when the server is that host); returns the URLs. */
function withoutSkip(model: HostsModel, apiHost: string): { model: HostsModel; tables: string[][] } {
  const m = structuredClone(model);
  const tables: string[][] = [];
  if (m.root.skip_verify && (m.server === undefined || urlHost(m.server) === apiHost)) tables.push([]);
  for (const h of m.hosts) if (h.settings.skip_verify && urlHost(h.url) === apiHost) tables.push(['host', h.url]);
  return { model: m, tables };
}

function addCa(s: HostSettings, name: string): HostSettings {
  return { ...s, ca: [...(s.ca ?? []).filter((c) => c !== name), name] };
}

/** Plans the stages for the target's warnings (verification-disabled, config-deprecated). */
export function planHarden(ctx: HardenContext): HardenPlan {
  const cfg = getFact(ctx.facts, 'containerd-config');
  const hyg = getFact(ctx.facts, 'node-hygiene');
  const registry = ctx.target.registry.name;
  const apiHost = ctx.target.registry.apiHost.toLowerCase();
  if (!cfg) return blocked(msg('fix.harden.noConfig'));
  if (cfg.k3s) return blocked(msg('fix.harden.k3s', { flavour: cfg.k3s.flavour, registry }));
  if (!hyg) return blocked(msg('fix.harden.noHygiene'));
  const legacyNode = !cfg.effective.configPath?.length;
  const notes: Message[] = [];
  const left: Message[] = [];

  // ---- skip-verify in effect for this host, and what to trust instead
  const skipEps = cfg.effective.endpoints.filter((e) => e.tls.skipVerify && (e.scheme === 'https' || e.httpFallback));
  const mine = skipEps.filter((e) => e.host.toLowerCase() === apiHost);
  for (const e of skipEps.filter((x) => !mine.includes(x))) left.push(msg('fix.harden.mirrorStays', { host: e.host, source: e.source }));
  const judged = hyg.skipVerify.find((s) => mine.some((e) => e.url === s.url) && s.certificate);
  let caPem: string | undefined;
  let caWhatMsg: Message | undefined;
  let presented: PresentedCert | undefined;
  if (mine.length) {
    if (!judged) return blocked(msg('fix.harden.notExamined', { host: apiHost }));
    const chainFacts = getFact(ctx.facts, 'cert-chain');
    const chain = chainFacts?.certs ?? [];
    switch (judged.certificate) {
      case 'name-mismatch':
      case 'other':
        return blocked(msg('fix.harden.reissueFirst', { error: judged.goMessage ?? msg('fix.harden.certProblem') }), [
          `openssl s_client -connect ${apiHost} -servername ${ctx.target.registry.apiHostname} </dev/null | openssl x509 -noout -subject -ext subjectAltName`,
        ]);
      case 'verifies':
        notes.push(msg('fix.harden.alreadyVerifies', { host: apiHost }));
        break;
      default: {
        if (ctx.inputs.ca) {
          const hs = getFact(ctx.facts, 'tls-handshake');
          const gv = getFact(ctx.facts, 'go-verify');
          const r = checkSuppliedCa({
            chain: chain.map((c) => c.info),
            pool: (chainFacts?.pool ?? []).map((t) => t.cert),
            serverName: hs?.serverName ?? ctx.target.registry.apiHostname,
            caPem: ctx.inputs.ca,
            goVersion: gv?.goVersion ?? DEFAULT_GO_VERSION,
            now: ctx.now,
          });
          if (!r.ok) return blocked(msg('fix.harden.nothingPlanned', { problem: caDoesNotSign(r.said ?? r.message, ctx.inputs.caSource) }));
          caPem = ctx.inputs.ca;
          caWhatMsg = msg('fix.harden.what.supplied', {
            source: ctx.inputs.caSource ? msg('fix.harden.what.source', { file: ctx.inputs.caSource }) : '',
          });
        } else {
          const cert = judged.trustSha256 ? chain.find((c) => c.info.sha256 === judged.trustSha256) : undefined;
          if (!cert?.info.pem || !cert.info.notBefore || !cert.info.notAfter)
            return blocked(msg('fix.harden.noCaSent'), [
              shellJoin(['regdoctor', 'fix', '--harden', ctx.target.input, '--ca', './registry-ca.pem']),
            ]);
          caPem = cert.info.pem;
          presented = presentedCert({
            ...cert.info,
            sha256: cert.info.sha256,
            notBefore: cert.info.notBefore,
            notAfter: cert.info.notAfter,
          });
          caWhatMsg =
            judged.certificate === 'self-signed'
              ? msg('fix.harden.what.selfSigned')
              : msg('fix.what.itsCa', { subject: presented.subject });
        }
      }
    }
  }
  const caName = caPem ? `regdoctor-ca-${short(caPem)}.pem` : undefined;
  // English in the planned steps (journal, --json); the message for the reader's language
  const caWhat = caWhatMsg ? messageIn('en', caWhatMsg) : '';
  const what: Said = caWhatMsg ?? '';

  // ---- legacy tables of this host
  const deprecated = hyg.deprecated;
  if (deprecated.some((d) => d.endsWith('.auth') || d.startsWith('auths.')))
    left.push(
      msg('fix.harden.credentialsStay', { tables: deprecated.filter((d) => d.endsWith('.auth') || d.startsWith('auths.')).join(', ') }),
    );
  const legacyToMigrate = legacyNode && deprecated.some((d) => d.startsWith('mirrors.') || d.endsWith('.tls'));
  if (!mine.length && !legacyToMigrate) return left.length ? blocked(joinSaid(left)) : nothing(msg('fix.harden.nothing', { registry }));

  const stages: HardenStage[] = [];
  const skipVerifyUrls = mine.map((e) => e.url);
  if (legacyNode) {
    // ---- legacy node: stage 1 migrates every legacy entry exactly (skip_verify kept) and adds the CA; restart
    if (!legacyToMigrate) return blocked(msg('fix.harden.unknownSource', { host: apiHost, source: mine[0]!.source }));
    const raw = cfg.legacyTables;
    const exists = (dir: string) => {
      const l = ctx.dirs?.[dir];
      return l !== undefined && l !== null;
    };
    let m;
    try {
      m = migrateLegacy(raw, CERTS_D, cfg.containerdVersion, exists);
    } catch (err) {
      if (err instanceof MigrationError || err instanceof HostNameError) return blocked(err.said ?? err.message);
      throw err;
    }
    const own = m.hosts.find((h) => h.key === registry) ?? m.hosts.find((h) => h.key === apiHost);
    const pre: FixAction[] = [];
    let ownFile: string | undefined;
    let removeSkip: string[][] = [];
    for (const h of m.hosts) {
      let model = h.model;
      if (h === own) {
        ownFile = `${h.dir}/hosts.toml`;
        removeSkip = mine.length ? withoutSkip(model, apiHost).tables : [];
        if (caName) {
          model = structuredClone(model);
          if (removeSkip.some((t) => t.length === 0)) model.root = addCa(model.root, caName);
          for (const x of model.hosts) if (removeSkip.some((t) => t[1] === x.url)) x.settings = addCa(x.settings, caName);
          pre.push({
            kind: 'write-file',
            path: `${h.dir}/${caName}`,
            content: caPem!,
            mode: 0o644,
            description: `install ${caWhat} for ${registry} only`,
          });
        }
      }
      pre.push({
        kind: 'write-file',
        path: `${h.dir}/hosts.toml`,
        content: renderHostsToml(model),
        mode: 0o644,
        description: h === own ? `${h.note}${caName ? `, trusting ${caName}` : ''}` : h.note,
      });
    }
    if (mine.length && (!ownFile || removeSkip.length === 0)) return blocked(msg('fix.harden.noMigrate', { host: apiHost, registry }));
    // configs."<key>": drop the whole table when it holds nothing containerd reads besides tls (e.g. the `http`
    // sub-table of the runbook, a key containerd does not have); keep auth
    const configs = isTable(ctx.registryTable?.configs) ? (ctx.registryTable!.configs as Record<string, unknown>) : {};
    const removeTables = m.removeTables.map((t) => {
      if (t[0] !== 'configs') return t;
      const c = configs[t[1]!];
      const keys = isTable(c) ? Object.keys(c) : [];
      return keys.every((k) => k === 'tls' || k === 'http') ? ['configs', t[1]!] : t;
    });
    for (const key of [registry, apiHost]) {
      const c = configs[key];
      if (isTable(c) && isTable(c.http) && !removeTables.some((t) => t[0] === 'configs' && t[1] === key)) {
        removeTables.push(['configs', key, 'http']);
        notes.push(msg('fix.harden.httpRemoved', { table: `configs."${key}".http` }));
      }
    }
    const table = cfg.registryTable.length ? cfg.registryTable : ['plugins', 'io.containerd.grpc.v1.cri', 'registry'];
    const edit: TomlEdit = { table, set: { config_path: CERTS_D }, removeTables };
    // with imports: the one file where config_path and the migrated tables take effect (registryEditFile: containerd 1.x
    // reads an import's plugin section wholesale); settings merged from several files (2.x) are not edited here
    const configFile = cfg.configPathEdit?.file ?? cfg.file;
    const spread = [...new Set([configFile, ...(cfg.legacyTableFiles ?? []).flatMap((t) => t.files)])];
    if (spread.length > 1) return blocked(msg('fix.harden.spread', { files: spread.join(', '), version: cfg.containerdVersion }));
    const kept = mine.length ? msg('fix.harden.kept') : '';
    stages.push({
      id: caName ? 'harden-add-trust' : 'harden-migrate',
      ...(caName ? titled('fix.harden.title.trustMove', { what, registry, kept }) : titled('fix.harden.title.move', { kept })),
      ...described('fix.harden.desc.migrate', {
        dir: CERTS_D,
        skip: mine.length ? msg('fix.harden.skipIncluded') : '',
        installs: caName ? msg('fix.harden.installs', { what, name: caName, registry }) : '',
        file: configFile,
      }),
      actions: [
        ...pre,
        {
          kind: 'edit-toml',
          path: configFile,
          edit,
          ...actionText(
            msg('fix.act.setConfigPathRemoveList', {
              root: CERTS_D,
              tables: removeTables.map((t) => t.map((p) => (p.includes('.') || p.includes(':') ? `"${p}"` : p)).join('.')).join(', '),
            }),
          ),
        },
        { kind: 'restart-runtime', service: 'containerd', description: 'containerd reads config_path only at start' },
      ],
      restart: true,
      removesWorkaround: false,
    });
    notes.push(...m.notes);
    if (mine.length)
      stages.push({
        id: 'harden-verify-on',
        ...titled('fix.harden.title.verifyOn', { host: apiHost }),
        ...described('fix.harden.desc.verifyOnEntries', { file: ownFile!, entries: joinComma(removeSkip.map(entryOf)) }),
        actions: removeSkip.map((t) => ({
          kind: 'edit-toml' as const,
          path: ownFile!,
          edit: { table: t, remove: ['skip_verify'] },
          ...actionText(msg('fix.act.removeSkip', { entry: entryOf(t) })),
        })),
        restart: false,
        removesWorkaround: true,
      });
  } else {
    // ---- hosts.toml node: add the CA beside skip_verify, then remove skip_verify
    const file = cfg.effective.hostsFile;
    if (!file || !mine.every((e) => e.source.startsWith(`${file} `)))
      return blocked(msg('fix.harden.notOneFile', { host: apiHost, sources: mine.map((e) => e.source).join('; ') }));
    if (dirOf(file).endsWith('/_default'))
      return blocked(msg('fix.harden.default', { file, registry, command: `regdoctor fix ${ctx.target.input} --ca FILE` }));
    const tables = mine.map(endpointTable);
    if (tables.some((t) => t === undefined)) return blocked(msg('fix.harden.whichTable', { file }));
    const uniq = [...new Map(tables.map((t) => [JSON.stringify(t), t!])).values()];
    if (caName)
      stages.push({
        id: 'harden-add-trust',
        ...titled('fix.harden.title.addTrust', { what, registry }),
        ...described('fix.harden.desc.addTrust', { what, file: `${dirOf(file)}/${caName}` }),
        actions: [
          {
            kind: 'write-file',
            path: `${dirOf(file)}/${caName}`,
            content: caPem!,
            mode: 0o644,
            description: `install ${caWhat} for ${registry} only`,
          },
          ...uniq.map((t) => ({
            kind: 'edit-toml' as const,
            path: file,
            edit: { table: t, append: { ca: [caName] } },
            ...actionText(msg('fix.act.addCa', { name: caName, entry: entryOf(t) })),
          })),
        ],
        restart: false,
        removesWorkaround: false,
      });
    stages.push({
      id: 'harden-verify-on',
      ...titled('fix.harden.title.verifyOn', { host: apiHost }),
      ...described('fix.harden.desc.verifyOn', { file }),
      actions: uniq.map((t) => ({
        kind: 'edit-toml' as const,
        path: file,
        edit: { table: t, remove: ['skip_verify'] },
        ...actionText(msg('fix.act.removeSkip', { entry: entryOf(t) })),
      })),
      restart: false,
      removesWorkaround: true,
    });
  }
  return { kind: 'plan', host: registry, stages, notes, ...(presented ? { presented } : {}), skipVerifyUrls, left };
}

function nothing(said: Message): HardenPlan {
  return { kind: 'nothing', reason: messageIn('en', said), said };
}

/** Directories whose existence the legacy migration must know (a host directory already there is refused). */
export function hardenDirs(ctx: Pick<HardenContext, 'facts'>): string[] {
  const cfg = getFact(ctx.facts, 'containerd-config');
  const keys = [...Object.keys(cfg?.legacyTables.mirrors ?? {}), ...Object.keys(cfg?.legacyTables.configs ?? {})];
  const out: string[] = [];
  for (const k of keys) {
    const m = k.match(/^(.+):(\d+)$/);
    out.push(`${CERTS_D}/${k === '*' ? '_default' : k}`);
    if (m) out.push(`${CERTS_D}/${m[1]}_${m[2]}_`);
  }
  return out;
}

/** Same host[:port] in two endpoint URLs. */
export function sameHost(a: string, b: string): boolean {
  try {
    return new URL(a).host.toLowerCase() === new URL(b).host.toLowerCase();
  } catch {
    return a === b;
  }
}

/** After stage `i` applied: may the next stage remove the workaround? The verifying diagnosis must show a working real
 *  pull and, for skip-verify, that Go's verification with the node's configured trust now accepts the certificate. */
export function readyForNext(facts: Facts, skipVerifyUrls: string[]): { ok: true } | { ok: false; why: string; said: Message } {
  const not = (said: Message) => ({ ok: false as const, why: messageIn('en', said), said });
  const pull = getFact(facts, 'cri-pull');
  if (!pull) return not(msg('fix.harden.noPull'));
  if (!pull.ok) return not(msg('fix.harden.pullFails', { error: pull.message ?? msg('fix.err.unknownError') }));
  const hyg = getFact(facts, 'node-hygiene');
  for (const url of skipVerifyUrls) {
    // by host: a migrated endpoint may be spelt differently, but it is the same registry's skip-verify
    const s = hyg?.skipVerify.find((x) => sameHost(x.url, url));
    if (!s) return not(msg('fix.harden.skipGone', { url }));
    if (s.certificate !== 'verifies')
      return not(msg('fix.harden.stillFails', { url, error: s.goMessage ? msg('fix.harden.goSays', { error: s.goMessage }) : '' }));
  }
  return { ok: true };
}
