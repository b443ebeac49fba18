// The built-in demo: small registries with real TLS faults, started in-process on loopback with certificates
// generated at run time, each diagnosed through the real check graph and adapters. A private node root (a temp
// directory used as --root) holds the containerd configuration some scenarios need (a trusted CA, a client pair).
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createCA, issueCert, selfSigned, type IssuedCert } from '../x509/build.js';
import { startMiniRegistry, type MiniRegistry, type MiniRegistryOptions } from './registry.js';
import type { CauseCode } from '../core/causes.js';

export const DEMO_DOMAIN = 'demo.regdoctor.test';

export interface DemoScenario {
  id: string;
  title: string;
  expect: CauseCode;
  /** Host name (resolved to 127.0.0.1 through the adapters' private hosts map). */
  host: string;
  registry: MiniRegistryOptions;
  /** PEM of the CA to trust for this host through hosts.toml (`ca`). */
  trustCa?: string;
  /** Client certificate pair to configure for this host (`client`). */
  client?: { cert: string; key: string };
  /** Write a hosts.toml (server = https://host:port) even without ca/client settings. */
  hostsToml?: boolean;
  /** Image path served (default demo/app:1.0). */
  repo?: string;
}

export interface DemoLab {
  scenarios: (DemoScenario & { port: number; image: string })[];
  root: string;
  hosts: Record<string, string>;
  close(): Promise<void>;
}

const DAY = 86400_000;

export function buildScenarios(now = Date.now()): DemoScenario[] {
  const h = (id: string) => `${id}.${DEMO_DOMAIN}`;
  const root = createCA({ cn: 'regdoctor demo Root CA', o: 'regdoctor demo' });
  const inter = issueCert(root, { cn: 'regdoctor demo Intermediate CA', o: 'regdoctor demo', isCA: true, pathLen: 0 });
  const privateRoot = createCA({ cn: 'Acme Private Root CA', o: 'Acme' });
  const leafFor = (issuer: IssuedCert, host: string, extra: Parameters<typeof issueCert>[1] = {}) =>
    issueCert(issuer, { cn: host, dns: [host], ...extra });
  const tlsOf = (leaf: IssuedCert, chain: IssuedCert[] = []) => ({
    cert: leaf.certPem,
    key: leaf.keyPem,
    chain: chain.map((c) => c.certPem).join('') || undefined,
  });
  const clientCa = createCA({ cn: 'regdoctor demo Client CA', o: 'regdoctor demo' });

  const ss = selfSigned({ cn: h('self-signed'), dns: [h('self-signed')] });
  const priv = leafFor(privateRoot, h('private-ca'));
  const wrong = leafFor(inter, `registry.internal.${DEMO_DOMAIN}`, { dns: [`registry.internal.${DEMO_DOMAIN}`] });
  const expired = leafFor(inter, h('expired'), { notBefore: new Date(now - 400 * DAY), notAfter: new Date(now - 35 * DAY) });
  const healthy = leafFor(inter, h('healthy'));
  const noInter = leafFor(inter, h('missing-intermediate'));
  const mtls = leafFor(inter, h('mtls'));
  return [
    { id: 'self-signed', title: 'self-signed certificate', expect: 'self-signed', host: h('self-signed'), registry: { tls: tlsOf(ss) } },
    {
      id: 'private-ca',
      title: 'certificate from a private CA the node does not trust',
      expect: 'untrusted-ca',
      host: h('private-ca'),
      registry: { tls: tlsOf(priv) },
    },
    {
      id: 'wrong-name',
      title: 'certificate issued for another name',
      expect: 'hostname-mismatch',
      host: h('wrong-name'),
      registry: { tls: tlsOf(wrong, [inter]) },
      trustCa: root.certPem,
    },
    {
      id: 'expired',
      title: 'expired certificate',
      expect: 'expired',
      host: h('expired'),
      registry: { tls: tlsOf(expired, [inter]) },
      trustCa: root.certPem,
    },
    {
      id: 'missing-intermediate',
      title: 'server omits its intermediate certificate',
      expect: 'incomplete-chain',
      host: h('missing-intermediate'),
      registry: { tls: tlsOf(noInter) },
      trustCa: root.certPem,
    },
    { id: 'plain-http', title: 'registry serving plain HTTP', expect: 'plain-http-registry', host: h('plain-http'), registry: {} },
    {
      id: 'mtls',
      title: 'registry that requires a client certificate',
      expect: 'client-cert-required',
      host: h('mtls'),
      registry: { tls: { ...tlsOf(mtls, [inter]), clientCa: clientCa.certPem } },
      trustCa: root.certPem,
    },
    {
      id: 'healthy',
      title: 'correctly configured registry (CA trusted through hosts.toml)',
      expect: 'healthy',
      host: h('healthy'),
      registry: { tls: tlsOf(healthy, [inter]) },
      trustCa: root.certPem,
    },
  ];
}

function hostsToml(host: string, port: number, s: DemoScenario): string {
  const hp = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  // the form every containerd version decodes: 1.x ignores a hosts.toml without a [host."…"] table
  const settings: string[] = [];
  if (s.trustCa) settings.push('ca = "ca.crt"');
  if (s.client) settings.push('client = [["client.crt", "client.key"]]');
  const lines = [
    `server = "https://${hp}"`,
    ...settings,
    '',
    `[host."https://${hp}"]`,
    '  capabilities = ["pull", "resolve"]',
    ...settings.map((l) => `  ${l}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** Starts every scenario's registry and writes the demo node root. */
export async function startDemoLab(scenarios = buildScenarios()): Promise<DemoLab> {
  const root = await mkdtemp(path.join(tmpdir(), 'regdoctor-demo-'));
  const started: MiniRegistry[] = [];
  const out: DemoLab['scenarios'] = [];
  const hosts: Record<string, string> = {};
  try {
    await mkdir(path.join(root, 'etc/containerd/certs.d'), { recursive: true });
    await writeFile(
      path.join(root, 'etc/containerd/config.toml'),
      ['version = 2', '', '[plugins."io.containerd.grpc.v1.cri".registry]', '  config_path = "/etc/containerd/certs.d"', ''].join('\n'),
    );
    for (const s of scenarios) {
      const reg = await startMiniRegistry({ repos: { 'demo/app': ['1.0'] }, ...s.registry });
      started.push(reg);
      if (!/^[\d.]+$|:/.test(s.host)) hosts[s.host] = '127.0.0.1';
      if (s.trustCa || s.client || s.hostsToml) {
        const dir = path.join(root, 'etc/containerd/certs.d', `${s.host}:${reg.port}`);
        await mkdir(dir, { recursive: true });
        if (s.trustCa) await writeFile(path.join(dir, 'ca.crt'), s.trustCa);
        if (s.client) {
          await writeFile(path.join(dir, 'client.crt'), s.client.cert);
          await writeFile(path.join(dir, 'client.key'), s.client.key, { mode: 0o600 });
        }
        await writeFile(path.join(dir, 'hosts.toml'), hostsToml(s.host, reg.port, s));
      }
      out.push({ ...s, port: reg.port, image: `${s.host}:${reg.port}/${s.repo ?? 'demo/app:1.0'}` });
    }
  } catch (err) {
    await Promise.all(started.map((r) => r.close()));
    await rm(root, { recursive: true, force: true });
    throw err;
  }
  return {
    scenarios: out,
    root,
    hosts,
    close: async () => {
      await Promise.all(started.map((r) => r.close()));
      await rm(root, { recursive: true, force: true });
    },
  };
}
