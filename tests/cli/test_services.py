"""postgres:* and redis:* refusals end to end: nothing reaches Docker, nothing changes.

A service row is written straight into the temp store where a test needs one; creating
real services is the integration tests' job (tests/integration/test_services.py).
"""

from __future__ import annotations

import json
import sqlite3

import pytest

from tests.conftest import Dokku


def add_service(dokku: Dokku, stype: str, name: str, *linked_apps: str) -> None:
    """Store a service (and links) as `create`/`link` would, without a container."""
    dokku.ok(f"{stype}:list")  # creates and migrates the store
    with sqlite3.connect(dokku.db) as conn:
        conn.execute(
            "INSERT INTO services (type, name, created_at, image, version) VALUES (?, ?, ?, ?, ?)",
            (stype, name, "2026-01-01T00:00:00Z", f"{stype}:x", "x"),
        )
        for app in linked_apps:
            conn.execute(
                "INSERT INTO service_links (type, service, app, var, created_at) "
                "VALUES (?, ?, ?, 'DATABASE_URL', '')",
                (stype, name, app),
            )


def rows(dokku: Dokku, table: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(dokku.db) as conn:
        return list(conn.execute(f"SELECT * FROM {table}"))


@pytest.mark.parametrize("stype", ["postgres", "redis"])
def test_empty_list(dokku: Dokku, stype: str) -> None:
    result = dokku.ok(f"{stype}:list")
    assert result.stdout == ""
    assert f"There are no {stype.capitalize()} services" in result.stderr
    assert json.loads(dokku.ok(f"{stype}:list", "--format", "json").stdout) == []


@pytest.mark.parametrize("name", ["Bad", "a/b", "..", "_x", "x" * 60, "a b"])
def test_bad_names_change_nothing(dokku: Dokku, name: str) -> None:
    result = dokku("postgres:create", name)
    assert result.rc == 1
    assert "name" in result.stderr.lower()
    assert not (dokku.lib_root / "services").exists()
    assert json.loads(dokku.ok("postgres:list", "--format", "json").stdout) == []


def test_bad_create_options_change_nothing(dokku: Dokku) -> None:
    assert "Invalid memory limit" in dokku("postgres:create", "db", "-m", "lots").stderr
    assert "password must be" in dokku("postgres:create", "db", "-p", "short").stderr
    assert "config options" in dokku("redis:create", "db", "-c", "'unclosed").stderr
    assert "Invalid image" in dokku("postgres:create", "db", "-i", "Bad Image").stderr
    assert not (dokku.lib_root / "services").exists()


def test_duplicate_create_is_refused_before_any_work(dokku: Dokku) -> None:
    add_service(dokku, "postgres", "db")
    result = dokku("postgres:create", "db")
    assert result.rc == 1
    assert "Postgres service db already exists" in result.stderr
    assert len(rows(dokku, "services")) == 1


@pytest.mark.parametrize(
    "args",
    [
        ("info", "nope"),
        ("link", "nope", "myapp"),
        ("unlink", "nope", "myapp"),
        ("destroy", "nope", "-f"),
        ("export", "nope"),
        ("backup", "nope", "/tmp/x"),
        ("backup-schedule", "nope", "@daily", "/tmp/x"),
        ("expose", "nope"),
        ("links", "nope"),
    ],
)
def test_missing_service(dokku: Dokku, app: str, args: tuple[str, ...]) -> None:
    result = dokku(f"postgres:{args[0]}", *args[1:])
    assert result.rc == 1
    assert "Postgres service nope does not exist" in result.stderr


def test_exists(dokku: Dokku) -> None:
    assert dokku("redis:exists", "cache").rc == 1
    add_service(dokku, "redis", "cache")
    assert dokku.ok("redis:exists", "cache").stdout == "-----> Redis service cache exists\n"
    assert dokku("postgres:exists", "cache").rc == 1  # another type's service


def test_link_to_a_missing_app_changes_nothing(dokku: Dokku) -> None:
    add_service(dokku, "postgres", "db")
    result = dokku("postgres:link", "db", "nope")
    assert result.rc == 1
    assert "App nope does not exist" in result.stderr
    assert rows(dokku, "service_links") == []
    assert rows(dokku, "config") == []


def test_destroy_is_refused_while_linked(dokku: Dokku, app: str) -> None:
    add_service(dokku, "postgres", "db", app)
    result = dokku("--force", "postgres:destroy", "db")
    assert result.rc == 1
    assert f"Cannot delete linked service db (linked to {app})" in result.stderr
    assert len(rows(dokku, "services")) == 1


@pytest.mark.integration  # destroy/rename ask the Docker engine for the app's containers
def test_links_follow_the_app(dokku: Dokku, app: str) -> None:
    add_service(dokku, "postgres", "db", app)
    assert dokku.ok("postgres:links", "db").stdout == f"{app}\n"
    assert dokku.ok("postgres:app-links", app).stdout == "db\n"
    dokku.ok("apps:rename", app, "renamed")
    assert dokku.ok("postgres:links", "db").stdout == "renamed\n"
    dokku.ok("apps:clone", "renamed", "copy")
    assert dokku.ok("postgres:links", "db").stdout == "copy\nrenamed\n"
    dokku.ok("--force", "apps:destroy", "renamed")
    dokku.ok("--force", "apps:destroy", "copy")
    assert dokku.ok("postgres:links", "db").stdout == ""


def test_bad_arguments_of_existing_service(dokku: Dokku) -> None:
    add_service(dokku, "postgres", "db")
    assert (
        "Invalid cron schedule" in dokku("postgres:backup-schedule", "db", "@reboot", "/b").stderr
    )
    assert (
        "Invalid backup directory"
        in dokku("postgres:backup-schedule", "db", "@daily", "/etc/cron.d").stderr
    )
    assert "Invalid retention" in dokku("postgres:backup-set-retention", "db", "-1").stderr
    assert "Invalid flag passed" in dokku("postgres:info", "db", "--nope").stderr


def test_help_lists_dokku_commands(dokku: Dokku) -> None:
    text = dokku.ok("postgres:help").stdout
    for sub in ("create", "destroy", "link", "unlink", "promote", "export", "import", "clone",
                "expose", "unexpose", "backup", "backup-schedule", "backup-schedule-cat",
                "backup-unschedule", "backup-set-retention", "connect", "enter", "logs",
                "app-links", "linked", "links", "info", "list", "exists", "report"):  # fmt: skip
        assert f"postgres:{sub} " in text


FAKE_CRONTAB = """\
#!/bin/sh
# A stand-in for crontab(1) keeping the table in $FAKE_CRONTAB_FILE.
if [ "$1" = -u ]; then shift 2; fi
if [ "$1" = -l ]; then
  [ -f "$FAKE_CRONTAB_FILE" ] || { echo "no crontab for tester" >&2; exit 1; }
  exec cat "$FAKE_CRONTAB_FILE"
fi
exec cat >"$FAKE_CRONTAB_FILE"
"""


def test_backup_schedule_keeps_other_entries(dokku: Dokku, tmp_path) -> None:  # type: ignore[no-untyped-def]
    program = tmp_path / "crontab"
    program.write_text(FAKE_CRONTAB)
    program.chmod(0o755)
    table = tmp_path / "table"
    table.write_text("@daily /usr/local/bin/dokku letsencrypt:auto-renew\n")
    env = {"PYDOKKU_CRONTAB": str(program), "FAKE_CRONTAB_FILE": str(table)}
    add_service(dokku, "postgres", "db")
    dokku.ok("postgres:backup-schedule", "db", "0  3 * * *", "nightly", env=env)
    lines = table.read_text().splitlines()
    assert lines[0] == "@daily /usr/local/bin/dokku letsencrypt:auto-renew"
    assert lines[1] == "# pydokku backup: postgres db"
    assert lines[2].startswith("0 3 * * * DOKKU_ROOT=")
    assert f"-m pydokku postgres:backup db {dokku.lib_root}/backups/nightly >> " in lines[2]
    cat = dokku.ok("postgres:backup-schedule-cat", "db", env=env).stdout
    assert cat == lines[2] + "\n"
    dokku.ok("postgres:backup-schedule", "db", "@daily", "nightly", env=env)
    assert table.read_text().count("# pydokku backup: postgres db") == 1
    dokku.ok("postgres:backup-unschedule", "db", env=env)
    assert table.read_text() == "@daily /usr/local/bin/dokku letsencrypt:auto-renew\n"
    missing = dokku("postgres:backup-schedule-cat", "db", env=env)
    assert "There is no scheduled backup for db." in missing.stderr
