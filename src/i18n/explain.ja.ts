// 日本語: explain's pattern explanations (explain.en.ts is the source; every key, same placeholders).
import type { ExplainKey } from './explain.en.js';

export const EXPLAIN_JA: Record<ExplainKey, string> = {
  'explain.explanation': '{title}：{why}{note}',
  'explain.unrecognised':
    'regdoctor はこの文言を認識できません。元のメッセージはそのまま残しています。ノード上で `regdoctor diagnose` を実行して実際に診断してください。',
  'explain.note.tokenRealm': '失敗したホスト {host} はレジストリのトークンサービス（"realm"）で、レジストリ本体ではありません。',
  'explain.note.blobStorage':
    '失敗したホスト {host} は、レジストリがレイヤーのダウンロードをリダイレクトする先の blob ストレージで、レジストリではありません。',
  'explain.note.mirror': '失敗したホスト {host} は {registry} 用に設定されたミラーで、{registry} 本体ではありません。',
  'explain.note.proxy': '失敗したホスト {host} は HTTP プロキシです。',
  'explain.tellApart': '見分け方: {how}',
  'explain.role.mirror': 'ミラー',
  'explain.role.token-realm': 'トークンサービス',
  'explain.role.blob-storage': 'blob ストレージ',
  'explain.role.proxy': 'プロキシ',
  'explain.role.dns': 'DNS サーバー',
  'explain.runtime.unknown': '不明なランタイム',
  'explain.why.mirrors-config-path':
    '旧式の mirrors と config_path が両方設定されていると、containerd は CRI プラグインの読み込みを拒否します。',
  'explain.why.configs-tls-config-path':
    'configs.tls と config_path が両方設定されていると、containerd 1.5–1.7 は CRI プラグインの読み込みを拒否します。',
  'explain.why.cri-unknown-service':
    'containerd は応答していますが、CRI プラグインが読み込まれていません（多くは起動時の設定エラーです）。',
  'explain.why.cri-socket-dial':
    'ランタイム自身のソケットまたは API が応答しません。ランタイムが停止している、別のパスで待ち受けている、またはクライアントが別のデーモンに接続しています。レジストリにはまったく接続していません。',
  'explain.why.cimage-registries-toml':
    'containers/image が registries.conf（または registries.conf.d のドロップインファイル）を解析できません。ファイルを直すまで CRI-O と podman はすべての pull を拒否します。メッセージにファイル名と行番号が示されています。',
  'explain.why.cimage-short-name-unresolved':
    'イメージが短縮名（レジストリのホストなし）です。containers/image は短縮名を registries.conf のエイリアス（aliases）と unqualified-search-registries だけで解決し（docker.io には頼りません）、そのどちらも定義されていません。完全修飾名を使うか、unqualified-search-registries にレジストリを追加してください。',
  'explain.why.cimage-short-name-ambiguous':
    'short-name-mode = "enforcing" で unqualified-search のレジストリが複数あり、エイリアスがありません。containers/image はどのレジストリを指すのかを推測しません。完全修飾名を使うか、エイリアスを追加してください。',
  'explain.why.cimage-blocked':
    'registries.conf（またはドロップインファイル）でこのレジストリに `blocked = true` が設定されています。CRI-O と podman は接続する前に、このレジストリからの pull をすべて拒否します。',
  'explain.why.toml-unknown-key':
    'containerd はこの設定バージョンで認識できないキーを無視しています（多くの場合、テーブルが誤ったプラグイン名の下にあります）。',
  'explain.why.proxyconnect':
    '失敗したのはレジストリではなく HTTP(S) プロキシへの接続です（HTTPS_PROXY のホスト、ポート、スキームを確認してください）。',
  'explain.why.proxy-auth': 'プロキシが CONNECT トンネルに認証を要求しています。',
  'explain.why.dns-lookup':
    '名前解決に失敗しました。原因はノードの DNS です（リゾルバーに届かない、名前が存在しない、またはリゾルバーがタイムアウトしている）。メッセージに "timeout" や "connection refused" とあっても同じです。',
  'explain.why.dns-curl': 'レジストリの名前を解決できません。',
  'explain.why.refused': 'そのアドレスとポートで待ち受けているものがありません（またはファイアウォールが接続を拒否しています）。',
  'explain.why.plain-http':
    'レジストリは平文の HTTP で応答していますが、ランタイムは HTTPS を使いました（"oversized record … 20527" は、Go がバイト列 "HTTP/" を TLS レコードとして読んだ結果です）。insecure_skip_verify では変わりません。http:// の server/endpoint にする必要があります。',
  'explain.why.http-to-https':
    'ランタイムが HTTPS しか話さないポートに平文の HTTP で接続しています（"malformed HTTP response \\x15\\x03…" のバイト列は、HTTP として読まれた TLS アラートです）。',
  'explain.why.tls-not-tls':
    'TLS ハンドシェイクそのものが失敗しています（プロトコルや暗号スイートの不一致、または応答しているものがそもそも TLS ではありません）。',
  'explain.why.tls-timeout':
    'TCP 接続は確立しましたが、TLS ハンドシェイクが完了しませんでした（サーバーが止まっている、プロキシ、またはファイアウォール）。',
  'explain.why.sha1': 'チェーン内の証明書が SHA-1（または MD5）で署名されており、Go 1.18 以降はこれを拒否します。',
  'explain.why.not-yet-valid':
    'notBefore が未来の日時です。発行されたばかりの証明書で時計がずれているか、このノードの時計が間違っています。',
  'explain.why.expired':
    '証明書が notAfter を過ぎています。レジストリ自身の証明書が有効なら、ノードのトラストストアまたはバンドルにある同名の古いルート証明書か中間証明書が原因かもしれません。',
  'explain.why.expired-or-not-yet':
    '証明書が有効期間外です（古い Go はどちら側かを示しません）。レジストリ自身の証明書が有効なら、ノードのトラストストアにある古いルート証明書か中間証明書が原因かもしれません。',
  'explain.why.ip-san': 'レジストリに IP アドレスで接続していますが、その証明書に IP SAN がありません。',
  'explain.why.legacy-cn': '証明書はホスト名を Common Name にしか記載していません。Go はこれを無視します。',
  'explain.why.name-mismatch': '証明書に、レジストリへの接続に使っている名前が記載されていません。',
  'explain.why.eku': 'この証明書（またはその上位の CA）は TLS サーバー認証に使えません。',
  'explain.why.client-cert':
    'レジストリが TLS クライアント証明書を拒否したか、クライアント証明書を要求しています（mTLS）。サーバー側のアラートは "remote error" として表示されます。',
  'explain.why.self-signed-openssl': 'レジストリの証明書は自己署名で、信頼されていません。',
  'explain.why.incomplete-openssl': 'サーバーが中間証明書を送っていません。',
  'explain.why.unknown-authority': '証明書チェーンが、ランタイムの信頼する CA で終わっていません。',
  'explain.why.rate-limit': 'レジストリが pull を制限しています（たとえば Docker Hub は匿名の pull を IP ごとに制限します）。',
  'explain.why.platform':
    'イメージにこのノードの OS/アーキテクチャ向けのバリアントがありません（または pull したバリアントが別の CPU 向けです）。',
  'explain.why.exec-format': 'イメージ内のバイナリが別の CPU アーキテクチャ向けにビルドされています。',
  'explain.why.pull-secret-missing':
    'Pod が参照している pull Secret が、その名前空間に存在しません（Secret は名前空間をまたいで共有されません）。',
  'explain.why.ecr-token-expired':
    'Amazon ECR は 12 時間を過ぎたログイントークンを拒否します。認証情報がないのではなく、古くなっています。',
  'explain.why.gar-permission':
    'Artifact Registry が pull した ID（ノードのサービスアカウントまたは pull Secret）を拒否しています。あるいはリポジトリが存在しません（"or it may not exist"）。',
  'explain.why.pull-access-denied':
    'レジストリがアクセスを拒否しました。存在しないリポジトリに対しても、正しい認証情報のないプライベートリポジトリに対しても、レジストリは同じ応答を返します。',
  'explain.why.credentials-rejected':
    '認証情報は送られました（containerd は認証情報があるときだけ OAuth トークンを要求します）が、レジストリのトークンサービスがそれを拒否しました。',
  'explain.why.anonymous-token': 'レジストリは認証情報を必要としていますが、何も送られていません。',
  'explain.why.status-401-403': 'レジストリが、未認証または禁止されたリクエストとして拒否しました。',
  'explain.why.local-content-missing':
    'ランタイム自身のイメージストアから、キャッシュ済みイメージの blob が失われています（io.containerd.content.v1.content/blobs 配下のファイルが消えているのに、containerd はまだ一覧に載せています）。レジストリの問題ではありません。キャッシュ済みイメージを削除して（`crictl rmi <image>` または `regdoctor fix <image>`）、もう一度 pull してください。',
  'explain.why.hosts-toml-decode':
    'containerd が `hosts.toml` を解釈できませんでした（TOML の構文エラー、または [host."…"] テーブルがない）。containerd は error レベルでこの 1 行を記録するだけで、ファイルがないものとして pull を続けます。その CA、クライアント証明書、skip_verify、ミラーは使われません。',
  'explain.why.client-keypair':
    'このレジストリ用に設定されたクライアント証明書または秘密鍵を読み込めません（ファイルの誤り、PEM でない、または証明書と対にならない鍵）。pull はレジストリに接続する前に失敗します。`hosts.toml` の client = [cert, key]（または `config.toml` の configs.tls）を修正してください。',
  'explain.why.proxy-connect-status':
    'HTTPS プロキシがレジストリへのトンネルを拒否しました。プロキシが CONNECT に 200 以外で応答すると、Go はステータス行の文言だけ（`403 Forbidden`、`502 Bad Gateway` など）をエラーとして返します。リクエストはレジストリに届いていません。このホストに対するプロキシの規則を確認するか、ホストを NO_PROXY に追加してください。',
  'explain.why.windows-os-mismatch':
    'この Windows イメージはノードとは別の Windows ビルド向けに作られています。プロセス分離の Windows コンテナーには同じビルド（ltsc2019、ltsc2022 など）が必要です。ノードの Windows バージョンに合ったイメージのタグを使ってください。',
  'explain.why.local-snapshot-missing':
    'ランタイム自身のスナップショットストアが、展開中に親レイヤーのスナップショットを失っています（イメージの前のレイヤーはまだ一覧にあります）。レジストリの問題ではありません。キャッシュ済みイメージを削除して（`crictl rmi <image>`）、もう一度 pull してください。',
  'explain.why.cri-plugin-load':
    'containerd が CRI プラグインを起動できませんでした（続くエラーが理由を示します）。containerd はプラグインなしで動き続けるため、このノードでの kubelet の pull と Pod の起動はすべて `unknown service runtime.v1.ImageService` で失敗します。',
  'explain.why.gar-unauthenticated':
    'Artifact Registry は認証情報をまったく含まない（匿名の）pull リクエストを受け取りましたが、このリポジトリは公開されていません。',
  'explain.why.no-basic-auth':
    'レジストリは Basic 認証を求めましたが、ランタイムはこのホストの認証情報を持っていません（containerd はこれを "no basic auth credentials" と表現します。"pull access denied" の中に含まれていても同じです）。',
  'explain.why.not-found':
    'レジストリにそのリポジトリ、タグ、または blob がありません。あるいは、正しい認証情報のないクライアントからプライベートリポジトリを隠しています。',
  'explain.why.dial-timeout-bare':
    'アドレスが決まる前に接続の試行がタイムアウトしました。Go は、名前解決中または接続中に期限が切れたときにこれを出力します。',
  'explain.why.io-timeout':
    'レジストリが時間内に応答しませんでした。ファイアウォールによるパケットの破棄、誤ったアドレス、またはサーバーの過負荷です。',
  'explain.why.server-error':
    'レジストリ（またはその前段のゲートウェイやプロキシ）がサーバーエラー（5xx）を返しました。このノードの設定が原因ではありません。時間をおいて再試行するか、レジストリ/プロキシのログを確認してください。',
  'explain.why.redirect-limit':
    'ランタイムの HTTP クライアントがたどるリダイレクトは最大 9 回です。レジストリ、プロキシ、またはその前段の blob ストレージが、ループまたは 10 回以上のチェーンでリダイレクトしています。メッセージ内の URL は、サーバーが送った最後の Location そのままです（相対パスのこともあります）。そちら側のリダイレクト設定を直してください。ノード側では変えられません。',
  'explain.why.connection-cut':
    'やり取りの途中で接続が閉じられました（リセットまたは EOF）。不安定なネットワーク、長い転送を切断するプロキシやファイアウォール、レジストリの再起動などで起こります。テキストだけではどれかわかりません。',
  'explain.why.disk-full':
    'レイヤーの展開中にノードのディスク容量（または inode）が尽きました。レジストリの問題ではありません。ランタイムのルートディレクトリ配下の空きを確保してください（`crictl rmi --prune`）。',
  'explain.why.bad-reference':
    'イメージ参照そのものの形式が不正です（大文字、https:// などのスキーム、空の変数など）。レジストリには接続していません。',
  'explain.why.pull-canceled':
    'pull が完了前に取り消されました（kubelet が進捗の期限を過ぎてあきらめたか、クライアントが中断しました）。原因は pull を遅くしたものにあります。',
  'explain.why.html-answer':
    'レジストリ API ではなく HTML ページが返されました。多くはプロキシ、キャプティブポータル、または誤ったエンドポイントです。',
  'explain.why.signature':
    'イメージの署名またはマニフェストのスキーマが、クライアントの信頼ポリシーで拒否されています。接続や認証情報の問題ではありません。',
  'explain.tell.refused':
    'アドレスがレジストリのものでなければ、ノードの設定にあるプロキシかミラーです。{diagnose} で実際に使われたエンドポイントがわかります',
  'explain.tell.tls-not-tls':
    'TLS 以外のもの（別のサーバーの平文 HTTP、プロキシなど）が応答するポートでも同じエラーになります。{diagnose} でポートを調べられます',
  'explain.tell.tls-timeout': 'TLS を通さないプロキシやファイアウォールでも同じように見えます。{diagnose} はレジストリに直接接続を試します',
  'explain.tell.expired-or-not-yet':
    'ノードの時計（`date -u`）を、メッセージ内の日時または `openssl s_client -connect <host>:<port> | openssl x509 -noout -dates` の日時と比べてください',
  'explain.tell.name-mismatch':
    '記載されている名前がレジストリではなく自社やゲートウェイのものなら、プロキシが TLS を傍受しています。{diagnose} で証明書チェーンを確認できます',
  'explain.tell.unknown-authority':
    '{diagnose} は証明書チェーンを取得し、プライベート CA、自己署名証明書、中間証明書の欠落、プロキシの証明書のどれなのかを判定します',
  'explain.tell.ecr-token-expired':
    '`aws ecr get-login-password`（または認証ヘルパー / kubelet の認証プロバイダー）で更新してから、もう一度 pull してください',
  'explain.tell.gar-permission':
    'リポジトリのパスが存在するか確認し（`gcloud artifacts repositories list`）、pull する ID に roles/artifactregistry.reader を付与してください',
  'explain.tell.pull-access-denied':
    'まずイメージ名とタグを確認し、次に Pod の認証情報で {diagnose} を実行してください。名前と認証情報を別々に確認します',
  'explain.tell.credentials-rejected':
    '同じユーザーで手動ログインしてください（`crictl pull --creds` または `docker login`）。成功するなら、ノードまたは Pod は別の認証情報を使っています。{diagnose} でどれなのかがわかります',
  'explain.tell.anonymous-token':
    'Pod に imagePullSecret があるなら、そのレジストリのキーがイメージのホストとポートに正確には一致していません（その場合 kubelet は何も送りません）。`regdoctor diagnose pod/<name>` で一致を確認できます',
  'explain.tell.no-basic-auth':
    'Pod に imagePullSecret がある場合、そのレジストリのキーがイメージのホストとポートに正確に一致していません（そのとき kubelet は何も送りません）。`regdoctor diagnose pod/<name>` が一致を確認します',
  'explain.tell.status-401-403':
    '認証情報なし、誤った認証情報、そして（多くの場合）存在しないリポジトリに対して、レジストリは同じ応答を返します。Pod の認証情報で {diagnose} を実行すると区別できます',
  'explain.tell.not-found':
    'タグを一覧してください（`crane ls <repo>` またはレジストリの UI）。タグが存在するなら、Pod の認証情報で {diagnose} を実行してください',
  'explain.tell.dial-timeout-bare': 'ノードで `getent hosts <registry host>` を実行してください。応答が返らないなら DNS が原因です',
  'explain.tell.io-timeout':
    'ノードがプロキシを使う必要があるなら、ランタイムに HTTPS_PROXY が設定されていません。{diagnose} はランタイムが使う経路で試します',
  'explain.tell.server-error':
    'ノードがプロキシを使っているなら、プロキシなしで一度 pull してください。502/504 はたいていプロキシかロードバランサーから返されます',
  'explain.tell.redirect-limit': '{diagnose} は containerd と同じようにチェーンをたどり、各ホップを表示します',
  'explain.tell.connection-cut':
    '`journalctl -u containerd` を見ながらもう一度 pull してください。毎回同じところで失敗するなら {diagnose} を実行してください',
};
