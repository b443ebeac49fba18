// Commands in fix proposals' manual steps are built with shellJoin: a target that needs quoting (an IPv6 registry,
// whose brackets a shell would glob) is pasted back as exactly the intended argv.
import { describe, expect, it } from 'vitest';
import { parseTarget } from '../../src/core/reference.js';
import { proposeFixes, type PlanContext } from '../../src/fix/propose.js';
import type { Finding } from '../../src/core/types.js';
import { assertRoundTrip } from '../helpers/shell-roundtrip.js';

const finding = (code: Finding['code']): Finding => ({ code, severity: 'error', summary: 's', evidence: [], fixes: [], source: 't' });

describe('manual steps are pasteable commands', () => {
  const target = parseTarget('[fd00::5]:5000/team/app:1.0');
  const ctx: PlanContext = { target, facts: {}, inputs: {} };

  it('regdoctor fix --ca / --client-cert, crictl rmi, curl, getent round-trip to the intended argv', () => {
    const step = (code: Finding['code'], prefix: string) =>
      proposeFixes(finding(code), ctx)
        .flatMap((p) => p.manualSteps)
        .find((s) => s.startsWith(prefix));
    const ca = step('incomplete-chain', 'regdoctor fix');
    expect(ca).toBeDefined();
    assertRoundTrip(ca!, ['regdoctor', 'fix', target.input, '--ca', './ca-bundle.crt']);
    // the brackets are a glob pattern: unquoted, a file named like it in the current directory would replace it
    expect(ca).toContain(`'${target.input}'`);
    const client = step('client-cert-required', 'regdoctor fix');
    assertRoundTrip(client!, ['regdoctor', 'fix', target.input, '--client-cert', './node.crt', '--client-key', './node.key']);
    const rmi = step('not-found', 'crictl rmi')!.replace(/\s+#.*$/, '');
    assertRoundTrip(rmi, ['crictl', 'rmi', target.image!.normalized]);
    assertRoundTrip(step('connection-refused', 'curl')!, ['curl', '-v', `https://${target.registry.apiHost}/v2/`]);
    assertRoundTrip(step('dns', 'getent')!, ['getent', 'hosts', target.registry.hostname]);
  });
});
