#!/usr/bin/env bash
# Install pydokku on a Debian 12 / Ubuntu host, then deploy the bundled example app by a
# real `git push` over SSH. Run as root. Idempotent: a second run changes nothing and ends
# with the same result. docs/install.md lists every file it writes and how to undo it.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: ./install.sh [--domain DOMAIN] [--no-example] [--help]

Install pydokku (Debian packages, daemons, the dokku user, /opt/pydokku, nginx and sudo
set-up, the offline base image) and deploy examples/hello with `git push` over SSH.

  --domain DOMAIN  global domain: apps answer at http://APP.DOMAIN (default: localhost,
                   which resolves to this machine through nss-myhostname)
  --no-example     skip the example deploy (and root's SSH key set-up)
  --help           show this help
EOF
}

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
prefix=/opt/pydokku
dokku_user=dokku
dokku_home=/home/dokku
domain=localhost
example=1
packages=(nginx git openssh-server openssh-client sudo python3 python3-venv
  debootstrap curl ca-certificates sqlite3 make libnss-myhostname wrk cron)

step() { printf -- '-----> %s\n' "$*"; }
info() { printf -- '       %s\n' "$*"; }
die() { printf -- ' !     %s\n' "$*" >&2; exit 1; }
usage_error() { usage >&2; printf -- ' !     %s\n' "$*" >&2; exit 2; }

while (($#)); do
  case $1 in
    --domain) (($# >= 2)) || usage_error "--domain needs a value"; domain=$2; shift 2 ;;
    --domain=*) domain=${1#--domain=}; shift ;;
    --no-example) example=0; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage_error "Unknown argument: $1" ;;
  esac
done
[[ $domain =~ ^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$ ]] \
  || usage_error "Invalid domain: $domain"

[[ $(id -u) == 0 ]] || die "install.sh must run as root (use sudo)"
export DEBIAN_FRONTEND=noninteractive
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH
unset PYTHONDONTWRITEBYTECODE DOKKU_ROOT DOKKU_LIB_ROOT
umask 022
started=$SECONDS

# One installer at a time.
lock=/run/lock/pydokku-install.lock
[[ -d ${lock%/*} ]] || lock=/tmp/pydokku-install.lock
exec 9>"$lock"
flock -n 9 || die "Another install.sh is running"

work=$(mktemp -d /tmp/pydokku-install.XXXXXX)
trap 'rm -rf "$work"' EXIT

# quiet LOG CMD...: run CMD with its output in LOG; on failure show the end of LOG.
quiet() {
  local log=$1
  shift
  "$@" >"$log" 2>&1 || { local rc=$?; tail -n 30 "$log" >&2; return "$rc"; }
}

# write_if_changed PATH MODE: replace PATH with stdin (mode MODE) unless identical.
# Prints "changed" or "unchanged" so callers can act on a change.
write_if_changed() {
  local path=$1 mode=$2 tmp
  tmp=$(mktemp "$path.XXXXXX")
  cat >"$tmp"
  chmod "$mode" "$tmp"
  if [[ -f $path ]] && cmp -s "$tmp" "$path" && [[ $(stat -c %a "$path") == "$mode" ]]; then
    rm -f "$tmp"
    echo unchanged
  else
    mv -f "$tmp" "$path"
    echo changed
  fi
}

# installed_engine: print "PACKAGE VERSION" of the Docker engine already installed, if any.
installed_engine() {
  local pkg
  for pkg in docker-ce docker.io moby-engine docker-engine; do
    if dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed"; then
      printf '%s %s\n' "$pkg" "$(dpkg-query -W -f='${Version}' "$pkg")"
      return
    fi
  done
  if command -v dockerd >/dev/null 2>&1; then
    printf 'dockerd %s\n' "$(dockerd --version 2>/dev/null | awk '{print $3}' | tr -d ,)"
  fi
}

# choose_engine: keep an installed engine; add Debian's docker.io only where there is none.
# A docker-ce engine builds with BuildKit through its buildx plugin (docs/builders.md).
choose_engine() {
  local engine
  engine=$(installed_engine)
  if [[ -z $engine ]]; then
    step "Docker engine: none installed, adding Debian's docker.io"
    packages=(docker.io "${packages[@]}")
    return
  fi
  step "Docker engine: keeping the installed ${engine}"
  if [[ $engine == docker-ce* ]] && ! docker buildx version >/dev/null 2>&1; then
    info "adding docker-buildx-plugin: builds need BuildKit"
    packages+=(docker-buildx-plugin)
  fi
}

install_packages() {
  local missing=() pkg
  for pkg in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
  done
  if ((${#missing[@]} == 0)); then
    step "Debian packages: all present"
    return
  fi
  step "Installing Debian packages: ${missing[*]}"
  local install=(apt-get install -y -q --no-install-recommends "${missing[@]}")
  # Use the package lists already on the machine; refresh them only when that fails.
  if ! quiet "$work/apt.log" "${install[@]}"; then
    info "refreshing package lists"
    quiet "$work/apt.log" apt-get update -q
    quiet "$work/apt.log" "${install[@]}"
  fi
}

setup_user() {
  step "Setting up the $dokku_user user"
  if ! id -u "$dokku_user" >/dev/null 2>&1; then
    useradd --system --create-home --home-dir "$dokku_home" --shell /bin/bash "$dokku_user"
    info "created user $dokku_user"
  fi
  if ! id -nG "$dokku_user" | tr ' ' '\n' | grep -qx docker; then
    usermod -aG docker "$dokku_user"
    info "added $dokku_user to group docker"
  fi
  # useradd leaves the password field "!" (locked); sshd refuses key logins to locked
  # accounts when PAM is off. "*" means: no password can match, but the account is open.
  if [[ $(getent shadow "$dokku_user" | cut -d: -f2) != '*' ]]; then
    usermod -p '*' "$dokku_user"
    info "unlocked $dokku_user for SSH key logins"
  fi
  install -d -o "$dokku_user" -g "$dokku_user" -m 0755 "$dokku_home" /var/lib/dokku /var/log/dokku
  install -d -o "$dokku_user" -g "$dokku_user" -m 0700 "$dokku_home/.ssh"
  check_sshd_accepts_keys
}

# Ask sshd how it would treat a key login by the dokku user from loopback.
check_sshd_accepts_keys() {
  local conf
  conf=$(sshd -T -C "user=$dokku_user,host=localhost,addr=127.0.0.1,laddr=127.0.0.1,lport=22")
  grep -qix 'pubkeyauthentication yes' <<<"$conf" \
    || die "sshd does not accept public keys for $dokku_user (PubkeyAuthentication)"
  if grep -qi '^allowusers ' <<<"$conf" && ! grep -qiE "^allowusers .*\\b$dokku_user\\b" <<<"$conf"; then
    die "sshd's AllowUsers does not list $dokku_user"
  fi
  if grep -qiE "^denyusers .*\\b$dokku_user\\b" <<<"$conf"; then
    die "sshd's DenyUsers lists $dokku_user"
  fi
  info "sshd accepts key logins for $dokku_user"
}

# A digest of the files the installed package is built from (README.md only feeds its
# metadata). tests/integration/conftest.py computes the same to spot a stale install.
source_digest() {
  (cd "$here" && find pyproject.toml src -type f \
    ! -path '*/__pycache__/*' ! -path '*.egg-info/*' ! -name '*.pyc' -print0 \
    | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
}

# pip's generated `dokku` script imports `re` to tidy argv[0]: ~5 ms on every call, a
# sixth of a `dokku config:get`. This launcher does the same job without it.
write_launcher() {
  write_if_changed "$prefix/bin/dokku" 755 <<EOF
#!$prefix/bin/python3
import sys

from pydokku.cli import main

sys.exit(main())
EOF
}

install_pydokku() {
  local digest stamp="$prefix/.pydokku-source-sha256"
  digest=$(source_digest)
  if ! "$prefix/bin/python" -c 'import sys' >/dev/null 2>&1; then
    step "Creating the virtualenv $prefix"
    rm -rf "$prefix"
    python3 -m venv "$prefix"
  fi
  if [[ -x $prefix/bin/dokku && $(cat "$stamp" 2>/dev/null) == "$digest" ]]; then
    step "pydokku in $prefix is up to date"
  else
    step "Installing pydokku into $prefix"
    # Build from a clean copy: no stale build/ dir of the checkout can leak into the wheel,
    # and nothing is written into the checkout.
    mkdir "$work/src"
    tar -C "$here" --exclude=__pycache__ --exclude='*.egg-info' --exclude='*.pyc' \
      -cf - pyproject.toml README.md src | tar -C "$work/src" -xf -
    quiet "$work/pip.log" "$prefix/bin/pip" install --upgrade --disable-pip-version-check \
      "$work/src"
    echo "$digest" >"$stamp"
    # The dokku user runs this venv (SSH sessions, git hooks).
    chmod -R a+rX "$prefix"
  fi
  write_launcher >/dev/null
  if [[ $(readlink /usr/local/bin/dokku || true) != "$prefix/bin/dokku" ]]; then
    ln -sfn "$prefix/bin/dokku" /usr/local/bin/dokku
    info "linked /usr/local/bin/dokku -> $prefix/bin/dokku"
  fi
  info "$(dokku version)"
}

setup_sudo() {
  step "Allowing $dokku_user to test and reload nginx (/etc/sudoers.d/dokku-nginx)"
  local tmp="$work/dokku-nginx"
  # The same line the nginx plugin's install hook writes (plugin:install), so the two
  # agree and a second run changes nothing.
  echo "$dokku_user ALL=(root) NOPASSWD: /usr/sbin/nginx -t, /usr/sbin/nginx -s reload" >"$tmp"
  visudo -cqf "$tmp" || die "visudo rejected the sudoers rule"
  [[ $(write_if_changed /etc/sudoers.d/dokku-nginx 440 <"$tmp") == unchanged ]] \
    || info "wrote /etc/sudoers.d/dokku-nginx"
}

# APP.localhost must reach this machine's nginx. nss-myhostname (libnss-myhostname)
# resolves "localhost" and every "*.localhost" name to 127.0.0.1/::1 without any DNS or
# /etc/hosts entry per app; it only has to be listed on the hosts: line, before dns.
setup_name_resolution() {
  step "Resolving *.localhost to this machine (nss-myhostname)"
  local conf=/etc/nsswitch.conf
  if ! grep -Eq '^hosts:.*[[:space:]]myhostname([[:space:]]|$)' "$conf"; then
    if ! grep -q '^hosts:' "$conf"; then
      echo 'hosts:          files myhostname dns' >>"$conf"
    elif grep -Eq '^hosts:.*[[:space:]]files([[:space:]]|$)' "$conf"; then
      sed -i -E '/^hosts:/ s/([[:space:]])files([[:space:]]|$)/\1files myhostname\2/' "$conf"
    else
      sed -i -E 's/^hosts:([[:space:]]*)/hosts:\1myhostname /' "$conf"
    fi
    info "added myhostname to the hosts: line of $conf"
  fi
  local probe=pydokku-probe.localhost
  getent hosts "$probe" | grep -Eq '^(127\.0\.0\.1|::1)[[:space:]]' \
    || die "$probe does not resolve to loopback (check the hosts: line of $conf)"
  info "$(grep '^hosts:' "$conf" | tr -s ' \t' ' ')"
}

plugin_install() {
  dokku plugin:install # prints its own "-----> Running plugin install hooks"
  nginx -t -q || die "nginx rejects its configuration after plugin:install"
  if [[ -d /run/systemd/system ]]; then systemctl reload nginx; else quiet "$work/nginx.log" nginx -s reload; fi
}

# Files pydokku keeps must belong to the dokku user, who runs every command arriving over
# SSH. Root may have made some: `dokku` run before this installer created the user, or
# plugin:install (which keeps root's rights). Service data (other owners) is left alone.
fix_ownership() {
  local fixed
  fixed=$(find "$dokku_home" /var/lib/dokku -xdev -path /var/lib/dokku/services -prune \
    -o -user root -print -exec chown -h "$dokku_user:$dokku_user" {} + | wc -l)
  ((fixed == 0)) || info "gave $fixed files made by root to $dokku_user"
}

set_global_domain() {
  step "Global domain: $domain (apps answer at http://APP.$domain)"
  dokku --quiet domains:set-global "$domain"
}

# Bring apps back after a reboot: a oneshot unit where systemd runs; elsewhere
# scripts/start-services runs `dokku ps:restore` once the daemons answer.
setup_restore() {
  if [[ ! -d /run/systemd/system ]]; then
    step "Boot restore: no systemd here; scripts/start-services runs dokku ps:restore"
    return
  fi
  step "Boot restore: pydokku-restore.service"
  local changed
  changed=$(write_if_changed /etc/systemd/system/pydokku-restore.service 644 <<'EOF'
[Unit]
Description=Restore pydokku apps (dokku ps:restore)
Wants=docker.service nginx.service
After=docker.service nginx.service network-online.target

[Service]
Type=oneshot
ExecStart=/usr/local/bin/dokku ps:restore
RemainAfterExit=yes

[Install]
WantedBy=multi-user.target
EOF
  )
  [[ $changed == unchanged ]] || systemctl daemon-reload
  systemctl is-enabled --quiet pydokku-restore.service || systemctl enable --quiet pydokku-restore.service
}

# Make root's SSH key if missing and let it in as an admin key.
setup_root_key() {
  local key=/root/.ssh/id_ed25519 fingerprint name=admin
  step "Authorizing root's SSH key ($key.pub) for git push"
  install -d -m 0700 /root/.ssh
  if [[ ! -f $key ]]; then
    ssh-keygen -q -t ed25519 -N '' -C "root@$(hostname)" -f "$key"
    info "created $key"
  fi
  [[ -f $key.pub ]] || ssh-keygen -y -f "$key" >"$key.pub"
  fingerprint=$(ssh-keygen -lf "$key.pub" | awk '{print $2}')
  local found
  # Line 1: the name holding this fingerprint ("-" if none); line 2: every key name.
  mapfile -t found < <(dokku ssh-keys:list --format json | "$prefix/bin/python" -c '
import json, sys
keys = json.load(sys.stdin)
print(next((k["name"] for k in keys if k["fingerprint"] == sys.argv[1]), "-"))
print(" ".join(k["name"] for k in keys))' "$fingerprint")
  ((${#found[@]} == 2)) || die "Cannot read the list of SSH keys (dokku ssh-keys:list)"
  if [[ ${found[0]} != - ]]; then
    info "already authorized as ${found[0]} ($fingerprint)"
    return
  fi
  # The name "admin" may hold another key already: then name this one after root@host.
  if [[ " ${found[1]} " == *" $name "* ]]; then
    name="root@$(hostname -s)"
  fi
  # Through stdin: the dokku command runs as the dokku user, who cannot read /root.
  dokku --quiet ssh-keys:add "$name" - <"$key.pub" >/dev/null
  info "added as $name ($fingerprint)"
}

deploy_example() {
  local app=hello repo="$work/hello" url status=000 i
  step "Deploying examples/$app with git push dokku@127.0.0.1:$app main"
  cp -r "$here/examples/$app" "$repo"
  git -C "$repo" init -q -b main
  git -C "$repo" add -A
  git -C "$repo" -c user.name=pydokku -c user.email=install@pydokku.invalid \
    commit -q -m "Example app $app"
  export GIT_SSH_COMMAND="ssh -o StrictHostKeyChecking=accept-new \
-o UserKnownHostsFile=/root/.ssh/known_hosts -o IdentitiesOnly=yes -o BatchMode=yes \
-i /root/.ssh/id_ed25519"
  # --force: every run pushes a new commit, so a second run redeploys cleanly.
  git -C "$repo" push --force "$dokku_user@127.0.0.1:$app" main </dev/null \
    || die "git push failed: the example app is not deployed"
  url=$(dokku url "$app" 2>/dev/null) || url="http://$app.$domain"
  url=${url%/}
  local curl=(curl -s -o /dev/null -w '%{http_code}' --max-time 5)
  # localhost resolves through nss-myhostname; any other domain may not point here yet.
  [[ $domain == localhost ]] || curl+=(--resolve "$app.$domain:80:127.0.0.1")
  for ((i = 0; i < 20; i++)); do
    status=$("${curl[@]}" "$url/") || true
    [[ $status == 200 ]] && break
    sleep 0.5
  done
  printf -- '=====> %s deployed: %s (HTTP %s)\n' "$app" "$url" "$status"
  [[ $status == 200 ]] || die "$url answered HTTP $status, not 200"
}

choose_engine
install_packages
step "Starting the daemons (scripts/start-services)"
# 9>&-: the daemons must not inherit the install lock, or a later install.sh finds it held.
"$here/scripts/start-services" --no-restore 9>&-
setup_user
install_pydokku
setup_sudo
setup_name_resolution
step "Offline base image (scripts/make-base-image)"
"$here/scripts/make-base-image"
# The auto builder's offline stacks: python now (the commonest); the others on first use.
# Builds run on BuildKit's isolated network unless it cannot reach the mirror here.
dokku builder:choose-network
dokku builder-auto:build-stack python
plugin_install
fix_ownership
set_global_domain
setup_restore
if ((example)); then
  setup_root_key
  deploy_example
fi
step "Done in $((SECONDS - started)) s"
