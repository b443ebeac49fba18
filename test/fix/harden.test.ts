// fix --harden below the lab (issue 19 item 3): the planner's refusals (a certificate no CA can fix, a root the
// registry does not send, skip_verify from _default, nothing to do), and the staged flow's promise on a copied node
// tree with the real fix engine: the workaround is removed only after the stage before it verified, and when a later
// verification fails every stage is rolled back — the files byte for byte as before.
import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createCA, issueCert, selfSigned } from '../../src/x509/build.js';
import { runGraph } from '../../src/core/engine.js';
import { containerdConfigCheck } from '../../checks/containerd-config.js';
import { runtimeInfoCheck } from '../../checks/runtime-info.js';
import { createRealAdapters } from '../../src/app/adapters.js';
import { DEFAULT_RUN_OPTIONS, type DiagnoseParams, type DiagnosisResult } from '../../src/app/diagnose.js';
import { parseTarget } from '../../src/core/reference.js';
import { planHarden } from '../../src/fix/harden.js';
import { runHarden } from '../../src/cli/commands/fix-harden.js';
import type { Facts } from '../../src/core/facts.js';
import type { CliIO } from '../../src/app/io.js';
import type { CertInfo } from '../../src/x509/cert.js';

const HOST = 'reg.test:5000';
const IMAGE = `${HOST}/team/app:1`;
let root: string;
afterEach(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

async function node(files: Record<string, string>) {
  root = await mkdtemp(path.join(tmpdir(), 'regdoctor-harden-'));
  for (const [p, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, p)), { recursive: true });
    await writeFile(path.join(root, p), text);
  }
}

async function tree(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (d: string) => {
    for (const n of await readdir(d)) {
      const p = path.join(d, n);
      if ((await stat(p)).isDirectory()) await walk(p);
      else
        out[p.slice(root.length)] = createHash('sha256')
          .update(await readFile(p))
          .digest('hex');
    }
  };
  await walk(path.join(root, 'etc'));
  return out;
}

/** The containerd-config facts as the real check reads the tree, plus what the network and the pull would say. */
async function facts(o: { chain: CertInfo[]; certificate: string; trust?: string; pullOk: boolean; source?: string }): Promise<Facts> {
  const target = parseTarget(IMAGE);
  const state = await runGraph([runtimeInfoCheck, containerdConfigCheck], {
    target,
    options: { ...DEFAULT_RUN_OPTIONS, root, containerdVersion: '1.6.20', pull: false },
    adapters: createRealAdapters({ root, env: {} }),
  });
  const cfg = state.facts['containerd-config']!;
  const skip = cfg.effective.endpoints.filter((e) => e.tls.skipVerify);
  return {
    ...state.facts,
    'tls-handshake': { serverName: 'reg.test', endpoint: { url: `https://${HOST}/v2` } },
    'cert-chain': { certs: o.chain.map((info, index) => ({ info, index })), pool: [] },
    'node-hygiene': {
      skipVerify: skip.map((e) => ({ url: e.url, source: e.source, certificate: o.certificate, trustSha256: o.trust })),
      deprecated: [],
      plainHttp: [],
      exposed: [],
    },
    'cri-pull': o.pullOk
      ? { ok: true, endpoint: 'x', runtime: 'containerd', durationMs: 1 }
      : { ok: false, message: 'x509: certificate signed by unknown authority', endpoint: 'x', runtime: 'containerd', durationMs: 1 },
  } as unknown as Facts;
}

const HOSTS_TOML = `# runbook\nserver = "https://${HOST}"\n\n[host."https://${HOST}"]\n  skip_verify = true\n`;
const CONFIG = 'version = 2\n[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/etc/containerd/certs.d"\n';

describe('planHarden refuses what it cannot make safe', () => {
  const ctx = async (certificate: string, chain: CertInfo[], trust?: string, extra: Partial<Parameters<typeof planHarden>[0]> = {}) =>
    planHarden({
      target: parseTarget(IMAGE),
      facts: await facts({ chain, certificate, trust, pullOk: true }),
      findings: [],
      inputs: {},
      now: new Date(),
      ...extra,
    });

  it('a certificate for another name: no CA helps — blocked with what to check, nothing planned', async () => {
    await node({ '/etc/containerd/config.toml': CONFIG, [`/etc/containerd/certs.d/${HOST}/hosts.toml`]: HOSTS_TOML });
    const leaf = selfSigned({ cn: 'other.test', dns: ['other.test'] });
    const p = await ctx('name-mismatch', [leaf.info]);
    expect(p.kind).toBe('blocked');
    expect(p.kind === 'blocked' && p.reason).toMatch(/must be reissued first; skip-verify stays until then/);
  });

  it('a private CA whose root the registry does not send: needs --ca; with a CA that does not sign the chain: refused', async () => {
    await node({ '/etc/containerd/config.toml': CONFIG, [`/etc/containerd/certs.d/${HOST}/hosts.toml`]: HOSTS_TOML });
    const ca = createCA({ cn: 'Acme Root' });
    const leaf = issueCert(ca, { cn: 'reg.test', dns: ['reg.test'] });
    const p = await ctx('private-ca', [leaf.info]);
    expect(p.kind === 'blocked' && p.reason).toMatch(/give it with --ca FILE/);
    const other = createCA({ cn: 'Other Root' });
    const q = await ctx('private-ca', [leaf.info], undefined, { inputs: { ca: other.certPem, caSource: 'other.pem' } });
    expect(q.kind === 'blocked' && q.reason).toMatch(/this CA does not sign the registry's chain: .*\(--ca other\.pem\)/);
    const ok = await ctx('private-ca', [leaf.info], undefined, { inputs: { ca: ca.certPem } });
    expect(ok.kind === 'plan' && ok.stages.map((s) => s.id)).toEqual(['harden-add-trust', 'harden-verify-on']);
  });

  it('skip_verify from certs.d/_default (every host): never edited', async () => {
    await node({
      '/etc/containerd/config.toml': CONFIG,
      '/etc/containerd/certs.d/_default/hosts.toml': `[host."https://${HOST}"]\n  skip_verify = true\n`,
    });
    const leaf = selfSigned({ cn: 'reg.test', dns: ['reg.test'] });
    const p = await ctx('self-signed', [leaf.info], leaf.info.sha256);
    expect(p.kind === 'blocked' && p.reason).toMatch(/every host's fallback: harden never edits _default/);
  });

  it('verification already on and no legacy table: nothing to harden', async () => {
    await node({ '/etc/containerd/config.toml': CONFIG, [`/etc/containerd/certs.d/${HOST}/hosts.toml`]: `server = "https://${HOST}"\n` });
    const p = await ctx('verifies', []);
    expect(p.kind).toBe('nothing');
  });
});

describe('the staged flow on a copied node tree (real fix engine)', () => {
  const leaf = selfSigned({ cn: 'reg.test', dns: ['reg.test'] });
  function io(): CliIO & { out: string; err: string } {
    const o = {
      out: '',
      err: '',
      stdin: process.stdin,
      env: {},
      interactive: false,
      color: false,
      columns: 100,
      signal: new AbortController().signal,
    } as unknown as CliIO & { out: string; err: string };
    o.stdout = { write: (s: string) => ((o.out += s), true) };
    o.stderr = { write: (s: string) => ((o.err += s), true) };
    return o;
  }
  /** Diagnoses as the node now is; `verdicts` scripts what the real pull and Go's verification say at each call. */
  function scripted(steps: { pullOk: boolean; verifies: boolean }[]) {
    let i = 0;
    const seen: string[] = [];
    const diagnose = async (p: DiagnoseParams): Promise<DiagnosisResult> => {
      const s = steps[Math.min(i++, steps.length - 1)]!;
      seen.push(await readFile(path.join(root, `etc/containerd/certs.d/${HOST}/hosts.toml`), 'utf8'));
      const f = await facts({
        chain: [leaf.info],
        certificate: s.verifies ? 'verifies' : 'self-signed',
        trust: leaf.info.sha256,
        pullOk: s.pullOk,
      });
      const healthy = s.pullOk;
      return {
        state: { target: p.target, startedAt: 0, checks: [], cancelled: false, facts: f },
        findings: [],
        report: {
          verdict: healthy
            ? { code: 'healthy', title: '', severity: 'info', summary: 'ok', docs: '' }
            : { code: 'self-signed', title: '', severity: 'error', summary: 'x509', docs: '' },
        },
      } as unknown as DiagnosisResult;
    };
    return { diagnose, seen };
  }
  const options = (stateDir: string) => ({
    target: parseTarget(IMAGE),
    run: { ...DEFAULT_RUN_OPTIONS, root },
    inputs: {},
    yes: true,
    dryRun: false,
    stateDir,
    trustPresented: leaf.info.sha256,
  });

  it('stage 2 fails its real pull: both stages rolled back, the workaround back byte for byte, exit 1', async () => {
    await node({ '/etc/containerd/config.toml': CONFIG, [`/etc/containerd/certs.d/${HOST}/hosts.toml`]: HOSTS_TOML });
    const before = await tree();
    const d = scripted([
      { pullOk: true, verifies: false }, // today: works through skip-verify
      { pullOk: true, verifies: true }, // after stage 1: the CA is read and verifies
      { pullOk: false, verifies: true }, // after stage 2: the pull fails
    ]);
    const o = io();
    const code = await runHarden(options('/var/lib/regdoctor'), {
      io: o,
      diagnose: d.diagnose,
      adapters: () => createRealAdapters({ root, env: {} }),
    });
    expect(code, o.out + o.err).toBe(1);
    expect(o.out).toMatch(/after stage 2: the real pull fails/);
    expect(o.out).toMatch(/rolled back: the node is exactly as before/);
    // stage 2 ran only after stage 1 had put the CA in (skip_verify still there)
    expect(d.seen[1]).toMatch(/skip_verify = true/);
    expect(d.seen[1]).toMatch(/ca = \["regdoctor-ca-[0-9a-f]{12}\.pem"\]/);
    expect(d.seen[2]).not.toMatch(/skip_verify/);
    expect(await tree()).toEqual(before);
  });

  it('after stage 1 the certificate still does not verify with the installed trust: skip_verify is never removed, all rolled back', async () => {
    await node({ '/etc/containerd/config.toml': CONFIG, [`/etc/containerd/certs.d/${HOST}/hosts.toml`]: HOSTS_TOML });
    const before = await tree();
    const d = scripted([
      { pullOk: true, verifies: false },
      { pullOk: true, verifies: false },
    ]);
    const o = io();
    const code = await runHarden(options('/var/lib/regdoctor'), {
      io: o,
      diagnose: d.diagnose,
      adapters: () => createRealAdapters({ root, env: {} }),
    });
    expect(code).toBe(1);
    expect(o.out).toMatch(/after stage 1: with verification on, the certificate of .* would still fail .*; the workaround is not removed/);
    expect(d.seen).toHaveLength(2);
    expect(await tree()).toEqual(before);
  });

  it('a setup that does not pull today is not hardened (fix first); a registry host alone is a usage error', async () => {
    await node({ '/etc/containerd/config.toml': CONFIG, [`/etc/containerd/certs.d/${HOST}/hosts.toml`]: HOSTS_TOML });
    const o = io();
    const code = await runHarden(options('/var/lib/regdoctor'), {
      io: o,
      diagnose: scripted([{ pullOk: false, verifies: false }]).diagnose,
      adapters: () => createRealAdapters({ root, env: {} }),
    });
    expect(code).toBe(1);
    expect(o.err).toMatch(/does not pull today .* run `regdoctor fix reg\.test:5000\/team\/app:1` first/);
    await expect(runHarden({ ...options('/x'), target: parseTarget(HOST) }, { io: io() })).rejects.toThrow(
      /needs an image of that registry/,
    );
  });
});
