"""BuildKit builds by git push: RUN --mount, COPY --chmod/--chown, --target, .dockerignore,
build args from config, secrets, the `# syntax=` fallback, newer syntax and the network."""

from __future__ import annotations

import hashlib
import io
import os
import pwd
import shutil
import socket
import subprocess
import tarfile
import threading
from pathlib import Path

from tests.integration.apps import APP_PY, host
from tests.integration.conftest import commit, http_get

BASE = "pydokku/stack-python:bookworm"  # python3 on the offline base: no apt-get per build
SECRETS_ROOT = Path("/var/lib/dokku/data/build-secrets")


def docker(*args: str) -> str:
    return subprocess.run(
        ["docker", *args], capture_output=True, text=True, check=True, timeout=120
    ).stdout


def in_image(app: str, script: str) -> str:
    return docker("run", "--rm", f"dokku/{app}:latest", "sh", "-c", script).strip()


def features_dockerfile(app: str) -> str:
    return f"""\
FROM {BASE} AS base
ARG GREETING
COPY bump.txt /bump.txt
RUN --mount=type=cache,id=pydokku-test-{app},target=/cache \\
    echo run >> /cache/count && wc -l < /cache/count > /cache-count
RUN --mount=type=tmpfs,target=/scratch touch /scratch/x && test -f /scratch/x
RUN --mount=type=bind,source=bound.txt,target=/mnt/bound.txt cp /mnt/bound.txt /bound-copy
COPY --chmod=750 --chown=1000:1000 tool.sh /opt/tool.sh
RUN echo "greeting at build: $GREETING" > /build-greeting
COPY . /app
WORKDIR /app
CMD ["python3", "/app/app.py"]

FROM base AS broken
RUN echo this stage is not the target && exit 1
"""


def test_buildkit_features_deploy_by_push(dokku, app_name, make_repo, git_push) -> None:
    app = app_name()
    dokku("apps:create", app)
    dokku("config:set", "--no-restart", app, "GREETING=hello from config")
    dokku("docker-options:add", app, "build", "--target base")
    files = {
        "Dockerfile": features_dockerfile(app),
        "app.py": APP_PY.format(version="bk1"),
        "bump.txt": "1\n",
        "bound.txt": "bound content\n",
        "tool.sh": "#!/bin/sh\necho tool\n",
        "ignored.txt": "must not reach the image\n",
        ".dockerignore": "ignored.txt\n",
    }
    repo = make_repo(files)
    push = git_push(repo, app)
    # Plain BuildKit progress, streamed: step headers and a RUN step's own output.
    assert "] RUN --mount=type=cache,id=pydokku-test-" in push.stderr
    assert "this stage is not the target" not in push.stderr
    status, text = http_get(host(app))
    assert (status, text.split()[0]) == (200, "bk1")
    assert in_image(app, "stat -c '%a %u:%g' /opt/tool.sh") == "750 1000:1000"
    assert in_image(app, "cat /bound-copy /build-greeting") == (
        "bound content\ngreeting at build: hello from config"
    )
    assert in_image(app, "ls /app") == "Dockerfile\napp.py\nbound.txt\nbump.txt\ntool.sh"
    assert in_image(app, "cat /cache-count") == "1"

    # The cache mount outlives the build: the next build of the step sees the first's file.
    commit(repo, {"bump.txt": "2\n"})
    git_push(repo, app)
    assert in_image(app, "cat /cache-count") == "2"


def test_a_failing_run_step_rejects_the_push_with_its_output(
    dokku, app_name, make_repo, git_push
) -> None:
    app = app_name()
    dockerfile = f"FROM {BASE}\nRUN echo step-output-before-failure && exit 7\n"
    push = git_push(make_repo({"Dockerfile": dockerfile}), app, expect_ok=False)
    assert "pre-receive hook declined" in push.stderr
    assert "step-output-before-failure" in push.stderr
    assert "exit code: 7" in push.stderr
    assert "Traceback" not in push.stderr


def test_a_build_secret_is_readable_in_its_step_only(dokku, app_name, make_repo, git_push) -> None:
    app = app_name()
    value = f"s3cret-{app}-token"
    secret = SECRETS_ROOT / app / "token"
    secret.parent.mkdir(parents=True, exist_ok=True)
    secret.write_text(value)
    owner = pwd.getpwnam("dokku")
    for path in (SECRETS_ROOT, secret.parent, secret):
        os.chown(path, owner.pw_uid, owner.pw_gid)
    secret.chmod(0o600)
    try:
        dokku("apps:create", app)
        refused = dokku(
            "docker-options:add", app, "build", "--secret id=t,src=/etc/shadow", check=False
        )
        assert refused.returncode != 0
        assert "expected a path under /var/lib/dokku/data/build-secrets/" in refused.stderr
        dokku("docker-options:add", app, "build", f"--secret id=token,src={secret}")
        dockerfile = (
            f"FROM {BASE}\n"
            # the app's name in each step: no layer cached from an earlier run answers for it
            f"RUN --mount=type=secret,id=token echo {app} && sha256sum /run/secrets/token\n"
            f"RUN test ! -e /run/secrets/token && echo {app} secret-gone-after-its-step\n"
            f'COPY app.py /app/app.py\nCMD ["python3", "/app/app.py"]\n'
        )
        files = {"Dockerfile": dockerfile, "app.py": APP_PY.format(version="s")}
        push = git_push(make_repo(files), app)
        digest = hashlib.sha256(value.encode()).hexdigest()
        assert f"{digest}  /run/secrets/token" in push.stderr  # read in its step
        assert "secret-gone-after-its-step" in push.stderr
        assert value not in push.stderr
        history = docker("history", "--no-trunc", f"dokku/{app}:latest")
        assert "sha256sum /run/secrets/token" in history
        assert value not in history
        assert not _layers_contain(f"dokku/{app}:latest", value.encode())
    finally:
        shutil.rmtree(secret.parent)


def _layers_contain(image: str, needle: bytes) -> bool:
    """Tell whether any file of any layer of the image holds `needle`."""
    saved = subprocess.run(["docker", "save", image], capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(saved)) as outer:
        for member in outer.getmembers():
            if not member.name.endswith("layer.tar"):
                continue
            data = outer.extractfile(member)
            assert data is not None
            with tarfile.open(fileobj=io.BytesIO(data.read())) as layer:
                for item in layer.getmembers():
                    handle = layer.extractfile(item) if item.isfile() else None
                    if handle is not None and needle in handle.read():
                        return True
    return False


def test_a_syntax_line_deploys_offline_with_a_warning(dokku, app_name, make_repo, git_push) -> None:
    app = app_name()
    dockerfile = (
        "# syntax=docker/dockerfile:1\n"
        f'FROM {BASE}\nCOPY app.py /app/app.py\nCMD ["python3", "/app/app.py"]\n'
    )
    push = git_push(
        make_repo({"Dockerfile": dockerfile, "app.py": APP_PY.format(version="syn")}), app
    )
    warnings = [
        line for line in push.stderr.splitlines() if "Cannot pull the Dockerfile frontend" in line
    ]
    assert len(warnings) == 1, push.stderr
    assert "docker/dockerfile:1" in warnings[0]
    assert "resolve image config for docker.io/docker/dockerfile" not in push.stderr
    status, text = http_get(host(app))
    assert (status, text.split()[0]) == (200, "syn")


def test_newer_syntax_is_named_in_the_error(dokku, app_name, make_repo, git_push) -> None:
    app = app_name()
    dockerfile = f"FROM {BASE}\nRUN <<EOF\necho hi\nEOF\n"
    push = git_push(make_repo({"Dockerfile": dockerfile}), app, expect_ok=False)
    assert "cannot parse the heredoc in line 2 (RUN <<EOF)" in push.stderr
    assert "Docker 23+" in push.stderr


def test_builds_cannot_reach_host_loopback_unless_set_to_host(
    dokku, app_name, make_repo, git_push
) -> None:
    app = app_name()
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    port = listener.getsockname()[1]
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
                conn.close()
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    probe = (
        "import socket\n"
        "try:\n"
        f"    socket.create_connection(('127.0.0.1', {port}), timeout=3).close()\n"
        "    print('host loopback REACHED')\n"
        "except OSError as exc:\n"
        "    print('host loopback BLOCKED', exc)\n"
    )
    dockerfile = (
        f'FROM {BASE}\nCOPY . /app\nRUN python3 /app/probe.py\nCMD ["python3", "/app/app.py"]\n'
    )
    files = {"Dockerfile": dockerfile, "probe.py": probe, "app.py": APP_PY.format(version="n")}
    try:
        repo = make_repo(files)
        push = git_push(repo, app)
        assert "host loopback BLOCKED" in push.stderr
        dokku("builder:set", app, "build-network", "host")
        commit(repo, {"app.py": APP_PY.format(version="n2")})
        push = git_push(repo, app)
        assert "host loopback REACHED" in push.stderr
    finally:
        stop.set()
        thread.join()
        listener.close()
