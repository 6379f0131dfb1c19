"""The one adapter to the Docker engine. Nothing else imports the Docker SDK.

The SDK is imported on first use so commands that never touch Docker stay fast.
Interactive sessions (`run` with a TTY, `enter`) use the docker CLI, which owns
terminal handling, and image builds use it with BuildKit (`engine/build.py`);
everything else goes through the SDK.
"""

from __future__ import annotations

import functools
import os
import sys

from pydokku.errors import DokkuError

TYPE_CHECKING = False  # typing costs import time; mypy treats this name as True
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from typing import Any

NETWORK = "pydokku"  # the bridge network app containers join; nginx reaches them on it
LABEL_APP = "com.dokku.app-name"
LABEL_PROCESS = "com.dokku.process-type"
LABEL_DYNO = "com.dokku.dyno"
LABEL_DOKKU = "dokku"
API_TIMEOUT_S = 300


class ContainerInfo:
    """What the platform needs to know about one container."""

    def __init__(self, raw: Any) -> None:
        attrs = raw.attrs
        self.id: str = raw.id
        self.name: str = raw.name
        self.status: str = raw.status
        self.labels: dict[str, str] = dict(attrs.get("Config", {}).get("Labels") or {})
        self.image: str = attrs.get("Config", {}).get("Image", "")
        networks = attrs.get("NetworkSettings", {}).get("Networks") or {}
        self.ip: str = (networks.get(NETWORK) or {}).get("IPAddress", "")
        state = attrs.get("State", {})
        self.exit_code: int = int(state.get("ExitCode", 0))
        self.pid: int = int(state.get("Pid") or 0)
        self.started_at: str = state.get("StartedAt", "")
        self.restart_count: int = int(attrs.get("RestartCount", 0))
        self.oom_killed: bool = bool(state.get("OOMKilled"))
        self.memory_limit: int = int(attrs.get("HostConfig", {}).get("Memory") or 0)

    @property
    def running(self) -> bool:
        """Tell whether the container is running."""
        return self.status == "running"


@functools.cache
def client() -> Any:
    """Return a Docker SDK client for the local engine."""
    try:
        import docker

        return docker.from_env(timeout=API_TIMEOUT_S)
    except Exception as exc:
        raise DokkuError(f"Cannot reach the Docker engine: {exc}") from exc


def ping() -> None:
    """Raise a DokkuError unless the Docker engine answers."""
    try:
        client().ping()
    except DokkuError:
        raise
    except Exception as exc:
        raise DokkuError(f"Cannot reach the Docker engine: {exc}") from exc


def _errors() -> Any:
    import docker.errors

    return docker.errors


def build_image(
    context_dir: str,
    tags: list[str],
    *,
    dockerfile: str = "Dockerfile",
    buildargs: dict[str, str] | None = None,
    labels: dict[str, str] | None = None,
    on_line: Callable[[str], None] | None = None,
    network: str = "isolated",
    nocache: bool = False,
    options: dict[str, Any] | None = None,
) -> str:
    """Build an image from a directory with BuildKit, streaming output lines; return its id.

    `network`: `isolated` (BuildKit's sandbox network), `host` or `none`. `options`:
    build-phase keywords (from `dockerargs.build_options`); their build args and labels
    add to the builder's own, other keywords win. See `engine/build.py`.
    """
    from pydokku.engine import build

    emit = on_line or (lambda line: print(line, flush=True))
    return build.build(
        context_dir,
        tags,
        dockerfile=dockerfile,
        buildargs=buildargs,
        labels=labels,
        on_line=emit,
        network=network,
        nocache=nocache,
        options=options,
    )


def tag_image(source: str, target: str) -> None:
    """Give an image another name (`repo:tag`)."""
    repo, _, tag = target.rpartition(":")
    client().images.get(source).tag(repo, tag)


def image_exists(ref: str) -> bool:
    """Tell whether an image is present locally."""
    try:
        client().images.get(ref)
    except _errors().ImageNotFound:
        return False
    return True


def image_config(ref: str) -> dict[str, Any]:
    """Return an image's config (Cmd, Entrypoint, ExposedPorts, WorkingDir, Env, Labels)."""
    try:
        return dict(client().images.get(ref).attrs.get("Config") or {})
    except _errors().ImageNotFound as exc:
        raise DokkuError(f"Image {ref} does not exist") from exc


def image_id(ref: str) -> str:
    """Return the id of a local image."""
    try:
        return str(client().images.get(ref).id)
    except _errors().ImageNotFound as exc:
        raise DokkuError(f"Image {ref} does not exist") from exc


def remove_image(ref: str) -> None:
    """Remove an image if present (tags only, layers shared with others stay)."""
    try:
        # force: an id with several tags (latest + the build tag) is only removable so
        client().images.remove(ref, force=True, noprune=False)
    except (_errors().ImageNotFound, _errors().APIError):
        pass


def images(repository: str) -> list[tuple[str, list[str]]]:
    """Return (id, tags) of every local image of a repository (`dokku/APP`)."""
    found = client().images.list(name=repository)
    return [(str(img.id), list(img.tags)) for img in found]


def ensure_network(name: str = NETWORK) -> None:
    """Create the project's bridge network if it does not exist."""
    if not client().networks.list(names=[name]):
        client().networks.create(name, driver="bridge", labels={LABEL_DOKKU: ""})


def run_container(
    name: str,
    image: str,
    *,
    command: list[str] | None = None,
    env: dict[str, str] | None = None,
    labels: dict[str, str] | None = None,
    restart_policy: str = "on-failure:10",
    init: bool = True,
    log_max_size: str = "10m",
    network: str = NETWORK,
    extra: dict[str, Any] | None = None,
) -> ContainerInfo:
    """Start a detached container on the project's network and return its info.

    `extra` holds more SDK keywords (from `dockerargs.assemble`); its `networks` are
    joined after create, before start, and its `restart_policy` is already a dict.
    """
    policy_name, _, retries = restart_policy.partition(":")
    policy: dict[str, Any] = {"Name": policy_name}
    if policy_name == "on-failure" and retries:
        policy["MaximumRetryCount"] = int(retries)
    options: dict[str, Any] = {
        "restart_policy": policy,
        "init": init,
        "log_config": log_config(log_max_size),
        **(extra or {}),
    }
    container = start_app_container(name, image, command, env=env, labels=labels, options=options)
    return ContainerInfo(container)


def log_config(max_size: str) -> dict[str, Any]:
    """Return the json-file log config for `logs:set max-size` (`unlimited`: no cap)."""
    options = {} if max_size in ("", "unlimited") else {"max-size": max_size}
    return {"type": "json-file", "config": options}


def containers(labels: dict[str, str], *, include_stopped: bool = True) -> list[ContainerInfo]:
    """Return the containers carrying all the given labels."""
    filters = {"label": [f"{k}={v}" if v else k for k, v in labels.items()]}
    found = client().containers.list(all=include_stopped, filters=filters)
    return [ContainerInfo(c) for c in found]


def container(name: str) -> ContainerInfo | None:
    """Return a container by name or id, or None."""
    try:
        return ContainerInfo(client().containers.get(name))
    except _errors().NotFound:
        return None


def start_container(name: str) -> None:
    """Start a stopped container."""
    client().containers.get(name).start()


def stop_container(name: str, timeout: int = 30) -> None:
    """Stop a container (SIGTERM, then SIGKILL after `timeout` seconds)."""
    try:
        client().containers.get(name).stop(timeout=timeout)
    except _errors().NotFound:
        pass


def signal_container(name: str, signal: str = "SIGTERM") -> None:
    """Send a signal to a running container."""
    try:
        client().containers.get(name).kill(signal=signal)
    except (_errors().NotFound, _errors().APIError):
        pass


def remove_container(name: str) -> None:
    """Remove a container, stopping it first if needed."""
    try:
        client().containers.get(name).remove(force=True)
    except _errors().NotFound:
        pass


def rename_container(name: str, new_name: str) -> None:
    """Rename a container."""
    client().containers.get(name).rename(new_name)


def update_restart_policy(name: str, restart_policy: str) -> None:
    """Change the restart policy of an existing container."""
    policy_name, _, retries = restart_policy.partition(":")
    policy: dict[str, Any] = {"Name": policy_name}
    if retries:
        policy["MaximumRetryCount"] = int(retries)
    client().containers.get(name).update(restart_policy=policy)


def logs(
    name: str, *, follow: bool = False, tail: int | str = "all", timestamps: bool = False
) -> Iterator[str]:
    """Yield a container's log lines (stdout and stderr), optionally timestamp-prefixed."""
    try:
        raw = client().containers.get(name)
    except _errors().NotFound as exc:
        raise DokkuError(f"Container {name} does not exist") from exc
    pending = ""
    for chunk in raw.logs(stream=True, follow=follow, tail=tail, timestamps=timestamps):
        pending += chunk.decode("utf-8", "replace")
        *lines, pending = pending.split("\n")
        yield from lines
    if pending:
        yield pending


def run_once(
    image: str,
    command: list[str],
    *,
    env: dict[str, str] | None = None,
    labels: dict[str, str] | None = None,
    name: str | None = None,
    on_line: Callable[[str], None] | None = None,
    options: dict[str, Any] | None = None,
) -> int:
    """Run a one-off container to completion, streaming its output; return its exit code.

    `options`: more SDK keywords (from `dockerargs.assemble`), as for `run_container`.
    """
    emit = on_line or (lambda line: print(line, flush=True))
    raw = start_app_container(
        name, image, command, env=env, labels=labels, options={"init": True, **(options or {})}
    )
    try:
        pending = ""
        for chunk in raw.logs(stream=True, follow=True):
            pending += chunk.decode("utf-8", "replace")
            *lines, pending = pending.split("\n")
            for line in lines:
                emit(line)
        if pending:
            emit(pending)
        return int(raw.wait().get("StatusCode", 1))
    finally:
        raw.remove(force=True)


def cli_argv(*args: str) -> list[str]:
    """Return a docker CLI command line (for interactive sessions only)."""
    return ["docker", *args]


def exec_interactive(args: list[str]) -> int:
    """Run the docker CLI attached to this terminal and return its exit code."""
    import subprocess

    return subprocess.call(cli_argv(*args))  # noqa: S603 (argument list, no shell)


def stdin_is_tty() -> bool:
    """Tell whether stdin is a terminal (decides `-t` for run and enter)."""
    return os.isatty(sys.stdin.fileno()) if sys.stdin else False


def inspect_container(name: str) -> dict[str, Any]:
    """Return the raw `docker inspect` attributes of a container."""
    try:
        return dict(client().containers.get(name).attrs)
    except _errors().NotFound as exc:
        raise DokkuError(f"Container {name} does not exist") from exc


def exec_in(name: str, command: list[str], env: dict[str, str] | None = None) -> tuple[int, str]:
    """Run a command inside a running container (extra env optional); return (code, output)."""
    try:
        result = client().containers.get(name).exec_run(command, environment=env)
    except _errors().NotFound as exc:
        raise DokkuError(f"Container {name} does not exist") from exc
    except _errors().APIError as exc:
        return 126, str(exc.explanation or exc)
    return int(result.exit_code), result.output.decode("utf-8", "replace")


# The rest of the adapter lives in engine/services.py, create.py and networks.py (each part
# under ~400 lines).
from pydokku.engine import create as _create  # noqa: E402
from pydokku.engine import services as _services  # noqa: E402

copy_from_image = _services.copy_from_image
exec_pipe = _services.exec_pipe
exec_stream = _services.exec_stream
load_images = _services.load_images
published_ports = _services.published_ports
pull_image = _services.pull_image
registry_problem = _services.registry_problem
run_helper = _services.run_helper
run_service_container = _services.run_service_container

from pydokku.engine import housekeeping as _housekeeping  # noqa: E402

dangling_images = _housekeeping.dangling_images
labelled_containers = _housekeeping.labelled_containers
remove_unused_image = _housekeeping.remove_unused_image
remove_volume = _housekeeping.remove_volume
start_app_container = _create.start_app_container
host_info = _create.host_info
network_aliases = _create.network_aliases

from pydokku.engine import networks as _networks  # noqa: E402

connect_network = _networks.connect
container_networks = _networks.container_networks
create_network = _networks.create_network
disconnect_network = _networks.disconnect
list_networks = _networks.list_networks
network_attrs = _networks.network_attrs
remove_network = _networks.remove_network
