"""Datastore services: built commands, env, config files, expose specs, cron lines, backups."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from pydokku.engine import services as engine_services
from pydokku.errors import DokkuError
from pydokku.plugins.postgres import SERVICE as POSTGRES
from pydokku.plugins.postgres import data_mount
from pydokku.plugins.redis import SERVICE as REDIS
from pydokku.services import container, data, images, lifecycle, names, schedule


def values(stype, name="db", password="pw012345"):  # type: ignore[no-untyped-def]
    return names.template_values(stype, name, password)


def test_postgres_commands() -> None:
    v = values(POSTGRES, "my-db")
    assert POSTGRES.fill(POSTGRES.export, v) == [
        "pg_dump", "-Fc", "--no-acl", "--no-owner", "-U", "postgres", "-d", "my_db",
    ]  # fmt: skip
    assert POSTGRES.fill(POSTGRES.import_, v) == [
        "pg_restore", "-cO", "--if-exists", "-U", "postgres", "-d", "my_db",
    ]  # fmt: skip
    assert POSTGRES.fill(POSTGRES.connect, v) == ["psql", "-U", "postgres", "my_db"]
    assert POSTGRES.fill(POSTGRES.ready, v)[-3:] == ["my_db", "-tAc", "SELECT 1"]
    assert POSTGRES.fill_env(POSTGRES.env, v) == {
        "POSTGRES_PASSWORD": "pw012345",
        "POSTGRES_DB": "my_db",
    }
    assert POSTGRES.fill_env(POSTGRES.exec_env, v) == {"PGPASSWORD": "pw012345"}


def test_redis_password_stays_off_command_lines() -> None:
    v = values(REDIS, "cache", "s3cretpass")
    for template in (REDIS.command, REDIS.ready, REDIS.export, REDIS.import_, REDIS.connect):
        assert not any("s3cretpass" in part for part in REDIS.fill(template, v))
    assert REDIS.fill_env(REDIS.exec_env, v) == {"REDISCLI_AUTH": "s3cretpass"}
    conf = REDIS.config_files["redis.conf"].format(**v)
    assert 'requirepass "s3cretpass"' in conf
    assert "dir /data" in conf


def test_container_command_appends_config_options() -> None:
    assert container.command(POSTGRES, "") is None
    assert container.command(POSTGRES, "-c max_connections=200") == ["-c", "max_connections=200"]
    assert container.command(REDIS, "--maxmemory '100mb'") == [
        "redis-server", "/usr/local/etc/redis/redis.conf", "--maxmemory", "100mb",
    ]  # fmt: skip


def test_labels() -> None:
    assert container.labels(POSTGRES, "db") == {
        "dokku": "service",
        "dokku.service": "postgres",
        "com.dokku.service-name": "db",
    }


@pytest.mark.parametrize(
    ("version", "mount"),
    [("17", "/var/lib/postgresql/data"), ("15", "/var/lib/postgresql/data"),
     ("9.6", "/var/lib/postgresql/data"), ("18.1", "/var/lib/postgresql"),
     ("latest", "/var/lib/postgresql")],
)  # fmt: skip
def test_postgres_data_mount(version: str, mount: str) -> None:
    assert data_mount(version) == mount
    assert REDIS.data_mount(version) == "/data"


def test_parse_exposed() -> None:
    assert container.parse_exposed("") is None
    assert container.parse_exposed("127.0.0.1:") == ("127.0.0.1", None)
    assert container.parse_exposed("0.0.0.0:5432") == ("0.0.0.0", 5432)
    assert container.parse_exposed("[::1]:6379") == ("::1", 6379)


def test_parse_expose_argument() -> None:
    assert lifecycle.parse_expose("") == ("127.0.0.1", None)
    assert lifecycle.parse_expose("15432") == ("127.0.0.1", 15432)
    assert lifecycle.parse_expose("0.0.0.0:15432") == ("0.0.0.0", 15432)
    assert lifecycle.parse_expose("[::1]:15432") == ("::1", 15432)
    for bad in ("0", "65536", "x", "host.example:5432", "1.2.3.4:", "-1", "5432;"):
        with pytest.raises(DokkuError):
            lifecycle.parse_expose(bad)


def test_create_options() -> None:
    lifecycle.validate_create_options(0, "-c max_connections=200")
    for memory, options in ((-1, ""), (0, "'unclosed"), (0, "a\nb"), (0, "x" * 1025)):
        with pytest.raises(DokkuError):
            lifecycle.validate_create_options(memory, options)


def test_exec_cli_argv_passes_secrets_by_name_only() -> None:
    argv = engine_services._exec_cli_argv(
        "dokku.redis.c", ["redis-cli"], {"REDISCLI_AUTH": "pw"}, True, True
    )
    assert argv == [
        "docker",
        "exec",
        "-i",
        "-t",
        "-e",
        "REDISCLI_AUTH",
        "dokku.redis.c",
        "redis-cli",
    ]
    plain = engine_services._exec_cli_argv("dokku.postgres.db", ["pg_dump"], {}, False, False)
    assert plain == ["docker", "exec", "dokku.postgres.db", "pg_dump"]


def test_image_request(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("POSTGRES_IMAGE", raising=False)
    monkeypatch.delenv("POSTGRES_IMAGE_VERSION", raising=False)
    assert images.requested(POSTGRES, "", "") == ("postgres", "17", False)
    assert images.requested(POSTGRES, "", "16") == ("postgres", "16", True)
    monkeypatch.setenv("POSTGRES_IMAGE_VERSION", "14")
    assert images.requested(POSTGRES, "", "") == ("postgres", "14", True)


@pytest.mark.parametrize("image", ["postgres", "localhost:5000/team/postgres", "pgvector/pgvector"])
def test_valid_image_refs(image: str) -> None:
    images.validate_ref(image, "17-bookworm")


@pytest.mark.parametrize(
    ("image", "version"),
    [("postgres:17", "17"), ("Postgres", "17"), ("post gres", "17"), ("postgres", "1 7"),
     ("postgres", ""), ("-postgres", "17"), ("postgres", "-17")],
)  # fmt: skip
def test_invalid_image_refs(image: str, version: str) -> None:
    with pytest.raises(DokkuError):
        images.validate_ref(image, version)


def test_offline_recipes() -> None:
    for stype in (POSTGRES, REDIS):
        offline = stype.offline
        assert offline.dockerfile.startswith("FROM pydokku/base:bookworm\n")
        assert all(path.is_file() for path in offline.files.values())
        assert len(images.recipe_digest(offline)) == 16
    assert "postgresql-15" in POSTGRES.offline.dockerfile
    assert POSTGRES.offline.tag == "pydokku/postgres:15-bookworm"
    assert REDIS.offline.tag == "pydokku/redis:7-bookworm"


def test_schedule_validation() -> None:
    assert schedule.validate_schedule(" 0  3 * * * ") == "0 3 * * *"
    assert schedule.validate_schedule("@daily") == "@daily"
    assert schedule.validate_schedule("0\n3 * * *") == "0 3 * * *"  # one line whatever came in
    assert schedule.validate_schedule("*/15 1-5 * jan mon-fri") == "*/15 1-5 * jan mon-fri"
    for bad in ("", "@reboot", "0 3 * *", "0 3 * * * *", "0 3 * * %", "0 3 * * ;rm"):
        with pytest.raises(DokkuError):
            schedule.validate_schedule(bad)


def test_crontab_entries_are_replaced_and_removed() -> None:
    mark = schedule.marker(POSTGRES, "db")
    other = "MAILTO=''\n5 * * * * /usr/bin/true\n"
    text = schedule.with_entry(other, mark, "0 3 * * * backup one")
    assert text == other + f"{mark}\n0 3 * * * backup one\n"
    text = schedule.with_entry(text, mark, "0 4 * * * backup two")
    assert text.count(mark) == 1
    assert schedule.find_entry(text, mark) == "0 4 * * * backup two"
    assert schedule.without_entry(text, mark) == other
    assert schedule.find_entry(other, mark) is None
    assert schedule.without_entry(f"{mark}\nx\n", mark) == ""


def test_cron_command_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DOKKU_LIB_ROOT", str(tmp_path / "lib dir"))
    monkeypatch.delenv("DOKKU_ROOT", raising=False)
    line = schedule.command_line(POSTGRES, "db", "/var/backups/my db")
    log = tmp_path / "lib dir" / "services" / "postgres" / "db" / "backup.log"
    assert line == (
        f"DOKKU_LIB_ROOT='{tmp_path}/lib dir' {sys.executable} -m pydokku postgres:backup db "
        f"'/var/backups/my db' >> '{log}' 2>&1"
    )


def test_backup_names_and_pattern(tmp_path: Path) -> None:
    first = data.backup_file(POSTGRES, "db", tmp_path, 0)
    assert first.name == "postgres-db-19700101-000000.dump"
    first.touch()
    assert (
        data.backup_file(POSTGRES, "db", tmp_path, 0).name == "postgres-db-19700101-000000-1.dump"
    )
    pattern = data.backup_pattern(POSTGRES, "db")
    assert pattern.match("postgres-db-20260101-030000.dump")
    assert pattern.match("postgres-db-20260101-030000-2.dump")
    assert not pattern.match("postgres-db-2-20260101-030000.dump")  # service db-2
    assert not pattern.match("redis-db-20260101-030000.rdb")
    assert not pattern.match("postgres-db-20260101-030000.dump.partial")


def test_prune_keeps_the_newest(tmp_path: Path) -> None:
    class Svc:
        stype, name, backup_retention = POSTGRES, "db", 2

    made = []
    for index in range(4):
        path = tmp_path / f"postgres-db-2026010{index + 1}-030000.dump"
        path.write_bytes(b"x")
        os.utime(path, (1000 + index, 1000 + index))
        made.append(path)
    unrelated = tmp_path / "postgres-db-2-20260101-030000.dump"
    unrelated.write_bytes(b"x")
    removed = data.prune(Svc(), tmp_path)  # type: ignore[arg-type]
    assert removed == made[:2]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [made[2].name, made[3].name, unrelated.name]
    )


def test_dash_leading_option_values_are_glued() -> None:
    from pydokku.services.commands import CREATE_VALUE_FLAGS, join_values

    argv = ["db", "-c", "-c max_connections=200", "-p", "-secret-pw", "-m", "512"]
    assert join_values(argv, CREATE_VALUE_FLAGS) == [
        "db", "--config-options=-c max_connections=200", "--password=-secret-pw", "-m", "512",
    ]  # fmt: skip
    assert join_values(["db", "-c"], CREATE_VALUE_FLAGS) == ["db", "-c"]


def test_create_parses_dokku_config_options() -> None:
    from pydokku.plugins.postgres.commands import NAMESPACES

    parsed = NAMESPACES[0].commands["postgres:create"].parse(["db", "-c", "-c x=1", "-I", "16"])
    assert parsed["config_options"] == "-c x=1"
    assert parsed["version"] == "16"
