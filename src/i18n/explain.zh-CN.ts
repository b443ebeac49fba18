// 简体中文: explain's pattern explanations (explain.en.ts is the source; every key, same placeholders).
import type { ExplainKey } from './explain.en.js';

export const EXPLAIN_ZH_CN: Record<ExplainKey, string> = {
  'explain.explanation': '{title}：{why}{note}',
  'explain.unrecognised': 'regdoctor 不认识这种措辞，原始消息保持原样。请在节点上运行 `regdoctor diagnose` 进行实时诊断。',
  'explain.note.tokenRealm': '失败的主机 {host} 是镜像仓库的令牌服务（即 "realm"），而不是镜像仓库本身。',
  'explain.note.blobStorage': '失败的主机 {host} 是镜像仓库把镜像层下载重定向过去的 blob 存储，而不是镜像仓库。',
  'explain.note.mirror': '失败的主机 {host} 是为 {registry} 配置的镜像源，而不是 {registry} 本身。',
  'explain.note.proxy': '失败的主机 {host} 是 HTTP 代理。',
  'explain.tellApart': '如何区分：{how}',
  'explain.role.mirror': '镜像源',
  'explain.role.token-realm': '令牌服务',
  'explain.role.blob-storage': 'blob 存储',
  'explain.role.proxy': '代理',
  'explain.role.dns': 'DNS 服务器',
  'explain.runtime.unknown': '未知运行时',
  'explain.why.mirrors-config-path': '同时设置了旧式 mirrors 和 config_path 时，containerd 会拒绝加载其 CRI 插件。',
  'explain.why.configs-tls-config-path': '同时设置了 configs.tls 和 config_path 时，containerd 1.5–1.7 会拒绝加载其 CRI 插件。',
  'explain.why.cri-unknown-service': 'containerd 有响应，但其 CRI 插件没有加载（通常是启动时的配置错误）。',
  'explain.why.cri-socket-dial':
    '运行时自身的 socket 或 API 没有响应：运行时已停止、监听在其他路径上，或者客户端连到了错误的守护进程——根本没有访问任何镜像仓库。',
  'explain.why.cimage-registries-toml':
    'containers/image 无法解析 registries.conf（或 registries.conf.d 中的某个附加配置文件）：在修好该文件之前，CRI-O 和 podman 会拒绝所有拉取；消息中给出了文件名和行号。',
  'explain.why.cimage-short-name-unresolved':
    '该镜像是短名称（不含镜像仓库主机）：containers/image 只通过 registries.conf 中的别名（aliases）和 unqualified-search-registries 来解析短名称——不会回退到 docker.io——而这两者都没有定义。请使用完整限定的镜像名，或把该镜像仓库加入 unqualified-search-registries。',
  'explain.why.cimage-short-name-ambiguous':
    'short-name-mode = "enforcing"，配置了多个 unqualified-search 镜像仓库却没有别名：containers/image 不会去猜要用哪个镜像仓库。请使用完整限定的镜像名，或添加一个别名。',
  'explain.why.cimage-blocked':
    'registries.conf（或某个附加配置文件）为该镜像仓库设置了 `blocked = true`：CRI-O 和 podman 不会连接它，直接拒绝从它拉取。',
  'explain.why.toml-unknown-key': 'containerd 忽略了一个该配置版本不认识的键（常见原因是某个表写在了错误的插件名下）。',
  'explain.why.proxyconnect': '失败的是到 HTTP(S) 代理的连接，而不是到镜像仓库的连接（请检查 HTTPS_PROXY 的主机、端口和协议）。',
  'explain.why.proxy-auth': '代理要求为 CONNECT 隧道进行身份验证。',
  'explain.why.dns-lookup':
    '域名解析失败：问题出在节点的 DNS（解析器不可达、名称不存在或解析器超时），即使消息里写的是 "timeout" 或 "connection refused" 也是如此。',
  'explain.why.dns-curl': '镜像仓库的域名无法解析。',
  'explain.why.refused': '该地址和端口上没有服务在监听（或者防火墙拒绝了连接）。',
  'explain.why.plain-http':
    '镜像仓库使用的是明文 HTTP，而运行时用了 HTTPS（"oversized record … 20527" 是 Go 把字节 "HTTP/" 当作 TLS 记录读取的结果）。insecure_skip_verify 改变不了这一点——只有改成 http:// 的 server/endpoint 才行。',
  'explain.why.http-to-https':
    '运行时对只支持 HTTPS 的端口使用了明文 HTTP（"malformed HTTP response \\x15\\x03…" 中的字节是被当作 HTTP 读取的 TLS 告警）。',
  'explain.why.tls-not-tls': 'TLS 握手本身失败（协议或加密套件不匹配，或者应答的根本不是 TLS）。',
  'explain.why.tls-timeout': 'TCP 连接已建立，但 TLS 握手一直没有完成（服务器卡住、代理或防火墙）。',
  'explain.why.sha1': '证书链中有证书使用 SHA-1（或 MD5）签名，Go 1.18 及以上版本会拒绝它。',
  'explain.why.not-yet-valid': 'notBefore 在未来：要么证书刚签发而时钟有偏差，要么本节点的时钟不对。',
  'explain.why.expired':
    '有证书已超过 notAfter。如果镜像仓库自己的证书仍然有效，问题可能是节点信任库或证书包中一个同名的旧根证书或中间证书。',
  'explain.why.expired-or-not-yet':
    '有证书不在有效期内（旧版 Go 不说明是哪一端）。如果镜像仓库自己的证书仍然有效，问题可能是节点信任库中的旧根证书或中间证书。',
  'explain.why.ip-san': '镜像仓库是通过 IP 访问的，而其证书中没有 IP SAN。',
  'explain.why.legacy-cn': '证书只在 Common Name 中写了主机名；Go 会忽略它。',
  'explain.why.name-mismatch': '证书中没有列出访问镜像仓库时所用的名称。',
  'explain.why.eku': '该证书（或其上级 CA）不能用于 TLS 服务器身份验证。',
  'explain.why.client-cert': '镜像仓库拒绝了 TLS 客户端证书，或者要求提供客户端证书（mTLS）——服务器端发出的告警显示为 "remote error"。',
  'explain.why.self-signed-openssl': '镜像仓库的证书是自签名的，且不受信任。',
  'explain.why.incomplete-openssl': '服务器没有发送其中间证书。',
  'explain.why.unknown-authority': '证书链没有终止于运行时信任的 CA。',
  'explain.why.rate-limit': '镜像仓库在限制拉取（例如 Docker Hub 会按 IP 限制匿名拉取次数）。',
  'explain.why.platform': '镜像没有适用于本节点操作系统/CPU 架构的版本（或者拉取到的是其他 CPU 的版本）。',
  'explain.why.exec-format': '镜像中的二进制文件是为其他 CPU 架构构建的。',
  'explain.why.pull-secret-missing': 'Pod 引用的拉取 Secret 在其命名空间中不存在（Secret 从不跨命名空间共享）。',
  'explain.why.ecr-token-expired': 'Amazon ECR 会拒绝超过 12 小时的登录令牌：凭据是过期了，而不是缺失。',
  'explain.why.gar-permission':
    'Artifact Registry 拒绝了执行拉取的身份（节点服务账号或拉取 Secret）——或者该仓库不存在（"or it may not exist"）。',
  'explain.why.pull-access-denied': '镜像仓库拒绝了访问。对于不存在的仓库和缺少正确凭据的私有仓库，镜像仓库给出的回答是一样的。',
  'explain.why.credentials-rejected': '凭据已经发送（containerd 只有在有凭据时才会请求 OAuth 令牌），但镜像仓库的令牌服务拒绝了它们。',
  'explain.why.anonymous-token': '镜像仓库需要凭据，但没有发送任何凭据。',
  'explain.why.status-401-403': '镜像仓库以未认证或禁止访问为由拒绝了请求。',
  'explain.why.local-content-missing':
    '运行时自己的镜像存储丢失了已缓存镜像的一个 blob（io.containerd.content.v1.content/blobs 下的文件已不存在，而 containerd 仍然列出它）——问题不在镜像仓库。删除已缓存的镜像（`crictl rmi <image>` 或 `regdoctor fix <image>`）后重新拉取。',
  'explain.why.hosts-toml-decode':
    'containerd 无法解析某个 `hosts.toml`（TOML 语法错误，或没有 [host."…"] 表）：它只在 error 级别记录这一条日志，然后当作该文件不存在继续拉取——其中的 CA、客户端证书、skip_verify 和镜像源都不会生效。',
  'explain.why.client-keypair':
    '为该镜像仓库配置的客户端证书或私钥无法加载（文件不对、不是 PEM 格式，或私钥与证书不匹配）：拉取在联系镜像仓库之前就失败了。请修正 `hosts.toml` 中的 client = [cert, key]（或 `config.toml` 中的 configs.tls）。',
  'explain.why.proxy-connect-status':
    'HTTPS 代理拒绝建立到镜像仓库的隧道：代理对 CONNECT 的应答不是 200 时，Go 只返回代理状态行里的文字（`403 Forbidden`、`502 Bad Gateway` 等）——请求根本没有到达镜像仓库。请检查代理对该主机的规则，或把该主机加入 NO_PROXY。',
  'explain.why.windows-os-mismatch':
    '该 Windows 镜像是为与节点不同的 Windows 版本构建的：进程隔离的 Windows 容器要求相同的版本（ltsc2019、ltsc2022 等）。请使用与节点 Windows 版本对应的镜像标签。',
  'explain.why.local-snapshot-missing':
    '运行时自己的快照存储在解包时丢失了某个父层的快照（它仍然列出该镜像之前的层）——问题不在镜像仓库。删除已缓存的镜像（`crictl rmi <image>`）后重新拉取。',
  'explain.why.cri-plugin-load':
    'containerd 无法启动它的 CRI 插件（后面的错误说明了原因）；containerd 会在没有该插件的情况下继续运行，因此 kubelet 在本节点上的每次拉取和每个 Pod 启动都会以 `unknown service runtime.v1.ImageService` 失败。',
  'explain.why.gar-unauthenticated': 'Artifact Registry 收到的拉取请求没有携带任何凭据（匿名请求），而该仓库不是公开的。',
  'explain.why.no-basic-auth':
    '镜像仓库要求 Basic 认证，而运行时没有该主机的凭据（containerd 的说法是 "no basic auth credentials"，即使它包在 "pull access denied" 里面）。',
  'explain.why.not-found': '镜像仓库中没有这个仓库、标签或 blob——或者它对缺少正确凭据的客户端隐藏了私有仓库。',
  'explain.why.dial-timeout-bare': '在得知地址之前连接尝试就超时了：截止时间在域名解析或建立连接的过程中到期时，Go 会打印这条消息。',
  'explain.why.io-timeout': '镜像仓库没有及时应答：数据包被防火墙丢弃、地址错误，或者服务器过载。',
  'explain.why.server-error':
    '镜像仓库——或者它前面的网关或代理——返回了服务器错误（5xx）。这不是本节点的配置问题；请稍后重试，或查看镜像仓库/代理的日志。',
  'explain.why.redirect-limit':
    '运行时的 HTTP 客户端最多跟随 9 次重定向：镜像仓库、代理或其前面的 blob 存储在循环重定向，或者重定向链长达 10 次以上。消息中的 URL 是服务器发送的最后一个 Location（可能是相对路径）。请在那一侧修复重定向规则；在节点上改什么都无济于事。',
  'explain.why.connection-cut':
    '连接在交互过程中被关闭（reset 或 EOF）。网络不稳定、会切断长时间传输的代理或防火墙、镜像仓库正在重启，都会造成这种情况；仅凭这段文本无法判断是哪一种。',
  'explain.why.disk-full':
    '节点在解压镜像层时耗尽了磁盘空间（或 inode）——不是镜像仓库的问题；请清理运行时根目录下的空间（`crictl rmi --prune`）。',
  'explain.why.bad-reference': '镜像引用本身格式错误（含大写字母、带有 https:// 之类的协议前缀、变量为空）；没有访问任何镜像仓库。',
  'explain.why.pull-canceled': '拉取在完成前被取消了（kubelet 超过进度截止时间后放弃，或客户端中止）；原因在于导致拉取变慢的因素。',
  'explain.why.html-answer': '应答的是一个 HTML 页面而不是镜像仓库 API——通常是代理、强制门户（captive portal）或端点错误。',
  'explain.why.signature': '镜像的签名或清单格式被客户端的信任策略拒绝；这不是连通性或凭据问题。',
  'explain.tell.refused': '如果该地址不是镜像仓库的地址，那就是节点配置中的代理或镜像源；{diagnose} 会显示实际使用了哪个端点',
  'explain.tell.tls-not-tls':
    '如果端口应答的不是 TLS（例如另一台服务器提供的明文 HTTP，或者代理），也会出现同样的错误；{diagnose} 会探测该端口',
  'explain.tell.tls-timeout': '吞掉 TLS 流量的代理或防火墙看起来也是这样；{diagnose} 会直接连接镜像仓库试一下',
  'explain.tell.expired-or-not-yet':
    '把节点时钟（`date -u`）与消息中的日期或 `openssl s_client -connect <host>:<port> | openssl x509 -noout -dates` 显示的日期进行比较',
  'explain.tell.name-mismatch': '如果列出的名称属于你们公司或某个网关而不是镜像仓库，说明有代理在拦截 TLS；{diagnose} 会显示证书链',
  'explain.tell.unknown-authority': '{diagnose} 会获取证书链，并判断是私有 CA、自签名证书、缺少中间证书，还是代理的证书',
  'explain.tell.ecr-token-expired': '用 `aws ecr get-login-password`（或凭据助手 / kubelet 凭据提供程序）刷新后再拉取',
  'explain.tell.gar-permission':
    '先确认仓库路径存在（`gcloud artifacts repositories list`），再给执行拉取的身份授予 roles/artifactregistry.reader',
  'explain.tell.pull-access-denied': '先检查镜像名和标签；然后用 Pod 的凭据运行 {diagnose}——它会分别检查名称和凭据',
  'explain.tell.credentials-rejected':
    '用同一个用户手动登录（`crictl pull --creds` 或 `docker login`）；如果能成功，说明节点或 Pod 用的是其他凭据——{diagnose} 会显示是哪一个',
  'explain.tell.anonymous-token':
    '如果 Pod 配置了 imagePullSecret，那么其中的镜像仓库键与镜像的主机和端口并不完全一致（此时 kubelet 什么也不发送）；`regdoctor diagnose pod/<name>` 会检查是否一致',
  'explain.tell.no-basic-auth':
    '如果 Pod 有 imagePullSecret，其中的仓库键与镜像的主机和端口并不完全一致（此时 kubelet 不发送任何凭据）；`regdoctor diagnose pod/<name>` 会检查是否匹配',
  'explain.tell.status-401-403':
    '没有凭据、凭据错误以及（常常）仓库不存在时，镜像仓库的回答都一样；用 Pod 的凭据运行 {diagnose} 可以区分它们',
  'explain.tell.not-found': '列出标签（`crane ls <repo>` 或镜像仓库的 Web 界面）；如果标签存在，用 Pod 的凭据运行 {diagnose}',
  'explain.tell.dial-timeout-bare': '在节点上运行 `getent hosts <registry host>`：如果卡住不返回，就是 DNS 问题',
  'explain.tell.io-timeout': '如果节点必须通过代理访问外部，说明运行时没有配置 HTTPS_PROXY；{diagnose} 会沿运行时使用的路径进行尝试',
  'explain.tell.server-error': '如果节点使用代理，请不经代理拉取一次；502/504 通常来自代理或负载均衡器',
  'explain.tell.redirect-limit': '{diagnose} 会像 containerd 一样跟随重定向链，并显示每一跳',
  'explain.tell.connection-cut': '一边查看 `journalctl -u containerd` 一边重新拉取；如果总是在同一位置失败，请运行 {diagnose}',
};
