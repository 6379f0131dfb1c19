"""config:* end to end."""

from __future__ import annotations

import base64
import json
import os
import subprocess
from pathlib import Path

import pytest

from pydokku.plugins.config import formats
from tests.conftest import Dokku


def env_of(dokku: Dokku, target: str, *flags: str) -> dict[str, str]:
    out = dokku.ok("config:export", "--format", "json", *flags, target).stdout
    env: dict[str, str] = json.loads(out)
    return env


def test_set_and_get(dokku: Dokku, app: str) -> None:
    result = dokku.ok("config:set", app, "A=1", "LONGER=two words")
    assert result.stdout == (
        "-----> Setting config vars\n       A:       1\n       LONGER:  two words\n"
    )
    assert dokku.ok("config:get", app, "A").stdout == "1\n"
    assert dokku.ok("config:get", app, "LONGER").stdout == "two words\n"
    dokku.ok("config:set", app, "A=2")
    assert env_of(dokku, app) == {"A": "2", "LONGER": "two words"}


def test_get_of_an_unset_key_exits_1_silently(dokku: Dokku, app: str) -> None:
    result = dokku("config:get", app, "NOPE")
    assert (result.rc, result.stdout, result.stderr) == (1, "", "")


def test_get_quoted(dokku: Dokku, app: str) -> None:
    dokku.ok("config:set", app, "A=x y", "B=it's", "C=plain")
    assert dokku.ok("config:get", "--quoted", app, "A").stdout == "'x y'\n"
    assert dokku.ok("config:get", app, "B", "--quoted").stdout == "'it'\"'\"'s'\n"
    assert dokku.ok("config:get", "--quoted", app, "C").stdout == "plain\n"


def test_set_value_may_contain_equals(dokku: Dokku, app: str) -> None:
    dokku.ok("config:set", app, "URL=postgres://u:p@h/db?a=b&c=d", "EMPTY=")
    assert dokku.ok("config:get", app, "URL").stdout == "postgres://u:p@h/db?a=b&c=d\n"
    assert dokku.ok("config:get", app, "EMPTY").stdout == "\n"


def test_unset(dokku: Dokku, app: str) -> None:
    dokku.ok("config:set", app, "A=1", "B=2", "C=3")
    result = dokku.ok("config:unset", app, "A", "C")
    assert result.stdout == "-----> Unsetting A\n-----> Unsetting C\n"
    assert env_of(dokku, app) == {"B": "2"}
    dokku.ok("config:unset", app, "NEVER_SET")
    assert env_of(dokku, app) == {"B": "2"}


def test_clear(dokku: Dokku, app: str) -> None:
    dokku.ok("config:set", app, "A=1", "B=2")
    dokku.ok("config:set", "--global", "G=1")
    assert dokku.ok("config:clear", app).stdout == "-----> Clearing config vars\n"
    assert env_of(dokku, app) == {}
    assert env_of(dokku, "--global") == {"G": "1"}


def test_keys(dokku: Dokku, app: str) -> None:
    assert dokku.ok("config:keys", app).stdout == ""
    dokku.ok("config:set", app, "ZED=1", "ALPHA=2", "_MID=3")
    assert dokku.ok("config:keys", app).stdout == "ALPHA\nZED\n_MID\n"


def test_show(dokku: Dokku, app: str) -> None:
    result = dokku.ok("config:show", app)
    assert (result.stdout, result.stderr) == ("", " !     No config vars for myapp\n")
    dokku.ok("config:set", app, "B=2", "A=1", "LONG_KEY=x")
    expected = "=====> myapp env vars\nA:         1\nB:         2\nLONG_KEY:  x\n"
    assert dokku.ok("config:show", app).stdout == expected
    assert dokku.ok("config", app).stdout == expected


def test_global_vars_merge_under_app_vars(dokku: Dokku, app: str) -> None:
    dokku.ok("config:set", "--global", "G=global", "SHARED=from-global")
    dokku.ok("config:set", app, "SHARED=from-app", "A=1")
    assert env_of(dokku, app) == {"A": "1", "SHARED": "from-app"}
    assert env_of(dokku, app, "--merged") == {"A": "1", "G": "global", "SHARED": "from-app"}
    assert env_of(dokku, "--global") == {"G": "global", "SHARED": "from-global"}
    assert dokku.ok("config:keys", "--merged", app).stdout == "A\nG\nSHARED\n"
    assert dokku.ok("config:keys", app).stdout == "A\nSHARED\n"
    assert dokku.ok("config:show", "--merged", app).stdout == (
        "=====> myapp env vars\nA:       1\nG:       global\nSHARED:  from-app\n"
    )
    assert dokku.ok("config:get", app, "SHARED").stdout == "from-app\n"
    assert dokku.ok("config:get", app, "G").stdout == "global\n"
    assert dokku.ok("config:get", "--global", "SHARED").stdout == "from-global\n"
    dokku.ok("config:unset", app, "SHARED")
    assert dokku.ok("config:get", app, "SHARED").stdout == "from-global\n"


def test_global_commands(dokku: Dokku) -> None:
    dokku.ok("config:set", "--global", "A=1", "B=2")
    assert dokku.ok("config:keys", "--global").stdout == "A\nB\n"
    assert dokku.ok("config:show", "--global").stdout == "=====> --global env vars\nA:  1\nB:  2\n"
    dokku.ok("config:unset", "--global", "A")
    assert env_of(dokku, "--global") == {"B": "2"}
    dokku.ok("config:clear", "--global")
    assert env_of(dokku, "--global") == {}


EXPORT_ENV = {"A": "1", "B": "x y", "C": "it's"}


def test_export_formats(dokku: Dokku, app: str) -> None:
    dokku.ok("config:set", app, *(f"{k}={v}" for k, v in EXPORT_ENV.items()))
    for fmt in formats.EXPORT_FORMATS:
        assert dokku.ok("config:export", "--format", fmt, app).stdout == (
            formats.export(EXPORT_ENV, fmt) + "\n"
        )


def test_export_default_is_exports(dokku: Dokku, app: str) -> None:
    dokku.ok("config:set", app, "A=1", "B=x y")
    assert dokku.ok("config:export", app).stdout == "export A=1\nexport B='x y'\n"
    assert dokku.ok("config:export", "--format", "docker-args-keys", app).stdout == (
        "--env=A --env=B\n"
    )


def test_export_unknown_format(dokku: Dokku, app: str) -> None:
    result = dokku("config:export", "--format", "yaml", app)
    assert result.rc == 1
    assert "invalid choice: 'yaml'" in result.stderr


def test_import_from_a_file(dokku: Dokku, app: str, tmp_path: Path) -> None:
    dokku.ok("config:set", app, "KEEP=1")
    source = tmp_path / "app.env"
    source.write_text("# comment\nA=1\nexport B='x y'\nC=\"line\\nbreak\"\n")
    result = dokku.ok("config:import", app, str(source))
    assert result.stdout == "-----> Importing 3 config vars\n"
    assert env_of(dokku, app) == {"A": "1", "B": "x y", "C": "line\nbreak", "KEEP": "1"}


def test_import_from_stdin(dokku: Dokku, app: str) -> None:
    dokku.ok("config:import", app, stdin='{"A": "1", "B": "two"}')
    dokku.ok("config:import", app, "-", stdin="C=3\n")
    assert env_of(dokku, app) == {"A": "1", "B": "two", "C": "3"}


def test_import_format_flag_as_dokku(dokku: Dokku, app: str) -> None:
    dokku.ok("config:import", "--format", "json", app, stdin='  \n{"J": "1"}')
    dokku.ok("config:import", "--format", "envfile", app, stdin="E=2\n")
    assert env_of(dokku, app) == {"J": "1", "E": "2"}
    refused = dokku("config:import", "--format", "json", app, stdin="E=3\n")
    assert refused.rc == 1
    assert refused.stderr.startswith(" !     Invalid JSON")
    assert dokku("config:import", "--format", "yaml", app, stdin="E=3\n").rc != 0
    empty = dokku("config:import", app, stdin="# nothing\n")
    assert (empty.rc, empty.stderr) == (1, " !     No config vars to set\n")  # Dokku's words
    assert env_of(dokku, app) == {"J": "1", "E": "2"}


def test_import_replace(dokku: Dokku, app: str) -> None:
    dokku.ok("config:set", app, "OLD=1", "A=old")
    dokku.ok("config:import", "--replace", app, stdin="A=new\nB=2\n")
    assert env_of(dokku, app) == {"A": "new", "B": "2"}


def test_import_global(dokku: Dokku) -> None:
    dokku.ok("config:import", "--global", stdin="G=1\n")
    assert env_of(dokku, "--global") == {"G": "1"}


BAD_IMPORTS = [
    ("1BAD=x\n", "Line 1: invalid key '1BAD'"),
    ("GOOD=1\nnot a pair\n", "Line 2: expected KEY=VALUE"),
    ('{"BAD-KEY": "x"}', "Invalid config key 'BAD-KEY'"),
    ('{"A": 1}', "JSON config must map names to string values"),
    ("A='unterminated\n", "unterminated single quote"),
]


def test_bad_import_changes_nothing(dokku: Dokku, app: str) -> None:
    dokku.ok("config:set", app, "KEEP=1")
    for text, message in BAD_IMPORTS:
        result = dokku("config:import", "--replace", app, stdin=text)
        assert result.rc == 1, text
        assert message in result.stderr
    assert env_of(dokku, app) == {"KEEP": "1"}


def test_import_from_a_terminal_is_refused(dokku: Dokku, app: str) -> None:
    leader, follower = os.openpty()
    try:
        proc = subprocess.run(
            dokku.argv(("config:import", app)),
            stdin=follower,
            capture_output=True,
            text=True,
            env=dokku.env(),
            timeout=30,
            check=False,
        )
    finally:
        os.close(follower)
        os.close(leader)
    assert proc.returncode == 1
    assert proc.stderr == " !     Pass a file, or pipe the vars on stdin\n"


def test_import_of_a_missing_file(dokku: Dokku, app: str, tmp_path: Path) -> None:
    result = dokku("config:import", app, str(tmp_path / "nope.env"))
    assert result.rc == 1
    assert result.stderr.startswith(" !     Cannot read ")


def test_set_encoded(dokku: Dokku, app: str) -> None:
    value = "multi\nline 'quoted' $x ✓"
    encoded = base64.b64encode(value.encode()).decode()
    dokku.ok("config:set", "--encoded", app, f"A={encoded}")
    assert env_of(dokku, app) == {"A": value}
    result = dokku("config:set", "--encoded", app, "B=not*base64", "C=YQ==")
    assert result.rc == 1
    assert "Value of B is not valid base64 UTF-8 text" in result.stderr
    assert env_of(dokku, app) == {"A": value}


INVALID_PAIRS = [
    ("GOOD=1", "1BAD=2"),
    ("GOOD=1", "BAD-KEY=2"),
    ("GOOD=1", "NOEQUALS"),
    ("GOOD=1", "=novalue"),
    ("GOOD=1", "TRAILING\n=x"),
]


def test_invalid_keys_are_refused_and_nothing_is_set(dokku: Dokku, app: str) -> None:
    dokku.ok("config:set", app, "KEEP=1")
    for pairs in INVALID_PAIRS:
        result = dokku("config:set", app, *pairs)
        assert result.rc == 1, pairs
        assert result.stderr.startswith(" !     Invalid "), pairs
    assert env_of(dokku, app) == {"KEEP": "1"}


def test_unset_of_an_invalid_key_is_refused(dokku: Dokku, app: str) -> None:
    dokku.ok("config:set", app, "KEEP=1")
    result = dokku("config:unset", app, "KEEP", "BAD-KEY")
    assert result.rc == 1
    assert env_of(dokku, app) == {"KEEP": "1"}


@pytest.mark.parametrize(
    "args",
    [
        ("config:set", "nope", "A=1"),
        ("config:get", "nope", "A"),
        ("config:unset", "nope", "A"),
        ("config:clear", "nope"),
        ("config:keys", "nope"),
        ("config:show", "nope"),
        ("config", "nope"),
        ("config:export", "nope"),
        ("config:import", "nope"),
    ],
)
def test_commands_on_a_missing_app_fail(dokku: Dokku, args: tuple[str, ...]) -> None:
    result = dokku(*args, stdin="A=1\n")
    assert result.rc == 1
    assert result.stderr == " !     App nope does not exist\n"
    assert result.stdout == ""
    assert list(dokku.root.iterdir()) == []


def test_commands_need_a_target(dokku: Dokku) -> None:
    result = dokku("config:set", "A=1")
    assert result.rc == 1
    assert "Usage: dokku config:set" in result.stderr


TRICKY = {
    "EMPTY": "",
    "SPACES": "  with  spaces  ",
    "SINGLE": "it's a 'test'",
    "DOUBLE": 'say "hi"',
    "EQUALS": "a=b==c",
    "DOLLAR": "$HOME ${PATH} $(id) `id`",
    "BACKSLASH": "C:\\path\\n\\t\\\\",
    "NEWLINE": "line1\nline2\n",
    "TAB": "a\tb",
    "UNICODE": "héllo ✓ 日本 🚀",
    "HASH": "# not a comment",
    "SHELLY": "; rm -rf / && echo pwned | cat > x",
    "ASSIGN": "X=1 Y=2",
    "MIXED": "'\"$\\\n\t =#`",
}


def set_tricky(dokku: Dokku, app: str) -> None:
    dokku.ok("config:set", app, *(f"{k}={v}" for k, v in TRICKY.items()))


def test_tricky_values_survive_set_then_get(dokku: Dokku, app: str) -> None:
    set_tricky(dokku, app)
    assert env_of(dokku, app) == TRICKY
    for key in ("EMPTY", "SINGLE", "DOUBLE", "BACKSLASH", "NEWLINE", "UNICODE", "MIXED"):
        assert dokku.ok("config:get", app, key).stdout == TRICKY[key] + "\n"


def test_tricky_values_survive_export_then_import(dokku: Dokku, app: str) -> None:
    set_tricky(dokku, app)
    dokku.ok("apps:create", "other")
    for fmt in ("exports", "envfile", "json", "json-list", "shell"):
        exported = dokku.ok("config:export", "--format", fmt, app).stdout
        result = dokku.ok("config:import", "--replace", "other", stdin=exported)
        assert result.stdout == f"-----> Importing {len(TRICKY)} config vars\n"
        assert env_of(dokku, "other") == TRICKY, fmt
