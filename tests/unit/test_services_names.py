"""Pure rules of datastore services: names, aliases, URLs and link vars."""

from __future__ import annotations

import pytest

from pydokku.errors import DokkuError
from pydokku.plugins.postgres import SERVICE as POSTGRES
from pydokku.plugins.redis import SERVICE as REDIS
from pydokku.services import names


@pytest.mark.parametrize("name", ["db", "my-db", "my_db", "db.v2", "0db", "a" * 48])
def test_valid_names(name: str) -> None:
    assert names.name_problem(POSTGRES, name) is None


@pytest.mark.parametrize(
    "name",
    [
        "",
        "Db",
        "-db",
        "_db",
        ".db",
        "db/x",
        "../db",
        "a..b",
        "db.",
        "db-",
        "db_",
        "db name",
        "db\n",
        "db;rm",
        "a" * 49,
    ],
)
def test_invalid_names(name: str) -> None:
    assert names.name_problem(POSTGRES, name) is not None
    with pytest.raises(DokkuError):
        names.validate_name(POSTGRES, name)


def test_name_length_keeps_the_alias_one_dns_label() -> None:
    longest = "a" * names.max_name_length(REDIS)
    assert len(names.dns_alias(REDIS, longest)) == names.DNS_LABEL_MAX
    assert names.name_problem(REDIS, longest + "a") is not None


def test_container_and_alias() -> None:
    assert names.container_name(POSTGRES, "my_db.v2") == "dokku.postgres.my_db.v2"
    assert names.dns_alias(POSTGRES, "my_db.v2") == "dokku-postgres-my-db-v2"
    assert names.dns_alias(REDIS, "cache") == "dokku-redis-cache"


def test_database_name_follows_dokku() -> None:
    assert names.database_name("my-db.v2") == "my_db_v2"
    assert names.database_name("my_db") == "my_db"


def test_postgres_url() -> None:
    url = names.service_url(POSTGRES, "db", "pw0123456789")
    assert url == "postgres://postgres:pw0123456789@dokku-postgres-db:5432/db"
    assert names.service_url(POSTGRES, "my-db", "x" * 8, "postgresql", "sslmode=disable") == (
        "postgresql://postgres:xxxxxxxx@dokku-postgres-my-db:5432/my_db?sslmode=disable"
    )


def test_redis_url() -> None:
    assert names.service_url(REDIS, "cache", "s3cretpass") == (
        "redis://:s3cretpass@dokku-redis-cache:6379"
    )


def test_url_quotes_the_password() -> None:
    url = names.service_url(POSTGRES, "db", "p@ss:w/rd%1")
    assert url == "postgres://postgres:p%40ss%3Aw%2Frd%251@dokku-postgres-db:5432/db"


def test_same_service_ignores_scheme_and_query() -> None:
    url = names.service_url(POSTGRES, "db", "pw012345")
    assert names.same_service(url.replace("postgres://", "postgresql://", 1) + "?a=b", url)
    assert not names.same_service(names.service_url(POSTGRES, "db2", "pw012345"), url)
    assert not names.same_service("", "")


def test_default_var_then_colors_in_dokku_order() -> None:
    existing: set[str] = set()
    assert names.link_var(POSTGRES, existing) == "DATABASE_URL"
    existing.add("DATABASE_URL")
    assert names.link_var(POSTGRES, existing) == "DOKKU_POSTGRES_AQUA_URL"
    existing.add("DOKKU_POSTGRES_AQUA_URL")
    assert names.link_var(POSTGRES, existing) == "DOKKU_POSTGRES_BLACK_URL"
    assert names.link_var(REDIS, {"REDIS_URL": "x"}) == "DOKKU_REDIS_AQUA_URL"
    assert names.COLORS[:4] == ("AQUA", "BLACK", "BLUE", "FUCHSIA")
    assert names.COLORS[-1] == "YELLOW"
    assert len(names.COLORS) == 16


def test_colors_run_out() -> None:
    taken = {"DATABASE_URL"} | {f"DOKKU_POSTGRES_{c}_URL" for c in names.COLORS}
    with pytest.raises(DokkuError, match="Unable to use default or generated URL alias"):
        names.link_var(POSTGRES, taken)


def test_alias() -> None:
    assert names.link_var(POSTGRES, {"DATABASE_URL"}, "reporting") == "REPORTING_URL"
    assert names.link_var(POSTGRES, set(), "my-alias_url") == "MY_ALIAS_URL"
    with pytest.raises(DokkuError, match="Specified alias REPORTING already in use"):
        names.link_var(POSTGRES, {"REPORTING_URL"}, "reporting")
    for bad in ("1abc", "a b", "a=b", "_url"):
        with pytest.raises(DokkuError):
            names.alias_var(bad)


@pytest.mark.parametrize(
    "password", ["s3cr3t-pass", "a" * 128, "p@ss:w/rd%1!#$&()*+,;<=>?[]^`{|}~"]
)
def test_valid_passwords(password: str) -> None:
    assert names.validate_password(password) == password


@pytest.mark.parametrize(
    "password", ["short", "a" * 129, "has space", 'q"uote', "q'uote", "b\\s", "n\nl"]
)
def test_invalid_passwords(password: str) -> None:
    with pytest.raises(DokkuError):
        names.validate_password(password)


def test_query_and_scheme() -> None:
    assert names.validate_query("?sslmode=disable&x=1") == "sslmode=disable&x=1"
    assert names.validate_query("") == ""
    for bad in ("a b", "a\nb", "a#b"):
        with pytest.raises(DokkuError):
            names.validate_query(bad)
    assert names.validate_scheme("postgresql") == "postgresql"
    for bad in ("", "1x", "pg://", "p g"):
        with pytest.raises(DokkuError):
            names.validate_scheme(bad)
