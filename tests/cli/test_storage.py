"""storage:* end to end against a temp store (no daemon: mounts apply when containers are made)."""

from __future__ import annotations

import json
import os

import pytest

from tests.conftest import Dokku
from tests.report_json import short_keys
from tests.statedump import dump


def mounts(dokku: Dokku, app: str) -> list[dict[str, object]]:
    found: list[dict[str, object]] = json.loads(
        dokku.ok("storage:list", app, "--format", "json").stdout
    )
    return found


def test_mount_list_report_unmount(dokku: Dokku, app: str) -> None:
    data = f"{dokku.lib_root}/data/storage/uploads"
    assert dokku.ok("storage:mount", app, f"{data}:/app/uploads").stdout == ""
    dokku.ok("storage:mount", app, "/srv/shared:/shared:ro")
    assert mounts(dokku, app) == [
        {"host_path": data, "container_path": "/app/uploads"},
        {"host_path": "/srv/shared", "container_path": "/shared", "readonly": True},
    ]
    assert dokku.ok("storage:list", app).lines == [
        "=====> myapp volume bind-mounts:",
        f"       {data}:/app/uploads",
        "       /srv/shared:/shared:ro",
    ]
    assert dokku.ok("--quiet", "storage:list", app).lines == [
        f"{data}:/app/uploads",
        "/srv/shared:/shared:ro",
    ]
    report = short_keys(
        json.loads(dokku.ok("storage:report", app, "--format", "json").stdout), "storage"
    )
    flags = f"-v {data}:/app/uploads -v /srv/shared:/shared:ro"
    assert report == {"build-mounts": "", "deploy-mounts": flags, "run-mounts": flags}
    assert dokku.ok("storage:report", app, "--storage-run-mounts").stdout.strip() == flags
    dokku.ok("storage:unmount", app, "/srv/shared:/shared")
    assert [m["container_path"] for m in mounts(dokku, app)] == ["/app/uploads"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("storage:mount", "myapp", "/srv/x"),
            "Storage path must be two valid paths divided by colon.",
        ),
        (("storage:mount", "myapp", "rel/dir:/x"), "expected an absolute directory"),
        (("storage:mount", "myapp", "/srv/../etc:/x"), "must not contain '..'"),
        (("storage:mount", "myapp", "/etc:/x"), "Refusing to mount /etc"),
        (("storage:mount", "myapp", "/srv/x:data"), "it must be absolute"),
        (("storage:mount", "myapp", "/srv/x:/x:sometimes"), "Invalid mount option"),
        (("storage:mount", "myapp", "/srv/a:/a"), "Mount path already exists."),
        (
            ("storage:mount", "myapp", "/srv/b:/a"),
            "Container path /a is already mounted from /srv/a",
        ),
        (("storage:mount", "ghost", "/srv/b:/b"), "App ghost does not exist"),
        (("storage:unmount", "myapp", "/srv/b:/a"), "Mount path does not exist."),
        (("storage:unmount", "myapp", "/srv/a"), "two valid paths"),
        (("storage:list", "ghost"), "App ghost does not exist"),
        (("storage:list", "myapp", "--format", "yaml"), "Argument --format: invalid choice"),
        (("storage:report", "ghost"), "App ghost does not exist"),
        (("storage:report", "myapp", "--storage-nope"), "Invalid flag passed"),
        (("storage:ensure-directory", "../up"), "Directory can only contain"),
        (("storage:ensure-directory", "--chown", "nobody", "d"), "Unsupported chown permissions"),
        (("storage:ensure-directory", "--chown", "70000", "d"), "Unsupported chown permissions"),
        (("storage:ensure-directory",), "The following arguments are required"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(
    dokku: Dokku, app: str, args: tuple[str, ...], message: str
) -> None:
    dokku.ok("storage:mount", app, "/srv/a:/a")
    before = dump(dokku.db)
    result = dokku(*args)
    assert result.rc != 0
    first, *rest = result.stderr.strip().splitlines()
    assert message in first
    assert all(line.startswith(f" !     Usage: dokku {args[0]} ") for line in rest)
    assert dump(dokku.db) == before
    assert not (dokku.lib_root / "data" / "storage" / "d").exists()


def test_own_state_cannot_be_mounted(dokku: Dokku, app: str) -> None:
    for host in (dokku.lib_root, dokku.lib_root / "data", dokku.root / app, dokku.root.parent):
        result = dokku("storage:mount", app, f"{host}:/x")
        assert result.rc == 1
        assert "Refusing to mount" in result.stderr
    assert mounts(dokku, app) == []


def test_ensure_directory(dokku: Dokku) -> None:
    target = dokku.lib_root / "data" / "storage" / "uploads"
    out = dokku.ok("storage:ensure-directory", "--chown", "false", "uploads").lines
    assert out == [f"-----> Ensuring {target} exists", "       Directory ready for mounting"]
    assert target.is_dir()
    uid = os.getuid()
    out = dokku.ok("storage:ensure-directory", "--chown", str(uid), "uploads").lines
    assert f"       Setting directory ownership to {uid}:{uid}" in out
    assert target.stat().st_uid == uid


def test_mounts_follow_rename_and_clone_and_survive_destroy(dokku: Dokku, app: str) -> None:
    host = dokku.lib_root / "data" / "storage" / "keep"
    host.mkdir(parents=True)
    (host / "file").write_text("kept")
    dokku.ok("storage:mount", app, f"{host}:/data")
    dokku.ok("apps:rename", "--skip-deploy", app, "renamed")
    assert mounts(dokku, "renamed") == [{"host_path": str(host), "container_path": "/data"}]
    dokku.ok("apps:clone", "--skip-deploy", "renamed", "copy")
    assert mounts(dokku, "copy") == mounts(dokku, "renamed")
    out = dokku.ok("--force", "apps:destroy", "renamed").stdout
    assert f"Mounted storage is kept (delete it yourself if unneeded): {host}" in out
    assert (host / "file").read_text() == "kept"
    assert mounts(dokku, "copy") != []
    dokku.ok("apps:create", "renamed")
    assert mounts(dokku, "renamed") == []
