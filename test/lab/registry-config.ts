// One docker-registry instance's directory, as both labs (lab.ts: containerd, crio-lab.ts: podman) start them: the
// seeded storage (lab/hello:1.0), the server certificate with its chain and key, the client CAs for mTLS, an htpasswd
// file for basic auth, and the config.yml that names them. Which leaf and chain a registry serves is the caller's.
import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { IssuedCert } from '../../src/x509/build.js';
import { seedRegistryStorage } from './image.js';

export interface RegistryConfigSpec {
  /** The registry's own directory (created): data/, server.crt/key, client-ca.crt, htpasswd, config.yml. */
  dir: string;
  ip: string;
  port: number;
  /** http.secret: any string, one per registry. */
  secret: string;
  /** The served certificate; none: plain HTTP. */
  leaf?: IssuedCert;
  /** Sent after the leaf (intermediates). */
  chain?: IssuedCert[];
  /** Require a client certificate issued by this CA (mTLS; only with a leaf). */
  clientCa?: IssuedCert;
  /** Basic auth through htpasswd (bcrypt, as docker-registry requires). */
  basicAuth?: { user: string; password: string };
}

/** Writes the registry's directory; returns the config.yml path for `docker-registry serve`. */
export async function writeRegistryConfig(spec: RegistryConfigSpec): Promise<string> {
  const { dir } = spec;
  await mkdir(dir, { recursive: true });
  await seedRegistryStorage(path.join(dir, 'data'), 'lab/hello', '1.0');
  const yaml = [
    'version: 0.1',
    'log:',
    '  level: warn',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${path.join(dir, 'data')}`,
    'http:',
    `  addr: ${spec.ip}:${spec.port}`,
    `  secret: ${spec.secret}`,
  ];
  if (spec.leaf) {
    const chain = spec.chain ?? [];
    await writeFile(path.join(dir, 'server.crt'), spec.leaf.certPem + chain.map((c) => c.certPem).join(''));
    await writeFile(path.join(dir, 'server.key'), spec.leaf.keyPem, { mode: 0o600 });
    yaml.push('  tls:', `    certificate: ${path.join(dir, 'server.crt')}`, `    key: ${path.join(dir, 'server.key')}`);
    if (spec.clientCa) {
      await writeFile(path.join(dir, 'client-ca.crt'), spec.clientCa.certPem);
      yaml.push('    clientcas:', `      - ${path.join(dir, 'client-ca.crt')}`);
    }
  }
  if (spec.basicAuth) {
    const h = spawnSync('htpasswd', ['-nbB', spec.basicAuth.user, spec.basicAuth.password], { encoding: 'utf8' });
    if (h.status !== 0) throw new Error(`htpasswd: ${h.stderr}`);
    await writeFile(path.join(dir, 'htpasswd'), h.stdout);
    yaml.push('auth:', '  htpasswd:', '    realm: regdoctor-lab', `    path: ${path.join(dir, 'htpasswd')}`);
  }
  const file = path.join(dir, 'config.yml');
  await writeFile(file, `${yaml.join('\n')}\n`);
  return file;
}
