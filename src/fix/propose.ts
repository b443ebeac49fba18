// Fix proposals per finding, safest first. Data only: nothing here touches the node. Node-side fixes prefer trusting
// the right CA for the one registry host (hosts.toml) over skipping verification; enabling config_path migrates
// every legacy mirror / configs.tls entry into hosts.toml first (mirrors + config_path is fatal for the CRI plugin).
import type { Finding, FixAction, FixProposal, RunState, Target, TomlEdit } from '../core/types.js';
import type { EffectiveRegistryConfig } from '../core/runtime-config.js';
import { formatValue } from './toml-edit.js';

export interface PlanInputs {
  /** PEM of a CA (or intermediate+root bundle) the operator supplied with --ca. */
  ca?: string;
  caSource?: string;
  /** Client certificate and key (PEM) the operator supplied with --client-cert / --client-key. */
  clientCert?: string;
  clientKey?: string;
}

interface ChainCertLike {
  info: { pem: string; selfIssued: boolean; isCA: boolean; subject: { display: string }; issuer: { display: string } };
}

interface ConfigFactsLike {
  file: string;
  exists: boolean;
  configVersion: 1 | 2 | 3;
  containerdVersion: string;
  registryTable: string[];
  effective: EffectiveRegistryConfig;
  registrySummary: { configPath?: string; mirrors: string[]; configs: string[] };
}

interface RawRegistry {
  mirrors: Record<string, { endpoint?: string[] }>;
  configs: Record<string, { tls?: { ca_file?: string; cert_file?: string; key_file?: string; insecure_skip_verify?: boolean } }>;
}

export interface PlanContext {
  target: Target;
  facts: Partial<Record<string, unknown>>;
  inputs: PlanInputs;
  /** Legacy registry tables (read by the fix command from config.toml; credentials never included). */
  rawRegistry?: RawRegistry;
}

const CERTS_D = '/etc/containerd/certs.d';

function hostsTomlText(server: string, settings: Record<string, unknown>, hostTables: { url: string; settings: Record<string, unknown> }[] = []): string {
  const lines = ['# Written by regdoctor. containerd reads this file on every pull (no restart needed).', `server = ${formatValue(server)}`];
  for (const [k, v] of Object.entries(settings)) lines.push(`${k} = ${formatValue(v)}`);
  for (const t of hostTables) {
    lines.push('', `[host.${formatValue(t.url)}]`);
    for (const [k, v] of Object.entries(t.settings)) lines.push(`  ${k} = ${formatValue(v)}`);
  }
  return `${lines.join('\n')}\n`;
}

function configFacts(ctx: PlanContext): ConfigFactsLike | undefined {
  return ctx.facts['containerd-config'] as ConfigFactsLike | undefined;
}

/** Where the host's directory lives, and the actions needed first to make containerd read it. */
function hostDirPlan(ctx: PlanContext): { dir: string; pre: FixAction[]; restart: boolean; notes: string[] } {
  const cfg = configFacts(ctx);
  const host = ctx.target.registry.name;
  const configPath = cfg?.effective.configPath;
  if (configPath?.length) {
    const existing = cfg?.effective.hostsDir;
    return { dir: existing ?? `${configPath[0]}/${host}`, pre: [], restart: false, notes: [] };
  }
  const dir = `${CERTS_D}/${host}`;
  const pre: FixAction[] = [];
  const notes: string[] = [];
  const file = cfg?.file ?? '/etc/containerd/config.toml';
  const table = cfg?.registryTable?.length ? cfg.registryTable : ['plugins', 'io.containerd.grpc.v1.cri', 'registry'];
  const raw = ctx.rawRegistry ?? { mirrors: {}, configs: {} };
  const removeTables: string[][] = [];
  // migrate every legacy mirror and configs.tls into hosts.toml: mirrors with config_path stop the CRI plugin
  const migrated = new Set([...Object.keys(raw.mirrors), ...Object.keys(raw.configs).filter((h) => raw.configs[h]?.tls)]);
  for (const h of migrated) {
    const m = raw.mirrors[h];
    const tls = raw.configs[h]?.tls;
    const settings: Record<string, unknown> = {};
    if (tls?.ca_file) settings.ca = tls.ca_file;
    if (tls?.cert_file) settings.client = [[tls.cert_file, tls.key_file ?? tls.cert_file]];
    if (tls?.insecure_skip_verify) settings.skip_verify = true;
    const server = h === 'docker.io' ? 'https://registry-1.docker.io' : `https://${h}`;
    const tables = (m?.endpoint ?? []).filter((e) => !e.includes(`//${h}`)).map((url) => ({ url: /:\/\//.test(url) ? url : `https://${url}`, settings: { capabilities: ['pull', 'resolve'] } }));
    if (h !== host) {
      pre.push({ kind: 'write-file', path: `${CERTS_D}/${h}/hosts.toml`, content: hostsTomlText(server, settings, tables), description: `move the legacy settings of ${h} into hosts.toml` });
    }
    if (m) removeTables.push(['mirrors', h]);
    if (tls) removeTables.push(['configs', h, 'tls']);
    notes.push(`legacy ${m ? 'mirrors' : ''}${m && tls ? ' and ' : ''}${tls ? 'configs.tls' : ''} for ${h} move to ${CERTS_D}/${h}/hosts.toml`);
  }
  const edit: TomlEdit = { table, set: { config_path: CERTS_D }, removeTables: removeTables.length ? removeTables : undefined };
  pre.push({ kind: 'edit-toml', path: file, edit, description: `set config_path = "${CERTS_D}" in [${table.join('.')}]${removeTables.length ? ' and remove the migrated legacy tables' : ''}` });
  return { dir, pre, restart: true, notes };
}

function trustCaProposal(ctx: PlanContext, caPem: string, what: string, id = 'hosts-toml-ca'): FixProposal {
  const host = ctx.target.registry.name;
  const { dir, pre, restart, notes } = hostDirPlan(ctx);
  const cfg = configFacts(ctx);
  const serverUrl = `https://${ctx.target.registry.apiHost}`;
  const existing = cfg?.effective.hostsFile && cfg.effective.hostsDir === dir ? cfg.effective.hostsFile : undefined;
  const actions: FixAction[] = [
    ...pre,
    { kind: 'write-file', path: `${dir}/ca.crt`, content: caPem, mode: 0o644, description: `install ${what} for ${host} only` },
    existing
      ? { kind: 'edit-toml', path: existing, edit: { table: [], set: { ca: 'ca.crt' } }, description: `trust ca.crt for ${host} (top-level ca applies to the server entry)` }
      : { kind: 'write-file', path: `${dir}/hosts.toml`, content: hostsTomlText(serverUrl, { ca: 'ca.crt' }), mode: 0o644, description: `hosts.toml for ${host} trusting ca.crt` },
    ...(restart ? [{ kind: 'restart-runtime', service: 'containerd', description: 'containerd reads config_path only at start' } as FixAction] : []),
  ];
  return {
    id,
    title: `Trust ${what} for ${host} only (hosts.toml ca)`,
    risk: restart ? 'mutating' : 'safe',
    where: 'node',
    restartRequired: restart,
    description: `Installs ${what} as ${dir}/ca.crt and points ${host}'s hosts.toml at it. Only this registry host trusts it; verification stays on.${notes.length ? ` Also: ${notes.join('; ')}.` : ''}`,
    manualSteps: actions.map((a) => describeAction(a)),
    actions,
  };
}

function skipVerifyProposal(ctx: PlanContext): FixProposal {
  const host = ctx.target.registry.name;
  const { dir, pre, restart } = hostDirPlan(ctx);
  const cfg = configFacts(ctx);
  const existing = cfg?.effective.hostsFile && cfg.effective.hostsDir === dir ? cfg.effective.hostsFile : undefined;
  const actions: FixAction[] = [
    ...pre,
    existing
      ? { kind: 'edit-toml', path: existing, edit: { table: [], set: { skip_verify: true } }, description: `skip_verify = true for ${host}` }
      : { kind: 'write-file', path: `${dir}/hosts.toml`, content: hostsTomlText(`https://${ctx.target.registry.apiHost}`, { skip_verify: true }), description: `hosts.toml for ${host} with skip_verify = true` },
    ...(restart ? [{ kind: 'restart-runtime', service: 'containerd' } as FixAction] : []),
  ];
  return {
    id: 'hosts-toml-skip-verify',
    title: `Skip certificate verification for ${host} only`,
    risk: 'disables-verification',
    where: 'node',
    restartRequired: restart,
    description: `Turns TLS verification off for ${host} (and nothing else): anyone who can intercept traffic to it can serve any image. Use only while the certificate is being fixed.`,
    manualSteps: actions.map((a) => describeAction(a)),
    actions,
  };
}

function systemTrustProposal(ctx: PlanContext, caPem: string | undefined): FixProposal {
  const host = ctx.target.registry.name;
  return {
    id: 'system-trust-store',
    title: 'Alternative: add the CA to the system trust store',
    risk: 'mutating',
    where: 'node',
    restartRequired: true,
    description: `Trusts the CA for every host and every program on the node, not just ${host} — broader than needed. containerd loads the system bundle only at start. Not applied automatically.`,
    manualSteps: [
      `${caPem ? 'save the CA' : 'obtain the CA certificate'} as /usr/local/share/ca-certificates/regdoctor-${host.replace(/[:/]/g, '_')}.crt (Debian/Ubuntu) or /etc/pki/ca-trust/source/anchors/ (RHEL)`,
      'update-ca-certificates   # or: update-ca-trust',
      'systemctl restart containerd',
    ],
    actions: [],
  };
}

function reissueProposal(ctx: PlanContext, why: string, extra: string[] = []): FixProposal {
  const host = ctx.target.registry.hostname;
  const isIp = /^[\d.]+$|:/.test(host);
  const san = isIp ? `IP:${host}` : `DNS:${host}`;
  return {
    id: 'reissue-server-certificate',
    title: `Reissue the registry certificate (${why})`,
    risk: 'safe',
    where: 'registry-server',
    restartRequired: false,
    description: `No node setting can fix this safely: the certificate on ${ctx.target.registry.apiHost} must be reissued${extra.length ? ' ' + extra.join(' ') : ''}.`,
    manualSteps: [
      `openssl req -new -newkey rsa:2048 -nodes -keyout registry.key -subj "/CN=${host}" -addext "subjectAltName=${san}" -addext "extendedKeyUsage=serverAuth" -out registry.csr`,
      `openssl x509 -req -sha256 -days 365 -in registry.csr -CA ca.crt -CAkey ca.key -CAcreateserial -copy_extensions copy -out registry.crt`,
      'cat registry.crt intermediate.crt > registry-chain.crt   # serve the full chain (leaf first), without the root',
      'point the registry at registry-chain.crt / registry.key and reload it',
    ],
    actions: [],
  };
}

export function describeAction(a: FixAction): string {
  switch (a.kind) {
    case 'write-file':
      return `write ${a.path}${a.mode ? ` (mode ${a.mode.toString(8)})` : ''}`;
    case 'copy-file':
      return `copy ${a.from} to ${a.to}`;
    case 'edit-toml':
      return `edit ${a.path}: ${a.description}`;
    case 'remove-file':
      return `remove ${a.path}`;
    case 'run':
      return `run: ${a.argv.join(' ')}`;
    case 'restart-runtime':
      return `systemctl restart ${a.service}`;
    case 'kubectl':
      return `kubectl ${a.args.join(' ')}`;
  }
}

function presentedChain(ctx: PlanContext): ChainCertLike[] {
  return ((ctx.facts['cert-chain'] as { certs?: ChainCertLike[] } | undefined)?.certs ?? []) as ChainCertLike[];
}

function needCa(ctx: PlanContext, why: string): FixProposal {
  return {
    id: 'hosts-toml-ca',
    title: `Trust the registry's CA for ${ctx.target.registry.name} only (needs the CA file)`,
    risk: 'safe',
    where: 'node',
    restartRequired: false,
    description: `${why} Run \`regdoctor fix ${ctx.target.input} --ca FILE\` with the CA (or intermediate + root bundle) and regdoctor installs it for this host only.`,
    manualSteps: [`regdoctor fix ${ctx.target.input} --ca ./ca-bundle.crt`],
    actions: [],
  };
}

/** Ranked proposals for one finding, safest first. */
export function proposeFixes(finding: Finding, ctx: PlanContext): FixProposal[] {
  const chain = presentedChain(ctx);
  const host = ctx.target.registry.name;
  const supplied = ctx.inputs.ca;
  switch (finding.code) {
    case 'self-signed': {
      const pem = supplied ?? chain[0]?.info.pem;
      if (!pem) return [needCa(ctx, 'The self-signed certificate could not be read.')];
      return [trustCaProposal(ctx, pem, supplied ? 'the supplied CA' : 'the registry’s self-signed certificate'), reissueProposal(ctx, 'use a certificate from your CA'), skipVerifyProposal(ctx), systemTrustProposal(ctx, pem)];
    }
    case 'untrusted-ca': {
      const root = chain.find((c) => c.info.isCA && c.info.selfIssued);
      const pem = supplied ?? root?.info.pem;
      const first = pem ? trustCaProposal(ctx, pem, supplied ? 'the supplied CA' : `its CA (${root?.info.subject.display})`) : needCa(ctx, `The registry does not send its root CA (${chain[chain.length - 1]?.info.issuer.display ?? 'unknown'}).`);
      return [first, skipVerifyProposal(ctx), systemTrustProposal(ctx, pem)];
    }
    case 'incomplete-chain': {
      const nodeSide = supplied
        ? trustCaProposal(ctx, supplied, 'the supplied intermediate + root bundle', 'hosts-toml-ca-bundle')
        : needCa(ctx, `The server omits its intermediate (${chain[0]?.info.issuer.display ?? 'unknown'}); give regdoctor a bundle with the intermediate and the root.`);
      return [reissueProposal(ctx, 'serve the intermediate', ['— or rather just bundled: configure the registry with leaf + intermediate.']), nodeSide, skipVerifyProposal(ctx)];
    }
    case 'hostname-mismatch':
    case 'ip-san-missing':
    case 'legacy-common-name':
      return [reissueProposal(ctx, finding.code === 'legacy-common-name' ? 'add SANs' : `add ${ctx.target.registry.hostname} to its SANs`), skipVerifyProposal(ctx)];
    case 'expired':
    case 'not-yet-valid':
      return [
        reissueProposal(ctx, finding.code === 'expired' ? 'renew it' : 'check the clock', finding.code === 'not-yet-valid' ? ['(or fix this node’s clock: timedatectl status; chronyc tracking)'] : []),
        skipVerifyProposal(ctx),
      ];
    case 'insecure-signature':
    case 'incompatible-key-usage':
      return [reissueProposal(ctx, finding.code === 'insecure-signature' ? 'sign with SHA-256' : 'allow serverAuth'), skipVerifyProposal(ctx)];
    case 'plain-http-registry': {
      const { dir, pre, restart } = hostDirPlan(ctx);
      const url = `http://${ctx.target.registry.apiHost}`;
      const actions: FixAction[] = [
        ...pre,
        { kind: 'write-file', path: `${dir}/hosts.toml`, content: hostsTomlText(url, {}, [{ url, settings: { capabilities: ['pull', 'resolve'] } }]), mode: 0o644, description: `talk plain HTTP to ${host}` },
        ...(restart ? [{ kind: 'restart-runtime', service: 'containerd' } as FixAction] : []),
      ];
      return [
        {
          id: 'hosts-toml-http',
          title: `Use plain HTTP for ${host} (hosts.toml server = "http://…")`,
          risk: restart ? 'mutating' : 'safe',
          where: 'node',
          restartRequired: restart,
          description: `The registry only speaks HTTP. \`insecure_skip_verify\` would not help: only an http:// server entry makes containerd use HTTP. Better still: serve TLS on the registry.`,
          manualSteps: actions.map(describeAction),
          actions,
        },
      ];
    }
    case 'client-cert-required': {
      if (!ctx.inputs.clientCert || !ctx.inputs.clientKey) {
        return [
          {
            id: 'hosts-toml-client',
            title: `Present a client certificate to ${host} (needs the certificate and key)`,
            risk: 'safe',
            where: 'node',
            restartRequired: false,
            description: `The registry demands mTLS${(finding.data?.acceptableCAs as string[] | undefined)?.length ? ` with a certificate issued by ${(finding.data!.acceptableCAs as string[]).join('; ')}` : ''}. Run \`regdoctor fix ${ctx.target.input} --client-cert FILE --client-key FILE\`.`,
            manualSteps: [`regdoctor fix ${ctx.target.input} --client-cert ./node.crt --client-key ./node.key`],
            actions: [],
          },
        ];
      }
      const { dir, pre, restart } = hostDirPlan(ctx);
      const cfg = configFacts(ctx);
      const existing = cfg?.effective.hostsFile && cfg.effective.hostsDir === dir ? cfg.effective.hostsFile : undefined;
      const actions: FixAction[] = [
        ...pre,
        { kind: 'write-file', path: `${dir}/client.cert`, content: ctx.inputs.clientCert, mode: 0o644, description: 'client certificate' },
        { kind: 'write-file', path: `${dir}/client.key`, content: ctx.inputs.clientKey, mode: 0o600, description: 'client key (mode 600)' },
        existing
          ? { kind: 'edit-toml', path: existing, edit: { table: [], set: { client: [['client.cert', 'client.key']] } }, description: `present client.cert for ${host}` }
          : { kind: 'write-file', path: `${dir}/hosts.toml`, content: hostsTomlText(`https://${ctx.target.registry.apiHost}`, { client: [['client.cert', 'client.key']] }), mode: 0o644, description: `hosts.toml presenting client.cert to ${host}` },
        ...(restart ? [{ kind: 'restart-runtime', service: 'containerd' } as FixAction] : []),
      ];
      return [{ id: 'hosts-toml-client', title: `Present the client certificate to ${host} (hosts.toml client)`, risk: restart ? 'mutating' : 'safe', where: 'node', restartRequired: restart, description: `Installs the client pair for ${host} only; the key is written with mode 600.`, manualSteps: actions.map(describeAction), actions }];
    }
    case 'config-conflict':
    case 'config-ignored': {
      const cfg = configFacts(ctx);
      if (finding.code === 'config-conflict' || /config_path/.test(finding.summary)) {
        const { pre } = hostDirPlan({ ...ctx, facts: { ...ctx.facts, 'containerd-config': cfg ? { ...cfg, effective: { ...cfg.effective, configPath: undefined } } : undefined } });
        return [
          {
            id: 'migrate-to-config-path',
            title: 'Move legacy mirrors/configs into hosts.toml and keep config_path',
            risk: 'mutating',
            where: 'node',
            restartRequired: true,
            description: 'Writes one hosts.toml per legacy host, removes the legacy tables from config.toml (TOML-aware; comments kept) and restarts containerd so the CRI plugin loads again.',
            manualSteps: [...pre.map(describeAction), 'systemctl restart containerd'],
            actions: [...pre, { kind: 'restart-runtime', service: 'containerd' }],
          },
        ];
      }
      return [];
    }
    case 'config-not-applied':
      return [{ id: 'restart-runtime', title: 'Restart containerd so it loads the current configuration', risk: 'mutating', where: 'node', restartRequired: true, description: 'Running pods keep running; image pulls pause for a few seconds.', manualSteps: ['systemctl restart containerd'], actions: [{ kind: 'restart-runtime', service: 'containerd' }] }];
    case 'credentials-missing':
    case 'credentials-mismatch':
    case 'unauthorized': {
      const ns = '<namespace>';
      return [
        {
          id: 'pull-secret',
          title: `Create a pull secret keyed to ${host} and attach it to the ServiceAccount`,
          risk: 'mutating',
          where: 'cluster',
          restartRequired: false,
          description: `The secret's key must be exactly ${host} (same port). ServiceAccount changes reach only pods created afterwards: existing pods must be recreated.`,
          manualSteps: [
            `kubectl -n ${ns} create secret docker-registry regcred --docker-server=${host} --docker-username=<user> --docker-password=<password>`,
            `kubectl -n ${ns} patch serviceaccount default -p '{"imagePullSecrets":[{"name":"regcred"}]}'`,
            `kubectl -n ${ns} rollout restart deployment/<name>   # existing pods keep their old imagePullSecrets`,
          ],
          actions: [],
        },
        ...(finding.code === 'credentials-mismatch'
          ? [
              {
                id: 'node-auth-file-key',
                title: `Fix the node auth file key to exactly ${host}`,
                risk: 'mutating' as const,
                where: 'node' as const,
                restartRequired: false,
                description: `kubelet matches docker config keys by exact host and port. Re-key the stale entry (kubelet re-reads the file; no restart).`,
                manualSteps: [`edit ${(ctx.facts['auth-files'] as { kubeletFile?: string } | undefined)?.kubeletFile ?? '/var/lib/kubelet/config.json'}: rename the "auths" key to "${host}"`],
                actions: [],
              },
            ]
          : []),
      ];
    }
    case 'not-found':
    case 'platform-mismatch':
      return [
        {
          id: 'check-image',
          title: finding.code === 'not-found' ? 'Check the repository and tag (and the credentials: private repositories answer 404 too)' : 'Use an image built for this node’s platform',
          risk: 'safe',
          where: 'cluster',
          restartRequired: false,
          description: 'A stale copy cached on the node can hide the problem on some nodes and not others: remove it so every node resolves the tag again.',
          manualSteps: [`crictl rmi ${ctx.target.image?.normalized ?? ctx.target.input}   # drop a stale cached copy on this node`, 'kubectl get pods -o wide   # compare nodes that pull and nodes that fail'],
          actions: [],
        },
      ];
    case 'dns':
      return [{ id: 'fix-dns', title: 'Make the registry name resolve on the node', risk: 'safe', where: 'node', restartRequired: false, description: 'This is the node’s DNS, not the registry.', manualSteps: [`getent hosts ${ctx.target.registry.hostname}`, 'cat /etc/resolv.conf', 'check the cluster DNS / corporate resolver records for the registry'], actions: [] }];
    case 'connection-refused':
    case 'timeout':
      return [{ id: 'check-network', title: 'Check that the registry listens and the path is open', risk: 'safe', where: 'registry-server', restartRequired: false, description: 'Nothing answers, or a firewall drops the traffic.', manualSteps: [`curl -v https://${ctx.target.registry.apiHost}/v2/`, 'check security groups / firewalls between the node and the registry', 'check that the registry process is up and listens on this port'], actions: [] }];
    default:
      return [];
  }
}

/** Fills `fixes` on every finding. */
export function attachProposals(findings: Finding[], state: RunState, inputs: PlanInputs = {}, rawRegistry?: RawRegistry): Finding[] {
  const ctx: PlanContext = { target: state.target, facts: state.facts as Record<string, unknown>, inputs, rawRegistry };
  return findings.map((f) => ({ ...f, fixes: f.severity === 'info' ? [] : proposeFixes(f, ctx) }));
}
