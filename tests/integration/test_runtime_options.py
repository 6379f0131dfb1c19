"""resource limits and docker-options on real containers: each lands where it is meant to."""

from __future__ import annotations

import json
import subprocess

from tests.integration.apps import WORKER_PY, web_app
from tests.report_json import short_keys

MIB = 1024 * 1024
DOCKERFILE = """\
FROM pydokku/base:bookworm
RUN apt-get update \\
 && apt-get install -y --no-install-recommends python3 \\
 && rm -rf /var/lib/apt/lists/*
ARG X
RUN echo "built-$X" > /built
COPY . /app
WORKDIR /app
CMD ["python3", "/app/app.py"]
"""
EAT_PY = 'data = "x" * (300 * 1024 * 1024)\nprint("survived", len(data))\n'


def inspect(name: str) -> dict[str, object]:
    out = subprocess.run(
        ["docker", "inspect", name], capture_output=True, text=True, check=True
    ).stdout
    found: dict[str, object] = json.loads(out)[0]
    return found


def host_config(name: str) -> dict[str, int]:
    config: dict[str, int] = inspect(name)["HostConfig"]  # type: ignore[assignment]
    return config


def labels_and_env(name: str) -> tuple[dict[str, str], list[str]]:
    config: dict[str, object] = inspect(name)["Config"]  # type: ignore[assignment]
    return config["Labels"], config["Env"]  # type: ignore[return-value]


def test_limits_and_options_land_where_they_belong(dokku, app_name, make_repo, git_push):
    app = app_name()
    dokku("apps:create", app)
    dokku("docker-options:add", app, "deploy", "--label a=b")
    dokku("docker-options:add", app, "build", "--build-arg X=1")
    dokku("docker-options:add", app, "run", "--env Y=2")
    before = dokku("docker-options:report", app, "--format", "json").stdout
    refused = dokku("docker-options:add", app, "deploy", "--no-such-flag 1", check=False)
    assert refused.returncode == 1
    assert "Unsupported docker option --no-such-flag" in refused.stderr
    assert dokku("docker-options:report", app, "--format", "json").stdout == before

    files = web_app("v1", Procfile="web: python3 app.py\nworker: python3 worker.py\n")
    files.update({"Dockerfile": DOCKERFILE, "worker.py": WORKER_PY, "eat.py": EAT_PY})
    git_push(make_repo(files), app)
    web = f"{app}.web.1"
    assert labels_and_env(web)[0].get("a") == "b"
    assert "Y=2" not in labels_and_env(web)[1]
    assert host_config(web)["Memory"] == 0

    too_many = dokku("resource:limit", "--cpu", "64", app, check=False)
    assert too_many.returncode == 1
    assert "this host has" in too_many.stderr
    dokku("resource:limit", "--memory", "64", "--cpu", "0.5", app)
    dokku("resource:limit", "--process-type", "worker", "--memory", "128m", "--cpu", "1", app)
    dokku("ps:scale", app, "worker=1")
    dokku("ps:restart", app)

    assert (host_config(web)["Memory"], host_config(web)["NanoCpus"]) == (64 * MIB, 500_000_000)
    worker = host_config(f"{app}.worker.1")
    assert (worker["Memory"], worker["NanoCpus"]) == (128 * MIB, 1_000_000_000)
    assert labels_and_env(f"{app}.worker.1")[0].get("a") == "b"

    one_off = dokku("run", app, "sh", "-c", "echo $Y; cat /built").stdout.split()
    assert one_off[-2:] == ["2", "built-1"]
    detached = dokku("run:detached", app, "sleep", "30").stdout.strip().splitlines()[-1]
    labels, env = labels_and_env(detached)
    assert "Y=2" in env
    assert "a" not in labels
    assert host_config(detached)["Memory"] == 64 * MIB
    dokku("run:stop", "--container", detached)

    eaten = dokku("run", app, "python3", "eat.py", check=False)
    assert eaten.returncode == 137, eaten.stdout + eaten.stderr
    assert "out of memory (limit 64 MB)" in eaten.stderr
    events = dokku("events:list", "-n", "50").stdout
    assert "out of memory" in events


def test_bad_input_changes_nothing(dokku, app_name):
    app = app_name()
    dokku("apps:create", app)
    dokku("resource:limit", "--memory", "64", app)
    before = dokku("resource:report", app, "--format", "json").stdout
    for args in (
        ("resource:limit", "--memory", "3", app),
        ("resource:limit", "--memory", "100000g", app),
        ("resource:limit", "--memory-swap", "32", app),
        ("resource:limit", "--process-type", "worker", "--memory", "16", "--memory-swap", "8", app),
        ("resource:limit", "--nvidia-gpu", "1", app),
    ):
        result = dokku(*args, check=False)
        assert result.returncode == 1, args
        assert result.stderr.startswith(" !     "), args
        assert len(result.stderr.splitlines()) == 1, result.stderr
    assert dokku("resource:report", app, "--format", "json").stdout == before
    assert short_keys(json.loads(before), "resource") == {"_default_.limit.memory": "64"}


def container_id(name: str) -> str:
    return str(inspect(name)["Id"])


def test_process_settings(dokku, app_name, make_repo, git_push):
    app = app_name()
    files = web_app("v1", Procfile="web: python3 app.py\nworker: python3 worker.py\n")
    git_push(make_repo({**files, "worker.py": WORKER_PY}), app)
    dokku("ps:scale", app, "worker=1")
    web, worker = container_id(f"{app}.web.1"), container_id(f"{app}.worker.1")
    dokku("ps:restart", app, "worker")
    assert container_id(f"{app}.web.1") == web
    assert container_id(f"{app}.worker.1") != worker

    dokku("ps:scale", app, "worker=0")  # as in Dokku, the override applies to every process
    dokku("ps:set", app, "dockerfile-start-cmd", "python3 /app/app.py --flag")
    dokku("ps:set", app, "skip-deploy", "true")
    skipped = dokku("config:set", app, "GREETING=later")
    assert "Skipping deployment" in skipped.stdout
    env = labels_and_env(f"{app}.web.1")[1]
    assert "GREETING=later" not in env
    dokku("ps:restart", app)
    config: dict[str, object] = inspect(f"{app}.web.1")["Config"]  # type: ignore[assignment]
    assert config["Cmd"] == ["python3", "/app/app.py", "--flag"]
    assert "GREETING=later" in labels_and_env(f"{app}.web.1")[1]
