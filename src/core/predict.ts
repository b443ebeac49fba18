// Composes the exact text containerd's CRI plugin returns for a failed pull, and the kubelet event wrapping it,
// from the low-level Go error a probe predicted. Formats follow containerd 1.6/1.7 (resolver + CRI pull path).
import type { ImageReference } from './reference.js';

/** containerd's `?ns=<reference host>` on a request to a host other than the reference's own (a mirror):
 *  remotes/docker/resolver.go addNamespace → registry.go isProxy (docker.io ↔ registry-1.docker.io excepted). Measured
 *  in a mirror's error on 1.6.20 (test/e2e/runtime-truth-walk.e2e.test.ts › 9b). */
function nsQuery(refHost: string | undefined, endpointBase: string): string {
  if (!refHost) return '';
  const host = new URL(endpointBase).host;
  if (host === refHost || (refHost === 'docker.io' && host === 'registry-1.docker.io')) return '';
  return `?ns=${encodeURIComponent(refHost)}`;
}

/** `https://host[:port]/v2` + `/<repo>/manifests/<tag|digest>` — the URL containerd's resolver HEADs first. */
export function manifestUrl(endpointBase: string, image: Pick<ImageReference, 'path' | 'manifestReference'>): string {
  return `${endpointBase.replace(/(?<!\/)\/+$/, '')}/${image.path}/manifests/${image.manifestReference}`;
}

/** Reference as the CRI plugin prints it inside its messages (fully qualified, normalised). */
export function criImageName(image: Pick<ImageReference, 'normalized'>): string {
  return image.normalized;
}

/**
 * The CRI PullImage error for a transport-level failure of the manifest request
 * (TLS verification, connection refused, HTTP-vs-HTTPS, DNS, timeouts).
 */
export function predictTransportPullError(
  image: Pick<ImageReference, 'normalized' | 'path' | 'manifestReference'> & { domain?: string },
  endpointBase: string,
  goError: string,
  method: 'HEAD' | 'GET' = 'HEAD',
): string {
  const ref = criImageName(image);
  const url = manifestUrl(endpointBase, image) + nsQuery(image.domain, endpointBase);
  const verb = method === 'HEAD' ? 'Head' : 'Get';
  return `failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": failed to do request: ${verb} "${url}": ${goError}`;
}

/** The CRI PullImage error for an arbitrary resolver error text (auth, not found, unexpected status). */
export function predictResolvePullError(image: Pick<ImageReference, 'normalized'>, resolverError: string): string {
  const ref = criImageName(image);
  return `failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${resolverError}`;
}

/** containerd 1.6+ resolver error for a non-404 status >= 400 from one host (measured on 1.6.20). */
export function statusResolverError(
  hostPort: string,
  image: Pick<ImageReference, 'manifestReference'>,
  status: number,
  statusText: string,
): string {
  return `pulling from host ${hostPort} failed with status code [manifests ${image.manifestReference}]: ${status} ${statusText}`;
}

/** kubelet's event message for a failed pull (reason "Failed"), given the CRI error text. */
export function kubeletFailedEvent(imageAsWritten: string, criMessage: string, grpcCode = 'Unknown'): string {
  return `Failed to pull image "${imageAsWritten}": rpc error: code = ${grpcCode} desc = ${criMessage}`;
}
