// auth-files: the node's credentials for the target registry — kubelet's docker config files (first valid one
// wins), legacy .dockercfg, and containerd's own configs."host".auth — matched with kubelet's rules. Secrets are
// never put in evidence. Emits: credentials-mismatch (entries for the wrong host/port/path), config-ignored
// (credHelpers/credsStore that kubelet ignores, malformed files).
import type { Check, CheckOutcome, FindingInput } from '../src/core/types.js';
import { keyMatches, parseDockerConfig, type DockerAuthEntry } from '../src/runtime/credential-match.js';
import type { AuthFilesFacts } from '../src/facts/auth-files.js';
import { msg, summaryOf } from '../src/i18n/index.js';
import { joinMessages } from '../src/i18n/node-join.js';
import { evidence } from '../src/i18n/evidence.js';

// kubelet's search order (credentialprovider.ReadDockerConfigJSONFile / ReadDockercfgFile); cwd is "/" for kubelet.
export const KUBELET_CONFIG_JSON = ['/var/lib/kubelet/config.json', '/config.json', '/root/.docker/config.json', '/.docker/config.json'];
export const KUBELET_DOCKERCFG = ['/var/lib/kubelet/.dockercfg', '/.dockercfg', '/root/.dockercfg'];

export const authFilesCheck: Check<'auth-files'> = {
  id: 'auth-files',
  title: 'Node credentials for the registry',
  needs: [],
  wants: ['containerd-config'],
  timeoutMs: 5_000,
  skipIf: (ctx) => (ctx.target.image ? undefined : msg('skip.registryNoCredentials')),
  async run(ctx): Promise<CheckOutcome<AuthFilesFacts>> {
    const image = ctx.target.image!;
    const fs = ctx.adapters.fs;
    const ev = evidence();
    const findings: FindingInput[] = [];
    const facts: AuthFilesFacts = { matching: [] };
    let entries: DockerAuthEntry[] = [];
    let file: string | undefined;
    for (const [list, legacy] of [
      [KUBELET_CONFIG_JSON, false],
      [KUBELET_DOCKERCFG, true],
    ] as const) {
      for (const path of list) {
        let text: string;
        try {
          text = await fs.readText(path, 4 << 20);
        } catch (err) {
          // absent is silence; unreadable (EACCES, a FIFO or device, a directory, too large, a link loop) is said
          const code = (err as { code?: string }).code;
          if (code !== 'ENOENT' && code !== 'ENOTDIR') ev.raw((err as Error).message);
          continue;
        }
        const parsed = parseDockerConfig(text, legacy);
        if (parsed.error) {
          findings.push({
            code: 'config-ignored',
            severity: 'warning',
            ...summaryOf('node.auth.invalidJson', {
              file: `${path}${parsed.error.line ? `:${parsed.error.line}:${parsed.error.column}` : ''}`,
              why: parsed.error.message,
            }),
            data: { file: path },
          });
          continue;
        }
        if (parsed.ignored.length) {
          findings.push({
            code: 'config-ignored',
            severity: 'warning',
            ...summaryOf('node.auth.helpersIgnored', { file: path, helpers: joinMessages(parsed.ignored, 'node.list.and') }),
            data: { file: path },
          });
        }
        file = path;
        entries = parsed.entries;
        break;
      }
      if (file) break;
    }
    facts.kubeletFile = file;
    if (file) ev.say(entries.length === 1 ? 'evidence.auth.readsOne' : 'evidence.auth.readsMany', { file, n: entries.length });
    else ev.say('evidence.auth.noConfig', { files: [...KUBELET_CONFIG_JSON, ...KUBELET_DOCKERCFG].join(', ') });
    const nearMisses: { key: string; why: string }[] = [];
    for (const e of entries) {
      const m = keyMatches(e.key, image);
      if (m.ok) {
        facts.matching.push({
          source: file!,
          key: e.key,
          hasUsername: Boolean(e.username),
          hasPassword: Boolean(e.password),
          hasIdentityToken: Boolean(e.identitytoken),
        });
        facts.credential ??= { username: e.username, password: e.password, auth: e.auth, identityToken: e.identitytoken };
      } else if (m.why === 'port' || m.why === 'path') nearMisses.push({ key: e.key, why: m.why });
    }
    for (const m of facts.matching)
      ev.say('evidence.auth.matches', {
        file: m.source,
        key: m.key,
        image: `${image.domain}/${image.path}`,
        username: msg(m.hasUsername ? 'evidence.auth.set' : 'evidence.auth.missing'),
        pass: msg(m.hasPassword ? 'evidence.auth.set' : 'evidence.auth.missing'),
      });
    if (facts.matching.length === 0 && nearMisses.length) {
      findings.push({
        code: 'credentials-mismatch',
        ...summaryOf('node.auth.nearMiss', {
          file: String(file),
          keys: nearMisses.map((n) => `"${n.key}"`).join(', '),
          image: `${image.domain}/${image.path}`,
          why: nearMisses.some((n) => n.why === 'port') ? msg('node.auth.nearMiss.port') : msg('node.auth.nearMiss.path'),
        }),
        ...ev.out(),
        data: { keys: nearMisses },
      });
    }
    const legacyAuth = ctx.maybeFacts('containerd-config')?.effective.legacyAuth;
    if (legacyAuth) {
      facts.containerdAuth = legacyAuth.source;
      ev.say('evidence.auth.containerdHas', { source: legacyAuth.source });
    }
    return {
      ...(facts.matching.length
        ? summaryOf(facts.matching.length === 1 ? 'check.auth.matching.one' : 'check.auth.matching.other', {
            n: facts.matching.length,
            file: String(file),
          })
        : legacyAuth
          ? summaryOf('check.auth.containerdOnly', { source: legacyAuth.source })
          : summaryOf('check.auth.none')),
      ...ev.out(),
      findings,
      facts,
    };
  },
};
