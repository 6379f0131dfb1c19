"""What a datastore plugin declares: one `ServiceType` (and its offline image recipe).

Commands, env, config files and URLs are templates filled with `{password}`,
`{database}`, `{host}`, `{port}` and `{scheme}` (str.format: a literal brace is
doubled); everything else about running a service is shared.
"""

from __future__ import annotations

from pathlib import Path

TYPE_CHECKING = False  # typing costs import time; mypy treats this name as True
if TYPE_CHECKING:
    from collections.abc import Callable

# The image scripts/make-base-image builds: every offline service image starts from it.
BASE_IMAGE = "pydokku/base:bookworm"


class OfflineImage:
    """A service image built from the Debian base when no registry is reachable.

    `dockerfile` is the recipe (FROM `BASE_IMAGE`); `files` are copied into the build
    context under their names; `version` is what the Debian package provides.
    """

    def __init__(
        self, tag: str, version: str, dockerfile: str, files: dict[str, Path] | None = None
    ) -> None:
        self.tag = tag
        self.version = version
        self.dockerfile = dockerfile
        self.files = files or {}


def fixed_mount(path: str) -> Callable[[str], str]:
    """Return a data-mount rule that ignores the image version."""
    return lambda _version: path


class ServiceType:
    """One kind of datastore (postgres, redis, ...): everything that differs between them."""

    def __init__(
        self,
        *,
        name: str,
        title: str,
        image: str,
        version: str,
        port: int,
        scheme: str,
        url: str,
        default_alias: str,
        data_mount: Callable[[str], str],
        ready: list[str],
        export: list[str],
        import_: list[str],
        connect: list[str],
        offline: OfflineImage,
        env: dict[str, str] | None = None,
        exec_env: dict[str, str] | None = None,
        command: list[str] | None = None,
        config_files: dict[str, str] | None = None,
        config_mount: str = "",
        ready_output: str = "",
        import_swap: tuple[str, str] | None = None,
        dump_suffix: str = "dump",
    ) -> None:
        self.name = name  # the command prefix: `postgres`
        self.title = title  # in messages: `Postgres service db does not exist`
        self.image = image  # the official image, pulled where a registry answers
        self.version = version  # its default tag
        self.port = port
        self.url = url  # `{scheme}://postgres:{password}@{host}:{port}/{database}`
        self.default_alias = default_alias  # `DATABASE` -> DATABASE_URL
        self.alt_alias = f"DOKKU_{name.upper().replace('-', '_')}"  # DOKKU_POSTGRES_AQUA_URL
        self.scheme = scheme  # of the URL; an app's `<NAME>_DATABASE_SCHEME` overrides it
        self.scheme_var = f"{name.upper().replace('-', '_')}_DATABASE_SCHEME"
        self.data_mount = data_mount  # image version -> where the data dir is mounted
        self.ready = ready  # exits 0 (and prints `ready_output`) once clients can connect
        self.ready_output = ready_output
        self.export = export  # writes a dump to stdout
        self.import_ = import_  # reads a dump from stdin
        self.import_swap = import_swap  # (written, live): file to move in place while stopped
        self.connect = connect  # the interactive client
        self.offline = offline
        self.env = env or {}  # container environment
        self.exec_env = exec_env or {}  # environment of export/import/connect/ready commands
        self.command = command or []  # container command before the -c config options
        self.config_files = config_files or {}  # written to the service's config dir
        self.config_mount = config_mount  # where the config dir is mounted (read-only)
        self.dump_suffix = dump_suffix  # backup file suffix

    def fill(self, template: list[str], values: dict[str, str]) -> list[str]:
        """Return a command template with its `{fields}` filled in."""
        return [part.format(**values) for part in template]

    def fill_env(self, template: dict[str, str], values: dict[str, str]) -> dict[str, str]:
        """Return an environment template with its `{fields}` filled in."""
        return {key: value.format(**values) for key, value in template.items()}
