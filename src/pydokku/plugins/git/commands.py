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


@git.command("from-image", "[--build-dir DIR] <app> <image> [<git-username> <git-email>]")
@arg("app")
@arg("image")
@arg("user", nargs="?", default="", metavar="<git-username>")
@arg("email", nargs="?", default="", metavar="<git-email>")
@arg("--build-dir", dest="build_dir", default="")
def from_image(ctx: Context, app: str, image: str, user: str, email: str, build_dir: str) -> None:
    """Deploy a prebuilt local image (Procfile and app.json are read from its WORKDIR).

    --build-dir DIR (on the server, not over SSH) supplies those files instead. The
    deploy is committed to the app's repo as `FROM image`, by the user and email given.
    """
    from pydokku.plugins.git import image_source
    from pydokku.plugins.git.commit import validate_author

    author = validate_author(user, email)
    image_source.from_image(app, image, build_dir=build_dir, author=author)


@git.command("load-image", "[--build-dir DIR] <app> [<image>] [<git-username> <git-email>]")
@arg("app")
@arg("image", nargs="?", default="")
@arg("user", nargs="?", default="", metavar="<git-username>")
@arg("email", nargs="?", default="", metavar="<git-email>")
@arg("--build-dir", dest="build_dir", default="")
def load_image(ctx: Context, app: str, image: str, user: str, email: str, build_dir: str) -> None:
    """Load a `docker save` tarball from stdin and deploy it (name the image if it has several)."""
    from pydokku.plugins.git import image_source
    from pydokku.plugins.git.commit import validate_author

    author = validate_author(user, email)
    stdin = _binary_stdin(ctx)
    image_source.load_image(app, stdin, image, author, build_dir=build_dir)


@git.command("from-archive", "[--archive-type tar|tar.gz|zip] <app> <url>|--")
@arg("app")
@arg("location", nargs="?", default="", metavar="<url>|--")
@arg("--archive-type", dest="archive_type", default="", choices=("tar", "tar.gz", "zip"))
def from_archive(ctx: Context, app: str, location: str, archive_type: str) -> None:
    """Deploy a tar, tar.gz or zip archive from an http(s) URL, or from stdin with `--`.

    Limits: `git:set APP archive-max-size SIZE` (1073741824: 1 GiB) and `archive-max-files N`
    (10000), as in Dokku.
    """
    from pydokku.plugins.git import archive_source

    stdin = _binary_stdin(ctx)
    if location in ("", "-", "--") and stdin.isatty():
        raise DokkuError("Give an archive URL, or pipe the archive in with `--`")
    archive_source.from_archive(app, location, stdin, archive_type)


@git.command(
    "sync", "[--build|--build-if-changes] [--skip-deploy-branch] <app> <repository> [<git-ref>]"
)
@arg("app")
@arg("url", metavar="<repository>")
@arg("ref", nargs="?", default="", metavar="<git-ref>")
@arg("--build", action="store_true")
@arg("--build-if-changes", dest="build_if_changes", action="store_true")
@arg("--skip-deploy-branch", dest="skip_deploy_branch", action="store_true")
def sync(
    ctx: Context,
    app: str,
    url: str,
    ref: str,
    build: bool,
    build_if_changes: bool,
    skip_deploy_branch: bool,
) -> None:
    """Clone or fetch an app's code from a repository URL, and deploy it with --build.

    URLs: https://, http://, ssh://, git:// or user@host:path; a local path or file://
    only on the server itself, never over SSH. --build-if-changes deploys only when the
    deploy branch moved.
    """
    from pydokku.plugins.git import sync as syncing

    if build and build_if_changes:
        raise DokkuError("Give --build or --build-if-changes, not both")
    mode = "build" if build else "build-if-changes" if build_if_changes else ""
    syncing.sync(app, url, ref, build=mode, skip_deploy_branch=skip_deploy_branch)


@git.command("status", "<app>")
@arg("app")
def status(ctx: Context, app: str) -> None:
    """Show the app repo's deploy branch, its last commit and the branches."""
    from pydokku.plugins.git import inspect

    for line in inspect.status_lines(app):
        output.echo(line)


@git.command("auth", "<host> [<username> <password>]")
@arg("host")
@arg("user", nargs="?", default="", metavar="<username>")
@arg("password", nargs="?", default="", metavar="<password>")
def auth(ctx: Context, host: str, user: str, password: str) -> None:
    """Set the .netrc login of a git server (password from stdin if omitted); none removes it."""
    from pydokku.plugins.git import access

    password = password or _password_from_stdin(ctx, user)
    access.check_entry(host, user, password)
    output.step(f"{'Setting' if user else 'Removing'} netrc auth entry for host {host}")
    access.set_auth(host, user, password)


@git.command("auth-status", "<host> [<username> <password>]")
@arg("host")
@arg("user", nargs="?", default="", metavar="<username>")
@arg("password", nargs="?", default="", metavar="<password>")
def auth_status(ctx: Context, host: str, user: str, password: str) -> int:
    """Exit 0 if the .netrc entry of a host matches (or, with no user, is absent), else 1."""
    from pydokku.plugins.git import access

    password = password or _password_from_stdin(ctx, user)
    return 0 if access.auth_matches(host, user, password) else 1


@git.command("allow-host", "<host>")
@arg("host")
def allow_host(ctx: Context, host: str) -> None:
    """Add a git server's SSH host keys to the dokku user's known_hosts."""
    from pydokku.plugins.git import access

    added = access.allow_host(host)
    output.step(f"{host} added to known hosts" if added else f"{host} is already a known host")


@git.command("generate-deploy-key")
def generate_deploy_key(ctx: Context) -> None:
    """Generate an SSH deploy key for fetching private repos (see git:public-key)."""
    from pydokku.plugins.git import access

    if not access.generate_deploy_key():
        output.warn("A deploy key already exists for this host")
        return
    output.step("Generated a deploy key; add the output of `dokku git:public-key` to your server")


@git.command("public-key")
def public_key(ctx: Context) -> None:
    """Print the dokku user's public deploy key."""
    from pydokku.plugins.git import access

    key = access.deploy_public_key()
    if not key:
        raise DokkuError(
            "There is no deploy key: generate one with `dokku git:generate-deploy-key`, "
            "or set a .netrc login with `dokku git:auth`"
        )
    output.echo(key)


def _password_from_stdin(ctx: Context, user: str) -> str:
    if not user or ctx.stdin.isatty():
        return ""
    return ctx.stdin.readline().rstrip("\r\n")


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
    if _ssh_command_name() == "git-hook":
        raise DokkuError("git-hook runs from an app's pre-receive hook, not over SSH")
    from pydokku.plugins.git import push

    # git relays our output to the pusher as it comes: one line at a time.
    for stream in (sys.stdout, sys.stderr):
        inner = getattr(stream, "_stream", stream)  # under output.guard_streams()
        if isinstance(inner, io.TextIOWrapper):
            inner.reconfigure(line_buffering=True)
    push.receive(app, push.parse_updates(ctx.stdin))


def _serve(service: str, repo: str) -> None:
    from pydokku.plugins.git import receive

    receive.serve(service, repo)


def _binary_stdin(ctx: Context) -> BinaryIO:
    """Return the command's stdin as bytes (archives and image tarballs)."""
    buffer = getattr(ctx.stdin, "buffer", None)
    return buffer if buffer is not None else sys.stdin.buffer


def _ssh_command_name() -> str:
    """Return the command the SSH client asked for, resolved as `dokku` resolves it."""
    from pydokku.cli import resolved_ssh_command

    return resolved_ssh_command(os.environ.get("SSH_ORIGINAL_COMMAND", ""))
