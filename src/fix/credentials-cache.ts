// A broken copy of the image in the runtime's own store (issue 14 item 3, the seeds' `crictl rmi` remedy): when the
// real CRI pull fails on local content — a layer blob missing from the content store, an unpack/extract failure of
// what is cached — the cure is to drop the cached image through CRI RemoveImage (what `crictl rmi` calls) so the
// next pull fetches and unpacks it again. Data only; the fix engine removes it after confirmation and journals it
// (a rollback cannot bring a cache entry back: the next pull does).
import type { Finding, PlannedFix } from '../core/types.js';
import { getFact } from '../core/facts.js';
import { shellJoin } from '../text/shell.js';
import type { CredentialPlanContext as PlanContext } from './credentials.js';
import { described, titled } from '../i18n/index.js';

/** containerd's wording for a failure in its local store (content/local/store.go "blob %s expected at %s"; unpack). */
const LOCAL_STORE =
  /\bblob sha256:[0-9a-f]{64} expected at \S+: blob not found|content digest sha256:[0-9a-f]{64}: not found|failed to extract layer|failed to unpack image on snapshotter|failed to prepare extraction snapshot/;

/** The error of the real pull when it names the node's own image store, else undefined. */
export function localStoreFailure(finding: Finding): string | undefined {
  const text = [finding.data?.actualRuntimeError, finding.predictedRuntimeError, finding.summary].find((t) => typeof t === 'string') as
    string | undefined;
  return text && LOCAL_STORE.test(text) ? text : undefined;
}

/** Remove the cached image so the next pull starts clean; undefined when the failure is not the local copy. */
export function removeCachedImageProposal(finding: Finding, ctx: PlanContext): PlannedFix | undefined {
  const image = ctx.target.image?.normalized;
  const pull = getFact(ctx.facts, 'cri-pull');
  if (!image || !pull || pull.ok || !localStoreFailure(finding)) return undefined;
  return {
    id: 'remove-cached-image',
    ...titled('fix.title.removeCached', { image }),
    where: 'node',
    restartRequired: false,
    ...described('fix.desc.removeCached'),
    manualSteps: [
      shellJoin(['crictl', '--runtime-endpoint', pull.endpoint, 'rmi', image]),
      shellJoin(['crictl', '--runtime-endpoint', pull.endpoint, 'pull', image]),
    ],
    actions: [{ kind: 'remove-image', image, endpoint: pull.endpoint, description: `remove ${image} from the runtime's image store` }],
  };
}
