// The runtime model against the real containerd (issue 13, items 5, 6, 7 and 10): config.toml traps. For each, a real
// CRI pull runs in the lab and regdoctor's verdict and top prediction must equal what containerd really does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { Lab, labMode, PASSWORD, USER, type LabRegistry } from '../lab/lab.js';

const mode = labMode();
let lab: Lab;
let reg: LabRegistry;
let authReg: LabRegistry;
let base: string;

interface Fix {
  id: string;
  title: string;
  description: string;
  manualSteps: string[];
  actions: { kind: string }[];
}
interface Finding {
  code: string;
  severity: string;
  summary: string;
  source: string;
  evidence: string[];
  predictedRuntimeError?: string;
  fixes: Fix[];
}
interface Report {
  verdict: { code: string; predictedRuntimeError?: string };
  findings: Finding[];
  checks: { id: string; status: string; evidence: string[] }[];
}

const CRI = '[plugins."io.containerd.grpc.v1.cri".registry]';

describe.skipIf(!mode.run)(`runtime truth: config.toml traps${mode.reason ? ` (${mode.reason})` : ''}`, () => {
  beforeAll(async () => {
    // its own PID namespace: runtime-info reads this lab's containerd (start time), never another one on the machine
    lab = await Lab.start({ registries: [{ kind: 'healthy' }, { kind: 'basic-auth' }], pidNamespace: true });
    reg = lab.registries.find((r) => r.kind === 'healthy')!;
    authReg = lab.registries.find((r) => r.kind === 'basic-auth')!;
    base = lab.containerdConfig();
    expect(base).toContain(CRI);
  }, 60_000);
  afterAll(async () => {
    await lab?.stop();
  });

  const cfgFile = () => lab.hostPath('/etc/containerd/config.toml');

  /** A hosts.toml that trusts the lab CA (decodes on 1.x: it has a [host] table). */
  async function trust(r: LabRegistry, body?: string) {
    const dir = lab.hostPath(`/etc/containerd/certs.d/${r.hostPort}`);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'lab-root.pem'), lab.pki.root.certPem);
    await writeFile(
      path.join(dir, 'hosts.toml'),
      body ?? `server = "https://${r.hostPort}"\n\n[host."https://${r.hostPort}"]\n  ca = "lab-root.pem"\n`,
    );
  }

  async function untrust(r: LabRegistry) {
    await rm(lab.hostPath(`/etc/containerd/certs.d/${r.hostPort}`), { recursive: true, force: true });
  }

  /** config.toml = the lab's (config_path set) + extra TOML, and containerd restarted with it. */
  async function configure(extra: string, opts: { raw?: boolean; legacy?: boolean } = {}) {
    await writeFile(cfgFile(), configText(extra, opts.legacy));
    await lab.stopContainerd();
    if (opts.raw) await lab.startContainerdRaw();
    else await lab.startContainerd();
  }

  function configText(extra: string, legacy = false) {
    return `${legacy ? base.replace(/^\s*config_path = .*$/m, '') : base}${extra}`;
  }

  async function restore() {
    await configure('');
  }

  async function diagnose(image: string, pull = false): Promise<Report> {
    const r = await lab.runCli(['diagnose', image, '--json', ...(pull ? [] : ['--no-pull'])]);
    expect(r.stderr).toBe('');
    return JSON.parse(r.stdout) as Report;
  }

  const verdictFinding = (r: Report) => r.findings.find((f) => f.code === r.verdict.code)!;

  it('5. configs."h".auth is honoured with config_path set: a wrong password there is credentials-mismatch naming the table, exact error', async () => {
    await trust(authReg);
    const table = `[plugins."io.containerd.grpc.v1.cri".registry.configs."${authReg.hostPort}".auth]`;
    try {
      await configure(`\n${table}\n  username = "${USER}"\n  password = "not-the-password"\n`);
      const pull = await lab.pull(authReg.image); // no credentials from kubelet, as for a pod without pull secrets
      expect(pull.ok).toBe(false);
      for (const withPull of [false, true]) {
        const report = await diagnose(authReg.image, withPull);
        expect(report.verdict.code).toBe('credentials-mismatch');
        expect(report.verdict.predictedRuntimeError).toBe(pull.ok ? undefined : pull.message);
        const f = verdictFinding(report);
        expect(f.summary).toContain(`configs."${authReg.hostPort}".auth`);
        expect(f.summary).toContain('/etc/containerd/config.toml');
        expect(report.findings.some((x) => /no credentials/.test(x.summary))).toBe(false);
        expect(report.findings.map((x) => x.code)).not.toContain('credentials-missing');
        // the fix is the table (and a restart: config.toml is read at start), not a pull secret
        expect(f.fixes.map((x) => x.id)).not.toContain('pull-secret');
        expect(`${f.fixes[0]!.title} ${f.fixes[0]!.description}`).toContain(`configs."${authReg.hostPort}".auth`);
        expect(JSON.stringify(report)).not.toContain('not-the-password');
        if (withPull) expect(f.evidence).toContain('confirmed: a real CRI pull fails with exactly this message');
      }
      // the credential really is tested: with the right password the same table makes pulls work, and regdoctor agrees
      await configure(`\n${table}\n  username = "${USER}"\n  password = "${PASSWORD}"\n`);
      expect((await lab.pull(authReg.image)).ok).toBe(true);
      const ok = await diagnose(authReg.image);
      expect(ok.verdict.code).toBe('healthy');
      expect(JSON.stringify(ok)).not.toContain(PASSWORD);
    } finally {
      await untrust(authReg);
      await restore();
    }
  });

  it.each([
    [
      'configs."h".tls',
      (hp: string) => `[plugins."io.containerd.grpc.v1.cri".registry.configs."${hp}".tls]\n  ca_file = "/etc/containerd/lab-root.pem"\n`,
      '`configs.tls` cannot be set when `config_path` is provided',
    ],
    [
      'mirrors',
      (hp: string) => `[plugins."io.containerd.grpc.v1.cri".registry.mirrors."${hp}"]\n  endpoint = ["https://${hp}"]\n`,
      '`mirrors` cannot be set when `config_path` is provided',
    ],
  ])(
    '6. %s together with config_path: the CRI plugin does not load, every CRI call answers "unknown service"; one verdict config-conflict',
    async (_what, extra, logLine) => {
      await writeFile(lab.hostPath('/etc/containerd/lab-root.pem'), lab.pki.root.certPem);
      try {
        await configure(`\n${extra(reg.hostPort)}`, { raw: true });
        const pull = await lab.pull(reg.image);
        expect(pull.ok).toBe(false);
        expect(pull.ok ? '' : pull.message).toBe('unknown service runtime.v1.ImageService');
        expect(await lab.log('containerd')).toContain(logLine);
        for (const withPull of [false, true]) {
          const report = await diagnose(reg.image, withPull);
          expect(report.verdict.code).toBe('config-conflict');
          expect(report.verdict.predictedRuntimeError).toBe(pull.ok ? undefined : pull.message);
          // one cause: no x509 symptom from a model containerd is not running, no second "runtime unavailable"
          const blocking = report.findings.filter((f) => f.severity === 'error' || f.severity === 'critical');
          expect(blocking.map((f) => f.code)).toEqual(['config-conflict']);
          expect(report.findings.map((f) => f.code)).not.toContain('untrusted-ca');
          // the real CRI socket answers "unknown service": the plugin really is not loaded
          if (withPull) expect(verdictFinding(report).evidence.some((e) => e.startsWith('confirmed: '))).toBe(true);
        }
      } finally {
        await restore();
      }
    },
  );

  it('7. an http:// host on an HTTPS port reaches CRI as "400 Bad Request" from that host: predicted exactly', async () => {
    await trust(reg, `server = "http://${reg.hostPort}"\n\n[host."http://${reg.hostPort}"]\n  capabilities = ["pull", "resolve"]\n`);
    try {
      await lab.removeImage(reg.image).catch(() => undefined);
      const pull = await lab.pull(reg.image);
      expect(pull.ok).toBe(false);
      expect(pull.ok ? '' : pull.message).toContain(
        `pulling from host ${reg.hostPort} failed with status code [manifests 1.0]: 400 Bad Request`,
      );
      for (const withPull of [false, true]) {
        const report = await diagnose(reg.image, withPull);
        expect(report.verdict.code).toBe('http-client-to-https-server');
        expect(report.verdict.predictedRuntimeError).toBe(pull.ok ? undefined : pull.message);
      }
    } finally {
      await untrust(reg);
    }
  });

  it('10. config.toml already fixes the pull, only the restart is missing: config-not-applied is the verdict, with the restart as its fix', async () => {
    try {
      // containerd runs without config_path (legacy): certs.d is not read, the lab CA is not trusted
      await configure('', { legacy: true });
      await trust(reg);
      await lab.removeImage(reg.image).catch(() => undefined);
      const pull = await lab.pull(reg.image);
      expect(pull.ok).toBe(false);
      expect(pull.ok ? '' : pull.message).toMatch(/x509: certificate signed by unknown authority/);
      // the edit that fixes it, written after containerd started and not applied
      await new Promise((r) => setTimeout(r, 1500));
      await writeFile(cfgFile(), configText(''));
      expect(await lab.pull(reg.image)).toEqual(expect.objectContaining({ ok: false, message: pull.ok ? undefined : pull.message }));
      for (const withPull of [false, true]) {
        const report = await diagnose(reg.image, withPull);
        expect(report.verdict.code).toBe('config-not-applied');
        expect(report.verdict.predictedRuntimeError).toBe(pull.ok ? undefined : pull.message);
        const f = verdictFinding(report);
        expect(f.fixes[0]!.actions.map((a) => a.kind)).toEqual(['restart-runtime']);
        // the symptom is not a second cause
        expect(report.findings.filter((x) => x.severity === 'error' || x.severity === 'critical').map((x) => x.code)).toEqual([
          'config-not-applied',
        ]);
        if (withPull) expect(f.evidence).toContain('confirmed: a real CRI pull fails with exactly this message');
      }
      // the restart it names is the whole fix
      await lab.restartContainerd();
      expect((await lab.pull(reg.image)).ok).toBe(true);
      const after = await diagnose(reg.image, true);
      expect(after.verdict.code).toBe('healthy');
      expect(
        after.findings.filter((x) => x.code === 'config-not-applied'),
        JSON.stringify(after.findings.filter((x) => x.code === 'config-not-applied').map((x) => [x.summary, x.evidence])),
      ).toEqual([]);
    } finally {
      await untrust(reg);
      await restore();
    }
  });

  it('10b. a config.toml edit that does not change this registry stays a warning: the verdict is the cause the pull really meets', async () => {
    try {
      await configure('');
      await lab.removeImage(reg.image).catch(() => undefined);
      const pull = await lab.pull(reg.image);
      expect(pull.ok).toBe(false);
      await new Promise((r) => setTimeout(r, 1500));
      await writeFile(cfgFile(), configText('\n# an unrelated edit\n'));
      const report = await diagnose(reg.image);
      expect(report.verdict.code).toBe('untrusted-ca');
      expect(report.verdict.predictedRuntimeError).toBe(pull.ok ? undefined : pull.message);
      const w = report.findings.find((x) => x.code === 'config-not-applied');
      expect(w?.severity).toBe('warning');
    } finally {
      await restore();
    }
  });
});
