// 日本語: probe reasons, reference-parse explanations, certificate fault details (probe.en.ts is the source).
import type { ProbeKey } from './probe.en.js';

export const PROBE_JA: Record<ProbeKey, string> = {
  'probe.addr.metadataRange': '{address}（リンクローカル。クラウドのメタデータ用アドレス範囲）',
  'probe.addr.unspecified': '{address}（未指定アドレス）',
  'probe.addr.multicast': '{address}（マルチキャストアドレス）',
  'probe.addr.broadcast': '{address}（ブロードキャストアドレス）',
  'probe.addr.linkLocal': '{address}（リンクローカルアドレス）',
  'probe.addr.metadata': '{address}（クラウドのメタデータアドレス）',
  'probe.policy.endpointNotUrl': 'エンドポイント {url} は URL ではありません',
  'probe.policy.endpointScheme': 'エンドポイントのスキーム {scheme} は http でも https でもありません',
  'probe.policy.notChecked':
    '{host} の証明書を containerd と同じ方法で検証できませんでした（再現できる完了済みの TLS ハンドシェイクがありません）',
  'probe.policy.unverified':
    '{host} の証明書はランタイムの信頼ストアでの検証に失敗します（{error}）。containerd はハンドシェイクで止まり、そこへ認証情報を送ることはありません',
  'probe.policy.notTrusted': '信頼されていません',
  'probe.policy.realmUnrequestable': 'トークン realm {url} にはリクエストできません（{error}）。containerd もそこで失敗し、何も送りません',
  'probe.policy.realmAddress': 'トークン realm {host} の名前解決先は {why} です。regdoctor はそこへ認証情報を決して送りません',
  'probe.policy.realmPlainHttp':
    'トークン realm {origin} は {host} とは別のホストの平文 HTTP で、ランタイムの設定には記載されていません。containerd はそこへ認証情報を平文で送りますが、regdoctor は送りません',
  'probe.policy.realmNotChecked': 'トークン realm {host} の証明書を containerd と同じ方法で検証できませんでした',
  'probe.policy.realmSkipVerify':
    'トークン realm {host} の証明書は検証に失敗します（{error}）。containerd はレジストリの skip_verify をそこにも適用して認証情報を送りますが、regdoctor は設定に記載のないホストへは送りません',
  'probe.policy.realmUnverified':
    'トークン realm {host} の証明書はランタイムの信頼ストアでの検証に失敗します（{error}）。containerd はそのハンドシェイクで止まり、そこへ認証情報を送ることはありません',
  'probe.policy.realmNotExamined': 'トークン realm {host} は調べていません',
  'probe.policy.redirect':
    '{what} が {status} で {location} へリダイレクトしました。regdoctor は認証情報を付けたままリダイレクトをたどりません',
  'probe.policy.tlsNotVerified': '{host} への TLS 接続は検証に失敗しました（{error}）',
  'probe.what.tokenRealm': 'トークン realm {host}',
  'probe.what.tokenService': 'トークンサービス {host}',
  'probe.failed': '失敗',
  'probe.timeout': 'タイムアウト',
  'probe.tcp.noAddressSummary': '{host} の名前解決で使用できるアドレスが得られませんでした',
  'probe.tcp.noAddress': '{host} の名前解決で使用できるアドレスが得られませんでした。',
  'probe.tcp.cannotConnect': '{where} に接続できません: {why}',
  'probe.tcp.unreachable': 'このノードから {where} に到達できません（{why}）。',
  'probe.proxy.unreachableSummary': 'プロキシ {proxy} に到達できません: {why}',
  'probe.proxy.unreachable':
    'ランタイムはレジストリへの通信をプロキシ {proxy} 経由で送りますが、このノードからそのプロキシに到達できません（{why}）。',
  'probe.proxy.through': 'プロキシ {proxy} 経由（{ms} ms で接続）',
  'probe.proxy.note':
    'レジストリへの通信はプロキシ {proxy} を経由します。エラーはプロキシが返している可能性があり、TLS を検査するプロキシは自身の証明書を提示します。',
  'probe.tls.tunnelRefusedSummary': 'プロキシが {where} へのトンネルを拒否しました: {why}',
  'probe.tls.tunnelRefused':
    'このノードの前段にあるプロキシが {where} へのトンネルを開くことを拒否しています（{why}）。プロキシ認証、許可リスト、または NO_PROXY で迂回すべきプロキシが原因です。',
  'probe.tls.noHandshakeSummary': '{where} との TLS ハンドシェイクが完了しません: {why}',
  'probe.tls.noHandshake':
    '{where} は TCP 接続を受け付けますが、TLS ハンドシェイクを完了しません（サーバーの停止状態、または通信を握りつぶすプロキシやファイアウォール）。',
  'probe.tls.refusedSummary': 'TLS の調査中に {where} への接続が拒否されました',
  'probe.tls.refused': '{where} が接続を拒否しました。',
  'probe.tls.notTls': '{where} はこのポートで TLS も HTTP も話しません。',
  'probe.tls.brokenOff': '{where} が TLS ハンドシェイクを途中で打ち切りました（{why}）。',
  'probe.tls.clientRejectedSummary': '{where} がクライアント証明書を拒否しました（{alert}）',
  'probe.tls.clientRejected':
    '{where} は設定されたクライアント証明書を拒否します（{alert}）。レジストリが受け入れる CA の発行ではない、期限切れ、またはクライアント認証に使えない証明書です。',
  'probe.tls.clientMissing': '{where} は TLS クライアント証明書を要求しますが、ランタイムにはそのホスト用の証明書が設定されていません。',
  'probe.tls.abortedSummary': '{where} が TLS ハンドシェイクを中止しました: {alert}',
  'probe.tls.noCommonGo':
    '{where} はランタイムの Go TLS クライアント（{go}）と同じ提案を受けると "{alert}" で TLS ハンドシェイクを中止します。サーバーとの間に共通のプロトコルバージョン、暗号スイート、曲線、署名方式がひとつもありません（Go が提案するのは {offer}）。そのいずれかをレジストリで有効にしてください。',
  'probe.tls.goOffer': 'TLS {min}–{max}、鍵交換は ECDHE のみ（DHE は使わない）、曲線 {curves}',
  'probe.tls.goOfferRsa': 'TLS {min}–{max}、鍵交換は ECDHE と RSA のみ（DHE は使わない）、曲線 {curves}',
  'probe.tls.aborted':
    '{where} は "{alert}" で TLS ハンドシェイクを中止します（共通のプロトコルバージョンや暗号スイートがない、またはサーバー側の TLS ポリシー）。',
  'probe.tls.bigChainSummary':
    '{where} が {n} バイトの証明書メッセージを送ってきます。{go} の TLS クライアントが受け入れる上限（{limit}）を超えています',
  'probe.tls.bigChain':
    '{where} は {count} 枚の証明書からなるチェーンを送ります（{protocol} の Certificate メッセージで {n} バイト）。ランタイムの Go TLS クライアント（{go}）は最大 {limit} バイトしか受け入れず、ハンドシェイクを終了します。リーフ証明書と中間証明書だけを送ってください。',
  'probe.http.tlsFirst': '{host} は TLS を話します。containerd はこのエンドポイントでまず HTTPS を試します',
  'probe.http.httpsOnlySummary': '{host} は HTTPS を話しますが、ランタイムは平文 HTTP を使うよう設定されています',
  'probe.http.httpsOnly':
    'containerd は http://{host} を使うよう設定されていますが、そのポートは HTTPS しか話しません。レジストリは "400 Bad Request: Client sent an HTTP request to an HTTPS server" と応答します。',
  'probe.http.plainOk': '{host} は設定どおり平文 HTTP を使っています（調べる TLS はありません）',
  'probe.manifest.platform': '{ref} は存在しますが、linux/{arch} 用のイメージがありません。提供されているのは {list} です。',
  'probe.manifest.rateLimited':
    'レジストリがプルを制限しています（429 Too Many Requests）{remaining}{retry}。認証する、ミラーを使う、またはプルの頻度を下げてください。',
  'probe.manifest.remaining': '。残り: {n}',
  'probe.manifest.retryAfter': '。{s} 秒後に再試行',
  'probe.manifest.status': 'レジストリはマニフェストに対して HTTP {status} {statusText} を返します。',
  'probe.redirect.loop':
    'レジストリがマニフェストのリクエストをループでリダイレクトしています（{n} 回のリダイレクトを確認）。containerd の HTTP クライアントは 10 回のリダイレクトで停止し、プルは失敗します。レジストリ（またはそのプロキシ）のリダイレクト設定を直してください。',
  'probe.redirect.tooMany':
    'マニフェストのリクエストが {n} 回リダイレクトされます。containerd の HTTP クライアントがたどるのは最大 9 回までで、10 回目で停止してプルが失敗します。リダイレクトの連鎖を短くしてください（レジストリ、プロキシ、ストレージの設定）。',
  'probe.verify.noCertificates': 'サーバーは証明書のやり取りをまったく行いませんでした。',
  'probe.verify.criticalExtension': 'Go が解釈できないクリティカル拡張: {oids}。',
  'probe.verify.tangled': '提示されたチェーンが大きすぎるか複雑すぎるため、Go はチェーンの構築をあきらめます。',
  'probe.verify.caExpired':
    'CA 証明書 {subject}（{from} – {to}）は期限切れです。サーバーが古い中間証明書を送っているか、ノードの信頼ストアに同じ名前の古いルート証明書があります。',
  'probe.verify.caNotYetValid':
    'CA 証明書 {subject}（{from} – {to}）はまだ有効になっていません。サーバーが古い中間証明書を送っているか、ノードの信頼ストアに同じ名前の古いルート証明書があります。',
  'probe.verify.caUnusable': 'CA 証明書 {subject} はチェーンの構築に使えません: {error}。',
  'probe.verify.disabled': '{host} の証明書検証は無効です（skip_verify = true）',
  'probe.chain.unparsableSummary': '{host} からの証明書 #{index} を解析できません',
  'probe.chain.unparsable': 'レジストリが解析できない証明書を送ってきました（#{index}）: {error}。',
  'probe.chain.interception':
    '{host} に提示された証明書の発行者は TLS 検査製品の {issuer} で、レジストリ自身の CA ではありません{proxy}。このホストに限って検査用の CA を信頼するか、レジストリを検査の対象外にしてください。',
  'probe.chain.viaProxy': '（通信はプロキシ {proxy} を経由します）',
  'probe.chain.interceptionLikely':
    '{host} への通信はプロキシ {proxy} を経由しており、証明書（{subject}、発行者 {issuer}）はレジストリのものに見えません。TLS の傍受が行われている可能性が高いです。',
  'probe.ref.empty': 'リポジトリ名には少なくとも 1 つの要素が必要です',
  'probe.ref.whitespace': '空白文字は使えません',
  'probe.ref.scheme': 'イメージ参照に URL スキームは付けません。スキームを外してください: {ref}',
  'probe.ref.hex64': '64 バイトの 16 進文字列はリポジトリ名に指定できません',
  'probe.ref.lowercase': 'リポジトリ名（{name}）は小文字でなければなりません',
  'probe.ref.domain': 'レジストリのドメイン {domain} が不正です',
  'probe.ref.ipv6': 'IPv6 アドレス {address} が不正です',
  'probe.ref.port': 'ポート {port} が不正です',
  'probe.ref.portBare': 'ポートが不正です',
  'probe.ref.path': 'リポジトリのパス {path} が不正です',
  'probe.ref.tooLong': 'リポジトリ名は {max} 文字以内でなければなりません',
  'probe.ref.tag': 'タグの形式 {tag} が不正です',
  'probe.ref.digest': 'ダイジェストの形式 {digest} が不正です',
  'probe.ref.unsupportedScheme': 'スキーム {scheme} には対応していません',
  'probe.ref.registryPath': 'レジストリのホストにパスは付けられません',
  'probe.ref.host': 'レジストリのホスト {host} が不正です',
  'probe.login.notSent': '認証情報は送っていません: {reason}',
  'probe.login.tlsFailed': 'TLS の検証に失敗しました（{error}）',
  'probe.login.realmFailed': 'トークン realm {host}: {error}',
  'probe.login.anonymousAllowed': '匿名でのプルが許可されています',
  'probe.login.anonymousToken': '匿名トークンを取得、マニフェストの応答は {status}',
  'probe.login.tokenAnswered': '匿名トークンのリクエストへの応答は {status}',
  'probe.login.v2Answered': '/v2/ の応答は 401',
  'probe.login.v2AnsweredScheme': '/v2/ の応答は 401（{scheme}）',
  'probe.login.manifestAnon': '認証情報なしでのマニフェストの応答は {status}',
  'probe.login.notFollowed':
    '認証情報はそれ以上送っていません: トークン realm {host} の応答は {status}。regdoctor は認証情報を付けたままリダイレクトをたどりません',
  'probe.login.noSecret': 'このエントリにはパスワードも ID トークンもありません',
  'probe.login.realmRejected': 'トークンサービス {host} の応答は {status}（{how}）',
  'probe.login.realmNoToken': 'トークンサービス {host}: {how}',
  'probe.login.noToken': 'トークンなし',
  'probe.login.manifestFailed': 'マニフェストの HEAD リクエスト: {error}',
  'probe.login.noPullAccess':
    '{host} はトークンを発行しましたが、マニフェストの応答は {status} です。このアカウントには {path} をプルする権限がありません',
  'probe.login.tokenAccepted': '{host} からトークンを取得、マニフェストの応答は {status}',
  'probe.login.basicNoUser': 'レジストリは Basic 認証を使いますが、このエントリにはユーザー名がありません',
  'probe.login.basicAnswered': 'Basic 認証付きのマニフェスト HEAD リクエストへの応答は {status}',
  'probe.cert.tooLarge': '証明書が 64 KiB を超えています',
  'probe.cert.malformed': '証明書の形式が不正です: {detail}',
  'probe.policy.notReachable': 'レジストリのエンドポイント {url} に到達できなかったため、何も検証していません',
  'probe.need.skipped': '{check}（スキップ済み）',
  'probe.need.crashed': '{check}（クラッシュ）',
  'probe.need.cancelled': '{check}（キャンセル済み）',
  'probe.need.empty': '{check}（使える結果なし）',
  'probe.need.emptySummary': '{check}（使える結果なし: {summary}）',
  'probe.need.failed': '{check}（失敗）',
  'probe.need.failedSummary': '{check}（失敗: {summary}）',
  'probe.tls.outcome.notTls': '相手が TLS ではない',
  'probe.tls.outcome.reset': '接続がリセットされた',
  'probe.tls.outcome.error': 'エラー',
  'probe.source.podSecret': 'Pod のプルシークレット',
  'probe.source.node': 'ノード',
  'probe.source.containerd': 'containerd の {source}',
};
