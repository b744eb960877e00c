#!/usr/bin/env bash
# Installs the Debian packages Blackboard builds and tests with, if missing.
# Used by `make test` and `make run`; safe to run repeatedly.
set -euo pipefail
packages=(libssl-dev openssl zlib1g-dev libsqlite3-dev netcat-openbsd)
missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing Debian packages: ${missing[*]} (run as root: apt-get install ${missing[*]})" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq "${missing[@]}" >/dev/null
