// Facts published by the `registry-api` check (checks/registry-api.ts): their one home, read by dependents, the fix planner
// and the report through the typed FactsMap (src/facts/index.ts).
import type { RealmInfo } from '../probe/registry.js';

export interface RegistryApiFacts {
  endpoint: string;
  pingStatus?: number;
  apiVersion?: string;
  authScheme?: string;
  realm?: RealmInfo;
  tokenObtained: boolean;
  manifest?: string;
  /** Final HTTP status of the manifest request (absent on a transport error). */
  manifestStatus?: number;
  /** The credentials kubelet would send: `sent` when the whole check ran with them, else why the credential policy
   *  withheld them (a verified realm may have received them before a later step was withheld, e.g. a redirect). */
  credentials?: { source: string; sent: boolean; withheld?: { code: string; reason: string } };
}
