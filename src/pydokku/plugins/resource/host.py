"""What the docker-local scheduler can apply on this host, and the SDK keywords it uses.

Limits map to `--cpus`, `--memory`, `--memory-swap` and `--gpus`; the only reservation
Docker has is memory (`--memory-reservation`). A bare memory number means megabytes.
Anything the engine would refuse is refused when it is set, with the reason.
"""

from __future__ import annotations

import re

from pydokku.errors import DokkuError

TYPE_CHECKING = False  # typing costs import time; mypy treats this name as True
if TYPE_CHECKING:
    from typing import Any

MIN_MEMORY_BYTES = 6 * 1024 * 1024  # Docker refuses smaller memory limits
_MEMORY_RE = re.compile(r"^[0-9]+(\.[0-9]+)?([bkmg]|[kmg]b)?$", re.IGNORECASE)
_NETWORK = ("network", "network-ingress", "network-egress")
_RESERVABLE = ("memory",)


def memory_bytes(value: str) -> int:
    """Turn a resource memory value into bytes (a bare number is megabytes)."""
    from pydokku.dockerargs.words import size_bytes

    if value == "-1":
        return -1
    if not _MEMORY_RE.match(value):
        raise DokkuError(f"Invalid memory value {value!r}: use a number of megabytes or 512m, 1g")
    return size_bytes(value if value[-1].isalpha() else f"{value}m")


def check_value(kind: str, name: str, value: str) -> None:
    """Refuse a value this host's engine cannot apply, saying why."""
    if name in _NETWORK:
        raise DokkuError(f"--{name}: the docker-local scheduler cannot limit network bandwidth")
    if kind == "reserve" and name not in _RESERVABLE:
        raise DokkuError(f"--{name}: Docker can only reserve memory (resource:reserve --memory)")
    _check_format(name, value)
    _check_host(name, value, _host())


def _check_format(name: str, value: str) -> None:
    if name == "cpu":
        _check_cpu_format(value)
    elif name in ("memory", "memory-swap"):
        if memory_bytes(value) == -1 and name == "memory":
            raise DokkuError("Invalid --memory value '-1': leave it unset for no limit")
    elif name == "nvidia-gpu" and value != "all" and not _positive_int(value):
        raise DokkuError(f"Invalid --nvidia-gpu value {value!r}: a number of GPUs or all")


def _check_cpu_format(value: str) -> None:
    try:
        cpus = float(value)
    except ValueError:
        cpus = -1.0
    if not cpus > 0:
        raise DokkuError(f"Invalid --cpu value {value!r}: a number of CPUs above 0, such as 0.5")


def _positive_int(value: str) -> bool:
    return value.isascii() and value.isdigit() and int(value) > 0


def _check_host(name: str, value: str, info: dict[str, Any]) -> None:
    if name == "cpu":
        available = int(info.get("NCPU") or 0)
        if available and float(value) > available:
            raise DokkuError(f"--cpu {value}: this host has {available} CPUs")
        if not info.get("CpuCfsQuota"):
            raise DokkuError("--cpu: this host's kernel has no CPU quota (CFS) support")
    elif name == "memory":
        size, total = memory_bytes(value), int(info.get("MemTotal") or 0)
        if size < MIN_MEMORY_BYTES:
            raise DokkuError(f"--memory {value}: Docker needs at least 6 MB")
        if total and size > total:
            raise DokkuError(f"--memory {value}: this host has only {total // (1 << 20)} MB")
        if not info.get("MemoryLimit"):
            raise DokkuError("--memory: this host's kernel has no memory limit support")
    elif name == "memory-swap" and not info.get("SwapLimit"):
        raise DokkuError("--memory-swap: this host's kernel has no swap limit support")
    elif name == "nvidia-gpu" and "nvidia" not in (info.get("Runtimes") or {}):
        raise DokkuError("--nvidia-gpu: this Docker engine has no nvidia runtime")


def check_combination(kind: str, values: dict[str, str]) -> None:
    """Refuse a swap limit without a memory limit, or below it (Docker would refuse it)."""
    swap = values.get("memory-swap")
    if kind != "limit" or not swap or swap == "-1":
        return
    memory = values.get("memory")
    if not memory:
        raise DokkuError("--memory-swap needs a --memory limit for the same process type")
    if memory_bytes(swap) < memory_bytes(memory):
        raise DokkuError("--memory-swap must be at least --memory (it counts memory plus swap)")


def _host() -> dict[str, Any]:
    from pydokku import engine

    return engine.host_info()


def container_options(limits: dict[str, str], reservations: dict[str, str]) -> dict[str, Any]:
    """Return the `containers.run` keywords of effective limits and reservations."""
    options: dict[str, Any] = {}
    if "cpu" in limits:
        options["nano_cpus"] = round(float(limits["cpu"]) * 1_000_000_000)
    if "memory" in limits:
        options["mem_limit"] = memory_bytes(limits["memory"])
    if "memory-swap" in limits:
        options["memswap_limit"] = memory_bytes(limits["memory-swap"])
    if "nvidia-gpu" in limits:
        value = limits["nvidia-gpu"]
        count = -1 if value == "all" else int(value)
        gpu = {"driver": "nvidia", "count": count, "capabilities": [["gpu"]]}
        options["device_requests"] = [gpu]
    if "memory" in reservations:
        options["mem_reservation"] = memory_bytes(reservations["memory"])
    return options


def build_options(limits: dict[str, str]) -> dict[str, Any]:
    """Return the `APIClient.build` keywords of build limits (memory and swap only)."""
    found = {}
    if "memory" in limits:
        found["memory"] = memory_bytes(limits["memory"])
    if "memory-swap" in limits:
        found["memswap"] = memory_bytes(limits["memory-swap"])
    return {"container_limits": found} if found else {}
