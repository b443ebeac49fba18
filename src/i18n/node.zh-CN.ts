// 简体中文: node-side findings and views (checks/, src/facts, src/runtime, src/kube scan/nodes, nodes/audit views and exports) (node.en.ts is the source; every key, same placeholders).
import type { NodeKey } from './node.en.js';

export const NODE_ZH_CN: Record<NodeKey, string> = {
  'node.list.semi': '{a}；{b}',
  'node.list.then': '{a}，然后 {b}',
  'node.hosts.unknownKey': '{file}：`{key}`{inTable} 不是 hosts.toml 的键：containerd {version} 会静默忽略它{intended}。',
  'node.hosts.inTable': '（位于 [{table}]）',
  'node.hosts.intendedKey': '。hosts.toml 中的键是 `{intended}`{note}',
  'node.hosts.configTomlSpelling': '（`insecure_skip_verify` 是 config.toml 中的写法）',
  'node.hosts.notParse': '无法解析{at}：{why}',
  'node.hosts.atLine': '（第 {line} 行，第 {column} 列）',
  'node.hosts.unusable': '无法使用：{why}',
  'node.hosts.noDecode': '在 containerd {version} 上无法解码：{problem}{note}',
  'node.hosts.noDecode.hostTree': '（containerd 1.x 只解码至少含有一个 [host."…"] 表的 hosts.toml；仅有根级设置时从不读取）',
  'node.hosts.ignored': '{file} {why}。{fallback}。',
  'node.hosts.fallback':
    'containerd {version} 记录 "failed to decode hosts.toml"（仅 error 级别；CRI 从不显示），并回退到{files}以及 {url}',
  'node.hosts.fallback.dockerFiles': ' {dir} 中的 Docker 风格文件（{files}）',
  'node.hosts.fallback.noFiles': '无证书文件（{dir} 中没有 *.crt / *.cert）',
  'node.stray': '{file} 位于 containerd {version} 从不为 {host} 读取的目录中：它查找的是 {dirs}{uses}。{action}',
  'node.stray.uses': '（并使用 {dir}）',
  'node.stray.merge': '请将其合并到 {dir}。',
  'node.stray.move': '请移动该目录：{command}',
  'node.certsd.unread.one': '{dirs} 存在，但 [{section}] 中未设置 `config_path`：containerd {version} 根本不读取 certs.d。',
  'node.certsd.unread.other': '{dirs} 存在，但 [{section}] 中未设置 `config_path`：containerd {version} 根本不读取 certs.d。',
  'node.file.missingFatal':
    '{host} 的配置所引用的 {file} 无法读取：containerd 在发送请求之前就以 "{error}" 使来自 {host} 的每次拉取失败（这不是信任问题：文件不存在）。',
  'node.file.unreadable': '{host} 的配置所引用的 {file} 无法读取（{why}）：containerd 无法为此主机设置 TLS。',
  'node.cred.rejected':
    '镜像仓库拒绝了 containerd 从 {file} 的 {source} 发送给 {host} 的凭据：kubelet 没有为此镜像发送凭据，因此 containerd 使用自己的凭据，而其中的{what}错误或已过期。请在 {source} 中更正并重启 containerd（它只在启动时读取 config.toml），或删除该表并为 Pod 提供拉取密钥。',
  'node.cred.password': '用户 {user} 的密码',
  'node.cred.credential': '凭据',
  'node.alt.fallbackWorks': '{summary} 目前拉取仅靠此回退才能成功。',
  'node.alt.sameOutcome': '{summary} 它不改变结果：有它时拉取也以同样方式失败。',
  'node.config.otherRuntime': '{runtime} 镜像仓库配置：{endpoints}',
  'node.k3s.yamlInvalid': '{file} 无法解析（{why}）：{flavour} 无法据此生成镜像仓库配置。',
  'node.k3s.notRendered':
    '{flavour} 生成的 containerd 配置与 {file} 不一致（{diffs}）：{flavour} 只在服务启动时生成配置，因此在重启之前，拉取会继续使用已生成的设置，而不是编辑后的设置。请重启它（{restart}）使更改生效。',
  'node.k3s.diff.ca': '{what} 的 ca_file：registries.yaml 为 "{want}"，生成结果为 "{got}"',
  'node.k3s.diff.skipVerify': '{what} 的 insecure_skip_verify：registries.yaml 为 {want}，生成结果为 {got}',
  'node.k3s.diff.client': '{what} 的客户端证书与生成结果不同',
  'node.k3s.diff.rewrite': '{what} 的重写规则与生成结果不同',
  'node.k3s.diff.notRendered': 'registries.yaml 配置了 {host}，但未生成 certs.d/{dir}/hosts.toml',
  'node.k3s.diff.endpointMissing': '{dir} 的端点 {endpoint} 不在 certs.d/{dir}/hosts.toml 中',
  'node.k3s.diff.stale': 'certs.d/{dir}/hosts.toml 仍列出 {uri}，而 registries.yaml 中已没有它',
  'node.k3s.diff.orphan': 'certs.d/{dir}/hosts.toml 是为 registries.yaml 已不再配置的镜像仓库生成的',
  'node.table.noVersion':
    '此文件没有 `version`（版本 1）：只读取 [plugins.cri.registry]；版本 {other} 的表名会被静默忽略。请在开头添加 `version = {other}`，或移动这些设置。',
  'node.table.v3UnderCri':
    '这是版本 3 的文件：io.containerd.grpc.v1.cri 下的镜像仓库表会被忽略（"Ignoring unknown key in TOML for plugin"）；它应位于 [plugins."io.containerd.cri.v1.images".registry] 下。',
  'node.table.wrongName': '这是版本 {version} 的文件：镜像仓库表必须是 [{table}]；[{other}] 会被忽略。',
};
