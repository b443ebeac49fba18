// `fix` plans by the node's runtime: Docker Engine nodes are refused with a clear message (never containerd edits);
// CRI-O nodes get CRI-O proposals (covered against real containers/image in test/e2e/crio.e2e.test.ts).
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/cli.js';

const FIX = fileURLToPath(new URL('../fixtures/nodes/', import.meta.url));

describe('fix dispatch by runtime', () => {
  it('Docker Engine node: refuses clearly, plans and writes nothing', async () => {
    const state = mkdtempSync(path.join(tmpdir(), 'regdoctor-state-'));
    try {
      // nothing listens on 127.0.0.1:9 (loopback only): a failing target on a Docker node
      const r = await runCli(['fix', '127.0.0.1:9/app:1', '--root', `${FIX}docker-node`, '--yes', '--no-pull', '--state-dir', state]);
      expect(r.stderr).toMatch(/runtime is Docker Engine, not containerd: regdoctor plans no changes for it/);
      expect(r.stderr).toContain('Nothing was changed.');
      expect(r.stdout).not.toMatch(/hosts\.toml|\/etc\/containerd/);
      expect(r.code).toBe(1);
      expect(readdirSync(state)).toEqual([]);
    } finally {
      rmSync(state, { recursive: true, force: true });
    }
  });
});
