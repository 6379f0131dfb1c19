"""The safe reader of pushed source trees: links that leave the tree are refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from pydokku import properties, sourcetree
from pydokku.errors import DokkuError


@pytest.fixture(name="tree")
def tree_fixture(tmp_path: Path) -> Path:
    tree = tmp_path / "src"
    (tree / "sub").mkdir(parents=True)
    (tree / "Procfile").write_text("web: run\n")
    (tree / "sub" / "app.json").write_text("{}")
    (tmp_path / "secret").write_text("host file\n")
    return tree


def test_reads_files_and_links_that_stay_inside(tree: Path) -> None:
    (tree / "inner").symlink_to("sub/app.json")
    (tree / "loop").symlink_to(".")
    assert sourcetree.read_text(tree, "Procfile") == "web: run\n"
    assert sourcetree.read_text(tree, "inner") == "{}"
    assert sourcetree.read_text(tree, "loop/loop/sub/app.json") == "{}"
    assert sourcetree.read_text(tree, "missing") is None
    assert sourcetree.is_file(tree, "inner")
    assert sourcetree.is_dir(tree, "loop/sub")


@pytest.mark.parametrize(
    "links",
    [
        {"Procfile2": "../secret"},
        {"Procfile2": "/etc/os-release"},
        {"s": ".", "Procfile2": "s/s/../../secret"},
        {"s": ".", "Procfile2": "s/s/../../../../../../../../etc/os-release"},
        {"up": "..", "Procfile2": "up/secret"},
        {"Procfile2": "../missing-outside"},
    ],
)
def test_links_that_leave_the_tree_are_refused(tree: Path, links: dict[str, str]) -> None:
    for name, target in links.items():
        (tree / name).symlink_to(target)
    with pytest.raises(DokkuError, match="leads outside"):
        sourcetree.read_text(tree, "Procfile2")
    assert not sourcetree.is_file(tree, "Procfile2")


@pytest.mark.parametrize("name", ["/etc/os-release", "../secret", "sub/../../secret", ""])
def test_paths_outside_are_refused(tree: Path, name: str) -> None:
    with pytest.raises(DokkuError):
        sourcetree.read_text(tree, name)


def test_not_a_regular_file_and_too_large(tree: Path) -> None:
    with pytest.raises(DokkuError, match="not a regular file"):
        sourcetree.read_bytes(tree, "sub")
    (tree / "big").write_bytes(b"x" * 101)
    with pytest.raises(DokkuError, match="larger than 100 bytes"):
        sourcetree.read_bytes(tree, "big", limit=100)
    assert sourcetree.read_bytes(tree, "big", limit=101) == b"x" * 101


@pytest.mark.parametrize("name", ["Procfile", "app.json", "CHECKS"])
def test_deploy_refuses_a_pushed_link_chain_to_a_host_file(
    store: Path, tmp_path: Path, name: str
) -> None:
    from pydokku.plugins.deploy import logic

    tree = tmp_path / "pushed"
    tree.mkdir()
    (tree / "s").symlink_to(".")
    (tree / name).symlink_to("s/s/../../../../../../../../etc/os-release")
    readers = {
        "Procfile": lambda: logic._read_procfile("myapp", tree),
        "app.json": lambda: logic._read_app_json("myapp", tree),
        "CHECKS": lambda: logic._add_legacy_checks({}, tree),
    }
    with pytest.raises(DokkuError, match=f"{name}.* is a link that leads outside"):
        readers[name]()


def test_deploy_reads_the_procfile_path_inside_the_tree_only(store: Path, tmp_path: Path) -> None:
    from pydokku import state
    from pydokku.plugins.deploy import logic

    (tmp_path / "Procfile").write_text("web: outside\n")
    tree = tmp_path / "pushed"
    (tree / "deploy").mkdir(parents=True)
    (tree / "deploy" / "Procfile").write_text("web: inside\n")
    for value, expected in [("deploy/Procfile", {"web": "inside"}), ("../Procfile", None)]:
        with state.transaction() as conn:
            properties.store(conn, "ps", "myapp", "procfile-path", value)
        if expected is None:
            with pytest.raises(DokkuError, match="leads outside"):
                logic._read_procfile("myapp", tree)
        else:
            assert logic._read_procfile("myapp", tree) == expected


def test_deploy_reads_app_json_at_its_set_path(store: Path, tmp_path: Path) -> None:
    from pydokku import properties, state
    from pydokku.plugins.app_json import logic as app_json
    from pydokku.plugins.deploy import logic

    tree = tmp_path / "pushed"
    (tree / "meta").mkdir(parents=True)
    (tree / "app.json").write_text('{"cron": []}')
    (tree / "meta" / "app.json").write_text('{"scripts": {"dokku": {"predeploy": "x"}}}')
    assert logic._read_app_json("myapp", tree) == {"cron": []}
    with state.transaction() as conn:
        properties.store(conn, app_json.PLUGIN, "myapp", "appjson-path", "meta/app.json")
    assert logic._read_app_json("myapp", tree)["scripts"] == {"dokku": {"predeploy": "x"}}
    (tree / "meta" / "app.json").write_text('{"cron": [{"command": "a;b", "schedule": "@daily"}]}')
    with pytest.raises(DokkuError, match=r"cron\[0\]: Invalid cron command"):
        logic._read_app_json("myapp", tree)
    with state.transaction() as conn:  # a value stored around the validator is still refused
        properties.store(conn, app_json.PLUGIN, "myapp", "appjson-path", "../app.json")
    with pytest.raises(DokkuError, match="Invalid appjson-path"):
        logic._read_app_json("myapp", tree)
