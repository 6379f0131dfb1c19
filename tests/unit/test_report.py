"""The shared `:report` rendering: aligned text, JSON, and single-flag lookups."""

from __future__ import annotations

import json

import pytest

from pydokku.errors import DokkuError
from pydokku.report import ReportSection, render


def git_section(app: str = "myapp") -> ReportSection:
    return ReportSection(
        "git", app, [("deploy-branch", "main"), ("rev-env-var", ""), ("sha", "abc123")]
    )


def test_text_is_aligned_after_the_longest_label() -> None:
    assert git_section().render_text() == (
        "=====> myapp git information\n"
        "       Git deploy branch: main\n"
        "       Git rev env var:\n"
        "       Git sha:           abc123"
    )


def test_text_values_start_in_one_column() -> None:
    lines = git_section().render_text().splitlines()[1:]
    starts = {line.index("main") if "main" in line else line.index("abc123") for line in lines[::2]}
    assert starts == {len("       Git deploy branch: ")}


def test_label_and_flag_of_a_dashed_namespace() -> None:
    section = ReportSection("docker-options", "a", [("build", "x")])
    assert section.label("build") == "Docker options build"
    assert section.flag("build") == "--docker-options-build"


def test_empty_section_has_only_the_header() -> None:
    assert ReportSection("git", "a", []).render_text() == "=====> a git information"


def test_several_sections_are_joined_in_order() -> None:
    text = render([git_section("a"), git_section("b")])
    headers = [line for line in text.splitlines() if line.startswith("=====>")]
    assert headers == ["=====> a git information", "=====> b git information"]


def test_json_of_one_section_is_flat() -> None:
    assert json.loads(render([git_section()], "json")) == {
        "deploy-branch": "main",
        "rev-env-var": "",
        "sha": "abc123",
    }


def test_json_of_several_sections_is_keyed_by_app() -> None:
    data = json.loads(render([git_section("a"), git_section("b")], "json"))
    assert list(data) == ["a", "b"]
    assert data["b"]["sha"] == "abc123"


def test_single_flag_returns_only_the_value() -> None:
    assert render([git_section()], flag="--git-deploy-branch") == "main"
    assert render([git_section()], flag="--git-rev-env-var") == ""


def test_unknown_flag_lists_the_valid_ones() -> None:
    with pytest.raises(DokkuError) as info:
        render([git_section()], flag="--git-nope")
    assert info.value.message == (
        "Invalid flag passed, valid flags: --git-deploy-branch, --git-rev-env-var, --git-sha"
    )


def test_flag_with_a_format_is_refused() -> None:
    with pytest.raises(DokkuError, match="--format cannot be combined"):
        render([git_section()], "json", flag="--git-sha")


def test_flag_needs_exactly_one_app() -> None:
    with pytest.raises(DokkuError, match="needs an app name"):
        render([git_section("a"), git_section("b")], flag="--git-sha")


def test_every_app_json_is_keyed_by_app_even_for_one_app() -> None:
    data = json.loads(render([git_section("only")], "json", every_app=True))
    assert data == {"only": {"deploy-branch": "main", "rev-env-var": "", "sha": "abc123"}}
    assert json.loads(render([], "json", every_app=True)) == {}


def test_every_app_refuses_a_single_flag_even_for_one_app() -> None:
    with pytest.raises(DokkuError, match="needs an app name"):
        render([git_section("only")], flag="--git-sha", every_app=True)
