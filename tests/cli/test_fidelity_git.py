"""git:set APP source-image as Dokku 0.38 stores and reports it.

From Dokku's plugins/git (subcommands/set VALID_KEYS, report.go `--git-source-image`,
deploy-source-set: any deploy that is not an image deploy clears it).
"""

from __future__ import annotations

import json

import pytest

from pydokku import properties, state
from pydokku.plugins.git.settings import record_deploy_source
from tests.conftest import Dokku


def test_source_image_is_set_reported_and_unset(dokku: Dokku, app: str) -> None:
    out = dokku.ok("git:set", app, "source-image", "registry.example.com/team/web:1.2")
    assert out.stdout == "-----> Setting source-image to registry.example.com/team/web:1.2\n"
    assert dokku.ok("git:report", app, "--git-source-image").stdout == (
        "registry.example.com/team/web:1.2\n"
    )
    data = json.loads(dokku.ok("git:report", app, "--format", "json").stdout)
    assert data["source-image"] == "registry.example.com/team/web:1.2"
    assert "computed-source-image" not in data
    assert "global-source-image" not in data
    assert dokku.ok("git:set", app, "source-image").stdout == "-----> Unsetting source-image\n"
    assert dokku.ok("git:report", app, "--git-source-image").stdout == ""


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        (
            ["myapp", "source-image", "web image"],
            "Invalid value for source-image: expected an image reference such as registry/name:tag",
        ),
        (
            ["myapp", "source-image", "../../etc"],
            "Invalid value for source-image: expected an image reference such as registry/name:tag",
        ),
        (
            ["--global", "source-image", "web:1"],
            "Property 'source-image' cannot be set with --global",
        ),
    ],
)
def test_bad_source_images_are_refused(
    dokku: Dokku, app: str, args: list[str], stderr: str
) -> None:
    before = dokku.ok("git:report", app, "--format", "json").stdout
    result = dokku("git:set", *args)
    assert (result.rc, result.stderr) == (1, f" !     {stderr}\n")
    assert dokku.ok("git:report", app, "--format", "json").stdout == before


@pytest.mark.parametrize(
    ("kind", "detail", "source_image"),
    [
        ("docker-image", "web:1", "web:1"),
        ("docker-image-load", "web:2", "web:2"),
        ("git-push", "0123abc", None),
        ("git-sync", "https://example.com/r.git#0123abc", None),
        ("archive", "stdin", None),
    ],
)
def test_deploy_source_sets_or_clears_source_image(
    store: object, kind: str, detail: str, source_image: str | None
) -> None:
    with state.transaction() as conn:
        conn.execute("INSERT INTO apps (name, created_at) VALUES ('web', ?)", (state.now(),))
        properties.store(conn, "git", "web", "source-image", "old:1")
        record_deploy_source(conn, "web", kind, detail)
    assert properties.get("git", "web", "source-image") == source_image
    assert properties.get("apps", "web", "deploy-source") == kind
