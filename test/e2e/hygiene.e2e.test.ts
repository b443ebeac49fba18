// End-to-end: "healthy" is not the end. The common runbook — legacy `configs."<host>".tls.insecure_skip_verify = true`
// (plus the cargo-cult `configs."<host>".http.skip_verify`) — applied to a self-signed registry makes the real pull
// work; regdoctor keeps the verdict healthy but warns verification-disabled + config-deprecated, exit 0, and exit 1
// with --strict. A plain-HTTP registry reached through a legacy http:// mirror warns plain-http-registry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab, labMode } from '../lab/lab.js';

const mode = labMode();
let lab: Lab;

const SELF = 'self-signed.lab.test:5000';
const PLAIN = 'plain-http.lab.test:5000';
const REG = 'plugins."io.containerd.grpc.v1.cri".registry';
const RUNBOOK = `
[${REG}.configs."${SELF}".tls]
  insecure_skip_verify = true
[${REG}.configs."${SELF}".http]
  skip_verify = true
[${REG}.mirrors."${PLAIN}"]
  endpoint = ["http://${PLAIN}"]
`;

interface Finding {
  code: string;
  severity: string;
  summary: string;
  data?: Record<string, unknown>;
}

describe.skipIf(!mode.run)(`warnings on working but unsafe setups, real containerd${mode.reason ? ` (${mode.reason})` : ''}`, () => {
  beforeAll(async () => {
    lab = await Lab.start({ registries: [{ kind: 'self-signed' }, { kind: 'plain-http' }], legacy: true, extraConfig: RUNBOOK });
  }, 60_000);
  afterAll(async () => {
    await lab?.stop();
  });

  it('the runbook on a self-signed registry: the real pull works, verdict healthy with verification-disabled + config-deprecated, exit 0 (1 with --strict)', async () => {
    const reg = lab.registries.find((r) => r.kind === 'self-signed')!;
    expect((await lab.pull(reg.image)).ok).toBe(true);
    const r = await lab.runCli(['diagnose', reg.image, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.verdict.code).toBe('healthy');
    expect(report.checks.find((c: { id: string }) => c.id === 'cri-pull').status).toBe('pass');
    const byCode = (code: string) => (report.findings as Finding[]).filter((f) => f.code === code);
    const [vd] = byCode('verification-disabled');
    expect(vd?.severity).toBe('warning');
    // what the certificate really is, and the certificate to trust instead (the self-signed leaf itself)
    expect(vd?.data).toMatchObject({ certificate: 'self-signed', trustSha256: reg.leaf!.info.sha256 });
    expect(vd?.summary).toMatch(/self-signed/);
    const [dep] = byCode('config-deprecated');
    expect(dep?.severity).toBe('warning');
    expect(dep?.data?.tables).toEqual([`configs."${SELF}".tls`]);
    expect(report.verdict.summary).toMatch(/verification-disabled/);

    const strict = await lab.runCli(['diagnose', reg.image, '--json', '--strict']);
    expect(strict.code).toBe(1);
    expect(JSON.parse(strict.stdout).verdict.code).toBe('healthy');
  });

  it('a registry reached over plain HTTP through a legacy http:// mirror: pull works, plain-http-registry is a warning, verdict healthy', async () => {
    const reg = lab.registries.find((r) => r.kind === 'plain-http')!;
    expect((await lab.pull(reg.image)).ok).toBe(true);
    const r = await lab.runCli(['diagnose', reg.image, '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.verdict.code).toBe('healthy');
    const codes = (report.findings as Finding[]).filter((f) => f.severity === 'warning').map((f) => f.code);
    expect(codes).toContain('plain-http-registry');
    expect(codes).toContain('config-deprecated');
    expect(codes).not.toContain('verification-disabled');
  });
});
