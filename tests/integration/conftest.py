"""Harness for integration tests: the real installation, over real SSH, git and nginx.

Every test under tests/integration runs against what `./install.sh` set up on this
machine: `/usr/local/bin/dokku`, the `dokku` user, dockerd, nginx and sshd. When any of
that is missing the tests FAIL (they never skip) with a message saying what to run.

Fixtures:
- `dokku(*args, input=None, check=True)`: run the installed `dokku` as root.
- `ssh_key`: a per-session ed25519 key added with `ssh-keys:add pytest-<random>`.
- `ssh_dokku(*words, input=None, check=False)`: `ssh dokku@127.0.0.1 WORDS` with that key.
- `app_name()`: a unique `t-<random>` app name, destroyed after the test.
- `make_repo(files)`: a git repo with one commit of `files` on branch main.
- `git_push(repo, app, branch="main", expect_ok=True)`: a real push over SSH.
- `http_get(host, path="/")`: `(status, body)` from nginx on 127.0.0.1:80 for that Host.
- `wait_for(fn, timeout)`: poll until `fn()` returns something truthy.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import pwd
import re
import secrets
import shlex
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
DOKKU_BIN = Path("/usr/local/bin/dokku")
PREFIX = Path("/opt/pydokku")
SOURCE_STAMP = PREFIX / ".pydokku-source-sha256"
SSH_HOST = "127.0.0.1"
DOKKU_USER = "dokku"
LABEL_APP = "com.dokku.app-name"
INSTALL_HINT = "Run `./install.sh` (as root) first; `scripts/start-services` restarts the daemons."
# Variables that would point `dokku` at other roots or make a run look like an SSH session.
_SCRUBBED = (
    "DOKKU_ROOT",
    "DOKKU_LIB_ROOT",
    "DOKKU_TRACE",
    "SSH_ORIGINAL_COMMAND",
    "SSH_CONNECTION",
    "SSH_CLIENT",
    "SSH_TTY",
    "NAME",
    "FINGERPRINT",
)
_HERE = Path(__file__).resolve().parent
T = TypeVar("T")


@pytest.hookimpl(tryfirst=True)  # before `-m "not integration"` deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test under tests/integration as `integration`."""
    for item in items:
        if item.path.is_relative_to(_HERE):
            item.add_marker(pytest.mark.integration)


# --- checks that the installation is there --------------------------------------------


def source_digest(root: Path = REPO_ROOT) -> str:
    """Return the digest install.sh stamps on the venv (`source_digest` in install.sh)."""
    files = [root / "pyproject.toml"]
    files += [
        p
        for p in (root / "src").rglob("*")
        if p.is_file()
        and "__pycache__" not in p.parts
        and not any(part.endswith(".egg-info") for part in p.parts)
        and p.suffix != ".pyc"
    ]
    relative = sorted(p.relative_to(root).as_posix() for p in files)
    lines = "".join(
        f"{hashlib.sha256((root / rel).read_bytes()).hexdigest()}  {rel}\n" for rel in relative
    )
    return hashlib.sha256(lines.encode()).hexdigest()


def _port_answers(port: int, expect: bytes = b"", timeout: float = 3.0) -> bool:
    try:
        with socket.create_connection((SSH_HOST, port), timeout=timeout) as conn:
            return not expect or conn.recv(64).startswith(expect)
    except OSError:
        return False


def installation_problems() -> list[str]:
    """Return what is missing for integration tests (empty when all is in place)."""
    problems = []
    if os.geteuid() != 0:
        problems.append("integration tests must run as root")
    if not os.access(DOKKU_BIN, os.X_OK):
        problems.append(f"{DOKKU_BIN} is missing: pydokku is not installed")
    try:
        pwd.getpwnam(DOKKU_USER)
    except KeyError:
        problems.append(f"there is no {DOKKU_USER} user")
    docker = subprocess.run(
        ["docker", "info", "--format", "{{.ServerVersion}}"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    if docker.returncode != 0:
        problems.append(f"dockerd does not answer: {docker.stderr.strip()[:200]}")
    if not _port_answers(80):
        problems.append("nginx does not answer on 127.0.0.1:80")
    if not _port_answers(22, b"SSH-"):
        problems.append("sshd does not answer on 127.0.0.1:22")
    # PYDOKKU_ALLOW_STALE_INSTALL=1: while several people edit src/ at once.
    stale_ok = os.environ.get("PYDOKKU_ALLOW_STALE_INSTALL") == "1"
    if not problems and SOURCE_STAMP.exists() and not stale_ok:
        installed = SOURCE_STAMP.read_text().strip()
        if installed != source_digest():
            problems.append(
                f"{PREFIX} holds another version of pydokku than this checkout "
                "(run `./install.sh --no-example` to install this one)"
            )
    return problems


@pytest.fixture(scope="session", autouse=True)
def installation() -> None:
    """Fail every integration test, with the reason, unless ./install.sh set this host up."""
    problems = installation_problems()
    if problems:
        pytest.fail(
            "pydokku's installation is not usable for integration tests:\n  - "
            + "\n  - ".join(problems)
            + f"\n{INSTALL_HINT}",
            pytrace=False,
        )
    remove_stale_test_apps()


TEST_NAME_RE = re.compile(r"t-[0-9a-f]{8}")


def remove_stale_test_apps() -> None:
    """Destroy the apps and services an earlier, interrupted test run left behind.

    Only names the fixtures make (`t-` and 8 hex digits) whose releases, if any, were
    made by pytest: a user's app is never touched. Left alone, such an app (its image
    removed by the leak check) breaks every later `ps:restore` and certificate renewal.
    """
    for stype in ("postgres", "redis"):
        listed = run_dokku(f"{stype}:list", check=False).stdout.split()
        for name in filter(TEST_NAME_RE.fullmatch, listed):
            for app in run_dokku(f"{stype}:links", name, check=False).stdout.split():
                run_dokku(f"{stype}:unlink", name, app, "-n", check=False)
            run_dokku("--force", f"{stype}:destroy", name, check=False)
    for app in filter(TEST_NAME_RE.fullmatch, run_dokku("apps:list", check=False).stdout.split()):
        made = run_dokku("releases:list", app, "--format", "json", check=False).stdout
        actors = {r.get("actor", "") for r in json.loads(made or "[]")}
        if all(actor.startswith("pytest") for actor in actors):
            run_dokku("--force", "apps:destroy", app, check=False)
            _force_remove(_app_leftovers(app))


# --- running dokku ----------------------------------------------------------------------


class DokkuRunner(Protocol):
    """Signature of the `dokku` fixture."""

    def __call__(
        self, *args: str, input: str | None = None, check: bool = True, timeout: float = 600
    ) -> subprocess.CompletedProcess[str]: ...


def dokku_env() -> dict[str, str]:
    """Environment for the installed `dokku`: this one, minus roots and SSH variables."""
    # Releases made by the tests say so, so a later run can tell its leftovers apart.
    return {**{k: v for k, v in os.environ.items() if k not in _SCRUBBED}, "DOKKU_ACTOR": "pytest"}


def run_dokku(
    *args: str, input: str | None = None, check: bool = True, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """Run `/usr/local/bin/dokku ARGS` as root (it drops to the dokku user by itself)."""
    proc = subprocess.run(
        [str(DOKKU_BIN), *args],
        input=input if input is not None else "",
        capture_output=True,
        text=True,
        env=dokku_env(),
        timeout=timeout,
        check=False,
    )
    if check and proc.returncode != 0:
        pytest.fail(_describe(f"dokku {shlex.join(args)}", proc), pytrace=False)
    return proc


@pytest.fixture
def dokku() -> DokkuRunner:
    """Run the installed `dokku` as root: `dokku("apps:list", input=None, check=True)`."""
    return run_dokku


def _describe(what: str, proc: subprocess.CompletedProcess[str]) -> str:
    return (
        f"`{what}` exited {proc.returncode}\n"
        f"--- stdout ---\n{proc.stdout}--- stderr ---\n{proc.stderr}"
    )


# --- SSH ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SshKey:
    """A key pair registered with `ssh-keys:add`, and the client options that use it."""

    name: str
    private: Path
    public: Path
    known_hosts: Path
    fingerprint: str

    def options(self) -> list[str]:
        """Return ssh options that log in with this key only, never prompting."""
        return [
            "-F",
            "/dev/null",
            "-i",
            str(self.private),
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "BatchMode=yes",
            "-o",
            "StrictHostKeyChecking=accept-new",
            "-o",
            f"UserKnownHostsFile={self.known_hosts}",
            "-o",
            "LogLevel=ERROR",
        ]

    def git_ssh_command(self) -> str:
        """Return GIT_SSH_COMMAND for git over SSH with this key."""
        return shlex.join(["ssh", *self.options()])


@pytest.fixture(scope="session")
def ssh_key(installation: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SshKey]:
    """A per-session ed25519 key added as `pytest-<random>`; removed after the session."""
    directory = tmp_path_factory.mktemp("ssh")
    private = directory / "id_ed25519"
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "pytest", "-f", str(private)],
        check=True,
    )
    public = private.with_name("id_ed25519.pub")
    name = f"pytest-{secrets.token_hex(4)}"
    # Through stdin: `dokku` runs as the dokku user, who cannot read pytest's temp dirs.
    fingerprint = run_dokku("ssh-keys:add", name, "-", input=public.read_text()).stdout.strip()
    try:
        yield SshKey(name, private, public, directory / "known_hosts", fingerprint)
    finally:
        run_dokku("ssh-keys:remove", name, check=False)


class SshRunner(Protocol):
    """Signature of the `ssh_dokku` fixture."""

    def __call__(
        self, *words: str, input: str | None = None, check: bool = False, timeout: float = 600
    ) -> subprocess.CompletedProcess[str]: ...


@pytest.fixture
def ssh_dokku(ssh_key: SshKey) -> SshRunner:
    """Run `ssh dokku@127.0.0.1 WORDS` with the session key (words are quoted exactly)."""

    def run(
        *words: str, input: str | None = None, check: bool = False, timeout: float = 600
    ) -> subprocess.CompletedProcess[str]:
        argv = ["ssh", *ssh_key.options(), f"{DOKKU_USER}@{SSH_HOST}"]
        if words:
            argv.append(shlex.join(words))
        proc = subprocess.run(
            argv,
            input=input if input is not None else "",
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if check and proc.returncode != 0:
            pytest.fail(_describe(shlex.join(argv), proc), pytrace=False)
        return proc

    return run


# --- apps ---------------------------------------------------------------------------------


def _docker_ids(*argv: str) -> list[str]:
    out = subprocess.run(["docker", *argv], capture_output=True, text=True, timeout=60, check=False)
    return out.stdout.split()


def _app_leftovers(app: str) -> dict[str, list[str]]:
    """Return the ids of the containers and images of `app` still present."""
    label = f"label={LABEL_APP}={app}"
    found = {
        "containers": sorted(set(_docker_ids("ps", "-aq", "--filter", label))),
        "images": sorted(set(_docker_ids("images", "-q", "--filter", label))),
    }
    return {kind: ids for kind, ids in found.items() if ids}


def _force_remove(leftovers: dict[str, list[str]]) -> None:
    for ident in leftovers.get("containers", []):
        _docker_ids("rm", "-f", ident)
    for ident in leftovers.get("images", []):
        _docker_ids("rmi", "-f", ident)


@pytest.fixture
def app_name(installation: None) -> Iterator[Callable[[], str]]:
    """Return a factory of unique app names `t-<random>`; every such app is destroyed after."""
    created: list[str] = []

    def new() -> str:
        name = f"t-{secrets.token_hex(4)}"
        created.append(name)
        return name

    yield new
    leaks = {}
    for name in created:
        if run_dokku("apps:exists", name, check=False).returncode == 0:
            run_dokku("--force", "apps:destroy", name, check=False)
        leftovers = _app_leftovers(name)
        if leftovers:
            leaks[name] = leftovers
            _force_remove(leftovers)
    if leaks:
        pytest.fail(f"apps:destroy left Docker objects behind: {leaks}", pytrace=False)


# --- git ----------------------------------------------------------------------------------

_GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "pytest",
    "GIT_AUTHOR_EMAIL": "pytest@pydokku.invalid",
    "GIT_COMMITTER_NAME": "pytest",
    "GIT_COMMITTER_EMAIL": "pytest@pydokku.invalid",
}


def git(repo: Path, *args: str, env: dict[str, str] | None = None) -> str:
    """Run `git ARGS` in `repo` and return its stdout (fails the test on error)."""
    proc = subprocess.run(
        ["git", "-C", str(repo), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **_GIT_IDENTITY, **(env or {})},
        timeout=120,
        check=False,
    )
    if proc.returncode != 0:
        pytest.fail(_describe(f"git {shlex.join(args)}", proc), pytrace=False)
    return proc.stdout


def commit(repo: Path, files: dict[str, str], message: str = "change") -> str:
    """Write `files` (relative path -> text) into `repo`, commit them all, return the sha."""
    for rel, text in files.items():
        path = repo / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


@pytest.fixture
def make_repo(tmp_path: Path) -> Callable[[dict[str, str]], Path]:
    """Return a factory: `make_repo({"Dockerfile": ...})` -> a repo with one commit on main."""
    count = 0

    def make(files: dict[str, str]) -> Path:
        nonlocal count
        count += 1
        repo = tmp_path / f"repo-{count}"
        repo.mkdir()
        git(repo, "init", "-q", "-b", "main")
        commit(repo, files, "initial commit")
        return repo

    return make


class GitPush(Protocol):
    """Signature of the `git_push` fixture."""

    def __call__(
        self,
        repo: Path,
        app: str,
        branch: str = "main",
        expect_ok: bool = True,
        *,
        force: bool = False,
        timeout: float = 900,
    ) -> subprocess.CompletedProcess[str]: ...


@pytest.fixture
def git_push(ssh_key: SshKey) -> GitPush:
    """Return `git_push(repo, app, branch="main", expect_ok=True)`: push over real SSH.

    Output (git's and the remote's `remote:` lines) is in `.stdout` + `.stderr`; the test
    fails when the push's success is not `expect_ok`.
    """

    def push(
        repo: Path,
        app: str,
        branch: str = "main",
        expect_ok: bool = True,
        *,
        force: bool = False,
        timeout: float = 900,
    ) -> subprocess.CompletedProcess[str]:
        argv = ["git", "-C", str(repo), "push", *(["--force"] if force else [])]
        argv += [f"{DOKKU_USER}@{SSH_HOST}:{app}", branch]
        env = {**os.environ, "GIT_SSH_COMMAND": ssh_key.git_ssh_command()}
        proc = subprocess.run(
            argv, capture_output=True, text=True, env=env, timeout=timeout, check=False
        )
        if (proc.returncode == 0) != expect_ok:
            outcome = "failed" if expect_ok else "succeeded, but a failure was expected"
            pytest.fail(f"git push {outcome}\n" + _describe(shlex.join(argv), proc), pytrace=False)
        return proc

    return push


# --- HTTP and polling ---------------------------------------------------------------------


def http_get(host: str, path: str = "/", timeout: float = 5) -> tuple[int, str]:
    """GET `path` from nginx on 127.0.0.1:80 with `Host: host`; return (status, body).

    Never resolves `host`: the request goes to loopback whatever DNS says.
    """
    conn = http.client.HTTPConnection(SSH_HOST, 80, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Host": host, "Connection": "close"})
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def wait_for(
    fn: Callable[[], T],
    timeout: float = 30,
    interval: float = 0.25,
    what: Callable[[], str] | None = None,
) -> T:
    """Call `fn` until it returns something truthy (exceptions count as "not yet").

    On timeout the test fails with the last result, and `what()` if given.
    """
    deadline = time.monotonic() + timeout
    last: object = None
    while True:
        try:
            last = fn()
            if last:
                return last  # type: ignore[return-value]
        except Exception as exc:
            last = exc
        if time.monotonic() >= deadline:
            detail = f"; {what()}" if what else ""
            pytest.fail(f"Gave up after {timeout} s; last result: {last!r}{detail}", pytrace=False)
        time.sleep(interval)


@pytest.fixture(name="http_get")
def http_get_fixture() -> Callable[..., tuple[int, str]]:
    """`http_get(host, path="/", timeout=5)` -> (status, body) through nginx on loopback."""
    return http_get


@pytest.fixture(name="wait_for")
def wait_for_fixture() -> Callable[..., object]:
    """`wait_for(fn, timeout=30)`: poll until `fn()` is truthy, else fail the test."""
    return wait_for


def read_json(text: str) -> object:
    """Parse a `--format json` output (fails the test with the text when it is not JSON)."""
    try:
        return json.loads(text)
    except ValueError:
        pytest.fail(f"Not JSON: {text!r}", pytrace=False)
