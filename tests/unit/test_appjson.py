"""app.json: comments, formation and scripts."""

from __future__ import annotations

from typing import Any

import pytest

from pydokku.appjson import formation, parse_app_json, script
from pydokku.errors import DokkuError


def test_line_and_block_comments_are_stripped() -> None:
    text = """
    // leading comment
    {
      /* block
         comment */
      "name": "demo", // trailing comment
      "formation": {"web": {"quantity": 2 /* inline */}}
    }
    // end"""
    assert parse_app_json(text) == {"name": "demo", "formation": {"web": {"quantity": 2}}}


def test_comment_markers_inside_strings_are_kept() -> None:
    text = '{"url": "http://x/y", "glob": "a/*.py", "end": "*/", "q": "say \\"//hi\\""} // c'
    assert parse_app_json(text) == {
        "url": "http://x/y",
        "glob": "a/*.py",
        "end": "*/",
        "q": 'say "//hi"',
    }


def test_escaped_backslash_before_closing_quote_ends_the_string() -> None:
    text = '{"path": "C:\\\\", "x": 1 // comment\n}'
    assert parse_app_json(text) == {"path": "C:\\", "x": 1}


def test_unterminated_block_comment_drops_the_rest() -> None:
    with pytest.raises(DokkuError, match=r"app\.json is not valid JSON"):
        parse_app_json('{"a": 1 /* never closed }')


def test_invalid_json_names_the_source() -> None:
    with pytest.raises(DokkuError, match=r"^sub/app\.json is not valid JSON"):
        parse_app_json("{nope", source="sub/app.json")


@pytest.mark.parametrize("text", ["[]", '"x"', "1", "null"])
def test_top_level_must_be_an_object(text: str) -> None:
    with pytest.raises(DokkuError, match="must hold a JSON object"):
        parse_app_json(text)


def test_empty_object_is_valid() -> None:
    assert parse_app_json("{}") == {}
    assert formation({}) == {}
    assert script({}, "predeploy") == ""


def test_formation_quantities() -> None:
    data = parse_app_json(
        '{"formation": {"web": {"quantity": 3}, "worker": {"quantity": 0}, "clock": {}}}'
    )
    assert formation(data) == {"web": 3, "worker": 0, "clock": 1}


def test_formation_null_means_none() -> None:
    assert formation({"formation": None}) == {}


@pytest.mark.parametrize(
    "spec",
    [
        '{"quantity": -1}',
        '{"quantity": "2"}',
        '{"quantity": 1.5}',
        '{"quantity": null}',
        '{"quantity": true}',
        "2",
        '"web"',
    ],
)
def test_invalid_formation_quantity_is_refused(spec: str) -> None:
    with pytest.raises(DokkuError, match=r"formation\.web\.quantity must be a whole number"):
        parse_app_json(f'{{"formation": {{"web": {spec}}}}}')


@pytest.mark.parametrize("value", ["[]", '"web=1"', "3"])
def test_formation_must_be_an_object(value: str) -> None:
    with pytest.raises(DokkuError, match="formation must be an object"):
        parse_app_json(f'{{"formation": {value}}}')


def test_scripts_lookup() -> None:
    data = parse_app_json(
        '{"scripts": {"dokku": {"predeploy": "./manage.py migrate", "postdeploy": "echo ok"},'
        ' "postdeploy": "heroku-style, ignored"}}'
    )
    assert script(data, "predeploy") == "./manage.py migrate"
    assert script(data, "postdeploy") == "echo ok"
    assert script(data, "other") == ""


@pytest.mark.parametrize(
    "data",
    [
        {"scripts": None},
        {"scripts": "x"},
        {"scripts": {"dokku": None}},
        {"scripts": {"dokku": ["predeploy"]}},
        {"scripts": {"dokku": {"predeploy": 1}}},
        {"scripts": {"dokku": {"predeploy": None}}},
        {"scripts": {"predeploy": "not under dokku"}},
    ],
)
def test_scripts_of_the_wrong_shape_give_nothing(data: dict[str, Any]) -> None:
    assert script(data, "predeploy") == ""
