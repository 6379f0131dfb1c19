"""A third-party plugin found through its entry point: listed, run, disabled, enabled."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from tests.conftest import Dokku, Result

PLUGIN_MODULE = textwrap.dedent(
    '''
    """A test plugin adding `hello:world`."""

    from pydokku import output
    from pydokku.cli.registry import Context, Namespace, arg
    from pydokku.hookspecs import hookimpl

    hello = Namespace("hello", "Say hello")


    @hello.command("world", "<name>")
    @arg("name")
    def world(ctx: Context, name: str) -> None:
        """Greet someone."""
        output.echo(f"hello {name}")


    @hookimpl
    def commands() -> list[Namespace]:
        return [hello]


    @hookimpl
    def user_auth(user, ssh_name, command, args):
        """Let the key named `intern` only list apps."""
        return False if ssh_name == "intern" and command != "apps:list" else None
    '''
)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A directory holding an installed distribution with a `pydokku.plugins` entry point."""
    site = tmp_path / "site"
    dist = site / "pydokku_hello-1.2.3.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: pydokku-hello\nVersion: 1.2.3\nSummary: Says hello\n"
    )
    (dist / "entry_points.txt").write_text("[pydokku.plugins]\nhello = pydokku_hello\n")
    (site / "pydokku_hello.py").write_text(PLUGIN_MODULE)
    return site


def run(dokku: Dokku, site: Path, *args: str) -> Result:
    return dokku(*args, env={"PYTHONPATH": str(site)})


def listed(dokku: Dokku, site: Path) -> dict[str, dict[str, object]]:
    out = run(dokku, site, "plugin:list", "--format", "json").stdout
    return {p["name"]: p for p in json.loads(out)}


def test_third_party_plugin_is_listed_and_runs(dokku: Dokku, site: Path) -> None:
    assert listed(dokku, site)["hello"] == {
        "name": "hello",
        "version": "1.2.3",
        "enabled": True,
        "description": "Says hello",
        "builtin": False,
    }
    assert "  hello" in run(dokku, site, "plugin:list").stdout
    assert run(dokku, site, "plugin:installed", "hello").rc == 0
    result = run(dokku, site, "hello:world", "you")
    assert (result.rc, result.stdout) == (0, "hello you\n")
    assert "    hello " in run(dokku, site, "help").stdout


def test_disabled_plugin_is_not_used(dokku: Dokku, site: Path) -> None:
    result = run(dokku, site, "plugin:disable", "hello")
    assert (result.rc, result.stdout) == (0, "-----> Plugin hello disabled\n")
    assert listed(dokku, site)["hello"]["enabled"] is False
    result = run(dokku, site, "hello:world", "you")
    assert result.rc == 1
    assert result.stderr.startswith(" !     `hello:world` is not a dokku command.")
    assert "    hello " not in run(dokku, site, "help").stdout
    assert run(dokku, site, "plugin:enable", "hello").rc == 0
    assert listed(dokku, site)["hello"]["enabled"] is True
    assert run(dokku, site, "hello:world", "again").stdout == "hello again\n"


def over_ssh(dokku: Dokku, site: Path, command: str, key_name: str) -> Result:
    env = {"PYTHONPATH": str(site), "SSH_ORIGINAL_COMMAND": command, "NAME": key_name}
    return dokku(env=env)


def test_user_auth_of_a_plugin_can_deny_an_ssh_command(dokku: Dokku, site: Path) -> None:
    denied = over_ssh(dokku, site, "config:get --global NOPE", "intern")
    assert (denied.rc, denied.stderr) == (1, " !     Permission denied for config:get\n")
    assert over_ssh(dokku, site, "apps:list", "intern").rc == 0
    assert over_ssh(dokku, site, "config:set --global A=1", "admin").rc == 0


def test_no_builtin_plugin_implements_user_auth() -> None:
    """The SSH path skips user_auth when no third-party plugin is installed; keep it true."""
    from pydokku.plugins.manager import get_manager, is_builtin

    implementers = [i.plugin_name for i in get_manager().hook.user_auth.get_hookimpls()]
    assert not [name for name in implementers if is_builtin(name)]


def test_third_party_plugins_are_found_by_their_entry_point(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pydokku.plugins.manager import has_third_party_plugins

    monkeypatch.setattr("sys.path", [str(site.parent / "nothing"), str(site)])
    assert has_third_party_plugins()
    (site / "pydokku_hello-1.2.3.dist-info" / "entry_points.txt").write_text("[console_scripts]\n")
    assert not has_third_party_plugins()
