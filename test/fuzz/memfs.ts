// A read-only in-memory node filesystem for the fuzz tests (files by absolute path; directories implied).
import type { FileStat, FsAdapter } from '../../src/adapters/fs.js';

export function memFs(files: Record<string, string>): FsAdapter {
  const dirs = new Set<string>(['/']);
  for (const f of Object.keys(files)) for (let d = f.slice(0, f.lastIndexOf('/')); d; d = d.slice(0, d.lastIndexOf('/'))) dirs.add(d);
  const enoent = (p: string) => Object.assign(new Error(`${p}: no such file or directory`), { code: 'ENOENT' });
  const stat = async (p: string): Promise<FileStat | undefined> => {
    if (files[p] !== undefined)
      return { size: files[p]!.length, mtimeMs: 0, mode: 0o644, uid: 0, gid: 0, isFile: true, isDirectory: false } as FileStat;
    if (dirs.has(p)) return { size: 0, mtimeMs: 0, mode: 0o755, uid: 0, gid: 0, isFile: false, isDirectory: true } as FileStat;
    return undefined;
  };
  const readText = async (p: string) => {
    if (files[p] === undefined) throw enoent(p);
    return files[p]!;
  };
  const fs = {
    root: '/',
    resolve: async (p: string) => p,
    readText,
    readFile: async (p: string) => Buffer.from(await readText(p)),
    readRange: async (p: string, o: number, l: number) => Buffer.from(await readText(p)).subarray(o, o + l),
    stat,
    exists: async (p: string) => (await stat(p)) !== undefined,
    readdir: async (p: string) => {
      const prefix = p.endsWith('/') ? p : `${p}/`;
      const names = new Set<string>();
      for (const x of [...Object.keys(files), ...dirs])
        if (x.startsWith(prefix) && x.length > prefix.length) names.add(x.slice(prefix.length).split('/')[0]!);
      return [...names];
    },
    writeFileAtomic: async () => {
      throw new Error('read-only');
    },
    mkdirp: async () => {
      throw new Error('read-only');
    },
    remove: async () => {
      throw new Error('read-only');
    },
  };
  return fs as unknown as FsAdapter;
}
