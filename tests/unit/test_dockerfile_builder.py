"""The Dockerfile builder's pure parts (build args) and the build directory of an app."""

from __future__ import annotations

from pathlib import Path

import pytest

from pydokku import properties, state
from pydokku.errors import DokkuError
from pydokku.plugins.builder import logic
from pydokku.plugins.builder.dockerfile import config_build_args


def test_every_config_var_is_a_build_arg() -> None:
    env = {"NODE_ENV": "production", "B": "", "SECRET": "s3cret"}
    assert config_build_args(env) == env


def test_config_vars_with_unusable_names_are_not_build_args() -> None:
    assert config_build_args({"A-B": "1", "1X": "2", "OK": "3"}) == {"OK": "3"}


def set_build_dir(app: str, value: str) -> None:
    with state.transaction() as conn:
        properties.store(conn, logic.PLUGIN, app, "build-dir", value)


def test_build_dir_defaults_to_the_source(store: Path, tmp_path: Path) -> None:
    assert logic.build_dir("myapp", tmp_path) == tmp_path


def test_build_dir_subdirectory(store: Path, tmp_path: Path) -> None:
    (tmp_path / "src" / "api").mkdir(parents=True)
    set_build_dir("myapp", "src/api")
    assert logic.build_dir("myapp", tmp_path) == (tmp_path / "src" / "api").resolve()


def test_global_build_dir_applies(store: Path, tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    set_build_dir("--global", "app")
    assert logic.build_dir("myapp", tmp_path) == (tmp_path / "app").resolve()


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("missing", "build-dir 'missing' is not a directory"),
        ("file.txt", "build-dir 'file.txt' is not a directory"),
        ("link", "build-dir link is a link that leads outside"),
        ("s/s/../../x", "build-dir s/s/../../x is a link that leads outside"),
    ],
)
def test_build_dir_refuses_escapes_and_missing_dirs(
    store: Path, tmp_path: Path, value: str, error: str
) -> None:
    source = tmp_path / "source"
    source.mkdir()
    (source / "src").mkdir()
    (source / "file.txt").write_text("x")
    (tmp_path / "x").mkdir()
    (source / "link").symlink_to(tmp_path / "x")
    (source / "s").symlink_to(".")
    set_build_dir("myapp", value)
    with pytest.raises(DokkuError, match=error):
        logic.build_dir("myapp", source)


@pytest.mark.parametrize("value", ["../x", "src/../../x", "/etc"])
def test_build_dir_stored_outside_is_refused_at_use(
    store: Path, tmp_path: Path, value: str
) -> None:
    with state.transaction() as conn:
        properties.store(conn, "builder", "myapp", "build-dir", value)
    with pytest.raises(DokkuError, match="build-dir"):
        logic.build_dir("myapp", tmp_path)


@pytest.mark.parametrize("value", ["app", "src/api", "./app", "a..b"])
def test_validate_build_dir_accepts_relative_paths(value: str) -> None:
    assert logic.validate_build_dir(value) is None


@pytest.mark.parametrize("value", ["/abs", "..", "../x", "a/../../b", "a/..", "a b", "a;b"])
def test_validate_build_dir_refuses_escapes(value: str) -> None:
    assert logic.validate_build_dir(value)
