"""app.json: the parts pydokku uses (scripts, formation, healthchecks, env, cron)."""

from __future__ import annotations

import json
from typing import Any

from pydokku.errors import DokkuError

MAX_QUANTITY = 100  # containers of one process type (the same cap as ps:scale)


def parse_app_json(text: str, source: str = "app.json") -> dict[str, Any]:
    """Parse app.json (// and /* */ comments allowed, as Dokku does) into a dict."""
    try:
        data = json.loads(_strip_comments(text))
    except json.JSONDecodeError as exc:
        raise DokkuError(f"{source} is not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise DokkuError(f"{source} must hold a JSON object")
    _check_formation(data.get("formation", {}), source)
    return data


def formation(app_json: dict[str, Any]) -> dict[str, int]:
    """Return {process type: quantity} from app.json `formation` (0..MAX_QUANTITY each)."""
    declared = app_json.get("formation") or {}
    if not isinstance(declared, dict):
        raise DokkuError("app.json: formation must be an object of process types")
    return {
        name: _quantity(name, spec.get("quantity", 1))
        for name, spec in declared.items()
        if isinstance(spec, dict)
    }


def _quantity(name: str, value: object) -> int:
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 9:
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_QUANTITY:
        raise DokkuError(
            f"app.json: formation.{name}.quantity must be a whole number from 0 to "
            f"{MAX_QUANTITY}, not {value!r}"
        )
    return value


def script(app_json: dict[str, Any], phase: str) -> str:
    """Return `scripts.dokku.<phase>` (predeploy or postdeploy), or ''."""
    scripts = app_json.get("scripts") or {}
    dokku = scripts.get("dokku") if isinstance(scripts, dict) else None
    value = dokku.get(phase, "") if isinstance(dokku, dict) else ""
    return value if isinstance(value, str) else ""


def env_defaults(app_json: dict[str, Any], current: dict[str, str]) -> dict[str, str]:
    """Return the vars app.json `env` asks for that are not set yet.

    A plain string or `value` is a default; `"generator": "secret"` makes a random
    secret; `"required": true` without either must already be set, else this raises.
    """
    import secrets

    declared = app_json.get("env") or {}
    if not isinstance(declared, dict):
        raise DokkuError("app.json: env must be an object")
    missing: dict[str, str] = {}
    for key, spec in declared.items():
        if key in current:
            continue
        if isinstance(spec, str):
            missing[key] = spec
            continue
        spec = spec if isinstance(spec, dict) else {}
        if spec.get("generator") == "secret":
            missing[key] = secrets.token_hex(32)
        elif "value" in spec:
            missing[key] = str(spec["value"])
        elif spec.get("required", True):
            hint = f" ({spec['description']})" if spec.get("description") else ""
            raise DokkuError(
                f"app.json requires the config var {key}{hint}; "
                f"set it with `dokku config:set --no-restart APP {key}=...` and deploy again"
            )
    return missing


def _check_formation(value: object, source: str) -> None:
    if not isinstance(value, dict):
        raise DokkuError(f"{source}: formation must be an object")
    for name, spec in value.items():
        quantity = spec.get("quantity", 1) if isinstance(spec, dict) else None
        # bool is an int subclass: `"quantity": true` must not pass as 1.
        if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 0:
            raise DokkuError(f"{source}: formation.{name}.quantity must be a whole number")


def _strip_comments(text: str) -> str:
    """Drop // and /* */ comments outside strings."""
    out: list[str] = []
    i, in_string = 0, False
    while i < len(text):
        ch = text[i]
        if in_string:
            out.append(ch)
            if ch == "\\" and i + 1 < len(text):
                out.append(text[i + 1])
                i += 1
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
            out.append(ch)
        elif text.startswith("//", i):
            end = text.find("\n", i)
            i = len(text) if end < 0 else end
            continue
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = len(text) if end < 0 else end + 2
            continue
        else:
            out.append(ch)
        i += 1
    return "".join(out)
