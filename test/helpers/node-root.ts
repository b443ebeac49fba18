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

/** A registry on 127.0.0.1 serving /v2/ and one manifest over TLS with a certificate for `name` from its own CA, and a
 *  --root tree whose certs.d/<name>:<port>/ holds that CA and a hosts.toml naming it (config.toml left to the test). */
export interface TreeRegistry {
  root: string;
  port: number;
  host: string;
  caPem: string;
  close(): Promise<void>;
}

export async function startTreeRegistry(name: string, digestHex: string): Promise<TreeRegistry> {
  const [{ createServer }, { mkdtemp, rm }, { tmpdir }, { createCA, issueCert }] = await Promise.all([
    import('node:https'),
    import('node:fs/promises'),
    import('node:os'),
    import('../../src/x509/build.js'),
  ]);
  const ca = createCA({ cn: `${name} CA` });
  const c = issueCert(ca, { cn: name, dns: [name] });
  const server = createServer({ cert: c.certPem, key: c.keyPem }, (req, res) => {
    res.setHeader('Docker-Distribution-API-Version', 'registry/2.0');
    if (req.url === '/v2/') return res.writeHead(200).end('{}');
    res
      .writeHead(200, {
        'Content-Type': 'application/vnd.oci.image.manifest.v1+json',
        'Docker-Content-Digest': `sha256:${digestHex.repeat(64)}`,
      })
      .end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const host = `${name}:${port}`;
  const root = await mkdtemp(path.join(tmpdir(), 'regdoctor-tree-registry-'));
  const dir = path.join(root, 'etc/containerd/certs.d', host);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'ca.crt'), ca.certPem);
  await writeFile(
    path.join(dir, 'hosts.toml'),
    `server = "https://${host}"\n[host."https://${host}"]\n  capabilities = ["pull", "resolve"]\n  ca = "ca.crt"\n`,
  );
  return {
    root,
    port,
    host,
    caPem: ca.certPem,
    async close() {
      server.closeAllConnections();
      server.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}
