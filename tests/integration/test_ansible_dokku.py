"""The ansible-dokku modules (vendored, unchanged) drive pydokku as they drive Dokku.

Every module whose Dokku commands pydokku has runs in one playbook, twice: the first run
changes the host, the second must report no change (what Ansible users rely on).
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.conftest import run_dokku

VENDOR = Path(__file__).resolve().parents[1] / "vendor" / "ansible_dokku"
PLAYBOOK = """\
- hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - dokku_app: {{app: "{app}"}}
    - dokku_config: {{app: "{app}", restart: false, config: {{GREETING: hello, MODE: test}}}}
    - dokku_domains: {{app: "{app}", domains: ["{app}.example.com"], state: present}}
    - dokku_ports: {{app: "{app}", mappings: ["http:80:5000", "http:8080:5000"], state: present}}
    - dokku_ps_scale: {{app: "{app}", skip_deploy: true, scale: {{web: 2}}}}
    - dokku_checks: {{app: "{app}", state: absent}}
    - dokku_builder: {{app: "{app}", property: build-dir, value: src}}
    - dokku_docker_options: {{app: "{app}", phase: deploy, option: "--label team=ops"}}
    - dokku_resource_limit: {{app: "{app}", resources: {{memory: 256, cpu: 1}}}}
    - dokku_resource_reserve: {{app: "{app}", resources: {{memory: 64}}}}
    - dokku_network: {{name: "{network}"}}
    - dokku_network_property: {{app: "{app}", property: attach-post-deploy, value: "{network}"}}
    - dokku_storage: {{app: "{app}", mounts: ["{storage}:/data"], create_host_dir: true}}
    - dokku_proxy: {{app: "{app}", state: present}}
    - dokku_service_create: {{service: redis, name: "{redis}"}}
    - dokku_service_link: {{service: redis, name: "{redis}", app: "{app}"}}
"""


# These modules run their `:set` command every time and always report a change (their own
# code: no read of the current value first), on Dokku as on pydokku.
ALWAYS_CHANGED = {"dokku_builder", "dokku_network_property"}


def changed_tasks(output: str) -> set[str]:
    """Return the names of the tasks a playbook run reported as changed."""
    changed, task = set(), ""
    for line in output.splitlines():
        if line.startswith("TASK ["):
            task = line[6 : line.index("]")]
        elif line.startswith("changed:"):
            changed.add(task)
    return changed


@pytest.fixture
def names(app_name):
    """An app, a network, a Redis service and a storage dir, all removed after."""
    app, token = app_name(), secrets.token_hex(4)
    made = {
        "app": app,
        "network": f"t-net-{token}",
        "redis": f"t-{token}",
        "storage": f"/var/lib/dokku/data/storage/{app}",
    }
    yield made
    run_dokku("redis:unlink", made["redis"], app, "-n", check=False)
    run_dokku("--force", "redis:destroy", made["redis"], check=False)
    run_dokku("--force", "apps:destroy", app, check=False)
    run_dokku("--force", "network:destroy", made["network"], check=False)
    shutil.rmtree(made["storage"], ignore_errors=True)


def test_the_modules_converge_and_stay_converged(names: dict[str, str], tmp_path: Path) -> None:
    playbook = tmp_path / "site.yml"
    playbook.write_text(PLAYBOOK.format(**names))
    runner = str(Path(sys.executable).parent / "ansible-playbook")  # from the dev extras
    env = {
        **os.environ,
        "ANSIBLE_LIBRARY": str(VENDOR / "library"),
        "ANSIBLE_MODULE_UTILS": str(VENDOR / "module_utils"),
        "ANSIBLE_LOCAL_TEMP": str(tmp_path / "ansible-tmp"),
        "ANSIBLE_NOCOLOR": "1",
        "PATH": f"/usr/local/bin:{os.environ['PATH']}",
    }

    interpreter = f"ansible_python_interpreter={sys.executable}"

    def play() -> tuple[set[str], str]:
        proc = subprocess.run(
            [runner, "-i", "localhost,", "-e", interpreter, str(playbook)],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
        return changed_tasks(proc.stdout), proc.stdout

    first, _ = play()
    assert len(first) >= 14, first  # all but what a new app already has (proxy on)
    second, text = play()
    assert second <= ALWAYS_CHANGED, text  # the rest found everything in place

    app = names["app"]
    assert run_dokku("config:get", app, "GREETING").stdout == "hello\n"
    vhosts = run_dokku("domains:report", app, "--domains-app-vhosts").stdout.split()
    assert f"{app}.example.com" in vhosts
    assert "http:8080:5000" in run_dokku("ports:report", app, "--ports-map").stdout
    assert run_dokku("--quiet", "ps:scale", app).stdout.split() == ["web:", "2"]
    assert f"{names['storage']}:/data" in run_dokku("storage:list", app).stdout
    assert run_dokku("redis:linked", names["redis"], app, check=False).returncode == 0
