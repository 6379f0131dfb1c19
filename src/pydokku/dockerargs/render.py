"""Build-phase keywords rendered into `docker build` words (builds run the CLI with BuildKit).

Build arg values travel in the child's environment (`--build-arg KEY`), not the
command line, so they do not show in `ps`.
"""

from __future__ import annotations

from pydokku.errors import DokkuError

TYPE_CHECKING = False  # typing costs import time; mypy treats this name as True
if TYPE_CHECKING:
    from typing import Any

_SCALARS = {
    "network_mode": "--network",
    "target": "--target",
    "platform": "--platform",
    "isolation": "--isolation",
}
_SWITCHES = {"nocache": "--no-cache", "pull": "--pull"}
_LIMITS = {
    "memory": "--memory",
    "memswap": "--memory-swap",
    "cpushares": "--cpu-shares",
    "cpusetcpus": "--cpuset-cpus",
}


def build_cli_args(options: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """Return (`docker build` words, environment for the build args) for build options."""
    argv: list[str] = []
    env: dict[str, str] = {}
    for key, value in options.items():
        argv += _render(key, value, env)
    return argv, env


def _render(key: str, value: Any, env: dict[str, str]) -> list[str]:
    if key in _SCALARS:
        return [_SCALARS[key], str(value)]
    if key in _SWITCHES:
        return [_SWITCHES[key]] if value else []
    if key == "buildargs":
        env.update({k: v for k, v in value.items() if v is not None})
        return [word for k, v in value.items() if v is not None for word in ("--build-arg", k)]
    if key == "labels":
        return [word for k, v in value.items() for word in ("--label", f"{k}={v}")]
    if key == "extra_hosts":
        return [word for k, v in value.items() for word in ("--add-host", f"{k}:{v}")]
    if key == "secrets":
        return [word for v in value for word in ("--secret", v)]
    if key == "cache_from":
        return [word for v in value for word in ("--cache-from", v)]
    if key == "shmsize":
        return ["--shm-size", f"{value}b"]
    if key == "container_limits":
        return [word for k, v in value.items() for word in (_LIMITS[k], _limit_value(k, v))]
    raise DokkuError(f"Build option {key} has no docker build flag")


def ignored_by_buildkit(options: dict[str, Any]) -> list[str]:
    """Return the build flags set in `options` that BuildKit does not apply (resource limits)."""
    found: list[str] = []
    for key, value in options.items():
        if key == "container_limits":
            found += [_LIMITS[k] for k in value]
        elif key in ("shmsize", "isolation") and value:
            found.append("--shm-size" if key == "shmsize" else "--isolation")
    return found


def _limit_value(key: str, value: Any) -> str:
    if key in ("memory", "memswap"):
        return "-1" if value == -1 else f"{value}b"
    return str(value)
