"""`git:sync`: fetch an app's code from a repository URL, and optionally deploy it.

The remote's branches and tags are fetched into a private namespace of the app's bare
repo; the wanted ref (a branch, tag or commit; default the deploy branch) then moves
the deploy branch. On the first sync a branch ref becomes the deploy branch, as in
Dokku. If the deploy fails, the deploy branch (and deploy-branch setting) go back.
"""

from __future__ import annotations

from pathlib import Path

from pydokku import output, paths, properties, runner, state
from pydokku.errors import DokkuError
from pydokku.plugins.apps.logic import require_app
from pydokku.plugins.git import push, remote, repo, settings

SYNC_NS = "refs/pydokku-sync"
FETCH_TIMEOUT_S = 900
ZERO = "0" * 40
BUILD_MODES = ("", "build", "build-if-changes")


def sync(
    app: str,
    url: str,
    ref: str = "",
    *,
    build: str = "",
    skip_deploy_branch: bool = False,
) -> bool:
    """Fetch `url` into the app's repo and move its deploy branch; return whether it moved."""
    require_app(app)
    remote.check_url(url, remote_caller=remote.over_ssh())
    if ref and (ref.startswith("-") or settings.branch_problem(ref)):
        raise DokkuError(f"Invalid git ref {ref[:80]!r}")
    if build not in BUILD_MODES:
        raise DokkuError(f"Unknown build mode {build!r}")
    path = repo.initialize(app)
    configured = settings.configured_branch(app)
    branch = settings.deploy_branch(app)
    before = repo.branch_head(app, branch)
    shown = remote.redact(url)
    action = "Fetching" if before else "Cloning"
    output.step(f"{action} {app} from {shown}{f'#{ref}' if ref else ''}")
    guess = not (ref or configured)
    commit, found_branch = _fetch_commit(path, url, ref or branch, guess_head=guess)
    detected = bool(not before and found_branch and not skip_deploy_branch)
    new_branch = found_branch if detected else branch
    _move(app, path, new_branch, commit)
    if detected and found_branch != configured:
        output.verbose(f"Detected branch, setting deploy-branch to {found_branch}")
        settings.store_deploy_branch(app, new_branch)
    changed = commit != before
    if build == "build" or (build == "build-if-changes" and changed):
        _deploy(app, new_branch, before if new_branch == branch else "", commit, shown, configured)
    elif build == "build-if-changes":
        output.verbose("Skipping build as no changes were detected")
    return changed


def _fetch_commit(path: Path, url: str, wanted: str, *, guess_head: bool) -> tuple[str, str]:
    """Fetch the remote, then return (commit, branch or '') of `wanted`.

    `guess_head`: when the remote has no such branch, take the branch its HEAD names.
    """
    local_ok = not remote.over_ssh()
    try:
        _fetch(path, url, local_ok)
        commit, found_branch = _resolve(path, wanted)
        if not commit and guess_head:
            found_branch = _remote_head_branch(path, url, local_ok)
            commit = _commit_of(path, f"{SYNC_NS}/heads/{found_branch}") if found_branch else ""
    finally:
        _drop_namespace(path)
    if not commit:
        raise DokkuError(f"{wanted} is not a branch, tag or commit of {remote.redact(url)}")
    return commit, found_branch


def _fetch(path: Path, url: str, allow_local: bool) -> None:
    argv = [
        "git",
        *remote.git_options(allow_local=allow_local),
        f"--git-dir={path}",
        "fetch",
        "--quiet",
        "--no-tags",
        "--no-write-fetch-head",
        "--",
        url,
        f"+refs/heads/*:{SYNC_NS}/heads/*",
        f"+refs/tags/*:{SYNC_NS}/tags/*",
    ]
    env = remote.fetch_env(repo.clean_env(), str(paths.dokku_root()))
    proc = runner.run(argv, check=False, env=env, timeout=FETCH_TIMEOUT_S)
    if proc.returncode != 0:
        detail = (proc.stderr.strip() or proc.stdout.strip()).splitlines()
        reason = remote.redact(detail[-1]) if detail else f"exit code {proc.returncode}"
        raise DokkuError(f"Cannot fetch {remote.redact(url)}: {reason}")


def _resolve(path: Path, wanted: str) -> tuple[str, str]:
    """Return (commit, branch name or '') of a fetched branch, tag or commit id."""
    commit = _commit_of(path, f"{SYNC_NS}/heads/{wanted}")
    if commit:
        return commit, wanted
    commit = _commit_of(path, f"{SYNC_NS}/tags/{wanted}")
    if commit:
        return commit, ""
    if all(ch in "0123456789abcdef" for ch in wanted) and 4 <= len(wanted) <= 64:
        return _commit_of(path, wanted), ""
    return "", ""


def _commit_of(path: Path, name: str) -> str:
    argv = repo.git_argv(path, "rev-parse", "--verify", "--quiet", "--end-of-options")
    proc = runner.run([*argv, f"{name}^{{commit}}"], check=False, env=repo.clean_env())
    return proc.stdout.strip() if proc.returncode == 0 else ""


def _remote_head_branch(path: Path, url: str, allow_local: bool) -> str:
    """Return the branch the remote's HEAD names (used when no deploy branch is set)."""
    argv = ["git", *remote.git_options(allow_local=allow_local), f"--git-dir={path}"]
    argv += ["ls-remote", "--symref", "--", url, "HEAD"]
    env = remote.fetch_env(repo.clean_env(), str(paths.dokku_root()))
    proc = runner.run(argv, check=False, env=env, timeout=FETCH_TIMEOUT_S)
    for line in proc.stdout.splitlines():
        target, _, name = line.partition("\t")
        if name == "HEAD" and target.startswith("ref: refs/heads/"):
            branch = target.removeprefix("ref: refs/heads/")
            return "" if settings.branch_problem(branch) else branch
    return ""


def _drop_namespace(path: Path) -> None:
    env = repo.clean_env()
    names = runner.run(repo.git_argv(path, "for-each-ref", "--format=%(refname)", SYNC_NS), env=env)
    deletes = "".join(f"delete {name}\n" for name in names.stdout.split())
    if deletes:
        runner.run(repo.git_argv(path, "update-ref", "--stdin"), input_text=deletes, env=env)


def _move(app: str, path: Path, branch: str, commit: str) -> None:
    env = repo.clean_env()
    runner.run(repo.git_argv(path, "update-ref", f"refs/heads/{branch}", commit), env=env)
    repo.point_head_at(app, branch)


def _deploy(app: str, branch: str, before: str, commit: str, shown: str, configured: str) -> None:
    """Deploy `commit`; on failure put the deploy branch and its setting back."""
    path = repo.repo_path(app)
    update = push.RefUpdate(before or ZERO, commit, f"refs/heads/{branch}")
    try:
        push.deploy(app, update, "git:sync")
    except BaseException:
        env = repo.clean_env()
        ref = f"refs/heads/{branch}"
        undo = ["update-ref", ref, before] if before else ["update-ref", "-d", ref]
        runner.run(repo.git_argv(path, *undo), check=False, env=env)
        if configured != branch:
            with state.transaction() as conn:
                properties.store(conn, settings.PLUGIN, app, "deploy-branch", configured or None)
        raise
    with state.transaction() as conn:
        settings.record_deploy_source(conn, app, "git-sync", f"{shown}#{commit}")
