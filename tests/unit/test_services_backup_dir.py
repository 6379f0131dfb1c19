"""Backups go to one fixed directory, `$DOKKU_LIB_ROOT/backups`: a name there or a path under it."""

from __future__ import annotations

from pathlib import Path

import pytest

from pydokku.errors import DokkuError
from pydokku.services.data import validate_backup_dir


@pytest.fixture(autouse=True)
def lib_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DOKKU_LIB_ROOT", str(tmp_path))
    return tmp_path


def test_a_name_or_a_path_under_the_backup_root(lib_root: Path) -> None:
    assert validate_backup_dir("nightly") == lib_root / "backups" / "nightly"
    assert validate_backup_dir("db/daily") == lib_root / "backups" / "db" / "daily"
    inside = str(lib_root / "backups" / "x")
    assert validate_backup_dir(inside) == Path(inside)


@pytest.mark.parametrize(
    "directory",
    ["/etc/cron.d", "/home/dokku/.ssh", "../x", "a/../../x", "/tmp", "a\nb", "50%", "a b"],
)
def test_anywhere_else_is_refused(lib_root: Path, directory: str) -> None:
    with pytest.raises(DokkuError, match="Invalid backup directory"):
        validate_backup_dir(directory)
