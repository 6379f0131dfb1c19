"""dokku-postgres's create flags, pause and upgrade on a real container: data is kept."""

from __future__ import annotations

import json

import pytest

from tests.integration.test_services import create, docker, service, sql  # noqa: F401

pytestmark = pytest.mark.integration


def inspect(name: str) -> dict[str, object]:
    found: list[dict[str, object]] = json.loads(docker("inspect", f"dokku.postgres.{name}"))
    return found[0]


def test_custom_env_shm_pause_and_upgrade_keep_the_data(dokku, service):  # noqa: F811
    db = service("postgres")
    create("postgres", db, "-C", "TZ=UTC;PYDOKKU_MARK=one", "-s", "128m", "-r", "ignored")
    config = inspect(db)
    assert "PYDOKKU_MARK=one" in config["Config"]["Env"]  # type: ignore[index]
    assert config["HostConfig"]["ShmSize"] == 128 * 1024 * 1024  # type: ignore[index]
    sql(db, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here');")

    paused = dokku("postgres:pause", db)
    assert "Pausing container" in paused.stdout
    assert dokku("postgres:info", db, "--status").stdout.strip() == "exited"
    assert "Service is already paused" in dokku("postgres:pause", db).stderr
    dokku("postgres:start", db)

    same = dokku("postgres:upgrade", db)
    assert f"Service {db} already running" in same.stdout
    upgraded = dokku("postgres:upgrade", db, "-C", "TZ=UTC;PYDOKKU_MARK=two")
    assert f"=====> Upgrading {db} to" in upgraded.stdout
    assert "=====> Done" in upgraded.stdout
    assert "PYDOKKU_MARK=two" in inspect(db)["Config"]["Env"]  # type: ignore[index]
    assert "still here" in sql(db, "SELECT v FROM kept;")
