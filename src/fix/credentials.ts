// Credential fixes where the credential lives (issue 14 item 3). Data only: nothing here touches the node.
//  * node auth files kubelet reads (the first valid config.json of its search order, else a .dockercfg — the
//    `auth-files` check found it): the rejected entry is replaced under its own key, a near-miss key is copied to the
//    exact key, or a stale entry is removed (destructive: only when the image is public); with no file, kubelet's own
//    /var/lib/kubelet/config.json is created (mode 600). Creating a file earlier in kubelet's order would hide the
//    file it reads today, so an existing file is always edited instead;
//  * containerd's legacy `configs."<host>".auth` (used only when kubelet sends no credential) is edited in place
//    and containerd restarted (config.toml is read at start);
//  * the pod's pull secret: a new kubernetes.io/dockerconfigjson Secret (manifest on stdin) put first in the
//    ServiceAccount's imagePullSecrets (kubelet tries every matching credential in order). Existing secrets are never
//    edited; a rollback deletes the created secret and restores the ServiceAccount's list.
// Secrets come only from PlanInputs (read from stdin or a file by the fix command) and are never put in a title,
// description or manual step.
import type { Finding, FixAction, FixProposal, PlannedFix, KubeOptions, Target } from '../core/types.js';
import { rated } from './risk.js';
import { getFact, type Facts } from '../core/facts.js';
import { shellJoin } from '../text/shell.js';
import { decideEndpoint } from '../probe/credential-policy.js';
import { described, messageIn, msg, titled, type Message } from '../i18n/index.js';
import { actionText, joinComma } from './errors.js';

/** What the credential planners read of propose.ts's PlanContext (structurally the same; no import circle). */
export interface CredentialPlanContext {
  target: Target;
  facts: Facts;
  inputs: { username?: string; password?: string; kube?: KubeOptions };
}
type PlanContext = CredentialPlanContext;

/** kubelet's own file: the first of its search order (credentialprovider.ReadDockerConfigJSONFile). */
export const KUBELET_CONFIG = '/var/lib/kubelet/config.json';

/** kubectl's global flags for the operator's cluster access (--kubeconfig, --context). */
export function kubectlGlobals(k: KubeOptions | undefined): string[] {
  return [...(k?.kubeconfig ? [`--kubeconfig=${k.kubeconfig}`] : []), ...(k?.context ? [`--context=${k.context}`] : [])];
}

/** A DNS-1123 name for the created secret, not colliding with the names given. */
export function secretNameFor(host: string, taken: string[]): string {
  const stem = `regcred-${host
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '')}`.slice(0, 240);
  let name = stem;
  for (let i = 2; taken.includes(name); i++) name = `${stem}-${i}`;
  return name;
}

const rerun = (ctx: PlanContext, extra: string[] = []) =>
  `${shellJoin(['regdoctor', 'fix', ctx.target.input, '--username', '<user>', '--password-stdin', ...extra])} < <password-file>`;

/** Where the credential kubelet (or containerd) uses for the target comes from today. */
function credentialSource(
  ctx: PlanContext,
):
  | { kind: 'pull-secret'; secret: string }
  | { kind: 'node-file'; file: string; keys: string[] }
  | { kind: 'containerd'; source: string }
  | { kind: 'none' } {
  const ps = getFact(ctx.facts, 'pull-secrets');
  if (ps?.matching.length) return { kind: 'pull-secret', secret: ps.matching[0]!.secret };
  const af = getFact(ctx.facts, 'auth-files');
  if (af?.matching.length && af.kubeletFile) return { kind: 'node-file', file: af.kubeletFile, keys: af.matching.map((m) => m.key) };
  const legacy = getFact(ctx.facts, 'containerd-config')?.effective.legacyAuth;
  if (legacy) return { kind: 'containerd', source: legacy.source };
  return { kind: 'none' };
}

/**
 * kubelet's credential goes to every host containerd tries for the image (the registry and each mirror). Where the
 * runtime's own config makes that plain HTTP or skip_verify (credential-policy.ts allows it there, as containerd
 * does), the plan says so: the credential crosses that path unprotected.
 */
export function unprotectedNoteMessage(ctx: PlanContext): Message | '' {
  const eps = getFact(ctx.facts, 'containerd-config')?.effective.endpoints ?? [];
  const weak = eps.flatMap((e) => {
    const d = decideEndpoint({ url: e.url, skipVerify: e.tls.skipVerify });
    return d.send && d.basis !== 'verified'
      ? [d.basis === 'plain-http' ? msg('fix.cred.plainHttpUrl', { url: e.url }) : msg('fix.cred.skipVerifyUrl', { url: e.url })]
      : [];
  });
  return weak.length ? msg('fix.cred.unprotected', { hosts: joinComma(weak) }) : '';
}

const formatOf = (file: string): 'config.json' | 'dockercfg' => (file.endsWith('.dockercfg') ? 'dockercfg' : 'config.json');

function nodeProposals(finding: Finding, ctx: PlanContext): PlannedFix[] {
  const host = ctx.target.registry.name;
  const { username, password } = ctx.inputs;
  const src = credentialSource(ctx);
  const af = getFact(ctx.facts, 'auth-files');
  const out: PlannedFix[] = [];
  const base = { where: 'node' as const, restartRequired: false };
  if (src.kind === 'containerd') {
    const cfg = getFact(ctx.facts, 'containerd-config');
    // the file holding the rejected table (runtimeCredential: an import may hold it, and containerd reads it there)
    const held = finding.data?.credentialSource === src.source && typeof finding.data.file === 'string' ? finding.data.file : undefined;
    const file = held ?? cfg?.file ?? '/etc/containerd/config.toml';
    const reg = cfg?.registryTable?.length ? cfg.registryTable : ['plugins', 'io.containerd.grpc.v1.cri', 'registry'];
    const m = src.source.match(/^(configs|auths)\."(.*?)"(\.auth)?$/);
    const table = m?.[1] === 'auths' ? [...reg, 'auths', m[2]!] : [...reg, 'configs', host, 'auth'];
    const restart: FixAction = {
      kind: 'restart-runtime',
      service: 'containerd',
      description: 'containerd reads config.toml only at start',
    };
    if (username && password) {
      const actions: FixAction[] = [
        {
          kind: 'edit-toml',
          path: file,
          edit: { table, set: { username, password }, remove: ['auth', 'identitytoken'] },
          ...actionText(msg('fix.act.replaceCred', { table: table.join('.'), user: username })),
        },
        restart,
      ];
      out.push({
        id: 'containerd-auth',
        ...titled('fix.title.replaceContainerdCred', { host, source: src.source }),
        ...base,
        restartRequired: true,
        ...described('fix.desc.containerdCred', { source: src.source, file }),
        manualSteps: actions.map((a) => (a.kind === 'edit-toml' ? `# edit ${file}: ${a.description}` : 'systemctl restart containerd')),
        actions,
      });
    } else {
      out.push(needCredentials(ctx, msg('fix.cred.containerdRejected', { source: src.source })));
      if (finding.code === 'unauthorized')
        out.push({
          id: 'node-auth-remove',
          ...titled('fix.title.removeContainerdCred', { source: src.source, file }),
          ...base,
          restartRequired: true,
          ...described('fix.desc.removeContainerdCred', { host }),
          manualSteps: [`# edit ${file}: remove [${table.join('.')}]`, 'systemctl restart containerd'],
          actions: [
            {
              kind: 'edit-toml',
              path: file,
              edit: { table: table.slice(0, -1), removeTables: [table.slice(-1)] },
              ...actionText(msg('fix.act.removeTable', { table: table.join('.') })),
            },
            restart,
          ],
        });
    }
    return out;
  }
  if (src.kind === 'node-file') {
    const format = formatOf(src.file);
    if (username && password) {
      const actions: FixAction[] = src.keys.map((key) => ({
        kind: 'docker-auth',
        path: src.file,
        format,
        set: { key, username, password },
        description: `replace the credential for "${key}"`,
      }));
      out.push({
        id: 'node-auth',
        ...titled('fix.title.replaceFileCred', { host, file: src.file }),
        ...base,
        ...described('fix.desc.replaceFileCred', { file: src.file, keys: src.keys.map((k) => `"${k}"`).join(', '), host }),
        manualSteps: actions.map((a) => `# ${describeCredentialAction(a)}`),
        actions,
      });
    } else {
      out.push(needCredentials(ctx, msg('fix.cred.fileRejected', { file: src.file })));
      if (finding.code === 'unauthorized')
        out.push({
          id: 'node-auth-remove',
          ...titled('fix.title.removeFileCred', { host, file: src.file }),
          ...base,
          ...described('fix.desc.removeFileCred', { host }),
          manualSteps: src.keys.map((k) => `# remove "${k}" from ${src.file}`),
          actions: src.keys.map((key) => ({
            kind: 'docker-auth',
            path: src.file,
            format,
            remove: key,
            description: `remove the credential "${key}"`,
          })),
        });
    }
    return out;
  }
  // no credential for the host on the node
  const nearMiss = (finding.data?.keys as { key: string; why: string }[] | undefined)?.[0];
  const file = af?.kubeletFile ?? KUBELET_CONFIG;
  if (username && password) {
    const action: FixAction = {
      kind: 'docker-auth',
      path: file,
      format: formatOf(file),
      set: { key: host, username, password },
      description: `add the credential for "${host}"`,
    };
    out.push({
      id: 'node-auth',
      ...titled('fix.title.addCred', { host, file }),
      ...base,
      ...described('fix.desc.addCred', { file, created: af?.kubeletFile ? '' : msg('fix.cred.created'), host }),
      manualSteps: [`# ${describeCredentialAction(action)}`],
      actions: [action],
    });
  } else if (nearMiss && af?.kubeletFile) {
    const action: FixAction = {
      kind: 'docker-auth',
      path: af.kubeletFile,
      format: formatOf(af.kubeletFile),
      copy: { from: nearMiss.key, to: host },
      description: `copy "${nearMiss.key}" to "${host}"`,
    };
    out.push({
      id: 'node-auth-rekey',
      ...titled('fix.title.copyCred', { key: nearMiss.key, host, file: af.kubeletFile }),
      ...base,
      ...described('fix.desc.copyCred', { key: nearMiss.key, host }),
      manualSteps: [`# ${describeCredentialAction(action)}`],
      actions: [action],
    });
  } else out.push(needCredentials(ctx, msg('fix.cred.noneApplies', { host })));
  return out;
}

function needCredentials(ctx: PlanContext, why: Message): PlannedFix {
  return {
    id: 'node-auth',
    ...titled('fix.title.needCred', { registry: ctx.target.registry.name }),
    where: 'node',
    restartRequired: false,
    ...described('fix.desc.needCred', { why }),
    manualSteps: [rerun(ctx)],
    actions: [],
  };
}

function pullSecretProposal(ctx: PlanContext): PlannedFix {
  const host = ctx.target.registry.name;
  const ps = getFact(ctx.facts, 'pull-secrets');
  const { username, password } = ctx.inputs;
  const ns = ps?.namespace ?? '<namespace>';
  const sa = ps?.source === 'pod' ? undefined : (ps?.serviceAccount ?? 'default');
  const name = secretNameFor(host, ps?.secrets ?? []);
  const manual: PlannedFix = {
    id: 'pull-secret',
    ...titled('fix.title.pullSecret', { host }),
    where: 'cluster',
    restartRequired: false,
    ...described('fix.desc.pullSecret', { host, rerun: ps ? msg('fix.desc.pullSecretRerun') : '' }),
    manualSteps: [
      `kubectl -n ${ns} create secret docker-registry regcred ${shellJoin([`--docker-server=${host}`])} --docker-username=<user> --docker-password=<password>`,
      `kubectl -n ${ns} patch serviceaccount default -p '{"imagePullSecrets":[{"name":"regcred"}]}'`,
      `kubectl -n ${ns} rollout restart deployment/<name>   # existing pods keep their old imagePullSecrets`,
    ],
    actions: [],
  };
  if (!ps || !username || !password) return manual;
  // a pod that lists its own imagePullSecrets never reads the ServiceAccount's: a new secret alone changes nothing for
  // it, so the change belongs in the owner's pod template (by hand)
  if (!sa)
    return {
      ...manual,
      ...described('fix.desc.podSecrets', { pod: String(ps.pod), host }),
      manualSteps: [
        `kubectl -n ${ps.namespace} create secret docker-registry ${name} ${shellJoin([`--docker-server=${host}`])} --docker-username=<user> --docker-password=<password>`,
        `kubectl -n ${ps.namespace} edit <owner of pod ${ps.pod}>   # add {"name":"${name}"} to spec.template.spec.imagePullSecrets`,
      ],
    };
  const kubectl = kubectlGlobals(ctx.inputs.kube);
  const actions: FixAction[] = [
    {
      kind: 'kube-create-secret',
      kubectl,
      namespace: ps.namespace,
      name,
      server: host,
      username,
      password,
      description: `create Secret ${ps.namespace}/${name} (kubernetes.io/dockerconfigjson, key "${host}", user ${username})`,
    },
  ];
  const before = ps.source === 'service-account' ? [...ps.secrets] : [];
  actions.push({
    kind: 'kube-patch-sa',
    kubectl,
    namespace: ps.namespace,
    serviceAccount: sa,
    before,
    after: [name, ...before],
    description: `put ${name} first in ServiceAccount ${ps.namespace}/${sa} imagePullSecrets`,
  });
  return {
    ...manual,
    ...titled('fix.title.pullSecretNamed', { secretName: `${ps.namespace}/${name}`, host, sa }),
    ...described('fix.desc.pullSecretNamed', { host, sa }),
    manualSteps: actions.map(describeCredentialAction),
    actions,
  };
}

/** The credential planner: node file / containerd config / pull secret, the one the credential comes from first. */
export function planCredentials(finding: Finding, ctx: PlanContext): FixProposal[] {
  return planCredentialSources(finding, ctx).map(rated);
}

function planCredentialSources(finding: Finding, ctx: PlanContext): PlannedFix[] {
  const node = nodeProposals(finding, ctx);
  // The registry rejected containerd's own configs."h".auth (kubelet sends none): the fix is that table, where it lives.
  if (typeof finding.data?.credentialSource === 'string' && credentialSource(ctx).kind === 'containerd') return node;
  const cluster = pullSecretProposal(ctx);
  const ps = getFact(ctx.facts, 'pull-secrets');
  const clusterFirst = credentialSource(ctx).kind === 'pull-secret' || Boolean(ps?.pod);
  const note = unprotectedNoteMessage(ctx);
  const all = clusterFirst ? [cluster, ...node] : [...node, cluster];
  return note
    ? all.map((p) =>
        p.actions.length && p.id !== 'node-auth-remove'
          ? {
              ...p,
              description: `${p.description}${messageIn('en', note)}`,
              descriptionMessage: msg('fix.concat', { a: p.descriptionMessage ?? p.description, b: note }),
            }
          : p,
      )
    : all;
}

/** describeCredentialAction as a catalogue message for the fix screen (commands print as they are: undefined). */
export function describeCredentialActionMessage(a: FixAction): Message | undefined {
  switch (a.kind) {
    case 'docker-auth':
      return a.set
        ? msg('fix.step.authSet', { key: a.set.key, path: a.path, user: a.set.username })
        : a.copy
          ? msg('fix.step.authCopy', { from: a.copy.from, to: a.copy.to, path: a.path })
          : msg('fix.step.authRemove', { key: String(a.remove), path: a.path });
    case 'remove-image':
      return msg('fix.step.removeImage', { image: a.image });
    case 'kube-create-secret':
      return msg('fix.step.createSecret', {
        command: shellJoin(['kubectl', ...a.kubectl, '-n', a.namespace, 'create', '--validate=false', '-f', '-']),
        name: a.name,
        server: a.server,
        user: a.username,
      });
    default:
      return undefined;
  }
}

/** Plan text of the credential actions (never a secret). */
export function describeCredentialAction(a: FixAction): string {
  switch (a.kind) {
    case 'docker-auth':
      return a.set
        ? `set the credential for "${a.set.key}" in ${a.path} (user ${a.set.username})`
        : a.copy
          ? `copy the credential "${a.copy.from}" to the exact key "${a.copy.to}" in ${a.path}`
          : `remove the credential "${a.remove}" from ${a.path}`;
    case 'kube-create-secret':
      return messageIn('en', describeCredentialActionMessage(a)!);
    case 'kube-patch-sa':
      return shellJoin([
        'kubectl',
        ...a.kubectl,
        '-n',
        a.namespace,
        'patch',
        'serviceaccount',
        a.serviceAccount,
        '--type=merge',
        '-p',
        JSON.stringify({ imagePullSecrets: a.after.map((name) => ({ name })) }),
      ]);
    case 'remove-image':
      return `remove the cached image ${a.image} from the runtime (CRI RemoveImage, like crictl rmi)`;
    default:
      return a.description ?? a.kind;
  }
}
