// End-to-end against the real Debian containerd (CRI) and real docker-registry instances in a private namespace:
// a real CRI pull fails, regdoctor names the cause, and its predicted message equals containerd's actual error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab, labMode, USER, PASSWORD, type RegistryKind } from '../lab/lab.js';
import { writeFile, mkdir } from 'node:fs/promises';
import * as path from 'node:path';

const mode = labMode();
let lab: Lab;

const expected: Record<Exclude<RegistryKind, 'healthy'>, string> = {
  'self-signed': 'self-signed',
  'private-ca': 'untrusted-ca',
  'missing-intermediate': 'incomplete-chain',
  'san-mismatch': 'hostname-mismatch',
  'plain-http': 'plain-http-registry',
  mtls: 'client-cert-required',
  'basic-auth': 'credentials-missing',
};

describe.skipIf(!mode.run)(`diagnose against a real containerd${mode.reason ? ` (${mode.reason})` : ''}`, () => {
  beforeAll(async () => {
    lab = await Lab.start({
      registries: [
        { kind: 'healthy', trustCa: true },
        { kind: 'self-signed' },
        { kind: 'private-ca' },
        { kind: 'missing-intermediate' },
        { kind: 'san-mismatch' },
        { kind: 'plain-http' },
        { kind: 'mtls', trustCa: true },
        { kind: 'basic-auth', trustCa: true },
      ],
    });
  }, 60_000);
  afterAll(async () => {
    await lab?.stop();
  });

  async function diagnoseJson(image: string) {
    const r = await lab.runCli(['diagnose', image, '--json', '--no-pull']);
    expect(r.stderr).toBe('');
    return JSON.parse(r.stdout);
  }

  it('the healthy registry pulls, and regdoctor says healthy', async () => {
    const h = lab.registries.find((r) => r.kind === 'healthy')!;
    expect((await lab.pull(h.image)).ok).toBe(true);
    const report = await diagnoseJson(h.image);
    expect(report.verdict.code).toBe('healthy');
  });

  for (const [kind, code] of Object.entries(expected)) {
    it(`${kind}: real pull fails; regdoctor says ${code} and predicts containerd's exact error`, async () => {
      const reg = lab.registries.find((r) => r.kind === kind)!;
      const pull = await lab.pull(reg.image);
      expect(pull.ok).toBe(false);
      const report = await diagnoseJson(reg.image);
      expect(report.verdict.code).toBe(code);
      expect(report.verdict.predictedRuntimeError).toBe(pull.ok ? undefined : pull.message);
      // the Go version was read from the real binary
      expect(report.checks.find((c: { id: string }) => c.id === 'runtime-info').summary).toMatch(/built with go1\.\d+/);
    });
  }

  it('basic auth with the right credentials pulls; with wrong ones the registry refuses', async () => {
    const reg = lab.registries.find((r) => r.kind === 'basic-auth')!;
    expect((await lab.pull(reg.image, { username: USER, password: PASSWORD })).ok).toBe(true);
    expect((await lab.pull(reg.image, { username: USER, password: 'wrong' })).ok).toBe(false);
  });

  it('a missing tag on a working registry: not-found, exact wording', async () => {
    const h = lab.registries.find((r) => r.kind === 'healthy')!;
    const image = `${h.hostPort}/lab/hello:does-not-exist`;
    const pull = await lab.pull(image);
    expect(pull.ok).toBe(false);
    const report = await diagnoseJson(image);
    expect(report.verdict.code).toBe('not-found');
    expect(report.verdict.predictedRuntimeError).toBe(pull.ok ? undefined : pull.message);
  });

  it('[host."<registry>"] with a CA beside `server`: existing tags pull, a missing tag fails with x509 from the server entry — predicted exactly', async () => {
    const reg = lab.registries.find((r) => r.kind === 'missing-intermediate')!;
    const dir = lab.hostPath(`/etc/containerd/certs.d/${reg.hostPort}`);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'bundle.crt'), lab.pki.inter.certPem + lab.pki.root.certPem);
    await writeFile(
      path.join(dir, 'hosts.toml'),
      `server = "https://${reg.hostPort}"\n\n[host."https://${reg.hostPort}"]\n  capabilities = ["pull", "resolve"]\n  ca = "bundle.crt"\n`,
    );
    try {
      expect((await lab.pull(reg.image)).ok).toBe(true);
      const healthyReport = await diagnoseJson(reg.image);
      expect(healthyReport.verdict.code).toBe('healthy');
      expect(healthyReport.findings.map((f: { code: string }) => f.code)).toContain('config-ignored');
      const missing = `${reg.hostPort}/lab/hello:nope`;
      const pull = await lab.pull(missing);
      expect(pull.ok).toBe(false);
      const report = await diagnoseJson(missing);
      expect(report.verdict.predictedRuntimeError).toBe(pull.ok ? undefined : pull.message);
    } finally {
      const { rm } = await import('node:fs/promises');
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('with the real CRI pull on: the prediction is confirmed by the pull itself', async () => {
    const reg = lab.registries.find((r) => r.kind === 'self-signed')!;
    const r = await lab.runCli(['diagnose', reg.image, '--json']);
    const report = JSON.parse(r.stdout);
    expect(report.verdict.code).toBe('self-signed');
    const pullCheck = report.checks.find((c: { id: string }) => c.id === 'cri-pull');
    expect(pullCheck.status).toBe('fail');
    const f = report.findings.find((x: { code: string }) => x.code === 'self-signed');
    expect(f.evidence).toContain('confirmed: a real CRI pull fails with exactly this message');
    expect(report.findings.some((x: { code: string; source: string }) => x.code === 'unknown' && x.source === 'cri-pull')).toBe(false);
  });

  it('mirrors + config_path: the CRI plugin refuses to load; regdoctor says config-conflict, confirmed by the CRI socket', async () => {
    const cfgPath = lab.hostPath('/etc/containerd/config.toml');
    const { readFile } = await import('node:fs/promises');
    const original = await readFile(cfgPath, 'utf8');
    const reg = lab.registries.find((r) => r.kind === 'healthy')!;
    try {
      await writeFile(
        cfgPath,
        `${original}\n[plugins."io.containerd.grpc.v1.cri".registry.mirrors."docker.io"]\n  endpoint = ["https://mirror.lab.test"]\n`.replace(
          '[plugins."io.containerd.grpc.v1.cri".registry]',
          '[plugins."io.containerd.grpc.v1.cri".registry]',
        ),
      );
      await lab.stopContainerd();
      await lab.startContainerdRaw();
      const r = await lab.runCli(['diagnose', reg.image, '--json']);
      const report = JSON.parse(r.stdout);
      expect(report.verdict.code).toBe('config-conflict');
      // the unavailable CRI service is the conflict's effect, not a second cause (issue 13 item 6)
      expect(report.findings.map((f: { code: string }) => f.code)).not.toContain('runtime-unavailable');
      const conflict = report.findings.find((f: { code: string }) => f.code === 'config-conflict');
      expect(conflict.evidence.some((e: string) => /^confirmed: the CRI socket answers "unknown service runtime\.v1\./.test(e))).toBe(true);
      expect(await lab.log('containerd')).toContain('`mirrors` cannot be set when `config_path` is provided');
    } finally {
      await writeFile(cfgPath, original);
      await lab.restartContainerd();
    }
  });
});
