"""Waiting for new containers to be ready before traffic moves to them."""

from __future__ import annotations

import http.client
import time

from pydokku import engine
from pydokku.errors import DokkuError

POLL_S = 0.1
LOG_LINES = 10


def wait_http(name: str, port: int, timeout: float, host_header: str = "") -> None:
    """Wait until the container answers HTTP on `port` (any status); raise if it dies first."""
    deadline = time.monotonic() + timeout
    last_error = "no answer"
    while time.monotonic() < deadline:
        info = _running_or_fail(name)
        if info.ip:
            try:
                _http_get(info.ip, port, host_header)
                return
            except OSError as exc:
                last_error = str(exc) or type(exc).__name__
        time.sleep(POLL_S)
    raise DokkuError(
        f"{name} did not answer HTTP on port {port} within {timeout:.0f} s ({last_error})"
        + _log_tail(name)
    )


def wait_running(name: str, seconds: float) -> None:
    """Check that the container is still running after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        _running_or_fail(name)
        time.sleep(POLL_S)
    _running_or_fail(name)


def _running_or_fail(name: str) -> engine.ContainerInfo:
    info = engine.container(name)
    if info is None:
        raise DokkuError(f"{name} disappeared")
    if not info.running or info.restart_count > 0:
        raise DokkuError(f"{name} exited with code {info.exit_code}" + _log_tail(name))
    return info


def _http_get(ip: str, port: int, host_header: str) -> int:
    conn = http.client.HTTPConnection(ip, port, timeout=2)
    try:
        conn.request("GET", "/", headers={"Host": host_header} if host_header else {})
        return conn.getresponse().status
    except http.client.HTTPException as exc:
        raise OSError(str(exc)) from exc
    finally:
        conn.close()


def _log_tail(name: str) -> str:
    try:
        lines = list(engine.logs(name, tail=LOG_LINES))
    except DokkuError:
        return ""
    if not lines:
        return ""
    return "\nLast log lines of " + name + ":\n" + "\n".join("  " + line for line in lines)
