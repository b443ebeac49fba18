// English source for the fix engine and planners (src/fix: proposals, harden steps, engine log lines, FixError messages).
// Merged into the catalogue by one spread in en.ts; fix.zh-CN.ts and fix.ja.ts are typed by these keys, so a
// missing translation does not compile (test/i18n/catalogue.test.ts checks placeholders and kept terms).
// The English here is what the planners and the engine stored before (journals, --json, tests read it): keep it.
export const FIX_EN = {
  // --- joining phrases (src/fix/errors.ts) --------------------------------------------------------------------------
  'fix.list': '{a}; {b}',
  'fix.listComma': '{a}, {b}',
  'fix.concat': '{a}{b}',
  'fix.indent': '  {a}',
  // --- proposals (src/fix/propose.ts) --------------------------------------------------------------------------------
  'fix.desc.blocked': 'Not possible automatically: {why}',
  'fix.desc.clientCertNeeded': 'The registry demands mTLS{issuedBy}. Run `regdoctor fix {target} --client-cert FILE --client-key FILE`.',
  'fix.desc.issuedBy': ' with a certificate issued by {cas}',
  'fix.desc.migrateLegacy':
    'Writes one hosts.toml per legacy host, removes the legacy tables from config.toml (TOML-aware; comments kept) and restarts containerd so the CRI plugin loads again.',
  'fix.desc.moveIgnored':
    '{summary} Compare what containerd loaded with the files on disk, then move the setting to the table or directory it reads.',
  'fix.title.checkImage': 'Check the repository and tag (and the credentials: private repositories answer 404 too)',
  'fix.title.platform': 'Use an image built for this node’s platform',
  'fix.desc.staleCopy':
    'A stale copy cached on the node can hide the problem on some nodes and not others: remove it so every node resolves the tag again.',
  'fix.desc.interception':
    'A middlebox presents its own certificate. Get its CA from your network team, then trust it for this host only with `regdoctor fix --ca FILE`.',
  'fix.desc.useHttps': 'The registry speaks HTTPS: replace the http:// server / endpoint with https://.',
  'fix.desc.handshake': 'The server and Go’s TLS client share no protocol version or cipher suite, or the port is not TLS.',
  'fix.desc.repairConfig': 'containerd refuses a configuration it cannot parse; the error names the line.',
  'fix.desc.runtimeBack': 'Nothing can be pulled until the CRI socket answers.',
  'fix.desc.migrateDeprecated': 'The legacy mirrors/configs tables still work on this version but are removed in containerd 2.',
  'fix.desc.chmod': 'Registry credentials on this node are readable by other users.',
  'fix.desc.rateLimit': 'The registry throttles anonymous or per-account pulls (429).',
  'fix.desc.finishFirst': 'regdoctor could not name the cause: run the diagnosis again with more time and read the evidence.',
  'fix.desc.kubeAccess': 'kubectl is missing, the context is unreachable, or RBAC forbids a read the diagnosis needs.',
  'fix.desc.nothing': 'The runtime should be able to pull from this registry; confirm with a real pull.',
  'fix.desc.removeCached':
    "The real pull fails in the runtime's own image store (a cached layer is missing or does not unpack), not at the registry. Removing the image through CRI (like crictl rmi) makes the next pull fetch and unpack it again. Running containers keep their snapshots; the cache entry is not restored by a rollback.",
  // planner notes (the " Also: …" sentence)
  'fix.note.dockerFilesCarried':
    'the Docker-style files already in {dir} ({files}) are carried into hosts.toml: containerd stops reading them on their own once a hosts.toml is there',
  'fix.note.defaultCopied':
    "{dir} (containerd's fallback for every host without its own directory) is left untouched; what it configured for {host} is copied into {file} so nothing else changes for this host",
  'fix.rule.hostTable':
    'containerd {version} decodes a hosts.toml only when it has a [host."…"] table (without one it logs "failed to decode hosts.toml" and ignores the file), so the settings go into a [host."…"] table as well as the root',
  'fix.rule.unknownVersion': '(version unknown)',
  'fix.rule.root': 'containerd {version} decodes root-level hosts.toml settings',
  'fix.note.notListed': '{dir} was not listed: Docker-style files beside the hosts.toml are not carried over',
  'fix.note.noHostTable': '{file} has no [host."…"] table, so {rule}; today containerd ignores it{carried}',
  'fix.note.dockerFilesUsed': ' and uses the Docker-style files {files} instead (carried into the file)',
  // the certificate the network presented (src/fix/trust-check.ts)
  'fix.presented.sha': 'SHA-256 fingerprint: {sha}',
  'fix.presented.subject': 'subject: {subject}',
  'fix.presented.issuer': 'issuer: {issuer}',
  'fix.presented.valid': 'valid: {from} to {to}',
  // a supplied CA (--ca) checked against the chain (src/fix/trust-check.ts, node-plan.ts)
  'fix.ca.unreadable': 'no certificate could be read from it{error}',
  'fix.ca.unreadableWhy': ' ({error})',
  'fix.ca.noChain': 'the registry presented no certificate to verify against',
  'fix.ca.doesNotSign': "this CA does not sign the registry's chain: {why}{source}",
  'fix.ca.source': ' (--ca {file})',
  // trust on first use (src/fix/node-plan.ts tofuDecision)
  'fix.tofu.notFingerprint': '--trust-presented {value} is not a SHA-256 fingerprint (64 hex digits, colons allowed)',
  'fix.tofu.different':
    'the registry presented a different certificate than --trust-presented names ({fingerprint}): refusing to install it.',
  'fix.tofu.needName1':
    'this fix would trust the certificate the network presented (trust on first use). Check it out of band, then re-run with',
  'fix.tofu.needName2': 'or give the CA file with --ca FILE. The presented certificate:',
  // --- credential fixes (src/fix/credentials.ts, credentials-cache.ts) ---------------------------------------------
  'fix.desc.containerdCred':
    'containerd uses {source} in {file} when kubelet sends no credential; it is edited in place (TOML-aware, backed up) and containerd restarted to read it.',
  'fix.cred.containerdRejected': "The credential in containerd's {source} is rejected.",
  'fix.desc.removeContainerdCred':
    'Pulls of {host} then go out anonymously: right only when the image is public (the stale credential is what the registry rejects). The file is backed up; rollback restores it.',
  'fix.desc.replaceFileCred':
    'kubelet reads {file} and sends its entry {keys} with every pull of {host}; the entry is replaced in place (other entries kept, file backed up). kubelet re-reads the file: no restart.',
  'fix.cred.fileRejected': 'The credential in {file} is rejected.',
  'fix.desc.removeFileCred':
    'Pulls of {host} then go out anonymously: right only when the image is public. The file is backed up; rollback restores it.',
  'fix.desc.addCred':
    'kubelet reads {file}{created} and sends the entry keyed exactly "{host}" with every pull of it; other entries are kept and the file is backed up. kubelet re-reads the file: no restart.',
  'fix.cred.created': ' (created, mode 600)',
  'fix.desc.copyCred':
    'kubelet matches docker config keys by exact host and port (and path prefix): "{key}" never applies to {host}. The entry is copied under the exact key (the old one kept; file backed up). kubelet re-reads the file: no restart.',
  'fix.cred.noneApplies': 'No credential on this node applies to {host}.',
  'fix.desc.needCred':
    '{why} Re-run with --username and --password-stdin (or --password-file): regdoctor writes it where kubelet reads it, backed up, with a rollback.',
  'fix.desc.pullSecret':
    "The secret's key must be exactly {host} (same port). ServiceAccount changes reach only pods created afterwards: existing pods must be recreated.{rerun}",
  'fix.desc.pullSecretRerun':
    ' Re-run with --username and --password-stdin and regdoctor creates it through kubectl (rollback deletes it).',
  'fix.desc.podSecrets':
    'Pod {pod} lists its own imagePullSecrets (the ServiceAccount\'s are not used): create a secret keyed exactly "{host}" and add it to the pod template of the pod\'s owner; the recreated pods pull with it.',
  'fix.desc.pullSecretNamed':
    'Through your kubectl: a new secret keyed exactly "{host}" (existing secrets are not touched), listed first in {sa}\'s imagePullSecrets (kubelet tries every matching credential in order). Pods created from now on get it; existing pods must be recreated. Rollback deletes the secret and restores the ServiceAccount.',
  'fix.cred.unprotected':
    ' ⚠ containerd offers this credential to every host it tries for the image, and its configuration sends it unprotected to {hosts}: anyone on that path can read it.',
  'fix.cred.plainHttpUrl': '{url} (plain HTTP)',
  'fix.cred.skipVerifyUrl': '{url} (skip_verify)',
  'fix.step.authSet': 'set the credential for "{key}" in {path} (user {user})',
  'fix.step.authCopy': 'copy the credential "{from}" to the exact key "{to}" in {path}',
  'fix.step.authRemove': 'remove the credential "{key}" from {path}',
  'fix.step.removeImage': 'remove the cached image {image} from the runtime (CRI RemoveImage, like crictl rmi)',
  'fix.auth.notJson': '{path} is not valid JSON ({error}); refusing to rewrite it',
  'fix.auth.notObject': '{path} is not a JSON object; refusing to rewrite it',
  'fix.auth.authsNotObject': '{path}: "auths" is not an object; refusing to rewrite it',
  'fix.auth.badUsername': 'the username must be non-empty and contain no ":"',
  'fix.auth.noEntry': '{path} has no entry "{key}" any more',
  'fix.auth.hasEntry': '{path} already has an entry "{key}"',
  // --- the endpoint walk (src/fix/walk-fixes.ts) --------------------------------------------------------------------
  'fix.walk.failingHost': 'the failing host',
  'fix.walk.registryConfig': 'the registry configuration',
  // --- host names and the legacy migration (src/fix/host-names.ts, legacy-migration.ts) ----------------------------
  'fix.host.registry': 'registry host',
  'fix.host.target': 'target registry host',
  'fix.host.mirror': 'mirror endpoint host',
  'fix.host.notDirName': '{what} {name} is not a registry host name (host[:port]); refusing to use it as a directory name',
  'fix.host.notHost': '{what} {name} is not a registry host name: {error}',
  'fix.host.notDir': '{name} is not a directory name',
  'fix.host.notUrl': 'mirror endpoint {endpoint} is not a URL',
  'fix.host.scheme': 'mirror endpoint {endpoint}: only http and https are used by containerd',
  'fix.host.extras': 'mirror endpoint {endpoint} has credentials, a query or a fragment: regdoctor cannot migrate it exactly',
  'fix.host.sameHost': 'mirror endpoint {endpoint} does not parse to the same host',
  'fix.host.relative': 'mirror endpoint {endpoint} has a relative path',
  'fix.mig.unknownTlsKey': '{table} has "{key}", which regdoctor does not know how to migrate: move it by hand',
  'fix.mig.tlsNotCarried': '{table} is not carried to the http:// endpoint {url}: containerd never uses TLS settings for it',
  'fix.mig.notString': '{key} is not a string',
  'fix.mig.relativePath':
    "{key} = {value} is a relative path (relative to containerd's working directory; hosts.toml would read it relative to the host directory): make it absolute first",
  'fix.mig.certWithoutKey': '{table} sets cert_file without key_file: containerd rejects that; fix it by hand first',
  'fix.mig.keyWithoutCert': '{table} sets key_file without cert_file: containerd rejects that; fix it by hand first',
  'fix.mig.notBoolean': '{key} is not a boolean',
  'fix.mig.notList': '{key} is not a list of strings',
  'fix.mig.dirExists':
    '{dir} already exists: once config_path is set containerd would read it instead of (or together with) the migrated settings for {key}; merge it by hand first',
  'fix.mig.noteWildcard':
    'legacy mirrors."*" moves to {file} (containerd\'s fallback for every host without its own directory — as mirrors."*" was)',
  'fix.mig.note': 'legacy settings of {key} move to {file}',
  'fix.mig.cannot': 'cannot migrate the legacy registry configuration exactly: {error}',
  'fix.mig.hostsTomlExists':
    '{file} already exists and is not read today (config_path is not set); it would start applying together with this fix: merge it by hand first',
  // --- k3s / RKE2 (src/fix/propose-k3s.ts) ---------------------------------------------------------------------------
  'fix.k3s.title.ca': 'Trust {what} for {host} only ({flavour} registries.yaml ca_file)',
  'fix.k3s.title.client': 'Present the client certificate to {host} ({flavour} registries.yaml cert_file and key_file)',
  'fix.k3s.title.skipVerify': 'Skip certificate verification for {host} only ({flavour} registries.yaml insecure_skip_verify: true)',
  'fix.k3s.theCa': "the registry's CA",
  'fix.k3s.first.ca': 'Installs {what} as {file}: only {host} trusts it; verification stays on.',
  'fix.k3s.first.client': 'Installs the client pair for {host} only; the key is written with mode 600.',
  'fix.k3s.first.skipVerify':
    'Turns TLS verification off for {host} (and nothing else): anyone who can intercept traffic to it can serve any image.',
  'fix.k3s.desc':
    "{first} On this {flavour} node the setting goes into {yaml} ({setting}), the file {flavour} renders containerd's configuration from; {configToml} and {certsDir} are generated and are not edited. {service} is restarted so the rendering and containerd pick it up.",
  'fix.k3s.blocked':
    'this is a {flavour} node: {configToml} and {certsDir} are generated from {yaml} and overwritten when {service} starts, so regdoctor does not edit them. Make the change in {yaml} and restart {service}.',
  // --- fix --harden (src/fix/harden.ts) ------------------------------------------------------------------------------
  'fix.harden.noConfig': 'the containerd configuration could not be read (containerd-config did not run)',
  'fix.harden.k3s':
    "this is a {flavour} node: containerd's files are generated from registries.yaml; change the setting there (a ca_file for {registry}, insecure_skip_verify removed) and restart the service",
  'fix.harden.spread':
    'the settings this migration changes are in more than one file ({files}): containerd {version} reads them merged, and harden edits one file — move them into one first',
  'fix.harden.noHygiene': 'the node-hygiene check did not run (no containerd configuration for this registry?)',
  'fix.harden.mirrorStays': 'skip-verify for the mirror {host} ({source}) stays: harden that host with its own image',
  'fix.harden.notExamined':
    'the certificate {host} presents was not examined (no TLS handshake in this diagnosis): re-run when the registry answers',
  'fix.harden.reissueFirst':
    'with verification on, Go would report: {error}. No CA makes that verify: the registry certificate must be reissued first; skip-verify stays until then',
  'fix.harden.certProblem': 'a certificate problem',
  'fix.harden.alreadyVerifies': "the certificate of {host} already verifies with the node's trust: only skip-verify is removed",
  'fix.harden.nothingPlanned': '{problem}; nothing was planned',
  'fix.harden.what.supplied': 'the supplied CA{source}',
  'fix.harden.what.source': ' ({file})',
  'fix.harden.what.selfSigned': "the registry's self-signed certificate",
  'fix.harden.noCaSent':
    'the registry does not send the CA that issued its certificate: give it with --ca FILE (regdoctor checks it against the chain before planning)',
  'fix.harden.credentialsStay':
    "credentials in {tables} stay (deprecated): move them to an imagePullSecret or kubelet's config.json by hand",
  'fix.harden.nothing': 'nothing to harden for {registry}: verification is on and no legacy table configures it',
  'fix.harden.unknownSource': 'skip-verify for {host} comes from {source}, which harden does not know how to migrate',
  'fix.harden.noMigrate': "the legacy skip-verify of {host} does not migrate into {registry}'s hosts.toml: migrate by hand",
  'fix.harden.httpRemoved': '{table} is removed too: containerd has no such setting (it never applied)',
  'fix.harden.kept': ' — skip-verify kept for now',
  'fix.harden.title.trustMove': 'Trust {what} for {registry} and move the legacy registry tables into hosts.toml (config_path){kept}',
  'fix.harden.title.move': 'Move the legacy registry tables into hosts.toml (config_path){kept}',
  'fix.harden.desc.migrate':
    'Writes one hosts.toml per legacy host under {dir} with exactly what the legacy tables said{skip}{installs}, sets config_path and removes the legacy tables from {file} in the same change (the CRI plugin refuses mirrors/configs.tls beside config_path), then restarts containerd. A real pull must work before anything else changes.',
  'fix.harden.skipIncluded': ' (skip_verify included, so nothing can break yet)',
  'fix.harden.installs': ', installs {what} as {name} for {registry} only',
  'fix.harden.title.verifyOn': 'Turn certificate verification back on for {host}',
  'fix.harden.desc.verifyOnEntries':
    'Removes skip_verify from {file} ({entries}); containerd re-reads hosts.toml on every pull (no restart).',
  'fix.harden.desc.verifyOn': 'Removes skip_verify from {file}; containerd re-reads hosts.toml on every pull (no restart).',
  'fix.harden.serverEntry': 'the server entry',
  'fix.harden.notOneFile': 'skip-verify for {host} does not come from one hosts.toml regdoctor can edit ({sources})',
  'fix.harden.default':
    "skip_verify comes from {file}, every host's fallback: harden never edits _default. Give {registry} its own directory ({command} writes one), then remove skip_verify from _default by hand",
  'fix.harden.whichTable': 'cannot tell which table of {file} sets skip_verify',
  'fix.harden.title.addTrust': 'Trust {what} for {registry} only (hosts.toml ca) — skip-verify kept for now',
  'fix.harden.desc.addTrust':
    'Installs {what} as {file} and adds it to the `ca` of the entries that skip verification, which stays on for now. A real pull must work, and the certificate must verify with the installed CA, before skip_verify goes.',
  'fix.harden.noPull': 'no real pull was made (no CRI socket answered)',
  'fix.harden.pullFails': 'the real pull fails: {error}',
  'fix.harden.skipGone': 'skip-verify for {url} is no longer in effect: the stage did not do what was planned',
  'fix.harden.stillFails': 'with verification on, the certificate of {url} would still fail{error} (the installed CA is not what signs it)',
  'fix.harden.goSays': ': {error}',
  // --- what an edit changes (edit-toml / edit-yaml action descriptions, the fix screen's "edit FILE: …") ------------
  'fix.act.setConfigPath': 'set config_path = "{root}" in [{table}]',
  'fix.act.setSingleConfigPath':
    'set config_path = "{root}" in [{table}] — WARNING: every hosts.toml under {root} then takes effect, for other registries and _default too (none is read today): check them first',
  'fix.act.setConfigPathAndRemove': 'set config_path = "{root}" in [{table}] and remove the migrated legacy tables',
  'fix.act.removeMigrated': 'remove the migrated legacy tables',
  'fix.act.inImport': '{action} — in {file}, not {main}: {rule}, so the same edit of {main} would not take effect',
  'fix.rule.importWholesale':
    "containerd {version} takes the whole [{plugin}] section from the last file it loads that has one (an import replaces config.toml's)",
  'fix.rule.importMerged':
    'containerd {version} merges config.toml and its imports key by key, and the last file that sets config_path wins',
  'fix.act.setConfigPathRemoveList': 'set config_path = "{root}" and remove the migrated legacy tables ({tables})',
  'fix.act.trust': 'trust {name}',
  'fix.act.present': 'present {cert}',
  'fix.act.plainHttp': 'plain HTTP',
  'fix.act.serverHttp': 'server = "{url}" (talk plain HTTP to {host})',
  'fix.act.rootLevel': '{what} for {host} (root level: the server entry)',
  'fix.act.inHost': '{what} in [host."{url}"]',
  'fix.act.addHostDecode': 'add [host."{url}"] so containerd {version} decodes the file',
  'fix.act.addHostWith': 'add [host."{url}"] with {what}',
  'fix.act.replaceCred': 'replace the credential in [{table}] (user {user})',
  'fix.act.removeTable': 'remove [{table}]',
  'fix.act.removeSkip': 'remove skip_verify from {entry}',
  'fix.act.addCa': 'add {name} to the ca of {entry}',
  'fix.act.yamlSet': '{table}: set {keys}',
  // --- CRI-O nodes (src/fix/propose-crio.ts) -----------------------------------------------------------------------
  'fix.crio.desc.ca':
    'Installs {what} as {file}: containers/image adds the .crt files of this directory to the system roots for this host only; verification stays on. certs.d is read on every pull (no reload).{presented}',
  'fix.crio.desc.needCa': '{why} Run `regdoctor fix {target} --ca FILE` and regdoctor installs it in {dir}.',
  'fix.crio.noRoot': 'The registry does not send its root CA.',
  'fix.crio.noIntermediate': 'The server omits its intermediate; give regdoctor a bundle with the intermediate and the root.',
  'fix.crio.httpOnly': 'The registry only speaks HTTP.',
  'fix.crio.title.insecure': 'Let CRI-O use plain HTTP for {host} (registries.conf.d drop-in, insecure = true)',
  'fix.crio.desc.insecure':
    '{why} containers/image only uses HTTP for a registry marked insecure, which also turns certificate verification off for it. Better still: serve TLS on the registry.{replaces}',
  'fix.crio.desc.replaces': ' The drop-in replaces the [[registry]] {prefix} of {file}, so its settings are carried over.',
  'fix.crio.title.refused': 'No node change for this host',
  'fix.crio.refusedWhy': '{why}',
  'fix.crio.refused': 'refusing to plan for {host}: {why}',
  'fix.crio.authFiles':
    '{summary} CRI-O itself has credentials for it in {file} (the first of its auth files with an entry for this registry); regdoctor did not test them.',
  'fix.crio.plainHttp':
    '{host} serves plain HTTP while CRI-O connects with HTTPS: containers/image uses HTTP only for a registry marked insecure = true in registries.conf.',
  'fix.crio.desc.manual': '{summary} Edit the file, then `systemctl reload crio`.',
  // --- the TOML and YAML editors' refusals (src/fix/toml-edit.ts, yaml-edit.ts) --------------------------------------
  'fix.toml.escape': 'unsupported escape in key {key}',
  'fix.toml.cannotWrite': 'cannot write {type} to TOML',
  'fix.toml.notList': '{key} is neither a string nor a list: edit it by hand',
  'fix.toml.noParse': 'refusing to edit: the file does not parse{at}: {error}',
  'fix.toml.at': ' (line {line}, column {column})',
  'fix.toml.tooDeep': 'refusing to edit: tables or arrays nested more than {n} levels deep',
  'fix.toml.notOwnTable': '[{table}] is not written as its own table (inline or dotted keys): edit it by hand',
  'fix.toml.notPlainKey': '{key} is not written as a plain key of [{table}]: edit it by hand',
  'fix.toml.inline': '[{table}] is written inline in [{parent}]: edit it by hand',
  'fix.toml.wouldNotParse': 'internal error: the edited file would not parse ({error}); nothing was changed',
  'fix.toml.tooMuch': 'internal error: the edit would change more than intended; nothing was changed',
  'fix.yaml.anchors': 'the file uses YAML anchors, aliases, tags or block scalars, which this editor does not rewrite; edit it by hand',
  'fix.yaml.noParse': 'the file does not parse ({error}); nothing was changed',
  'fix.yaml.notMapping': 'the document is not a mapping',
  'fix.yaml.notBlock': '{key} is not a block mapping',
  'fix.yaml.sequence': '{key} is a sequence, not a mapping',
  'fix.yaml.notScalar': '{key} is not a scalar',
  'fix.yaml.wouldNotParse': 'the edited file would not parse ({error}); nothing was changed',
  'fix.yaml.notLeft': 'the edit did not leave {key} = {value}; nothing was changed',
  'fix.yaml.notRemoved': 'the edit did not remove {key}; nothing was changed',
  'fix.yaml.tooMuch': 'the edit would change other settings of the file; nothing was changed',
  'fix.step.createSecret': '{command}   # Secret {name}: kubernetes.io/dockerconfigjson for "{server}", user {user} (password from stdin)',
  // --- the fix engine: plan steps, log lines, errors (src/fix/engine.ts, credentials-apply.ts) ----------------------
  'fix.step.throughLink': '{step} (a symbolic link: written through to {target})',
  'fix.step.restartCmd': 'restart {service}: {command}',
  'fix.step.reloadCmd': 'reload {service}: {command}',
  'fix.log.restartSkippedRoot': 'restart skipped (--root): restart containerd on that node yourself',
  'fix.log.restartSkippedRootSentence': 'restart skipped (--root): restart containerd on that node yourself.',
  'fix.log.reloaded': 'reloaded {service}',
  'fix.log.restarted': 'restarted {service}; waiting for its CRI socket…',
  'fix.log.back': '{service} is back',
  'fix.log.unchanged': 'unchanged: {path}',
  'fix.log.updated': 'updated {path}{link} (backup: {backup})',
  'fix.log.created': 'created {path}{link} (backup: {backup})',
  'fix.log.throughLink': ' (through the link, in {target})',
  'fix.log.noBackup': 'none, new file',
  'fix.log.removedImage': 'removed the cached image {image} (the next pull resolves it again)',
  'fix.log.manual': 'manual: {step}',
  'fix.log.failed': 'failed: {error} — rolling back every earlier step',
  'fix.log.staleLock': 'taking over a stale lock on {dir} (pid {pid} no longer runs)',
  'fix.log.waitingLock': 'waiting for another regdoctor (pid {pid}) to release {lock}…',
  'fix.log.restoredLink': 'restored the symbolic link {path} -> {link}',
  'fix.log.restored': 'restored {path}{link}',
  'fix.log.inLinkTarget': ' (in {target}, through the link)',
  'fix.log.removedCreated': 'removed {path} (regdoctor created it)',
  'fix.log.imageNotRestored': '{image} was removed from the image cache: not restored (the next pull fetches it again)',
  'fix.log.runtimeRestored': 'runtime restarted on the restored configuration',
  'fix.log.warning': 'warning: {message}',
  'fix.log.secretCreated': 'created secret {secretName} (kubernetes.io/dockerconfigjson for {server})',
  'fix.log.saPatched': 'ServiceAccount {sa} imagePullSecrets: {list}',
  'fix.log.saRestored': 'restored ServiceAccount {sa} imagePullSecrets: {list}',
  'fix.log.secretGone': 'secret {secretName} is already gone',
  'fix.log.secretDeleted': 'deleted secret {secretName} (regdoctor created it)',
  'fix.err.cannotRead': 'cannot read {path}: {error}',
  'fix.err.inFile': '{path}: {error}',
  'fix.err.cannotFollow': 'cannot follow {path}: {error}',
  'fix.err.notRegular': '{path} is not a regular file ({what}); nothing was changed',
  'fix.err.aDirectory': 'a directory',
  'fix.err.aSpecialFile': 'a special file',
  'fix.err.noServiceManager': 'neither systemctl nor service found: restart the runtime with your service manager, or pass --restart-cmd',
  'fix.err.restartFailed': 'restart failed (exit {code}): {output}',
  'fix.err.reloadFailed': 'reload failed (exit {code}): {output}',
  'fix.err.notBack': '{service} did not come back on its socket in time',
  'fix.err.interrupted': 'interrupted',
  'fix.err.changedSincePlan': '{path} changed since the plan was shown',
  'fix.err.noCriEndpoint': 'cannot remove {image}: no CRI endpoint to talk to',
  'fix.err.removeImageFailed': 'removing the cached image {image} failed: {error}',
  'fix.err.unknownError': 'unknown error',
  'fix.err.commandFailed': '{command} failed (exit {code}): {output}',
  'fix.err.rolledBack': '{error}; nothing is left applied: every earlier step was rolled back{left} (journal {id})',
  'fix.err.leftDiffer': '; these differ from before: {differences}',
  'fix.err.leftAsWas': '; the node is as it was',
  'fix.err.rollbackFailedToo':
    '{error}; the automatic rollback failed too: {rollbackError} — after fixing the cause run: {command} (journal {id})',
  'fix.err.cannotLock': 'cannot lock {dir}: {error}',
  'fix.err.locked': 'another regdoctor {what} (pid {pid}, since {since}) holds the lock {lock}: wait for it to finish and run again',
  'fix.err.journalUnreadable': 'journal {file} is unreadable: {error}',
  'fix.err.noJournals': 'no journal in {dir}: nothing to roll back',
  'fix.err.noJournal': 'no journal {id} in {dir}',
  'fix.err.allRolledBack': 'every journal in {dir} is already rolled back',
  'fix.err.alreadyRolledBack': 'journal {id} is already rolled back',
  'fix.err.newerJournal':
    'journal {newer} (newer, {status}) also changed {files}; rolling back {id} now would silently undo it too — roll back {newer} first (or use --force)',
  'fix.err.linkGone': '{path} is no longer a symbolic link since regdoctor wrote it; refusing to roll back over that (use --force)',
  'fix.err.linkChanged': '{path} is now a symbolic link to {link} since regdoctor wrote it; refusing to roll back over that (use --force)',
  'fix.err.changedSinceWritten': '{path} changed since regdoctor wrote it; refusing to roll back over that (use --force)',
  'fix.err.backupDamaged': 'backup {backup} is damaged (checksum mismatch); {path} left as is',
  'fix.err.noKubectl': 'kubectl is not installed: the cluster change cannot be made',
  'fix.err.notJson': '{command} did not print JSON',
  'fix.err.saChangedSincePlan':
    'ServiceAccount {sa} changed since the plan was shown (imagePullSecrets now {now}, planned against {planned})',
  'fix.err.saChangedSincePatch':
    'ServiceAccount {sa} changed since regdoctor patched it (imagePullSecrets now {now}); refusing to roll back over that (use --force)',
  'fix.err.secretNotOurs': 'secret {secretName} is not the one this fix created; refusing to delete it',
  // what a rollback could not restore exactly (differencesFromBefore)
  'fix.diff.nowLink': '{path} is now a symbolic link ({link})',
  'fix.diff.noLongerLink': '{path} is no longer the symbolic link to {link}{now}',
  'fix.diff.nowTo': ' (now to {link})',
  'fix.diff.stillExists': '{path} still exists',
  'fix.diff.missing': '{path} is missing',
  'fix.diff.differs': '{path} differs from its backup',
  'fix.diff.mode': '{path} has mode {mode}, was {was}',
  'fix.diff.owner': '{path} is owned by {owner}, was {was}',
  'fix.diff.dirStill': '{dir} (a directory regdoctor created) is still there',
  'fix.diff.ran': 'the fix ran `{command}`: what that command changed is not tracked and was not undone',
  'fix.diff.secretNotOurs': 'secret {secretName} is not the one this fix created: left alone',
} as const;
export type FixKey = keyof typeof FIX_EN;
