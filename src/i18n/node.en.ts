// English source for node-side findings and views (checks/, src/facts, src/runtime, src/kube scan/nodes, nodes/audit views and exports).
// Merged into the catalogue by one spread in en.ts; node.zh-CN.ts and node.ja.ts are typed by these keys, so a
// missing translation does not compile (test/i18n/catalogue.test.ts checks placeholders and kept terms).
// Fragments (keys whose text starts with a space or a period) are filled into a sentence as a Message param, so
// each language orders them itself; lists of phrases are joined with node.list.* (src/i18n/node-join.ts).
export const NODE_EN = {
  // --- lists of phrases ------------------------------------------------------------------------------------------
  'node.list.semi': '{a}; {b}',
  'node.list.then': '{a}, then {b}',
  // --- hosts.toml (src/runtime/containerd-config.ts) ---------------------------------------------------------------
  'node.hosts.unknownKey': '{file}: `{key}`{inTable} is not a hosts.toml key: containerd {version} silently ignores it{intended}.',
  'node.hosts.inTable': ' in [{table}]',
  'node.hosts.intendedKey': '. The hosts.toml key is `{intended}`{note}',
  'node.hosts.configTomlSpelling': ' (`insecure_skip_verify` is the config.toml spelling)',
  'node.hosts.notParse': 'does not parse{at}: {why}',
  'node.hosts.atLine': ' (line {line}, column {column})',
  'node.hosts.unusable': 'cannot be used: {why}',
  'node.hosts.noDecode': 'does not decode on containerd {version}: {problem}{note}',
  'node.hosts.noDecode.hostTree':
    ' (containerd 1.x decodes a hosts.toml only when it has at least one [host."…"] table; root-level settings alone are never read)',
  'node.hosts.ignored': '{file} {why}. {fallback}.',
  'node.hosts.fallback':
    'containerd {version} logs "failed to decode hosts.toml" (error level only; CRI never shows it) and falls back to {files} and {url}',
  'node.hosts.fallback.dockerFiles': 'the Docker-style files in {dir} ({files})',
  'node.hosts.fallback.noFiles': 'no certificate files ({dir} has no *.crt / *.cert)',
  'node.stray': '{file} is in a directory containerd {version} never reads for {host}: it looks in {dirs}{uses}. {action}',
  'node.stray.uses': ' (and uses {dir})',
  'node.stray.merge': 'Merge it into {dir}.',
  'node.stray.move': 'Move the directory: {command}',
  'node.certsd.unread.one':
    '{dirs} exists, but `config_path` is not set in [{section}]: containerd {version} does not read certs.d at all.',
  'node.certsd.unread.other':
    '{dirs} exist, but `config_path` is not set in [{section}]: containerd {version} does not read certs.d at all.',
  'node.file.missingFatal':
    '{file}, referenced by the configuration for {host}, cannot be read: containerd fails every pull from {host} with "{error}" before it sends a request (it is not a trust problem: the file is missing).',
  'node.file.unreadable':
    '{file}, referenced by the configuration for {host}, cannot be read ({why}): containerd fails to set up TLS for this host.',
  'node.cred.rejected':
    'The registry rejects the credential containerd sends for {host} from {source} in {file}: kubelet sends no credential for this image, so containerd uses its own, and the {what} there is wrong or stale. Correct it in {source} and restart containerd (it reads config.toml only at start), or remove that table and give the pod a pull secret.',
  'node.cred.password': 'password for user {user}',
  'node.cred.credential': 'credential',
  // --- checks/containerd-config.ts --------------------------------------------------------------------------------
  'node.alt.fallbackWorks': '{summary} Pulls work today only through this fallback.',
  'node.alt.sameOutcome': '{summary} It does not change the outcome: the pull fails the same way with it.',
  'node.config.otherRuntime': '{runtime} registry configuration: {endpoints}',
  // --- k3s / RKE2 (src/runtime/k3s.ts, k3s-node.ts) ----------------------------------------------------------------
  'node.k3s.yamlInvalid': '{file} does not parse ({why}): {flavour} cannot render the registry configuration from it.',
  'node.k3s.notRendered':
    'The containerd configuration {flavour} rendered does not match {file} ({diffs}): {flavour} renders it only when the service starts, so pulls keep using the rendered settings, not the edited ones, until it restarts. Restart it ({restart}) for the change to apply.',
  'node.k3s.diff.ca': 'ca_file for {what}: registries.yaml "{want}", rendered "{got}"',
  'node.k3s.diff.skipVerify': 'insecure_skip_verify for {what}: registries.yaml {want}, rendered {got}',
  'node.k3s.diff.client': 'client certificate for {what} differs from the rendered one',
  'node.k3s.diff.rewrite': 'rewrite rules for {what} differ from the rendered ones',
  'node.k3s.diff.notRendered': 'registries.yaml configures {host}, but certs.d/{dir}/hosts.toml was not rendered',
  'node.k3s.diff.endpointMissing': 'endpoint {endpoint} of {dir} is missing from certs.d/{dir}/hosts.toml',
  'node.k3s.diff.stale': 'certs.d/{dir}/hosts.toml still lists {uri}, which registries.yaml no longer has',
  'node.k3s.diff.orphan': 'certs.d/{dir}/hosts.toml was generated for a registry that registries.yaml no longer configures',
  // --- config.toml registry tables read or ignored (src/runtime/containerd-config.ts registrySection) ---------------
  'node.table.noVersion':
    'this file has no `version` (version 1): only [plugins.cri.registry] is read; the version {other} table name is silently ignored. Add `version = {other}` at the top, or move the settings.',
  'node.table.v3UnderCri':
    'this is a version 3 file: a registry table under io.containerd.grpc.v1.cri is ignored ("Ignoring unknown key in TOML for plugin"); it belongs under [plugins."io.containerd.cri.v1.images".registry].',
  'node.table.wrongName': 'this is a version {version} file: the registry table must be [{table}]; [{other}] is ignored.',
  // --- regdoctor audit: text, exports (src/ui/audit-text.ts, audit-view.tsx, src/report/audit-export.ts) ---------
  'node.audit.head.one': 'node {node}{root}: {n} configured registry, {parallel} at a time, bound {bound}',
  'node.audit.head.other': 'node {node}{root}: {n} configured registries, {parallel} at a time, bound {bound}',
  'node.audit.filesUnder': ' (files under {root})',
  'node.audit.notDiagnosed': 'not diagnosed',
  'node.audit.notDiagnosedState': 'not diagnosed ({state})',
  'node.audit.tally.one':
    '{n} registry: {healthy} healthy, {warnings} with warnings, {problems} with problems, {notDiagnosed} not diagnosed',
  'node.audit.tally.other':
    '{n} registries: {healthy} healthy, {warnings} with warnings, {problems} with problems, {notDiagnosed} not diagnosed',
  'node.audit.incomplete': ' (incomplete: the time bound or an interrupt stopped it)',
  'node.audit.harden': 'harden: {command}',
  'node.audit.fix': 'fix: {command}',
  'node.audit.configured': 'configured: {sources}',
  'node.audit.warningsLine': 'warnings: {codes}',
  'node.audit.note': 'note: {note}',
  'node.audit.title': 'regdoctor audit: {node}',
  'node.audit.hardenHeading': 'Harden:',
  'node.audit.notes': 'Notes:',
  'node.audit.col.host': 'host',
  'node.audit.col.verdict': 'verdict',
  'node.audit.col.warnings': 'warnings',
  'node.audit.col.expiry': 'expiry',
  'node.audit.col.configured': 'configured',
  'node.audit.source.certs-dir': 'certs.d files',
  'node.audit.source.legacy-mirror': 'legacy mirrors',
  'node.audit.source.legacy-config': 'legacy configs',
  'node.audit.source.legacy-auths': 'legacy auths',
  'node.audit.source.auth-file': 'node auth file',
  'node.audit.source.cluster': 'running pods',
  'node.export.generated': 'Generated {at} by regdoctor {version}.',
  // --- regdoctor nodes: text, view, exports (src/ui/nodes-view.tsx, src/kube/nodes-matrix.ts, src/report/export.ts) -
  'node.nodes.title': 'regdoctor nodes: {target}',
  'node.nodes.count': '{nodes}, {groups}',
  'node.nodes.nodes.one': '{n} node',
  'node.nodes.nodes.other': '{n} nodes',
  'node.nodes.groups.one': '{n} group',
  'node.nodes.groups.other': '{n} groups',
  'node.nodes.groupHeading': '{n} of {total}: {code}',
  'node.nodes.headline': '{n} of {nodes}: {code}{summary}',
  'node.nodes.predicted': 'Predicted runtime error:',
  'node.nodes.registryConfig': 'Registry configuration {digest}:',
  'node.nodes.configuration': 'configuration',
  'node.nodes.nodeList': 'Nodes: {nodes}',
  'node.nodes.nodeListLower': 'nodes: {nodes}',
  'node.nodes.col.node': 'node',
  'node.nodes.col.outcome': 'outcome',
  'node.nodes.col.summary': 'summary',
  'node.nodes.registryConfigLine': 'registry config {digest}',
  'node.nodes.healthyHave': '(the {n} healthy have this)',
  'node.nodes.fixPlan.one': 'Fix plan for the {n} {code} node (shown only; nothing was changed): {summary}',
  'node.nodes.fixPlan.other': 'Fix plan for the {n} {code} nodes (shown only; nothing was changed): {summary}',
  'node.nodes.filesNeeded': 'files each node needs: {files}',
  'node.nodes.journaled':
    "on each node, regdoctor's journaled fix (it prints its journal id there; {rollback} run the same way undoes it):",
  'node.nodes.progress': '{done} of {total} nodes done ({running} running)',
  'node.nodes.staleCause': '{summary} (the pull fails meanwhile: {code})',
  'node.nodes.notFound': 'no node named {node}{selector}',
  'node.nodes.notFoundSelector': ' matches {selector}',
  'node.fleet.restart': 'the files on these nodes are already right: restart containerd so it loads them',
  'node.fleet.trustCa': 'trust the CA the {n} healthy node(s) trust ({file} on {donor}) the same way on these nodes',
  'node.nodes.podCreate': 'cannot create pod {pod}: {why}',
  'node.nodes.interrupted': 'interrupted before the node answered',
  'node.nodes.podTimeout': 'pod {pod} did not finish within {ms} ms ({why})',
  'node.nodes.noStatus': 'no status',
  'node.nodes.podFailed': 'pod {pod} ended (exit {exit}) without a report: {why}',
  'node.nodes.phase.starting': 'starting',
  'node.nodes.phase.listing': 'removing leftovers of earlier runs, listing nodes',
  'node.nodes.phase.diagnosing': 'diagnosing',
  'node.export.sentence': '{text}.',
  // --- regdoctor scan (src/kube/scan.ts) ----------------------------------------------------------------------------
  'node.scan.fixRecreate': '{title}, then recreate the pods (pull secrets are read at pod creation).',
  'node.scan.fixSentence': '{title}.',
  'node.scan.invalidName': 'The image reference does not parse (InvalidImageName).',
  'node.scan.invalidName.fix': 'Fix the image reference in the pod spec.',
  'node.scan.neverPull': 'imagePullPolicy is Never and the image is not on the node.',
  'node.scan.neverPull.fix': 'Load the image onto the node or change imagePullPolicy.',
  'node.scan.createSecret': 'Create pull secret {secrets} in namespace {namespace}.',
  'node.scan.eventsUnreadable': 'events not readable ({why}): causes come from pod statuses only',
  'node.scan.skippedPods.one': '{n} pod over the {bytes}-byte list item limit was skipped{examples}: their containers are not checked',
  'node.scan.skippedPods.other': '{n} pods over the {bytes}-byte list item limit were skipped{examples}: their containers are not checked',
  'node.scan.skippedEvents.one': '{n} event over the {bytes}-byte list item limit was skipped{examples}: their messages are not used',
  'node.scan.skippedEvents.other': '{n} events over the {bytes}-byte list item limit were skipped{examples}: their messages are not used',
  'node.scan.examples': ' (e.g. {names})',
  'node.list.and': '{a} and {b}',
  // --- checks/auth-files.ts ---------------------------------------------------------------------------------------
  'node.auth.invalidJson': '{file} is not valid JSON ({why}); kubelet skips it.',
  'node.auth.helpersIgnored':
    '{file} uses {helpers}: kubelet reads only "auths" — credential helpers are not run for image pulls (use a kubelet credential provider plugin instead).',
  'node.auth.nearMiss': '{file} has credentials for {keys}, but kubelet uses none of them for {image}: {why}.',
  'node.auth.nearMiss.port': 'the port must match exactly (no port in the key means no port in the image)',
  'node.auth.nearMiss.path': 'the key path is not a prefix of the image path',
  // --- checks/cri-pull.ts -----------------------------------------------------------------------------------------
  'node.cri.crictlOk': 'pulled with crictl',
  'node.cri.crictlFailed': 'crictl pull failed: {error}',
  'node.cri.realPullFails': 'The real pull fails{cause}: {error}',
  'node.cri.cause': ' ({explanation})',
  'node.cri.notOnNode': 'not on a node: {error}',
  'node.cri.noAnswer': 'the runtime does not answer on CRI: {error}',
  'node.cri.pluginNotLoaded':
    'containerd runs but its CRI plugin is not loaded ("unknown service runtime.v1..."): a configuration error made it refuse the CRI plugin, so kubelet cannot pull anything. See containerd\'s log for "failed to load plugin io.containerd.grpc.v1.cri".',
  'node.cri.socketSilent': 'The CRI socket does not answer ({error}).',
  'node.cri.pulled': 'pulled {image} in {ms} ms',
  'node.cri.pullFailed': 'pull failed: {error}',
  // --- checks/crio-config.ts --------------------------------------------------------------------------------------
  'node.crio.shortName':
    '{image} is a short name: CRI-O resolves it through unqualified-search-registries (not docker.io), and none are defined.',
  'node.crio.summary': 'CRI-O {version}{assumed}: {entry}; certificates {certs}',
  'node.crio.assumed': ' (assumed)',
  'node.crio.noEntry': 'no [[registry]] entry',
  'node.crio.noCerts': 'none',
  // --- checks/endpoint-walk.ts -----------------------------------------------------------------------------------
  'node.walk.maskedSame':
    '{image} does not exist on {registry}: the registry answered 404 through the {table} entry. containerd then tried the `server` entry of the same hosts.toml, which has none of that table\'s TLS settings, so the pull fails with its error ({error}) instead of "not found". Check the tag; and put ca/client/skip_verify at the top level of hosts.toml (they apply to `server`) so that a missing tag reads as "not found".',
  'node.walk.maskedOther':
    '{image} does not exist on {registry}: the registry answered 404 ({url}). containerd reports the error of {errUrl} ({source}), tried before it, instead ({error}). Check the tag; and fix or remove that host: it also costs every pull a failed attempt.',
  'node.walk.tableOnly':
    '{file} repeats the registry as a {table} table with TLS settings; containerd also tries the `server` entry afterwards without them. Pulls of existing images work; a missing tag would read as that entry\'s TLS error instead of "not found" (regdoctor reports it as not-found). Putting ca/client/skip_verify at the top level of hosts.toml as well (they apply to `server`) makes containerd\'s own error say "not found".',
  // --- checks/pull-secrets.ts ------------------------------------------------------------------------------------
  'node.secrets.cannotRead': 'cannot read {what}: {why}',
  'node.secrets.cannotReadFinding': 'Cannot read {what}: {why}.',
  'node.secrets.currentNamespace': 'the current namespace',
  'node.secrets.pod': 'pod {name}',
  'node.secrets.serviceAccount': 'ServiceAccount {name}',
  'node.secrets.anonymous': '{summary} (The registry serves this image without credentials, so this does not block the pull.)',
  'node.secrets.accepted': 'pull secret {secret} (entry "{key}") is accepted by {registry}',
  'node.secrets.matching.one': '{n} matching pull secret entry{verified}',
  'node.secrets.matching.other': '{n} matching pull secret entries{verified}',
  'node.secrets.notVerified': ', not verified',
  'node.secrets.noEntry': 'no pull secret entry for {registry}',
  'node.secrets.none': 'no pull secrets',
  // --- checks/runtime-drift.ts -----------------------------------------------------------------------------------
  'node.drift.restart': 'Restart {what} ({command})',
  'node.drift.restartLower': 'restart {what} ({command})',
  'node.drift.changed': '{head}: {what} {restart} for the change to apply.',
  'node.drift.changedHead': '{file} changed at {time}, after containerd started ({started})',
  'node.drift.configAtStart': 'containerd reads config.toml only when it starts.',
  'node.drift.bundleOnce': 'Go loads the system CA bundle once per process, so a CA added since is not trusted yet.',
  'node.drift.diff': '{table}: file {file} vs loaded {loaded}',
  'node.drift.current': 'the running runtime has the current configuration',
} as const;
export type NodeKey = keyof typeof NODE_EN;
