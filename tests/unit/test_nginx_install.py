"""Host-side nginx files: dokku.conf, the default vhost, Debian's default site, sudo rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from pydokku.plugins.nginx import install


@pytest.fixture
def nginx_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fake /etc/nginx with Debian's default site enabled; nginx itself is absent."""
    etc = tmp_path / "etc-nginx"
    (etc / "sites-available").mkdir(parents=True)
    (etc / "sites-available" / "default").write_text("server { listen 80 default_server; }\n")
    (etc / "sites-enabled").mkdir()
    (etc / "sites-enabled" / "default").symlink_to(etc / "sites-available" / "default")
    monkeypatch.setenv("PYDOKKU_NGINX_CONF_DIR", str(etc / "conf.d"))
    monkeypatch.setenv("PYDOKKU_NGINX", str(tmp_path / "no-nginx"))
    monkeypatch.setenv("DOKKU_ROOT", str(tmp_path / "home-dokku"))
    monkeypatch.setenv("DOKKU_LIB_ROOT", str(tmp_path / "lib"))
    return etc


def test_install_writes_both_files_and_disables_debian_default(nginx_dir: Path) -> None:
    done = install.install_host_config()
    conf_d = nginx_dir / "conf.d"
    dokku_conf = (conf_d / "dokku.conf").read_text()
    assert f"include {nginx_dir.parent / 'home-dokku'}/*/nginx.conf;" in dokku_conf
    assert "map $http_upgrade $connection_upgrade" in dokku_conf
    assert "return 404 " in (conf_d / "00-default-vhost.conf").read_text()
    assert not (nginx_dir / "sites-enabled" / "default").exists()
    assert (nginx_dir / "sites-available" / "default").exists()
    assert any("Disabled" in line for line in done)
    assert any("nginx is not installed" in line for line in done)


def test_install_is_idempotent_and_keeps_an_edited_default_vhost(nginx_dir: Path) -> None:
    install.install_host_config()
    default_vhost = nginx_dir / "conf.d" / "00-default-vhost.conf"
    default_vhost.write_text("# mine\n")
    install.install_host_config()
    assert default_vhost.read_text() == "# mine\n"


def test_sudoers_rule_names_exactly_two_commands(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYDOKKU_NGINX", "/usr/sbin/nginx")
    assert install.sudoers_rule() == (
        "dokku ALL=(root) NOPASSWD: /usr/sbin/nginx -t, /usr/sbin/nginx -s reload\n"
    )


def test_no_sudo_rule_for_a_binary_others_could_replace(tmp_path: Path, nginx_dir: Path) -> None:
    sudoers = tmp_path / "sudoers.d"
    sudoers.mkdir()
    fake = tmp_path / "no-nginx"
    fake.write_text("")
    assert not install.install_sudoers(sudoers / "dokku-nginx")
    assert not (sudoers / "dokku-nginx").exists()
