import { describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, readFile, writeFile, stat, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { RootedFs, FsError } from '../../src/adapters/fs.js';
import { RealExec } from '../../src/adapters/exec.js';
import { applyPlan, FixError, loadJournal, preparePlan, rollback } from '../../src/fix/engine.js';
import { proposeFixes, type PlanContext } from '../../src/fix/propose.js';
import { parseTarget } from '../../src/core/reference.js';
import type { Finding } from '../../src/core/types.js';
import { containerdConfigFact, partialFacts } from '../helpers/facts.js';

const LEGACY = `# hand-written\nversion = 2\n[plugins."io.containerd.grpc.v1.cri".registry]\n  [plugins."io.containerd.grpc.v1.cri".registry.mirrors."docker.io"]\n    endpoint = ["https://mirror.gcr.io"]\n  [plugins."io.containerd.grpc.v1.cri".registry.configs."reg.test:5000".tls]\n    ca_file = "/etc/ssl/reg.pem"\n`;

async function node() {
  const root = await mkdtemp(path.join(tmpdir(), 'regdoctor-fix-'));
  await mkdir(path.join(root, 'etc/containerd'), { recursive: true });
  await writeFile(path.join(root, 'etc/containerd/config.toml'), LEGACY, { mode: 0o640 });
  return root;
}

function ctxFor(): PlanContext {
  const target = parseTarget('reg.test:5000/app:1');
  return {
    target,
    inputs: {},
    facts: partialFacts({
      'containerd-config': containerdConfigFact({
        effective: { registry: 'reg.test:5000', mode: 'legacy', endpoints: [] },
        registrySummary: { mirrors: ['docker.io'], configs: ['reg.test:5000'] },
      }),
      'cert-chain': {
        certs: [
          {
            info: {
              pem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
              selfIssued: true,
              isCA: false,
              subject: { display: 'CN=reg.test' },
              issuer: { display: 'CN=reg.test' },
            },
          },
        ],
      },
    }),
    rawRegistry: {
      mirrors: { 'docker.io': { endpoint: ['https://mirror.gcr.io'] } },
      configs: { 'reg.test:5000': { tls: { ca_file: '/etc/ssl/reg.pem' } } },
    },
  };
}

const finding = (code: Finding['code']): Finding => ({
  code,
  severity: 'error',
  summary: '',
  evidence: [],
  fixes: [],
  source: 'go-verify',
});

describe('fix planning and the engine', () => {
  it('self-signed on a legacy node: migrates mirrors/configs.tls to hosts.toml, enables config_path, restarts — safest first', () => {
    const fixes = proposeFixes(finding('self-signed'), ctxFor());
    // safest first by the one risk model (src/fix/risk.ts): nothing on the node, then the restarts, then skip-verify
    expect(fixes.map((f) => f.id)).toEqual(['reissue-server-certificate', 'hosts-toml-ca', 'system-trust-store', 'hosts-toml-skip-verify']);
    expect(fixes.map((f) => f.risk)).toEqual(['safe', 'restarts-runtime', 'restarts-runtime', 'disables-verification']);
    const first = fixes[1]!;
    expect(first.restartRequired).toBe(true);
    expect(first.actions.map((a) => a.kind)).toEqual(['write-file', 'edit-toml', 'write-file', 'write-file', 'restart-runtime']);
    const dockerHosts = first.actions[0] as { path: string; content: string };
    expect(dockerHosts.path).toBe('/etc/containerd/certs.d/docker.io/hosts.toml');
    expect(dockerHosts.content).toContain('server = "https://registry-1.docker.io"');
    expect(dockerHosts.content).toContain('[host."https://mirror.gcr.io"]');
  });

  it('applies with backups and a journal, and rolls back byte for byte (modes included)', async () => {
    const root = await node();
    const fs = new RootedFs(root);
    const original = await readFile(path.join(root, 'etc/containerd/config.toml'));
    const plan = await preparePlan(fs, proposeFixes(finding('self-signed'), ctxFor()).find((p) => p.id === 'hosts-toml-ca')!.actions);
    expect(plan.find((s) => s.path === '/etc/containerd/config.toml')!.diff).toContain('+  config_path = "/etc/containerd/certs.d"');
    const log: string[] = [];
    const o = {
      fs,
      exec: new RealExec(),
      stateDir: '/var/lib/regdoctor',
      restartCmd: 'true',
      waitForRuntime: async () => true,
      log: (l: string) => log.push(l),
    };
    const j = await applyPlan(plan, { ...o, target: 'reg.test:5000/app:1', proposal: 'hosts-toml-ca' });
    expect(j.status).toBe('applied');
    expect(j.restarted).toBe(true);
    const edited = await readFile(path.join(root, 'etc/containerd/config.toml'), 'utf8');
    expect(edited).toContain('# hand-written');
    expect(edited).toContain('config_path = "/etc/containerd/certs.d"');
    expect(edited).not.toContain('mirror.gcr.io');
    expect((await stat(path.join(root, 'etc/containerd/config.toml'))).mode & 0o777).toBe(0o640);
    expect(await readFile(path.join(root, 'etc/containerd/certs.d/reg.test:5000/hosts.toml'), 'utf8')).toMatch(
      /ca = \["\/etc\/ssl\/reg\.pem", "regdoctor-ca-[0-9a-f]{12}\.pem"\]/,
    );
    const backups = await readdir(path.join(root, 'var/lib/regdoctor/backups', j.id));
    expect(backups).toEqual(['etc__containerd__config.toml']);

    const loaded = await loadJournal(fs, '/var/lib/regdoctor');
    expect(loaded.id).toBe(j.id);
    await rollback(loaded, o);
    expect((await readFile(path.join(root, 'etc/containerd/config.toml'))).equals(original)).toBe(true);
    expect((await stat(path.join(root, 'etc/containerd/config.toml'))).mode & 0o777).toBe(0o640);
    await expect(stat(path.join(root, 'etc/containerd/certs.d'))).rejects.toThrow();
    await expect(loadJournal(fs, '/var/lib/regdoctor')).rejects.toThrow(/already rolled back/);
  });

  it('refuses to roll back over a file changed since (unless forced)', async () => {
    const root = await node();
    const fs = new RootedFs(root);
    const plan = await preparePlan(fs, proposeFixes(finding('self-signed'), ctxFor()).find((p) => p.id === 'hosts-toml-ca')!.actions);
    const o = {
      fs,
      exec: new RealExec(),
      stateDir: '/var/lib/regdoctor',
      restartCmd: 'true',
      waitForRuntime: async () => true,
      log: () => undefined,
    };
    const j = await applyPlan(plan, { ...o, target: 't', proposal: 'p' });
    await writeFile(path.join(root, 'etc/containerd/config.toml'), 'version = 2\n# edited by someone else\n');
    await expect(rollback(j, o)).rejects.toThrow(/changed since regdoctor wrote it/);
    await rollback(j, { ...o, force: true });
    expect(await readFile(path.join(root, 'etc/containerd/config.toml'), 'utf8')).toBe(LEGACY);
  });

  it('a restart that fails rolls the change back and restarts on the old configuration', async () => {
    const root = await node();
    const fs = new RootedFs(root);
    const plan = await preparePlan(fs, proposeFixes(finding('self-signed'), ctxFor()).find((p) => p.id === 'hosts-toml-ca')!.actions);
    const restarts: string[] = [];
    let n = 0;
    const o = {
      fs,
      exec: {
        run: async (file: string, args: readonly string[]) => (
          restarts.push(args.join(' ')),
          {
            exitCode: n++ === 0 ? 1 : 0,
            stdout: '',
            stderr: 'Job for containerd.service failed',
            notFound: false,
            timedOut: false,
            durationMs: 1,
          }
        ),
      },
      stateDir: '/var/lib/regdoctor',
      restartCmd: 'systemctl restart containerd',
      waitForRuntime: async () => true,
      log: () => undefined,
    };
    await expect(applyPlan(plan, { ...o, target: 't', proposal: 'p' })).rejects.toThrow(/restart failed .* rolled back/);
    expect(await readFile(path.join(root, 'etc/containerd/config.toml'), 'utf8')).toBe(LEGACY);
    expect(restarts).toHaveLength(2);
  });

  it('a config.toml that does not parse is never edited', async () => {
    const root = await node();
    await writeFile(path.join(root, 'etc/containerd/config.toml'), 'version = 2\n[plugins\n');
    const fs = new RootedFs(root);
    await expect(
      preparePlan(fs, proposeFixes(finding('self-signed'), ctxFor()).find((p) => p.id === 'hosts-toml-ca')!.actions),
    ).rejects.toThrow(FixError);
    await expect(
      preparePlan(fs, proposeFixes(finding('self-signed'), ctxFor()).find((p) => p.id === 'hosts-toml-ca')!.actions),
    ).rejects.toThrow(/does not parse \(line 2/);
    expect(await readFile(path.join(root, 'etc/containerd/config.toml'), 'utf8')).toBe('version = 2\n[plugins\n');
  });

  it('a read-only filesystem fails with an actionable error', async () => {
    const root = await node();
    const fs = new RootedFs(root);
    const ro = Object.create(fs) as RootedFs;
    ro.writeFileAtomic = async (p: string) => {
      throw new FsError(`${p}: read-only file system`, 'EROFS', p);
    };
    const plan = await preparePlan(fs, proposeFixes(finding('plain-http-registry'), ctxFor())[0]!.actions);
    await expect(
      applyPlan(plan, {
        fs: ro,
        exec: new RealExec(),
        stateDir: '/var/lib/regdoctor',
        restartCmd: 'true',
        waitForRuntime: async () => true,
        log: () => undefined,
        target: 't',
        proposal: 'p',
      }),
    ).rejects.toThrow(/read-only file system/);
  });

  it('server-side causes get exact openssl commands; credentials get a pull secret for the exact host:port', () => {
    const r = proposeFixes(finding('hostname-mismatch'), ctxFor());
    expect(r[0]!.where).toBe('registry-server');
    expect(r[0]!.manualSteps[0]).toContain('subjectAltName=DNS:reg.test');
    const c = proposeFixes(finding('credentials-mismatch'), ctxFor());
    const ps = c.find((x) => x.id === 'pull-secret')!;
    expect(ps.manualSteps[0]).toContain('--docker-server=reg.test:5000');
    expect(ps.description).toMatch(/existing pods must be recreated/);
  });
});
