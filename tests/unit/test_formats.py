"""Config export formats and the parser behind `config:import`."""

from __future__ import annotations

import pytest

from pydokku.errors import DokkuError
from pydokku.plugins.config import formats

ENV = {"A": "1", "B": "x y", "C": "it's"}

EXPECTED_EXPORTS = {
    "exports": "export A=1\nexport B='x y'\nexport C='it'\"'\"'s'",
    "envfile": 'A="1"\nB="x y"\nC="it\'s"',
    "docker-args": "--env=A=1 --env='B=x y' --env='C=it'\"'\"'s'",
    "docker-args-keys": "--env=A --env=B --env=C",
    "shell": "A=1 B='x y' C='it'\"'\"'s'",
    "json": '{"A": "1", "B": "x y", "C": "it\'s"}',
    "json-list": (
        '[{"name": "A", "value": "1"}, {"name": "B", "value": "x y"}, '
        '{"name": "C", "value": "it\'s"}]'
    ),
    "pretty": "A:  1\nB:  x y\nC:  it's",
}


def test_every_export_format_is_tested() -> None:
    assert set(EXPECTED_EXPORTS) == set(formats.EXPORT_FORMATS)


@pytest.mark.parametrize("fmt", sorted(EXPECTED_EXPORTS))
def test_export_format(fmt: str) -> None:
    assert formats.export(ENV, fmt) == EXPECTED_EXPORTS[fmt]


@pytest.mark.parametrize("fmt", formats.EXPORT_FORMATS)
def test_export_of_nothing_is_empty(fmt: str) -> None:
    expected = {"json": "{}", "json-list": "[]"}.get(fmt, "")
    assert formats.export({}, fmt) == expected


def test_unknown_export_format() -> None:
    with pytest.raises(DokkuError, match="Unknown export format 'yaml'"):
        formats.export(ENV, "yaml")


def test_envfile_escapes() -> None:
    value = 'a"b\\c$d\ne\tf\rg`h'
    assert formats.envfile_quote(value) == '"a\\"b\\\\c\\$d\\ne\\tf\\rg`h"'


def test_json_keeps_unicode_readable() -> None:
    assert formats.export({"U": "héllo ✓"}, "json") == '{"U": "héllo ✓"}'


def test_pretty_aligns_on_the_longest_key() -> None:
    assert formats.pretty({"A": "1", "LONG_KEY": "2"}) == "A:         1\nLONG_KEY:  2"


TRICKY_VALUES = [
    "",
    "plain",
    "with spaces",
    "  leading and trailing  ",
    "single ' quote",
    'double " quote',
    "both ' and \" quotes",
    "'",
    '"',
    "a=b=c",
    "=",
    "$HOME",
    "${HOME}",
    "$(whoami)",
    "`whoami`",
    "back\\slash",
    "\\",
    "\\\\",
    "trailing backslash\\",
    "\\n not a newline",
    "line1\nline2",
    "\n",
    "ends with newline\n",
    "tab\there",
    "\t",
    "cr\r\nlf",
    "unicode: héllo wörld ✓ 日本語 🚀",
    "# not a comment",
    "value # with hash",
    "semi;colon & amp | pipe > gt < lt",
    "glob * ? [a]",
    "export FOO=bar",
    "B='x' C=y",
    "mixed 'single' \"double\" $var `cmd` \\ \n\t end",
    "postgres://user:p@ss@host:5432/db?sslmode=require",
]

ROUND_TRIP_FORMATS = ("exports", "envfile", "json", "json-list", "shell")


@pytest.mark.parametrize("fmt", ROUND_TRIP_FORMATS)
@pytest.mark.parametrize("value", TRICKY_VALUES)
def test_round_trip_of_one_value(fmt: str, value: str) -> None:
    env = {"KEY": value}
    assert formats.parse(formats.export(env, fmt)) == env


@pytest.mark.parametrize("fmt", ROUND_TRIP_FORMATS)
def test_round_trip_of_many_values(fmt: str) -> None:
    env = {f"K{i}": value for i, value in enumerate(TRICKY_VALUES)}
    assert formats.parse(formats.export(env, fmt)) == env


@pytest.mark.parametrize("fmt", ROUND_TRIP_FORMATS)
def test_round_trip_with_trailing_newline(fmt: str) -> None:
    # `config:export` output ends with a newline once printed.
    env = {"A": "1", "B": "two words", "C": ""}
    assert formats.parse(formats.export(env, fmt) + "\n") == env


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", {}),
        ("\n\n  \n", {}),
        ("# comment only\n", {}),
        ("A=1", {"A": "1"}),
        ("A=1\nB=2\n", {"A": "1", "B": "2"}),
        ("A=1\r\nB=2\r\n", {"A": "1", "B": "2"}),
        ("export A=1\n", {"A": "1"}),
        ("  A=1  \n", {"A": "1"}),
        ("A=1 # trailing comment\n", {"A": "1"}),
        ("A=a#b\n", {"A": "a#b"}),
        ("A=\n", {"A": ""}),
        ("A=hello world\n", {"A": "hello world"}),
        ("A='x'\"y\"z\n", {"A": "xyz"}),
        ("A='$HOME \\n'\n", {"A": "$HOME \\n"}),
        ('A="a\\nb \\$x \\"q\\""\n', {"A": 'a\nb $x "q"'}),
        ('A="keep \\z"\n', {"A": "keep \\z"}),
        ("A='multi\nline'\nB=2\n", {"A": "multi\nline", "B": "2"}),
        ("A=1\nA=2\n", {"A": "2"}),
        ("A=1 B=2\n", {"A": "1", "B": "2"}),
        ("A='x y' B='' C=3\n", {"A": "x y", "B": "", "C": "3"}),
        ("# header\nA=1\n\n# mid\nB=2\n", {"A": "1", "B": "2"}),
        ('{"A": "1", "B": "2"}', {"A": "1", "B": "2"}),
        ('  [{"name": "A", "value": "1"}]', {"A": "1"}),
    ],
)
def test_parse(text: str, expected: dict[str, str]) -> None:
    assert formats.parse(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("A\n", "Line 1: expected KEY=VALUE"),
        ("A=1\nB\nC=3\n", "Line 2: expected KEY=VALUE"),
        ("1A=x\n", "Line 1: invalid key '1A'"),
        ("A-B=x\n", "Line 1: invalid key 'A-B'"),
        ("A=1\nB='open\n", "Line 2: unterminated single quote"),
        ('A="open\n', "Line 1: unterminated double quote"),
        ("{not json", "Invalid JSON"),
        ('{"A": 1}', "JSON config must map names to string values"),
        ('["A"]', 'A JSON list must hold {"name": ..., "value": ...} objects'),
        ('[{"name": "A"}]', 'A JSON list must hold {"name": ..., "value": ...} objects'),
        ('"just a string"', "Line 1"),
    ],
)
def test_parse_errors(text: str, message: str) -> None:
    with pytest.raises(DokkuError) as info:
        formats.parse(text)
    assert info.value.message.startswith(message)
