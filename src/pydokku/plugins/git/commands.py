"""git:* commands and the hidden git entry points (parsing only; the work is elsewhere)."""

from __future__ import annotations

import io
import os
import sys

from pydokku import output
from pydokku.cli.common import add_property_commands
from pydokku.cli.registry import Context, Namespace, arg
from pydokku.errors import DokkuError
from pydokku.plugins.git import settings

TYPE_CHECKING = False  # typing costs import time; mypy treats this name as True
if TYPE_CHECKING:
    from typing import BinaryIO

git = Namespace("git", "Deploy apps with git push: repos, deploy branch and git settings")
receive_pack = Namespace("git-receive-pack", "Receive a git push (run over SSH by git)")
upload_pack = Namespace("git-upload-pack", "Serve git fetch and clone (run over SSH by git)")
upload_archive = Namespace("git-upload-archive", "Serve git archive (run over SSH by git)")
git_hook = Namespace("git-hook", "Deploy pushed refs (run by the app's pre-receive hook)")
NAMESPACES = [git, receive_pack, upload_pack, upload_archive, git_hook]


@git.command("initialize", "<app>")
@arg("app")
def initialize(ctx: Context, app: str) -> None:
    """Create the app's bare repo if needed and (re)write its pre-receive hook."""
    from pydokku.plugins.apps.logic import require_app
    from pydokku.plugins.git import repo

    require_app(app)
    output.step(f"Initializing git repository for {app}")
    repo.initialize(app)


report_section = add_property_commands(git, settings.SPECS, settings.report_rows)


@git.command("from-image", "<app> <image>")
@arg("app")
@arg("image")
def from_image(ctx: Context, app: str, image: str) -> None:
    """Deploy a prebuilt local image (Procfile and app.json are read from its WORKDIR)."""
    from pydokku.plugins.git import image_source

    image_source.from_image(app, image)


@git.command("load-image", "<app> [<image>]")
@arg("app")
@arg("image", nargs="?", default="")
def load_image(ctx: Context, app: str, image: str) -> None:
    """Load a `docker save` tarball from stdin and deploy it (name the image if it has several)."""
    from pydokku.plugins.git import image_source

    image_source.load_image(app, _binary_stdin(ctx), image)


@git.command("from-archive", "[--archive-type tar|tar.gz|zip] <app> <url>|--")
@arg("app")
@arg("location", nargs="?", default="", metavar="<url>|--")
@arg("--archive-type", dest="archive_type", default="", choices=("tar", "tar.gz", "zip"))
def from_archive(ctx: Context, app: str, location: str, archive_type: str) -> None:
    """Deploy a tar, tar.gz or zip archive from an http(s) URL, or from stdin with `--`.

    Limits: `git:set APP archive-max-size SIZE` (512m) and `archive-max-files N` (100000).
    """
    from pydokku.plugins.git import archive_source

    stdin = _binary_stdin(ctx)
    if location in ("", "-", "--") and stdin.isatty():
        raise DokkuError("Give an archive URL, or pipe the archive in with `--`")
    archive_source.from_archive(app, location, stdin, archive_type)


@receive_pack.command("", "<repo>", hidden=True, default=True)
@arg("repo")
def git_receive_pack(ctx: Context, repo: str) -> None:
    """Receive a push into an app's repo, creating the app on its first push."""
    _serve("git-receive-pack", repo)


@upload_pack.command("", "<repo>", hidden=True, default=True)
@arg("repo")
def git_upload_pack(ctx: Context, repo: str) -> None:
    """Send an app's repo to `git fetch` or `git clone`."""
    _serve("git-upload-pack", repo)


@upload_archive.command("", "<repo>", hidden=True, default=True)
@arg("repo")
def git_upload_archive(ctx: Context, repo: str) -> None:
    """Send an archive of an app's repo to `git archive --remote`."""
    _serve("git-upload-archive", repo)


@git_hook.command("", "<app>", hidden=True, default=True)
@arg("app")
def hook(ctx: Context, app: str) -> None:
    """Deploy the pushed deploy branch (reads git's `old new ref` lines on stdin)."""
    if _ssh_command_word() == "git-hook":
        raise DokkuError("git-hook runs from an app's pre-receive hook, not over SSH")
    from pydokku.plugins.git import push

    # git relays our output to the pusher as it comes: one line at a time.
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(line_buffering=True)
    push.receive(app, push.parse_updates(ctx.stdin))


def _serve(service: str, repo: str) -> None:
    from pydokku.plugins.git import receive

    receive.serve(service, repo)


def _binary_stdin(ctx: Context) -> BinaryIO:
    """Return the command's stdin as bytes (archives and image tarballs)."""
    buffer = getattr(ctx.stdin, "buffer", None)
    return buffer if buffer is not None else sys.stdin.buffer


def _ssh_command_word() -> str:
    words = os.environ.get("SSH_ORIGINAL_COMMAND", "").split()
    return words[0] if words else ""
