"""Running nginx: command lines, `nginx -t`, reloads, and swapping config files in safely.

A config file is only ever replaced under a global lock: the new text goes next
to the old file, is swapped in, and `nginx -t` judges the result; on failure the
previous file comes back. nginx runs through `sudo -n` unless we are root (the
installer allows exactly `nginx -t` and `nginx -s reload` for the dokku user).

Environment: `PYDOKKU_NGINX` (the binary), `PYDOKKU_NGINX_MAIN_CONF` (a main
config passed as `-c`, for tests and non-standard installs; the sudo rule does
not cover it).
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pydokku import paths, runner
from pydokku.errors import DokkuError

DEFAULT_BINARY = "/usr/sbin/nginx"
TIMEOUT = 60.0
NOT_RUNNING_HINTS = ("pid", "no such process")


class NginxMissingError(DokkuError):
    """The nginx binary is not installed where we look for it."""


class NginxNotRunningError(DokkuError):
    """nginx could not be signalled: it is not running."""


class Outcome:
    """What a config change achieved: `validated` / `reloaded`, and notes for the user."""

    def __init__(self) -> None:
        self.validated = False
        self.reloaded = False
        self.notes: list[str] = []


def binary() -> str:
    """Return the nginx binary: `$PYDOKKU_NGINX`, else nginx on PATH, else /usr/sbin/nginx."""
    return os.environ.get("PYDOKKU_NGINX") or shutil.which("nginx") or DEFAULT_BINARY


def installed() -> bool:
    """Tell whether the nginx binary exists and is executable."""
    path = binary()
    return os.path.isfile(path) and os.access(path, os.X_OK)


def argv(*args: str) -> list[str]:
    """Return the command line running nginx with `args` (with sudo -n unless root)."""
    prefix = [] if os.geteuid() == 0 else ["sudo", "-n"]
    main_conf = os.environ.get("PYDOKKU_NGINX_MAIN_CONF")
    conf = ["-c", main_conf] if main_conf else []
    return [*prefix, binary(), *conf, *args]


def test_argv() -> list[str]:
    """Return the `nginx -t` command line."""
    return argv("-t")


def reload_argv() -> list[str]:
    """Return the `nginx -s reload` command line."""
    return argv("-s", "reload")


def _require_installed() -> None:
    if not installed():
        raise NginxMissingError(
            f"nginx is not installed (looked for {binary()}; set PYDOKKU_NGINX to its path)"
        )


def error_line(text: str) -> str:
    """Return the line of nginx's output that says what is wrong."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for marker in ("[emerg]", "[alert]", "[crit]", "[error]"):
        found = next((line for line in lines if marker in line), None)
        if found:
            return found.removeprefix("nginx: ")
    return lines[-1].removeprefix("nginx: ") if lines else "no output"


def check() -> str | None:
    """Run `nginx -t`; return nginx's error line, or None when the config is valid."""
    _require_installed()
    proc = runner.run(test_argv(), check=False, timeout=TIMEOUT)
    if proc.returncode == 0:
        return None
    line = error_line(proc.stderr + proc.stdout)
    if line.startswith("sudo:"):
        raise DokkuError(
            f"Cannot run nginx through sudo ({line}); the installer allows the dokku user "
            "`nginx -t` and `nginx -s reload`"
        )
    return line


def reload() -> None:
    """Validate the whole config, then tell the running nginx to reload it."""
    problem = check()
    if problem:
        raise DokkuError(f"nginx config is invalid, not reloading: {problem}")
    signal_reload()


def signal_reload() -> None:
    """Run `nginx -s reload` (validated config) and wait until new workers serve it."""
    before = _workers()
    proc = runner.run(reload_argv(), check=False, timeout=TIMEOUT)
    if proc.returncode != 0:
        line = error_line(proc.stderr + proc.stdout)
        if is_not_running(line):
            raise NginxNotRunningError(f"nginx is not running ({line})")
        raise DokkuError(f"nginx reload failed: {line}")
    if not _wait_new_generation(before):
        raise DokkuError(f"nginx did not load the new config: {_last_emergency()}")


MASTER_PID_FILE = "/run/nginx.pid"
RELOAD_WAIT_S = 5.0


def _workers() -> set[int]:
    """Return the pids of the running nginx master's worker processes (empty if unknown)."""
    try:
        master = int(Path(_master_pid_file()).read_text().strip())
    except (OSError, ValueError):
        return set()
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master and fields[0] != "Z":
            found.add(int(entry.name))
    return found


def _master_pid_file() -> str:
    """Return the nginx master's pid file: the main config's `pid`, else /run/nginx.pid."""
    main_conf = os.environ.get("PYDOKKU_NGINX_MAIN_CONF")
    if main_conf:
        try:
            for line in Path(main_conf).read_text().splitlines():
                words = line.strip().rstrip(";").split()
                if len(words) == 2 and words[0] == "pid":
                    return words[1]
        except OSError:
            pass
    return MASTER_PID_FILE


def _wait_new_generation(before: set[int]) -> bool:
    """Wait until new workers run and the old ones stopped accepting connections.

    `nginx -s reload` only signals the master; until each old worker has taken its
    QUIT (its title then says "shutting down") it may still accept connections
    and send them to the old upstreams. A master that cannot apply the config (a
    port it cannot bind) keeps its old workers and starts none: return False then.
    """
    if not before:
        return True
    deadline = time.monotonic() + RELOAD_WAIT_S
    started = False
    while time.monotonic() < deadline:
        started = started or bool(_workers() - before)
        if started and all(_retired(pid) for pid in before):
            return True
        time.sleep(0.02)
    return started


ERROR_LOG = "/var/log/nginx/error.log"


def _last_emergency() -> str:
    """Return nginx's last `[emerg]` line (why a reload failed), or a pointer to the log."""
    try:
        with open(ERROR_LOG, "rb") as handle:
            handle.seek(max(0, os.fstat(handle.fileno()).st_size - 16384))
            tail = handle.read().decode("utf-8", "replace").splitlines()
    except OSError:
        tail = []
    found = [line for line in tail if "[emerg]" in line]
    return found[-1].split("[emerg]", 1)[1].strip() if found else f"see {ERROR_LOG}"


def _retired(pid: int) -> bool:
    try:
        title = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return True
    return not title or b"shutting down" in title


def is_not_running(line: str) -> bool:
    """Tell whether an nginx `-s` error means that no nginx is running."""
    lowered = line.lower()
    return any(hint in lowered for hint in NOT_RUNNING_HINTS)


@contextmanager
def lock() -> Iterator[None]:
    """Hold the global nginx lock (one config change at a time, across processes)."""
    import fcntl

    path = paths.lib_root() / "data" / "nginx" / "config.lock"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Read-only: flock needs no write access, so a lock file root made still works.
        fd = os.open(path, os.O_RDONLY | os.O_CREAT, 0o644)
    except OSError as exc:
        raise DokkuError(f"Cannot open the nginx lock {path}: {exc.strerror}") from exc
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def apply(path: Path, text: str | None, label: str) -> Outcome:
    """Put `text` at `path` (None removes it), keep it only if nginx accepts it, then reload.

    Raises DokkuError with nginx's error line when the result is invalid; the
    previous file is back in place by then.
    """
    outcome = Outcome()
    with lock():
        previous = path.read_text() if path.exists() else None
        _write(path, text)
        if not installed():
            outcome.notes.append(
                f"nginx is not installed (looked for {binary()}): {label} was written "
                "but neither validated nor loaded"
            )
            return outcome
        try:
            problem = check()
        except BaseException:
            _write(path, previous)
            raise
        if problem:
            _write(path, previous)
            kept = "the previous config was kept" if previous is not None else "it was removed"
            raise DokkuError(f"nginx rejected {label}, {kept}: {problem}")
        outcome.validated = True
        try:
            _reload_into(outcome)
        except DokkuError as exc:
            _write(path, previous)  # what nginx still serves; later changes apply again
            raise DokkuError(f"{exc.message}; {label} was not applied") from exc
    return outcome


def _reload_into(outcome: Outcome) -> None:
    try:
        signal_reload()
    except NginxNotRunningError as exc:
        outcome.notes.append(f"{exc.message}: the valid config is used when nginx starts")
        return
    outcome.reloaded = True


def _write(path: Path, text: str | None) -> None:
    """Atomically replace `path` with `text`, or remove it when `text` is None."""
    if text is None:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fresh = path.with_name(f".{path.name}.{os.getpid()}.new")
    fresh.write_text(text)
    os.replace(fresh, path)


def systemd_running() -> bool:
    """Tell whether systemd manages this host's services."""
    return Path("/run/systemd/system").is_dir() and shutil.which("systemctl") is not None


def start() -> None:
    """Start nginx (through systemd where it runs) after validating its config."""
    problem = check()
    if problem:
        raise DokkuError(f"nginx config is invalid, not starting: {problem}")
    if systemd_running():
        runner.run(_sudo(["systemctl", "start", "nginx"]), timeout=TIMEOUT)
    else:
        runner.run(argv(), timeout=TIMEOUT)  # nginx daemonizes itself


def stop() -> None:
    """Stop nginx gracefully (through systemd where it runs)."""
    _require_installed()
    if systemd_running():
        runner.run(_sudo(["systemctl", "stop", "nginx"]), timeout=TIMEOUT)
        return
    proc = runner.run(argv("-s", "quit"), check=False, timeout=TIMEOUT)
    if proc.returncode != 0:
        line = error_line(proc.stderr + proc.stdout)
        if is_not_running(line):
            raise NginxNotRunningError(f"nginx is not running ({line})")
        raise DokkuError(f"nginx stop failed: {line}")


def _sudo(command: list[str]) -> list[str]:
    return command if os.geteuid() == 0 else ["sudo", "-n", *command]
