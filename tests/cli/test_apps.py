"""apps:* end to end."""

from __future__ import annotations

import json

import pytest

from tests.conftest import Dokku
from tests.report_json import short_keys


def app_names(dokku: Dokku) -> list[str]:
    names: list[str] = json.loads(dokku.ok("apps:list", "--format", "json").stdout)
    return names


def test_create(dokku: Dokku) -> None:
    result = dokku.ok("apps:create", "myapp")
    assert result.stdout == "-----> Creating myapp...\n"
    assert (dokku.root / "myapp").is_dir()
    result = dokku("apps:create", "myapp")
    assert (result.rc, result.stderr) == (1, " !     Name is already taken: myapp\n")
    dokku.ok("apps:create", "a" * 63)  # the longest valid name
    assert app_names(dokku) == ["a" * 63, "myapp"]


INVALID_NAMES = [
    "my_app",
    "MyApp",
    "-app",
    "a" * 64,
    "a..b",
    "../escape",
    "app/x",
    "app.",
    "bad\nname",
    "trailing\n",
    "",
]


def test_invalid_names_are_refused_and_nothing_is_created(dokku: Dokku) -> None:
    for name in INVALID_NAMES:
        result = dokku("apps:create", name)
        assert result.rc == 1, name
        assert result.stderr.startswith(" !     "), name
        assert "Traceback" not in result.stderr
    assert list(dokku.root.iterdir()) == []
    assert sorted(p.name for p in dokku.root.parent.iterdir()) == ["home-dokku", "var-lib-dokku"]
    assert app_names(dokku) == []


def test_list(dokku: Dokku) -> None:
    empty = dokku.ok("apps:list")
    assert empty.stdout == "=====> My Apps\n"
    assert empty.stderr == " !     You haven't deployed any applications yet\n"  # Dokku's words
    for name in ("web", "api", "0-worker"):
        dokku.ok("apps:create", name)
    assert dokku.ok("apps:list").stdout == "=====> My Apps\n0-worker\napi\nweb\n"
    assert dokku.ok("apps:list", "--format", "json").stdout == '["0-worker", "api", "web"]\n'


def test_exists(dokku: Dokku, app: str) -> None:
    assert dokku.ok("apps:exists", app).stdout == ""
    result = dokku("apps:exists", "other")
    assert (result.rc, result.stderr) == (1, " !     App other does not exist\n")


@pytest.mark.integration  # destroy/rename ask the Docker engine for the app's containers
def test_destroy_with_the_right_name_typed(dokku: Dokku, app: str) -> None:
    dokku.ok("config:set", app, "A=1")
    result = dokku("apps:destroy", app, stdin="myapp\n")
    assert result.rc == 0
    assert 'To proceed, type "myapp"' in result.stderr
    assert "-----> Destroying myapp (including all add-ons)" in result.stdout
    assert app_names(dokku) == []
    assert not (dokku.root / app).exists()
    # A new app of the same name starts clean.
    dokku.ok("apps:create", app)
    assert dokku.ok("config:export", "--format", "json", app).stdout == "{}\n"


def test_destroy_with_the_wrong_name_typed_keeps_the_app(dokku: Dokku, app: str) -> None:
    dokku.ok("config:set", app, "A=1")
    for typed in ("other\n", "", "myap\n", "MYAPP\n", " myapp x\n"):
        result = dokku("apps:destroy", app, stdin=typed)
        assert result.rc == 1, typed
        assert result.stderr.endswith(" !     Confirmation did not match myapp. Aborted.\n")
    assert app_names(dokku) == ["myapp"]
    assert (dokku.root / app).is_dir()
    assert dokku.ok("config:get", app, "A").stdout == "1\n"


@pytest.mark.integration  # destroy/rename ask the Docker engine for the app's containers
@pytest.mark.parametrize(
    "args", [("apps:destroy", "myapp", "--force"), ("--force", "apps:destroy", "myapp")]
)
def test_destroy_forced_asks_nothing(dokku: Dokku, app: str, args: tuple[str, ...]) -> None:
    result = dokku(*args, stdin="")
    assert result.rc == 0
    assert "To proceed" not in result.stderr
    assert app_names(dokku) == []
    assert not (dokku.root / app).exists()


def test_destroy_missing_app(dokku: Dokku) -> None:
    result = dokku("apps:destroy", "nope", "--force")
    assert (result.rc, result.stderr) == (1, " !     App nope does not exist\n")


@pytest.mark.integration  # destroy/rename ask the Docker engine for the app's containers
def test_destroy_keeps_other_apps_and_global_config(dokku: Dokku, app: str) -> None:
    dokku.ok("apps:create", "keep")
    dokku.ok("config:set", "keep", "K=1")
    dokku.ok("config:set", "--global", "G=1")
    dokku.ok("apps:destroy", app, "--force")
    assert app_names(dokku) == ["keep"]
    assert dokku.ok("config:get", "keep", "K").stdout == "1\n"
    assert dokku.ok("config:get", "--global", "G").stdout == "1\n"


@pytest.mark.integration  # destroy/rename ask the Docker engine for the app's containers
def test_rename_moves_config_and_dir(dokku: Dokku, app: str) -> None:
    dokku.ok("config:set", app, "A=1", "B=two words")
    (dokku.root / app / "marker").write_text("kept")
    result = dokku.ok("apps:rename", app, "newname")
    assert result.stdout == "-----> Renaming myapp to newname\n-----> Renamed\n"
    assert app_names(dokku) == ["newname"]
    assert not (dokku.root / app).exists()
    assert (dokku.root / "newname" / "marker").read_text() == "kept"
    exported = dokku.ok("config:export", "--format", "json", "newname").stdout
    assert json.loads(exported) == {"A": "1", "B": "two words"}
    assert dokku("config:get", app, "A").rc == 1
    # The old name is free again, and empty.
    dokku.ok("apps:create", app)
    assert dokku.ok("config:keys", app).stdout == ""


def test_rename_onto_a_leftover_directory_is_refused(dokku: Dokku, app: str) -> None:
    (dokku.root / app / "marker").write_text("kept")
    stray = dokku.root / "newname"
    stray.mkdir()
    (stray / "leftover").write_text("x")
    result = dokku("apps:rename", app, "newname")
    assert result.rc == 1
    assert result.stderr.endswith(f"Cannot rename to newname: {stray} already exists\n")
    assert app_names(dokku) == ["myapp"]
    assert (dokku.root / app / "marker").read_text() == "kept"
    assert sorted(p.name for p in stray.iterdir()) == ["leftover"]


@pytest.mark.integration  # destroy/rename ask the Docker engine for the app's containers
def test_rename_keeps_settings_and_lock(dokku: Dokku, app: str) -> None:
    dokku.ok("apps:lock", app)
    dokku.ok("apps:rename", app, "newname")
    assert dokku("apps:locked", "newname").rc == 0


def test_rename_refused(dokku: Dokku, app: str) -> None:
    dokku.ok("apps:create", "taken")
    dokku.ok("config:set", app, "A=1")
    for old, new, message in [
        ("myapp", "taken", " !     Name is already taken: taken\n"),
        ("myapp", "Bad_Name", "App name must begin with a lowercase"),
        ("nope", "fresh", " !     App nope does not exist\n"),
    ]:
        result = dokku("apps:rename", old, new)
        assert result.rc == 1, new
        assert message in result.stderr
    assert app_names(dokku) == ["myapp", "taken"]
    assert dokku.ok("config:get", app, "A").stdout == "1\n"
    assert sorted(p.name for p in dokku.root.iterdir()) == ["myapp", "taken"]


def test_clone_copies_config_and_dir(dokku: Dokku, app: str) -> None:
    dokku.ok("config:set", app, "A=1", "B=it's")
    (dokku.root / app / "marker").write_text("copied")
    result = dokku.ok("apps:clone", app, "copy")
    assert result.stdout == "-----> Cloning myapp to copy\n"
    assert app_names(dokku) == ["copy", "myapp"]
    assert (dokku.root / "copy" / "marker").read_text() == "copied"
    assert (dokku.root / app / "marker").read_text() == "copied"
    env = json.loads(dokku.ok("config:export", "--format", "json", "copy").stdout)
    assert env == {"A": "1", "B": "it's"}
    # The copies are independent.
    dokku.ok("config:set", "copy", "A=changed")
    assert dokku.ok("config:get", app, "A").stdout == "1\n"


def test_clone_onto_an_existing_app_fails(dokku: Dokku, app: str) -> None:
    dokku.ok("apps:create", "taken")
    dokku.ok("config:set", app, "A=1")
    result = dokku("apps:clone", app, "taken")
    assert (result.rc, result.stderr) == (1, " !     Name is already taken: taken\n")
    assert dokku.ok("config:keys", "taken").stdout == ""


def test_clone_ignore_existing(dokku: Dokku, app: str) -> None:
    dokku.ok("apps:create", "taken")
    dokku.ok("config:set", app, "A=1")
    result = dokku("apps:clone", "--ignore-existing", app, "taken")
    assert result.rc == 0
    assert result.stderr == " !     Name is already taken: taken; skipping\n"
    assert dokku.ok("config:keys", "taken").stdout == ""
    dokku.ok("apps:clone", "--ignore-existing", app, "fresh")
    assert dokku.ok("config:get", "fresh", "A").stdout == "1\n"


def test_clone_refused(dokku: Dokku, app: str) -> None:
    assert dokku("apps:clone", "nope", "copy").rc == 1
    assert dokku("apps:clone", app, "Bad_Name").rc == 1
    assert app_names(dokku) == ["myapp"]
    assert sorted(p.name for p in dokku.root.iterdir()) == ["myapp"]


def test_lock_unlock_locked(dokku: Dokku, app: str) -> None:
    assert dokku("apps:locked", app).rc == 1
    assert dokku.ok("apps:lock", app).stdout == "-----> Deploys locked\n"
    assert dokku("apps:locked", app).rc == 0
    assert dokku.ok("apps:report", app, "--app-locked").stdout == "true\n"
    assert dokku.ok("apps:unlock", app).stdout == "-----> Deploys unlocked\n"
    assert dokku("apps:locked", app).rc == 1
    result = dokku.ok("apps:unlock", app)
    assert result.stderr == " !     App myapp is not locked\n"


def test_lock_commands_on_a_missing_app(dokku: Dokku) -> None:
    for command in ("apps:lock", "apps:unlock", "apps:locked"):
        result = dokku(command, "nope")
        assert (result.rc, result.stderr) == (1, " !     App nope does not exist\n")


def test_report(dokku: Dokku, app: str) -> None:
    lines = dokku.ok("apps:report", app).lines
    assert lines[0] == "=====> myapp app information"
    assert lines[1] == f"       App dir:                           {dokku.root / app}"
    assert lines[2].startswith("       App created at:                    20")
    assert lines[3:] == [
        "       App deploy source:",
        "       App deploy source metadata:",
        "       App locked:                        false",
        "       App global disable autocreation:",
        "       App computed disable autocreation: false",
    ]
    assert dokku.ok("apps:report", app, "--app-dir").stdout == f"{dokku.root / app}\n"
    assert dokku.ok("apps:report", "--app-locked", app).stdout == "false\n"
    data = short_keys(json.loads(dokku.ok("apps:report", app, "--format", "json").stdout), "app")
    assert list(data) == [
        "dir",
        "created-at",
        "deploy-source",
        "deploy-source-metadata",
        "locked",
        "global-disable-autocreation",
        "computed-disable-autocreation",
    ]
    assert data["dir"] == str(dokku.root / app)
    assert data["created-at"] == lines[2].split()[-1]


def test_report_errors(dokku: Dokku, app: str) -> None:
    result = dokku("apps:report", app, "--app-nope")
    assert result.rc == 1
    assert result.stderr.startswith(" !     Invalid flag passed, valid flags: --app-dir, ")
    result = dokku("apps:report", app, "--app-dir", "--format", "json")
    assert result.rc == 1
    assert "--format cannot be combined with a single-value flag" in result.stderr
    assert dokku("apps:report", "nope").rc == 1
    result = dokku("apps:report", app, "--bogus")
    assert (result.rc, result.stderr.splitlines()[0]) == (1, " !     Unexpected argument: --bogus")


def test_report_of_every_app(dokku: Dokku) -> None:
    assert dokku.ok("apps:report").stdout == ""
    assert dokku.ok("apps:report", "--format", "json").stdout == "{}\n"
    dokku.ok("apps:create", "one")
    # The JSON of every app is keyed by app, whether there is one app or many.
    data = json.loads(dokku.ok("apps:report", "--format", "json").stdout)
    assert list(data) == ["one"]
    assert data["one"]["locked"] == "false"
    result = dokku("apps:report", "--app-locked")
    assert (result.rc, result.stderr) == (1, " !     A single-value flag needs an app name\n")
    dokku.ok("apps:create", "two")
    headers = [line for line in dokku.ok("apps:report").lines if line.startswith("=====>")]
    assert headers == ["=====> one app information", "=====> two app information"]
    assert list(json.loads(dokku.ok("apps:report", "--format", "json").stdout)) == ["one", "two"]


def test_disable_autocreation_is_global_only(dokku: Dokku, app: str) -> None:
    result = dokku.ok("apps:set", "--global", "disable-autocreation", "true")
    assert result.stdout == "-----> Setting disable-autocreation to true\n"
    flag = "--app-computed-disable-autocreation"
    assert dokku.ok("apps:report", app, flag).stdout == "true\n"
    assert dokku.ok("apps:report", app, "--app-global-disable-autocreation").stdout == "true\n"
    data = short_keys(
        json.loads(dokku.ok("apps:report", "--global", "--format", "json").stdout), "app"
    )
    assert data == {
        "global-disable-autocreation": "true",
        "computed-disable-autocreation": "true",
    }
    result = dokku("apps:set", app, "disable-autocreation", "true")
    assert result.rc == 1
    assert "can only be set with --global" in result.stderr
    result = dokku("apps:set", "--global", "disable-autocreation", "maybe")
    assert result.rc == 1
    assert "expected true or false" in result.stderr
    assert dokku.ok("apps:report", app, flag).stdout == "true\n"
    dokku.ok("apps:set", "--global", "disable-autocreation")
    assert dokku.ok("apps:report", app, flag).stdout == "false\n"
    assert dokku("apps:set", "--global", "nope", "x").rc == 1
    result = dokku("apps:set", "ghost", "disable-autocreation", "true")
    assert (result.rc, result.stderr) == (1, " !     App ghost does not exist\n")


@pytest.mark.parametrize("deployed", [True, False])
def test_rename_without_the_engine_changes_nothing(dokku: Dokku, app: str, deployed: bool) -> None:
    """With the engine unreachable, a rename fails whole: records, directory, hooks."""
    import sqlite3

    from tests.statedump import dump

    dokku.ok("config:set", app, "A=1")
    (dokku.root / app / "marker").write_text("kept")
    if deployed:
        with sqlite3.connect(dokku.db) as conn:
            conn.execute(
                "INSERT INTO releases (app, version, created_at, kind, status, image) "
                "VALUES (?, 1, 0, 'deploy', 'succeeded', 'dokku/myapp:1')",
                (app,),
            )
    before = dump(dokku.db, skip=("events", "sqlite_sequence"))
    result = dokku("apps:rename", app, "newname", env={"DOCKER_HOST": "unix:///nonexistent"})
    assert result.rc == 1
    assert "Cannot reach the Docker engine" in result.stderr or "Error" in result.stderr
    assert "Traceback" not in result.stderr
    assert dump(dokku.db, skip=("events", "sqlite_sequence")) == before
    assert (dokku.root / app / "marker").read_text() == "kept"
    assert not (dokku.root / "newname").exists()
