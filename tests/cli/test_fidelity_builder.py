"""builder:set selected|skip-cleanup as Dokku 0.38 names, stores and reports them.

From Dokku's plugins/builder (builder.go DefaultProperties, report.go) and its
plugins/builder-* directories (the builders Dokku ships).
"""

from __future__ import annotations

import io
import json
import tarfile

import pytest

from tests.conftest import Dokku

DOKKU_BUILDERS = ["dockerfile", "herokuish", "lambda", "nixpacks", "null", "pack", "railpack"]
CANNOT_RUN_HERE = ["herokuish", "lambda", "nixpacks", "pack", "railpack"]


def tar_of(files: dict[str, str]) -> str:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue().decode("latin-1")


@pytest.mark.parametrize("name", [*DOKKU_BUILDERS, "auto"])
def test_every_dokku_builder_name_is_accepted(dokku: Dokku, app: str, name: str) -> None:
    assert dokku.ok("builder:set", app, "selected", name).stdout == (
        f"-----> Setting selected to {name}\n"
    )
    assert dokku.ok("builder:report", app, "--builder-computed-selected").stdout == name + "\n"


@pytest.mark.parametrize("name", CANNOT_RUN_HERE)
def test_a_builder_this_host_cannot_run_is_refused_at_deploy(
    dokku: Dokku, app: str, name: str
) -> None:
    dokku.ok("builder:set", app, "selected", name)
    result = dokku("git:from-archive", app, "-", stdin=tar_of({"Procfile": "web: true\n"}))
    assert result.rc == 1
    assert result.stderr == (
        f" !     The {name} builder is selected for {app} (builder:set selected) but this "
        "host cannot run it; it builds with: auto, dockerfile, null. Choose one with "
        f"`dokku builder:set {app} selected auto` (or unset it to detect)\n"
    )
    assert dokku.ok("apps:report", app, "--app-deploy-source").stdout == ""


@pytest.mark.parametrize(
    ("flag", "expected"),
    [
        ("--builder-skip-cleanup", ""),
        ("--builder-global-skip-cleanup", ""),
        ("--builder-computed-skip-cleanup", "false\n"),
    ],
)
def test_skip_cleanup_defaults(dokku: Dokku, app: str, flag: str, expected: str) -> None:
    assert dokku.ok("builder:report", app, flag).stdout == expected


def test_skip_cleanup_app_over_global(dokku: Dokku, app: str) -> None:
    dokku.ok("builder:set", "--global", "skip-cleanup", "true")
    data = json.loads(dokku.ok("builder:report", app, "--format", "json").stdout)
    assert (data["skip-cleanup"], data["global-skip-cleanup"], data["computed-skip-cleanup"]) == (
        "",
        "true",
        "true",
    )
    dokku.ok("builder:set", app, "skip-cleanup", "false")
    assert dokku.ok("builder:report", app, "--builder-computed-skip-cleanup").stdout == "false\n"


@pytest.mark.parametrize(
    ("key", "value", "problem"),
    [
        (
            "selected",
            "heroku",
            "expected one of: auto, dockerfile, herokuish, lambda, nixpacks, null, pack, railpack",
        ),
        (
            "selected",
            "pack;ls",
            "expected one of: auto, dockerfile, herokuish, lambda, nixpacks, null, pack, railpack",
        ),
        ("skip-cleanup", "yes", "expected true or false"),
        ("skip-cleanup", "1", "expected true or false"),
    ],
)
def test_bad_values_are_refused_and_change_nothing(
    dokku: Dokku, app: str, key: str, value: str, problem: str
) -> None:
    before = dokku.ok("builder:report", app, "--format", "json").stdout
    result = dokku("builder:set", app, key, value)
    assert (result.rc, result.stderr) == (1, f" !     Invalid value for {key}: {problem}\n")
    assert dokku.ok("builder:report", app, "--format", "json").stdout == before
