"""postgres/redis :set, :pause, :upgrade and the create flags as dokku-postgres/dokku-redis.

From the plugins' subcommands/set (VALID_KEYS and its messages), subcommands/create and
upgrade (`-C|--custom-env`, `-r|--root-password`, `-s|--shm-size`) and common-functions
(service_pause). Real containers are the integration tests' job; refusals come first.
"""

from __future__ import annotations

import sqlite3

import pytest

from tests.cli.test_services import add_service, rows
from tests.conftest import Dokku

STYPES = ["postgres", "redis"]
BAD_NETWORK = ": use up to 64 letters, digits and ._- starting with a letter or digit"
NETWORK_KEYS = ["initial-network", "post-create-network", "post-start-network"]


def stored(dokku: Dokku, stype: str, name: str, column: str) -> str:
    with sqlite3.connect(dokku.db) as conn:
        row = conn.execute(
            f"SELECT {column} FROM services WHERE type = ? AND name = ?",
            (stype, name),
        ).fetchone()
    return str(row[0])


@pytest.mark.parametrize("stype", STYPES)
@pytest.mark.parametrize("key", NETWORK_KEYS)
def test_set_and_unset_a_network_property(dokku: Dokku, stype: str, key: str) -> None:
    add_service(dokku, stype, "db")
    value = "custom-net" if key == "initial-network" else "custom-net,other-net"
    result = dokku.ok(f"{stype}:set", "db", key, value)
    assert result.stdout == f"=====> Setting {key} to {value}\n"
    assert stored(dokku, stype, "db", key.replace("-", "_")) == value
    assert dokku.ok(f"{stype}:set", "db", key).stdout == f"=====> Unsetting {key}\n"
    assert stored(dokku, stype, "db", key.replace("-", "_")) == ""


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        (["db"], "No key specified"),
        (
            ["db", "memory", "512"],
            "Invalid key specified, valid keys include: initial-network, post-create-network, "
            "post-start-network",
        ),
        (
            ["db", "initial-network", "bad net"],
            "Invalid network name 'bad net'" + BAD_NETWORK,
        ),
        (
            ["db", "post-start-network", "ok,-x"],
            "Invalid network name '-x'" + BAD_NETWORK,
        ),
        (["db", "initial-network", "a,b"], "Only one initial network can be given"),
        (
            ["db", "post-create-network", "host"],
            "Network host cannot be joined by a service container",
        ),
        (["missing", "initial-network", "net"], "Postgres service missing does not exist"),
    ],
)
def test_bad_set_changes_nothing(dokku: Dokku, args: list[str], stderr: str) -> None:
    add_service(dokku, "postgres", "db")
    before = rows(dokku, "services")
    result = dokku("postgres:set", *args)
    assert (result.rc, result.stderr) == (1, f" !     {stderr}\n")
    assert rows(dokku, "services") == before


@pytest.mark.parametrize(
    ("flags", "stderr"),
    [
        (["-C", "NOEQUALS"], "Invalid custom env 'NOEQUALS': expected KEY=VALUE;KEY2=VALUE2"),
        (["-C", "A=1;1B=2"], "Invalid custom env '1B=2': expected KEY=VALUE;KEY2=VALUE2"),
        (["--custom-env", "A B=1"], "Invalid custom env 'A B=1': expected KEY=VALUE;KEY2=VALUE2"),
        (["-s", "lots"], "Invalid shm size 'lots': expected a size such as 256m or 1g"),
        (["--shm-size", "1g;rm"], "Invalid shm size '1g;rm': expected a size such as 256m or 1g"),
        (
            ["-N", "a b"],
            "Invalid network name 'a b'" + BAD_NETWORK,
        ),
    ],
)
@pytest.mark.parametrize("stype", STYPES)
def test_bad_create_flags_change_nothing(
    dokku: Dokku, stype: str, flags: list[str], stderr: str
) -> None:
    result = dokku(f"{stype}:create", "db", *flags)
    assert (result.rc, result.stderr) == (1, f" !     {stderr}\n")
    assert not (dokku.lib_root / "services").exists()
    assert dokku.ok(f"{stype}:list", "--format", "json").stdout == "[]\n"


@pytest.mark.parametrize(
    ("flags", "stderr"),
    [
        (["-C", "=1"], "Invalid custom env '=1': expected KEY=VALUE;KEY2=VALUE2"),
        (["-s", "-5"], "Invalid shm size '-5': expected a size such as 256m or 1g"),
        (
            ["-P", "x;y"],
            "Invalid network name 'x;y'" + BAD_NETWORK,
        ),
    ],
)
def test_bad_upgrade_flags_change_nothing(dokku: Dokku, flags: list[str], stderr: str) -> None:
    add_service(dokku, "postgres", "db")
    before = rows(dokku, "services")
    result = dokku("postgres:upgrade", "db", *flags)
    assert (result.rc, result.stderr) == (1, f" !     {stderr}\n")
    assert rows(dokku, "services") == before


@pytest.mark.parametrize("verb", ["pause", "upgrade", "set"])
def test_missing_service_is_named(dokku: Dokku, verb: str) -> None:
    result = dokku(f"redis:{verb}", "nope", *(["initial-network", "n"] if verb == "set" else []))
    assert (result.rc, result.stderr) == (1, " !     Redis service nope does not exist\n")
