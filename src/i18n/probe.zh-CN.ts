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
  'probe.failed': '失败',
  'probe.timeout': '超时',
  'probe.tcp.noAddressSummary': '{host} 没有解析出可用的地址',
  'probe.tcp.noAddress': '{host} 没有解析出可用的地址。',
  'probe.tcp.cannotConnect': '无法连接到 {where}：{why}',
  'probe.tcp.unreachable': '从此节点无法到达 {where}（{why}）。',
  'probe.proxy.unreachableSummary': '无法连接代理 {proxy}：{why}',
  'probe.proxy.unreachable': '运行时通过代理 {proxy} 发送镜像仓库流量，但从此节点无法连接该代理（{why}）。',
  'probe.proxy.through': '经由代理 {proxy}（{ms} ms 内连接成功）',
  'probe.proxy.note': '镜像仓库流量经过代理 {proxy}：错误可能来自代理本身，而进行 TLS 检查的代理会出示它自己的证书。',
  'probe.tls.tunnelRefusedSummary': '代理拒绝建立到 {where} 的隧道：{why}',
  'probe.tls.tunnelRefused':
    '此节点前面的代理拒绝建立到 {where} 的隧道（{why}）：可能是代理需要身份验证、有允许列表限制，或者本应通过 NO_PROXY 绕过该代理。',
  'probe.tls.noHandshakeSummary': '{where} 没有完成 TLS 握手：{why}',
  'probe.tls.noHandshake': '{where} 接受 TCP 连接，但始终不完成 TLS 握手（服务卡住，或有代理、防火墙吞掉了流量）。',
  'probe.tls.refusedSummary': 'TLS 探测期间到 {where} 的连接被拒绝',
  'probe.tls.refused': '{where} 拒绝了连接。',
  'probe.tls.notTls': '{where} 在此端口上既不使用 TLS 也不使用 HTTP。',
  'probe.tls.brokenOff': '{where} 中断了 TLS 握手（{why}）。',
  'probe.tls.clientRejectedSummary': '{where} 拒绝了客户端证书（{alert}）',
  'probe.tls.clientRejected':
    '{where} 拒绝了为它配置的客户端证书（{alert}）：该证书不是由镜像仓库接受的 CA 签发的、已过期，或不能用于客户端身份验证。',
  'probe.tls.clientMissing': '{where} 要求 TLS 客户端证书，但运行时没有为它配置任何客户端证书。',
  'probe.tls.abortedSummary': '{where} 中止了 TLS 握手：{alert}',
  'probe.tls.noCommonGo':
    '当收到与运行时的 Go TLS 客户端（{go}）相同的提议时，{where} 以 "{alert}" 中止 TLS 握手：服务器与它没有任何共同的协议版本、密码套件、曲线或签名算法（Go 提供的是 {offer}）。请在镜像仓库上启用其中之一。',
  'probe.tls.goOffer': 'TLS {min}–{max}，仅 ECDHE 密钥交换（从不使用 DHE），曲线 {curves}',
  'probe.tls.goOfferRsa': 'TLS {min}–{max}，仅 ECDHE 和 RSA 密钥交换（从不使用 DHE），曲线 {curves}',
  'probe.tls.aborted': '{where} 以 "{alert}" 中止 TLS 握手（没有共同的协议版本或密码套件，或服务器端的 TLS 策略所致）。',
  'probe.tls.bigChainSummary': '{where} 发送了 {n} 字节的证书消息，超过了 {go} 的 TLS 客户端所能接受的上限（{limit}）',
  'probe.tls.bigChain':
    '{where} 发送了包含 {count} 张证书的证书链（其 {protocol} Certificate 消息共 {n} 字节）；运行时的 Go TLS 客户端（{go}）最多接受 {limit} 字节，随后会结束握手。请只发送叶子证书及其中间证书。',
  'probe.http.tlsFirst': '{host} 使用 TLS；containerd 对此端点会先尝试 HTTPS',
  'probe.http.httpsOnlySummary': '{host} 使用 HTTPS，但运行时被配置为使用明文 HTTP',
  'probe.http.httpsOnly':
    'containerd 被配置为使用 http://{host}，但该端口只支持 HTTPS：镜像仓库会返回 "400 Bad Request: Client sent an HTTP request to an HTTPS server"。',
  'probe.http.plainOk': '{host} 按配置使用明文 HTTP（没有可检查的 TLS）',
  'probe.manifest.platform': '{ref} 存在，但没有 linux/{arch} 的镜像；它提供的是 {list}。',
  'probe.manifest.rateLimited':
    '镜像仓库对拉取进行了限流（429 Too Many Requests）{remaining}{retry}。请使用凭据认证、使用镜像源，或降低拉取频率。',
  'probe.manifest.remaining': '；剩余：{n}',
  'probe.manifest.retryAfter': '；{s} 秒后重试',
  'probe.manifest.status': '镜像仓库对该 manifest 返回 HTTP {status} {statusText}。',
  'probe.redirect.loop':
    '镜像仓库对 manifest 请求进行循环重定向（已看到 {n} 次重定向）：containerd 的 HTTP 客户端在 10 次重定向后停止，拉取失败。请修正镜像仓库（或其代理）的重定向规则。',
  'probe.redirect.tooMany':
    'manifest 请求被重定向了 {n} 次；containerd 的 HTTP 客户端最多跟随 9 次重定向，在第 10 次时停止，拉取失败。请缩短重定向链（镜像仓库、代理或存储的配置）。',
  'probe.verify.noCertificates': '服务器没有完成任何证书交换。',
  'probe.verify.criticalExtension': 'Go 无法识别的关键扩展：{oids}。',
  'probe.verify.tangled': '出示的证书链过大或过于错综复杂，Go 放弃了构建证书链。',
  'probe.verify.caExpired':
    'CA 证书 {subject}（{from} – {to}）已过期：可能是服务器发送了过时的中间证书，或节点信任库中有一个同名的旧根证书。',
  'probe.verify.caNotYetValid':
    'CA 证书 {subject}（{from} – {to}）尚未生效：可能是服务器发送了过时的中间证书，或节点信任库中有一个同名的旧根证书。',
  'probe.verify.caUnusable': 'CA 证书 {subject} 无法用于构建证书链：{error}。',
  'probe.verify.disabled': '{host} 的证书校验已关闭（skip_verify = true）',
  'probe.chain.unparsableSummary': '来自 {host} 的第 #{index} 张证书无法解析',
  'probe.chain.unparsable': '镜像仓库发送了一张无法解析的证书（#{index}）：{error}。',
  'probe.chain.interception':
    '为 {host} 出示的证书由 {issuer} 签发，这是一款 TLS 检查产品，而不是镜像仓库自己的 CA{proxy}。请仅为此主机信任该检查 CA，或将镜像仓库排除在检查之外。',
  'probe.chain.viaProxy': '（流量经过代理 {proxy}）',
  'probe.chain.interceptionLikely':
    '到 {host} 的流量经过代理 {proxy}，而证书（{subject}，由 {issuer} 签发）看起来不像是镜像仓库的证书：很可能存在 TLS 拦截。',
};
