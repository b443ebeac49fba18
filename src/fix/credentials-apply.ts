// The cluster half of a credential fix, through the operator's real kubectl (every kubeconfig auth method works):
// create a kubernetes.io/dockerconfigjson Secret (the manifest, with the password, goes on stdin — never argv), and set
// a ServiceAccount's imagePullSecrets. Each change is journalled before it is made with what undoes it; the journal
// never holds the password. A rollback deletes only a secret carrying this journal's annotation and restores the
// ServiceAccount's list only when nobody changed it since (unless forced).
import type { ExecAdapter } from '../adapters/exec.js';
import type { FixAction } from '../core/types.js';
import { basicAuthField } from './credentials-file.js';
import { MessageError, errorParam, type Said } from './errors.js';
import { msg, t } from '../i18n/index.js';

export const JOURNAL_ANNOTATION = 'regdoctor.io/journal';

export type ClusterUndo =
  | { kind: 'secret'; kubectl: string[]; namespace: string; name: string; pending: boolean }
  | { kind: 'service-account'; kubectl: string[]; namespace: string; name: string; before: string[]; after: string[] };

type ClusterAction = Extract<FixAction, { kind: 'kube-create-secret' | 'kube-patch-sa' }>;

interface JournalLike {
  id: string;
  cluster?: ClusterUndo[];
}

export class ClusterStepError extends MessageError {
  override name = 'ClusterStepError';
}

const TIMEOUT = 60_000;

async function kubectl(exec: ExecAdapter, args: string[], input?: string) {
  const r = await exec.run('kubectl', args, { timeoutMs: TIMEOUT, input });
  if (r.notFound) throw new ClusterStepError(msg('fix.err.noKubectl'));
  return r;
}

const fail = (what: string, r: { exitCode: number; stderr: string; stdout: string }) =>
  new ClusterStepError(
    msg('fix.err.commandFailed', { command: what, code: r.exitCode, output: (r.stderr || r.stdout).trim().slice(0, 300) }),
  );

const notFound = (r: { stderr: string }) => /\(NotFound\)|not found/i.test(r.stderr);

/** The ServiceAccount's imagePullSecrets names, in order. */
async function saPullSecrets(exec: ExecAdapter, u: { kubectl: string[]; namespace: string; name: string }): Promise<string[]> {
  const r = await kubectl(exec, [...u.kubectl, '-n', u.namespace, 'get', 'serviceaccount', u.name, '-o', 'json']);
  if (r.exitCode !== 0) throw fail(`kubectl get serviceaccount ${u.namespace}/${u.name}`, r);
  let sa: { imagePullSecrets?: { name?: string }[] };
  try {
    sa = JSON.parse(r.stdout);
  } catch {
    throw new ClusterStepError(msg('fix.err.notJson', { command: `kubectl get serviceaccount ${u.namespace}/${u.name}` }));
  }
  return (sa.imagePullSecrets ?? []).map((x) => String(x.name ?? ''));
}

const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

function patchArgs(u: { kubectl: string[]; namespace: string; name: string }, names: string[]): string[] {
  const body = JSON.stringify({ imagePullSecrets: names.length ? names.map((name) => ({ name })) : null });
  return [...u.kubectl, '-n', u.namespace, 'patch', 'serviceaccount', u.name, '--type=merge', '-p', body];
}

/** The Secret manifest for kubectl's stdin (holds the password: never logged, never journalled). */
export function secretManifest(a: Extract<ClusterAction, { kind: 'kube-create-secret' }>, journalId: string): string {
  const config = { auths: { [a.server]: { username: a.username, password: a.password, auth: basicAuthField(a.username, a.password) } } };
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: a.name,
      namespace: a.namespace,
      labels: { 'app.kubernetes.io/managed-by': 'regdoctor' },
      annotations: { [JOURNAL_ANNOTATION]: journalId },
    },
    type: 'kubernetes.io/dockerconfigjson',
    data: { '.dockerconfigjson': Buffer.from(JSON.stringify(config)).toString('base64') },
  });
}

/** Applies one cluster step, journalling its undo first (saved before kubectl runs). */
export async function applyClusterStep(
  a: ClusterAction,
  o: { exec: ExecAdapter; journal: JournalLike; save: () => Promise<void>; log: (l: string) => void },
): Promise<void> {
  const list = (o.journal.cluster ??= []);
  if (a.kind === 'kube-create-secret') {
    const undo: ClusterUndo = { kind: 'secret', kubectl: a.kubectl, namespace: a.namespace, name: a.name, pending: true };
    list.push(undo);
    await o.save();
    // the manifest is generated here (the API server still validates it): no client-side OpenAPI download needed
    const r = await kubectl(
      o.exec,
      [...a.kubectl, '-n', a.namespace, 'create', '--validate=false', '-f', '-', '-o', 'name'],
      secretManifest(a, o.journal.id),
    );
    if (r.exitCode !== 0) {
      // someone else's secret of that name: not ours to delete on the way back
      if (/AlreadyExists|already exists/.test(r.stderr)) list.splice(list.indexOf(undo), 1);
      await o.save();
      throw fail(`kubectl create secret ${a.namespace}/${a.name}`, r);
    }
    undo.pending = false;
    await o.save();
    o.log(t('fix.log.secretCreated', { secretName: `${a.namespace}/${a.name}`, server: a.server }));
    return;
  }
  const u = { kubectl: a.kubectl, namespace: a.namespace, name: a.serviceAccount };
  const now = await saPullSecrets(o.exec, u);
  if (!sameList(now, a.before))
    throw new ClusterStepError(
      msg('fix.err.saChangedSincePlan', {
        sa: `${a.namespace}/${a.serviceAccount}`,
        now: `[${now.join(', ')}]`,
        planned: `[${a.before.join(', ')}]`,
      }),
    );
  list.push({ kind: 'service-account', ...u, before: [...a.before], after: [...a.after] });
  await o.save();
  const r = await kubectl(o.exec, patchArgs(u, a.after));
  if (r.exitCode !== 0) throw fail(`kubectl patch serviceaccount ${a.namespace}/${a.serviceAccount}`, r);
  o.log(t('fix.log.saPatched', { sa: `${a.namespace}/${a.serviceAccount}`, list: `[${a.after.join(', ')}]` }));
}

async function secretAnnotation(exec: ExecAdapter, u: Extract<ClusterUndo, { kind: 'secret' }>): Promise<string | null | undefined> {
  const r = await kubectl(exec, [...u.kubectl, '-n', u.namespace, 'get', 'secret', u.name, '-o', 'json']);
  if (r.exitCode !== 0) {
    if (notFound(r)) return null;
    throw fail(`kubectl get secret ${u.namespace}/${u.name}`, r);
  }
  try {
    const s = JSON.parse(r.stdout) as { metadata?: { annotations?: Record<string, string> } };
    return s.metadata?.annotations?.[JOURNAL_ANNOTATION];
  } catch {
    throw new ClusterStepError(msg('fix.err.notJson', { command: `kubectl get secret ${u.namespace}/${u.name}` }));
  }
}

/** Before a rollback touches anything: the cluster objects must still be as the fix left them. Throws otherwise. */
export async function checkClusterRollback(j: JournalLike, exec: ExecAdapter): Promise<void> {
  for (const u of j.cluster ?? []) {
    if (u.kind === 'service-account') {
      const now = await saPullSecrets(exec, u);
      if (!sameList(now, u.after))
        throw new ClusterStepError(msg('fix.err.saChangedSincePatch', { sa: `${u.namespace}/${u.name}`, now: `[${now.join(', ')}]` }));
    } else {
      const ann = await secretAnnotation(exec, u);
      if (ann !== null && ann !== j.id)
        throw new ClusterStepError(msg('fix.err.secretNotOurs', { secretName: `${u.namespace}/${u.name}` }));
    }
  }
}

/** Undoes the journal's cluster changes, newest first. Returns what could not be restored. */
export async function rollbackCluster(j: JournalLike, o: { exec: ExecAdapter; log: (l: string) => void }): Promise<Said[]> {
  const diffs: Said[] = [];
  for (const u of [...(j.cluster ?? [])].reverse()) {
    try {
      if (u.kind === 'service-account') {
        const r = await kubectl(o.exec, patchArgs(u, u.before));
        if (r.exitCode !== 0) throw fail(`kubectl patch serviceaccount ${u.namespace}/${u.name}`, r);
        o.log(t('fix.log.saRestored', { sa: `${u.namespace}/${u.name}`, list: `[${u.before.join(', ')}]` }));
      } else {
        const ann = await secretAnnotation(o.exec, u);
        if (ann === null) {
          if (!u.pending) o.log(t('fix.log.secretGone', { secretName: `${u.namespace}/${u.name}` }));
          continue;
        }
        if (ann !== j.id) {
          diffs.push(msg('fix.diff.secretNotOurs', { secretName: `${u.namespace}/${u.name}` }));
          continue;
        }
        const r = await kubectl(o.exec, [...u.kubectl, '-n', u.namespace, 'delete', 'secret', u.name]);
        if (r.exitCode !== 0 && !notFound(r)) throw fail(`kubectl delete secret ${u.namespace}/${u.name}`, r);
        o.log(t('fix.log.secretDeleted', { secretName: `${u.namespace}/${u.name}` }));
      }
    } catch (err) {
      const e = errorParam(err);
      diffs.push(typeof e === 'object' ? e : String(e));
    }
  }
  return diffs;
}
