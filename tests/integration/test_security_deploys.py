"""Deploy-side security fixes against the real engine, nginx and git push.

- the next deploy removes what a crashed deploy left and fails its `pending` release;
- pushed symlinks that leave the tree are refused before anything is built.
"""

from __future__ import annotations

import os
import pwd
import sqlite3
import subprocess
from contextlib import closing

from tests.integration.apps import host, web_app
from tests.integration.conftest import DOKKU_USER, http_get

STATE_DB = "/var/lib/dokku/data/pydokku/state.db"


def as_dokku_sql(statement: str, params: tuple[object, ...]) -> None:
    """Run one write on the store as the dokku user (root must not own its WAL files)."""
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            user = pwd.getpwnam(DOKKU_USER)
            os.setgid(user.pw_gid)
            os.setuid(user.pw_uid)
            with closing(sqlite3.connect(STATE_DB, timeout=30)) as conn, conn:
                conn.execute(statement, params)
            code = 0
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def docker(*args: str) -> str:
    return subprocess.run(
        ["docker", *args], capture_output=True, text=True, timeout=120, check=True
    ).stdout


def test_the_next_deploy_cleans_what_a_crashed_one_left(dokku, app_name, make_repo, git_push):
    app = app_name()
    git_push(make_repo(web_app("v1")), app)
    staging = f"{app}.web.1.v99"
    docker(
        "run", "-d", "--name", staging,
        "--label", "dokku=", "--label", f"com.dokku.app-name={app}",
        "--label", "com.dokku.container-type=deploy",
        "pydokku/base:bookworm", "sleep", "600",
    )  # fmt: skip
    as_dokku_sql(
        "INSERT INTO releases (app, version, created_at, kind, status, image) "
        "VALUES (?, 99, 0, 'deploy', 'pending', 'dokku/x:1')",
        (app,),
    )
    dokku("ps:restart", app)
    names = docker("ps", "-a", "--filter", f"name={staging}", "--format", "{{.Names}}").split()
    assert staging not in names
    statuses = dokku("releases:list", app, "--format", "json").stdout
    assert '"pending"' not in statuses
    assert http_get(host(app))[0] == 200


def test_a_pushed_link_out_of_the_tree_is_refused(dokku, app_name, make_repo, git_push):
    app = app_name()
    dokku("apps:create", app)
    # A checkout (keep-git-dir) writes the links as pushed: the safe reader must refuse.
    dokku("git:set", app, "keep-git-dir", "true")
    repo = make_repo(web_app("v1"))
    (repo / "s").symlink_to(".")
    (repo / "Procfile").symlink_to("s/s/../../../../../../../../etc/os-release")
    subprocess.run(["git", "-C", str(repo), "add", "-A"], check=True)
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"],
        check=True,
    )
    push = git_push(repo, app, expect_ok=False)
    assert "Procfile" in push.stderr
    assert "leads outside the app's source" in push.stderr
    assert "PRETTY_NAME" not in push.stderr + push.stdout
    assert "-----> Building" not in push.stderr
