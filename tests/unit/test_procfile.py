"""Strict Procfile parsing: one `<type>: <command>` per line, each type once."""

from __future__ import annotations

import pytest

from pydokku.errors import DokkuError
from pydokku.procfile import MAX_TYPE_LENGTH, parse_procfile


def test_parses_types_and_commands_in_order() -> None:
    text = "web: gunicorn app:app -b 0.0.0.0:$PORT\nworker:  celery -A app worker  \n"
    assert parse_procfile(text) == {
        "web": "gunicorn app:app -b 0.0.0.0:$PORT",
        "worker": "celery -A app worker",
    }
    assert list(parse_procfile(text)) == ["web", "worker"]


def test_comments_and_blank_lines_are_skipped() -> None:
    text = "# processes\n\n   \n  # indented comment\nweb: ./run\n\n"
    assert parse_procfile(text) == {"web": "./run"}


def test_empty_text_gives_no_processes() -> None:
    assert parse_procfile("") == {}
    assert parse_procfile("# nothing\n\n") == {}


def test_names_may_use_letters_digits_dash_and_underscore() -> None:
    text = "Web_2: a\nsmtp-relay: b\n" + "x" * MAX_TYPE_LENGTH + ": c\n"
    assert list(parse_procfile(text)) == ["Web_2", "smtp-relay", "x" * MAX_TYPE_LENGTH]


def test_windows_line_endings() -> None:
    assert parse_procfile("web: a\r\nworker: b\r\n") == {"web": "a", "worker": "b"}


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("web: a\nweb: b\n", 2, "duplicate process type 'web'"),
        ("web: a\n\n# c\nworker b\n", 4, "expected '<process type>: <command>'"),
        ("web:\n", 1, "expected '<process type>: <command>'"),
        ("web:    \n", 1, "expected '<process type>: <command>'"),
        ("# c\nweb.1: a\n", 2, "invalid process type 'web.1'"),
        ("my web: a\n", 1, "invalid process type 'my web'"),
        (": a\n", 1, "invalid process type ''"),
        ("wéb: a\n", 1, "invalid process type 'wéb'"),
        ("x" * (MAX_TYPE_LENGTH + 1) + ": a\n", 1, "invalid process type"),
    ],
)
def test_invalid_entries_name_their_line(text: str, line: int, problem: str) -> None:
    with pytest.raises(DokkuError) as info:
        parse_procfile(text)
    assert info.value.message.startswith(f"Procfile line {line}: ")
    assert problem in info.value.message


def test_error_names_the_source() -> None:
    with pytest.raises(DokkuError, match=r"^web/Procfile line 1: "):
        parse_procfile("nope\n", source="web/Procfile")


def test_duplicate_check_ignores_spacing_around_the_name() -> None:
    with pytest.raises(DokkuError, match="line 2: duplicate"):
        parse_procfile("web: a\n  web : b\n")
