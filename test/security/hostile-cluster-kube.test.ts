// Hostile cluster, Kubernetes side (issue 23, items 3, 6, 7): whoever can create a pod or an event chooses image
// names and messages. Through the real kubectl against the local test API server:
//  3. every command scan and pod diagnosis print round-trips through real shell parsers (dash, bash) to exactly the
//     intended argv, and an invalid image reference is only ever shown as data;
//  6. when RBAC forbids reading the pull secrets (or the ServiceAccount), the credentials cause is left undecided and a
//     kube-access note says so, in text and JSON;
//  7. an event over the list item size limit is skipped with a note (the scan and the pod's other events survive);
//     `diagnose pod/ --report/--junit` write both files; "cannot use the cluster" exits 4; the kubectl proxy child is
//     reaped before a list returns and its directory is removed when the process gets SIGTERM.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKubeServer, type KubeServer } from '../kube-server/server.js';
import { event, eventsFor, podObject, populateBrokenCluster, scenarios, type Scenario } from '../kube-server/broken-cluster.js';
import { KubectlAdapter } from '../../src/adapters/kube.js';
import { scanCluster } from '../../src/kube/scan.js';
import { diagnosePod } from '../../src/kube/pod-diagnosis.js';
import { loadClassifier } from '../../src/kube/classifier.js';
import { assertRoundTrip, shellParse } from '../helpers/shell-roundtrip.js';
import { runInProcess } from '../kube/inproc-cli.js';
import { ROOT } from '../helpers/cli.js';

/** The image: pasted unquoted into a root shell it runs `touch /tmp/x`. */
const HOSTILE = 'other.corp.test/shop/a:1;touch${IFS}/tmp/x;#';
const HOSTILE2 = 'reg.corp.test:5000/shop/a:1$(touch${IFS}/tmp/y)';
const IPV6 = '[fd00::1]:5000/shop/web:1';
const KUBECTL = spawnSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).stdout.trim();

let server: KubeServer;
let dir: string;
let kubeconfig: string;
let env: Record<string, string | undefined>;
/** pids recorded by the kubectl wrapper (every kubectl this file's code started). */
let pidLog: string;
let wrapper: string;

const recordedPids = () => (existsSync(pidLog) ? readFileSync(pidLog, 'utf8').split('\n').filter(Boolean).map(Number) : []);
/** A pid still in the process table (running, or a zombie nobody reaped). */
function inProcessTable(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
}

function clone(name: string, namespace: string, patch: Partial<Scenario> = {}): Scenario {
  const sc = scenarios().find((s) => s.pod === name)!;
  return { ...sc, namespace, ...patch };
}

let uidSeq = 0;
function addScenario(sc: Scenario): string {
  const uid = `bad0c0de-0000-4000-8000-${(++uidSeq).toString(16).padStart(12, '0')}`;
  server.add('pods', podObject(sc, uid));
  server.add('events', ...eventsFor(sc, uid));
  return uid;
}

function waitingPod(ns: string, name: string, image: string, reason: string, message: string, extra: Record<string, unknown> = {}) {
  return {
    metadata: { name, namespace: ns, uid: `${ns}-${name}-uid` },
    spec: { nodeName: 'node-a', serviceAccountName: 'default', containers: [{ name: 'app', image }], ...extra },
    status: { phase: 'Pending', containerStatuses: [{ name: 'app', image, state: { waiting: { reason, message } } }] },
  };
}

const anonymous401 = (ref: string) =>
  `rpc error: code = Unknown desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://auth.corp.test:8443/token?scope=repository%3Ashop%2Fa%3Apull&service=corp-registry: 401 Unauthorized`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'regdoctor-hostile-kube-'));
  server = await startKubeServer({
    forbid: [
      { verb: 'get', resource: 'secrets', namespace: 'locked' },
      { verb: 'get', resource: 'serviceaccounts', namespace: 'nosa' },
    ],
  });
  populateBrokenCluster(server);

  // 3. Injection through image names (kubelet: InvalidImageName; and a credentials failure whose next step is the pod).
  server.add(
    'pods',
    waitingPod(
      'evil',
      'injector',
      HOSTILE,
      'InvalidImageName',
      `Failed to apply default image tag "${HOSTILE}": couldn't parse image reference "${HOSTILE}": invalid reference format: repository name must be lowercase`,
    ),
  );
  server.add(
    'events',
    event(
      'evil',
      'injector',
      'evil-injector-uid',
      'node-a',
      'InspectFailed',
      'Warning',
      `Failed to apply default image tag "${HOSTILE}": couldn't parse image reference "${HOSTILE}": invalid reference format: repository name must be lowercase`,
      { container: 'app' },
    ),
  );
  server.add('pods', waitingPod('evil', 'cred-injector', HOSTILE2, 'ErrImagePull', anonymous401(HOSTILE2)));
  server.add(
    'pods',
    waitingPod(
      'evil',
      'ipv6',
      IPV6,
      'ErrImagePull',
      `rpc error: code = Unknown desc = failed to pull and unpack image "${IPV6}": failed to resolve reference "${IPV6}": failed to do request: Head "https://[fd00::1]:5000/v2/shop/web/manifests/1": dial tcp [fd00::1]:5000: connect: connection refused`,
    ),
  );
  server.add(
    'pods',
    waitingPod(
      'evil-names',
      'x;touch${IFS}/tmp/z',
      'reg.corp.test:5000/shop/b:1',
      'ErrImagePull',
      anonymous401('reg.corp.test:5000/shop/b:1'),
    ),
  );
  server.add(
    'pods',
    waitingPod('evil', 'cred-ok', 'reg.corp.test:5000/shop/a:1', 'ErrImagePull', anonymous401('reg.corp.test:5000/shop/a:1')),
  );

  // 6. Pull secrets (and a ServiceAccount) that RBAC does not let us read.
  addScenario(clone('bad-password', 'locked'));
  addScenario(clone('wrong-port', 'locked'));
  server.add('serviceaccounts', { metadata: { name: 'default', namespace: 'locked' } });
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  server.add('secrets', {
    metadata: { name: 'regcred', namespace: 'locked' },
    type: 'kubernetes.io/dockerconfigjson',
    data: { '.dockerconfigjson': b64(JSON.stringify({ auths: { 'reg.corp.test:5000': { auth: b64('ci-bot:hunter2') } } })) },
  });
  addScenario(clone('bad-password', 'nosa'));
  server.add('secrets', {
    metadata: { name: 'regcred', namespace: 'nosa' },
    type: 'kubernetes.io/dockerconfigjson',
    data: { '.dockerconfigjson': b64(JSON.stringify({ auths: { 'reg.corp.test:5000': { auth: b64('ci-bot:hunter2') } } })) },
  });
  addScenario(clone('wrong-port', 'nosa-none', { imagePullSecrets: undefined }));

  // 7. One event over the 8 MiB list item limit among the pod's real events.
  const bloat = clone('untrusted', 'bloat');
  const uid = addScenario(bloat);
  server.add(
    'events',
    event(
      'bloat',
      'untrusted',
      uid,
      'node-a',
      'Failed',
      'Warning',
      `Failed to pull image "${bloat.image}": ${'A'.repeat(9 * 1024 * 1024)}`,
      { container: 'app', last: '2025-03-01T12:00:00Z' },
    ),
  );

  addScenario(clone('untrusted', 'bloat-pods'));
  server.add('pods', {
    ...waitingPod('bloat-pods', 'fat', 'reg.corp.test:5000/shop/web:1', 'ErrImagePull', 'x'),
    metadata: { name: 'fat', namespace: 'bloat-pods', annotations: { big: 'B'.repeat(100 * 1024) } },
  });

  kubeconfig = server.writeKubeconfig(dir);
  env = { ...process.env, HOME: dir, KUBECONFIG: undefined };
  // A kubectl that records its pid (exec keeps the pid) so tests can check what is left of each process.
  pidLog = join(dir, 'kubectl-pids');
  wrapper = join(dir, 'kubectl-wrapper');
  writeFileSync(wrapper, `#!/bin/sh\necho $$ >> '${pidLog}'\nexec '${KUBECTL}' "$@"\n`);
  chmodSync(wrapper, 0o755);
}, 120_000);

afterAll(async () => {
  // Only processes this file started (recorded by the wrapper) — none should be left.
  for (const pid of recordedPids()) if (inProcessTable(pid)?.includes('(kubectl)')) process.kill(pid, 'SIGKILL');
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const kube = (o: Partial<ConstructorParameters<typeof KubectlAdapter>[0]> = {}) => new KubectlAdapter({ kubeconfig, env, ...o });
const cli = (argv: string[], extraEnv: Record<string, string | undefined> = {}) =>
  runInProcess([...argv, '--kubeconfig', kubeconfig], { HOME: dir, ...extraEnv });

describe('3. printed commands cannot be injected', () => {
  it("the round-trip helper catches the issue's unquoted command and accepts its quoted form", () => {
    const unquoted = `regdoctor diagnose ${HOSTILE}`;
    expect(shellParse(unquoted).argv).toEqual(['regdoctor', 'diagnose', 'other.corp.test/shop/a:1']);
    expect(() => assertRoundTrip(unquoted, ['regdoctor', 'diagnose', HOSTILE])).toThrow(/does not parse the printed command back/);
    expect(() => assertRoundTrip(`regdoctor diagnose '${HOSTILE}'`, ['regdoctor', 'diagnose', HOSTILE])).not.toThrow();
    expect(existsSync('/tmp/x')).toBe(false);
  });

  it('scan --json: every group command round-trips to its argv, built only from valid references and names', async () => {
    const r = await cli(['scan', '-n', 'evil', '--json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.failingPods).toBe(4);
    expect(j.groups.length).toBe(3);
    const withCommand = j.groups.filter((g: { diagnose?: string }) => g.diagnose);
    expect(withCommand.length).toBe(2);
    for (const g of withCommand) {
      assertRoundTrip(g.diagnose, g.diagnoseArgv);
      expect(g.diagnoseArgv.slice(0, 2)).toEqual(['regdoctor', 'diagnose']);
    }
    const argvs = withCommand.map((g: { diagnoseArgv: string[] }) => g.diagnoseArgv);
    expect(argvs).toEqual(
      expect.arrayContaining([
        ['regdoctor', 'diagnose', IPV6],
        ['regdoctor', 'diagnose', 'pod/cred-injector', '-n', 'evil'],
      ]),
    );
    // The injector's group (invalid reference) has no command at all; its image is only data.
    const inj = j.groups.find((g: { images: string[] }) => g.images.includes(HOSTILE));
    expect(inj.diagnose).toBeUndefined();
    expect(inj.diagnoseArgv).toBeUndefined();
    expect(JSON.stringify(j.groups.map((g: { diagnose?: string }) => g.diagnose ?? ''))).not.toContain('touch');
  });

  it('scan text: each `next:` line round-trips; the hostile reference is shown as "(invalid reference)", never after next:', async () => {
    const r = await cli(['scan', '-n', 'evil']);
    const j = JSON.parse((await cli(['scan', '-n', 'evil', '--json'])).stdout);
    const nextLines = r.stdout.split('\n').filter((l) => l.trimStart().startsWith('next:'));
    expect(nextLines.length).toBe(j.groups.length);
    const commands = nextLines
      .map((l) =>
        l
          .trim()
          .replace(/^next: /, '')
          .replace(/ {3}\(on an affected node\)$/, ''),
      )
      .filter((c) => c.startsWith('regdoctor '));
    expect(commands.length).toBe(2);
    const expected = j.groups.filter((g: { diagnose?: string }) => g.diagnose).map((g: { diagnoseArgv: string[] }) => g.diagnoseArgv);
    commands.forEach((c, i) => assertRoundTrip(c, expected[i]));
    for (const l of nextLines) expect(l).not.toMatch(/touch|\$\(/);
    expect(r.stdout).toContain(`${HOSTILE} (invalid reference)`);
    expect(r.stdout).toMatch(/next: no command to suggest: the image reference is not valid/);
  });

  it('a pod name that is not a valid name (a forged API answer) is never put in a command: the image is used instead', async () => {
    const j = JSON.parse((await cli(['scan', '-n', 'evil-names', '--json'])).stdout);
    expect(j.groups).toHaveLength(1);
    expect(j.groups[0]).toMatchObject({
      code: 'credentials-missing',
      diagnoseArgv: ['regdoctor', 'diagnose', 'reg.corp.test:5000/shop/b:1'],
    });
    assertRoundTrip(j.groups[0].diagnose, j.groups[0].diagnoseArgv);
  });

  it('pod diagnosis: `on the node:` round-trips to the image; an invalid image gets no command (text and JSON)', async () => {
    const ok = await cli(['diagnose', 'pod/ipv6', '-n', 'evil']);
    const line = ok.stdout.split('\n').find((l) => l.includes('on the node: '))!;
    assertRoundTrip(
      line
        .trim()
        .replace(/^on the node: /, '')
        .replace(/ {3}\(or --live here\)$/, ''),
      ['regdoctor', 'diagnose', IPV6],
    );
    for (const pod of ['injector', 'cred-injector']) {
      const t = await cli(['diagnose', `pod/${pod}`, '-n', 'evil']);
      expect(t.code).toBe(1);
      expect(t.stdout).not.toContain('on the node:');
      expect(t.stdout).toMatch(/image \S+ \(invalid reference\)/);
      const j = JSON.parse((await cli(['diagnose', `pod/${pod}`, '-n', 'evil', '--json'])).stdout);
      expect(j.containers[0]).toMatchObject({ invalidImage: true, targets: [] });
      expect(j.containers[0].next).toBeUndefined();
    }
    const j = JSON.parse((await cli(['diagnose', 'pod/ipv6', '-n', 'evil', '--json'])).stdout);
    assertRoundTrip(j.containers[0].next.command, j.containers[0].next.argv);
  });
});

describe('6. forbidden is not "no"', () => {
  it('secrets not readable: no confident unauthorized / credentials-mismatch; a kube-access note says what is undecided', async () => {
    for (const [pod, suggested] of [
      ['bad-password', 'unauthorized'],
      ['wrong-port', 'credentials-missing'],
    ] as const) {
      const r = await diagnosePod({ kube: kube(), name: pod, namespace: 'locked' });
      if (!r.ok) throw new Error(r.message);
      const f = r.value.failing[0]!;
      expect(f.code, pod).toBe('kube-access');
      expect(f.undecided).toMatchObject({ suggested });
      expect(f.summary).toMatch(/pull secret regcred(-noport)? could not be read \(RBAC forbids "get" on "secrets" in namespace "locked"/);
      expect(f.summary).toMatch(/undecided/);
      expect(r.value.notes.join('\n')).toMatch(
        /^kube-access: secrets could not be read: pull secret locked\/regcred(-noport)?: RBAC forbids "get" on "secrets" in namespace "locked".* — whether credentials are missing is undecided$/m,
      );
      expect(r.value.access).toContainEqual(
        expect.objectContaining({ code: 'kube-access', resource: 'secrets', kind: 'forbidden', verb: 'get', namespace: 'locked' }),
      );
    }
  });

  it('CLI text and JSON carry the note; the verdict line is not a credentials cause', async () => {
    const t = await cli(['diagnose', 'pod/bad-password', '-n', 'locked']);
    expect(t.code).toBe(1);
    expect(t.stdout).toMatch(/✗ app: kube-access/);
    expect(t.stdout).not.toMatch(/✗ app: (unauthorized|credentials-missing|credentials-mismatch)/);
    expect(t.stdout).toMatch(
      /note: kube-access: secrets could not be read: pull secret locked\/regcred: RBAC forbids "get" on "secrets".* — whether credentials are missing is undecided/,
    );
    const j = JSON.parse((await cli(['diagnose', 'pod/bad-password', '-n', 'locked', '--json'])).stdout);
    expect(j.containers[0].code).toBe('kube-access');
    expect(j.notes.join('\n')).toMatch(/kube-access: secrets could not be read: .* — whether credentials are missing is undecided/);
    expect(j.access[0]).toMatchObject({ code: 'kube-access', resource: 'secrets', kind: 'forbidden' });
  });

  it('ServiceAccount not readable: the note says so; a cause the readable secret decides stays decided', async () => {
    const r = await diagnosePod({ kube: kube(), name: 'bad-password', namespace: 'nosa' });
    if (!r.ok) throw new Error(r.message);
    expect(r.value.failing[0]!.code).toBe('unauthorized'); // regcred is readable, matches, and the registry rejected it
    expect(r.value.notes.join('\n')).toMatch(
      /kube-access: serviceaccounts could not be read: ServiceAccount nosa\/default: RBAC forbids "get" on "serviceaccounts"/,
    );
    const t = await cli(['diagnose', 'pod/bad-password', '-n', 'nosa']);
    expect(t.stdout).toMatch(/note: kube-access: serviceaccounts could not be read/);
  });

  it('readable secrets still decide (control: the same pods in a namespace without the RBAC rule)', async () => {
    const r = await diagnosePod({ kube: kube(), name: 'wrong-port', namespace: 'shop' });
    if (!r.ok) throw new Error(r.message);
    expect(r.value.failing[0]!.code).toBe('credentials-mismatch');
    expect(r.value.access).toEqual([]);
  });
});

describe('7. robustness', () => {
  it(
    'scan: an event over the list item limit is skipped with a warning; the rest of the events still classify',
    { timeout: 60_000 },
    async () => {
      const r = await scanCluster({ kube: kube(), namespace: 'bloat', classify: await loadClassifier() });
      expect(r.skipped).toEqual({ pods: 0, events: 1 });
      expect(r.warnings.join('\n')).toMatch(
        /^1 event over the 8388608-byte list item limit was skipped \(e\.g\. bloat\/untrusted\.[0-9a-f]+\): their messages are not used$/m,
      );
      expect(r.groups.map((g) => `${g.code}@${g.host}`)).toEqual(['untrusted-ca@reg.corp.test:5000']);
    },
  );

  it('scan: a pod over the list item limit is skipped with a warning, the other pods are still checked', async () => {
    const r = await scanCluster({ kube: kube({ maxItemBytes: 64 * 1024 }), namespace: 'bloat-pods', classify: await loadClassifier() });
    expect(r.skipped).toEqual({ pods: 1, events: 0 });
    expect(r.podsScanned).toBe(1);
    expect(r.warnings.join('\n')).toMatch(
      /^1 pod over the 65536-byte list item limit was skipped \(e\.g\. bloat-pods\/fat\): their containers are not checked$/m,
    );
    expect(r.groups.map((g) => g.code)).toEqual(['untrusted-ca']);
  });

  it("diagnose pod/: the oversized event is skipped with a note, the pod's other events are kept", { timeout: 60_000 }, async () => {
    const r = await diagnosePod({ kube: kube(), name: 'untrusted', namespace: 'bloat' });
    if (!r.ok) throw new Error(r.message);
    const f = r.value.failing[0]!;
    expect(f).toMatchObject({ code: 'untrusted-ca', errorSource: 'event' });
    expect(f.events.length).toBeGreaterThanOrEqual(4);
    expect(r.value.notes.join('\n')).toMatch(/1 event over the 8388608-byte list item limit was skipped/);
  });

  it('diagnose pod/NAME --report FILE --junit FILE writes both (Markdown, JSON, valid JUnit XML)', async () => {
    const md = join(dir, 'pod.md');
    const json = join(dir, 'pod.json');
    const xml = join(dir, 'pod.xml');
    const a = await cli(['diagnose', 'pod/untrusted', '-n', 'shop', '--report', md, '--junit', xml]);
    expect(a.code).toBe(1);
    expect(a.stderr).toContain(`report written to ${md}`);
    expect(a.stderr).toContain(`JUnit written to ${xml}`);
    expect(readFileSync(md, 'utf8')).toMatch(/untrusted-ca/);
    const parsed = spawnSync(
      'python3',
      ['-c', 'import sys, xml.dom.minidom as m; d = m.parse(sys.argv[1]); print(len(d.getElementsByTagName("failure")))', xml],
      { encoding: 'utf8' },
    );
    expect(parsed.stderr).toBe('');
    expect(parsed.stdout.trim()).toBe('1');
    expect(readFileSync(xml, 'utf8')).toMatch(/name="container\/app"/);
    await cli(['diagnose', 'pod/bad-password', '-n', 'locked', '--report', json]);
    const rep = JSON.parse(readFileSync(json, 'utf8'));
    expect(rep).toMatchObject({
      schema: 'regdoctor/report@1',
      target: { input: 'pod/locked/bad-password' },
      verdict: { code: 'kube-access' },
    });
    expect(rep.findings.map((f: { code: string }) => f.code)).toEqual(['kube-access', 'kube-access']);
    expect(JSON.stringify(rep)).not.toContain('hunter2');
    const bad = await cli(['diagnose', 'pod/untrusted', '-n', 'shop', '--report', join(dir, 'pod.txt')]);
    expect(bad.code).toBe(2);
  });

  it('exit 4 when the cluster cannot be used (unreachable, kubectl missing), 1 for problems found; documented in --help', async () => {
    expect((await cli(['scan', '-n', 'shop', '--context', 'unreachable'])).code).toBe(4);
    expect((await cli(['diagnose', 'pod/untrusted', '-n', 'shop', '--context', 'unreachable'])).code).toBe(4);
    expect((await cli(['diagnose', 'pod/untrusted', '-n', 'shop'], { PATH: '/nonexistent' })).code).toBe(4);
    expect((await cli(['diagnose', 'pod/untrusted', '-n', 'shop'])).code).toBe(1);
    expect((await cli(['diagnose', 'pod/nope', '-n', 'shop'])).code).toBe(1);
    const help = await runInProcess(['--help']);
    expect(help.stdout).toMatch(/4: cannot use the cluster .*kubectl missing, API server unreachable/s);
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toMatch(/\| 4 \| cannot use the cluster/);
  });

  it('the kubectl proxy child is reaped before a multi-page list returns (no zombie, no orphan)', async () => {
    rmSync(pidLog, { force: true });
    const before = new Set(readdirSync(tmpdir()).filter((n) => n.startsWith('regdoctor-kubectl-')));
    let n = 0;
    const r = await kube({ kubectl: wrapper, env: { ...env } }).list('events', { namespace: 'shop', chunkSize: 3 }, () => n++);
    // Checked synchronously right after the list returns: a child only signalled would still be in the table.
    const left = recordedPids()
      .map((pid) => [pid, inProcessTable(pid)] as const)
      .filter(([, stat]) => stat !== undefined);
    expect(r).toMatchObject({ ok: true, value: { pages: Math.ceil(n / 3) } });
    expect(n).toBeGreaterThan(9);
    expect(recordedPids().length).toBe(2); // one `get --raw` for page 1, one `proxy` for the rest
    expect(left).toEqual([]);
    expect(readdirSync(tmpdir()).filter((x) => x.startsWith('regdoctor-kubectl-') && !before.has(x))).toEqual([]);
  });

  it(
    'SIGTERM during a paged list: the proxy is stopped and reaped and its directory removed before the process ends',
    { timeout: 60_000 },
    async () => {
      const slow = await startKubeServer({ delayMs: 1_500 });
      const tmp = mkdtempSync(join(dir, 'sig-'));
      try {
        for (let i = 0; i < 6; i++) slow.add('pods', { metadata: { name: `p${i}`, namespace: 'default' } });
        const kc = slow.writeKubeconfig(join(dir, 'slow'));
        const log = join(tmp, 'pids');
        const w = join(tmp, 'kubectl');
        writeFileSync(w, `#!/bin/sh\necho $$ >> '${log}'\nexec '${KUBECTL}' "$@"\n`);
        chmodSync(w, 0o755);
        const ptmp = join(tmp, 'tmp');
        mkdirSync(ptmp);
        // A library user: no signal handlers of its own.
        const script = `import { KubectlAdapter } from ${JSON.stringify(join(ROOT, 'src/adapters/kube.ts'))};
const k = new KubectlAdapter({ kubeconfig: ${JSON.stringify(kc)}, kubectl: ${JSON.stringify(w)}, namespace: 'default', env: { ...process.env, HOME: ${JSON.stringify(tmp)}, KUBECONFIG: undefined } });
await k.list('pods', { chunkSize: 2 }, () => {});
console.log('list finished');`;
        const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
          cwd: ROOT,
          env: { ...process.env, TMPDIR: ptmp },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        child.stderr.on('data', (d) => (out += d));
        const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) =>
          child.on('exit', (code, signal) => res({ code, signal })),
        );
        // Wait until the proxy serves (its socket exists), then SIGTERM the process.
        const deadline = Date.now() + 30_000;
        let sock: string | undefined;
        while (!sock && Date.now() < deadline) {
          const d = readdirSync(ptmp).find((x) => x.startsWith('regdoctor-kubectl-'));
          if (d && existsSync(join(ptmp, d, 'api.sock'))) sock = join(ptmp, d, 'api.sock');
          else await new Promise((r) => setTimeout(r, 50));
        }
        expect(sock, out).toBeDefined();
        child.kill('SIGTERM');
        const end = await exited;
        const pids = readFileSync(log, 'utf8').split('\n').filter(Boolean).map(Number);
        const left = pids.filter((pid) => inProcessTable(pid));
        for (const pid of left) process.kill(pid, 'SIGKILL'); // never leave them behind, even when the test fails
        expect(end.signal).toBe('SIGTERM'); // the default course of the signal, after the clean-up
        expect(out).not.toContain('list finished');
        expect(readdirSync(ptmp).filter((x) => x.startsWith('regdoctor-'))).toEqual([]);
        expect(pids.length).toBe(2);
        expect(left).toEqual([]);
      } finally {
        await slow.close();
      }
    },
  );

  it('the CLI entry on SIGTERM mid-scan: exit 130, proxy reaped, directory removed', { timeout: 60_000 }, async () => {
    const slow = await startKubeServer({ delayMs: 1_500 });
    const tmp = mkdtempSync(join(dir, 'cli-sig-'));
    try {
      for (let i = 0; i < 6; i++) slow.add('pods', { metadata: { name: `p${i}`, namespace: 'default' } });
      const kc = slow.writeKubeconfig(join(tmp, 'kc'));
      const log = join(tmp, 'pids');
      const w = join(tmp, 'kubectl');
      writeFileSync(w, `#!/bin/sh\necho $$ >> '${log}'\nexec '${KUBECTL}' "$@"\n`);
      chmodSync(w, 0o755);
      const ptmp = join(tmp, 'tmp');
      mkdirSync(ptmp);
      // The CLI's own entry (run(): default IO with its signal handling, exit right after output), from the sources so
      // a concurrent rebuild of dist/ cannot interfere.
      const entry = `import { run } from ${JSON.stringify(join(ROOT, 'src/cli/main.ts'))}; await run(process.argv.slice(1));`;
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          '--input-type=module',
          '-e',
          entry,
          'scan',
          '-n',
          'default',
          '--chunk-size',
          '2',
          '--kubeconfig',
          kc,
          '--kubectl',
          w,
        ],
        {
          cwd: ROOT,
          env: { ...process.env, TMPDIR: ptmp, HOME: tmp, KUBECONFIG: '', NO_COLOR: '1', CI: '1' },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) =>
        child.on('exit', (code, signal) => res({ code, signal })),
      );
      const deadline = Date.now() + 30_000;
      let served = false;
      while (!served && Date.now() < deadline) {
        const d = readdirSync(ptmp).find((x) => x.startsWith('regdoctor-kubectl-'));
        served = Boolean(d && existsSync(join(ptmp, d, 'api.sock')));
        if (!served) await new Promise((r) => setTimeout(r, 50));
      }
      expect(served, out).toBe(true);
      child.kill('SIGTERM');
      const end = await exited;
      const pids = readFileSync(log, 'utf8').split('\n').filter(Boolean).map(Number);
      const left = pids.filter((pid) => inProcessTable(pid));
      for (const pid of left) process.kill(pid, 'SIGKILL');
      expect(end, out).toEqual({ code: 130, signal: null });
      expect(readdirSync(ptmp).filter((x) => x.startsWith('regdoctor-'))).toEqual([]);
      expect(left).toEqual([]);
    } finally {
      await slow.close();
    }
  });
});
