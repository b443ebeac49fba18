// No false alarms (issue 21): correct configurations on real lab nodes — hosts.toml variants, a Docker-style directory,
// a registry on 443 referenced without a port, a mirror, a k3s layout. The real containerd pulls every image, and
// regdoctor's report must say healthy with no warning at all: a doctor that cries wolf is ignored at 3 a.m.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab, labMode, type LabRegistry } from '../lab/lab.js';
import { K3sLab, k3sLabPrerequisites } from '../lab/k3s-lab.js';

const mode = labMode();

interface Report {
  verdict: { code: string };
  findings: { code: string; severity: string; summary: string }[];
}

const CERTS = '/etc/containerd/certs.d';

/** Every configuration is correct for the registry it names (the lab root CA signs every healthy registry's chain). */
const CASES: {
  name: string;
  port?: number;
  image?: (r: Record<string, LabRegistry>) => string;
  files: (l: Lab, r: LabRegistry, all: Record<string, LabRegistry>) => Record<string, string>;
}[] = [
  {
    // the standard form: server + a [host] table for the same URL with a CA file beside it
    name: 'standard',
    files: (l, r) => ({
      [`${CERTS}/${r.hostPort}/ca.crt`]: l.pki.root.certPem,
      [`${CERTS}/${r.hostPort}/hosts.toml`]: `server = "https://${r.hostPort}"\n\n[host."https://${r.hostPort}"]\n  ca = "ca.crt"\n`,
    }),
  },
  {
    // [host] only, no server line; an absolute ca path
    name: 'hostonly',
    files: (l, r) => ({
      '/etc/containerd/lab-root.pem': l.pki.root.certPem,
      [`${CERTS}/${r.hostPort}/hosts.toml`]: `[host."https://${r.hostPort}"]\n  ca = "/etc/containerd/lab-root.pem"\n`,
    }),
  },
  {
    // capabilities spelt out, ca as a list, a comment
    name: 'caps',
    files: (l, r) => ({
      [`${CERTS}/${r.hostPort}/lab-root.pem`]: l.pki.root.certPem,
      [`${CERTS}/${r.hostPort}/hosts.toml`]: `# managed by ansible\nserver = "https://${r.hostPort}"\n\n[host."https://${r.hostPort}"]\n  capabilities = ["pull", "resolve"]\n  ca = ["lab-root.pem"]\n`,
    }),
  },
  {
    // Docker-style directory: only ca.crt, no hosts.toml
    name: 'dockerdir',
    files: (l, r) => ({ [`${CERTS}/${r.hostPort}/ca.crt`]: l.pki.root.certPem }),
  },
  {
    // port 443, referenced without a port: the directory is the bare host
    name: 'port443',
    port: 443,
    files: (l, r) => ({
      [`${CERTS}/${r.host}/ca.crt`]: l.pki.root.certPem,
      [`${CERTS}/${r.host}/hosts.toml`]: `server = "https://${r.host}"\n\n[host."https://${r.host}"]\n  ca = "ca.crt"\n`,
    }),
  },
  {
    // a mirror tried first for pull/resolve, the upstream (also healthy) as server
    name: 'upstream',
    image: (r) => r.upstream!.image,
    files: (l, r, all) => ({
      [`${CERTS}/${r.hostPort}/lab-root.pem`]: l.pki.root.certPem,
      [`${CERTS}/${r.hostPort}/hosts.toml`]: [
        `server = "https://${r.hostPort}"`,
        `ca = "lab-root.pem"`,
        '',
        `[host."https://${all.mirror!.hostPort}"]`,
        '  capabilities = ["pull", "resolve"]',
        '  ca = "lab-root.pem"',
        '',
        `[host."https://${r.hostPort}"]`,
        '  ca = "lab-root.pem"',
        '',
      ].join('\n'),
    }),
  },
  { name: 'mirror', files: (l, r) => ({ [`${CERTS}/${r.hostPort}/ca.crt`]: l.pki.root.certPem }) },
];

function problems(r: Report): string[] {
  return r.findings.filter((f) => f.severity !== 'info').map((f) => `${f.severity} ${f.code}: ${f.summary}`);
}

describe.skipIf(!mode.run)(`healthy nodes: no false alarms${mode.reason ? ` (${mode.reason})` : ''}`, () => {
  let lab: Lab;
  const regs: Record<string, LabRegistry> = {};
  beforeAll(async () => {
    lab = await Lab.start({
      registries: CASES.map((c) => ({ kind: 'healthy' as const, name: c.name, port: c.port })),
      pidNamespace: true,
      files: (l) => {
        for (const [i, c] of CASES.entries()) regs[c.name] = l.registries[i]!;
        return Object.assign({}, ...CASES.map((c) => c.files(l, regs[c.name]!, regs)));
      },
    });
  }, 60_000);
  afterAll(async () => {
    await lab?.stop();
  });

  for (const c of CASES.filter((x) => x.name !== 'mirror')) {
    it(`${c.name}: the real pull works; regdoctor says healthy with zero warnings`, async () => {
      const image = c.image?.(regs) ?? regs[c.name]!.image;
      const pulled = await lab.pull(image);
      expect(pulled.ok, pulled.ok ? '' : pulled.message).toBe(true);
      for (const pull of [false, true]) {
        const r = await lab.runCli(['diagnose', image, '--json', ...(pull ? [] : ['--no-pull'])]);
        expect(r.stderr).toBe('');
        const report = JSON.parse(r.stdout) as Report;
        expect(problems(report), `${image}${pull ? '' : ' --no-pull'}`).toEqual([]);
        expect(report.verdict.code).toBe('healthy');
      }
    });
  }

  it('standard form, a tag that does not exist: still reported as not-found (the quieter note hides nothing)', async () => {
    const image = `${regs.standard!.hostPort}/lab/hello:no-such-tag`;
    const r = await lab.runCli(['diagnose', image, '--json', '--no-pull']);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.verdict.code).toBe('not-found');
    expect(report.findings.find((f) => f.code === 'not-found')!.summary).toContain('`server` entry');
  });
});

const k3sWhy = mode.run ? k3sLabPrerequisites() : mode.reason;
describe.skipIf(!mode.run || !!k3sWhy)(`healthy nodes: k3s layout${k3sWhy ? ` (${k3sWhy})` : ''}`, () => {
  let k: K3sLab;
  beforeAll(async () => {
    k = await K3sLab.start({
      registries: [
        { kind: 'healthy', name: 'edge' },
        { kind: 'healthy', name: 'edgemirror' },
      ],
      files: (l) => ({ '/etc/rancher/k3s/lab-root.pem': l.pki.root.certPem }),
      registriesYaml: (l) => {
        const [edge, m] = l.registries;
        return [
          'mirrors:',
          `  "${edge!.hostPort}":`,
          '    endpoint:',
          `      - "https://${m!.hostPort}"`,
          `      - "https://${edge!.hostPort}"`,
          'configs:',
          `  "${edge!.hostPort}":`,
          '    tls:',
          '      ca_file: /etc/rancher/k3s/lab-root.pem',
          `  "${m!.hostPort}":`,
          '    tls:',
          '      ca_file: /etc/rancher/k3s/lab-root.pem',
          '',
        ].join('\n');
      },
    });
  }, 60_000);
  afterAll(async () => {
    await k?.lab.stop();
  });

  it('registries.yaml mirror + configs rendered by k3s: the real pull works; healthy with zero warnings', async () => {
    for (const reg of k.lab.registries) {
      const pulled = await k.lab.pull(reg.image);
      expect(pulled.ok, pulled.ok ? '' : pulled.message).toBe(true);
      for (const pull of [false, true]) {
        const r = await k.lab.runCli(['diagnose', reg.image, '--json', ...(pull ? [] : ['--no-pull'])]);
        expect(r.stderr).toBe('');
        const report = JSON.parse(r.stdout) as Report;
        expect(problems(report), reg.image).toEqual([]);
        expect(report.verdict.code).toBe('healthy');
      }
    }
  });
});
