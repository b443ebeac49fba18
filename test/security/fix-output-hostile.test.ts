// `regdoctor fix` prints what planners wrote (titles, descriptions, manual steps) and those quote certificate names:
// a registry whose CA is named with escape sequences and newlines must not reach the terminal raw through the plan.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoLab, type DemoLab } from '../../src/demo/scenarios.js';
import { createCA, issueCert } from '../../src/x509/build.js';
import { runInProcess } from '../kube/inproc-cli.js';
import { HOSTILE, expectInert, expectNoForgedLine } from './hostile-corpus.js';

describe('fix: the plan shown for a registry with a hostile CA name', () => {
  let lab: DemoLab;
  beforeAll(async () => {
    const ca = createCA({ cn: `Evil Root ${HOSTILE.osc52}${HOSTILE.newline}`, o: `O ${HOSTILE.csi}${HOSTILE.rlo}` });
    const leaf = issueCert(ca, { cn: '127.0.0.1', ips: ['127.0.0.1'] });
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
    ]);
  }, 60_000);
  afterAll(async () => {
    await lab?.close();
  });

  it('--dry-run output carries no raw control character and no forged line', async () => {
    const s = lab.scenarios[0]!;
    const r = await runInProcess(['fix', s.image, '--root', lab.root, '--no-pull', '--dry-run', '--go-version', 'go1.22.5']);
    const out = r.stdout + r.stderr;
    expect(out, out).toMatch(/untrusted-ca|self-signed/);
    expect(out).toContain('Evil Root');
    expectInert(out, 'fix --dry-run');
    expectNoForgedLine(out, 'fix --dry-run');
  });
});
