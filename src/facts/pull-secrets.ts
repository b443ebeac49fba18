// Facts published by the `pull-secrets` check (checks/pull-secrets.ts): their one home, read by dependents, the fix planner
// and the report through the typed FactsMap (src/facts/index.ts).
import type { CredentialTest } from '../probe/registry-login.js';
import type { Message } from '../i18n/index.js';

export interface PullSecretsFacts {
  namespace: string;
  pod?: string;
  serviceAccount?: string;
  source: 'pod' | 'service-account' | 'none';
  secrets: string[];
  /** Matching entries (no values). */
  matching: { secret: string; key: string; hasUsername: boolean; hasPassword: boolean; hasIdentityToken: boolean }[];
  tested: { secret: string; key: string; outcome: CredentialTest['outcome']; detail: string }[];
  authRequired?: boolean;
  /** Internal, for other checks (e.g. a test pull): the accepted (else first matching) credential. Never rendered.
   *  Absent when the credential policy withheld the credentials (see `withheld`). */
  credential?: { username?: string; password?: string; auth?: string; identityToken?: string };
  /** Matching credentials exist but the credential policy kept them back: which rule, and why. */
  withheld?: { code: string; reason: string; reasonMessage?: Message };
}
