"""`plugin:trigger HOOK [ARGS]`: run a hook by its Dokku trigger name from the command line.

`post-create APP` calls the `post_create(app=APP)` hook of every plugin. Arguments map
to the hook's parameters in order: text as given, `list[str]` as comma-separated words,
`bool` as true/false. Hooks taking objects (a Release) cannot be triggered this way.
"""

from __future__ import annotations

import inspect
import json

from pydokku import hookspecs, output
from pydokku.errors import DokkuError, UsageError

TYPE_CHECKING = False  # typing costs import time; mypy treats this name as True
if TYPE_CHECKING:
    from typing import Any


def hook_names() -> list[str]:
    """Return every hook's trigger name (`post-create`)."""
    return sorted(name.replace("_", "-") for name in _specs())


def _specs() -> dict[str, Any]:
    return {
        name: func
        for name, func in inspect.getmembers(hookspecs, inspect.isfunction)
        if hasattr(func, "pydokku_spec")
    }


def hook_arguments(trigger: str, args: list[str]) -> tuple[str, dict[str, Any]]:
    """Return the hook's Python name and its keyword arguments parsed from `args`."""
    name = trigger.replace("-", "_")
    spec = _specs().get(name)
    if spec is None:
        raise DokkuError(f"Unknown hook {trigger[:80]!r}; hooks: {', '.join(hook_names())}")
    params = list(inspect.signature(spec).parameters.values())
    if len(args) != len(params):
        wanted = " ".join(f"<{p.name}>" for p in params) or "no arguments"
        raise UsageError(f"Hook {trigger} takes {wanted}")
    pairs = zip(params, args, strict=True)
    return name, {p.name: _convert(trigger, p, value) for p, value in pairs}


def _convert(trigger: str, param: inspect.Parameter, value: str) -> Any:
    kind = str(param.annotation)
    if kind == "str":
        return value
    if kind == "list[str]":
        return [word for word in value.split(",") if word]
    if kind == "bool" and value in ("true", "false"):
        return value == "true"
    if kind == "bool":
        raise UsageError(f"Hook {trigger}: <{param.name}> is true or false")
    raise DokkuError(f"Hook {trigger} takes a {kind} <{param.name}>: it cannot be triggered here")


def trigger(name: str, args: list[str]) -> None:
    """Run a hook in every plugin and print what the plugins return."""
    from pydokku.plugins.manager import hook

    python_name, kwargs = hook_arguments(name, args)
    result = getattr(hook(), python_name)(**kwargs)
    results = result if isinstance(result, list) else [result]
    for item in results:
        if item is None:
            continue
        if hasattr(item, "render_text"):
            output.echo(item.render_text())
        elif isinstance(item, str):
            output.echo(item)
        else:
            output.echo(json.dumps(item, default=lambda o: getattr(o, "name", repr(o))))
