// k3s / RKE2 layout in the lab (issue 21): k3s itself does not run; its config.toml is written the way k3s writes it,
// certs.d is rendered from registries.yaml (test/lab/k3s-render.py), and the real containerd reads them. regdoctor must
// read those files (not /etc/containerd), find the node healthy with no warning, report an edited-but-not-rendered
// registries.yaml as config-not-applied, and fix an untrusted CA in registries.yaml (never the generated files).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { labMode, type LabRegistry } from '../lab/lab.js';
import { K3S_CONTAINERD, K3S_REGISTRIES, K3sLab, k3sLabPrerequisites } from '../lab/k3s-lab.js';

const base = labMode();
const why = base.run ? k3sLabPrerequisites() : base.reason;
const mode = { run: base.run && !why, reason: why };
const ALIAS = 'alias.lab.test:5000';

interface Report {
  verdict: { code: string };
  findings: { code: string; severity: string; summary: string }[];
}

const registriesYaml = (hostPort: string, ca: string) =>
  `# edge site registries (hand-written)\nmirrors:\n  ${ALIAS}:\n    endpoint:\n      - "https://${hostPort}"\nconfigs:\n  "${hostPort}":\n    tls:\n      ca_file: ${ca} # the lab root\n`;

async function diagnose(lab: K3sLab, image: string, pull = false): Promise<Report> {
  const r = await lab.lab.runCli(['diagnose', image, '--json', ...(pull ? [] : ['--no-pull'])]);
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as Report;
}

const notInfo = (r: Report) => r.findings.filter((f) => f.severity !== 'info').map((f) => `${f.code}: ${f.summary}`);

describe.skipIf(!mode.run)(`k3s layout${mode.reason ? ` (${mode.reason})` : ''}`, () => {
  let k: K3sLab;
  let reg: LabRegistry;
  beforeAll(async () => {
    k = await K3sLab.start({
      registries: [{ kind: 'healthy' }],
      files: (l) => ({ '/etc/rancher/k3s/lab-ca.pem': l.pki.root.certPem }),
      registriesYaml: (l) => registriesYaml(l.registries[0]!.hostPort, '/etc/rancher/k3s/lab-ca.pem'),
    });
    reg = k.lab.registries[0]!;
  }, 60_000);
  afterAll(async () => {
    await k?.lab.stop();
  });

  it('containerd pulls through the rendered files; regdoctor reads them and finds the node healthy, no warning', async () => {
    expect((await k.lab.pull(`${ALIAS}/lab/hello:1.0`)).ok).toBe(true);
    expect((await k.lab.pull(reg.image)).ok).toBe(true);
    for (const image of [reg.image, `${ALIAS}/lab/hello:1.0`]) {
      const report = await diagnose(k, image);
      expect(notInfo(report)).toEqual([]);
      expect(report.verdict.code).toBe('healthy');
    }
    // with the CRI pull: the registry config containerd reports (config_path of the rendered file) matches what is read
    const live = await diagnose(k, reg.image, true);
    expect(notInfo(live)).toEqual([]);
    expect(live.verdict.code).toBe('healthy');
  });

  it('registries.yaml edited but not rendered (service not restarted): config-not-applied naming systemctl restart k3s', async () => {
    const before = readFileSync(k.lab.hostPath(K3S_REGISTRIES), 'utf8');
    await writeFile(k.lab.hostPath(K3S_REGISTRIES), registriesYaml(reg.hostPort, '/etc/rancher/k3s/new-ca.pem'));
    try {
      const report = await diagnose(k, reg.image);
      const f = report.findings.find((x) => x.code === 'config-not-applied')!;
      expect(f.summary).toContain('ca_file');
      expect(f.summary).toContain('systemctl restart k3s');
      // containerd still pulls with what is rendered: the edit has not reached it
      expect((await k.lab.pull(reg.image)).ok).toBe(true);
    } finally {
      await writeFile(k.lab.hostPath(K3S_REGISTRIES), before);
    }
  });
});

/** Every file under a directory (relative path → bytes), to compare trees byte for byte. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = path.join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out[path.relative(dir, p)] = readFileSync(p).toString('base64');
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

describe.skipIf(!mode.run)(`k3s layout: fix an untrusted CA in registries.yaml${mode.reason ? ` (${mode.reason})` : ''}`, () => {
  let k: K3sLab;
  let reg: LabRegistry;
  const YAML = '# registries for this node\nmirrors:\n  docker.io:\n    endpoint:\n      - "https://mirror.lab.test:5000" # kept as is\n';
  beforeAll(async () => {
    k = await K3sLab.start({
      registries: [{ kind: 'private-ca' }],
      files: (l) => ({ '/var/lib/regdoctor/supplied-ca.pem': l.pki.privateRoot.certPem }),
      registriesYaml: () => YAML,
    });
    reg = k.lab.registries[0]!;
  }, 60_000);
  afterAll(async () => {
    await k?.lab.stop();
  });

  it('the CA goes into configs."host".tls.ca_file, k3s re-renders, the real pull works; rollback restores registries.yaml byte for byte', async () => {
    const yamlPath = k.lab.hostPath(K3S_REGISTRIES);
    const etcBefore = snapshot(k.lab.hostPath('/etc/rancher/k3s'));
    const failing = await k.lab.pull(reg.image);
    expect(failing.ok).toBe(false);
    expect(failing.ok ? '' : failing.message).toContain('x509');

    const restarts = k.serveRestarts();
    try {
      const fix = await k.lab.runCli([
        'fix',
        reg.image,
        '--yes',
        '--ca',
        '/var/lib/regdoctor/supplied-ca.pem',
        '--restart-cmd',
        restarts.cmd,
      ]);
      expect(fix.stderr).toBe('');
      expect(fix.stdout).toContain(`edit ${K3S_REGISTRIES}`);
      expect(fix.stdout).toContain('verified: a real CRI pull now succeeds');
      expect(restarts.count).toBe(1);
      // registries.yaml: the old lines kept, the host's tls.ca_file added; the CA beside it; k3s rendered it
      const after = readFileSync(yamlPath, 'utf8');
      expect(after.startsWith(YAML)).toBe(true);
      const caFile = after.match(/ca_file: "([^"]+)"/)![1]!;
      expect(after.slice(YAML.length)).toBe(`configs:\n  "${reg.hostPort}":\n    tls:\n      ca_file: "${caFile}"\n`);
      expect(caFile.startsWith(`/etc/rancher/k3s/regdoctor/${reg.hostPort}/`)).toBe(true);
      expect(readFileSync(k.lab.hostPath(caFile), 'utf8')).toBe(k.lab.pki.privateRoot.certPem);
      const rendered = readFileSync(k.lab.hostPath(`${K3S_CONTAINERD}/certs.d/${reg.hostPort}/hosts.toml`), 'utf8');
      expect(rendered).toContain(`ca = ["${caFile}"]`);
      // the node is healthy now, with no warning
      const report = await diagnose(k, reg.image);
      expect(notInfo(report)).toEqual([]);
      expect(report.verdict.code).toBe('healthy');

      await k.lab.removeImage(reg.image);
      const rb = await k.lab.runCli(['rollback', '--restart-cmd', restarts.cmd]);
      expect(rb.code, rb.stdout + rb.stderr).toBe(0);
      expect(restarts.count).toBe(2);
      expect(readFileSync(yamlPath, 'utf8')).toBe(YAML);
      expect(snapshot(k.lab.hostPath('/etc/rancher/k3s'))).toEqual(etcBefore);
      expect(existsSync(k.lab.hostPath(`${K3S_CONTAINERD}/certs.d/${reg.hostPort}`))).toBe(false);
      const again = await k.lab.pull(reg.image);
      expect(again.ok).toBe(false);
    } finally {
      await restarts.stop();
    }
  }, 120_000);
});
