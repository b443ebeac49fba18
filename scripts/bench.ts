// npm run bench — measures, on this machine:
//  (a) cold start of `regdoctor --version` and of `diagnose --json` against a healthy loopback registry;
//  (b) a full diagnosis against the sum of the same probes run one after another (openssl s_client, curl -v, and a
//      CRI pull when the real-containerd lab can run here), as a ratio;
//  (c) `scan` over 50,000 events: time and peak memory;
//  (d) `explain` over 10,000 lines of mixed log text.
// Figures are printed next to their targets; a missed target is reported, never hidden.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCA, issueCert } from '../src/x509/build.js';
import { startMiniRegistry } from '../src/demo/registry.js';
import { diagnose, DEFAULT_RUN_OPTIONS } from '../src/app/diagnose.js';
import { parseTarget } from '../src/core/reference.js';
import { createRealAdapters } from '../src/app/adapters.js';
import { explainText } from '../src/classify/explain.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(ROOT, 'bin/regdoctor.js');
const quick = process.argv.includes('--quick');
const RUNS = quick ? 5 : 15;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
const ms = (n: number) => `${n.toFixed(n < 10 ? 1 : 0)} ms`;
const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');

/** Wall time of one run; async, because the registry under test lives in this very process. */
function time(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env, input = ''): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { env, stdio: ['pipe', 'ignore', 'ignore'] });
    child.on('error', reject);
    child.on('close', () => resolve(performance.now() - t0));
    child.stdin.end(input);
  });
}

async function repeat(n: number, f: () => Promise<number>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await f());
  return out;
}

function line(label: string, value: string, target?: string) {
  console.log(`  ${label.padEnd(58)} ${value.padStart(12)}${target ? `   ${target}` : ''}`);
}

async function main() {
  spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { stdio: 'inherit' });
  console.log(
    `regdoctor benchmarks — ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}${quick ? ' (quick)' : ''}`,
  );

  // ---------------------------------------------------------------------------------------------- (a) cold start
  console.log('\n(a) cold start');
  const envNoCa = { ...process.env };
  delete envNoCa.NODE_EXTRA_CA_CERTS;
  const nodeBare = median(await repeat(RUNS, () => time(process.execPath, ['-e', '0'], envNoCa)));
  const version = median(await repeat(RUNS, () => time(process.execPath, [BIN, '--version'], envNoCa)));
  line('node -e 0 (the floor)', ms(nodeBare));
  line('regdoctor --version', ms(version), `target < 150 ms: ${verdict(version < 150)}`);
  if (process.env.NODE_EXTRA_CA_CERTS) {
    const withCa = median(await repeat(RUNS, () => time(process.execPath, [BIN, '--version'])));
    line(`  …with this shell's NODE_EXTRA_CA_CERTS (Node loads it first)`, ms(withCa));
  }

  // a healthy loopback registry, trusted through hosts.toml in a private node root
  const nodeRoot = await mkdtemp(path.join(tmpdir(), 'regdoctor-bench-'));
  const ca = createCA({ cn: 'Bench CA' });
  const leaf = issueCert(ca, { cn: 'bench', ips: ['127.0.0.1'] });
  const reg = await startMiniRegistry({ tls: { cert: leaf.certPem, key: leaf.keyPem }, repos: { 'bench/app': ['1'] } });
  const host = `127.0.0.1:${reg.port}`;
  await mkdir(path.join(nodeRoot, 'etc/containerd/certs.d', host), { recursive: true });
  await writeFile(
    path.join(nodeRoot, 'etc/containerd/config.toml'),
    'version = 2\n[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/etc/containerd/certs.d"\n',
  );
  await writeFile(path.join(nodeRoot, 'etc/containerd/certs.d', host, 'ca.crt'), ca.certPem);
  await writeFile(path.join(nodeRoot, 'etc/containerd/certs.d', host, 'hosts.toml'), `server = "https://${host}"\nca = "ca.crt"\n`);
  await writeFile(path.join(nodeRoot, 'ca.crt'), ca.certPem);
  const image = `${host}/bench/app:1`;
  const diagArgs = [BIN, 'diagnose', image, '--json', '--no-pull', '--root', nodeRoot];
  const v = await new Promise<string>((resolve) => {
    let out = '';
    const c = spawn(process.execPath, diagArgs, { env: envNoCa });
    c.stdout.on('data', (d) => (out += d));
    c.on('close', () => resolve(JSON.parse(out).verdict.code));
  });
  const coldDiag = median(await repeat(RUNS, () => time(process.execPath, diagArgs, envNoCa)));
  line(`regdoctor diagnose --json, healthy loopback registry (${v})`, ms(coldDiag), `target < 400 ms: ${verdict(coldDiag < 400)}`);
  const adapters = createRealAdapters({ root: nodeRoot, env: {} });
  const warm: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await diagnose({ target: parseTarget(image), options: { ...DEFAULT_RUN_OPTIONS, root: nodeRoot, pull: false }, adapters });
    warm.push(performance.now() - t0);
  }
  line('  …the diagnosis itself, in-process (warm)', ms(median(warm)));

  // --------------------------------------------------------------------------------- (b) graph vs sequential probes
  console.log('\n(b) full diagnosis vs the same probes one after another');
  const haveOpenssl = spawnSync('sh', ['-c', 'command -v openssl && command -v curl']).status === 0;
  if (!haveOpenssl) console.log('  openssl or curl not installed: skipped (scripts/setup-machine.sh installs them)');
  else {
    const probes = async () =>
      (await time('openssl', ['s_client', '-connect', host, '-showcerts', '-CAfile', path.join(nodeRoot, 'ca.crt')], process.env, '')) +
      (await time('curl', ['-sv', '--cacert', path.join(nodeRoot, 'ca.crt'), '-o', '/dev/null', `https://${host}/v2/`])) +
      (await time('curl', [
        '-sv',
        '--cacert',
        path.join(nodeRoot, 'ca.crt'),
        '-o',
        '/dev/null',
        '-I',
        '-H',
        'Accept: application/vnd.oci.image.manifest.v1+json',
        `https://${host}/v2/bench/app/manifests/1`,
      ]));
    let pullMs: number | undefined;
    let labNote = '';
    let labDiag: number | undefined;
    try {
      const { Lab, labPrerequisites } = await import('../test/lab/lab.js');
      const why = labPrerequisites();
      if (why) labNote = `CRI pull skipped: ${why}`;
      else {
        const lab = await Lab.start({ registries: [{ kind: 'healthy', trustCa: true }] });
        try {
          const r = lab.registries[0]!;
          const pulls: number[] = [];
          const diags: number[] = [];
          for (let i = 0; i < Math.max(3, Math.floor(RUNS / 3)); i++) {
            await lab.removeImage(r.image);
            const t0 = performance.now();
            const p = await lab.pull(r.image);
            pulls.push(performance.now() - t0);
            if (!p.ok) throw new Error(p.message);
            await lab.removeImage(r.image);
            const t1 = performance.now();
            await lab.runCli(['diagnose', r.image, '--json']);
            diags.push(performance.now() - t1);
          }
          pullMs = median(pulls);
          labDiag = median(diags);
        } finally {
          await lab.stop();
        }
      }
    } catch (err) {
      labNote = `CRI pull skipped: ${(err as Error).message}`;
    }
    const seq = median(await repeat(RUNS, probes));
    line('openssl s_client + curl -v (ping) + curl -I (manifest), one after another', ms(seq));
    line('regdoctor diagnose (cold CLI, all checks, no pull)', ms(coldDiag));
    line('ratio regdoctor / sequential probes (no pull)', (coldDiag / seq).toFixed(2), `target ≤ 0.6: ${verdict(coldDiag / seq <= 0.6)}`);
    if (pullMs !== undefined && labDiag !== undefined) {
      line('real CRI pull through containerd (lab)', ms(pullMs));
      line('sequential sum with the CRI pull', ms(seq + pullMs));
      line('regdoctor diagnose with its own CRI pull (lab, cold CLI)', ms(labDiag));
      line(
        'ratio regdoctor / sequential probes (with pull)',
        (labDiag / (seq + pullMs)).toFixed(2),
        `target ≤ 0.6: ${verdict(labDiag / (seq + pullMs) <= 0.6)}`,
      );
    } else console.log(`  ${labNote}`);
  }
  await reg.close();
  await rm(nodeRoot, { recursive: true, force: true });

  // ------------------------------------------------------------------------------------------------- (c) scan
  console.log('\n(c) scan over 50,000 events (real kubectl, test API server in a child process)');
  try {
    const { benchScan } = await import('../test/kube-server/bench.js');
    const r = await benchScan({ pods: 5000, events: 50_000, chunkSize: 500 });
    line(`${r.pods} pods, ${r.events} events, chunk ${r.chunkSize} (${r.pages.pods}+${r.pages.events} pages)`, ms(r.durationMs));
    line('events per second', `${Math.round(r.eventsPerSecond)}`);
    line('heap: baseline → peak (growth)', `${r.heapMB.baseline} → ${r.heapMB.peak} MB`, `growth ${r.heapMB.growth} MB`);
    line('RSS peak', `${r.rssMB.peak} MB`);
  } catch (err) {
    console.log(`  not available: ${(err as Error).message}`);
  }

  // ------------------------------------------------------------------------------------------------ (d) explain
  console.log('\n(d) explain over 10,000 lines of mixed log text');
  const sample = [
    'I1123 04:30:00.000000 812 kubelet.go:2460] "SyncLoop (probe)" probe="readiness" status="ready" pod="kube-system/coredns-5d78c9869d-x2x9q"',
    'time="2026-11-23T04:30:00Z" level=info msg="ImageCreate event name:\\"registry.k8s.io/pause:3.9\\""',
    '  Warning  Failed     43s (x4 over 2m)   kubelet            Failed to pull image "reg.corp.test:5000/team/api:1.4.2": rpc error: code = Unknown desc = failed to pull and unpack image "reg.corp.test:5000/team/api:1.4.2": failed to resolve reference "reg.corp.test:5000/team/api:1.4.2": failed to do request: Head "https://reg.corp.test:5000/v2/team/api/manifests/1.4.2": tls: failed to verify certificate: x509: certificate signed by unknown authority',
    'Nov 23 04:31:12 node-3 containerd[812]: time="2026-11-23T04:31:12Z" level=error msg="PullImage \\"a/b:1\\" failed" error="failed to pull and unpack image \\"docker.io/a/b:1\\": failed to resolve reference \\"docker.io/a/b:1\\": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed"',
    'random application output that mentions nothing in particular',
  ];
  const lines: string[] = [];
  for (let i = 0; i < 10_000; i++) lines.push(sample[i % 7 === 0 ? 2 + (i % 2) : i % 5 === 4 ? 4 : i % 2]!);
  const text = lines.join('\n');
  const runs: number[] = [];
  let items = 0;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    items = explainText(text).items.length;
    runs.push(performance.now() - t0);
  }
  line(`10,000 lines → ${items} distinct messages explained`, ms(median(runs)), `target < 1000 ms: ${verdict(median(runs) < 1000)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
