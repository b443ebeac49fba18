// `regdoctor audit` end to end (issue 19 item 2): a lab node configured for six registries — healthy, skip-verify,
// deprecated legacy credentials, plain HTTP, a certificate expiring in 10 days, and a broken trust — each configured
// the way operators do it (hosts.toml directories, a legacy configs table in config.toml), all served by real
// docker-registry instances and read by the real containerd. One audit finds every one of them from the node's files,
// diagnoses them in parallel and names the right codes; JSON, JUnit and the report exports carry the same result;
// a total time bound that is too short leaves the rest "not diagnosed" instead of running on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { Lab, labMode, PASSWORD, REPO_ROOT, USER, type LabRegistry } from '../lab/lab.js';

const mode = labMode();
let lab: Lab;
const REG = 'plugins."io.containerd.grpc.v1.cri".registry';

interface Entry {
  host: string;
  target: string;
  state: string;
  verdict: { code: string };
  warnings: string[];
  problems: string[];
  expiry?: { notAfter: string; daysLeft: number };
  sources: { kind: string; where: string }[];
  harden?: string;
}
interface AuditDoc {
  schema: string;
  incomplete: boolean;
  summary: Record<string, number>;
  registries: Entry[];
  limits: { parallel: number; totalTimeoutMs: number };
}

const reg = (host: string): LabRegistry => lab.registries.find((r) => r.host === host)!;

describe.skipIf(!mode.run)(`regdoctor audit on a lab node with six registries${mode.reason ? ` (${mode.reason})` : ''}`, () => {
  beforeAll(async () => {
    lab = await Lab.start({
      registries: [
        { kind: 'healthy' },
        { kind: 'self-signed' },
        { kind: 'basic-auth' },
        { kind: 'plain-http' },
        { kind: 'healthy', name: 'expiring', expiresInDays: 10 },
        { kind: 'private-ca' },
      ],
      // deprecated but still honoured beside config_path: credentials in the legacy configs table
      extraConfig: `\n[${REG}.configs."basic-auth.lab.test:5000".auth]\n  username = "${USER}"\n  password = "${PASSWORD}"\n`,
    });
    const certsd = (hp: string) => lab.hostPath(`/etc/containerd/certs.d/${hp}`);
    const write = async (hp: string, files: Record<string, string>) => {
      await mkdir(certsd(hp), { recursive: true });
      for (const [f, t] of Object.entries(files)) await writeFile(path.join(certsd(hp), f), t);
    };
    // trust the lab CA, in the form containerd 1.6 decodes ([host] table)
    for (const h of ['healthy', 'basic-auth', 'expiring']) {
      const r = reg(`${h}.lab.test`);
      await write(r.hostPort, {
        'ca.crt': lab.pki.root.certPem,
        'hosts.toml': `server = "https://${r.hostPort}"\nca = "ca.crt"\n\n[host."https://${r.hostPort}"]\n  ca = "ca.crt"\n`,
      });
    }
    // skip-verify in hosts.toml (in the [host] table containerd 1.6 decodes, and at the root)
    const self = reg('self-signed.lab.test');
    await write(self.hostPort, {
      'hosts.toml': `server = "https://${self.hostPort}"\nskip_verify = true\n\n[host."https://${self.hostPort}"]\n  skip_verify = true\n`,
    });
    // plain HTTP through hosts.toml
    const plain = reg('plain-http.lab.test');
    await write(plain.hostPort, {
      'hosts.toml': `server = "http://${plain.hostPort}"\n\n[host."http://${plain.hostPort}"]\n  capabilities = ["pull", "resolve"]\n`,
    });
    // broken: trusts the wrong CA (the lab root; the registry's certificate is from another private root)
    const broken = reg('private-ca.lab.test');
    await write(broken.hostPort, {
      'ca.crt': lab.pki.root.certPem,
      'hosts.toml': `server = "https://${broken.hostPort}"\n\n[host."https://${broken.hostPort}"]\n  ca = "ca.crt"\n`,
    });
  }, 60_000);
  afterAll(async () => {
    await lab?.stop();
  });

  it('finds the six registries from the node files, diagnoses each in parallel and names the right codes; exports agree', async () => {
    // the setups really work (or really fail) with containerd
    for (const h of ['healthy', 'self-signed', 'plain-http', 'expiring'])
      expect((await lab.pull(reg(`${h}.lab.test`).image)).ok, h).toBe(true);
    expect((await lab.pull(reg('private-ca.lab.test').image)).ok).toBe(false);

    const junit = path.join(lab.base, 'audit.xml');
    const md = path.join(lab.base, 'audit.md');
    const html = path.join(lab.base, 'audit.html');
    const t0 = Date.now();
    const r = await lab.runCli(['audit', '--json', '--parallel', '3', '--junit', junit, '--report', md], { env: { KUBECONFIG: '' } });
    const elapsed = Date.now() - t0;
    expect(r.code, r.stderr).toBe(1); // one registry is broken
    const doc = JSON.parse(r.stdout) as AuditDoc;
    expect(doc.schema).toBe('regdoctor/audit@1');
    expect(doc.incomplete).toBe(false);
    expect(doc.limits.parallel).toBe(3);
    const by = Object.fromEntries(doc.registries.map((e) => [e.host, e]));
    expect(Object.keys(by).sort()).toEqual(lab.registries.map((x) => x.hostPort).sort());
    const e = (h: string) => by[reg(`${h}.lab.test`).hostPort]!;

    expect([e('healthy').verdict.code, e('healthy').warnings, e('healthy').problems]).toEqual(['healthy', [], []]);
    expect(e('healthy').sources.map((s) => s.kind)).toEqual(['hosts-toml']);

    expect(e('self-signed').verdict.code).toBe('healthy');
    expect(e('self-signed').warnings).toContain('verification-disabled');
    expect(e('self-signed').harden).toMatch(/^regdoctor fix --harden self-signed\.lab\.test:5000\/REPOSITORY:TAG$/);

    expect(e('basic-auth').verdict.code).toBe('healthy');
    expect(e('basic-auth').warnings).toContain('config-deprecated');
    // config.toml holds the password and is world-readable (0644): flagged too
    expect(e('basic-auth').warnings).toContain('credentials-exposed');
    expect(
      e('basic-auth')
        .sources.map((s) => s.kind)
        .sort(),
    ).toEqual(['hosts-toml', 'legacy-config']);
    expect(e('basic-auth').warnings).not.toContain('verification-disabled');
    // credentials in configs.auth move to kubelet by hand: harden offers nothing for them
    expect(e('basic-auth').harden).toBeUndefined();

    expect(e('plain-http').verdict.code).toBe('healthy');
    expect(e('plain-http').warnings).toEqual(['plain-http-registry']);
    expect(e('plain-http').expiry).toBeUndefined();

    expect(e('expiring').verdict.code).toBe('healthy');
    expect(e('expiring').warnings).toEqual(['certificate-expiring']);
    expect(e('expiring').expiry!.daysLeft).toBeGreaterThanOrEqual(9);
    expect(e('expiring').expiry!.daysLeft).toBeLessThanOrEqual(10);

    expect(e('private-ca').verdict.code).toBe('untrusted-ca');
    expect(e('private-ca').problems).toContain('untrusted-ca');

    // no secret on any output
    expect(r.stdout).not.toContain(PASSWORD);
    expect(doc.summary).toMatchObject({ registries: 6, healthy: 1, withWarnings: 4, problems: 1, notDiagnosed: 0 });
    // parallel: well under six sequential diagnoses' worth of probing time is not asserted; bounded: it finished
    expect(elapsed).toBeLessThan(60_000);

    const xml = await readFile(junit, 'utf8');
    expect((xml.match(/<testcase /g) ?? []).length).toBe(6);
    expect((xml.match(/<failure /g) ?? []).length).toBe(1);
    expect(xml).toMatch(/name="private-ca\.lab\.test:5000"[^>]*><failure message="untrusted-ca/);
    expect(xml).toMatch(/name="self-signed\.lab\.test:5000"[^>]*><system-out>[^<]*verification-disabled/);
    const mdText = await readFile(md, 'utf8');
    expect(mdText).toMatch(/\| self-signed\.lab\.test:5000 \| healthy \| verification-disabled \|/);
    expect(mdText).not.toContain(PASSWORD);

    // the text table on a non-terminal: one row per registry with its codes, and the harden command
    const text = await lab.runCli(['audit', '--report', html], { env: { KUBECONFIG: '' } });
    expect(text.code).toBe(1);
    for (const x of lab.registries) expect(text.stdout).toContain(x.hostPort);
    expect(text.stdout).toMatch(/HOST +VERDICT +WARNINGS +EXPIRY +CONFIGURED/);
    expect(text.stdout).toMatch(/✗ private-ca\.lab\.test:5000 +untrusted-ca/);
    expect(text.stdout).toMatch(/! expiring\.lab\.test:5000 +healthy +certificate-expiring +\d{4}-\d\d-\d\d \(\d+d\) +hosts\.toml/);
    expect(text.stdout).toContain('harden: regdoctor fix --harden self-signed.lab.test:5000/REPOSITORY:TAG');
    // one line per cause under each registry that needs attention
    expect(text.stdout).toMatch(
      /! expiring\.lab\.test:5000: certificate-expiring\n {4}certificate-expiring: a certificate of the registry chain expires soon/,
    );
    expect(text.stdout.match(/ {4}verification-disabled: /g)).toHaveLength(1);
    expect(await readFile(html, 'utf8')).toMatch(/<tr class="bad"><td><code>private-ca\.lab\.test:5000<\/code>/);
  }, 120_000);

  it('on a real terminal: the Ink table, f on a registry without an image says why, q quits', async () => {
    const cli = process.env.REGDOCTOR_LAB_CLI ?? path.join(REPO_ROOT, 'bin/regdoctor.js');
    // a terminal of a known size (script(1) under a test runner has none)
    const cmd = `stty cols 120 rows 40; exec ${[process.execPath, cli, 'audit'].map((a) => `'${a}'`).join(' ')}`;
    const child = spawn('nsenter', ['-t', String(lab.pid), '-n', '-m', '--', 'script', '-qfec', cmd, '/dev/null'], {
      cwd: REPO_ROOT,
      env: Object.fromEntries(
        Object.entries({ ...process.env, NO_COLOR: '1', TERM: 'xterm', KUBECONFIG: '', HTTPS_PROXY: '', https_proxy: '' }).filter(
          ([k]) => k !== 'CI' && !k.startsWith('CI_'),
        ),
      ),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const until = async (re: RegExp, ms = 30_000) => {
      const t0 = Date.now();
      while (!re.test(out)) {
        if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${re}: ${out.slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const code = new Promise<number | null>((res) => child.on('close', res));
    await until(/\[f\] harden the selected registry/);
    // rows are sorted: basic-auth, expiring, healthy, plain-http, private-ca, self-signed — go to self-signed
    for (let i = 0; i < 5; i++) {
      child.stdin.write('\u001b[B');
      await new Promise((r) => setTimeout(r, 150));
    }
    await until(/harden: regdoctor fix --harden self-signed\.lab\.test:5000\/REPOSITORY:TAG/);
    child.stdin.write('f');
    await until(/no image of this registry runs here/);
    child.stdin.write('q');
    expect(await code).toBe(1);
    for (const x of lab.registries) expect(out).toContain(x.hostPort);
    expect(out).toMatch(/✗ private-ca\.lab\.test:5000 +untrusted-ca/);
  }, 60_000);

  it('a total time bound too short for all of them: finished ones are reported, the rest "not diagnosed", exit 1', async () => {
    const t0 = Date.now();
    // 60 ms for six diagnoses one after another: shorter than they take together (each is tens of ms of CPU at the
    // least), however fast the machine (300 ms was no longer too short once a diagnosis took ~50 ms)
    const r = await lab.runCli(['audit', '--json', '--parallel', '1', '--timeout', '60'], { env: { KUBECONFIG: '' } });
    const elapsed = Date.now() - t0;
    const doc = JSON.parse(r.stdout) as AuditDoc;
    expect(r.code).toBe(1);
    expect(doc.incomplete).toBe(true);
    expect(doc.registries).toHaveLength(6);
    expect(doc.registries.filter((x) => x.state !== 'diagnosed').length).toBeGreaterThan(0);
    expect(doc.summary.notDiagnosed).toBe(doc.registries.filter((x) => x.state !== 'diagnosed').length);
    // the bound holds (process start and discovery included)
    expect(elapsed).toBeLessThan(10_000);
  }, 60_000);
});
