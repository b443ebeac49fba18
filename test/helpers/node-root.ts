// A node's containerd configuration under a --root directory, as the diagnosis tests set it up: config.toml with
// config_path, and certs.d/<host>/ trusting a CA for the registry.
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';

/** config.toml (version 2) with config_path = /etc/containerd/certs.d, and certs.d/<host>/ with ca.crt + hosts.toml. */
export async function trustRegistryCa(root: string, host: string, caPem: string): Promise<void> {
  const dir = path.join(root, 'etc/containerd/certs.d', host);
  await mkdir(dir, { recursive: true });
  await writeFile(
    path.join(root, 'etc/containerd/config.toml'),
    'version = 2\n[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/etc/containerd/certs.d"\n',
  );
  await writeFile(path.join(dir, 'ca.crt'), caPem);
  await writeFile(path.join(dir, 'hosts.toml'), `server = "https://${host}"\nca = "ca.crt"\n`);
}
