"""Host-side nginx files the installer puts in place (idempotent).

- `<conf dir>/dokku.conf`: the websocket `map`, `server_names_hash_bucket_size` and
  `include $DOKKU_ROOT/*/nginx.conf;`
- `<conf dir>/00-default-vhost.conf`: a catch-all server closing connections for
  unknown hosts (written once; Debian's own default site is disabled then, as both
  claim `default_server` on port 80).
- the sudo rule letting the dokku user run exactly `nginx -t` and `nginx -s reload`.

The conf dir is `/etc/nginx/conf.d` unless `PYDOKKU_NGINX_CONF_DIR` says otherwise.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydokku import paths
from pydokku.plugins.nginx import control, render

DEFAULT_CONF_DIR = "/etc/nginx/conf.d"
DOKKU_CONF = "dokku.conf"
DEFAULT_VHOST_CONF = "00-default-vhost.conf"
SUDOERS_FILE = "/etc/sudoers.d/dokku-nginx"


def conf_dir() -> Path:
    """Return nginx's conf.d directory (`PYDOKKU_NGINX_CONF_DIR`, default /etc/nginx/conf.d)."""
    return Path(os.environ.get("PYDOKKU_NGINX_CONF_DIR") or DEFAULT_CONF_DIR)


def sudoers_rule(user: str = "dokku") -> str:
    """Return the sudoers line allowing `user` exactly `nginx -t` and `nginx -s reload`."""
    nginx = control.binary()
    return f"{user} ALL=(root) NOPASSWD: {nginx} -t, {nginx} -s reload\n"


def install_host_config(directory: Path | None = None) -> list[str]:
    """Write dokku.conf and the default vhost into nginx's conf dir; return what was done."""
    target = directory or conf_dir()
    target.mkdir(parents=True, exist_ok=True)
    done = [f"Wrote {target / DOKKU_CONF}"]
    notes = control.apply(
        target / DOKKU_CONF, render.dokku_conf(paths.dokku_root()), DOKKU_CONF
    ).notes
    default_vhost = target / DEFAULT_VHOST_CONF
    if not default_vhost.exists():
        link = target.parent / "sites-enabled" / "default"
        pointed = os.readlink(link) if link.is_symlink() else None
        if pointed is not None:
            link.unlink()  # Debian's default site also claims default_server on port 80
            done.append(f"Disabled {link}")
        try:
            outcome = control.apply(default_vhost, render.default_vhost_conf(), DEFAULT_VHOST_CONF)
        except BaseException:
            if pointed is not None:
                os.symlink(pointed, link)
            raise
        notes += outcome.notes
        done.append(f"Wrote {default_vhost}")
    return done + list(dict.fromkeys(notes))


def install_sudoers(path: Path = Path(SUDOERS_FILE), user: str = "dokku") -> bool:
    """Write the nginx sudo rule (mode 0440) if sudo and a root-owned nginx exist."""
    if not path.parent.is_dir() or not root_owned(Path(control.binary())):
        return False
    fresh = path.with_name(f".{path.name}.new")
    fresh.write_text(sudoers_rule(user))
    fresh.chmod(0o440)
    os.replace(fresh, path)
    return True


def root_owned(binary: Path) -> bool:
    """Tell whether only root can change `binary` (so granting sudo on it is safe)."""
    import stat

    try:
        checked = [binary.resolve(strict=True), *binary.resolve(strict=True).parents]
        modes = [p.stat() for p in checked]
    except OSError:
        return False
    unsafe = stat.S_IWGRP | stat.S_IWOTH
    return all(m.st_uid == 0 and not (m.st_mode & unsafe) for m in modes)
