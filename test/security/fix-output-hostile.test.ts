// `regdoctor fix` prints what planners wrote (titles, descriptions, manual steps) and those quote certificate names:
// a registry whose CA is named with escape sequences and newlines must not reach the terminal raw through the plan;
// and a certificate naming 700 hosts (its verdict and the runtime's predicted message ~30 KB each) is shown as head
// and tail around "[…N characters omitted…]", as the diagnosis views show it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoLab, type DemoLab } from '../../src/demo/scenarios.js';
import { createCA, issueCert } from '../../src/x509/build.js';
import { runInProcess } from '../kube/inproc-cli.js';
import { HOSTILE, expectInert, expectNoForgedLine } from './hostile-corpus.js';

describe('fix: the plan shown for a registry with a hostile or very long certificate', () => {
  let lab: DemoLab;
  const names = Array.from({ length: 700 }, (_, i) => `n${i}-${'x'.repeat(30)}.example.org`);
  beforeAll(async () => {
    const ca = createCA({ cn: `Evil Root ${HOSTILE.osc52}${HOSTILE.newline}`, o: `O ${HOSTILE.csi}${HOSTILE.rlo}` });
    const leaf = issueCert(ca, { cn: '127.0.0.1', ips: ['127.0.0.1'] });
    const longCa = createCA({ cn: 'Long Names CA' });
    const longLeaf = issueCert(longCa, { cn: 'many', dns: names });
    // the root is sent along, so the planner offers to trust "its CA (<subject>)"
    lab = await startDemoLab([
      {
        id: 'evil-ca',
        title: '',
        expect: 'untrusted-ca',
        host: '127.0.0.1',
        registry: { tls: { cert: leaf.certPem, key: leaf.keyPem, chain: ca.certPem } },
        hostsToml: true,
      },
      {
        id: 'many-names',
        title: '',
        expect: 'ip-san-missing',
        host: '127.0.0.1',
        registry: { tls: { cert: longLeaf.certPem, key: longLeaf.keyPem, chain: longCa.certPem } },
        hostsToml: true,
      },
    ]);
  }, 60_000);
  afterAll(async () => {
    await lab?.close();
  });

  const dryRun = (i: number) =>
    runInProcess(['fix', lab.scenarios[i]!.image, '--root', lab.root, '--no-pull', '--dry-run', '--go-version', 'go1.22.5']);

  it('--dry-run output carries no raw control character and no forged line', async () => {
    const r = await dryRun(0);
    const out = r.stdout + r.stderr;
    expect(out, out).toMatch(/untrusted-ca|self-signed/);
    expect(out).toContain('Evil Root');
    expectInert(out, 'fix --dry-run');
    expectNoForgedLine(out, 'fix --dry-run');
  });

  it('--dry-run shows the start and the end of a 700-name message, not all of it', async () => {
    const r = await dryRun(1);
    const out = r.stdout + r.stderr;
    expect(out, out.slice(0, 2000)).toContain('ip-san-missing');
    expect(out).toContain('characters omitted');
    expect(out).toContain('n0-');
    expect(out).toMatch(/n699-x+\.example\.org/);
    expect(out).not.toContain('n350-');
  });
});
