// The endpoint walk against the real containerd (issue 13, items 8, 9, 12): hosts tried in containerd's order, a
// failing mirror paid on every request, and redirects followed as Go's net/http client inside containerd follows them.
// For each case a real CRI pull runs in the lab and regdoctor's verdict and top prediction must equal what containerd
// really does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { Lab, labMode, PASSWORD, REPO_ROOT, USER, type LabRegistry } from '../lab/lab.js';
import { issueCert } from '../../src/x509/build.js';
import { cleanCase, diagnoseInLab, expectPredictedFailure } from '../lab/truth.js';

const mode = labMode();
let lab: Lab;
let reg: LabRegistry;
let bad: LabRegistry;

const REDIRECT_IP = '127.0.0.40';
const REDIRECT_HOST = 'redirect.lab.test';

describe.skipIf(!mode.run)(`runtime truth: the endpoint walk${mode.reason ? ` (${mode.reason})` : ''}`, () => {
  beforeAll(async () => {
    lab = await Lab.start({ registries: [{ kind: 'healthy' }, { kind: 'self-signed' }, { kind: 'basic-auth' }] });
    reg = lab.registries[0]!;
    bad = lab.registries[1]!;
    await lab.addHost(REDIRECT_IP, REDIRECT_HOST);
  }, 60_000);
  afterAll(async () => {
    await lab?.stop();
  });

  async function clean() {
    for (const n of [reg.hostPort, bad.hostPort, `${REDIRECT_HOST}:5000`]) await rm(lab.certsDir(n), { recursive: true, force: true });
    // every case starts with a fresh pull (no content in containerd's store)
    for (const image of [reg.image, `${REDIRECT_HOST}:5000/lab/hello:1.0`, `${REDIRECT_HOST}:5000/lab/hello:missing`])
      await lab.removeImage(image).catch(() => undefined);
  }

  /** Handshakes the self-signed registry refused so far (Go's client alerts "bad certificate"). */
  const failedHandshakes = async () =>
    (await lab.log('registry-self-signed')).split('\n').filter((l) => l.includes('TLS handshake error') && l.includes('bad certificate'))
      .length;

  const diagnose = (image: string) => diagnoseInLab(lab, image);

  it('8. server + [host."<same URL>"] ca=…: a missing tag fails with the server entry\'s x509 error — verdict not-found, both explained, exact error', async () => {
    await cleanCase(clean, async () => {
      await lab.writeCertsDir(reg.hostPort, {
        'ca.crt': lab.pki.root.certPem,
        'hosts.toml': `server = "https://${reg.hostPort}"\n\n[host."https://${reg.hostPort}"]\n  ca = "ca.crt"\n`,
      });
      // the existing tag pulls through the table entry
      expect((await lab.pull(reg.image)).ok).toBe(true);
      const missing = `${reg.hostPort}/lab/hello:missing`;
      const { message, report } = await expectPredictedFailure(lab, missing, 'not-found');
      // containerd 1.6 reports the server entry's TLS error, not "not found"
      expect(message).toMatch(/x509: certificate signed by unknown authority$/);
      // both explained: the tag is missing, and the fallback (server) entry has no CA
      expect(report.verdict.summary).toContain('lab/hello:missing does not exist');
      expect(report.verdict.summary).toMatch(/`server` entry .* none of that table's TLS settings/);
      expect(report.findings.find((f) => f.code === 'untrusted-ca')?.severity).toBe('warning');
      expect(report.findings.filter((f) => f.severity === 'error').map((f) => f.code)).toEqual(['not-found']);
      // and what it names is right: with the CA at the top level (the server entry), the same pull reads "not found"
      await lab.writeCertsDir(reg.hostPort, {
        'hosts.toml': `server = "https://${reg.hostPort}"\nca = "ca.crt"\n\n[host."https://${reg.hostPort}"]\n  ca = "ca.crt"\n`,
      });
      const again = await expectPredictedFailure(lab, missing, 'not-found');
      expect(again.message).toMatch(/: not found$/);
    });
  });

  it('9. a failing mirror listed first is tried and skipped on every request: the pull works, healthy with a per-request cost warning', async () => {
    await cleanCase(clean, async () => {
      await lab.writeCertsDir(reg.hostPort, {
        'ca.crt': lab.pki.root.certPem,
        'hosts.toml': `server = "https://${reg.hostPort}"\nca = "ca.crt"\n\n[host."https://${bad.hostPort}"]\n  capabilities = ["pull", "resolve"]\n`,
      });
      const before = await failedHandshakes();
      expect((await lab.pull(reg.image)).ok).toBe(true);
      // every request of the fresh pull tried the mirror first and failed its handshake (Go's client alerts "bad certificate")
      const paid = (await failedHandshakes()) - before;
      expect(paid).toBeGreaterThan(1);
      const report = await diagnose(reg.image);
      expect(report.verdict.code).toBe('healthy');
      const w = report.findings.find((f) => f.data?.reason === 'failing-host-skipped')!;
      expect(w.code).toBe('mirror-failing');
      expect(w.severity).toBe('warning');
      expect(w.data?.cause).toBe('untrusted-ca');
      // its fix names the failing host, not the registry that works
      expect((w as unknown as { fixes: { manualSteps: string[] }[] }).fixes[0]!.manualSteps[0]).toContain(`remove https://${bad.hostPort}`);
      expect(w.data?.requests).toBe(paid);
      expect(w.summary).toContain(`https://${bad.hostPort}/v2`);
      expect(w.summary).toMatch(/x509: certificate signed by unknown authority/);
      expect(w.summary).toMatch(
        new RegExp(`on ${paid} requests of a fresh pull \\(1 resolve, 1 manifest, 2 blobs\\): ~\\d+ ms each, ~\\d+ ms per pull`),
      );
      // a repeated pull (content already in the store) pays only the resolve request
      const before2 = await failedHandshakes();
      expect((await lab.pull(reg.image)).ok).toBe(true);
      expect((await failedHandshakes()) - before2).toBe(1);
    });
  });

  it('9c. a failing pull-only mirror is skipped by the resolve request (it needs pull + resolve) but paid on every fetch', async () => {
    await cleanCase(clean, async () => {
      await lab.writeCertsDir(reg.hostPort, {
        'ca.crt': lab.pki.root.certPem,
        'hosts.toml': `server = "https://${reg.hostPort}"\nca = "ca.crt"\n\n[host."https://${bad.hostPort}"]\n  capabilities = ["pull"]\n`,
      });
      const before = await failedHandshakes();
      expect((await lab.pull(reg.image)).ok).toBe(true);
      const paid = (await failedHandshakes()) - before;
      const report = await diagnose(reg.image);
      expect(report.verdict.code).toBe('healthy');
      const w = report.findings.find((f) => f.code === 'mirror-failing')!;
      expect(w.data?.requests).toBe(paid);
      expect(w.summary).toMatch(/requests of a fresh pull \(1 manifest, 2 blobs\)/);
    });
  });

  it("9b. the same failing mirror when the tag is missing: containerd reports the mirror's error (with ?ns=) — verdict not-found, exact error", async () => {
    await cleanCase(clean, async () => {
      await lab.writeCertsDir(reg.hostPort, {
        'ca.crt': lab.pki.root.certPem,
        'hosts.toml': `server = "https://${reg.hostPort}"\nca = "ca.crt"\n\n[host."https://${bad.hostPort}"]\n  capabilities = ["pull", "resolve"]\n`,
      });
      const missing = `${reg.hostPort}/lab/hello:missing`;
      const { message, report } = await expectPredictedFailure(lab, missing, 'not-found');
      expect(message).toContain(`Head "https://${bad.hostPort}/v2/lab/hello/manifests/missing?ns=${encodeURIComponent(reg.hostPort)}"`);
      expect(report.verdict.summary).toContain(`containerd reports the error of https://${bad.hostPort}/v2`);
      expect(report.findings.filter((f) => f.severity === 'error').map((f) => f.code)).toEqual(['not-found']);
    });
  });

  it("9d. a failing mirror before a registry that refuses anonymous pulls: 1.6 reports the mirror's error (first error kept, ?ns= in the URL) — exact error", async () => {
    await clean();
    const auth = lab.registries[2]!;
    try {
      await lab.writeCertsDir(auth.hostPort, {
        'ca.crt': lab.pki.root.certPem,
        'hosts.toml': `server = "https://${auth.hostPort}"\nca = "ca.crt"\n\n[host."https://${bad.hostPort}"]\n  capabilities = ["pull", "resolve"]\n`,
      });
      const { message } = await expectPredictedFailure(lab, auth.image);
      expect(message).toContain(`Head "https://${bad.hostPort}/v2/lab/hello/manifests/1.0?ns=${encodeURIComponent(auth.hostPort)}"`);
    } finally {
      await rm(lab.certsDir(auth.hostPort), { recursive: true, force: true });
      await clean();
    }
  });

  async function startRedirect(name: string, cfg: Record<string, unknown>) {
    const dir = path.join(lab.base, name);
    await mkdir(dir, { recursive: true });
    const leaf = issueCert(lab.pki.inter, { cn: REDIRECT_HOST, dns: [REDIRECT_HOST] });
    await writeFile(path.join(dir, 'server.crt'), leaf.certPem + lab.pki.inter.certPem);
    await writeFile(path.join(dir, 'server.key'), leaf.keyPem);
    const conf = path.join(dir, 'config.json');
    await writeFile(
      conf,
      JSON.stringify({ addr: REDIRECT_IP, port: 5000, cert: path.join(dir, 'server.crt'), key: path.join(dir, 'server.key'), ...cfg }),
    );
    const child = lab.startProcess(name, [process.execPath, path.join(REPO_ROOT, 'test/lab/redirect-server.mjs'), conf]);
    await lab.waitPort(REDIRECT_IP, 5000);
    await lab.writeCertsDir(`${REDIRECT_HOST}:5000`, {
      'ca.crt': lab.pki.root.certPem,
      'hosts.toml': `server = "https://${REDIRECT_HOST}:5000"\n\n[host."https://${REDIRECT_HOST}:5000"]\n  ca = "ca.crt"\n`,
    });
    return async () => {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
      await new Promise((r) => setTimeout(r, 200));
    };
  }

  it.each([
    ['a redirect loop (relative Location: Go names it as sent)', 'loop-rel', { mode: 'loop' }, 'redirect-loop'],
    ['a redirect loop (absolute Location)', 'loop-abs', { mode: 'loop', absolute: true }, 'redirect-loop'],
    ['a chain of 10 redirects (the 10th is not followed)', 'chain-10', { mode: 'chain', hops: 9 }, 'too-many-redirects'],
  ])('12. %s: the pull fails, predicted as containerd reports it', async (_what, name, cfg, reason) => {
    await clean();
    const stop = await startRedirect(name, { target: `https://${reg.hostPort}`, ...cfg });
    try {
      const image = `${REDIRECT_HOST}:5000/lab/hello:1.0`;
      const { message, report } = await expectPredictedFailure(lab, image);
      expect(message).toMatch(/: stopped after 10 redirects$/);
      expect(report.findings[0]!.data?.reason).toBe(reason);
      expect(report.findings.filter((f) => f.severity === 'error')).toHaveLength(1);
    } finally {
      await stop();
      await clean();
    }
  });

  it('12c. a redirect to another host that challenges: containerd names the configured host in the 401 — credentials-missing, exact error; with credentials it authorizes the redirected host and pulls', async () => {
    await clean();
    const auth = lab.registries[2]!;
    const stop = await startRedirect('chain-auth', { mode: 'chain', hops: 0, target: `https://${auth.hostPort}` });
    try {
      const image = `${REDIRECT_HOST}:5000/lab/hello:1.0`;
      const { message } = await expectPredictedFailure(lab, image, 'credentials-missing');
      // 1.6: RegistryHost.Host (the configured host), not the host that answered 401
      expect(message).toMatch(
        new RegExp(`pulling from host ${REDIRECT_HOST}:5000 failed with status code \\[manifests 1\\.0\\]: 401 Unauthorized$`),
      );
      // containerd's credential rule on redirect: after the redirected host's 401 it asks the credentials callback for
      // that host (CRI: the pull's auth when it names no server address) and authorizes the redirect with them
      expect((await lab.pull(image, { username: USER, password: PASSWORD })).ok).toBe(true);
    } finally {
      await stop();
      await clean();
    }
  });

  it('12. a chain of 9 redirects to the registry is followed: the pull works, healthy', async () => {
    await clean();
    const stop = await startRedirect('chain-9', { mode: 'chain', hops: 8, target: `https://${reg.hostPort}` });
    try {
      const image = `${REDIRECT_HOST}:5000/lab/hello:1.0`;
      expect((await lab.pull(image)).ok).toBe(true);
      // the redirect server saw the manifest request go through all 9 hops
      expect(
        (await lab.log('chain-9')).split('\n').filter((l) => l.startsWith('HEAD /r8/v2/lab/hello/manifests/1.0')).length,
      ).toBeGreaterThan(0);
      const report = await diagnose(image);
      expect(report.verdict.code).toBe('healthy');
      expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
    } finally {
      await stop();
      await clean();
    }
  });
});
