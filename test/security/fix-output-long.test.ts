// `regdoctor fix` quotes the verdict and the runtime's predicted message: a certificate naming 700 hosts makes both
// ~30 KB. They are shown as head and tail around "[…N characters omitted…]", as the diagnosis views show them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoLab, type DemoLab } from '../../src/demo/scenarios.js';
import { createCA, issueCert } from '../../src/x509/build.js';
import { runInProcess } from '../kube/inproc-cli.js';

describe('fix: a verdict quoting a certificate with 700 names', () => {
  let lab: DemoLab;
  const names = Array.from({ length: 700 }, (_, i) => `n${i}-${'x'.repeat(30)}.example.org`);
  beforeAll(async () => {
    const ca = createCA({ cn: 'Long Names CA' });
    const leaf = issueCert(ca, { cn: 'many', dns: names });
    lab = await startDemoLab([
      {
        id: 'many-names',
        title: '',
        expect: 'ip-san-missing',
        host: '127.0.0.1',
        registry: { tls: { cert: leaf.certPem, key: leaf.keyPem, chain: ca.certPem } },
        hostsToml: true,
      },
    ]);
  }, 60_000);
  afterAll(async () => {
    await lab?.close();
  });

  it('--dry-run shows the start and the end of the message, not all 700 names', async () => {
    const s = lab.scenarios[0]!;
    const r = await runInProcess(['fix', s.image, '--root', lab.root, '--no-pull', '--dry-run', '--go-version', 'go1.22.5']);
    const out = r.stdout + r.stderr;
    expect(out, out.slice(0, 2000)).toContain('ip-san-missing');
    expect(out).toContain('characters omitted');
    expect(out).toContain('n0-');
    expect(out).toMatch(/n699-x+\.example\.org/);
    expect(out).not.toContain('n350-');
  });
});
