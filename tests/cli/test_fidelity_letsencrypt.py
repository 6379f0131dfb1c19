"""letsencrypt:cleanup APP as dokku-letsencrypt words it (command-functions)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.test_domains import IsolatedDokku
from tests.conftest import Dokku


@pytest.fixture
def dokku(tmp_path: Path) -> Dokku:
    """A `dokku` runner on temp roots, with nginx pointed nowhere."""
    return IsolatedDokku(tmp_path)


def test_cleanup_removes_what_an_interrupted_order_left(dokku: Dokku, app: str) -> None:
    answers = dokku.lib_root / "data" / "letsencrypt" / app
    answers.mkdir(parents=True)
    (answers / "token").write_text("answer")
    include = dokku.root / app / "nginx.conf.d" / "letsencrypt.conf"
    include.parent.mkdir(parents=True, exist_ok=True)
    include.write_text("location ^~ /.well-known/acme-challenge/ { }\n")
    result = dokku.ok("letsencrypt:cleanup", app)
    assert result.stdout == (
        f"=====> Cleaning up stale certificate directories for {app}\n"
        f"----->   - stale {answers}\n"
        f"----->   - stale {include}\n"
    )
    assert not answers.exists()
    assert not include.exists()
    again = dokku.ok("letsencrypt:cleanup", app)
    assert again.stdout == f"=====> Cleaning up stale certificate directories for {app}\n"


@pytest.mark.parametrize(
    ("args", "stderr"),
    [(["nope"], " !     App nope does not exist\n"), (["Bad/Name"], None)],
)
def test_cleanup_refuses_bad_apps(dokku: Dokku, args: list[str], stderr: str | None) -> None:
    result = dokku("letsencrypt:cleanup", *args)
    assert result.rc != 0
    assert len(result.stderr.splitlines()) == 1
    if stderr:
        assert result.stderr == stderr
