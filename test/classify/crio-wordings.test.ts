// containers/image wordings as CRI-O and podman print them. The podman texts were measured with Debian's podman 4.3.1
// (containers/image 5.23.1, go1.19) in the CRI-O lab (test/lab/crio-lab.ts); the CRI-O forms wrap the same text the
// way CRI-O's sources do per version (src/runtime/crio-predict.ts). Transport and manifest errors inside CRI-O's
// wrappers (RegistryUnavailable:, the 1.34 OCI-artifact retry, the pre-5.14 "error pinging docker registry") and the
// multi-error short-name output were already classified by the existing rows (checked); these are the new ones.
import { describe, expect, it } from 'vitest';
import { classifyMessage, extractMessages } from '../../src/classify/classify.js';
import { explainText } from '../../src/classify/explain.js';

interface Case {
  name: string;
  text: string;
  /** cause per extracted message, in order */
  codes: string[];
  hosts?: (string | undefined)[];
}

const CASES: Case[] = [
  {
    name: 'podman: registries.conf does not parse',
    text: 'Error: loading registries configuration "/etc/containers/registries.conf": toml: line 2 (last key "unqualified-search-registries"): expected value but found "registry" instead',
    codes: ['config-invalid'],
  },
  {
    name: 'CRI-O event: a registries.conf.d drop-in does not parse',
    text: 'Failed to pull image "reg.test:5000/a:1": rpc error: code = Unknown desc = loading registries configuration "/etc/containers/registries.conf.d/50-team.conf": toml: line 3: expected a top-level item to end with a newline',
    codes: ['config-invalid'],
  },
  {
    name: 'podman: short name without search registries',
    text: 'Error: short-name "hello:1.0" did not resolve to an alias and no unqualified-search registries are defined in "/etc/containers/registries.conf"',
    codes: ['config-conflict'],
  },

  {
    name: 'podman: blocked registry',
    text: 'Error: initializing source docker://basic-auth.crio.test:5000/lab/hello:1.0: registry basic-auth.crio.test:5000 is blocked in /etc/containers/registries.conf or /root/.config/containers/registries.conf.d',
    codes: ['config-conflict'],
    hosts: ['basic-auth.crio.test:5000'],
  },
];

describe('containers/image (CRI-O, podman) wordings', () => {
  for (const c of CASES) {
    it(`${c.name} → ${c.codes.join(', ')}`, () => {
      const found = extractMessages(c.text);
      expect(found.map((m) => classifyMessage(m.message).code)).toEqual(c.codes);
      if (c.hosts) expect(found.map((m) => classifyMessage(m.message).host)).toEqual(c.hosts);
    });
  }

  it('explain names containers/image reasons for the configuration wordings', () => {
    const r = explainText(
      'Error: short-name "hello:1.0" did not resolve to an alias and no unqualified-search registries are defined in "/etc/containers/registries.conf"',
    );
    expect(JSON.stringify(r)).toMatch(/unqualified-search-registries/);
  });
});
