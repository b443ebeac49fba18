// CRI-O's own words for a failed pull, per version. CRI-O returns containers/image's error (the last candidate's,
// for short names) as the CRI PullImage error, so kubelet shows it behind `rpc error: code = Unknown desc = `.
// Wording, read from the sources (containers/image docker/docker_client.go, docker/docker_image_src.go,
// copy/copy.go; CRI-O server/image_pull.go, internal/storage/image.go):
//  * containers/image < 5.14 (CRI-O < 1.22): `Error initializing source docker://REF: error pinging docker registry
//    H: <Go error>` and `Error reading manifest TAG in H/REPO: …`;
//    containers/image >= 5.14 (CRI-O >= 1.22, podman 4): `initializing source docker://REF: pinging container registry
//    H: <Go error>` and `reading manifest TAG in H/REPO: …`. REF is the familiar form (docker.io/library dropped).
//  * CRI-O >= 1.28: a pull that failed with ECONNREFUSED is prefixed `RegistryUnavailable: `.
//  * CRI-O 1.34/1.35: every failed image pull is retried as an OCI artifact:
//    `unable to pull image or OCI artifact: pull image err: E; artifact err: E2`;
//    CRI-O >= 1.36: network errors are not retried (`unable to pull image: E`), the others are as in 1.34.
//    E2 is the artifact pull's own error: for the same source it is the same containers/image error (assumed).
// The Go error itself (x509 wording per Go version, dial errors…) is the one regdoctor's probes already predict.
import type { ImageReference } from '../core/types.js';

/** Assumed when the CRI-O version is unknown: a currently supported release without the artifact fallback. */
export const ASSUMED_CRIO = '1.30.0';

export interface CrioVersion {
  major: number;
  minor: number;
}

export function parseCrioVersion(v: string | undefined): CrioVersion {
  const m = (v ?? ASSUMED_CRIO).match(/^v?(\d+)\.(\d+)/) ?? ASSUMED_CRIO.match(/^(\d+)\.(\d+)/)!;
  return { major: Number(m[1]), minor: Number(m[2]) };
}

const atLeast = (v: CrioVersion, minor: number) => v.major > 1 || (v.major === 1 && v.minor >= minor);

/** containers/image's transport string of an image: `docker://` + the familiar form of the reference. */
export function dockerTransportRef(image: Pick<ImageReference, 'familiar'>): string {
  return `docker://${image.familiar}`;
}

/** `pinging container registry H: Get "https://H/v2/": <Go error>` (the /v2/ ping containers/image does first). */
export function pingError(apiHost: string, goError: string, v: CrioVersion, scheme: 'https' | 'http' = 'https'): string {
  const what = atLeast(v, 22) ? 'pinging container registry' : 'error pinging docker registry';
  return `${what} ${apiHost}: Get "${scheme}://${apiHost}/v2/": ${goError}`;
}

/** `reading manifest TAG in H/REPO: <registry error>` (after a successful ping). */
export function manifestError(
  image: Pick<ImageReference, 'domain' | 'path' | 'manifestReference'>,
  registryError: string,
  v: CrioVersion,
): string {
  return `${atLeast(v, 22) ? 'reading manifest' : 'Error reading manifest'} ${image.manifestReference} in ${image.domain}/${image.path}: ${registryError}`;
}

/** containers/image's copy error for a source that could not be opened. */
export function sourceError(image: Pick<ImageReference, 'familiar'>, cause: string, v: CrioVersion): string {
  return `${atLeast(v, 22) ? 'initializing source' : 'Error initializing source'} ${dockerTransportRef(image)}: ${cause}`;
}

/** `registry H is blocked in …` (containers/image names both configuration places). */
export function blockedError(image: Pick<ImageReference, 'familiar'>, registry: string, v: CrioVersion, home = '/root'): string {
  return sourceError(
    image,
    `registry ${registry} is blocked in /etc/containers/registries.conf or ${home}/.config/containers/registries.conf.d`,
    v,
  );
}

/** The short-name error when nothing resolves an unqualified name. */
export function shortNameNoSearchError(input: string, file = '/etc/containers/registries.conf'): string {
  return `short-name ${JSON.stringify(input)} did not resolve to an alias and no unqualified-search registries are defined in ${JSON.stringify(file)}`;
}

/** Wraps containers/image's error the way CRI-O's PullImage returns it. */
export function crioWrap(cimageError: string, v: CrioVersion, kind: { network: boolean; connectionRefused: boolean }): string {
  let msg = cimageError;
  if (atLeast(v, 36) && kind.network) msg = `unable to pull image: ${cimageError}`;
  else if (atLeast(v, 34)) msg = `unable to pull image or OCI artifact: pull image err: ${cimageError}; artifact err: ${cimageError}`;
  if (atLeast(v, 28) && kind.connectionRefused) msg = `RegistryUnavailable: ${msg}`;
  return msg;
}

/** CRI-O's PullImage error for a transport failure of the /v2/ ping. */
export function crioTransportPullError(
  image: Pick<ImageReference, 'familiar'>,
  apiHost: string,
  goError: string,
  version: string | undefined,
): string {
  const v = parseCrioVersion(version);
  return crioWrap(sourceError(image, pingError(apiHost, goError, v), v), v, {
    network: true,
    connectionRefused: /connect: connection refused/.test(goError),
  });
}

/** CRI-O's PullImage error for a registry error answer to the manifest request. */
export function crioManifestPullError(
  image: Pick<ImageReference, 'familiar' | 'domain' | 'path' | 'manifestReference'>,
  registryError: string,
  version: string | undefined,
): string {
  const v = parseCrioVersion(version);
  return crioWrap(sourceError(image, manifestError(image, registryError, v), v), v, { network: false, connectionRefused: false });
}

/** The prefix kubelet puts in front of a CRI error in its event. */
export const KUBELET_CRI_PREFIX = 'rpc error: code = Unknown desc = ';

const TRANSPORT =
  /^failed to pull and unpack image "[^"]+": failed to resolve reference "[^"]+": failed to do request: (?:Head|Get) "([^"]+)": ([\s\S]+)$/;
const STATUS =
  /^failed to pull and unpack image "[^"]+": failed to resolve reference "[^"]+": (?:pulling from host \S+ failed with status code \[manifests [^\]]+\]: (\d{3}) .*|pull access denied, repository does not exist or may require authorization: server message: (.+)|failed to authorize: (.+))$/;
const NOT_FOUND = /^failed to pull and unpack image "[^"]+": failed to resolve reference "[^"]+": \S+: not found$/;

/**
 * The same failure in CRI-O's words, from the containerd-worded prediction a probe made (its Go error and status are
 * runtime-independent). Undefined when the failure has no CRI-O counterpart regdoctor can word exactly.
 */
export function crioFromContainerdPrediction(
  containerdMessage: string,
  image: Pick<ImageReference, 'familiar' | 'domain' | 'path' | 'manifestReference'>,
  apiHost: string,
  version: string | undefined,
  registrySays?: string,
): string | undefined {
  const t = containerdMessage.match(TRANSPORT);
  if (t) {
    const host = new URL(t[1]!).host;
    // a mirror's failure surfaces differently (only in the debug log, or as "Mirrors also failed")
    if (host !== apiHost) return undefined;
    return crioTransportPullError(image, apiHost, t[2]!, version);
  }
  const s = containerdMessage.match(STATUS);
  if (s) {
    if (s[3]) return undefined; // token realm failures: containers/image words them its own way
    const status = s[1] ? Number(s[1]) : 401;
    if (status === 401) return crioManifestPullError(image, registrySays ?? 'unauthorized: authentication required', version);
    if (status === 403) return crioManifestPullError(image, registrySays ?? 'denied: requested access to the resource is denied', version);
    return undefined;
  }
  if (NOT_FOUND.test(containerdMessage)) return crioManifestPullError(image, registrySays ?? 'manifest unknown', version);
  return undefined;
}
