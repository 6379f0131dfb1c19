"""Docker options of each phase, translated into Docker SDK keywords.

deploy and run: `containers.run` keywords (plus `networks`, joined after
create). build: `APIClient.build` keywords. A flag missing from a phase's table
is refused by name, so `docker-options:add` stores nothing it cannot apply.
"""

from __future__ import annotations

import functools
import re

from pydokku.dockerargs import words as w
from pydokku.errors import DokkuError

TYPE_CHECKING = False  # typing costs import time; mypy treats this name as True
if TYPE_CHECKING:
    from typing import Any

_RESTART_RE = re.compile(r"^(no|always|unless-stopped|on-failure(:[0-9]+)?)$")
_UNJOINABLE = ("host", "none")


def restart_policy(value: str) -> dict[str, Any]:
    """Turn `on-failure:10` into the SDK's restart policy dict."""
    if not _RESTART_RE.match(value):
        raise ValueError("expected no, always, unless-stopped or on-failure[:N]")
    name, _, retries = value.partition(":")
    policy: dict[str, Any] = {"Name": name}
    if retries:
        policy["MaximumRetryCount"] = int(retries)
    return policy


def nano_cpus(value: str) -> int:
    """Turn a CPU count (`0.5`) into nano CPUs."""
    cpus = float(value)
    if cpus <= 0:
        raise ValueError("the CPU count must be above 0")
    return round(cpus * 1_000_000_000)


def memory_bytes(value: str) -> int:
    """Turn a Docker memory size into bytes (`-1` means unlimited, for swap)."""
    return -1 if value == "-1" else w.size_bytes(value)


def _volume(options: dict[str, Any], value: str) -> None:
    parts = value.split(":")
    if len(parts) not in (2, 3) or not parts[0] or not parts[1].startswith("/"):
        raise ValueError(f"{value!r} must look like SOURCE:/container/path[:ro]")
    options.setdefault("volumes", []).append(value)


def _publish(options: dict[str, Any], value: str) -> None:
    spec, _, proto = value.partition("/")
    parts = spec.split(":")
    if len(parts) > 3 or not parts[-1].isdigit() or proto not in ("", "tcp", "udp", "sctp"):
        raise ValueError(f"{value!r} must look like [IP:]HOST:CONTAINER[/tcp|udp]")
    host: Any = None
    if len(parts) == 2 and parts[0]:
        host = int(parts[0])
    elif len(parts) == 3:
        host = (parts[0], int(parts[1])) if parts[1] else (parts[0],)
    options.setdefault("ports", {})[f"{parts[-1]}/{proto or 'tcp'}"] = host


def _network(options: dict[str, Any], value: str) -> None:
    if value in _UNJOINABLE or value.startswith("container:"):
        raise ValueError(
            f"{value!r} cannot be joined: containers stay on the pydokku network so the "
            "proxy reaches them; name a user-defined network"
        )
    options.setdefault("networks", []).append(value)


def _link(options: dict[str, Any], value: str) -> None:
    name, _, alias = value.partition(":")
    options.setdefault("links", {})[name] = alias or name


def _ulimit(options: dict[str, Any], value: str) -> None:
    name, limits = w.key_value(value)
    soft, _, hard = limits.partition(":")
    entry = {"name": name, "soft": int(soft), "hard": int(hard or soft)}
    options.setdefault("ulimits", []).append(entry)


def _gpus(options: dict[str, Any], value: str) -> None:
    request: dict[str, Any] = {"capabilities": [["gpu"]]}
    if value == "all":
        request["count"] = -1
    elif value.startswith("device="):
        request["device_ids"] = value.removeprefix("device=").split(",")
    else:
        request["count"] = int(value)
    options.setdefault("device_requests", []).append(request)


def _tmpfs(options: dict[str, Any], value: str) -> None:
    path, _, opts = value.partition(":")
    if not path.startswith("/"):
        raise ValueError(f"{value!r} must be an absolute container path[:options]")
    options.setdefault("tmpfs", {})[path] = opts


def _log_driver(options: dict[str, Any], value: str) -> None:
    options.setdefault("log_config", {})["type"] = value


def _log_opt(options: dict[str, Any], value: str) -> None:
    key, val = w.key_value(value)
    options.setdefault("log_config", {}).setdefault("config", {})[key] = val


def _env(options: dict[str, Any], value: str) -> None:
    from pydokku.validation import validate_env_key

    key, val = w.key_value(value)
    options.setdefault("environment", {})[validate_env_key(key)] = val


def _add_host(options: dict[str, Any], value: str) -> None:
    host, ip = w.key_value(value, ":")
    options.setdefault("extra_hosts", {})[host] = ip


_MANAGED = "pydokku sets it itself"
_CONTAINER_FLAGS = (
    w.Flag(("-v", "--volume"), _volume),
    w.Flag(("-e", "--env"), _env),
    w.Flag(("-l", "--label"), w.add_to_dict("labels")),
    w.Flag(("--add-host",), _add_host),
    w.Flag(("--cap-add",), w.add_to_list("cap_add")),
    w.Flag(("--cap-drop",), w.add_to_list("cap_drop")),
    w.Flag(("--device",), w.add_to_list("devices")),
    w.Flag(("--device-cgroup-rule",), w.add_to_list("device_cgroup_rules")),
    w.Flag(("--dns",), w.add_to_list("dns")),
    w.Flag(("--dns-search",), w.add_to_list("dns_search")),
    w.Flag(("--dns-opt", "--dns-option"), w.add_to_list("dns_opt")),
    w.Flag(("-h", "--hostname"), w.set_value("hostname")),
    w.Flag(("--domainname",), w.set_value("domainname")),
    w.Flag(("--init",), w.set_true("init"), boolean=True),
    w.Flag(("--log-driver",), _log_driver),
    w.Flag(("--log-opt",), _log_opt),
    w.Flag(("-m", "--memory"), w.set_value("mem_limit", memory_bytes)),
    w.Flag(("--memory-swap",), w.set_value("memswap_limit", memory_bytes)),
    w.Flag(("--memory-reservation",), w.set_value("mem_reservation", memory_bytes)),
    w.Flag(("--memory-swappiness",), w.set_value("mem_swappiness", int)),
    w.Flag(("--oom-kill-disable",), w.set_true("oom_kill_disable"), boolean=True),
    w.Flag(("--oom-score-adj",), w.set_value("oom_score_adj", int)),
    w.Flag(("--cpus",), w.set_value("nano_cpus", nano_cpus)),
    w.Flag(("-c", "--cpu-shares"), w.set_value("cpu_shares", int)),
    w.Flag(("--cpuset-cpus",), w.set_value("cpuset_cpus")),
    w.Flag(("--cpuset-mems",), w.set_value("cpuset_mems")),
    w.Flag(("--pids-limit",), w.set_value("pids_limit", int)),
    w.Flag(("--restart",), w.set_value("restart_policy", restart_policy)),
    w.Flag(("--shm-size",), w.set_value("shm_size", w.size_bytes)),
    w.Flag(("--tmpfs",), _tmpfs),
    w.Flag(("--ulimit",), _ulimit),
    w.Flag(("-u", "--user"), w.set_value("user")),
    w.Flag(("--group-add",), w.add_to_list("group_add")),
    w.Flag(("-w", "--workdir"), w.set_value("working_dir")),
    w.Flag(("--entrypoint",), w.set_value("entrypoint", lambda v: [v])),
    w.Flag(("--gpus",), _gpus),
    w.Flag(("--network", "--net"), _network),
    w.Flag(("--link",), _link),
    w.Flag(("--privileged",), w.set_true("privileged"), boolean=True),
    w.Flag(("--read-only",), w.set_true("read_only"), boolean=True),
    w.Flag(("--security-opt",), w.add_to_list("security_opt")),
    w.Flag(("--sysctl",), w.add_to_dict("sysctls")),
    w.Flag(("--ipc",), w.set_value("ipc_mode")),
    w.Flag(("--pid",), w.set_value("pid_mode")),
    w.Flag(("--userns",), w.set_value("userns_mode")),
    w.Flag(("--uts",), w.set_value("uts_mode")),
    w.Flag(("--runtime",), w.set_value("runtime")),
    w.Flag(("--stop-signal",), w.set_value("stop_signal")),
    w.Flag(("--cgroup-parent",), w.set_value("cgroup_parent")),
    w.Flag(("--storage-opt",), w.add_to_dict("storage_opt")),
    w.Flag(("-p", "--publish"), _publish),
    w.Flag(("--volumes-from",), w.add_to_list("volumes_from")),
    w.Flag(("--name",), refused=_MANAGED),
    w.Flag(("--rm",), refused=_MANAGED),
    w.Flag(("-d", "--detach"), refused=_MANAGED),
    w.Flag(("-i", "--interactive"), refused="use `dokku run` for an interactive session"),
    w.Flag(("-t", "--tty"), refused="use `dokku run` for an interactive session"),
    w.Flag(("--env-file",), refused="set the variables with config:set"),
    w.Flag(("--stop-timeout",), refused="use ps:set APP stop-timeout-seconds N"),
)


def _build_arg(options: dict[str, Any], value: str) -> None:
    from pydokku.validation import validate_env_key

    key, eq, val = value.partition("=")
    options.setdefault("buildargs", {})[validate_env_key(key)] = val if eq else None


_SECRET_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_BUILD_NETWORKS = ("default", "host", "none")


def secrets_root() -> str:
    """Return the one directory build secret files may live in (`--secret ...,src=PATH`)."""
    from pydokku import paths

    return str(paths.lib_root() / "data" / "build-secrets")


def build_secret(value: str) -> tuple[str, str]:
    """Parse `id=NAME,src=PATH` (type=file; `source` for `src`); return (id, path).

    The path must lie under `secrets_root()`, checked as written here and where its
    links lead when the build reads it.
    """
    from pydokku.validation import path_in_dirs_problem

    fields: dict[str, str] = {}
    for part in value.split(","):
        key, eq, val = part.partition("=")
        if not eq or key not in ("id", "src", "source", "type") or key in fields:
            raise ValueError(f"{value!r} must look like id=NAME,src=PATH")
        fields["src" if key == "source" else key] = val
    if fields.get("type", "file") != "file":
        raise ValueError("only file secrets (type=file) are supported")
    secret_id, src = fields.get("id", ""), fields.get("src", "")
    if not _SECRET_ID_RE.match(secret_id):
        raise ValueError("the id must be 1-64 letters, digits, '.', '_' or '-'")
    problem = path_in_dirs_problem(src, (secrets_root(),))
    if problem:
        raise ValueError(f"src {src!r}: {problem}")
    return secret_id, src


def _secret(options: dict[str, Any], value: str) -> None:
    secret_id, src = build_secret(value)
    options.setdefault("secrets", []).append(f"id={secret_id},src={src}")


def _build_network(options: dict[str, Any], value: str) -> None:
    if value not in _BUILD_NETWORKS:
        raise ValueError(f"BuildKit builds on {', '.join(_BUILD_NETWORKS)}, not {value!r}")
    options["network_mode"] = value


def _limit(key: str, convert: Any = w.size_bytes) -> w.Apply:
    def apply(options: dict[str, Any], value: str) -> None:
        options.setdefault("container_limits", {})[key] = convert(value)

    return apply


_BUILD_FLAGS = (
    w.Flag(("--build-arg",), _build_arg),
    w.Flag(("--network",), _build_network),
    w.Flag(("--secret",), _secret),
    w.Flag(("--no-cache",), w.set_true("nocache"), boolean=True),
    w.Flag(("--pull",), w.set_true("pull"), boolean=True),
    w.Flag(("--label",), w.add_to_dict("labels")),
    w.Flag(("--add-host",), _add_host),
    w.Flag(("--shm-size",), w.set_value("shmsize", w.size_bytes)),
    w.Flag(("-m", "--memory"), _limit("memory", memory_bytes)),
    w.Flag(("--memory-swap",), _limit("memswap", memory_bytes)),
    w.Flag(("-c", "--cpu-shares"), _limit("cpushares", int)),
    w.Flag(("--cpuset-cpus",), _limit("cpusetcpus", str)),
    w.Flag(("--target",), w.set_value("target")),
    w.Flag(("--platform",), w.set_value("platform")),
    w.Flag(("--cache-from",), w.add_to_list("cache_from")),
    w.Flag(("--isolation",), w.set_value("isolation")),
    w.Flag(("-f", "--file"), refused="use builder-dockerfile:set APP dockerfile-path PATH"),
    w.Flag(("-t", "--tag"), refused=_MANAGED),
    w.Flag(("--rm", "--force-rm"), refused=_MANAGED),
)


@functools.cache
def flag_table(phase: str) -> dict[str, w.Flag]:
    """Return the flags a phase accepts, by spelling."""
    if phase == "build":
        return w.table(*_BUILD_FLAGS)
    if phase == "run":
        flags = [f for f in _CONTAINER_FLAGS if "--restart" not in f.names]
        one_off = "one-off containers are removed when they exit"
        return w.table(*flags, w.Flag(("--restart",), refused=one_off))
    if phase == "deploy":
        return w.table(*_CONTAINER_FLAGS)
    raise DokkuError(f"Unknown phase {phase!r}")


def translate(phase: str, options: list[str]) -> dict[str, Any]:
    """Translate a phase's stored option strings into SDK keywords (refusing unknown flags)."""
    return w.translate(flag_table(phase), options)


def check(phase: str, text: str) -> list[str]:
    """Validate option text for a phase; return it split into one stored string per flag."""
    groups = w.split_options(text)
    table = flag_table(phase)
    for group in groups:
        w.apply_option(table, group, {})
    return [w.join_option(group) for group in groups]
