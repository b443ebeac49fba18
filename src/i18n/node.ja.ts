// 日本語: node-side findings and views (checks/, src/facts, src/runtime, src/kube scan/nodes, nodes/audit views and exports) (node.en.ts is the source; every key, same placeholders).
import type { NodeKey } from './node.en.js';

export const NODE_JA: Record<NodeKey, string> = {
  'node.list.semi': '{a}；{b}',
  'node.list.then': '{a}、次に {b}',
  'node.hosts.unknownKey':
    '{file}: `{key}`{inTable} は hosts.toml のキーではありません。containerd {version} は黙って無視します{intended}。',
  'node.hosts.inTable': '（[{table}] 内）',
  'node.hosts.intendedKey': '。hosts.toml のキーは `{intended}` です{note}',
  'node.hosts.configTomlSpelling': '（`insecure_skip_verify` は config.toml での綴りです）',
  'node.hosts.notParse': 'を解析できません{at}: {why}',
  'node.hosts.atLine': '（{line} 行 {column} 列）',
  'node.hosts.unusable': 'は使用できません: {why}',
  'node.hosts.noDecode': 'は containerd {version} ではデコードされません: {problem}{note}',
  'node.hosts.noDecode.hostTree':
    '（containerd 1.x は [host."…"] テーブルが 1 つ以上ある hosts.toml だけをデコードします。ルートレベルの設定だけでは読まれません）',
  'node.hosts.ignored': '{file} {why}。{fallback}。',
  'node.hosts.fallback':
    'containerd {version} は "failed to decode hosts.toml" をログに出し（error レベルのみ。CRI には表示されません）、{files} と {url} にフォールバックします',
  'node.hosts.fallback.dockerFiles': '{dir} 内の Docker 形式のファイル（{files}）',
  'node.hosts.fallback.noFiles': '証明書ファイルなし（{dir} に *.crt / *.cert がありません）',
  'node.stray':
    '{file} は containerd {version} が {host} のために決して読まないディレクトリにあります。参照先は {dirs} です{uses}。{action}',
  'node.stray.uses': '（実際には {dir} を使用）',
  'node.stray.merge': '{dir} に統合してください。',
  'node.stray.move': 'ディレクトリを移動してください: {command}',
  'node.certsd.unread.one':
    '{dirs} は存在しますが、[{section}] に `config_path` が設定されていません。containerd {version} は certs.d をまったく読みません。',
  'node.certsd.unread.other':
    '{dirs} は存在しますが、[{section}] に `config_path` が設定されていません。containerd {version} は certs.d をまったく読みません。',
  'node.file.missingFatal':
    '{host} の設定が参照している {file} を読み取れません。containerd はリクエストを送る前に、{host} からのすべてのプルを "{error}" で失敗させます（信頼の問題ではなく、ファイルがありません）。',
  'node.file.unreadable': '{host} の設定が参照している {file} を読み取れません（{why}）。containerd はこのホストの TLS を設定できません。',
  'node.cred.rejected':
    'レジストリは、containerd が {file} の {source} から {host} に送る認証情報を拒否しています。kubelet はこのイメージに認証情報を送らないため containerd は自身のものを使いますが、そこにある{what}が誤っているか古くなっています。{source} で修正して containerd を再起動する（config.toml は起動時にしか読みません）か、そのテーブルを削除して Pod にプルシークレットを与えてください。',
  'node.cred.password': 'ユーザー {user} のパスワード',
  'node.cred.credential': '認証情報',
  'node.alt.fallbackWorks': '{summary} 現在プルが成功するのはこのフォールバックのおかげだけです。',
  'node.alt.sameOutcome': '{summary} 結果は変わりません: これがあってもプルは同じように失敗します。',
  'node.config.otherRuntime': '{runtime} のレジストリ設定: {endpoints}',
  'node.k3s.yamlInvalid': '{file} を解析できません（{why}）。{flavour} はこれからレジストリ設定を生成できません。',
  'node.k3s.notRendered':
    '{flavour} が生成した containerd 設定が {file} と一致しません（{diffs}）。{flavour} はサービス起動時にしか生成しないため、再起動するまでプルは編集後ではなく生成済みの設定を使い続けます。変更を反映するには再起動してください（{restart}）。',
  'node.k3s.diff.ca': '{what} の ca_file: registries.yaml は "{want}"、生成結果は "{got}"',
  'node.k3s.diff.skipVerify': '{what} の insecure_skip_verify: registries.yaml は {want}、生成結果は {got}',
  'node.k3s.diff.client': '{what} のクライアント証明書が生成結果と異なります',
  'node.k3s.diff.rewrite': '{what} の書き換えルールが生成結果と異なります',
  'node.k3s.diff.notRendered': 'registries.yaml は {host} を設定していますが、certs.d/{dir}/hosts.toml は生成されていません',
  'node.k3s.diff.endpointMissing': '{dir} のエンドポイント {endpoint} が certs.d/{dir}/hosts.toml にありません',
  'node.k3s.diff.stale': 'certs.d/{dir}/hosts.toml には、registries.yaml にもうない {uri} が残っています',
  'node.k3s.diff.orphan': 'certs.d/{dir}/hosts.toml は、registries.yaml がもう設定していないレジストリのために生成されたものです',
  'node.table.noVersion':
    'このファイルには `version` がありません（バージョン 1）。[plugins.cri.registry] だけが読まれ、バージョン {other} のテーブル名は黙って無視されます。先頭に `version = {other}` を追加するか、設定を移動してください。',
  'node.table.v3UnderCri':
    'これはバージョン 3 のファイルです。io.containerd.grpc.v1.cri 配下のレジストリテーブルは無視されます（"Ignoring unknown key in TOML for plugin"）。[plugins."io.containerd.cri.v1.images".registry] 配下に置く必要があります。',
  'node.table.wrongName':
    'これはバージョン {version} のファイルです。レジストリテーブルは [{table}] でなければならず、[{other}] は無視されます。',
};
