// k3s / RKE2 nodes: containerd's config.toml and certs.d are generated from registries.yaml and overwritten whenever
// the service starts, so no fix may edit them. File changes for containerd are refused (pointing at registries.yaml);
// a restart restarts the service that renders the files and runs containerd. Other files (the system CA store) are
// left as planned. Data only: nothing is applied here.
import { safestFirst } from './risk.js';
import type { Finding, FixAction, FixProposal } from '../core/types.js';
import { hostDirName, type K3sLayout } from '../runtime/k3s.js';
import { shellJoin } from '../text/shell.js';
import { described, messageIn, msg, titled, type Message, type ParamValue } from '../i18n/index.js';
import { actionText } from './errors.js';

/** The file an action changes, if any. */
function target(a: FixAction): string | undefined {
  switch (a.kind) {
    case 'write-file':
    case 'edit-toml':
    case 'remove-file':
      return a.path;
    case 'copy-file':
      return a.to;
    default:
      return undefined;
  }
}

/** containerd's configuration on this node: the generated directory, and /etc/containerd (which it does not read). */
function touchesContainerdConfig(a: FixAction, layout: K3sLayout): boolean {
  const t = target(a);
  return !!t && [layout.containerdDir, '/etc/containerd'].some((d) => t === d || t.startsWith(`${d}/`));
}

/** What registries.yaml takes for a host (the operator writes it; k3s renders hosts.toml from it). */
function registriesHint(layout: K3sLayout, host: string, p: FixProposal): string[] {
  const restart = shellJoin(['systemctl', 'restart', layout.service]);
  const id = p.id;
  const setting = /skip-verify/.test(id)
    ? 'insecure_skip_verify: true'
    : /client/.test(id)
      ? 'cert_file: <client.crt>  and  key_file: <client.key>'
      : /ca/.test(id)
        ? 'ca_file: <path of the CA certificate>'
        : undefined;
  return [
    setting
      ? `# edit ${layout.registriesYaml}: under configs: > ${JSON.stringify(host)}: > tls: set ${setting}`
      : `# make the change in ${layout.registriesYaml} (mirrors: endpoint/rewrite, configs: tls/auth)`,
    `${restart}   # ${layout.flavour} renders config.toml and certs.d/*/hosts.toml again and restarts containerd`,
  ];
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----/;
const PEM_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

/** Where regdoctor keeps the files a registries.yaml entry points at: beside registries.yaml, per host. */
export function k3sMaterialDir(layout: K3sLayout, host: string): string {
  return `${layout.registriesYaml.slice(0, layout.registriesYaml.lastIndexOf('/'))}/regdoctor/${hostDirName(host)}`;
}

/**
 * The registries.yaml form of a per-host TLS fix planned for hosts.toml, or undefined when the proposal is not one
 * (or its material cannot be found in its actions).
 */
function viaRegistriesYaml(p: FixProposal, layout: K3sLayout, host: string): FixProposal | undefined {
  const writes = p.actions.filter((a): a is Extract<FixAction, { kind: 'write-file' }> => a.kind === 'write-file');
  const name = (path: string) => path.slice(path.lastIndexOf('/') + 1);
  const dir = k3sMaterialDir(layout, host);
  const files: FixAction[] = [];
  const set: Record<string, string | boolean> = {};
  let what: string;
  // the hosts.toml proposal's params (host, what is trusted) for this file's own title and first sentence
  const params = p.titleMessage?.params ?? {};
  const param = (k: string, fallback: ParamValue): ParamValue => params[k] ?? fallback;
  let title: { title: string; titleMessage: Message };
  let first: Message;
  if (/^hosts-toml-skip-verify$/.test(p.id)) {
    set.insecure_skip_verify = true;
    what = 'insecure_skip_verify: true';
    title = titled('fix.k3s.title.skipVerify', { host: param('host', host), flavour: layout.flavour });
    first = msg('fix.k3s.first.skipVerify', { host: param('host', host) });
  } else if (/^hosts-toml-client$/.test(p.id)) {
    const key = writes.find((a) => PEM_KEY.test(a.content));
    const cert = writes.find((a) => a !== key && PEM_CERT.test(a.content) && !name(a.path).endsWith('.toml'));
    if (!cert || !key) return undefined;
    files.push({ ...cert, path: `${dir}/${name(cert.path)}` }, { ...key, path: `${dir}/${name(key.path)}`, mode: 0o600 });
    set.cert_file = `${dir}/${name(cert.path)}`;
    set.key_file = `${dir}/${name(key.path)}`;
    what = 'cert_file and key_file';
    title = titled('fix.k3s.title.client', { host: param('host', host), flavour: layout.flavour });
    first = msg('fix.k3s.first.client', { host: param('host', host) });
  } else if (/^hosts-toml-ca/.test(p.id)) {
    const ca = writes.find((a) => PEM_CERT.test(a.content) && !name(a.path).endsWith('.toml'));
    if (!ca) return undefined;
    files.push({ ...ca, path: `${dir}/${name(ca.path)}` });
    set.ca_file = `${dir}/${name(ca.path)}`;
    what = 'ca_file';
    const trusted = param('what', msg('fix.k3s.theCa'));
    title = titled('fix.k3s.title.ca', { what: trusted, host: param('host', host), flavour: layout.flavour });
    first = msg('fix.k3s.first.ca', { what: trusted, file: set.ca_file, host: param('host', host) });
  } else return undefined;
  const restart = shellJoin(['systemctl', 'restart', layout.service]);
  const edit: FixAction = {
    kind: 'edit-yaml',
    path: layout.registriesYaml,
    ...actionText(msg('fix.act.yamlSet', { table: `configs.${JSON.stringify(host)}.tls`, keys: Object.keys(set).join(', ') })),
    edit: { path: ['configs', host, 'tls'], set },
  };
  const actions: FixAction[] = [
    ...files,
    edit,
    {
      kind: 'restart-runtime',
      service: layout.service,
      description: `${layout.flavour} renders config.toml and certs.d/*/hosts.toml from ${layout.registriesYaml} and restarts containerd`,
    },
  ];
  return {
    ...p,
    // its own title and description: the hosts.toml proposal's would name the wrong file
    ...title,
    ...described('fix.k3s.desc', {
      first,
      flavour: layout.flavour,
      yaml: layout.registriesYaml,
      setting: `configs.${JSON.stringify(host)}.tls ${what}`,
      configToml: layout.configToml,
      certsDir: layout.certsDir,
      service: layout.service,
    }),
    restartRequired: true,
    manualSteps: [
      // shell lines to paste: what to change as # notes (the diff shows it), then the command
      ...files.map((a) => `# write ${(a as { path: string }).path}`),
      `# edit ${layout.registriesYaml}: ${edit.description}`,
      restart,
    ],
    actions,
    blocked: undefined,
  };
}

function guard(p: FixProposal, layout: K3sLayout, host: string): FixProposal {
  if (p.where !== 'node') return p;
  if (p.actions.some((a) => touchesContainerdConfig(a, layout))) {
    const yaml = viaRegistriesYaml(p, layout, host);
    if (yaml) return yaml;
    const why = msg('fix.k3s.blocked', {
      flavour: layout.flavour,
      configToml: layout.configToml,
      certsDir: layout.certsDir,
      yaml: layout.registriesYaml,
      service: layout.service,
    });
    return {
      ...p,
      actions: [],
      blocked: messageIn('en', why),
      blockedMessage: why,
      manualSteps: registriesHint(layout, host, p),
    };
  }
  if (p.actions.some((a) => a.kind === 'restart-runtime')) {
    return {
      ...p,
      ...titled('fix.title.k3sRestart', { service: layout.service, flavour: layout.flavour }),
      manualSteps: [shellJoin(['systemctl', 'restart', layout.service])],
      actions: p.actions.map((a) => (a.kind === 'restart-runtime' ? { ...a, service: layout.service } : a)),
    };
  }
  return p;
}

/** Rewrites one finding's proposals for a k3s / RKE2 node (`host`: the registry host the finding concerns), rated
 *  again from their new actions (a registries.yaml change restarts the unit) and safest first. */
export function guardK3sFixes(fixes: FixProposal[], layout: K3sLayout, host: string): FixProposal[] {
  return safestFirst(fixes.map((p) => guard(p, layout, host)));
}

/** Rewrites the proposals of every finding for a k3s / RKE2 node. */
export function guardK3sProposals(findings: Finding[], layout: K3sLayout, host: string): Finding[] {
  // a rewritten proposal does something else: its risk and rank are computed again (src/fix/risk.ts)
  return findings.map((f) => ({ ...f, fixes: guardK3sFixes(f.fixes, layout, f.host ?? host) }));
}
