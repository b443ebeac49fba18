#!/usr/bin/env bash
# Installs what the test suite needs on a fresh Debian machine: the real container runtime and registry used by
# the end-to-end lab, and the tools the lab and benchmarks drive. Idempotent; needs root (or sudo).
set -euo pipefail

# podman: the containers/image library CRI-O pulls with, for the CRI-O lab (test/lab/crio-lab.ts); as root it needs
# nothing more (the lab uses the vfs storage driver and only pulls)
PACKAGES=(containerd docker-registry skopeo openssl iproute2 util-linux curl apache2-utils ca-certificates podman uidmap)

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

# The Debian packages may try to start services; the lab runs its own instances in private namespaces.
for bin in containerd docker-registry skopeo openssl unshare nsenter ip kubectl podman; do
  command -v "$bin" >/dev/null 2>&1 || { echo "setup-machine: $bin is missing after install" >&2; exit 1; }
done
echo "setup-machine: ok ($(containerd --version 2>/dev/null | awk '{print $3}'), docker-registry $(docker-registry --version 2>/dev/null | awk '{print $3}'))"
