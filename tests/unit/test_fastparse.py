"""The plain-line parser agrees with argparse on every command, or defers to it."""

from __future__ import annotations

import random
from typing import Any

import pytest

from pydokku.cli.fastparse import parse_plain
from pydokku.cli.registry import Command, InputText
from pydokku.errors import DokkuError, UsageError
from pydokku.plugins import all_namespaces

COMMANDS = sorted(
    (c for ns in all_namespaces() for c in ns.commands.values() if c.intermixed),
    key=lambda c: c.name,
)
WORDS = ["myapp", "KEY=v", "web=2", "-", "", "two words", "3", "json", "--global"]
ODD_TOKENS = ["--", "-n5", "--format=json", "-x", "--nope", "-1"]


def option_tokens(command: Command) -> list[str]:
    """Each flag of the command, and good and bad values for the typed arguments."""
    tokens: list[str] = []
    for flags, opts in command.arguments:
        if flags[0].startswith("-"):
            tokens.extend(flags)
        if opts.get("choices"):
            tokens.extend([str(opts["choices"][0]), "not-a-choice"])
        if opts.get("type") is int:
            tokens.extend(["7", "seven"])
    return tokens


def normalized(parsed: dict[str, Any]) -> dict[str, Any]:
    """Make InputText values comparable."""
    return {
        k: (v.name, v.text) if isinstance(v, InputText) else v for k, v in sorted(parsed.items())
    }


def prepared(command: Command, argv: list[str]) -> list[str]:
    """The line as Command.parse hands it to the parsers (`--global` marked)."""
    if command.global_scope and "--global" in argv:
        argv = list(argv)
        argv[argv.index("--global")] = "\x00global"
    return argv


def by_argparse(command: Command, argv: list[str]) -> dict[str, Any] | str:
    try:
        return normalized(command._parse_with_argparse(argv))
    except (UsageError, DokkuError) as exc:
        return f"error: {exc}"


def required_words(command: Command) -> list[str]:
    """The shortest valid line: a word for each required positional."""
    return [
        str(opts["choices"][0]) if opts.get("choices") else "myapp"
        for flags, opts in command.arguments
        if not flags[0].startswith("-") and opts.get("nargs") in (None, "+")
    ]


def samples(command: Command, count: int, seed: int) -> list[list[str]]:
    rng = random.Random(f"{command.name}:{seed}")
    pool = WORDS + option_tokens(command) + ODD_TOKENS
    lines = [[rng.choice(pool) for _ in range(rng.randint(0, 5))] for _ in range(count)]
    return [required_words(command), *lines]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.name)
def test_plain_parse_matches_argparse(command: Command, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # `FILE` arguments name files here (none exist)
    taken = 0
    for argv in samples(command, 400, seed=1):
        line = prepared(command, argv)
        try:
            fast = command._parse_plain(line)
        except DokkuError:
            continue  # a FILE argument that cannot be read: argparse raises the same
        if fast is not None:
            assert normalized(fast) == by_argparse(command, line), argv
            taken += 1
    assert taken, "no sample took the plain path"


def test_the_hot_lines_take_the_plain_path() -> None:
    from pydokku.plugins import find_command

    lines = {
        "apps:list": [],
        "config:get": ["myapp", "KEY"],
        "config:set": ["--no-restart", "myapp", "A=1", "B=2"],
        "config:show": ["--global"],
        "apps:report": ["myapp", "--format", "json"],
        "ps:scale": ["myapp", "web=2"],
    }
    for name, argv in lines.items():
        command = find_command(name)
        assert command is not None
        assert command._parse_plain(prepared(command, argv)) is not None, name


@pytest.mark.parametrize(
    ("nargs", "words", "expected"),
    [
        ([None, "?"], ["a"], [1, 0]),
        (["?", None], ["a"], [0, 1]),
        (["*", "?"], ["a", "b"], [2, 0]),
        (["?", "+"], ["a", "b", "c"], [1, 2]),
        (["?", "?"], ["a", "b", "c"], None),
        ([None], [], None),
    ],
)
def test_positionals_split_greedily_like_argparse(
    nargs: list[Any], words: list[str], expected: list[int] | None
) -> None:
    specs = [((f"p{i}",), {"nargs": n} if n else {}) for i, n in enumerate(nargs)]
    parsed = parse_plain(specs, words)
    if expected is None:
        assert parsed is None
        return
    sizes = [
        len(v) if isinstance(v, list) else (0 if v is None else 1) for v in (parsed or {}).values()
    ]
    assert sizes == expected
