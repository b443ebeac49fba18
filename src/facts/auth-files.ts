// Facts published by the `auth-files` check (checks/auth-files.ts): their one home, read by dependents, the fix planner
// and the report through the typed FactsMap (src/facts/index.ts).

export interface NodeCredential {
  source: string;
  key: string;
  hasUsername: boolean;
  hasPassword: boolean;
  hasIdentityToken: boolean;
}

export interface AuthFilesFacts {
  /** The file kubelet uses (first valid config.json in its search order, else a .dockercfg). */
  kubeletFile?: string;
  matching: NodeCredential[];
  /** Credential usable for a test pull (internal; the report is redacted, evidence never shows it). */
  credential?: { username?: string; password?: string; auth?: string; identityToken?: string };
  containerdAuth?: string;
}
