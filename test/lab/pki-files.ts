// The lab's CA and client pair as files under the lab's base directory, for commands that take them as paths
// (`fix --ca … --client-cert … --client-key …`); the key is written 0600, as a client key must be.
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Lab } from './lab.js';

/** Writes root.crt, client.crt and client.key under lab.base; returns the fix options that name them. */
export function writeTrustFiles(lab: Lab): string[] {
  const ca = path.join(lab.base, 'root.crt');
  const cert = path.join(lab.base, 'client.crt');
  const key = path.join(lab.base, 'client.key');
  writeFileSync(ca, lab.pki.root.certPem);
  writeFileSync(cert, lab.pki.client.certPem);
  writeFileSync(key, lab.pki.client.keyPem, { mode: 0o600 });
  return ['--ca', ca, '--client-cert', cert, '--client-key', key];
}
