// Certificate-chain rows for the tree view (Ink, HTML): subject, issuer, a validity bar, SANs, which one fails.
import type { Report } from '../core/report.js';
import type { RunState } from '../core/types.js';
import { sanitizeLine } from '../text/sanitize.js';
import { t } from '../i18n/index.js';

export interface ChainRow {
  depth: number;
  subject: string;
  issuer: string;
  validity: string;
  /** Ten-cell bar showing how much of the validity period has elapsed. */
  bar: string;
  expired: boolean;
  expiringSoon: boolean;
  sans: string;
  failing: boolean;
}

export function validityBar(notBefore: Date, notAfter: Date, now: number, cells = 10): string {
  const total = notAfter.getTime() - notBefore.getTime();
  const used = total <= 0 ? 1 : (now - notBefore.getTime()) / total;
  const filled = Math.max(0, Math.min(cells, Math.round(used * cells)));
  return `[${'█'.repeat(filled)}${'░'.repeat(cells - filled)}]`;
}

export function chainRows(report: Pick<Report, 'chain'>, _state?: RunState, now = Date.now()): ChainRow[] {
  const chain = report.chain ?? [];
  return chain.map((c, i) => {
    const nb = new Date(c.notBefore);
    const na = new Date(c.notAfter);
    const days = Math.round((na.getTime() - now) / 86400_000);
    return {
      depth: i,
      // names come from the certificate (attacker-chosen): shown with control characters escaped
      subject: sanitizeLine(String(c.subject)),
      issuer: sanitizeLine(String(c.issuer)),
      validity: `${sanitizeLine(String(c.notBefore)).slice(0, 10)} → ${sanitizeLine(String(c.notAfter)).slice(0, 10)} (${days < 0 ? t('chain.expired', { n: -days }) : now < nb.getTime() ? t('chain.notYetValid') : t('chain.daysLeft', { n: days })})`,
      bar: validityBar(nb, na, now),
      expired: now > na.getTime() || now < nb.getTime(),
      expiringSoon: days >= 0 && days < 21,
      sans: c.sans.map((n) => sanitizeLine(String(n))).join(', '),
      failing: c.failing,
    };
  });
}
