// Turns kubectl's stderr (and exit status) into a typed error: kubectl missing, cluster unreachable (refused, TLS,
// DNS, timeout), credentials rejected, RBAC forbidden (with the verb and resource denied), not found, bad config.
import { redactText } from '../../text/redact.js';

export type KubeErrorKind = 'missing-kubectl' | 'unreachable' | 'unauthorized' | 'forbidden' | 'not-found' | 'invalid' | 'failure';

export interface KubeError {
  ok: false;
  error: KubeErrorKind;
  /** One line for humans (secrets redacted). */
  message: string;
  /** unreachable: what failed. */
  detail?: 'refused' | 'tls' | 'dns' | 'timeout' | 'no-config';
  /** forbidden: the verb and resource denied (and where). */
  verb?: string;
  resource?: string;
  apiGroup?: string;
  namespace?: string;
  /** not-found / forbidden: the object name. */
  name?: string;
  user?: string;
}

export interface KubectlFailure {
  exitCode?: number;
  stderr: string;
  notFound?: boolean;
  timedOut?: boolean;
  canceled?: boolean;
  /** The kubectl binary that was run (for the missing-kubectl message). */
  file?: string;
  timeoutMs?: number;
}

// (starts at a word's first character only: a match from inside a word is also one from its start, and a long word
// was rescanned from each of its characters)
const FORBIDDEN_RE =
  /(?<!\S)(?:(\S+?) "([^"]*)" is forbidden|(\S+) is forbidden): User "([^"]*)" cannot (\S+) resource "([^"]+)"(?: in API group "([^"]*)")?(?: in the namespace "([^"]+)"| at the cluster scope)?/;

/** The meaningful line of kubectl's stderr: the `Error from server`/`error:`/`Unable to connect` line, else the last. */
function keyLine(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const pick =
    lines.find((l) => /^Error from server\b/.test(l)) ??
    lines.find((l) => /^(?:error:|Unable to connect to the server:|The connection to the server)/.test(l)) ??
    lines.filter((l) => !/^[EWI]\d{4} /.test(l)).at(-1) ??
    lines.at(-1) ??
    '';
  return pick.length > 600 ? `${pick.slice(0, 600)}…` : pick;
}

export function parseKubectlError(f: KubectlFailure): KubeError {
  const file = f.file ?? 'kubectl';
  if (f.notFound)
    return { ok: false, error: 'missing-kubectl', message: `${file} was not found on PATH; install kubectl or pass --kubectl PATH` };
  if (f.canceled) return { ok: false, error: 'failure', message: 'kubectl was cancelled' };
  if (f.timedOut)
    return {
      ok: false,
      error: 'unreachable',
      detail: 'timeout',
      message: `kubectl did not answer within ${f.timeoutMs !== undefined ? `${Math.round(f.timeoutMs / 100) / 10}s` : 'the time limit'} (API server slow or unreachable)`,
    };
  const stderr = redactText(f.stderr ?? '');
  const line = keyLine(stderr);

  const fm = stderr.match(FORBIDDEN_RE);
  if (fm || /^Error from server \(Forbidden\)/m.test(stderr)) {
    const resource = fm?.[6] ?? fm?.[1] ?? fm?.[3];
    return {
      ok: false,
      error: 'forbidden',
      message: line.replace(/^Error from server \(Forbidden\):\s*/, ''),
      verb: fm?.[5],
      resource,
      apiGroup: fm?.[7],
      namespace: fm?.[8],
      name: fm?.[2],
      user: fm?.[4],
    };
  }
  if (/\(Unauthorized\)|Unauthorized$|You must be logged in to the server/m.test(stderr) || /getting credentials: /.test(stderr))
    return { ok: false, error: 'unauthorized', message: line.replace(/^error:\s*/, '') };
  const nf = stderr.match(/Error from server \(NotFound\): (?:(\S+?) "([^"]*)" not found|(.*))/);
  if (nf)
    return {
      ok: false,
      error: 'not-found',
      message: line.replace(/^Error from server \(NotFound\):\s*/, ''),
      resource: nf[1],
      name: nf[2],
    };

  // Configuration problems: context/cluster/user missing, kubeconfig unreadable or invalid.
  if (
    /error: (?:context "[^"]*" does not exist|no context exists with the name|cluster "[^"]*" does not exist|auth info "[^"]*" does not exist)/.test(
      stderr,
    ) ||
    /error loading config file|error: stat .{0,4096}: no such file or directory|couldn't get version\/kind; json parse error|invalid configuration:|cannot locate (?:context|cluster|user)|current-context must exist/.test(
      stderr,
    )
  )
    return { ok: false, error: 'invalid', message: line.replace(/^error:\s*/, '') };
  if (/unknown flag|unknown command|unknown shorthand flag/.test(stderr)) return { ok: false, error: 'invalid', message: line };

  // Transport
  const noConfig = /The connection to the server localhost:8080 was refused/.test(stderr);
  if (noConfig)
    return {
      ok: false,
      error: 'unreachable',
      detail: 'no-config',
      message: 'no kubeconfig found (kubectl fell back to localhost:8080); pass --kubeconfig or --context, or set KUBECONFIG',
    };
  if (/was refused|connect: connection refused/.test(stderr)) return { ok: false, error: 'unreachable', detail: 'refused', message: line };
  if (/x509: |tls: |remote error: tls|certificate/.test(stderr) && /Unable to connect|x509|tls:/.test(line))
    return { ok: false, error: 'unreachable', detail: 'tls', message: line };
  if (/no such host|server misbehaving|Temporary failure in name resolution/.test(stderr))
    return { ok: false, error: 'unreachable', detail: 'dns', message: line };
  if (
    /i\/o timeout|context deadline exceeded|Client\.Timeout exceeded|TLS handshake timeout|Error from server \(Timeout\)|timed out|the server was unable to return a response in the time allotted/.test(
      stderr,
    )
  )
    return { ok: false, error: 'unreachable', detail: 'timeout', message: line };
  if (/Unable to connect to the server|no route to host|network is unreachable|connection reset by peer|EOF$/m.test(stderr))
    return { ok: false, error: 'unreachable', message: line };
  return { ok: false, error: 'failure', message: line || `kubectl exited with status ${f.exitCode ?? 'unknown'}` };
}

/** Human sentence naming what was denied, e.g. `RBAC forbids "list" on "events" in namespace "prod"`. */
export function describeKubeError(e: KubeError): string {
  if (e.error === 'forbidden' && e.verb && e.resource) {
    const where = e.namespace ? ` in namespace "${e.namespace}"` : ' at cluster scope';
    const who = e.user ? ` for ${e.user}` : '';
    const group = e.apiGroup ? `.${e.apiGroup}` : '';
    return `RBAC forbids "${e.verb}" on "${e.resource}${group}"${where}${who}`;
  }
  switch (e.error) {
    case 'missing-kubectl':
      return e.message;
    case 'unreachable':
      return `cannot reach the Kubernetes API server: ${e.message}`;
    case 'unauthorized':
      return `the Kubernetes API server rejected kubectl's credentials: ${e.message}`;
    case 'not-found':
      return e.message;
    case 'invalid':
      return `kubeconfig problem: ${e.message}`;
    default:
      return e.message;
  }
}
