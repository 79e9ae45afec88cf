#!/usr/bin/env bash
# Installs the Debian 12 packages Cari needs, only those that are missing.
# Idempotent and quiet when everything is already there.
set -euo pipefail
packages=(cmake g++ make pkg-config libxapian-dev libicu-dev libcli11-dev libgtest-dev
          libbenchmark-dev libxml2-dev libjemalloc-dev hunspell-id xapian-omega xapian-tools python3
          clang libclang-rt-14-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "setup: installing ${missing[*]}" >&2
sudo_cmd=()
[ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
