// A tree as the fix e2e tests compare it before and after (plan, apply, rollback): every file's sha256 and mode, and
// each directory, keyed by path. What else counts is the caller's: directory modes, file owners.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

export function snapshotTree(dir: string, o: { dirModes?: boolean; owners?: boolean } = {}): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = path.join(d, n);
      const st = statSync(p);
      const mode = (st.mode & 0o7777).toString(8);
      if (st.isDirectory()) {
        out[`${p}/`] = o.dirModes ? `dir ${mode}` : 'dir';
        walk(p);
      } else out[p] = `${createHash('sha256').update(readFileSync(p)).digest('hex')} ${mode}${o.owners ? ` ${st.uid}:${st.gid}` : ''}`;
    }
  };
  walk(dir);
  return out;
}
