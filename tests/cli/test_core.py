"""Help, version, errors, global flags, `report` and `plugin:*`, run as real `dokku` processes."""

from __future__ import annotations

import json

from pydokku import __version__
from tests.conftest import Dokku

BUILTIN_NAMESPACES = ("apps", "config", "events", "plugin", "report", "version")


def test_help_lists_every_builtin_namespace(dokku: Dokku) -> None:
    result = dokku.ok("help")
    assert result.lines[0].startswith("Usage: dokku [--quiet|--trace|--force] [--app APP]")
    listed = {line.split()[0] for line in result.lines if line.startswith("    ")}
    assert set(BUILTIN_NAMESPACES) <= listed
    assert "    apps" in result.stdout
    assert result.lines[-1] == f"pydokku {__version__}"
    assert result.stderr == ""


def test_no_arguments_and_help_flags_print_the_overview(dokku: Dokku) -> None:
    overview = dokku.ok("help").stdout
    assert dokku.ok().stdout == overview
    assert dokku.ok("--help").stdout == overview
    assert dokku.ok("-h").stdout == overview
    listed = {line.split()[0] for line in overview.splitlines() if line.startswith("    ")}
    assert {"apps", "config", "git", "ps"} <= listed
    assert not listed & {"git-hook", "git-receive-pack", "git-upload-pack", "git-upload-archive"}


def test_namespace_help_is_the_same_however_asked(dokku: Dokku) -> None:
    text = dokku.ok("apps:help").stdout
    assert text.startswith("Usage: dokku apps[:COMMAND]\n\nManage apps\n\nAdditional commands:\n")
    assert dokku.ok("apps", "--help").stdout == text
    assert dokku.ok("apps", "-h").stdout == text
    assert dokku.ok("help", "apps").stdout == text
    assert dokku.ok("apps").stdout == text  # a namespace without a default command
    for command in ("apps:create", "apps:destroy", "apps:list", "apps:rename", "apps:report"):
        assert f"    {command} " in text


def test_namespace_help_aligns_descriptions(dokku: Dokku) -> None:
    lines = [line for line in dokku.ok("config:help").lines if line.startswith("    config")]
    assert len(lines) >= 8
    columns = {len(line) - len(line[4:].split("  ", 1)[1].lstrip()) for line in lines}
    assert len(columns) == 1


def test_command_help(dokku: Dokku) -> None:
    result = dokku.ok("config:set", "--help")
    assert result.lines[0] == (
        "Usage: dokku config:set [--encoded] [--no-restart] (<app>|--global) "
        "KEY1=VALUE1 [KEY2=VALUE2 ...]"
    )
    assert "Set one or more config vars" in result.stdout
    assert dokku.ok("apps:create", "-h").lines[0] == "Usage: dokku apps:create <app>"


def test_help_does_not_run_the_command(dokku: Dokku) -> None:
    dokku.ok("apps:create", "myapp", "--help")
    assert dokku.ok("apps:list", "--format", "json").stdout == "[]\n"


def test_version(dokku: Dokku) -> None:
    from pydokku import DOKKU_COMPAT_VERSION

    line = f"dokku version {DOKKU_COMPAT_VERSION} (pydokku {__version__})\n"
    assert line.startswith("dokku version 0.38.")  # tools take the first x.y.z as Dokku's
    for spelling in ("version", "--version", "-v"):
        assert dokku.ok(spelling).stdout == line


def test_unknown_command_suggests_the_closest(dokku: Dokku) -> None:
    result = dokku("apps:lst")
    assert result.rc == 1
    assert result.stdout == ""
    assert result.stderr == (
        " !     `apps:lst` is not a dokku command.\n !     Did you mean `apps:list`?\n"
    )


def test_unknown_command_without_a_close_match(dokku: Dokku) -> None:
    result = dokku("zzzzqqq")
    assert result.rc == 1
    assert result.stderr == (
        " !     `zzzzqqq` is not a dokku command.\n"
        " !     See `dokku help` for a list of available commands.\n"
    )


def test_unknown_help_topic(dokku: Dokku) -> None:
    result = dokku("help", "nope")
    assert result.rc == 1
    assert result.stderr.startswith(" !     `nope` is not a dokku command.")


def test_missing_argument_shows_the_usage(dokku: Dokku) -> None:
    result = dokku("apps:create")
    assert result.rc == 1
    assert result.stdout == ""
    assert result.stderr == (
        " !     The following arguments are required: app\n !     Usage: dokku apps:create <app>\n"
    )


def test_extra_argument_shows_the_usage(dokku: Dokku) -> None:
    result = dokku("apps:create", "a", "b")
    assert result.rc == 1
    assert result.stderr == (
        " !     Unrecognized arguments: b\n !     Usage: dokku apps:create <app>\n"
    )


def test_bad_option_value_is_quoted_as_typed(dokku: Dokku) -> None:
    result = dokku("apps:list", "--format", "XML")
    assert result.rc == 1
    assert "invalid choice: 'XML'" in result.stderr
    assert result.stderr.endswith(" !     Usage: dokku apps:list [--format stdout|json]\n")


def test_unknown_global_flag(dokku: Dokku) -> None:
    result = dokku("--bogus", "apps:list")
    assert result.rc == 1
    assert result.stderr == " !     Unknown global flag --bogus\n"


def corrupt_store(dokku: Dokku) -> None:
    dokku.db.parent.mkdir(parents=True)
    dokku.db.write_bytes(b"this is not a sqlite database" * 100)


def test_unexpected_errors_have_no_traceback_without_trace(dokku: Dokku) -> None:
    corrupt_store(dokku)
    result = dokku("apps:list")
    assert result.rc == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(" !     Unexpected error: DatabaseError: ")
    assert result.stderr.endswith(" !     Run again with --trace to see the details\n")


def test_trace_shows_the_traceback(dokku: Dokku) -> None:
    corrupt_store(dokku)
    result = dokku("--trace", "apps:list")
    assert result.rc == 1
    assert "Traceback (most recent call last)" in result.stderr
    assert "sqlite3.DatabaseError" in result.stderr


def test_errors_have_no_traceback(dokku: Dokku) -> None:
    for args in (("apps:destroy", "nope", "--force"), ("config:get", "nope", "K"), ("x:y",)):
        result = dokku(*args)
        assert result.rc == 1
        assert "Traceback" not in result.stderr
        assert result.stderr.startswith(" !     ")


def test_quiet_silences_progress_but_not_data(dokku: Dokku) -> None:
    assert dokku.ok("apps:create", "loud").stdout == "-----> Creating loud...\n"
    assert dokku.ok("--quiet", "apps:create", "hush").stdout == ""
    assert dokku.ok("--quiet", "config:set", "hush", "A=1").stdout == ""
    assert dokku.ok("--quiet", "apps:list").stdout == "hush\nloud\n"
    assert dokku.ok("--quiet", "config:get", "hush", "A").stdout == "1\n"
    assert "----->" in dokku.ok("config:set", "hush", "B=2").stdout


def test_app_flag_inserts_the_app(dokku: Dokku, app: str) -> None:
    assert dokku.ok("--app", app, "config:set", "A=1").stdout.startswith("-----> Setting")
    assert dokku.ok("config:get", app, "A").stdout == "1\n"
    assert dokku.ok("--app", app, "config:get", "A").stdout == "1\n"
    assert dokku.ok(f"--app={app}", "config:keys").stdout == "A\n"
    assert dokku("--app", "nope", "config:set", "A=1").rc == 1


def test_report_of_one_app(dokku: Dokku, app: str) -> None:
    dokku.ok("config:set", app, "A=1", "B=2")
    result = dokku.ok("report", app)
    headers = [line for line in result.lines if line.startswith("=====>")]
    assert headers[:2] == ["=====> myapp app information", "=====> myapp config information"]
    assert "       Config keys: A B" in result.lines
    assert f"       App dir:                           {dokku.root / app}" in result.lines


def test_report_as_json(dokku: Dokku, app: str) -> None:
    dokku.ok("config:set", app, "A=1")
    data = json.loads(dokku.ok("report", app, "--format", "json").stdout)
    assert data["config"] == {"keys": "A"}
    assert data["app"]["dir"] == str(dokku.root / app)
    assert data["app"]["locked"] == "false"


def test_report_of_every_app(dokku: Dokku) -> None:
    dokku.ok("apps:create", "one")
    dokku.ok("apps:create", "two")
    headers = [line for line in dokku.ok("report").lines if "app information" in line]
    assert headers == ["=====> one app information", "=====> two app information"]
    data = json.loads(dokku.ok("report", "--format", "json").stdout)
    assert sorted(data) == ["one", "two"]


def test_report_of_a_missing_app(dokku: Dokku) -> None:
    result = dokku("report", "nope")
    assert result.rc == 1
    assert result.stderr == " !     App nope does not exist\n"


def test_plugin_list(dokku: Dokku) -> None:
    lines = dokku.ok("plugin:list").lines
    rows = {line.split()[0]: line.split() for line in lines}
    for name in ("core", "apps", "config", "events", "plugin"):
        assert rows[name][1:3] == [__version__, "enabled"]
    assert dokku.ok("plugin").stdout == dokku.ok("plugin:list").stdout


def test_plugin_list_json(dokku: Dokku) -> None:
    plugins = {p["name"]: p for p in json.loads(dokku.ok("plugin:list", "--format", "json").stdout)}
    assert plugins["apps"] == {
        "name": "apps",
        "version": __version__,
        "enabled": True,
        "description": "Manage apps: create, destroy, rename, clone, lock",
        "builtin": True,
    }
    assert {"core", "apps", "config", "events", "plugin"} <= set(plugins)


def test_plugin_installed_and_builtins_cannot_be_switched(dokku: Dokku) -> None:
    assert dokku("plugin:installed", "config").rc == 0
    assert dokku("plugin:installed", "nope").rc == 1
    result = dokku("plugin:disable", "apps")
    assert (result.rc, result.stderr) == (
        1,
        " !     Plugin apps is built in and cannot be disabled\n",
    )
    result = dokku("plugin:enable", "nope")
    assert (result.rc, result.stderr) == (1, " !     Plugin nope is not installed\n")
