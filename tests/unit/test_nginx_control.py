"""Running nginx: command lines, error lines, and the swap-validate-restore of config files."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from pydokku.errors import DokkuError
from pydokku.plugins.nginx import control

# A stand-in nginx for pure-logic tests: `-t` fails when any watched file holds
# "broken"; `-s reload` reports that nginx is not running. Real nginx runs in the
# integration tests.
FAKE_NGINX = """#!{python}
import pathlib, sys
args = sys.argv[1:]
if args[-1:] == ["-t"]:
    for path in pathlib.Path({watch!r}).glob("*.conf"):
        if "broken" in path.read_text():
            print(f'nginx: [emerg] unknown directive "broken" in {{path}}:1', file=sys.stderr)
            print("nginx: configuration file test failed", file=sys.stderr)
            sys.exit(1)
    sys.exit(0)
if args[-2:] == ["-s", "reload"]:
    print('nginx: [error] open() "/run/x.pid" failed (2: No such file)', file=sys.stderr)
    sys.exit(1)
sys.exit(2)
"""


@pytest.fixture
def fake_nginx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point PYDOKKU_NGINX at a stand-in judging files in the returned directory."""
    watch = tmp_path / "conf"
    watch.mkdir()
    script = tmp_path / "nginx"
    script.write_text(FAKE_NGINX.format(python=sys.executable, watch=str(watch)))
    script.chmod(0o755)
    monkeypatch.setenv("PYDOKKU_NGINX", str(script))
    monkeypatch.setenv("DOKKU_LIB_ROOT", str(tmp_path / "lib"))
    monkeypatch.delenv("PYDOKKU_NGINX_MAIN_CONF", raising=False)
    monkeypatch.setattr(control.os, "geteuid", lambda: 0)
    return watch


def test_argv_as_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYDOKKU_NGINX", "/opt/nginx/sbin/nginx")
    monkeypatch.delenv("PYDOKKU_NGINX_MAIN_CONF", raising=False)
    monkeypatch.setattr(control.os, "geteuid", lambda: 0)
    assert control.test_argv() == ["/opt/nginx/sbin/nginx", "-t"]
    assert control.reload_argv() == ["/opt/nginx/sbin/nginx", "-s", "reload"]


def test_argv_uses_sudo_unless_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYDOKKU_NGINX", "/usr/sbin/nginx")
    monkeypatch.delenv("PYDOKKU_NGINX_MAIN_CONF", raising=False)
    monkeypatch.setattr(control.os, "geteuid", lambda: 1000)
    assert control.test_argv() == ["sudo", "-n", "/usr/sbin/nginx", "-t"]
    assert control.reload_argv() == ["sudo", "-n", "/usr/sbin/nginx", "-s", "reload"]


def test_argv_with_a_main_config(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYDOKKU_NGINX", "/usr/sbin/nginx")
    monkeypatch.setenv("PYDOKKU_NGINX_MAIN_CONF", "/tmp/main.conf")
    monkeypatch.setattr(control.os, "geteuid", lambda: 0)
    assert control.test_argv() == ["/usr/sbin/nginx", "-c", "/tmp/main.conf", "-t"]


def test_binary_falls_back_to_path_then_usr_sbin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PYDOKKU_NGINX", raising=False)
    monkeypatch.setattr(control.shutil, "which", lambda name: None)
    assert control.binary() == "/usr/sbin/nginx"
    monkeypatch.setattr(control.shutil, "which", lambda name: "/usr/local/bin/nginx")
    assert control.binary() == "/usr/local/bin/nginx"


def test_error_line_picks_the_emerg_line() -> None:
    output = (
        'nginx: [warn] conflicting server name "a" on 0.0.0.0:80, ignored\n'
        'nginx: [emerg] unknown directive "oops" in /home/dokku/web/nginx.conf:3\n'
        "nginx: configuration file /etc/nginx/nginx.conf test failed\n"
    )
    assert control.error_line(output) == (
        '[emerg] unknown directive "oops" in /home/dokku/web/nginx.conf:3'
    )
    assert control.error_line("") == "no output"


def test_not_running_detection() -> None:
    assert control.is_not_running('[error] open() "/run/nginx.pid" failed (2: No such file)')
    assert control.is_not_running('[error] invalid PID number "" in "/run/nginx.pid"')
    assert not control.is_not_running("[emerg] bind() to 0.0.0.0:80 failed")


def test_apply_without_nginx_writes_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYDOKKU_NGINX", str(tmp_path / "missing-nginx"))
    monkeypatch.setenv("DOKKU_LIB_ROOT", str(tmp_path / "lib"))
    target = tmp_path / "app" / "nginx.conf"
    outcome = control.apply(target, "server {}\n", "the config")
    assert target.read_text() == "server {}\n"
    assert not outcome.validated
    assert "nginx is not installed" in outcome.notes[0]


def test_apply_keeps_a_valid_config(fake_nginx: Path) -> None:
    target = fake_nginx / "web.conf"
    outcome = control.apply(target, "good\n", "the config")
    assert target.read_text() == "good\n"
    assert outcome.validated
    assert not outcome.reloaded
    assert "nginx is not running" in outcome.notes[0]


def test_apply_restores_the_previous_config_when_nginx_rejects(fake_nginx: Path) -> None:
    target = fake_nginx / "web.conf"
    target.write_text("good\n")
    with pytest.raises(DokkuError, match=r"previous config was kept.*unknown directive"):
        control.apply(target, "broken\n", "the config")
    assert target.read_text() == "good\n"
    assert sorted(p.name for p in fake_nginx.iterdir()) == ["web.conf"]


def test_apply_removes_a_rejected_first_config(fake_nginx: Path) -> None:
    target = fake_nginx / "web.conf"
    with pytest.raises(DokkuError, match="it was removed"):
        control.apply(target, "broken\n", "the config")
    assert not target.exists()


def test_apply_none_removes_the_file(fake_nginx: Path) -> None:
    target = fake_nginx / "web.conf"
    target.write_text("good\n")
    assert control.apply(target, None, "the removal").validated
    assert not target.exists()
