"""Parse the plain command lines without argparse, or leave them to argparse.

argparse and the `re` module it pulls in cost each `dokku` call several
milliseconds. Most command lines are plain: positionals and known flags, each
flag spelled out in full. `parse_plain` parses those with argparse's exact
rules (intermixed flags, greedy positionals, defaults, `type`, `choices`) and
returns None for anything else (an unknown or glued flag, `--`, a missing or
unexpected argument, a value that fails its `type` or `choices`), so argparse
parses that line and words the error. tests/unit/test_fastparse.py checks that
both parsers agree on every command.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs import time; mypy treats this name as True
if TYPE_CHECKING:
    from typing import Any

    ArgSpec = tuple[tuple[str, ...], dict[str, Any]]

# nargs of a positional -> (fewest, most) tokens it takes; None: no upper bound.
_POSITIONAL_SPAN: dict[Any, tuple[int, int | None]] = {
    None: (1, 1),
    "?": (0, 1),
    "*": (0, None),
    "+": (1, None),
}
_FLAG_ACTIONS = ("store_true", "store_false")


def parse_plain(specs: list[ArgSpec], argv: list[str]) -> dict[str, Any] | None:
    """Parse `argv` for a command declared by `specs`, or return None to defer to argparse."""
    options = {flag: spec for spec in specs if spec[0][0].startswith("-") for flag in spec[0]}
    positionals = [spec for spec in specs if not spec[0][0].startswith("-")]
    if any(spec[1].get("nargs") not in _POSITIONAL_SPAN for spec in positionals):
        return None
    seen: dict[str, Any] = {}
    words: list[str] = []
    index = 0
    while index < len(argv):
        word = argv[index]
        index += 1
        if not word.startswith("-") or word == "-":
            words.append(word)
            continue
        spec = options.get(word)
        if spec is None:
            return None  # unknown, glued (`-n5`, `--format=json`) or `--`: argparse's call
        flags, opts = spec
        action = opts.get("action", "store")
        if action in _FLAG_ACTIONS:
            seen[_option_dest(flags, opts)] = action == "store_true"
            continue
        if action != "store" or "nargs" in opts or index == len(argv):
            return None
        value = argv[index]
        index += 1
        if value.startswith("-"):
            return None
        converted = _convert(opts, value)
        if converted is _MISSING:
            return None  # even if a later repeat of the flag is valid: argparse stops here
        seen[_option_dest(flags, opts)] = converted
    result = _option_values(specs, seen)
    if result is None:
        return None
    assigned = _assign_positionals(positionals, words)
    if assigned is None:
        return None
    result.update(assigned)
    return None if _MISSING in result.values() else result


class _Missing:
    """A value that failed its `type` or `choices`: argparse must word the error."""


_MISSING = _Missing()


def _convert(opts: dict[str, Any], value: str) -> Any:
    convert = opts.get("type")
    if convert is not None:
        try:
            value = convert(value)
        except (TypeError, ValueError):
            return _MISSING
    choices = opts.get("choices")
    if choices is not None and value not in choices:
        return _MISSING
    return value


def _option_dest(flags: tuple[str, ...], opts: dict[str, Any]) -> str:
    if "dest" in opts:
        return str(opts["dest"])
    long_flags = [f for f in flags if f.startswith("--")]
    return (long_flags or list(flags))[0].lstrip("-").replace("-", "_")


def _option_values(specs: list[ArgSpec], seen: dict[str, Any]) -> dict[str, Any] | None:
    """Every option's value: the one given, else its default as argparse sets it."""
    values: dict[str, Any] = {}
    for flags, opts in specs:
        if not flags[0].startswith("-"):
            continue
        dest = _option_dest(flags, opts)
        if dest in seen:
            values[dest] = seen[dest]
        elif opts.get("required"):
            return None
        else:
            values[dest] = _default(opts)
    return values


def _default(opts: dict[str, Any]) -> Any:
    action = opts.get("action", "store")
    if "default" not in opts and action in _FLAG_ACTIONS:
        return action == "store_false"
    default = opts.get("default")
    # argparse runs a string default through `type`, as if typed on the command line.
    if isinstance(default, str) and opts.get("type") is not None:
        return _convert({"type": opts["type"]}, default)
    return default


def _assign_positionals(positionals: list[ArgSpec], words: list[str]) -> dict[str, Any] | None:
    counts = _greedy_counts([_POSITIONAL_SPAN[s[1].get("nargs")] for s in positionals], len(words))
    if counts is None or sum(counts) != len(words):
        return None
    values: dict[str, Any] = {}
    start = 0
    for (flags, opts), count in zip(positionals, counts, strict=True):
        taken = words[start : start + count]
        start += count
        values[opts.get("dest", flags[0])] = _positional_value(opts, taken)
    return values


def _positional_value(opts: dict[str, Any], taken: list[str]) -> Any:
    nargs = opts.get("nargs")
    if nargs is None or (nargs == "?" and taken):
        return _convert(opts, taken[0])
    if nargs == "?":
        default = opts.get("default")
        return _convert(opts, default) if isinstance(default, str) else default
    if not taken and nargs == "*":
        if opts.get("choices") is not None:
            return _MISSING  # argparse checks the empty list against the choices
        default = opts.get("default")
        return default if default is not None else []
    converted = [_convert(opts, word) for word in taken]
    return _MISSING if _MISSING in converted else converted


def _greedy_counts(spans: list[tuple[int, int | None]], available: int) -> list[int] | None:
    """Tokens per positional as argparse's greedy pattern match splits them, or None."""
    if not spans:
        return []
    low, high = spans[0]
    most = available if high is None else min(high, available)
    for count in range(most, low - 1, -1):
        rest = _greedy_counts(spans[1:], available - count)
        if rest is not None:
            return [count, *rest]
    return None
