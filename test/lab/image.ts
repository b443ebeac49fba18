// A tiny real image (one layer with one file), written straight into a docker-registry filesystem store, so no
// push over the network is needed before the registry starts.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function tarOneFile(name: string, content: Buffer): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 100, 'utf8');
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(`${content.length.toString(8).padStart(11, '0')}\0`, 124);
  header.write(
    `${Math.floor(Date.UTC(2024, 0, 1) / 1000)
      .toString(8)
      .padStart(11, '0')}\0`,
    136,
  );
  header.write('        ', 148);
  header.write('0', 156);
  header.write('ustar\0', 257);
  header.write('00', 263);
  let sum = 0;
  for (const b of header) sum += b;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  const pad = Buffer.alloc((512 - (content.length % 512)) % 512);
  return Buffer.concat([header, content, pad, Buffer.alloc(1024)]);
}

export interface LabImage {
  manifestDigest: string;
  blobs: Map<string, Buffer>;
  manifest: Buffer;
}

export function buildImage(text = 'hello from the regdoctor lab\n'): LabImage {
  const tar = tarOneFile('hello.txt', Buffer.from(text));
  const layer = gzipSync(tar);
  const config = Buffer.from(
    JSON.stringify({
      architecture: process.arch === 'arm64' ? 'arm64' : 'amd64',
      os: 'linux',
      config: { Cmd: ['/hello.txt'] },
      rootfs: { type: 'layers', diff_ids: [`sha256:${sha(tar)}`] },
    }),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: config.length, digest: `sha256:${sha(config)}` },
      layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: layer.length, digest: `sha256:${sha(layer)}` }],
    }),
  );
  const blobs = new Map<string, Buffer>([
    [sha(config), config],
    [sha(layer), layer],
    [sha(manifest), manifest],
  ]);
  return { manifestDigest: sha(manifest), blobs, manifest };
}

/** Writes `repo:tag` into a docker-registry (distribution 2.x) filesystem storage root. */
export async function seedRegistryStorage(root: string, repo: string, tag: string, image = buildImage()): Promise<void> {
  const v2 = path.join(root, 'docker/registry/v2');
  for (const [hex, data] of image.blobs) {
    const dir = path.join(v2, 'blobs/sha256', hex.slice(0, 2), hex);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'data'), data);
  }
  const repoDir = path.join(v2, 'repositories', repo);
  for (const hex of image.blobs.keys()) {
    if (hex === image.manifestDigest) continue;
    const d = path.join(repoDir, '_layers/sha256', hex);
    await mkdir(d, { recursive: true });
    await writeFile(path.join(d, 'link'), `sha256:${hex}`);
  }
  const m = image.manifestDigest;
  for (const d of [
    path.join(repoDir, '_manifests/revisions/sha256', m),
    path.join(repoDir, '_manifests/tags', tag, 'current'),
    path.join(repoDir, '_manifests/tags', tag, 'index/sha256', m),
  ]) {
    await mkdir(d, { recursive: true });
    await writeFile(path.join(d, 'link'), `sha256:${m}`);
  }
}
