"""Reading `:report --format json`: Dokku's short keys, with the legacy prefixed copies checked."""

from __future__ import annotations


def short_keys(data: object, prefix: str) -> dict[str, object]:
    """Return the short keys of a report, after checking every `PREFIX-key` copy matches.

    Dokku 0.38 emits both `type` and `proxy-type` for most reports (EmitLegacyPrefix).
    """
    assert isinstance(data, dict)
    legacy = {k for k in data if k.startswith(f"{prefix}-") and k[len(prefix) + 1 :] in data}
    short = {k: v for k, v in data.items() if k not in legacy}
    assert {f"{prefix}-{k}" for k in short} == legacy, "every key has its prefixed copy"
    assert all(data[f"{prefix}-{k}"] == v for k, v in short.items())
    return short
