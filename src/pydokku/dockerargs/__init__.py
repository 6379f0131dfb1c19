"""Container options for every container pydokku makes, assembled in one place.

Each phase has a hook named after Dokku's trigger: `docker_args_build(app)`
for the image build, `docker_args_deploy(app, process)` for deploy containers
(deploy, scale, restart, rollback, rebuild, restore) and `docker_args_run(app,
process)` for one-off, cron and release-phase containers. Plugins return
Docker SDK keywords (`containers.run` for deploy/run, `APIClient.build` for the
build), plus `networks`: extra networks joined after create and before start.
`assemble` calls every implementation in plugin order on top of the caller's
own options and merges them with `merge`: lists concatenate, dicts merge,
a scalar set by a later source wins and the clash is reported.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing costs import time; mypy treats this name as True
if TYPE_CHECKING:
    from typing import Any

PHASES = ("build", "deploy", "run")
BASE_SOURCE = "pydokku"
_HOOKS = {"build": "docker_args_build", "deploy": "docker_args_deploy", "run": "docker_args_run"}
_reported: set[str] = set()


class Conflict:
    """Two sources gave different values for the same option."""

    def __init__(self, key: str, earlier: str, later: str, old: Any, new: Any) -> None:
        self.key = key
        self.earlier = earlier
        self.later = later
        self.old = old
        self.new = new

    def __str__(self) -> str:
        if self.key.startswith("environment."):  # values may be secrets
            return f"Container option {self.key}: {self.later} overrides {self.earlier}"
        return (
            f"Container option {self.key}: {self.later} sets {self.new!r}, "
            f"overriding {self.old!r} from {self.earlier}"
        )


def merge(contributions: list[tuple[str, dict[str, Any]]]) -> tuple[dict[str, Any], list[Conflict]]:
    """Merge (source, options) pairs in order; return the options and the scalar clashes."""
    merged: dict[str, Any] = {}
    owners: dict[str, str] = {}
    conflicts: list[Conflict] = []
    for source, options in contributions:
        _merge_into(merged, options or {}, source, "", owners, conflicts)
    return merged, conflicts


def _merge_into(
    into: dict[str, Any],
    options: dict[str, Any],
    source: str,
    path: str,
    owners: dict[str, str],
    conflicts: list[Conflict],
) -> None:
    for key, value in options.items():
        where = f"{path}{key}"
        old = into.get(key)
        if isinstance(old, list) and isinstance(value, list):
            into[key] = old + [v for v in value if v not in old]
        elif isinstance(old, dict) and isinstance(value, dict):
            _merge_into(old, value, source, f"{where}.", owners, conflicts)
        else:
            if key in into and old != value:
                earlier = owners.get(where, BASE_SOURCE)
                conflicts.append(Conflict(where, earlier, source, old, value))
            into[key] = _copy(value)
            owners[where] = source
            if isinstance(value, dict):
                _own(owners, value, source, f"{where}.")


def _own(owners: dict[str, str], value: dict[str, Any], source: str, path: str) -> None:
    for key, sub in value.items():
        owners[f"{path}{key}"] = source
        if isinstance(sub, dict):
            _own(owners, sub, source, f"{path}{key}.")


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return list(value)
    return value


def contributions(
    phase: str, app: str, process: str | None = None
) -> list[tuple[str, dict[str, Any]]]:
    """Return each plugin's options for a phase as (plugin name, options), in plugin order."""
    from pydokku.plugins.manager import get_manager

    manager = get_manager()
    caller = getattr(manager.hook, _HOOKS[phase])
    kwargs: dict[str, Any] = {"app": app} if phase == "build" else {"app": app, "process": process}
    found = []
    for impl in caller.get_hookimpls():
        result = impl.function(**{k: kwargs[k] for k in impl.argnames})
        if result:
            found.append((impl.plugin_name.removeprefix("pydokku."), dict(result)))
    return found


def assemble(
    phase: str, app: str, process: str | None = None, base: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Return the options of one container (or build): `base`, then every plugin's, merged."""
    merged, conflicts = merge([(BASE_SOURCE, base or {}), *contributions(phase, app, process)])
    for conflict in conflicts:
        message = str(conflict)
        if message not in _reported:  # once per command, not once per container
            _reported.add(message)
            from pydokku import output

            output.warn(message)
    return fit_log_config(merged)


def container_options(phase: str, app: str, process: str) -> dict[str, Any]:
    """Return the SDK keywords of an app container (deploy or run phase), hooks included."""
    return assemble(phase, app, process, base_options(app, phase))


def base_options(app: str, phase: str) -> dict[str, Any]:
    """Return pydokku's own options of an app container: init, logs, restart policy."""
    from pydokku import engine, properties
    from pydokku.dockerargs.translate import restart_policy

    init = properties.resolve("scheduler-docker-local", app, "init-process", "true")
    max_size = properties.resolve("logs", app, "max-size", "10m")
    base: dict[str, Any] = {"init": init == "true", "log_config": engine.log_config(max_size)}
    if phase == "deploy":
        policy = properties.resolve("ps", app, "restart-policy", "on-failure:10")
        base["restart_policy"] = restart_policy(policy)
    return base


def build_options(app: str, env: dict[str, str]) -> dict[str, Any]:
    """Return the build's SDK keywords from every plugin; a build arg without value reads `env`."""
    options = assemble("build", app)
    args = options.get("buildargs")
    if isinstance(args, dict):
        resolved = {k: (env.get(k) if v is None else v) for k, v in args.items()}
        options["buildargs"] = {k: v for k, v in resolved.items() if v is not None}
    if options.get("secrets"):
        options["secrets"] = [_checked_secret(text) for text in options["secrets"]]
    return options


def _checked_secret(text: str) -> str:
    """Check a stored `--secret` again at use: its file, links resolved, is under the root."""
    from pydokku.dockerargs.translate import build_secret, secrets_root
    from pydokku.errors import DokkuError
    from pydokku.validation import resolved_in_dirs

    try:
        secret_id, src = build_secret(text)
    except ValueError as exc:
        raise DokkuError(f"Invalid build secret {text!r}: {exc}") from exc
    real = resolved_in_dirs(src, (secrets_root(),), f"build secret {secret_id}")
    if not os.path.isfile(real):
        raise DokkuError(f"The file of build secret {secret_id} ({src}) does not exist")
    return f"id={secret_id},src={real}"


def fit_log_config(options: dict[str, Any]) -> dict[str, Any]:
    """Drop json-file's max-size when another log driver was chosen (it would be refused)."""
    log = options.get("log_config")
    if isinstance(log, dict) and log.get("type") not in (None, "json-file", "local"):
        config = dict(log.get("config") or {})
        config.pop("max-size", None)
        options["log_config"] = {**log, "config": config}
    return options
