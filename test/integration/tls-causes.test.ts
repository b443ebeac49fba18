// Each TLS fault served by a real in-process TLS server with generated certificates, diagnosed through the real
// check graph and adapters; asserts the cause code and the exact Go message in both version forms.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCA, issueCert, selfSigned } from '../../src/x509/build.js';
import { startDemoLab, type DemoLab, type DemoScenario } from '../../src/demo/scenarios.js';
import { diagnose, DEFAULT_RUN_OPTIONS } from '../../src/app/diagnose.js';
import { parseTarget } from '../../src/core/reference.js';
import { createRealAdapters } from '../../src/app/adapters.js';
import type { Report } from '../../src/core/report.js';

const D = 'tls.test';
const DAY = 86400_000;
const now = Date.now();
const root = createCA({ cn: 'Test Root CA', o: 'Test' });
const inter = issueCert(root, { cn: 'Test Intermediate CA', o: 'Test', isCA: true });
const rsaRoot = createCA({ cn: 'Legacy RSA Root', keyType: 'rsa' });
const privateRoot = createCA({ cn: 'Private Root CA', o: 'Private' });
const clientCa = createCA({ cn: 'Client CA' });
const tlsOf = (leaf: { certPem: string; keyPem: string }, chain: { certPem: string }[] = []) => ({
  cert: leaf.certPem,
  key: leaf.keyPem,
  chain: chain.map((c) => c.certPem).join('') || undefined,
});
const leaf = (host: string, extra: Parameters<typeof issueCert>[1] = {}, issuer = inter) =>
  issueCert(issuer, { cn: host, dns: [host], ...extra });

interface Case {
  scenario: DemoScenario;
  code: string;
  /** Bare Go message (go1.19 form); undefined when the finding is not an x509 verification fault. */
  go?: string | ((port: number) => string);
}

const h = (id: string) => `${id}.${D}`;
const cases: Record<string, Case> = {
  healthy: {
    scenario: {
      id: 'healthy',
      title: '',
      expect: 'healthy',
      host: h('healthy'),
      registry: { tls: tlsOf(leaf(h('healthy')), [inter]) },
      trustCa: root.certPem,
    },
    code: 'healthy',
  },
  selfSigned: {
    scenario: { id: 'ss', title: '', expect: 'self-signed', host: h('ss'), registry: { tls: tlsOf(selfSigned({ cn: h('ss') })) } },
    code: 'self-signed',
    go: 'x509: certificate signed by unknown authority',
  },
  privateCa: {
    scenario: {
      id: 'priv',
      title: '',
      expect: 'untrusted-ca',
      host: h('priv'),
      registry: { tls: tlsOf(leaf(h('priv'), {}, privateRoot)) },
    },
    code: 'untrusted-ca',
    go: 'x509: certificate signed by unknown authority',
  },
  missingIntermediate: {
    scenario: {
      id: 'noint',
      title: '',
      expect: 'incomplete-chain',
      host: h('noint'),
      registry: { tls: tlsOf(leaf(h('noint'))) },
      trustCa: root.certPem,
    },
    code: 'incomplete-chain',
    go: 'x509: certificate signed by unknown authority',
  },
  sanMismatch: {
    scenario: {
      id: 'san',
      title: '',
      expect: 'hostname-mismatch',
      host: h('san'),
      registry: { tls: tlsOf(leaf('other.tls.test'), [inter]) },
      trustCa: root.certPem,
    },
    code: 'hostname-mismatch',
    go: `x509: certificate is valid for other.tls.test, not ${h('san')}`,
  },
  ipNoIpSan: {
    scenario: {
      id: 'ip',
      title: '',
      expect: 'ip-san-missing',
      host: '127.0.0.1',
      registry: { tls: tlsOf(leaf('reg.tls.test'), [inter]) },
      trustCa: root.certPem,
    },
    code: 'ip-san-missing',
    go: "x509: cannot validate certificate for 127.0.0.1 because it doesn't contain any IP SANs",
  },
  cnOnly: {
    scenario: {
      id: 'cn',
      title: '',
      expect: 'legacy-common-name',
      host: h('cn'),
      registry: { tls: tlsOf(issueCert(inter, { cn: h('cn'), omitSan: true }), [inter]) },
      trustCa: root.certPem,
    },
    code: 'legacy-common-name',
    go: 'x509: certificate relies on legacy Common Name field, use SANs instead',
  },
  expired: {
    scenario: {
      id: 'exp',
      title: '',
      expect: 'expired',
      host: h('exp'),
      registry: { tls: tlsOf(leaf(h('exp'), { notBefore: new Date(now - 100 * DAY), notAfter: new Date(now - 10 * DAY) }), [inter]) },
      trustCa: root.certPem,
    },
    code: 'expired',
    go: undefined, // contains the current time; asserted by pattern below
  },
  notYetValid: {
    scenario: {
      id: 'nyv',
      title: '',
      expect: 'not-yet-valid',
      host: h('nyv'),
      registry: { tls: tlsOf(leaf(h('nyv'), { notBefore: new Date(now + 10 * DAY), notAfter: new Date(now + 100 * DAY) }), [inter]) },
      trustCa: root.certPem,
    },
    code: 'not-yet-valid',
    go: undefined,
  },
  sha1: {
    scenario: {
      id: 'sha1',
      title: '',
      expect: 'insecure-signature',
      host: h('sha1'),
      registry: { tls: { ...tlsOf(leaf(h('sha1'), { hash: 'sha1' }, rsaRoot)), ciphers: 'DEFAULT@SECLEVEL=0' } },
      trustCa: rsaRoot.certPem,
    },
    code: 'insecure-signature',
    go: 'x509: certificate signed by unknown authority (possibly because of "x509: cannot verify signature: insecure algorithm SHA1-RSA (temporarily override with GODEBUG=x509sha1=1)" while trying to verify candidate authority certificate "Legacy RSA Root")',
  },
  clientAuthOnly: {
    scenario: {
      id: 'eku',
      title: '',
      expect: 'incompatible-key-usage',
      host: h('eku'),
      registry: { tls: tlsOf(leaf(h('eku'), { eku: ['clientAuth'] }), [inter]) },
      trustCa: root.certPem,
    },
    code: 'incompatible-key-usage',
    go: 'x509: certificate specifies an incompatible key usage',
  },
  clientCertRequired: {
    scenario: {
      id: 'mtls',
      title: '',
      expect: 'client-cert-required',
      host: h('mtls'),
      registry: { tls: { ...tlsOf(leaf(h('mtls')), [inter]), clientCa: clientCa.certPem } },
      trustCa: root.certPem,
    },
    code: 'client-cert-required',
  },
  plainHttp: {
    scenario: { id: 'http', title: '', expect: 'plain-http-registry', host: h('http'), registry: {} },
    code: 'plain-http-registry',
  },
};

let lab: DemoLab;
const reports = new Map<string, Report>();

beforeAll(async () => {
  lab = await startDemoLab(
    Object.values(cases).map((c) => ({ ...c.scenario, hostsToml: c.scenario.host === '127.0.0.1' || c.scenario.hostsToml })),
  );
  await Promise.all(
    lab.scenarios.map(async (s) => {
      const adapters = createRealAdapters({ root: lab.root, hosts: lab.hosts, env: {} });
      const { report } = await diagnose({
        target: parseTarget(s.image),
        options: { ...DEFAULT_RUN_OPTIONS, root: lab.root, pull: false, goVersion: 'go1.19.8', timeoutMs: 20_000 },
        adapters,
      });
      reports.set(s.id, report);
    }),
  );
}, 60_000);

afterAll(async () => {
  await lab?.close();
});

describe('TLS causes against real TLS servers', () => {
  for (const [name, c] of Object.entries(cases)) {
    it(`${name} → ${c.code}`, () => {
      const report = reports.get(c.scenario.id)!;
      expect(
        report.verdict.code,
        JSON.stringify(
          report.findings.map((f) => [f.code, f.summary]),
          null,
          1,
        ),
      ).toBe(c.code);
      if (c.code === 'healthy') {
        expect(report.findings.filter((f) => f.severity === 'error' || f.severity === 'critical')).toEqual([]);
        return;
      }
      const f = report.findings.find((x) => x.code === c.code)!;
      const s = lab.scenarios.find((x) => x.id === c.scenario.id)!;
      expect(f.predictedRuntimeError).toBeTruthy();
      expect(f.predictedRuntimeError).toContain(`failed to pull and unpack image "${s.image}"`);
      if (c.go) {
        const go = typeof c.go === 'string' ? c.go : c.go(s.port);
        const msgs = f.data!.goMessages as { go119: string; go120plus: string };
        expect(msgs.go119).toBe(go);
        expect(msgs.go120plus).toBe(`tls: failed to verify certificate: ${go}`);
        // the run asked for go1.19: the prediction carries the bare form
        expect(f.predictedRuntimeError!.endsWith(`: ${go}`)).toBe(true);
      }
    });
  }

  it('expiry messages carry RFC 3339 times in Go order', () => {
    const exp = reports.get('exp')!.findings.find((f) => f.code === 'expired')!;
    expect((exp.data!.goMessages as { go119: string }).go119).toMatch(
      /^x509: certificate has expired or is not yet valid: current time \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ is after \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
    );
    const nyv = reports.get('nyv')!.findings.find((f) => f.code === 'not-yet-valid')!;
    expect((nyv.data!.goMessages as { go119: string }).go119).toMatch(/is before \d{4}-/);
  });

  it('client certificate required: Go reports the server alert', () => {
    const f = reports.get('mtls')!.findings.find((x) => x.code === 'client-cert-required')!;
    expect(f.predictedRuntimeError).toMatch(/remote error: tls: (bad certificate|certificate required)$/);
    expect((f.data!.acceptableCAs as string[]).join()).toContain('CN=Client CA');
  });

  it('plain HTTP: the exact Go transport error, not an x509 one', () => {
    const f = reports.get('http')!.findings.find((x) => x.code === 'plain-http-registry')!;
    expect(f.predictedRuntimeError).toMatch(/: http: server gave HTTP response to HTTPS client$/);
  });

  it('the chain as sent is in the report, with the failing certificate marked', () => {
    const r = reports.get('san')!;
    expect(r.chain!.map((c) => c.subject)).toEqual(['CN=other.tls.test', 'CN=Test Intermediate CA,O=Test']);
    expect(r.chain![0]!.failing).toBe(true);
  });
});
