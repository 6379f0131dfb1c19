"""`git:status`: what the app's bare repo holds (it has no work tree to run `git status` in)."""

from __future__ import annotations

from pydokku import runner
from pydokku.plugins.apps.logic import require_app
from pydokku.plugins.git import repo, settings


def status_lines(app: str) -> list[str]:
    """Return lines describing the deploy branch, its last commit and every branch."""
    path = repo.repo_path(require_app(app))
    branch = settings.deploy_branch(app)
    lines = [f"On deploy branch {branch}"]
    if not repo.is_bare_repo(path):
        return [*lines, f"No git repo; run `dokku git:initialize {app}`"]
    env = repo.clean_env()
    head = repo.branch_head(app, branch)
    if not head:
        return [*lines, "No commits yet on the deploy branch"]
    log = runner.run(
        repo.git_argv(path, "log", "-1", "--format=%H %an, %ar: %s", head, "--"), env=env
    )
    lines.append(f"Last commit {log.stdout.strip()}")
    listing = runner.run(
        repo.git_argv(path, "branch", "--no-color", "-v", "--no-abbrev"), env=env
    ).stdout.splitlines()
    return [*lines, "Branches:", *(f"  {line.strip()}" for line in listing)]
