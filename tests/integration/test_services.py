"""Postgres and Redis services for real: containers, links, an app using them, data kept.

Services are made with the installed `dokku` (offline images here: no registry); the
`service` fixture destroys each one and fails the test if a container or a data dir is
left behind.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.integration.apps import host
from tests.integration.conftest import REPO_ROOT, SshKey, http_get, run_dokku, wait_for
from tests.integration.service_app import files as sample_app

LIB = Path("/var/lib/dokku/services")
INFO_KEYS = [
    "config-dir", "config-options", "data-dir", "dsn", "exposed-ports", "id", "internal-ip",
    "initial-network", "links", "post-create-network", "post-start-network", "service-root",
    "status", "version", "image", "image-source", "dns-alias", "memory", "backup-schedule",
    "backup-dir", "backup-retention",
]  # fmt: skip


def docker(*args: str) -> str:
    return subprocess.run(
        ["docker", *args], capture_output=True, text=True, timeout=120, check=False
    ).stdout


@pytest.fixture
def service(installation: None) -> Iterator[Callable[[str], str]]:
    """Return a factory of unique service names `t-<random>` of a type; all destroyed after."""
    made: list[tuple[str, str]] = []

    def new(stype: str) -> str:
        name = f"t-{secrets.token_hex(4)}"
        made.append((stype, name))
        return name

    yield new
    leaks = []
    for stype, name in made:
        if run_dokku(f"{stype}:exists", name, check=False).returncode == 0:
            for app in run_dokku(f"{stype}:links", name, check=False).stdout.split():
                run_dokku(f"{stype}:unlink", name, app, "-n", check=False)
            run_dokku("--force", f"{stype}:destroy", name, check=False)
        container = f"dokku.{stype}.{name}"
        if docker("ps", "-aq", "--filter", f"name=^{container}$").strip():
            leaks.append(container)
            docker("rm", "-f", container)
        if (LIB / stype / name).exists():
            leaks.append(str(LIB / stype / name))
    if leaks:
        pytest.fail(f"services left behind: {leaks}", pytrace=False)


def create(stype: str, name: str, *flags: str) -> dict[str, str]:
    """Create a service and return its info."""
    run_dokku(f"{stype}:create", name, *flags)
    info: dict[str, str] = json.loads(run_dokku(f"{stype}:info", name, "--format", "json").stdout)
    return info


def sql(name: str, statement: str) -> str:
    """Run one SQL statement in a postgres service's database; return the unaligned result."""
    database = name.replace("-", "_").replace(".", "_")
    argv = ["psql", "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1", "-tAc", statement]
    return run_dokku("postgres:enter", name, *argv).stdout.strip()


def body(app: str, path: str) -> str:
    status, text = http_get(host(app), path, timeout=15)
    assert status == 200, (path, status, text)
    return text.strip()


def env_of(app: str, var: str) -> str:
    return body(app, f"/env?name={var}")


def deploy_sample(
    app: str, make_repo: Callable[..., Path], git_push: Callable[..., object]
) -> Path:
    repo = make_repo(sample_app())
    git_push(repo, app)
    wait_for(lambda: body(app, "/") == "ok", timeout=60)
    return repo


def test_app_uses_both_services_across_restarts_and_rebuilds(
    dokku, app_name, service, make_repo, git_push
):
    app, db, cache = app_name(), service("postgres"), service("redis")
    deploy_sample(app, make_repo, git_push)
    assert env_of(app, "DATABASE_URL") == "<unset>"
    pg, rd = create("postgres", db), create("redis", cache)
    assert pg["status"] == "running"
    assert pg["dsn"].startswith("postgres://postgres:")
    assert pg["dsn"].endswith(f"@dokku-postgres-{db}:5432/{db.replace('-', '_')}")
    assert rd["dsn"].endswith(f"@dokku-redis-{cache}:6379")
    assert list(pg) == INFO_KEYS

    link = dokku("postgres:link", db, app)
    assert f"DATABASE_URL:  {pg['dsn']}" in link.stdout
    assert "Restarting app" in link.stdout
    assert "migrated" in link.stdout  # the release phase reached the database
    dokku("redis:link", cache, app)
    assert env_of(app, "DATABASE_URL") == pg["dsn"]
    assert env_of(app, "REDIS_URL") == rd["dsn"]
    assert dokku("postgres:linked", db, app).returncode == 0
    assert dokku("postgres:app-links", app).stdout.split() == [db]

    for value in ("one", "two"):
        assert body(app, f"/rows/add?v={value}") == "added"
    one_off = dokku("run", app, "python3", "/app/migrate.py")  # `run` containers reach it too
    assert "migrated" in one_off.stdout + one_off.stderr
    assert [body(app, "/counter/incr") for _ in range(2)] == ["1", "2"]

    dokku("postgres:restart", db)
    dokku("redis:restart", cache)
    assert body(app, "/rows") == "one,two"
    assert body(app, "/counter") == "2"

    dokku("ps:rebuild", app)
    assert body(app, "/rows") == "one,two"
    assert body(app, "/counter/incr") == "3"

    dokku("postgres:stop", db)
    assert dokku("postgres:info", db, "--status").stdout.strip() == "exited"
    restore = dokku("ps:restore")
    assert f"Started postgres service {db}, linked to {app}" in restore.stdout
    assert body(app, "/rows") == "one,two"

    refused = dokku("--force", "postgres:destroy", db, check=False)
    assert refused.returncode == 1
    assert "Cannot delete linked service" in refused.stderr
    assert dokku("postgres:info", db, "--status").stdout.strip() == "running"

    dokku("postgres:unlink", db, app)
    assert env_of(app, "DATABASE_URL") == "<unset>"
    assert dokku("postgres:linked", db, app, check=False).returncode == 1
    assert "DATABASE_URL" not in dokku("config:keys", app, check=False).stdout
    assert body(app, "/counter") == "3"  # the other link is untouched


def test_export_destroy_create_import_restores_rows(dokku, service):
    db = service("postgres")
    create("postgres", db)
    sql(db, "CREATE TABLE items (id serial PRIMARY KEY, value text)")
    sql(db, "INSERT INTO items (value) VALUES ('alpha'), ('beta'), ('γάμμα')")
    dump = subprocess.run(
        ["/usr/local/bin/dokku", "postgres:export", db], capture_output=True, check=True
    ).stdout
    assert dump.startswith(b"PGDMP")  # pg_dump's custom format, bytes untouched
    dokku("--force", "postgres:destroy", db)
    assert not (LIB / "postgres" / db).exists()
    create("postgres", db)
    assert sql(db, "SELECT to_regclass('items') IS NULL") == "t"
    subprocess.run(["/usr/local/bin/dokku", "postgres:import", db], input=dump, check=True)
    assert sql(db, "SELECT string_agg(value, ',' ORDER BY id) FROM items") == "alpha,beta,γάμμα"


def ssh_bytes(key: SshKey, *words: str, data: bytes = b"") -> bytes:
    argv = ["ssh", *key.options(), "dokku@127.0.0.1", *words]
    return subprocess.run(argv, input=data, capture_output=True, check=True, timeout=120).stdout


def test_redis_export_import_over_ssh_is_binary_safe(dokku, service, ssh_key):
    cache = service("redis")
    create("redis", cache)
    password = urlsplit(dokku("redis:info", cache, "--dsn").stdout.strip()).password or ""

    def redis(*words: str) -> str:
        argv = [
            "docker",
            "exec",
            "-e",
            "REDISCLI_AUTH",
            f"dokku.redis.{cache}",
            "redis-cli",
            *words,
        ]
        env = {**os.environ, "REDISCLI_AUTH": password}
        return subprocess.run(argv, capture_output=True, text=True, env=env, check=True).stdout

    redis("SET", "text", "ÿ ünïcödé")
    redis("SET", "counter", "41")
    dump = ssh_bytes(ssh_key, "redis:export", cache)
    assert dump.startswith(b"REDIS")
    redis("FLUSHALL")
    ssh_bytes(ssh_key, "redis:import", cache, data=dump)
    assert redis("GET", "counter").strip() == "41"
    assert redis("GET", "text").strip() == "ÿ ünïcödé"
    assert dokku("redis:info", cache, "--status").stdout.strip() == "running"
    bad = subprocess.run(
        ["/usr/local/bin/dokku", "redis:import", cache], input=b"garbage", capture_output=True
    )
    assert bad.returncode == 1
    assert redis("GET", "counter").strip() == "41"  # a bad dump changes nothing


def test_link_aliases_colors_promote_and_unlink(dokku, app_name, service):
    app, first, second, third = (
        app_name(),
        service("postgres"),
        service("postgres"),
        service("postgres"),
    )
    dokku("apps:create", app)
    urls = {name: create("postgres", name)["dsn"] for name in (first, second, third)}
    dokku("postgres:link", first, app)
    dokku("postgres:link", second, app)
    dokku("postgres:link", third, app, "-a", "reporting")
    config = json.loads(dokku("config:export", app, "--format", "json").stdout)
    assert config["DATABASE_URL"] == urls[first]
    assert config["DOKKU_POSTGRES_AQUA_URL"] == urls[second]
    assert config["REPORTING_URL"] == urls[third]
    again = dokku("postgres:link", first, app, check=False)
    assert again.returncode == 1
    assert "Already linked as DATABASE_URL" in again.stderr
    assert sorted(dokku("postgres:app-links", app).stdout.split()) == sorted(urls)

    dokku("postgres:promote", second, app)
    config = json.loads(dokku("config:export", app, "--format", "json").stdout)
    assert config["DATABASE_URL"] == urls[second]
    assert config["DOKKU_POSTGRES_BLACK_URL"] == urls[first]

    dokku("postgres:unlink", second, app)
    config = json.loads(dokku("config:export", app, "--format", "json").stdout)
    assert urls[second] not in config.values()
    assert "DATABASE_URL" not in config
    missing = dokku("postgres:unlink", second, app, check=False)
    assert "Not linked to app" in missing.stderr
    nope = dokku("postgres:link", first, "no-such-app", check=False)
    assert nope.returncode == 1
    assert "App no-such-app does not exist" in nope.stderr


def test_expose_connect_enter_logs_report(dokku, service):
    db, cache = service("postgres"), service("redis")
    create("postgres", db, "-m", "256", "-c", "-c max_connections=42")
    create("redis", cache)
    assert sql(db, "SHOW max_connections") == "42"
    assert docker("inspect", "-f", "{{.HostConfig.Memory}}", f"dokku.postgres.{db}").strip() == str(
        256 * 1024 * 1024
    )
    exposed = dokku("postgres:expose", db).stdout
    ports = dokku("postgres:info", db, "--exposed-ports").stdout.strip()
    assert ports.startswith("5432->127.0.0.1:"), (exposed, ports)
    port = int(ports.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=5):
        pass
    assert sql(db, "SELECT 1") == "1"  # a new container on the same data
    again = dokku("postgres:expose", db, check=False)
    assert "already exposed" in again.stderr
    dokku("postgres:unexpose", db)
    assert dokku("postgres:info", db, "--exposed-ports").stdout.strip() == "-"

    psql = dokku("postgres:connect", db, input="SELECT 6 * 7 AS answer;\n").stdout
    assert "42" in psql
    assert "PONG" in dokku("redis:connect", cache, input="PING\n").stdout
    assert "ready to accept connections" in dokku("postgres:logs", db, "-n", "50").stdout
    report = json.loads(dokku("redis:report", cache, "--format", "json").stdout)
    assert report["status"] == "running"
    assert (
        dokku("redis:report", cache, "--redis-dns-alias").stdout.strip() == f"dokku-redis-{cache}"
    )
    assert cache in dokku("redis:list").stdout.split()


def test_backups_retention_and_schedule(dokku, service):
    db = service("postgres")
    create("postgres", db)
    target = Path("/var/lib/dokku/backups") / db
    try:
        dokku("postgres:backup-set-retention", db, "2")
        for _ in range(3):
            dokku("postgres:backup", db, str(target))
        kept = sorted(target.iterdir())
        assert len(kept) == 2
        assert all(p.name.startswith(f"postgres-{db}-") and p.suffix == ".dump" for p in kept)
        assert all(p.stat().st_mode & 0o777 == 0o600 for p in kept)
        assert kept[0].read_bytes().startswith(b"PGDMP")

        dokku("postgres:backup-schedule", db, "15 3 * * *", str(target))
        line = dokku("postgres:backup-schedule-cat", db).stdout.strip()
        assert line.startswith("15 3 * * * ")
        assert f"postgres:backup {db} {target}" in line
        crontab = subprocess.run(["crontab", "-l", "-u", "dokku"], capture_output=True, text=True)
        assert line in crontab.stdout
        assert dokku("postgres:info", db, "--backup-schedule").stdout.strip() == "15 3 * * *"
        dokku("postgres:backup-unschedule", db)
        crontab = subprocess.run(["crontab", "-l", "-u", "dokku"], capture_output=True, text=True)
        assert db not in crontab.stdout
        assert (
            "no scheduled backup" in dokku("postgres:backup-schedule-cat", db, check=False).stderr
        )
    finally:
        subprocess.run(["rm", "-rf", str(target)], check=False)


def test_clone_and_refusals_change_nothing(dokku, service):
    db, copy = service("postgres"), service("postgres")
    info = create("postgres", db)
    sql(db, "CREATE TABLE t AS SELECT 7 AS x")
    dokku("postgres:clone", db, copy)
    assert sql(copy, "SELECT x FROM t") == "7"
    assert (LIB / "postgres" / copy / "PASSWORD").stat().st_mode & 0o777 == 0o600
    docker("rm", "-f", f"dokku.postgres.{copy}")  # the container is disposable, the data not
    assert dokku("postgres:info", copy, "--status").stdout.strip() == "missing"
    dokku("postgres:start", copy)
    assert sql(copy, "SELECT x FROM t") == "7"
    assert create_fails("postgres", db, "already exists")
    assert json.loads(dokku("postgres:info", db, "--format", "json").stdout)["id"] == info["id"]
    assert create_fails("postgres", "Bad_Name", "Valid service names")
    assert create_fails("redis", "x" * 60, "at most")
    assert create_fails(
        "postgres", service("postgres"), "Cannot use postgres:0-none", "-I", "0-none"
    )
    broken = service("postgres")
    assert create_fails("postgres", broken, "did not become ready", "-c", "-c no_such_setting=1")
    assert not (LIB / "postgres" / broken).exists()


def create_fails(stype: str, name: str, message: str, *flags: str) -> bool:
    before = docker("ps", "-aq", "--filter", f"label=dokku.service={stype}").split()
    result = run_dokku(f"{stype}:create", name, *flags, check=False)
    after = docker("ps", "-aq", "--filter", f"label=dokku.service={stype}").split()
    assert result.returncode == 1, result.stdout
    assert message in result.stderr, result.stderr
    assert sorted(before) == sorted(after)
    return True


def stop_dockerd() -> None:
    """Stop the dockerd whose pid is in /var/run/docker.pid (and only that one)."""
    pid = int(Path("/var/run/docker.pid").read_text().strip())
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        stat = Path(f"/proc/{pid}/stat")
        if stat.exists() and stat.read_text().split(") ")[1].startswith("Z"):
            return  # exited; PID 1 here reaps late
        time.sleep(0.5)
    pytest.fail("dockerd did not stop within 90 s", pytrace=False)


def test_data_survives_a_dockerd_restart(dokku, app_name, service, make_repo, git_push):
    app, db, cache = app_name(), service("postgres"), service("redis")
    deploy_sample(app, make_repo, git_push)
    create("postgres", db)
    create("redis", cache)
    dokku("postgres:link", db, app, "-n")
    dokku("redis:link", cache, app)
    body(app, "/rows/add?v=before")
    assert body(app, "/counter/incr") == "1"

    stop_dockerd()
    started = subprocess.run(
        [str(REPO_ROOT / "scripts" / "start-services")], capture_output=True, text=True, timeout=600
    )
    assert started.returncode == 0, started.stdout + started.stderr
    dokku("ps:restore")
    wait_for(lambda: body(app, "/") == "ok", timeout=120)
    assert dokku("postgres:info", db, "--status").stdout.strip() == "running"
    assert body(app, "/rows") == "before"
    assert body(app, "/counter") == "1"
