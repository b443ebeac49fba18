#!/usr/bin/env bash
# Installs what the test suite needs on a fresh Debian machine: the real container runtime and registry used by
# the end-to-end lab, and the tools the lab and benchmarks drive. Idempotent; needs root (or sudo).
set -euo pipefail

# Every system binary a test or the bench runs, by the Debian package that ships it (a test that finds its tool missing
# skips, so CI would pass without running it):
#   containerd (containerd, ctr), docker-registry, apache2-utils (htpasswd): the lab (test/lab/lab.ts)
#   podman + uidmap: the containers/image library CRI-O pulls with, for the CRI-O lab (test/lab/crio-lab.ts); as root it
#     needs nothing more (the lab uses the vfs storage driver and only pulls)
#   util-linux (unshare, nsenter), mount, iproute2 (ip, ss): the lab's namespaces and its oracles
#   bsdutils (script), tmux: tests on a real terminal (audit, tui e2e); zsh, fish: shell completion (test/cli/conventions)
#   libxml2-utils (xmllint), python3: JUnit well-formedness (test/report/junit, test/security/hostile-cluster-kube)
#   python3-yaml: the k3s lab renders registries.yaml with PyYAML (test/lab/k3s-render.py)
#   time (/usr/bin/time): peak memory (test/classify/explain-stream-memory, scripts/bench.ts); skopeo, curl, openssl
PACKAGES=(containerd docker-registry skopeo openssl iproute2 util-linux mount bsdutils curl apache2-utils ca-certificates
  podman uidmap tmux zsh fish libxml2-utils python3 python3-yaml time)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "setup-machine: run as root (or install sudo): apt packages are needed for the end-to-end lab" >&2
    exit 1
  fi
fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup-machine: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# kubectl (the kube-server tests, completion through `kubectl __complete`, which needs 1.26+): Debian's own
# kubernetes-client is 1.20, so from the Kubernetes project's signed apt repository (pkgs.k8s.io), once.
KUBE_MINOR=v1.32
if ! command -v kubectl >/dev/null 2>&1; then
  sources=/etc/apt/sources.list.d/kubernetes.sources
  if [ ! -f "$sources" ]; then
    echo "setup-machine: adding the Kubernetes apt repository (pkgs.k8s.io, $KUBE_MINOR) for kubectl"
    $SUDO install -d -m 0755 /etc/apt/keyrings
    curl -fsSL "https://pkgs.k8s.io/core:/stable:/$KUBE_MINOR/deb/Release.key" | $SUDO tee /etc/apt/keyrings/kubernetes.asc >/dev/null
    printf 'Types: deb\nURIs: https://pkgs.k8s.io/core:/stable:/%s/deb/\nSuites: /\nSigned-By: /etc/apt/keyrings/kubernetes.asc\n' \
      "$KUBE_MINOR" | $SUDO tee "$sources" >/dev/null
  fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends kubectl >/dev/null
fi

# The Debian packages may try to start services; the lab runs its own instances in private namespaces.
for bin in containerd ctr docker-registry htpasswd skopeo openssl unshare nsenter mount ip ss kubectl podman script tmux zsh fish \
  xmllint python3 /usr/bin/time; do
  command -v "$bin" >/dev/null 2>&1 || { echo "setup-machine: $bin is missing after install" >&2; exit 1; }
done
echo "setup-machine: ok ($(containerd --version 2>/dev/null | awk '{print $3}'), docker-registry $(docker-registry --version 2>/dev/null | awk '{print $3}'))"
