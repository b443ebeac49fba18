// Issue 20, area `evidence` on the node: runtime-info (the package database, the daemon behind the CRI socket, the Go
// build info), containerd-config, CRI-O and k3s run on node trees written here, and every evidence line they keep
// reads in zh-CN and ja with no English sentence left; raw observations (paths, versions, `--version` output, OS and
// Go errors) print as they are, and the stored English is the English rendering of each line's message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runGraph } from '../../src/core/engine.js';
import { DEFAULT_RUN_OPTIONS } from '../../src/app/diagnose.js';
import { parseTarget } from '../../src/core/reference.js';
import { createRealAdapters } from '../../src/app/adapters.js';
import { OFFLINE } from '../helpers/offline-net.js';
import type { CriAdapter } from '../../src/adapters/cri.js';
import type { Check, RunOptions, RunState } from '../../src/core/types.js';
import { containerdConfigCheck } from '../../checks/containerd-config.js';
import { runtimeInfoCheck } from '../../checks/runtime-info.js';
import { crioConfigCheck } from '../../checks/crio-config.js';
import { criPullCheck } from '../../checks/cri-pull.js';
import { runtimeCredentialRejected } from '../../src/runtime/containerd-config.js';
import { messageIn, withLang, type Message } from '../../src/i18n/index.js';
import { evidenceText, type EvidenceOf } from '../../src/i18n/evidence.js';
import { englishRuns } from './node-english.js';
import { startKubeServer, type KubeServer } from '../kube-server/server.js';
import { podObject, populateBrokenCluster } from '../kube-server/broken-cluster.js';
import { KubectlAdapter } from '../../src/adapters/kube.js';
import { diagnosePod } from '../../src/kube/pod-diagnosis.js';
import { buildPodReport } from '../../src/kube/pod-report.js';
import { buildReport } from '../../src/core/report.js';
import { configOf } from '../../src/kube/nodes-matrix.js';

const LANGS = ['zh-CN', 'ja'] as const;
const CJK = /[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]/;

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});
function tree(files: Record<string, string>, links: Record<string, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'regdoctor-i18n-evnode-'));
  roots.push(root);
  for (const [p, body] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), body);
  }
  for (const [p, to] of Object.entries(links)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    symlinkSync(to, join(root, p));
  }
  return root;
}

async function run(root: string, image: string, checks: Check[], options: Partial<RunOptions> = {}): Promise<RunState> {
  return runGraph(checks, {
    target: parseTarget(image),
    options: { ...DEFAULT_RUN_OPTIONS, root, pull: false, ...options },
    adapters: { ...createRealAdapters({ root, env: {} }), net: OFFLINE },
  });
}

/** Filled-in values (paths, hosts, versions, runtime text) are kept as they are; nested messages are translated. */
function values(m: Message): string[] {
  return Object.values(m.params ?? {}).flatMap((v) => (typeof v === 'object' ? values(v) : [String(v)]));
}
function keysOf(m: Message): string[] {
  return [m.key, ...Object.values(m.params ?? {}).flatMap((v) => (typeof v === 'object' ? keysOf(v) : []))];
}

/** Raw lines that quote a runtime's own text (containerd's log line, a `--version` answer, containers/image's error,
 *  the CRI error): that part stays in English by design (issue 20: runtime messages byte-exact). */
const RUNTIME_TEXT =
  /^(?:containerd logs|containerd warns|containers\/image|CRI PullImage|crictl pull|\S+ --version|kubelet \(\w+\)|waiting): .*$/s;

/** Not yet in the catalogue (outside this area): src/adapters/kubectl/errors.ts describeKubeError()'s sentence, kept
 *  as the `why` of the kube-access summary too. */
const KNOWN_ENGLISH = /^RBAC forbids "/;

/** Every line of `x` in zh-CN and ja: a sentence translated with no English run left, a raw line unchanged and
 *  holding no English sentence either (a prose line without a message fails here). Returns the keys said. */
function expectNodeEvidence(x: EvidenceOf, where: string): string[] {
  const lines = x.evidence ?? [];
  expect(x.evidenceMessages === undefined || x.evidenceMessages.length === lines.length, `${where}: parallel`).toBe(true);
  const keys: string[] = [];
  lines.forEach((line, i) => {
    const m = x.evidenceMessages?.[i];
    for (const lang of LANGS) {
      const text = withLang(lang, () => evidenceText(x, i));
      if (!m) {
        expect(text).toBe(line);
        if (!RUNTIME_TEXT.test(line) && !KNOWN_ENGLISH.test(line))
          expect(englishRuns(text), `${where}: raw line reads as an English sentence: ${line}`).toEqual([]);
        continue;
      }
      expect(messageIn('en', m), `${where}: the stored English is the message's`).toBe(line);
      expect(text, `${lang} ${where}: ${line}`).toMatch(CJK);
      expect(englishRuns(text, values(m)), `${lang} ${where}: ${text}`).toEqual([]);
    }
    if (m) keys.push(...keysOf(m));
  });
  return keys;
}

/** The evidence of every check of the run and of their findings. */
function runKeys(s: RunState): Set<string> {
  const keys = new Set<string>();
  for (const c of s.checks) {
    for (const k of expectNodeEvidence(c, c.id)) keys.add(k);
    for (const f of c.findings) for (const k of expectNodeEvidence(f, `${c.id} ${f.code}`)) keys.add(k);
  }
  return keys;
}

const V2 = (configPath?: string) =>
  `version = 2\n[plugins."io.containerd.grpc.v1.cri".registry]\n${configPath === undefined ? '' : `  config_path = "${configPath}"\n`}`;
const SOCK = '/run/containerd/containerd.sock';
const unixLine = (inode: number, p: string) => `0000000000000000: 00000002 00000000 00010000 0001 01 ${inode} ${p}`;
/** A /proc with a containerd (pid 42) listening on the CRI socket, its start time and environment. */
function procOf(pid: number, comm: string, inodes: number[], env = ''): { files: Record<string, string>; links: Record<string, string> } {
  const stat = `${pid} (${comm}) S ${Array.from({ length: 18 }, (_, i) => String(i + 1)).join(' ')} 12345 0 0\n`;
  return {
    files: {
      '/proc/stat': 'cpu  1 2 3\nbtime 1790000000\n',
      '/proc/net/unix': ['Num RefCount Protocol Flags Type St Inode Path', ...inodes.map((i) => unixLine(i, SOCK))].join('\n') + '\n',
      [`/proc/${pid}/comm`]: `${comm}\n`,
      [`/proc/${pid}/stat`]: stat,
      [`/proc/${pid}/environ`]: env,
    },
    links: Object.fromEntries(inodes.map((i, k) => [`/proc/${pid}/fd/${3 + k}`, `socket:[${i}]`])),
  };
}

describe('runtime-info evidence in zh-CN and ja', () => {
  it('the package database, kubelet’s endpoint, the daemon listening on the socket, Go build info unreadable', async () => {
    const proc = procOf(42, 'containerd', [7001, 7002], 'HTTPS_PROXY=http://proxy.corp:3128\0');
    const root = tree(
      {
        '/usr/bin/containerd': 'not an ELF file',
        '/etc/containerd/config.toml': V2('/etc/containerd/certs.d'),
        '/var/lib/dpkg/status': 'Package: containerd\nStatus: install ok installed\nVersion: 1.7.13~ds1-1\n\n',
        '/var/lib/dpkg/info/containerd.list': '/usr/bin\n/usr/bin/containerd\n',
        '/var/lib/kubelet/config.yaml': `containerRuntimeEndpoint: unix://${SOCK}\n`,
        ...proc.files,
      },
      proc.links,
    );
    const keys = runKeys(await run(root, 'reg.test:5000/app:1', [runtimeInfoCheck, containerdConfigCheck], { liveRoot: true }));
    for (const k of ['pkgOwns', 'kubeletEndpoint', 'daemonPid', 'started', 'daemonEnv', 'goUnreadable', 'goAssumed'])
      expect(keys, k).toContain(`evidence.runtime.${k}`);
    expect(keys).toContain('evidence.proc.manyListeners');
    expect(keys).toContain('evidence.proc.listens');
  });

  it('no listener on the socket, the only running daemon by name, none at all, a second CRI socket', async () => {
    const alone = procOf(51, 'containerd', []);
    const a = tree({
      '/usr/bin/containerd': '',
      ...alone.files,
      '/proc/net/unix': 'Num RefCount Protocol Flags Type St Inode Path\n',
      '/var/lib/kubelet/kubeadm-flags.env': `KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix://${SOCK}"\n`,
      // the package database knows the package but not which files it owns
      '/var/lib/dpkg/status': 'Package: containerd.io\nStatus: install ok installed\nVersion: 1.6.20-1\n\n',
    });
    const ka = runKeys(await run(a, 'reg.test:5000/app:1', [runtimeInfoCheck], { liveRoot: true }));
    expect(ka).toContain('evidence.proc.noListener');
    expect(ka).toContain('evidence.proc.onlyOne');
    expect(ka).toContain('evidence.runtime.pkgVersion');
    const none = tree({
      '/usr/bin/containerd': '',
      '/proc/stat': 'btime 1\n',
      '/var/lib/kubelet/config.yaml': `containerRuntimeEndpoint: unix://${SOCK}\n`,
    });
    const kn = runKeys(await run(none, 'reg.test:5000/app:1', [runtimeInfoCheck], { liveRoot: true }));
    expect(kn).toContain('evidence.proc.unixUnreadable');
    expect(kn).toContain('evidence.runtime.noDaemon');
    const crio = tree({ '/run/crio/crio.sock': '', '/usr/bin/crio': '' });
    expect(runKeys(await run(crio, 'reg.test:5000/app:1', [runtimeInfoCheck]))).toContain('evidence.runtime.socketPresent');
  });
});

describe('containerd configuration evidence in zh-CN and ja', () => {
  it('config file, table, semantics, config_path (set, built-in, unset), endpoints, credentials, an absent file', async () => {
    const hosts = tree({
      '/etc/containerd/config.toml': `${V2('/etc/containerd/certs.d')}[plugins."io.containerd.grpc.v1.cri".registry.configs."reg.test:5000".auth]\n  username = "ci"\n  password = "x"\n`,
      '/etc/containerd/certs.d/reg.test:5000/hosts.toml':
        'server = "https://reg.test:5000"\n[host."http://mirror.test:5000"]\n  capabilities = ["pull", "resolve"]\n',
    });
    const k1 = runKeys(await run(hosts, 'reg.test:5000/app:1', [runtimeInfoCheck, containerdConfigCheck], { containerdVersion: '1.7.13' }));
    for (const k of ['version', 'section', 'semantics', 'applies', 'endpoint', 'credentials'])
      expect(k1, k).toContain(`evidence.config.${k}`);
    // containerd 2.2.2+ reads /etc/containerd/certs.d by default; 1.6 with certs.d present but no config_path
    const builtIn = tree({ '/etc/containerd/config.toml': V2() });
    const k2 = runKeys(
      await run(builtIn, 'reg.test:5000/app:1', [runtimeInfoCheck, containerdConfigCheck], { containerdVersion: '2.2.2' }),
    );
    expect(k2).toContain('evidence.config.configPath');
    const unused = tree({ '/etc/containerd/config.toml': V2(''), '/etc/containerd/certs.d/reg.test:5000/ca.crt': 'x' });
    const k3 = runKeys(
      await run(unused, 'reg.test:5000/app:1', [runtimeInfoCheck, containerdConfigCheck], { containerdVersion: '1.6.20' }),
    );
    expect(k3).toContain('evidence.config.noConfigPath');
    expect(k3).toContain('evidence.config.pathEmpty');
    const absent = tree({ '/usr/bin/containerd': '' });
    const k4 = runKeys(await run(absent, 'reg.test:5000/app:1', [runtimeInfoCheck, containerdConfigCheck]));
    expect(k4).toContain('evidence.config.noFile');
    expect(k4).toContain('evidence.config.versionAssumed');
    // regdoctor's own note on two config_path directories is translated; containerd's deprecation words are not
    const two = tree({
      '/etc/containerd/config.toml': `${V2('/etc/containerd/certs.d:/etc/docker/certs.d')}`,
      '/etc/containerd/certs.d/reg.test:5000/hosts.toml': 'server = "https://reg.test:5000"\n',
    });
    // containerd 2.1's transfer service reads the list as one directory: the hosts.toml under it is ignored
    const k5 = runKeys(await run(two, 'reg.test:5000/app:1', [runtimeInfoCheck, containerdConfigCheck], { containerdVersion: '2.1.0' }));
    expect(k5).toContain('evidence.transfer.mode');
    expect(k5).toContain('evidence.transfer.readAs');
    const twoEmpty = tree({ '/etc/containerd/config.toml': `${V2('/etc/containerd/certs.d:/etc/docker/certs.d')}` });
    const k5b = runKeys(
      await run(twoEmpty, 'reg.test:5000/app:1', [runtimeInfoCheck, containerdConfigCheck], { containerdVersion: '2.1.0' }),
    );
    expect(k5b).toContain('evidence.config.manyDirs');
    const mirrors = tree({
      '/etc/containerd/config.toml': `${V2()}[plugins."io.containerd.grpc.v1.cri".registry.mirrors."reg.test:5000"]\n  endpoint = ["https://m.test"]\n`,
    });
    const s6 = await run(mirrors, 'reg.test:5000/app:1', [runtimeInfoCheck, containerdConfigCheck], { containerdVersion: '1.7.13' });
    expect(runKeys(s6)).toContain('evidence.config.warns');
    const cfg = s6.checks.find((c) => c.id === 'containerd-config')!;
    const at = cfg.evidence.findIndex((l) => l.startsWith('containerd warns'));
    expect(withLang('ja', () => evidenceText(cfg, at))).toBe(
      'containerd の警告: `mirrors` is deprecated, please use `config_path` instead',
    );
  });

  it("an endpoint whose source regdoctor words (a default, a Docker-style directory) reads in the reader's language", async () => {
    const none = tree({
      '/etc/containerd/config.toml': V2('/etc/containerd/certs.d'),
      '/etc/containerd/certs.d/other.test/hosts.toml': '',
    });
    const docker = tree({
      '/etc/containerd/config.toml': V2('/etc/containerd/certs.d'),
      '/etc/containerd/certs.d/reg.test:5000/ca.crt': 'x',
    });
    for (const [root, english, ja] of [
      [
        none,
        'default (no directory for reg.test:5000 under /etc/containerd/certs.d)',
        '既定（/etc/containerd/certs.d の下に reg.test:5000 のディレクトリなし）',
      ],
      [docker, '/etc/containerd/certs.d/reg.test:5000 (docker-style certificate files, no hosts.toml)', 'Docker 形式の証明書ファイル'],
    ] as const) {
      const s = await run(root, 'reg.test:5000/app:1', [runtimeInfoCheck, containerdConfigCheck], { containerdVersion: '1.6.20' });
      const cfg = s.checks.find((c) => c.id === 'containerd-config')!;
      const at = cfg.evidence.findIndex((l) => l.startsWith('endpoint 1:'));
      expect(cfg.evidence[at], cfg.evidence.join('\n')).toContain(english);
      const text = withLang('ja', () => evidenceText(cfg, at));
      expect(text).toContain(ja);
      expect(text).not.toContain(english);
      expectNodeEvidence(cfg, 'endpoint source');
    }
  });

  it("a node's configuration in the nodes matrix (configOf) keeps each line's message through the report", async () => {
    const root = tree({
      '/etc/containerd/config.toml': V2('/etc/containerd/certs.d'),
      '/etc/containerd/certs.d/reg.test:5000/hosts.toml': 'server = "https://reg.test:5000"\n',
    });
    const s = await run(root, 'reg.test:5000/app:1', [runtimeInfoCheck, containerdConfigCheck], { containerdVersion: '1.7.13' });
    // the report as a node's pod sends it: JSON, read back
    const config = configOf(JSON.parse(JSON.stringify(buildReport(s))) as ReturnType<typeof buildReport>);
    expect(config.lines).toEqual(s.checks.find((c) => c.id === 'containerd-config')!.evidence);
    const keys = expectNodeEvidence({ evidence: config.lines, evidenceMessages: config.messages }, 'configOf');
    expect(keys).toEqual(expect.arrayContaining(['evidence.config.version', 'evidence.config.applies', 'evidence.config.endpoint']));
  });

  it('an unknown hosts.toml key, a file that does not decode, a directory under a wrong name: each compared as meant', async () => {
    const keys = new Set<string>();
    for (const [dir, body, v] of [
      [
        'reg.test:5000',
        'server = "https://reg.test:5000"\ninsecure_skip_verify = true\n[host."https://mirror.test"]\n  capabilities = ["pull"]\n  cafile = "x"\n',
        '1.7.13',
      ],
      ['reg.test:5000', 'server = "https://reg.test:5000"\nca = "/etc/ca.pem"\n', '1.6.20'],
      // a Docker-style directory (a CA, no hosts.toml) under the host name without its port
      ['reg.test', '', '1.7.13'],
    ] as const) {
      const root = tree({
        '/etc/containerd/config.toml': V2('/etc/containerd/certs.d'),
        [`/etc/containerd/certs.d/${dir}/${body ? 'hosts.toml' : 'ca.crt'}`]: body || 'x',
      });
      const s = await run(root, 'reg.test:5000/app:1', [runtimeInfoCheck, containerdConfigCheck], { containerdVersion: v });
      for (const k of runKeys(s)) keys.add(k);
    }
    for (const k of [
      'evidence.config.keysRead',
      'evidence.config.atRoot',
      'evidence.config.inTable',
      'evidence.alt.asReads',
      'evidence.alt.meant',
    ])
      expect(keys, k).toContain(k);
    for (const k of ['withKeys', 'insteadOf', 'decoded', 'inDir']) expect(keys, k).toContain(`evidence.alt.${k}`);
  });

  it('a config.toml credential the registry rejects keeps the finding’s lines and adds what containerd sends', () => {
    const f = runtimeCredentialRejected(
      { code: 'unauthorized', summary: 'rejected', evidence: ['HEAD https://reg.test:5000/v2/app/manifests/1: 401'] },
      { source: 'configs."reg.test:5000".auth', file: '/etc/containerd/config.toml', username: 'ci' },
      'reg.test:5000',
    );
    expect(f.evidence![0]).toBe('HEAD https://reg.test:5000/v2/app/manifests/1: 401');
    expect(expectNodeEvidence(f, 'rejected')).toEqual(['evidence.config.containerdSends']);
  });
});

describe('k3s and CRI-O evidence in zh-CN and ja', () => {
  const DIR = '/var/lib/rancher/k3s/agent/etc/containerd';
  const k3s = (registries: string | undefined, hosts: Record<string, string>) =>
    tree({
      [`${DIR}/config.toml`]: `# File generated by k3s. DO NOT EDIT.\n${V2(`${DIR}/certs.d`)}`,
      [`${DIR}/config.toml.tmpl`]: '{{ template "base" . }}\n',
      ...(registries === undefined ? {} : { '/etc/rancher/k3s/registries.yaml': registries }),
      '/usr/local/bin/k3s': '',
      '/var/lib/rancher/k3s/server/.keep': '',
      ...Object.fromEntries(Object.entries(hosts).map(([d, b]) => [`${DIR}/certs.d/${d}/hosts.toml`, b])),
    });

  it('the layout, registries.yaml (credentials, none), a rendering that matches, a rendering that does not, no file', async () => {
    const gen = '# File generated by k3s. DO NOT EDIT.\n';
    const keys = new Set<string>();
    for (const root of [
      k3s('configs:\n  "reg.test:5000":\n    auth:\n      username: ci\n      password: x\n', {}),
      k3s('mirrors:\n  reg.test:5000:\n    endpoint:\n      - "https://mirror.test:5443"\n', {}),
      k3s('mirrors:\n  reg.test:5000:\n    endpoint:\n      - "https://mirror.test:5443"\n', {
        'reg.test:5000': `${gen}server = "https://reg.test:5000/v2"\n[host."https://mirror.test:5443/v2"]\n  capabilities = ["pull", "resolve"]\n`,
      }),
      k3s(undefined, {}),
    ])
      for (const k of runKeys(
        await run(root, 'reg.test:5000/app:1', [runtimeInfoCheck, containerdConfigCheck], { containerdVersion: '1.7.11' }),
      ))
        keys.add(k);
    for (const k of ['node', 'template', 'socket', 'yaml', 'none', 'credentials', 'noFile']) expect(keys, k).toContain(`evidence.k3s.${k}`);
    // differences found are the finding's evidence, each line with its message
    expect([...keys].some((k) => k.startsWith('node.k3s.diff.'))).toBe(true);
  });

  it('the rendered certs.d matching registries.yaml', async () => {
    const gen = '# File generated by k3s. DO NOT EDIT.\n';
    const root = k3s('mirrors:\n  reg.test:5000:\n    endpoint:\n      - "https://mirror.test:5443"\n', {
      'reg.test:5000': `${gen}server = "https://reg.test:5000/v2"\n\n[host."https://mirror.test:5443/v2"]\n  capabilities = ["pull", "resolve"]\n`,
    });
    const s = await run(root, 'reg.test:5000/app:1', [runtimeInfoCheck, containerdConfigCheck], { containerdVersion: '1.7.11' });
    const keys = runKeys(s);
    if (!keys.has('evidence.k3s.matches')) expect(s.checks.find((c) => c.id === 'containerd-config')!.evidence).toEqual([]);
    expect(keys).toContain('evidence.k3s.matches');
  });

  it('CRI-O: files read, a replaced [[registry]], no entry, certificates (found and not), the auth file that decides', async () => {
    const crio = (files: Record<string, string>) =>
      tree({ '/etc/crio/crio.conf': '[crio]\n', '/usr/bin/crio': '', '/run/crio/crio.sock': '', ...files });
    const keys = new Set<string>();
    for (const files of [
      {} as Record<string, string>,
      { '/etc/containers/registries.conf': '[[registry]]\nlocation = "a.test"\n' },
      {
        '/etc/containers/registries.conf': '[[registry]]\nprefix = "reg.test:5000"\nlocation = "reg.test:5000"\n',
        '/etc/containers/registries.conf.d/10-x.conf': '[[registry]]\nprefix = "reg.test:5000"\nlocation = "other.test:5000"\n',
        '/etc/containers/certs.d/other.test:5000/ca.crt': 'x',
        '/run/containers/0/auth.json': JSON.stringify({ auths: { 'reg.test:5000': { auth: 'Y2k6eA==' } } }),
      },
    ])
      for (const k of runKeys(await run(crio(files), 'reg.test:5000/app:1', [runtimeInfoCheck, containerdConfigCheck, crioConfigCheck])))
        keys.add(k);
    for (const k of ['reads', 'absent', 'noEntry', 'noCertDir', 'replaced', 'certs', 'credentials'])
      expect(keys, k).toContain(`evidence.crio.${k}`);
  });
});

describe('cri-pull evidence in zh-CN and ja', () => {
  it('the runtime that answered and the image pulled', async () => {
    // the CRI boundary only (a real pull runs in test/e2e/runtime-truth.e2e.test.ts): the check's own lines
    const cri: CriAdapter = {
      detect: async () => ({
        endpoint: `unix://${SOCK}`,
        runtimeName: 'containerd',
        runtimeVersion: 'v1.7.13',
        runtimeApiVersion: 'v1',
        conditions: [],
        info: {},
      }),
      pullImage: async () => ({ ok: true, imageRef: 'sha256:0123abcd', durationMs: 42 }),
      removeImage: async () => ({ ok: true }),
    };
    const root = tree({});
    // its optional inputs (node and pull-secret credentials) are not part of this run
    const alone: Check = {
      ...criPullCheck,
      wants: [],
      run: (ctx) => criPullCheck.run(Object.assign(Object.create(ctx) as typeof ctx, { maybeFacts: () => undefined })),
    };
    const s = await runGraph([alone], {
      target: parseTarget('reg.test:5000/app:1'),
      options: { ...DEFAULT_RUN_OPTIONS, root, pull: true, liveRoot: true },
      adapters: { ...createRealAdapters({ root, env: {} }), net: OFFLINE, cri },
    });
    const keys = runKeys(s);
    expect(keys).toContain('evidence.cri.runtimeOn');
    expect(keys).toContain('evidence.cri.pulled');
  });
});

describe("a pod's report evidence in zh-CN and ja", () => {
  let server: KubeServer;
  let dir: string;
  let kube: KubectlAdapter;
  let pods: { pod: string; namespace: string }[];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'regdoctor-i18n-evpod-'));
    roots.push(dir);
    // pull secrets RBAC does not let regdoctor read: the credentials cause stays undecided
    server = await startKubeServer({ forbid: [{ verb: 'get', resource: 'secrets', namespace: 'locked' }] });
    pods = populateBrokenCluster(server);
    server.add(
      'pods',
      podObject(
        {
          pod: 'hidden',
          namespace: 'locked',
          node: 'node-a',
          container: 'app',
          image: 'reg.corp.test:5000/shop/web:1',
          status: 'err-image-pull',

          imagePullSecrets: ['regcred'],
          error:
            'failed to pull and unpack image "reg.corp.test:5000/shop/web:1": failed to resolve reference "reg.corp.test:5000/shop/web:1": unexpected status from HEAD request to https://reg.corp.test:5000/v2/shop/web/manifests/1: 401 Unauthorized',
        },
        'h-1',
      ),
    );
    pods.push({ pod: 'hidden', namespace: 'locked' });
    kube = new KubectlAdapter({ kubeconfig: server.writeKubeconfig(dir), env: { ...process.env, HOME: dir, KUBECONFIG: undefined } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("pull-secret findings and what stays undecided are said in the reader's language", async () => {
    const keys = new Set<string>();
    for (const p of pods) {
      const r = await diagnosePod({ kube, name: p.pod, namespace: p.namespace });
      if (!r.ok) throw new Error(`${p.pod}: ${r.message}`);
      const report = buildPodReport(r.value, { startedAt: Date.now() });
      for (const x of [...report.checks, ...report.findings]) for (const k of expectNodeEvidence(x, p.pod)) keys.add(k);
    }
    expect(keys).toContain('evidence.pod.pullSecrets');
    expect(keys).toContain('evidence.pod.undecided');
  });
});
