"""The Docker engine adapter, part two: datastore service containers and image transfer.

Re-exported by `pydokku.engine`; call these through that module.
"""

from __future__ import annotations

import os
import sys

import pydokku.engine as core
from pydokku.errors import DokkuError

TYPE_CHECKING = False  # typing costs import time; mypy treats this name as True
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any


def run_service_container(
    name: str,
    image: str,
    *,
    command: list[str] | None,
    env: dict[str, str],
    labels: dict[str, str],
    volumes: dict[str, tuple[str, str]],
    aliases: list[str],
    ports: dict[int, tuple[str, int | None]] | None = None,
    memory_mb: int = 0,
    shm_size: str = "",
    networks: tuple[str, list[str], list[str]] = ("", [], []),
) -> core.ContainerInfo:
    """Start a datastore container: restart always, host dirs mounted, DNS aliases on NETWORK.

    `volumes` maps a host dir to (container path, "rw"|"ro"); `ports` maps a container
    port to the (host address, host port) it is published on (None: any free port).
    `networks`: (initial network, networks joined before start, networks joined after),
    with the same aliases; the container is on NETWORK as well.
    """
    initial, post_create, post_start = networks
    extra: dict[str, Any] = {
        "volumes": {host: {"bind": path, "mode": mode} for host, (path, mode) in volumes.items()},
        "networking_config": {
            core.NETWORK: core.client().api.create_endpoint_config(aliases=aliases)
        },
        "networks": list(post_create),
        "network_aliases": aliases,
        "own_network_aliases": True,
    }
    if initial:
        extra["network"] = initial
    if aliases:
        extra["hostname"] = aliases[0]
    if ports:
        extra["ports"] = {
            f"{port}/tcp": (address, str(host_port or ""))
            for port, (address, host_port) in ports.items()
        }
    if memory_mb:
        extra["mem_limit"] = f"{memory_mb}m"
    if shm_size:
        extra["shm_size"] = shm_size
    for network in [initial, *post_create, *post_start]:
        if network and not core.client().networks.list(names=[network]):
            raise DokkuError(f"Network {network} does not exist")
    info = core.run_container(
        name, image, command=command, env=env, labels=labels, restart_policy="always", extra=extra
    )
    for network in post_start:
        core.connect_network(name, network, aliases)
    return info


def published_ports(name: str) -> list[tuple[int, str, int]]:
    """Return (container port, host address, host port) of every published port."""
    try:
        attrs = core.client().containers.get(name).attrs
    except core._errors().NotFound:
        return []
    found = []
    for key, bindings in sorted((attrs.get("NetworkSettings", {}).get("Ports") or {}).items()):
        for binding in bindings or []:
            found.append((int(key.split("/")[0]), binding["HostIp"], int(binding["HostPort"])))
    return found


def registry_problem(ref: str, timeout: float = 10.0) -> str | None:
    """Ask the registry about an image (manifest only); return why it fails, or None."""
    import docker

    try:
        quick = docker.from_env(timeout=timeout)
        quick.api.inspect_distribution(ref)
    except Exception as exc:
        text = str(getattr(exc, "explanation", "") or exc).strip().splitlines()
        return text[-1][:200] if text else type(exc).__name__
    return None


def pull_image(ref: str, on_line: Callable[[str], None] | None = None) -> None:
    """Pull an image, reporting layer progress by lines (not by percentages)."""
    emit = on_line or (lambda line: print(line, flush=True))
    repository, _, tag = ref.rpartition(":") if ":" in ref.split("/")[-1] else (ref, "", "latest")
    try:
        for chunk in core.client().api.pull(repository, tag=tag, stream=True, decode=True):
            if "error" in chunk:
                raise DokkuError(f"Cannot pull {ref}: {chunk['error']}")
            status = chunk.get("status", "")
            if status and not status.startswith(("Downloading", "Extracting", "Waiting")):
                emit(f"{chunk['id']}: {status}" if chunk.get("id") else status)
    except core._errors().APIError as exc:
        raise DokkuError(f"Cannot pull {ref}: {exc.explanation or exc}") from exc


def _exec_cli_argv(
    name: str, command: list[str], env: dict[str, str], stdin: bool, tty: bool
) -> list[str]:
    # `-e NAME` without a value: the docker CLI takes it from its own environment, so
    # secrets never appear on a command line.
    flags = (["-i"] if stdin else []) + (["-t"] if tty else [])
    for key in env:
        flags += ["-e", key]
    return core.cli_argv("exec", *flags, name, *command)


def exec_stream(
    name: str,
    command: list[str],
    *,
    env: dict[str, str] | None = None,
    stdin: Any = None,
    stdout: Any = None,
    pass_stdin: bool = False,
    tty: bool = False,
) -> int:
    """Run a command in a container through the docker CLI, bytes flowing through untouched.

    `pass_stdin` feeds it this process's stdin (or the `stdin` file); `stdout` receives
    its output (default: this process's stdout). Used for dumps, restores and clients.
    """
    import subprocess

    env = env or {}
    argv = _exec_cli_argv(name, command, env, pass_stdin or stdin is not None, tty)
    sys.stdout.flush()
    return subprocess.call(  # noqa: S603 (argument list, no shell)
        argv,
        stdin=stdin if stdin is not None else (None if pass_stdin else subprocess.DEVNULL),
        stdout=stdout,
        env={**os.environ, **env},
    )


def exec_pipe(
    source: tuple[str, list[str], dict[str, str]], target: tuple[str, list[str], dict[str, str]]
) -> tuple[int, int]:
    """Pipe one container command's stdout into another's stdin; return both exit codes."""
    import subprocess

    (src, src_cmd, src_env), (dst, dst_cmd, dst_env) = source, target
    producer = subprocess.Popen(  # noqa: S603 (argument list, no shell)
        _exec_cli_argv(src, src_cmd, src_env, False, False),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        env={**os.environ, **src_env},
    )
    try:
        consumer = subprocess.call(  # noqa: S603 (argument list, no shell)
            _exec_cli_argv(dst, dst_cmd, dst_env, True, False),
            stdin=producer.stdout,
            env={**os.environ, **dst_env},
        )
    finally:
        if producer.stdout:
            producer.stdout.close()
    return producer.wait(), consumer


def run_helper(image: str, script: str, volumes: dict[str, str]) -> tuple[int, str]:
    """Run `sh -c SCRIPT` as root in a throwaway container without network; return (code, output).

    Used on service data the dokku user cannot touch (files owned by the database user).
    """
    try:
        raw = core.client().containers.run(
            image,
            command=[script],
            entrypoint=["/bin/sh", "-c"],
            user="0",
            network_mode="none",
            volumes={host: {"bind": path, "mode": "rw"} for host, path in volumes.items()},
            detach=True,
        )
    except core._errors().APIError as exc:
        raise DokkuError(f"Cannot run a helper container: {exc.explanation or exc}") from exc
    try:
        code = int(raw.wait().get("StatusCode", 1))
        return code, raw.logs().decode("utf-8", "replace")
    finally:
        raw.remove(force=True)


def copy_from_image(image: str, paths: list[str], max_bytes: int = 1 << 20) -> dict[str, bytes]:
    """Return the regular files among `paths` found in an image, read via a temporary container."""
    import io
    import tarfile

    found: dict[str, bytes] = {}
    try:
        raw = core.client().containers.create(
            image, command=["true"], labels={core.LABEL_DOKKU: ""}
        )
    except core._errors().APIError as exc:
        raise DokkuError(f"Cannot read files of {image}: {exc.explanation or exc}") from exc
    try:
        for path in paths:
            try:
                chunks, stat = raw.get_archive(path)
            except core._errors().NotFound:
                continue
            if int(stat.get("size", 0)) > max_bytes:
                raise DokkuError(f"{path} in {image} is larger than {max_bytes} bytes")
            with tarfile.open(fileobj=io.BytesIO(b"".join(chunks))) as tar:
                member = next((m for m in tar.getmembers() if m.isfile()), None)
                handle = tar.extractfile(member) if member else None
                if handle is not None:
                    found[path] = handle.read(max_bytes + 1)[:max_bytes]
    finally:
        raw.remove(force=True)
    return found


def load_images(stream: Any) -> list[str]:
    """Load a `docker save` tarball read from a binary stream; return the names it loaded."""
    loaded: list[str] = []
    try:
        for chunk in core.client().api.load_image(stream):
            problem = chunk.get("error") or chunk.get("message")
            if problem:
                raise DokkuError(f"docker load failed: {str(problem).strip()}")
            text = str(chunk.get("stream", "")).strip()
            for prefix in ("Loaded image: ", "Loaded image ID: "):
                if text.startswith(prefix):
                    loaded.append(text.removeprefix(prefix))
    except core._errors().APIError as exc:
        raise DokkuError(f"docker load failed: {exc.explanation or exc}") from exc
    return loaded
