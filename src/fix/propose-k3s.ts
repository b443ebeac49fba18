// k3s / RKE2 nodes: containerd's config.toml and certs.d are generated from registries.yaml and overwritten whenever
// the service starts, so no fix may edit them. File changes for containerd are refused (pointing at registries.yaml);
// a restart restarts the service that renders the files and runs containerd. Other files (the system CA store) are
// left as planned. Data only: nothing is applied here.
import type { Finding, FixAction, FixProposal } from '../core/types.js';
import type { K3sLayout } from '../runtime/k3s.js';
import { shellJoin } from '../text/shell.js';

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
      ? `edit ${layout.registriesYaml}: under configs: > ${JSON.stringify(host)}: > tls: set ${setting}`
      : `make the change in ${layout.registriesYaml} (mirrors: endpoint/rewrite, configs: tls/auth)`,
    `${restart}   # ${layout.flavour} renders config.toml and certs.d/*/hosts.toml again and restarts containerd`,
  ];
}

function guard(p: FixProposal, layout: K3sLayout, host: string): FixProposal {
  if (p.where !== 'node') return p;
  if (p.actions.some((a) => touchesContainerdConfig(a, layout))) {
    return {
      ...p,
      actions: [],
      blocked: `this is a ${layout.flavour} node: ${layout.configToml} and ${layout.certsDir} are generated from ${layout.registriesYaml} and overwritten when ${layout.service} starts, so regdoctor does not edit them. Make the change in ${layout.registriesYaml} and restart ${layout.service}.`,
      manualSteps: registriesHint(layout, host, p),
    };
  }
  if (p.actions.some((a) => a.kind === 'restart-runtime')) {
    return {
      ...p,
      title: `Restart ${layout.service} so ${layout.flavour} renders the current configuration and restarts containerd`,
      manualSteps: [shellJoin(['systemctl', 'restart', layout.service])],
      actions: p.actions.map((a) => (a.kind === 'restart-runtime' ? { ...a, service: layout.service } : a)),
    };
  }
  return p;
}

/** Rewrites the proposals of every finding for a k3s / RKE2 node. */
export function guardK3sProposals(findings: Finding[], layout: K3sLayout, host: string): Finding[] {
  return findings.map((f) => ({ ...f, fixes: f.fixes.map((p) => guard(p, layout, host)) }));
}
