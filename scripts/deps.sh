#!/usr/bin/env bash
# deps.sh: install the Debian packages listed in debian-packages.txt that are
# missing.  As root it runs apt-get (apt-get update once, only when something
# is missing); otherwise it prints the exact command to run and fails.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
list="$here/debian-packages.txt"
missing=()
while read -r pkg _; do
  case "$pkg" in ''|'#'*) continue ;; esac
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$pkg")
done < "$list"
if [ ${#missing[@]} -eq 0 ]; then
  exec "$here/scripts/web-deps.sh"
fi
echo "kasip: missing Debian packages: ${missing[*]}" >&2
if [ "$(id -u)" -ne 0 ]; then
  echo "kasip: run as root:  apt-get update && apt-get install -y ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
exec "$here/scripts/web-deps.sh"
