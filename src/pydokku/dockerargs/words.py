"""Docker CLI option words: split them as Dokku does and check them against a flag table.

Options are shell words without any expansion (quotes only group words), cut
into one option per flag: `--label a=b --init` is `--label a=b` and `--init`.
"""

from __future__ import annotations

import re
import shlex

from pydokku.errors import DokkuError

TYPE_CHECKING = False  # typing costs import time; mypy treats this name as True
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    Apply = Callable[[dict[str, Any], str], None]

_SIZE_RE = re.compile(r"^([0-9]+(?:\.[0-9]+)?) ?([kKmMgGtTpP]?)[iI]?[bB]?$")
_UNITS = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40, "p": 1 << 50}


class Flag:
    """One docker flag: its spellings, whether it takes a value, and how it applies."""

    def __init__(
        self,
        names: tuple[str, ...],
        apply: Apply | None = None,
        *,
        boolean: bool = False,
        refused: str = "",
    ) -> None:
        self.names = names
        self.apply = apply or (lambda options, value: None)
        self.boolean = boolean
        self.refused = refused


def split_options(text: str) -> list[list[str]]:
    """Split option text into groups of words, one group per flag."""
    try:
        words = shlex.split(text, posix=True)
    except ValueError as exc:
        raise DokkuError(f"Unable to parse docker option {text!r}: {exc}") from exc
    groups: list[list[str]] = []
    for word in words:
        if len(word) > 1 and word.startswith("-") and not _is_number(word):
            groups.append([word])
        elif groups:
            groups[-1].append(word)
        else:
            raise DokkuError(f"Docker option {text!r} must start with a flag (--name)")
    return groups


def _is_number(word: str) -> bool:
    return word[1:].replace(".", "", 1).isdigit()


def join_option(group: list[str]) -> str:
    """Return one option's words as a single stored string (quoted where needed)."""
    return shlex.join(group)


def apply_option(table: dict[str, Flag], group: list[str], options: dict[str, Any]) -> None:
    """Translate one option group into SDK keywords; refuse what the table does not know."""
    head, rest = group[0], group[1:]
    name, eq, inline = head.partition("=")
    flag = table.get(name)
    if flag is None:
        raise DokkuError(f"Unsupported docker option {name}")
    if flag.refused:
        raise DokkuError(f"Docker option {name} is not allowed: {flag.refused}")
    if flag.boolean:
        if rest or (eq and inline not in ("true", "false")):
            raise DokkuError(f"Docker option {name} takes no value")
        if inline != "false":
            flag.apply(options, "true")
        return
    values = [inline] if eq else rest
    if len(values) != 1 or not values[0]:
        raise DokkuError(f"Docker option {name} needs exactly one value")
    try:
        flag.apply(options, values[0])
    except (ValueError, KeyError, DokkuError) as exc:
        raise DokkuError(f"Invalid value for docker option {name}: {exc}") from exc


def translate(table: dict[str, Flag], text_options: list[str]) -> dict[str, Any]:
    """Translate stored option strings into one dict of SDK keywords."""
    options: dict[str, Any] = {}
    for text in text_options:
        for group in split_options(text):
            apply_option(table, group, options)
    return options


def table(*flags: Flag) -> dict[str, Flag]:
    """Index flags by every spelling."""
    return {name: flag for flag in flags for name in flag.names}


def size_bytes(value: str) -> int:
    """Parse a Docker size (`64m`, `1g`, `512`, `1.5GiB`) into bytes."""
    match = _SIZE_RE.match(value.strip())
    if not match:
        raise ValueError(f"{value!r} is not a size such as 512m or 1g")
    number, unit = match.groups()
    return int(float(number) * _UNITS[unit.lower()])


def key_value(value: str, sep: str = "=") -> tuple[str, str]:
    """Split `KEY=VALUE` (or another separator); the key must not be empty."""
    key, found, rest = value.partition(sep)
    if not found or not key:
        raise ValueError(f"{value!r} must look like KEY{sep}VALUE")
    return key, rest


def add_to_list(key: str) -> Apply:
    """Return an applier appending the value to a list keyword."""
    return lambda options, value: options.setdefault(key, []).append(value)


def add_to_dict(key: str, sep: str = "=") -> Apply:
    """Return an applier storing `K<sep>V` into a dict keyword."""

    def apply(options: dict[str, Any], value: str) -> None:
        k, v = key_value(value, sep)
        options.setdefault(key, {})[k] = v

    return apply


def set_value(key: str, convert: Callable[[str], Any] = str) -> Apply:
    """Return an applier setting a scalar keyword (converted)."""

    def apply(options: dict[str, Any], value: str) -> None:
        options[key] = convert(value)

    return apply


def set_true(key: str) -> Apply:
    """Return an applier setting a boolean keyword."""
    return lambda options, value: options.__setitem__(key, True)
