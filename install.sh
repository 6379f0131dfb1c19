#!/usr/bin/env bash
# Installs pydokku on a Debian/Ubuntu host (run as root). Idempotent.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
prefix=${PYDOKKU_PREFIX:-/opt/pydokku}
export DEBIAN_FRONTEND=noninteractive
unset PYTHONDONTWRITEBYTECODE

step() { printf -- '-----> %s\n' "$*"; }

[ "$(id -u)" = 0 ] || { echo " !     install.sh must run as root (use sudo)" >&2; exit 1; }

step "Installing Debian packages"
packages=(python3 python3-venv git sqlite3)
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}"
fi

step "Installing pydokku into $prefix"
[ -x "$prefix/bin/python" ] || python3 -m venv "$prefix"
"$prefix/bin/pip" install --quiet --upgrade "$here"
ln -sf "$prefix/bin/dokku" /usr/local/bin/dokku

step "Checking the dokku command"
dokku version
dokku apps:list
