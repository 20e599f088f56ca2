#!/usr/bin/env bash
# Installs what the tests need from Debian's packages when it is missing (as root), or stops
# at once saying exactly what is missing and how to get it.
set -euo pipefail
missing=()
chromium_path="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$chromium_path" ] || missing+=(chromium)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
# The conformance kernel runner (net stop/start) uses ip netns; as root it installs, else it skips.
if [ "$(id -u)" -eq 0 ]; then command -v ip >/dev/null 2>&1 || missing+=(iproute2); fi
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing from Debian's packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  exit 0
fi
echo "Missing: ${missing[*]}." >&2
echo "Install it with:  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
echo "(or point CHROMIUM_PATH at a Chromium binary)." >&2
exit 1
