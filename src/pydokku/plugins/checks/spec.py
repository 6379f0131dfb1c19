"""Healthcheck definitions from app.json `healthchecks` or a legacy CHECKS file (pure)."""

from __future__ import annotations

from typing import Any

from pydokku.errors import DokkuError

CHECK_TYPES = ("startup", "readiness", "liveness", "")
DEPLOY_TYPES = ("startup", "readiness", "")  # liveness checks are not deploy gates
MAX_NUMBER = 10**8  # seconds, attempts or a port: anything larger is a mistake


class Check:
    """One healthcheck with Dokku's fields and defaults."""

    def __init__(self, spec: dict[str, Any], process: str) -> None:
        self.process = process
        self.type: str = str(spec.get("type", ""))
        self.path: str = str(spec.get("path", ""))
        self.command: list[str] = _command(spec.get("command"))
        self.uptime: int = _int(spec, "uptime", 0, process)
        self.listening: bool = bool(spec.get("listening", False))
        self.content: str = str(spec.get("content", ""))
        self.attempts: int = _int(spec, "attempts", 3, process)
        self.timeout: int = _int(spec, "timeout", 5, process)
        self.wait: int = _int(spec, "wait", 5, process)
        self.initial_delay: int = _int(spec, "initialDelay", 0, process)
        self.port: int = _int(spec, "port", 0, process)
        self.scheme: str = str(spec.get("scheme", "http"))
        self.headers: dict[str, str] = _headers(spec.get("httpHeaders"))
        self.warn: bool = bool(spec.get("warn", False))
        self.name: str = str(spec.get("name") or self.describe())
        self._validate()

    @property
    def kind(self) -> str:
        """What the check does: command, uptime, listening or path (HTTP)."""
        if self.command:
            return "command"
        if self.uptime:
            return "uptime"
        if self.listening:
            return "listening"
        return "path"

    def describe(self) -> str:
        """Return a short human description of the check."""
        if self.command:
            return "command " + " ".join(self.command)
        if self.uptime:
            return f"uptime {self.uptime}s"
        if self.listening:
            return "listening check"
        return f"{self.scheme} {self.path or '/'}" + (
            f" for {self.content!r}" if self.content else ""
        )

    def _validate(self) -> None:
        where = f"healthchecks.{self.process}"
        if self.type not in CHECK_TYPES:
            raise DokkuError(f"{where}: unknown check type {self.type!r}")
        chosen = [bool(self.command), bool(self.uptime), bool(self.path), self.listening]
        if sum(chosen) > 1:
            raise DokkuError(f"{where}: use only one of command, uptime, path and listening")
        if self.scheme not in ("http", "https"):
            raise DokkuError(f"{where}: scheme must be http or https")
        if min(self.attempts, self.timeout) < 1 or min(self.wait, self.initial_delay) < 0:
            raise DokkuError(f"{where}: attempts and timeout must be >= 1, wait >= 0")
        if self.path and not self.path.startswith("/"):
            raise DokkuError(f"{where}: path must start with '/'")


def _int(spec: dict[str, Any], field: str, default: int, process: str) -> int:
    """Return a whole-number field of a check, or raise naming the field."""
    value = spec.get(field)
    if value is None or value == "":
        return default
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) <= MAX_NUMBER:
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 9:
        return int(value)
    raise DokkuError(f"healthchecks.{process}: {field} must be a whole number, not {value!r}")


def from_app_json(app_json: dict[str, Any]) -> dict[str, list[Check]]:
    """Return the checks of each process type declared in app.json."""
    declared = app_json.get("healthchecks") or {}
    if not isinstance(declared, dict):
        raise DokkuError("app.json: healthchecks must be an object of process types")
    found: dict[str, list[Check]] = {}
    for process, specs in declared.items():
        if not isinstance(specs, list) or not all(isinstance(s, dict) for s in specs):
            raise DokkuError(f"app.json: healthchecks.{process} must be a list of objects")
        found[process] = [Check(spec, process) for spec in specs]
    return found


def from_checks_file(text: str) -> list[dict[str, Any]]:
    """Convert a legacy CHECKS file into app.json healthcheck specs for `web`.

    Lines are `/path [expected content]`; `WAIT=`, `TIMEOUT=` and `ATTEMPTS=` set
    the timing of every check; `#` starts a comment.
    """
    timing: dict[str, int] = {}
    paths: list[tuple[str, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if sep and key in ("WAIT", "TIMEOUT", "ATTEMPTS"):
            if not value.strip().isdigit():
                raise DokkuError(f"CHECKS line {number}: {key} must be a whole number")
            timing[key.lower()] = int(value)
            continue
        target, _, content = line.partition(" ")
        if not target.startswith("/") and "://" not in target:
            raise DokkuError(f"CHECKS line {number}: expected a path starting with '/'")
        paths.append((_path_of(target), content.strip()))
    return [{"type": "startup", "path": p, "content": c, **timing} for p, c in paths]


def _path_of(target: str) -> str:
    if "://" in target:  # `//host/path` and `http://host/path` forms keep only the path
        rest = target.split("://", 1)[1]
        return "/" + rest.split("/", 1)[1] if "/" in rest else "/"
    return target


def _command(value: object) -> list[str]:
    if value in (None, "", []):
        return []
    if isinstance(value, str):
        return ["/bin/sh", "-c", value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise DokkuError("healthcheck command must be a string or a list of strings")


def _headers(value: object) -> dict[str, str]:
    if not value:
        return {}
    if not isinstance(value, list):
        raise DokkuError("httpHeaders must be a list of {name, value} objects")
    headers = {}
    for item in value:
        if not isinstance(item, dict) or "name" not in item:
            raise DokkuError("httpHeaders must be a list of {name, value} objects")
        headers[str(item["name"])] = str(item.get("value", ""))
    return headers
