// Fix answers for what the endpoint walk finds (checks/endpoint-walk.ts): a host containerd tries first that fails on
// every request (`mirror-failing`). Proposals are data; nothing here changes a node.
import type { Finding, PlannedFix } from '../core/types.js';
import { shellJoin } from '../text/shell.js';
import { described, msg, titled } from '../i18n/index.js';

/** `mirror-failing`: fix that host or take it out of the list — by hand: which of the two is right (a mirror that is
 *  down for maintenance, one retired for good) is the operator's call. */
export function planMirrorFailing(finding: Finding, ctx: { target: { input: string } }): PlannedFix[] {
  const url = typeof finding.data?.hostUrl === 'string' ? finding.data.hostUrl : undefined;
  const source = typeof finding.data?.source === 'string' ? finding.data.source : undefined;
  const urlSaid = url ?? msg('fix.walk.failingHost');
  const file = source ? source.split(' ')[0]! : msg('fix.walk.registryConfig');
  const error = typeof finding.data?.error === 'string' ? finding.data.error : undefined;
  return [
    {
      id: 'fix-or-remove-failing-host',
      ...titled('fix.title.mirrorFailing', { url: urlSaid, file }),
      where: 'node',
      restartRequired: !source?.includes('hosts.toml'),
      ...described('fix.desc.mirrorFailing', { url: urlSaid, error: error ? msg('fix.desc.mirrorFailing.error', { error }) : '' }),
      manualSteps: [
        `# edit ${source ?? 'the registry configuration'}: remove ${url ?? 'the failing host'} (or repair that host so it answers)`,
        shellJoin(['regdoctor', 'diagnose', ctx.target.input]),
      ],
      actions: [],
    },
  ];
}
