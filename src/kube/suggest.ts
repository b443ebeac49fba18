// The commands the Kubernetes side suggests (`next:` in scan, `on the node:` in pod diagnosis). Image names, pod
// names and namespaces come from the cluster, so anyone who can create a pod chooses them: a command is only built
// from values that pass validation (an image reference that parses, DNS names as the API server requires them), and
// it is printed shell-quoted from its argv. A value that does not validate is shown as data, never as a command.
import { parseImageReference } from '../core/reference.js';
import { shellJoin } from '../text/shell.js';

export interface SuggestedCommand {
  /** The exact argv the command runs. */
  argv: string[];
  /** The argv quoted for a POSIX shell (what is printed). */
  command: string;
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A pod name as the API server accepts it (RFC 1123 subdomain, at most 253 characters). */
export function isPodName(s: string | undefined): s is string {
  return typeof s === 'string' && s.length <= 253 && DNS_SUBDOMAIN.test(s);
}

/** A namespace name (RFC 1123 label, at most 63 characters). */
export function isNamespaceName(s: string | undefined): s is string {
  return typeof s === 'string' && s.length <= 63 && DNS_LABEL.test(s);
}

/** An image reference that parses (what the runtime would pull). */
export function isValidImageReference(s: string | undefined): s is string {
  if (typeof s !== 'string' || s === '' || s.length > 4096) return false;
  try {
    parseImageReference(s);
    return true;
  } catch {
    return false;
  }
}

function command(argv: string[]): SuggestedCommand {
  return { argv, command: shellJoin(argv) };
}

/** `regdoctor diagnose IMAGE`, or undefined when the image is not a valid reference. */
export function diagnoseImageCommand(image: string): SuggestedCommand | undefined {
  return isValidImageReference(image) ? command(['regdoctor', 'diagnose', image]) : undefined;
}

/** `regdoctor diagnose pod/NAME -n NS`, or undefined when a name is not valid. */
export function diagnosePodCommand(pod: string, namespace: string): SuggestedCommand | undefined {
  return isPodName(pod) && isNamespaceName(namespace) ? command(['regdoctor', 'diagnose', `pod/${pod}`, '-n', namespace]) : undefined;
}
