// Issue 14 item 5: one risk model, computed from what a proposal does (src/fix/risk.ts) — each action kind has its
// risk, the same proposal carries the same label in every output (text, Ink live view, Markdown, HTML, JSON, the
// nodes fleet plan, explain), and "fixes, safest first" is sorted by it: a pull-secret creation changes cluster
// objects, a restart sorts after [safe], skip-verify and removals come last.
import { describe, expect, it } from 'vitest';
import { actionRisk, commandRisk, proposalRisk, riskLabel, safestFirst, RISK_LABEL, RISKS } from '../../src/fix/risk.js';
import { proposeFixes, type PlanContext } from '../../src/fix/propose.js';
import { parseTarget } from '../../src/core/reference.js';
import { buildReport, type Report } from '../../src/core/report.js';
import type { Finding, FixAction, FixProposal, FixRisk, RunState } from '../../src/core/types.js';
import { partialFacts } from '../helpers/facts.js';
import { renderText } from '../../src/ui/text.js';
import { mdText, renderHtml, renderJson, renderMarkdown } from '../../src/report/export.js';
import { liveLines, plainLines } from '../../src/ui/App.js';
import { fleetFix, groupOutcomes, outcomeFromReport } from '../../src/kube/nodes-matrix.js';
import { PassThrough } from 'node:stream';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseFixOptions, runFix } from '../../src/cli/commands/fix.js';

const HOST = 'reg.test:5000';
const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const DIR = `/etc/containerd/certs.d/${HOST}`;
const finding = (code: Finding['code']): Finding => ({ code, severity: 'error', summary: code, evidence: [], fixes: [], source: 'test' });

/** Every FixAction kind with examples and the risk each must get (a new kind does not compile until listed). */
const BY_KIND: { [K in FixAction['kind']]: [Extract<FixAction, { kind: K }>, FixRisk][] } = {
  'write-file': [
    [{ kind: 'write-file', path: `${DIR}/ca.pem`, content: '-----BEGIN CERTIFICATE-----\n' }, 'node-config'],
    [
      { kind: 'write-file', path: `${DIR}/hosts.toml`, content: '[host."https://reg.test:5000"]\n  skip_verify = true\n' },
      'disables-verification',
    ],
    [
      {
        kind: 'write-file',
        path: '/etc/containers/registries.conf.d/99-x.conf',
        content: '[[registry]]\nlocation = "reg.test:5000"\ninsecure = true\n',
      },
      'disables-verification',
    ],
    // a migration restates what is already in effect: it moves skip_verify, it does not turn verification off
    [{ kind: 'write-file', path: `${DIR}/hosts.toml`, content: 'skip_verify = true\n', restates: true }, 'node-config'],
    // a comment is not a setting
    [{ kind: 'write-file', path: `${DIR}/hosts.toml`, content: '# skip_verify = true\nserver = "https://reg.test:5000"\n' }, 'node-config'],
  ],
  'copy-file': [[{ kind: 'copy-file', from: '/a', to: '/b' }, 'node-config']],
  'edit-toml': [
    [{ kind: 'edit-toml', path: `${DIR}/hosts.toml`, description: 'd', edit: { table: [], append: { ca: ['x.pem'] } } }, 'node-config'],
    [
      { kind: 'edit-toml', path: `${DIR}/hosts.toml`, description: 'd', edit: { table: [], set: { skip_verify: true } } },
      'disables-verification',
    ],
    // turning verification back on (fix --harden) is a config change
    [{ kind: 'edit-toml', path: `${DIR}/hosts.toml`, description: 'd', edit: { table: [], remove: ['skip_verify'] } }, 'node-config'],
    [
      {
        kind: 'edit-toml',
        path: '/etc/containerd/config.toml',
        description: 'd',
        edit: { table: ['plugins', 'cri', 'registry', 'configs', HOST], removeTables: [['auth']] },
      },
      'destructive',
    ],
    // replacing a credential (new one set, old fields removed) is not a removal
    [
      {
        kind: 'edit-toml',
        path: '/etc/containerd/config.toml',
        description: 'd',
        edit: { table: ['configs', HOST, 'auth'], set: { username: 'u', password: 'p' }, remove: ['auth'] },
      },
      'node-config',
    ],
    [
      {
        kind: 'edit-toml',
        path: '/etc/containerd/config.toml',
        description: 'd',
        edit: { table: ['plugins', 'cri', 'registry'], set: { config_path: '/etc/containerd/certs.d' }, removeTables: [['mirrors', HOST]] },
      },
      'node-config',
    ],
  ],
  'edit-yaml': [
    [
      {
        kind: 'edit-yaml',
        path: '/etc/rancher/k3s/registries.yaml',
        description: 'd',
        edit: { path: ['configs', HOST, 'tls'], set: { ca_file: '/x' } },
      },
      'node-config',
    ],
    [
      {
        kind: 'edit-yaml',
        path: '/etc/rancher/k3s/registries.yaml',
        description: 'd',
        edit: { path: ['configs', HOST, 'tls'], set: { insecure_skip_verify: true } },
      },
      'disables-verification',
    ],
  ],
  'remove-file': [[{ kind: 'remove-file', path: `${DIR}/hosts.toml` }, 'destructive']],
  run: [
    [{ kind: 'run', argv: ['update-ca-certificates'], description: 'd' }, 'node-config'],
    [{ kind: 'run', argv: ['systemctl', 'restart', 'containerd'], description: 'd' }, 'restarts-runtime'],
    [{ kind: 'run', argv: ['openssl', 'x509', '-noout'], description: 'd' }, 'safe'],
  ],
  'restart-runtime': [
    [{ kind: 'restart-runtime', service: 'containerd' }, 'restarts-runtime'],
    [{ kind: 'restart-runtime', service: 'crio', reload: true }, 'restarts-runtime'],
  ],
  kubectl: [
    [{ kind: 'kubectl', args: ['-n', 'team', 'get', 'sa', 'default'], description: 'd' }, 'safe'],
    [{ kind: 'kubectl', args: ['-n', 'team', 'create', 'secret', 'generic', 'x'], description: 'd' }, 'cluster-objects'],
    [{ kind: 'kubectl', args: ['--context', 'prod', 'delete', 'secret', 'x'], description: 'd' }, 'destructive'],
  ],
  'docker-auth': [
    [
      {
        kind: 'docker-auth',
        path: '/var/lib/kubelet/config.json',
        format: 'config.json',
        set: { key: HOST, username: 'u', password: 'p' },
        description: 'd',
      },
      'node-config',
    ],
    [
      {
        kind: 'docker-auth',
        path: '/var/lib/kubelet/config.json',
        format: 'config.json',
        copy: { from: 'reg.test', to: HOST },
        description: 'd',
      },
      'node-config',
    ],
    [{ kind: 'docker-auth', path: '/root/.docker/config.json', format: 'config.json', remove: HOST, description: 'd' }, 'destructive'],
  ],
  'kube-create-secret': [
    [
      {
        kind: 'kube-create-secret',
        kubectl: [],
        namespace: 'team',
        name: 'regcred',
        server: HOST,
        username: 'u',
        password: 'p',
        description: 'd',
      },
      'cluster-objects',
    ],
  ],
  'kube-patch-sa': [
    [
      {
        kind: 'kube-patch-sa',
        kubectl: [],
        namespace: 'team',
        serviceAccount: 'default',
        before: [],
        after: ['regcred'],
        description: 'd',
      },
      'cluster-objects',
    ],
  ],
  'remove-image': [[{ kind: 'remove-image', image: `${HOST}/app:1`, description: 'd' }, 'destructive']],
};

const proposal = (actions: FixAction[], over: Partial<FixProposal> = {}): FixProposal => ({
  id: 'p',
  title: 'p',
  risk: 'safe',
  where: 'node',
  restartRequired: false,
  description: 'd',
  manualSteps: [],
  actions,
  ...over,
});

describe('actionRisk: every FixAction kind', () => {
  for (const [kind, cases] of Object.entries(BY_KIND)) {
    it(`${kind}`, () => {
      expect(cases.length).toBeGreaterThan(0);
      for (const [a, want] of cases) expect(actionRisk(a as FixAction), JSON.stringify(a)).toBe(want);
    });
  }
});

describe('commandRisk: the commands of manual answers', () => {
  const cases: [string, FixRisk][] = [
    ['openssl s_client -connect reg.test:5000 -servername reg.test </dev/null | openssl x509 -noout -enddate', 'safe'],
    ['containerd config dump >/dev/null', 'safe'],
    ['# edit /etc/containerd/config.toml: remove [auth]', 'safe'],
    ['kubectl auth can-i get secrets -n <namespace>', 'safe'],
    [
      'kubectl -n <namespace> create secret docker-registry regcred --docker-server=reg.test:5000 --docker-username=<user>',
      'cluster-objects',
    ],
    [`kubectl -n team patch serviceaccount default -p '{"imagePullSecrets":[{"name":"regcred"}]}'`, 'cluster-objects'],
    ['kubectl -n team delete secret regcred', 'destructive'],
    ['systemctl status containerd', 'safe'],
    ['systemctl restart containerd', 'restarts-runtime'],
    ['systemctl edit containerd   # add: [Service] Environment="NO_PROXY=<existing-list>,reg.test"', 'node-config'],
    ['update-ca-certificates   # or: update-ca-trust', 'node-config'],
    ['chmod 600 /var/lib/kubelet/config.json /root/.docker/config.json', 'node-config'],
    ['crictl rmi reg.test:5000/app:1   # drop a stale cached copy on this node', 'destructive'],
    ['crictl pull reg.test:5000/app:1', 'safe'],
    ['mv /etc/containerd/certs.d/reg.test /etc/containerd/certs.d/reg.test:5000', 'node-config'],
    ['regdoctor fix reg.test:5000/app:1 --ca ./ca-bundle.crt', 'node-config'],
    ['regdoctor fix --harden reg.test:5000/app:1 --dry-run', 'safe'],
    ['regdoctor fix reg.test:5000/app:1 --allow-skip-verify', 'disables-verification'],
    ['echo x > /etc/containerd/certs.d/reg.test/hosts.toml', 'node-config'],
  ];
  for (const [line, want] of cases) it(line, () => expect(commandRisk(line)).toBe(want));
});

describe('proposalRisk and the label', () => {
  it('the riskiest action wins; without actions the manual steps decide; a restart is named', () => {
    const write = BY_KIND['write-file'][0]![0];
    expect(proposalRisk(proposal([write]))).toBe('node-config');
    expect(proposalRisk(proposal([write, { kind: 'restart-runtime', service: 'containerd' }], { restartRequired: true }))).toBe(
      'restarts-runtime',
    );
    const skip = BY_KIND['write-file'][1]![0];
    const skipRestart = proposal([skip, { kind: 'restart-runtime', service: 'containerd' }], { restartRequired: true });
    expect(riskLabel(skipRestart)).toBe('DISABLES TLS VERIFICATION, restarts runtime');
    expect(riskLabel(proposal([], { manualSteps: ['openssl req -new', '# reload the registry'] }))).toBe('safe');
    expect(riskLabel(proposal([], { manualSteps: ['systemctl restart containerd'] }))).toBe('restarts runtime');
    expect(Object.keys(RISK_LABEL)).toEqual([...RISKS]);
  });

  it('a pull-secret creation is "changes cluster objects", planned through the real planner', () => {
    const ctx: PlanContext = {
      target: parseTarget(`${HOST}/team/app:1`),
      inputs: { username: 'alice', password: 'pw-not-printed', kube: { context: 'prod' } },
      facts: partialFacts({
        'pull-secrets': {
          namespace: 'team',
          serviceAccount: 'builder',
          source: 'service-account',
          secrets: ['old'],
          matching: [{ secret: 'old', key: HOST, hasUsername: true, hasPassword: true, hasIdentityToken: false }],
          tested: [],
        },
      } as never),
    };
    const p = proposeFixes(finding('unauthorized'), ctx).find((x) => x.id === 'pull-secret')!;
    expect(p.actions.map((a) => a.kind)).toEqual(['kube-create-secret', 'kube-patch-sa']);
    expect(p.risk).toBe('cluster-objects');
    expect(riskLabel(p)).toBe('changes cluster objects');
    // the manual answer (no cluster access) is rated from its kubectl commands: the same label
    const manual = proposeFixes(finding('unauthorized'), { ...ctx, inputs: {}, facts: partialFacts({}) }).find(
      (x) => x.id === 'pull-secret',
    )!;
    expect(manual.actions).toEqual([]);
    expect(riskLabel(manual)).toBe('changes cluster objects');
  });
});

describe('safest first', () => {
  const ctx: PlanContext = { target: parseTarget(`${HOST}/app:1`), inputs: { ca: CA }, facts: partialFacts({}) };

  it('a restart sorts after [safe]: self-signed on a node without config_path (the CA fix must restart containerd)', () => {
    const fixes = proposeFixes(finding('self-signed'), ctx);
    const ranks = fixes.map((f) => RISKS.indexOf(f.risk));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(fixes[0]!.id).toBe('reissue-server-certificate');
    expect(fixes[0]!.risk).toBe('safe');
    const ca = fixes.findIndex((f) => f.id === 'hosts-toml-ca');
    expect(fixes[ca]!.risk).toBe('restarts-runtime');
    expect(ca).toBeGreaterThan(0);
    expect(fixes.at(-1)!.id).toBe('hosts-toml-skip-verify');
  });

  it('stable: equal risks keep the planner order; node config and cluster objects rank together', () => {
    const a = proposal([BY_KIND['docker-auth'][0]![0]], { id: 'node' });
    const b = proposal([BY_KIND['kube-create-secret'][0]![0]], { id: 'cluster' });
    const restart = proposal([{ kind: 'restart-runtime', service: 'containerd' }], { id: 'restart' });
    const safe = proposal([], { id: 'safe', manualSteps: ['curl -v https://reg.test:5000/v2/'] });
    expect(safestFirst([restart, b, a, safe]).map((p) => p.id)).toEqual(['safe', 'cluster', 'node', 'restart']);
    expect(safestFirst([restart, a, b, safe]).map((p) => p.id)).toEqual(['safe', 'node', 'cluster', 'restart']);
  });

  it('every planner returns its proposals safest first, each with the risk its actions give', () => {
    for (const code of Object.keys(BY_CODE_CTX)) {
      const fixes = proposeFixes(finding(code as Finding['code']), BY_CODE_CTX[code]!);
      for (const f of fixes) expect(f.risk, `${code} ${f.id}`).toBe(proposalRisk(f));
      const ranks = fixes.map((f) =>
        ['safe', 'node-config|cluster-objects', 'restarts-runtime', 'disables-verification', 'destructive'].findIndex((r) =>
          r.split('|').includes(f.risk),
        ),
      );
      expect(ranks, code).toEqual([...ranks].sort((x, y) => x - y));
    }
  });
});

const BY_CODE_CTX: Record<string, PlanContext> = Object.fromEntries(
  (
    [
      'self-signed',
      'untrusted-ca',
      'incomplete-chain',
      'hostname-mismatch',
      'expired',
      'plain-http-registry',
      'client-cert-required',
      'config-not-applied',
      'unauthorized',
      'not-found',
      'rate-limited',
    ] as const
  ).map((c) => [c, { target: parseTarget(`${HOST}/app:1`), inputs: { ca: CA }, facts: partialFacts({}) }]),
);

describe('the same label in every output', () => {
  // one report with a trust fix (restarts: no config_path on this node), skip-verify and a pull secret
  const ctx: PlanContext = { target: parseTarget(`${HOST}/app:1`), inputs: { ca: CA }, facts: partialFacts({}) };
  const fixes = [...proposeFixes(finding('self-signed'), ctx), ...proposeFixes(finding('rate-limited'), ctx)];
  const f: Finding = { ...finding('self-signed'), fixes };
  const state: RunState = { target: ctx.target, startedAt: 0, finishedAt: 1, checks: [], cancelled: false, facts: {} };
  const report: Report = buildReport(state, [f]);
  const labels = fixes.map((p) => riskLabel(p));

  it('labels differ by what the fixes do (and none is set by a planner)', () => {
    expect(new Set(labels).size).toBeGreaterThanOrEqual(4);
    expect(labels).toContain('changes cluster objects');
    expect(labels).toContain('restarts runtime');
  });

  it('plain text, Ink live view, Markdown, HTML and JSON print the computed label for each fix', () => {
    const text = renderText(report, { verbose: true, color: false, columns: 400 });
    const ink = plainLines(liveLines({ state, report, verbose: true, columns: 400, color: false, hint: '', help: false } as never)).join(
      '\n',
    );
    const md = renderMarkdown(report);
    const html = renderHtml(report);
    const json = JSON.parse(renderJson(report)) as Report;
    fixes.forEach((p, i) => {
      const label = labels[i]!;
      expect(text, p.id).toContain(`[${label}] ${p.title}`);
      expect(ink, p.id).toContain(`[${label}] ${p.title}`);
      expect(md, p.id).toContain(`**\\[${mdText(label)}\\]** ${mdText(p.title)}`);
      expect(html, p.id).toContain(`${label}</span> ${p.title.replace(/'/g, '&#39;')}`);
      expect(json.findings[0]!.fixes[i]!.risk, p.id).toBe(proposalRisk(p));
    });
  });

  it('the nodes fleet plan prints the same label', () => {
    const applicable = proposeFixes(finding('self-signed'), ctx).find((p) => p.id === 'hosts-toml-ca')!;
    const r = buildReport(state, [{ ...finding('self-signed'), fixes: [applicable] }]);
    const [g] = groupOutcomes([outcomeFromReport('node-a', r, 1)]);
    const plan = fleetFix(g!, r, { ref: `${HOST}/app:1`, image: 'img:1' })!;
    expect(plan.proposals.map((p) => p.risk)).toEqual([riskLabel(applicable)]);
    expect(riskLabel(applicable)).toBe('restarts runtime');
  });

  it("the fix command's plan (the Ink fix screen shows the same text) prints the label diagnose printed", async () => {
    // a node with config_path: the CA fix writes two files, no restart
    const facts = partialFacts({
      'containerd-config': {
        file: '/etc/containerd/config.toml',
        exists: true,
        configVersion: 2,
        containerdVersion: '1.6.20',
        registryTable: ['plugins', 'io.containerd.grpc.v1.cri', 'registry'],
        effective: { registry: HOST, mode: 'hosts-toml', configPath: ['/etc/containerd/certs.d'], endpoints: [] },
        registrySummary: { configPath: '/etc/containerd/certs.d', mirrors: [], configs: [] },
      },
    } as never);
    const pctx: PlanContext = { target: ctx.target, inputs: { ca: CA }, facts };
    const planned = proposeFixes(finding('self-signed'), pctx);
    const ca = planned.find((p) => p.id === 'hosts-toml-ca')!;
    expect(riskLabel(ca)).toBe('changes node config');
    const root = await mkdtemp(path.join(tmpdir(), 'regdoctor-risk-'));
    try {
      let out = '';
      const st: RunState = { ...state, facts };
      const f2: Finding = { ...finding('self-signed'), fixes: planned };
      const code = await runFix(
        { ...parseFixOptions([ctx.target.input, '--no-pull', '--root', root, '--dry-run'], {}), yes: false },
        {
          io: {
            stdout: { write: (x: string) => (out += x) },
            stderr: { write: () => true },
            stdin: new PassThrough(),
            env: {},
            interactive: false,
            color: false,
            columns: 200,
            signal: new AbortController().signal,
          },
          diagnose: async () => ({ state: st, findings: [f2], report: buildReport(st, [f2]) }),
          planFixes: async () => planned,
        },
      );
      expect(code).toBe(0);
      expect(out).toContain(`Plan: ${ca.title}  [changes node config]`);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
