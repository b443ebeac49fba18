// Warnings on working-but-unsafe setups (issue 19, item 1), judged from real certificates and real copied node trees:
// certificate-expiring (cert-chain), verification-disabled / config-deprecated / credentials-exposed (node-hygiene).
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, rm, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createCA, issueCert, selfSigned } from '../../src/x509/build.js';
import { expiringSoon, judgeChain } from '../../checks/cert-chain.js';
import { judgeSkippedCertificate } from '../../checks/node-hygiene.js';
import { CHECKS } from '../../checks/index.js';
import { goVerify } from '../../src/goverify/verify.js';
import { runGraph } from '../../src/core/engine.js';
import { DEFAULT_RUN_OPTIONS } from '../../src/app/diagnose.js';
import { parseTarget } from '../../src/core/reference.js';
import { createRealAdapters } from '../../src/app/adapters.js';
import type { CertInfo } from '../../src/x509/cert.js';
import type { TlsHandshakeFacts } from '../../src/core/tls-facts.js';
import type { CertChainFacts } from '../../src/facts/cert-chain.js';
import type { Finding } from '../../src/core/types.js';

const DAY = 86_400_000;
const NOW = new Date('2026-06-01T12:00:00Z');
const at = (days: number) => new Date(NOW.getTime() + days * DAY);
const hs = { serverName: 'reg.test', endpoint: { host: 'reg.test:1' } } as unknown as TlsHandshakeFacts;
const chainOf = (certs: CertInfo[]) => certs.map((info, index) => ({ info, index }));

describe('certificate-expiring (cert-chain)', () => {
  const root = createCA({ cn: 'Expiry Root', notBefore: at(-3650), notAfter: at(3650) });
  const inter = issueCert(root, { cn: 'Expiry Intermediate', isCA: true, notBefore: at(-700), notAfter: at(25) });

  it('an intermediate of a 2-year life with 25 days left warns (default 30 days); --expiry-warning-days 20 does not', () => {
    const leaf = issueCert(inter, { cn: 'reg.test', notBefore: at(-10), notAfter: at(80) });
    const pool = [{ cert: root.info, source: '/etc/ssl/certs/ca-certificates.crt' }];
    const judged = judgeChain(hs, [leaf.info, inter.info], pool, { now: NOW });
    const warned = judged.findings.filter((f) => f.code === 'certificate-expiring');
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatchObject({
      severity: 'warning',
      data: { subject: inter.info.subject.display, daysLeft: 25, role: 'intermediate CA' },
    });
    expect(judgeChain(hs, [leaf.info, inter.info], pool, { now: NOW, expiryWarningDays: 20 }).findings).toEqual([]);
    expect(judgeChain(hs, [leaf.info, inter.info], pool, { now: NOW, expiryWarningDays: 26 }).findings).toHaveLength(1);
  });

  it('the anchoring CA from the trust pool counts too, with its source', () => {
    const oldRoot = createCA({ cn: 'Old Root', notBefore: at(-3650), notAfter: at(12) });
    const leaf = issueCert(oldRoot, { cn: 'reg.test', notBefore: at(-10), notAfter: at(300) });
    const pool = [{ cert: oldRoot.info, source: '/etc/containerd/certs.d/reg.test:1/ca.crt' }];
    const judged = judgeChain(hs, [leaf.info], pool, { now: NOW });
    expect(judged.facts.anchor?.sha256).toBe(oldRoot.info.sha256);
    expect(judged.findings.map((f) => f.data?.role)).toEqual(['anchoring CA (/etc/containerd/certs.d/reg.test:1/ca.crt)']);
  });

  it('not flagged: a 30-day certificate renewed on schedule (more than a third of its life left), an expired one, one far from expiry', () => {
    const fresh = selfSigned({ cn: 'reg.test', notBefore: at(-1), notAfter: at(29) });
    const expired = selfSigned({ cn: 'reg.test', notBefore: at(-400), notAfter: at(-1) });
    const far = selfSigned({ cn: 'reg.test', notBefore: at(-10), notAfter: at(355) });
    for (const c of [fresh, expired, far]) expect(expiringSoon(chainOf([c.info]), [], undefined, NOW, 30)).toEqual([]);
    // the same 30-day certificate in its last third does warn
    const late = selfSigned({ cn: 'reg.test', notBefore: at(-21), notAfter: at(9) });
    expect(expiringSoon(chainOf([late.info]), [], undefined, NOW, 30).map((f) => f.data?.daysLeft)).toEqual([9]);
  });
});

describe('what a skip-verify endpoint really presents', () => {
  const verify = (chain: CertInfo[], roots: CertInfo[] = [], serverName = 'reg.test') =>
    goVerify({ chain, serverName, roots, now: new Date(), goVersion: 'go1.19.8' });
  const facts = (certs: CertInfo[]) => ({ certs: chainOf(certs) }) as unknown as CertChainFacts;

  it('self-signed: the leaf itself is the certificate to trust', () => {
    const leaf = selfSigned({ cn: 'reg.test', dns: ['reg.test'] });
    expect(judgeSkippedCertificate(facts([leaf.info]), verify([leaf.info]))).toMatchObject({
      certificate: 'self-signed',
      trustSha256: leaf.info.sha256,
    });
  });

  it('private CA whose root the registry sends: that root; wrong name: name-mismatch (trusting a CA would not help); trusted: verifies', () => {
    const ca = createCA({ cn: 'Acme Private Root' });
    const leaf = issueCert(ca, { cn: 'reg.test', dns: ['reg.test'] });
    expect(judgeSkippedCertificate(facts([leaf.info, ca.info]), verify([leaf.info, ca.info]))).toMatchObject({
      certificate: 'private-ca',
      trustSha256: ca.info.sha256,
    });
    const other = issueCert(ca, { cn: 'other.test', dns: ['other.test'] });
    expect(judgeSkippedCertificate(facts([other.info]), verify([other.info], [ca.info])).certificate).toBe('name-mismatch');
    expect(judgeSkippedCertificate(facts([leaf.info]), verify([leaf.info], [ca.info])).certificate).toBe('verifies');
  });
});

describe('node-hygiene over copied node trees', () => {
  let root: string;
  afterEach(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  async function node(files: Record<string, { text: string; mode?: number }>): Promise<string> {
    root = await mkdtemp(path.join(tmpdir(), 'regdoctor-hygiene-'));
    for (const [p, f] of Object.entries(files)) {
      const host = path.join(root, p);
      await mkdir(path.dirname(host), { recursive: true });
      await writeFile(host, f.text);
      await chmod(host, f.mode ?? 0o644);
    }
    return root;
  }

  async function hygiene(image: string): Promise<Finding[]> {
    // every check, as `diagnose --no-pull --root` runs them; the registry names point at a closed loopback port
    const state = await runGraph(CHECKS, {
      target: parseTarget(image),
      options: { ...DEFAULT_RUN_OPTIONS, root, containerdVersion: '1.6.20', pull: false, probeTimeoutMs: 1000 },
      adapters: createRealAdapters({
        root,
        env: {},
        hosts: { 'reg.test': '127.0.0.1', 'other.test': '127.0.0.1', 'mirror.test': '127.0.0.1' },
      }),
    });
    const run = state.checks.find((c) => c.id === 'node-hygiene')!;
    expect(run.status).not.toBe('crash');
    return run.findings;
  }

  const REG = '[plugins."io.containerd.grpc.v1.cri".registry';

  it('the runbook (legacy insecure_skip_verify + http.skip_verify): verification-disabled and config-deprecated with the exact hosts.toml', async () => {
    await node({
      '/etc/containerd/config.toml': {
        text: `version = 2\n${REG}.configs."reg.test:1".tls]\n  insecure_skip_verify = true\n${REG}.configs."reg.test:1".http]\n  skip_verify = true\n`,
      },
    });
    const f = await hygiene('reg.test:1/app:1');
    expect(f.map((x) => [x.code, x.severity])).toEqual([
      ['verification-disabled', 'warning'],
      ['config-deprecated', 'warning'],
    ]);
    const dep = f[1]!;
    expect(dep.data?.tables).toEqual(['configs."reg.test:1".tls']);
    const migration = dep.data?.migration as { file: string; content: string }[];
    expect(migration.map((m) => m.file)).toEqual(['/etc/containerd/certs.d/reg.test:1/hosts.toml']);
    expect(migration[0]!.content).toMatch(/\[host\."https:\/\/reg\.test:1"\]\n( {2}.*\n)* {2}skip_verify = true\n/);
  });

  it('credentials in config.toml readable by others: credentials-exposed (and the auth table is deprecated); chmod 600 clears it', async () => {
    const text = `version = 2\n${REG}.configs."reg.test:1".auth]\n  username = "u"\n  password = "p4ss"\n`;
    await node({ '/etc/containerd/config.toml': { text, mode: 0o644 } });
    let f = await hygiene('reg.test:1/app:1');
    expect(f.map((x) => x.code)).toEqual(['config-deprecated', 'credentials-exposed']);
    expect(f[0]!.data?.tables).toEqual(['configs."reg.test:1".auth']);
    expect(f[1]!.data).toEqual({ file: '/etc/containerd/config.toml', mode: '0644' });
    expect(JSON.stringify(f)).not.toContain('p4ss');
    await chmod(path.join(root, 'etc/containerd/config.toml'), 0o600);
    f = await hygiene('reg.test:1/app:1');
    expect(f.map((x) => x.code)).toEqual(['config-deprecated']);
  });

  it("kubelet's config.json with the registry's credentials, group-readable: credentials-exposed; another registry's file is not this one's problem", async () => {
    const auth = Buffer.from('u:p').toString('base64');
    await node({
      '/etc/containerd/config.toml': { text: 'version = 2\n' },
      '/var/lib/kubelet/config.json': { text: JSON.stringify({ auths: { 'reg.test:1': { auth } } }), mode: 0o640 },
    });
    const f = await hygiene('reg.test:1/app:1');
    expect(f.map((x) => [x.code, x.data?.file, x.data?.mode])).toEqual([['credentials-exposed', '/var/lib/kubelet/config.json', '0640']]);
    expect(await hygiene('other.test:1/app:1')).toEqual([]);
  });

  it('hosts.toml skip_verify: verification-disabled, nothing deprecated; verification on: nothing', async () => {
    await node({
      '/etc/containerd/config.toml': { text: `version = 2\n${REG}]\n  config_path = "/etc/containerd/certs.d"\n` },
      '/etc/containerd/certs.d/reg.test:1/hosts.toml': {
        text: 'server = "https://reg.test:1"\n\n[host."https://reg.test:1"]\n  capabilities = ["pull", "resolve"]\n  skip_verify = true\n',
      },
    });
    expect((await hygiene('reg.test:1/app:1')).map((x) => x.code)).toEqual(['verification-disabled']);
    await writeFile(
      path.join(root, 'etc/containerd/certs.d/reg.test:1/hosts.toml'),
      'server = "https://reg.test:1"\n\n[host."https://reg.test:1"]\n  capabilities = ["pull", "resolve"]\n',
    );
    expect(await hygiene('reg.test:1/app:1')).toEqual([]);
  });

  it('legacy mirrors."*": deprecated for every registry it applies to', async () => {
    await node({ '/etc/containerd/config.toml': { text: `version = 2\n${REG}.mirrors."*"]\n  endpoint = ["https://mirror.test"]\n` } });
    const f = await hygiene('reg.test:1/app:1');
    expect(f.map((x) => [x.code, x.data?.tables])).toEqual([['config-deprecated', ['mirrors."*"']]]);
  });
});
