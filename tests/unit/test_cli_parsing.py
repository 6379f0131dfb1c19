"""Global flags, `--app` insertion, command declarations and `--global` handling."""

from __future__ import annotations

from typing import Any

import pytest

from pydokku.cli import parse_invocation, with_app
from pydokku.cli.registry import Command, Context, Namespace, arg, format_arg
from pydokku.errors import UsageError
from pydokku.plugins import find_command, find_namespace
from pydokku.validation import GLOBAL_SCOPE


@pytest.mark.parametrize(
    ("argv", "name", "args", "flags"),
    [
        ([], "", [], {}),
        (["apps:list"], "apps:list", [], {}),
        (["config:set", "a", "K=v"], "config:set", ["a", "K=v"], {}),
        (["--quiet", "apps:list"], "apps:list", [], {"quiet": True}),
        (["--trace", "apps:list"], "apps:list", [], {"trace": True}),
        (
            ["--force", "--quiet", "--trace", "apps:destroy", "a"],
            "apps:destroy",
            ["a"],
            {"force": True, "quiet": True, "trace": True},
        ),
        (["--app", "a", "config:set", "K=v"], "config:set", ["K=v"], {"app": "a"}),
        (["--app=a", "config:show"], "config:show", [], {"app": "a"}),
        (["--quiet", "--app", "a", "config"], "config", [], {"quiet": True, "app": "a"}),
        (["--version"], "version", [], {}),
        (["-v"], "version", [], {}),
        (["--help"], "--help", [], {}),
        (["help", "apps"], "help", ["apps"], {}),
        # Flags after the command name belong to the command.
        (["apps:destroy", "a", "--force"], "apps:destroy", ["a", "--force"], {}),
        (["config:get", "--quiet", "a", "K"], "config:get", ["--quiet", "a", "K"], {}),
    ],
)
def test_parse_invocation(
    argv: list[str], name: str, args: list[str], flags: dict[str, Any]
) -> None:
    inv = parse_invocation(argv)
    assert inv.name == name
    assert inv.args == args
    expected = {"quiet": False, "trace": False, "force": False, "app": None, **flags}
    actual = {k: getattr(inv, k) for k in expected}
    assert actual == expected


@pytest.mark.parametrize(
    ("usage", "args", "expected"),
    [
        ("<app> KEY=VALUE...", ["K=v"], ["a", "K=v"]),
        ("<app>", ["a"], ["a"]),  # Dokku's client repeats the name: one app
        ("[--format stdout|json]", [], []),  # apps:list: no app to put anywhere
        (
            "[--skip-deploy] <app> [<proc>=<count>...]",
            ["--skip-deploy", "web=2"],
            ["a", "--skip-deploy", "web=2"],
        ),
        ("<service> <app> [-n]", ["db"], ["db", "a"]),
        ("<service> <app> [-n]", ["db", "other"], ["db", "other"]),
    ],
)
def test_with_app(usage: str, args: list[str], expected: list[str]) -> None:
    assert with_app(usage, args, "a") == expected
    assert with_app(usage, args, None) == args


def test_parse_invocation_does_not_change_its_input() -> None:
    argv = ["--app", "a", "config:set", "K=v"]
    parse_invocation(argv)
    assert argv == ["--app", "a", "config:set", "K=v"]


@pytest.mark.parametrize("argv", [["--bogus", "apps:list"], ["--app"]])
def test_unknown_or_incomplete_global_flag(argv: list[str]) -> None:
    with pytest.raises(UsageError) as info:
        parse_invocation(argv)
    assert info.value.exit_code == 1


def demo_namespace() -> Namespace:
    ns = Namespace("demo", "A demo namespace")

    @ns.command("set", "(<app>|--global) KEY [VALUE]", global_scope=True)
    @arg("target")
    @arg("key")
    @arg("value", nargs="?", default="")
    def set_(ctx: Context, target: str, key: str, value: str) -> None:
        """Set a thing.

        More detail.
        """

    @ns.command("many", "(<app>|--global) ITEM...", global_scope=True)
    @arg("target")
    @arg("items", nargs="+")
    def many(ctx: Context, target: str, items: list[str]) -> None:
        """Take many items."""

    @ns.command("report", "[<app>] [<flag>]", extra_args=True)
    @arg("app", nargs="?")
    @arg("--global", dest="global_", action="store_true")
    @format_arg()
    def report(ctx: Context, app: str | None, global_: bool, fmt: str, extra: list[str]) -> None:
        """Report."""

    @ns.command("plain", "<app>")
    @arg("app")
    @arg("--force", action="store_true")
    def plain(ctx: Context, app: str, force: bool) -> int:
        """Return 3 when forced."""
        return 3 if force else 0

    @ns.command("hidden", hidden=True)
    def hidden(ctx: Context) -> None:
        """Not listed."""

    return ns


def command(name: str) -> Command:
    return demo_namespace().commands[name]


def test_global_takes_the_place_of_the_app() -> None:
    assert command("demo:set").parse(["--global", "K", "v"]) == {
        "target": GLOBAL_SCOPE,
        "key": "K",
        "value": "v",
    }
    assert command("demo:set").parse(["myapp", "K"]) == {
        "target": "myapp",
        "key": "K",
        "value": "",
    }


def test_global_is_an_ordinary_flag_without_global_scope() -> None:
    parsed = command("demo:report").parse(["--global"])
    assert parsed == {"app": None, "global_": True, "fmt": "stdout", "extra": []}


def test_global_on_a_command_without_it_is_a_usage_error() -> None:
    with pytest.raises(UsageError) as info:
        command("demo:plain").parse(["--global"])
    assert info.value.usage == "dokku demo:plain <app>"


def test_stray_global_never_leaks_the_internal_marker() -> None:
    parsed = command("demo:many").parse(["myapp", "--global", "x"])
    assert parsed["items"] == [GLOBAL_SCOPE, "x"]


def test_report_flags_are_passed_on() -> None:
    parsed = command("demo:report").parse(["a", "--demo-x", "--format", "json"])
    assert parsed == {"app": "a", "global_": False, "fmt": "json", "extra": ["--demo-x"]}


def test_usage_error_keeps_user_text_as_typed() -> None:
    with pytest.raises(UsageError) as info:
        command("demo:report").parse(["--format", "XML"])
    assert "'XML'" in info.value.message
    assert info.value.message[0].isupper()


def test_missing_argument_is_a_usage_error_with_the_usage_line() -> None:
    with pytest.raises(UsageError) as info:
        command("demo:set").parse([])
    assert info.value.message == "The following arguments are required: target, key"
    assert info.value.usage == "dokku demo:set (<app>|--global) KEY [VALUE]"


def test_abbreviated_flags_are_not_accepted() -> None:
    with pytest.raises(UsageError):
        command("demo:plain").parse(["a", "--forc"])


def test_run_returns_the_command_exit_code() -> None:
    assert command("demo:plain").run(Context(), ["a", "--force"]) == 3
    assert command("demo:plain").run(Context(), ["a"]) == 0


def test_help_texts_come_from_docstrings() -> None:
    ns = demo_namespace()
    assert ns.commands["demo:set"].summary == "Set a thing"
    assert ns.commands["demo:plain"].usage == "dokku demo:plain <app>"
    assert [c.name for c in ns.visible()] == ["demo:many", "demo:plain", "demo:report", "demo:set"]


@pytest.mark.parametrize(
    ("name", "found"),
    [
        ("apps:list", "apps:list"),
        ("config", "config:show"),
        ("events", "events:list"),
        ("version", "version"),
        ("report", "report"),
        ("apps", None),
        ("apps:nope", None),
        ("nope:list", None),
        ("rm", None),
    ],
)
def test_find_command(name: str, found: str | None) -> None:
    command = find_command(name)
    assert (command.name if command else None) == found


def test_find_namespace() -> None:
    ns = find_namespace("apps")
    assert ns is not None
    assert ns.name == "apps"
    assert "apps:create" in ns.commands
    assert find_namespace("nope") is None
