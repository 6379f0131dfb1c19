"""Running one healthcheck against one container."""

from __future__ import annotations

import http.client
import socket
import ssl
import time

from pydokku import engine, output
from pydokku.errors import DokkuError
from pydokku.plugins.checks import sockets
from pydokku.plugins.checks.spec import Check

POLL_S = 0.1
PROGRESS_S = 10.0  # how often a long wait says it is still waiting
WRONG_PORT_GRACE_S = 5.0  # how long a container may listen elsewhere before we say so
LOG_LINES = 10


class Target:
    """The container a check runs against, and how to address it."""

    def __init__(self, name: str, port: int, host: str = "") -> None:
        self.name = name
        self.port = port
        self.host = host


def run_check(check: Check, target: Target) -> None:
    """Run a check with its initial delay and attempts; raise DokkuError when it fails."""
    time.sleep(check.initial_delay)
    last = ""
    for attempt in range(1, check.attempts + 1):
        try:
            _once(check, target)
            return
        except CheckFailedError as exc:
            last = str(exc)
            if exc.final or attempt == check.attempts:
                break
            time.sleep(check.wait)
    raise DokkuError(
        f"Check {check.name!r} failed on {target.name}: {last}" + log_tail(target.name)
    )


class CheckFailedError(Exception):
    """One attempt failed; `final` when retrying cannot help (the container died)."""

    def __init__(self, message: str, final: bool = False) -> None:
        super().__init__(message)
        self.final = final


def running(name: str) -> engine.ContainerInfo:
    """Return the container's info if it runs and never restarted, else fail for good."""
    info = engine.container(name)
    if info is None:
        raise CheckFailedError("the container disappeared", final=True)
    if not info.running or info.restart_count > 0:
        why = f"exited with code {info.exit_code}" if not info.running else "restarted"
        if info.oom_killed:
            why = f"was killed: out of memory (limit {info.memory_limit // (1 << 20)} MB)"
        raise CheckFailedError(f"the container {why}", final=True)
    return info


def _once(check: Check, target: Target) -> None:
    info = running(target.name)
    if check.kind == "command":
        code, text = engine.exec_in(target.name, check.command)
        if code != 0:
            raise CheckFailedError(f"command exited {code}: {text.strip()[-300:]}")
    elif check.kind == "uptime":
        _wait_uptime(target.name, check.uptime)
    elif check.kind == "listening":
        _connect(info.ip, check.port or target.port, check.timeout)
    else:
        status, body = http_get(info.ip, check.port or target.port, check, target.host)
        if status >= 400:
            raise CheckFailedError(f"{check.path or '/'} answered HTTP {status}")
        if check.content and check.content not in body:
            raise CheckFailedError(f"{check.path or '/'} did not contain {check.content!r}")


def _wait_uptime(name: str, seconds: int) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        running(name)
        time.sleep(POLL_S)
    running(name)


def _connect(ip: str, port: int, timeout: float) -> None:
    try:
        socket.create_connection((ip, port), timeout=timeout).close()
    except OSError as exc:
        raise CheckFailedError(f"nothing listens on port {port} ({exc})") from exc


def http_get(ip: str, port: int, check: Check, host: str) -> tuple[int, str]:
    """GET the check's path from the container; return (status, body)."""
    if not ip:
        raise CheckFailedError("the container has no address yet")
    conn: http.client.HTTPConnection
    if check.scheme == "https":
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = (
            ssl.CERT_NONE
        )  # the container's own cert; the request never leaves the host
        conn = http.client.HTTPSConnection(ip, port, timeout=check.timeout, context=context)
    else:
        conn = http.client.HTTPConnection(ip, port, timeout=check.timeout)
    headers = {"Host": host or ip, "User-Agent": "pydokku-checks", **check.headers}
    try:
        conn.request("GET", check.path or "/", headers=headers)
        response = conn.getresponse()
        return response.status, response.read(1_000_000).decode("utf-8", "replace")
    except (OSError, http.client.HTTPException) as exc:
        raise CheckFailedError(
            f"no HTTP answer on port {port} ({exc or type(exc).__name__})"
        ) from exc
    finally:
        conn.close()


def wait_answering(name: str, port: int, timeout: float, host: str = "") -> None:
    """Default web check: wait until the container answers HTTP on its port (any status).

    Prints the elapsed time every PROGRESS_S seconds, and stops early, naming the fix,
    when the container listens on other ports but not on `port` for WRONG_PORT_GRACE_S.
    """
    plain = Check({"path": "/"}, "web")
    started = time.monotonic()
    last, next_progress, wrong_since = "no answer", PROGRESS_S, 0.0
    while (elapsed := time.monotonic() - started) < timeout:
        try:
            info = running(name)
            http_get(info.ip, port, plain, host)
            return
        except CheckFailedError as exc:
            if exc.final:
                raise DokkuError(
                    f"{name} stopped before answering HTTP on port {port}: {exc}" + log_tail(name)
                ) from None
            last = str(exc)
        others = _other_ports(name, port)
        wrong_since = (wrong_since or elapsed) if others else 0.0
        if others and elapsed - wrong_since >= WRONG_PORT_GRACE_S:
            raise DokkuError(wrong_port_message(name, port, others) + log_tail(name))
        if elapsed >= next_progress:
            output.verbose(f"Still waiting for {name} to answer on port {port} ({elapsed:.0f} s)")
            next_progress += PROGRESS_S
        time.sleep(POLL_S)
    others = _other_ports(name, port)
    if others:
        raise DokkuError(wrong_port_message(name, port, others) + log_tail(name))
    raise DokkuError(
        f"{name} did not answer HTTP on port {port} within {timeout:.0f} s: {last}" + log_tail(name)
    )


def _other_ports(name: str, port: int) -> list[int]:
    """Return the ports the container listens on when `port` is not one of them."""
    info = engine.container(name)
    found = sockets.listening_ports(info.pid) if info else set()
    return [] if port in found or not found else sorted(found)


def wrong_port_message(name: str, port: int, others: list[int]) -> str:
    """Explain that a container listens elsewhere than $PORT, with the two ways out."""
    app = name.split(".", 1)[0]
    listed = ("port " if len(others) == 1 else "ports ") + ", ".join(map(str, others))
    return (
        f"{name} listens on {listed}, not on port {port} ($PORT). Either make the app "
        f"listen on $PORT, or serve its port: dokku ports:set {app} http:80:{others[0]}"
    )


def log_tail(name: str) -> str:
    """Return the last log lines of a container, formatted for an error message."""
    try:
        lines = list(engine.logs(name, tail=LOG_LINES))
    except DokkuError:
        return ""
    if not lines:
        return ""
    return f"\nLast {len(lines)} log lines of {name}:\n" + "\n".join("  " + ln for ln in lines)
