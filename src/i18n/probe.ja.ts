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
};
