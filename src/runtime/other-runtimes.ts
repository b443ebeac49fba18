// Registry configuration of the other runtimes a node may use, so the verdict matches the runtime actually in use:
// Docker engine (daemon.json insecure-registries, /etc/docker/certs.d) and CRI-O / podman (registries.conf and
// registries.conf.d, /etc/containers/certs.d).
import { isIP } from 'node:net';
import type { FsAdapter } from '../adapters/fs.js';
import type { EffectiveEndpoint, EffectiveRegistryConfig } from '../core/runtime-config.js';
import type { FindingInput, ImageReference, RegistryHost } from '../core/types.js';
import { crioNodeConfig } from './crio-config.js';
import { endpointFromUrl, sourceOf } from './endpoints.js';
import { summaryOf, type Message } from '../i18n/index.js';

function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  if (isIP(ip) !== 4 || isIP(base!) !== 4) return false;
  const n = (s: string) => s.split('.').reduce((a, o) => (a << 8) | Number(o), 0) >>> 0;
  const mask = Number(bits) === 0 ? 0 : (~0 << (32 - Number(bits))) >>> 0;
  return (n(ip) & mask) === (n(base!) & mask);
}

async function certsDirTls(fs: FsAdapter, dir: string): Promise<EffectiveEndpoint['tls']> {
  const files = await fs.readdir(dir).catch(() => []);
  return {
    caFiles: files.filter((f) => f.endsWith('.crt')).map((f) => `${dir}/${f}`),
    clientPairs: files
      .filter((f) => f.endsWith('.cert'))
      .map((f) => ({ cert: `${dir}/${f}`, key: `${dir}/${f.replace(/\.cert$/, '.key')}` })),
    skipVerify: false,
  };
}

export interface OtherRuntimeConfig {
  effective: EffectiveRegistryConfig;
  findings: FindingInput[];
  evidence: string[];
  /** Messages of the evidence lines written as sentences, same index (i18n/evidence.ts). */
  evidenceMessages?: (Message | null)[];
}

/** Docker engine: insecure registries (exact host:port or CIDR; 127.0.0.0/8 always) skip verification and fall back to HTTP. */
export async function dockerConfig(fs: FsAdapter, registry: RegistryHost, resolvedIp?: string): Promise<OtherRuntimeConfig> {
  const evidence: string[] = [];
  const findings: FindingInput[] = [];
  let insecure: string[] = [];
  try {
    const doc = JSON.parse(await fs.readText('/etc/docker/daemon.json', 1 << 20)) as unknown;
    // dockerd's json.Unmarshal: `null` is an empty config; another non-object or a non-list value refuses to start
    if (doc !== null && (typeof doc !== 'object' || Array.isArray(doc))) throw new Error('the top level is not a JSON object');
    const list = (doc as Record<string, unknown> | null)?.['insecure-registries'];
    if (list != null && !(Array.isArray(list) && list.every((x) => typeof x === 'string')))
      throw new Error('"insecure-registries" is not a list of strings');
    insecure = (list as string[] | null | undefined) ?? [];
    evidence.push(`/etc/docker/daemon.json: insecure-registries ${JSON.stringify(insecure)}`);
  } catch (err) {
    if ((err as { code?: string }).code !== 'ENOENT') {
      findings.push({
        code: 'config-invalid',
        ...summaryOf('node.docker.invalid', { why: (err as Error).message }),
      });
    }
  }
  const host = registry.name;
  const ip = isIP(registry.hostname) ? registry.hostname : resolvedIp;
  const isInsecure =
    insecure.includes(host) || (ip !== undefined && (ip.startsWith('127.') || insecure.some((c) => c.includes('/') && inCidr(ip, c))));
  const dir = `/etc/docker/certs.d/${host}`;
  const tls = isInsecure ? { caFiles: [], clientPairs: [], skipVerify: true } : await certsDirTls(fs, dir);
  const ep = endpointFromUrl(`https://${registry.apiHost}/v2`, {
    tls,
    ...(isInsecure ? sourceOf('evidence.source.dockerInsecure') : { source: `docker: ${dir}` }),
    isServer: true,
    httpFallback: isInsecure,
  });
  return { effective: { registry: host, mode: 'default', hostsDir: isInsecure ? undefined : dir, endpoints: [ep] }, findings, evidence };
}

/**
 * CRI-O / containers-image: registries.conf + drop-ins (merged as containers/image merges them), the first existing
 * certs.d directory, mirrors, insecure (verification off and plain HTTP), blocked. See crio-config.ts.
 */
export async function crioConfig(
  fs: FsAdapter,
  registry: RegistryHost,
  image?: Pick<ImageReference, 'normalized' | 'input'>,
): Promise<OtherRuntimeConfig> {
  const c = await crioNodeConfig(fs, registry, image);
  return { effective: c.effective, findings: c.findings, evidence: c.evidence, evidenceMessages: c.evidenceMessages };
}
