// 简体中文: probe reasons, reference-parse explanations, certificate fault details (probe.en.ts is the source).
import type { ProbeKey } from './probe.en.js';

export const PROBE_ZH_CN: Record<ProbeKey, string> = {
  'probe.addr.metadataRange': '{address}（链路本地地址，属于云元数据地址段）',
  'probe.addr.unspecified': '{address}（未指定地址）',
  'probe.addr.multicast': '{address}（组播地址）',
  'probe.addr.broadcast': '{address}（广播地址）',
  'probe.addr.linkLocal': '{address}（链路本地地址）',
  'probe.addr.metadata': '{address}（云元数据地址）',
  'probe.policy.endpointNotUrl': '端点 {url} 不是有效的 URL',
  'probe.policy.endpointScheme': '端点协议 {scheme} 既不是 http 也不是 https',
  'probe.policy.notChecked': '无法像 containerd 那样校验 {host} 的证书（没有可重放的完整 TLS 握手）',
  'probe.policy.unverified': '{host} 的证书未通过运行时信任库的校验（{error}）；containerd 在握手阶段就会停止，绝不会向那里发送凭据',
  'probe.policy.notTrusted': '不受信任',
  'probe.policy.realmUnrequestable': 'token realm {url} 无法请求（{error}）；containerd 在那里同样失败，不会发送任何内容',
  'probe.policy.realmAddress': 'token realm {host} 解析到 {why}；regdoctor 绝不会向那里发送凭据',
  'probe.policy.realmPlainHttp':
    'token realm {origin} 是另一台主机上的明文 HTTP（不是 {host}），运行时配置中并未列出它：containerd 会以明文把凭据发送过去；regdoctor 不会',
  'probe.policy.realmNotChecked': '无法像 containerd 那样校验 token realm {host} 的证书',
  'probe.policy.realmSkipVerify':
    'token realm {host} 的证书未通过校验（{error}）；containerd 会把镜像仓库的 skip_verify 也用于它并发送凭据，而 regdoctor 不会把凭据发送给配置中未列出的主机',
  'probe.policy.realmUnverified':
    'token realm {host} 的证书未通过运行时信任库的校验（{error}）；containerd 在那次握手时就会停止，绝不会向那里发送凭据',
  'probe.policy.realmNotExamined': '未检查 token realm {host}',
  'probe.policy.redirect': '{what} 返回 {status}，重定向到 {location}；regdoctor 不会携带凭据跟随重定向',
  'probe.policy.tlsNotVerified': '到 {host} 的 TLS 连接未通过校验（{error}）',
  'probe.what.tokenRealm': 'token realm 地址 {host}',
  'probe.what.tokenService': 'token 服务 {host}',
};
