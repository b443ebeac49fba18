// One risk model for every fix (issue 14 item 5), computed from what a proposal does — never set by hand: its actions
// when regdoctor can apply it, else the commands of its manual steps. Every renderer (plain text, the fix plan and
// Ink screen, Markdown/HTML/JSON reports, explain, the nodes fleet plan) prints `riskLabel`, and "fixes, safest
// first" is `safestFirst`. Pure: nothing here reads the node.
import type { FixAction, FixProposal, FixRisk, TomlEdit } from '../core/types.js';
import { t } from '../i18n/index.js';

/** Every risk, safest first. */
export const RISKS = ['safe', 'node-config', 'cluster-objects', 'restarts-runtime', 'disables-verification', 'destructive'] as const;

/**
 * Rank for "safest first". Changing node config and changing cluster objects rank the same (both are reversible
 * config changes, journalled and rolled back; they differ in scope, not in danger), so between them the planner's
 * order stands — e.g. the credential is fixed where it lives (a pull secret before a node file when the rejected
 * credential came from the pull secret).
 */
const RANK: Record<FixRisk, number> = {
  safe: 0,
  'node-config': 1,
  'cluster-objects': 1,
  'restarts-runtime': 2,
  'disables-verification': 3,
  destructive: 4,
};

export const RISK_LABEL: Record<FixRisk, string> = {
  safe: 'safe',
  'node-config': 'changes node config',
  'cluster-objects': 'changes cluster objects',
  'restarts-runtime': 'restarts runtime',
  'disables-verification': 'DISABLES TLS VERIFICATION',
  destructive: 'DESTRUCTIVE',
};

export const riskRank = (r: FixRisk): number => RANK[r];

/** The riskier of two. */
export const maxRisk = (a: FixRisk, b: FixRisk): FixRisk => (RISKS.indexOf(b) > RISKS.indexOf(a) ? b : a);

/** Risks `fix` never picks on its own: each needs its opt-in flag (--allow-skip-verify, --allow-destructive). */
export const needsOptIn = (r: FixRisk): boolean => r === 'disables-verification' || r === 'destructive';

// keys that turn certificate verification off: hosts.toml skip_verify, legacy CRI insecure_skip_verify, CRI-O's
// registries.conf `insecure`, k3s registries.yaml insecure_skip_verify
const SKIP_KEYS = ['skip_verify', 'insecure_skip_verify', 'insecure'];
// a docker config / containerd auth table entry holding a credential
const CREDENTIAL_KEYS = ['auth', 'username', 'password', 'identitytoken'];

/** Content that turns verification off: TOML `skip_verify = true`, `insecure = true`, YAML `insecure_skip_verify: true`. */
function contentSkipsVerify(content: string): boolean {
  return content
    .split('\n')
    .map((l) => l.replace(/#.*$/, '').trim())
    .some((l) => new RegExp(`^(?:${SKIP_KEYS.join('|')})\\s*[=:]\\s*true$`).test(l));
}

function tomlEditRisk(e: TomlEdit): FixRisk {
  if (SKIP_KEYS.some((k) => e.set?.[k] === true)) return 'disables-verification';
  const setsCredential = CREDENTIAL_KEYS.some((k) => e.set?.[k] !== undefined);
  const dropsCredential =
    e.remove?.some((k) => CREDENTIAL_KEYS.includes(k)) || e.removeTables?.some((t) => t.at(-1) === 'auth' || e.table.at(-1) === 'auth');
  if (dropsCredential && !setsCredential) return 'destructive';
  return 'node-config';
}

/**
 * The risk of one action. Exhaustive over FixAction kinds: a new kind does not compile until it is rated here.
 * Removals are destructive (a credential, a file, a cached image: what was there stops being used); writes and
 * TOML-aware edits change node config unless they turn verification off.
 */
export function actionRisk(a: FixAction): FixRisk {
  switch (a.kind) {
    case 'write-file':
      // a file restating settings already in effect (a legacy migration, a fallback copied for one host) moves
      // them; it does not turn anything off that was on
      return !a.restates && contentSkipsVerify(a.content) ? 'disables-verification' : 'node-config';
    case 'copy-file':
      return 'node-config';
    case 'edit-toml':
      return tomlEditRisk(a.edit);
    case 'edit-yaml':
      // k3s / RKE2 registries.yaml: `insecure_skip_verify: true` in a configs entry's tls
      return SKIP_KEYS.some((k) => a.edit.set?.[k] === true) ? 'disables-verification' : 'node-config';
    case 'remove-file':
      return 'destructive';
    case 'run':
      return commandRisk(a.argv);
    case 'restart-runtime':
      return 'restarts-runtime';
    case 'kubectl':
      return commandRisk(['kubectl', ...a.args]);
    case 'docker-auth':
      return a.remove !== undefined && !a.set && !a.copy ? 'destructive' : 'node-config';
    case 'kube-create-secret':
    case 'kube-patch-sa':
      return 'cluster-objects';
    case 'remove-image':
      return 'destructive';
  }
}

// read-only kubectl verbs; every other verb changes cluster objects (delete: destructive)
const KUBECTL_READ = new Set(['get', 'describe', 'auth', 'config', 'logs', 'explain', 'version', 'api-resources', 'top', 'events']);
const NODE_WRITERS = new Set([
  'chmod',
  'chown',
  'mv',
  'cp',
  'install',
  'tee',
  'ln',
  'mkdir',
  'update-ca-certificates',
  'update-ca-trust',
  'sed',
]);
const REMOVERS = new Set(['rm', 'rmdir', 'unlink']);

/** Shell words of one simple command (quotes removed); enough for the commands regdoctor prints. */
function words(cmd: string): string[] {
  const out: string[] = [];
  let cur = '';
  let has = false;
  let q: string | undefined;
  for (const ch of cmd) {
    if (q) {
      if (ch === q) q = undefined;
      else cur += ch;
    } else if (ch === "'" || ch === '"') {
      q = ch;
      has = true;
    } else if (/\s/.test(ch)) {
      if (has || cur) out.push(cur);
      cur = '';
      has = false;
    } else cur += ch;
  }
  if (has || cur) out.push(cur);
  return out;
}

/** Splits a shell line into simple commands at unquoted `;`, `&&`, `||`, `|`; drops an unquoted `#` comment. */
export function simpleCommands(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (q) {
      if (ch === q) q = undefined;
      cur += ch;
    } else if (ch === "'" || ch === '"') {
      q = ch;
      cur += ch;
    } else if (ch === '#' && (i === 0 || /\s/.test(line[i - 1]!))) break;
    else if (ch === ';' || ch === '|' || ch === '&') {
      if (cur.trim()) out.push(cur.trim());
      cur = '';
      if (line[i + 1] === ch) i++;
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/** The risk of running a command (argv, or one shell line of a manual answer). Unknown programs count as reads. */
export function commandRisk(cmd: readonly string[] | string): FixRisk {
  if (typeof cmd === 'string') return simpleCommands(cmd).reduce<FixRisk>((r, c) => maxRisk(r, commandRisk(words(c))), 'safe');
  let argv = [...cmd];
  let risk: FixRisk = 'safe';
  // redirections into the node's configuration
  for (let i = 0; i < argv.length; i++) {
    const m = /^\d?>>?(.*)$/.exec(argv[i]!);
    if (!m) continue;
    const target = m[1] || argv[i + 1] || '';
    if (/^\/(etc|var\/lib)\//.test(target)) risk = maxRisk(risk, 'node-config');
  }
  while (argv[0] && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[0]) || argv[0] === 'sudo' || argv[0] === 'env')) argv = argv.slice(1);
  const [prog = '', ...rest] = argv;
  const args = rest.filter((a) => !a.startsWith('-'));
  const name = prog.slice(prog.lastIndexOf('/') + 1);
  const flag = (f: string) => rest.some((a) => a === f || a.startsWith(`${f}=`));
  let own: FixRisk = 'safe';
  if (name === 'systemctl' || name === 'service') {
    const verb = name === 'systemctl' ? args[0] : args[1];
    if (verb === 'restart' || verb === 'reload' || verb === 'stop' || verb === 'try-restart') own = 'restarts-runtime';
    else if (verb === 'edit' || verb === 'enable' || verb === 'disable' || verb === 'daemon-reload') own = 'node-config';
  } else if (name === 'kubectl') {
    // the verb is the first word that is not a flag's value (kubectl -n NS create …): skip known flags with values
    const verb = rest.find((a, i) => !a.startsWith('-') && !/^-(n|-namespace|-context|-kubeconfig)$/.test(rest[i - 1] ?? ''));
    if (verb === 'delete') own = 'destructive';
    else if (verb && !KUBECTL_READ.has(verb)) own = 'cluster-objects';
  } else if (name === 'crictl' || name === 'ctr' || name === 'docker' || name === 'podman') {
    if (args.some((a) => a === 'rmi' || a === 'rm')) own = 'destructive';
  } else if (REMOVERS.has(name)) own = 'destructive';
  else if (NODE_WRITERS.has(name)) own = name === 'sed' && !flag('-i') ? 'safe' : 'node-config';
  else if (name === 'regdoctor' && args[0] === 'fix' && !flag('--dry-run'))
    own = flag('--allow-skip-verify') ? 'disables-verification' : 'node-config';
  else if (name === 'regdoctor' && args[0] === 'rollback') own = 'node-config';
  return maxRisk(risk, own);
}

/** What a proposal risks: the riskiest of its actions, or of its manual steps when it has none. */
export function proposalRisk(p: Pick<FixProposal, 'actions' | 'manualSteps' | 'restartRequired'>): FixRisk {
  let r: FixRisk = 'safe';
  if (p.actions.length) for (const a of p.actions) r = maxRisk(r, actionRisk(a));
  else for (const s of p.manualSteps) r = maxRisk(r, commandRisk(s));
  return p.restartRequired ? maxRisk(r, 'restarts-runtime') : r;
}

/** The label every output prints for a proposal, e.g. `DISABLES TLS VERIFICATION, restarts runtime`. */
export function riskLabel(p: Pick<FixProposal, 'actions' | 'manualSteps' | 'restartRequired'>): string {
  const r = proposalRisk(p);
  const restarts = p.restartRequired || p.actions.some((a) => a.kind === 'restart-runtime');
  // in the active language (src/i18n); RISK_LABEL keeps the English names
  return `${t(`risk.${r}`)}${restarts && r !== 'restarts-runtime' && riskRank(r) > riskRank('restarts-runtime') ? t('risk.andRestarts') : ''}`;
}

/** A planned proposal with its computed risk (the `risk` field of reports and JSON). */
export function rated<P extends Omit<FixProposal, 'risk'>>(p: P): P & { risk: FixRisk } {
  return { ...p, risk: proposalRisk(p) };
}

/** Safest first (stable: equal risks keep the planner's order). */
export function safestFirst<P extends Omit<FixProposal, 'risk'>>(ps: readonly P[]): (P & { risk: FixRisk })[] {
  return ps
    .map((p, i) => ({ p: rated(p), i }))
    .sort((a, b) => riskRank(a.p.risk) - riskRank(b.p.risk) || a.i - b.i)
    .map((x) => x.p);
}
