"""The auto builder's detection: languages, lockfiles, versions and default web processes."""

from __future__ import annotations

from pathlib import Path

import pytest

from pydokku.errors import DokkuError
from pydokku.plugins.builder_auto import detect, golang, node, python
from pydokku.plugins.builder_auto.plan import OFFLINE, REGISTRY, Base

OFF = Base(OFFLINE)
REG = Base(REGISTRY)
PYPROJECT = '[project]\nname = "x"\nversion = "1"\ndependencies = ["flask>=3", "gunicorn"]\n'
POETRY = '[tool.poetry]\nname = "x"\n[tool.poetry.dependencies]\npython = "^3.11"\n'
YARN1 = '# yarn lockfile v1\n\nms@2.1.3:\n  version "2.1.3"\n'
BERRY = '__metadata:\n  version: 8\n\n"ms@npm:2.1.3":\n  version: 2.1.3\n'
PNPM = "lockfileVersion: '9.0'\n"
MAIN_GO = "package main\n\nfunc main() {}\n"


def tree(root: Path, files: dict[str, str]) -> Path:
    """Write `files` (relative path -> text) under root and return it."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


DETECTION = [
    ({"requirements.txt": "flask\n"}, "python", "requirements.txt, pip"),
    ({"pyproject.toml": PYPROJECT, "uv.lock": ""}, "python", "pyproject.toml, uv.lock, uv"),
    (
        {"pyproject.toml": POETRY, "poetry.lock": ""},
        "python",
        "pyproject.toml, poetry.lock, poetry",
    ),
    ({"pyproject.toml": POETRY}, "python", "pyproject.toml, poetry"),
    ({"pyproject.toml": PYPROJECT}, "python", "pyproject.toml, pip"),
    ({"setup.py": "", "requirements.txt": "-e .\n"}, "python", "requirements.txt, pip"),
    ({"setup.py": ""}, "python", "setup.py, pip"),
    (
        {"package.json": "{}", "package-lock.json": "{}"},
        "node",
        "package.json, package-lock.json, npm",
    ),
    (
        {"package.json": "{}", "npm-shrinkwrap.json": "{}"},
        "node",
        "package.json, npm-shrinkwrap.json, npm",
    ),
    ({"package.json": "{}"}, "node", "package.json, npm"),
    ({"package.json": "{}", "yarn.lock": YARN1}, "node", "package.json, yarn.lock, yarn"),
    ({"package.json": "{}", "yarn.lock": BERRY}, "node", "package.json, yarn.lock, yarn berry"),
    ({"package.json": "{}", "pnpm-lock.yaml": PNPM}, "node", "package.json, pnpm-lock.yaml, pnpm"),
    ({"go.mod": "module x\n\ngo 1.22\n", "main.go": MAIN_GO}, "go", "go.mod, no dependencies"),
    (
        {"go.mod": "module x\ngo 1.22\nrequire a.b/c v1.0.0\n", "go.sum": ""},
        "go",
        "go.mod, modules",
    ),
    (
        {"go.mod": "module x\nrequire a.b/c v1.0.0\n", "vendor/modules.txt": ""},
        "go",
        "go.mod, vendored",
    ),
    ({"Gemfile": "source 'https://rubygems.org'\n"}, "ruby", "Gemfile, bundler"),
    ({"Gemfile": "", "Gemfile.lock": ""}, "ruby", "Gemfile, Gemfile.lock, bundler"),
    ({"index.html": "<h1>hi</h1>"}, "static", "index.html"),
    ({".static": "", "www/index.html": ""}, "static", ".static"),
    # Order: an explicit .static marker first, then the languages, index.html last.
    ({".static": "", "package.json": "{}"}, "static", ".static"),
    ({"requirements.txt": "", "package.json": "{}"}, "python", "requirements.txt, pip"),
    ({"package.json": "{}", "index.html": ""}, "node", "package.json, npm"),
]


@pytest.mark.parametrize(("files", "language", "detail"), DETECTION)
def test_detection_table(tmp_path: Path, files: dict[str, str], language: str, detail: str) -> None:
    source = tree(tmp_path, files)
    assert detect.language(source) == language
    plan = detect.make_plan(source, OFF)
    assert (plan.language, plan.detail) == (language, detail)


def test_nothing_detected_lists_what_was_looked_for(tmp_path: Path) -> None:
    source = tree(tmp_path, {"README.md": "hi", "src/main.rs": ""})
    assert detect.language(source) is None
    with pytest.raises(DokkuError) as caught:
        detect.make_plan(source, OFF)
    for name in ("requirements.txt", "pyproject.toml", "package.json", "go.mod", "Gemfile"):
        assert name in caught.value.message
    assert "index.html" in caught.value.message
    assert ".static" in caught.value.message


def test_a_marker_that_is_a_directory_or_an_outside_link_does_not_count(tmp_path: Path) -> None:
    outside = tree(tmp_path / "outside", {"package.json": "{}"})
    source = tmp_path / "src"
    (source / "requirements.txt").mkdir(parents=True)
    (source / "package.json").symlink_to(outside / "package.json")
    assert detect.language(source) is None


@pytest.mark.parametrize(
    ("files", "base", "image", "version", "warned"),
    [
        ({}, REG, "python:3.12-slim", "3.12", False),
        ({"runtime.txt": "python-3.11.4\n"}, REG, "python:3.11.4-slim", "3.11.4", False),
        ({".python-version": "# pinned\n3.10\n"}, REG, "python:3.10-slim", "3.10", False),
        ({}, OFF, "pydokku/stack-python:bookworm", "3.11", False),
        ({"runtime.txt": "python-3.11.9"}, OFF, "pydokku/stack-python:bookworm", "3.11", False),
        ({"runtime.txt": "python-3.12.1"}, OFF, "pydokku/stack-python:bookworm", "3.11", True),
    ],
)
def test_python_versions(
    tmp_path: Path, files: dict[str, str], base: Base, image: str, version: str, warned: bool
) -> None:
    plan = python.plan(tree(tmp_path, {"requirements.txt": "", **files}), base)
    assert (plan.base_image, plan.version) == (image, version)
    assert bool(plan.warnings) is warned
    if warned:
        assert "runtime.txt asks for Python 3.12.1" in plan.warnings[0]
        assert "offline stack has Python 3.11" in plan.warnings[0]


def test_requirements_includes_are_copied_before_the_install(tmp_path: Path) -> None:
    source = tree(
        tmp_path,
        {
            "requirements.txt": "-r requirements/base.txt  # shared\n--constraint=c.txt\nflask\n",
            "requirements/base.txt": "-r extra.txt\nrequests\n",
            "requirements/extra.txt": "idna\n",
            "c.txt": "idna<4\n",
        },
    )
    plan = python.plan(source, OFF)
    assert plan.manifests == [
        "requirements.txt",
        "requirements/base.txt",
        "requirements/extra.txt",
        "c.txt",
    ]
    assert plan.install == ["pip install -r requirements.txt"]
    assert plan.build == []


@pytest.mark.parametrize(
    "line", ["-e .", "--editable=./lib", "./pkg", "/abs/pkg", "x @ file:///tmp/x", "mylib[extra]"]
)
def test_local_requirements_install_after_the_source(tmp_path: Path, line: str) -> None:
    source = tree(tmp_path, {"requirements.txt": f"flask\n{line}\n", "mylib/setup.py": ""})
    plan = python.plan(source, OFF)
    assert (plan.manifests, plan.install) == ([], [])
    assert plan.build == ["pip install -r requirements.txt"]
    assert "every build reinstalls them" in plan.warnings[0]


def test_pyproject_dependencies_are_installed_from_the_dockerfile(tmp_path: Path) -> None:
    deps = (
        '[project]\nname = "x"\ndependencies = ["flask>=3", "tomli; python_version < \'3.11\'"]\n'
    )
    plan = python.plan(tree(tmp_path, {"pyproject.toml": deps}), OFF)
    assert plan.manifests == []
    assert plan.install == ["pip install 'flask>=3' 'tomli; python_version < '\"'\"'3.11'\"'\"''"]
    dynamic = '[project]\nname = "x"\ndynamic = ["dependencies"]\n'
    plan = python.plan(tree(tmp_path, {"pyproject.toml": dynamic}), OFF)
    assert (plan.install, plan.build) == ([], ["pip install ."])


def test_uv_installs_the_project_only_when_it_is_a_package(tmp_path: Path) -> None:
    plan = python.plan(tree(tmp_path, {"pyproject.toml": PYPROJECT, "uv.lock": ""}), OFF)
    assert plan.manifests == ["pyproject.toml", "uv.lock"]
    assert plan.install == ["/opt/uv/bin/uv sync --frozen --no-dev --no-install-project"]
    assert plan.build == []
    assert plan.tool_env["UV_PROJECT_ENVIRONMENT"] == "/opt/venv"
    packaged = PYPROJECT + '[build-system]\nrequires = ["hatchling"]\n'
    plan = python.plan(tree(tmp_path, {"pyproject.toml": packaged}), OFF)
    assert plan.build == ["/opt/uv/bin/uv sync --frozen --no-dev"]


def test_poetry_installs_main_dependencies_without_the_root(tmp_path: Path) -> None:
    plan = python.plan(tree(tmp_path, {"pyproject.toml": POETRY, "poetry.lock": ""}), OFF)
    assert plan.manifests == ["pyproject.toml", "poetry.lock"]
    assert plan.install == ["/opt/poetry/bin/poetry install --only main --no-root --no-ansi"]
    assert plan.tool_env["POETRY_VIRTUALENVS_CREATE"] == "false"


@pytest.mark.parametrize(
    ("files", "web"),
    [
        ({"app.py": "print()"}, "python app.py"),
        (
            {"main.py": "app = FastAPI()", "requirements.txt": "uvicorn\n"},
            "uvicorn main:app --host 0.0.0.0 --port $PORT",
        ),
        (
            {"app.py": "app = Flask(__name__)", "requirements.txt": "gunicorn\n"},
            "gunicorn app:app --bind 0.0.0.0:$PORT",
        ),
        (
            {"manage.py": "", "site/wsgi.py": "", "requirements.txt": "django\ngunicorn\n"},
            "gunicorn site.wsgi --bind 0.0.0.0:$PORT",
        ),
        (
            {"manage.py": "", "requirements.txt": "django\n"},
            "python manage.py runserver 0.0.0.0:$PORT",
        ),
        ({"lib.py": ""}, ""),
    ],
)
def test_python_default_web(tmp_path: Path, files: dict[str, str], web: str) -> None:
    source = tree(tmp_path, {"requirements.txt": "", **files})
    assert python.default_web(source) == web


def test_node_lockfiles_commands_and_build_script(tmp_path: Path) -> None:
    pkg = (
        '{"scripts": {"build": "tsc", "start": "node dist/x.js"}, "packageManager": "pnpm@8.15.1"}'
    )
    plan = node.plan(
        tree(tmp_path, {"package.json": pkg, "pnpm-lock.yaml": PNPM, ".npmrc": ""}), OFF
    )
    assert plan.setup == ["npm install -g pnpm@8.15.1"]
    assert plan.manifests == ["package.json", "pnpm-lock.yaml", ".npmrc"]
    assert plan.install == ["NODE_ENV=development pnpm install --frozen-lockfile"]
    assert (plan.build, plan.web) == (["pnpm run build"], "npm start")


def test_node_npm_without_build_installs_production_only(tmp_path: Path) -> None:
    source = tree(tmp_path, {"package.json": "{}", "package-lock.json": "{}", "server.js": ""})
    plan = node.plan(source, OFF)
    assert (plan.setup, plan.install, plan.build) == ([], ["npm ci"], [])
    assert plan.web == "node server.js"
    assert plan.env == {"NODE_ENV": "production"}


def test_node_several_lockfiles_warn_and_package_manager_breaks_the_tie(tmp_path: Path) -> None:
    files = {"yarn.lock": YARN1, "package-lock.json": "{}"}
    plan = node.plan(
        tree(tmp_path, {"package.json": '{"packageManager": "npm@10.1.0"}', **files}), OFF
    )
    assert plan.install == ["npm ci"]
    assert "several lockfiles" in plan.warnings[0]


def test_node_yarn_versions(tmp_path: Path) -> None:
    plan = node.plan(tree(tmp_path, {"package.json": "{}", "yarn.lock": YARN1}), OFF)
    assert plan.setup == ["npm install -g --force yarn@1"]
    assert plan.install == ["yarn install --frozen-lockfile"]
    berry = {"yarn.lock": BERRY, ".yarnrc.yml": "", ".yarn/releases/yarn-4.1.0.cjs": ""}
    plan = node.plan(tree(tmp_path / "b", {"package.json": "{}", **berry}), OFF)
    assert plan.setup == ["npm install -g --force @yarnpkg/cli-dist@4"]
    assert plan.manifests == [
        "package.json",
        "yarn.lock",
        ".yarnrc.yml",
        ".yarn/releases/yarn-4.1.0.cjs",
    ]
    assert plan.install == ["yarn install --immutable"]


@pytest.mark.parametrize(
    ("engines", "base", "image", "warned"),
    [
        ("", REG, "node:22-slim", False),
        ("20.x", REG, "node:20-slim", False),
        ("^18.17", REG, "node:18-slim", False),
        (">=16", REG, "node:22-slim", False),
        ("18.x", OFF, "pydokku/stack-node:bookworm", False),
        (">=16", OFF, "pydokku/stack-node:bookworm", False),
        ("20.x", OFF, "pydokku/stack-node:bookworm", True),
        (">=20", OFF, "pydokku/stack-node:bookworm", True),
    ],
)
def test_node_versions(tmp_path: Path, engines: str, base: Base, image: str, warned: bool) -> None:
    pkg = f'{{"engines": {{"node": "{engines}"}}}}' if engines else "{}"
    plan = node.plan(tree(tmp_path, {"package.json": pkg, "package-lock.json": "{}"}), base)
    assert plan.base_image == image
    assert any("engines.node" in w for w in plan.warnings) is warned


@pytest.mark.parametrize(
    ("module", "name"), [("example.com/hello", "hello"), ("x.org/app/v2", "app"), ("tool", "tool")]
)
def test_go_binary_names(module: str, name: str) -> None:
    assert golang.binary_name(module) == name


def test_go_default_web_root_main_or_single_command(tmp_path: Path) -> None:
    root = tree(tmp_path / "a", {"go.mod": "module example.com/api\n", "main.go": MAIN_GO})
    assert golang.plan(root, OFF).web == "/app/bin/api"
    cmd = tree(
        tmp_path / "b", {"go.mod": "module m\n", "lib.go": "package lib\n", "cmd/srv/m.go": MAIN_GO}
    )
    assert golang.plan(cmd, OFF).web == "/app/bin/srv"
    two = tree(
        tmp_path / "c", {"go.mod": "module m\n", "cmd/a/m.go": MAIN_GO, "cmd/b/m.go": MAIN_GO}
    )
    assert golang.plan(two, OFF).web == ""


def test_go_versions_and_runtime_stage(tmp_path: Path) -> None:
    source = tree(tmp_path, {"go.mod": "module m\n\ngo 1.22.3\n", "main.go": MAIN_GO})
    registry = golang.plan(source, REG)
    assert (registry.base_image, registry.runtime_image) == (
        "golang:1.22-bookworm",
        "debian:bookworm-slim",
    )
    offline = golang.plan(source, OFF)
    assert (offline.base_image, offline.runtime_image) == (
        "pydokku/stack-go:bookworm",
        "pydokku/base:bookworm",
    )
    assert offline.warnings == []
    newer = golang.plan(tree(tmp_path / "n", {"go.mod": "module m\ngo 1.25\n"}), OFF)
    assert "asks for Go 1.25" in newer.warnings[0]


def test_ruby_versions_and_web(tmp_path: Path) -> None:
    from pydokku.plugins.builder_auto import ruby

    files = {"Gemfile": 'ruby "3.2.2"\ngem "puma"\n', "Gemfile.lock": "", "config.ru": ""}
    source = tree(tmp_path, files)
    registry = ruby.plan(source, REG)
    assert registry.base_image == "ruby:3.2.2-slim"
    assert registry.setup
    assert "build-essential" in registry.setup[0]
    assert registry.web == "bundle exec puma -b tcp://0.0.0.0:$PORT"
    offline = ruby.plan(source, OFF)
    assert (offline.base_image, offline.setup) == ("pydokku/stack-ruby:bookworm", [])
    assert "Gemfile asks for Ruby 3.2.2" in offline.warnings[0]
    assert offline.env["BUNDLE_DEPLOYMENT"] == "1"


def test_static_web_root(tmp_path: Path) -> None:
    from pydokku.plugins.builder_auto import static

    plain = static.plan(tree(tmp_path / "a", {"index.html": ""}), OFF)
    assert plain.web == 'busybox httpd -f -v -p "$PORT" -h /app'
    www = static.plan(tree(tmp_path / "b", {".static": "", "www/index.html": ""}), REG)
    assert (www.base_image, www.web) == (
        "busybox:stable",
        'busybox httpd -f -v -p "$PORT" -h /app/www',
    )
