"""Identifiers in Dokku's formats: base36 (multibase, lowercase) and sortable build ids."""

from __future__ import annotations

_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def base36(data: bytes) -> str:
    """Return `data` as a lowercase base36 number; each leading zero byte gives a `0`."""
    zeros = len(data) - len(data.lstrip(b"\0"))
    number = int.from_bytes(data, "big")
    digits = []
    while number:
        number, rest = divmod(number, 36)
        digits.append(_DIGITS[rest])
    return "0" * zeros + "".join(reversed(digits))


def build_id(now_ms: int | None = None) -> str:
    """Return a new build id as Dokku makes it: 8 base36 chars of the time in ms, 6 random."""
    import secrets
    import time

    stamp = int(time.time() * 1000) if now_ms is None else now_ms
    head = base36(stamp.to_bytes(8, "big")).lstrip("0")[-8:].rjust(8, "0")
    tail = base36(secrets.token_bytes(6)).lstrip("0")[-6:].rjust(6, "0")
    return head + tail


def is_build_id(value: str) -> bool:
    """Tell whether `value` has the shape of a build id (14 lowercase base36 characters)."""
    return len(value) == 14 and all(c in _DIGITS for c in value)
