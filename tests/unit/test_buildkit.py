"""The BuildKit build adapter's pure parts and the build-phase flags it renders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pydokku import dockerargs
from pydokku.dockerargs import render, translate
from pydokku.engine import build
from pydokku.errors import DokkuError

SYNTAX = "# syntax=docker/dockerfile:1.7\n# escape=\\\nFROM base\nRUN true\n"


def test_frontend_image_is_read_from_the_leading_directives() -> None:
    assert build.frontend_image(SYNTAX) == "docker/dockerfile:1.7"
    assert build.frontend_image("#syntax = example.org/front:2\nFROM x\n") == "example.org/front:2"


@pytest.mark.parametrize(
    "text",
    [
        "FROM base\n# syntax=docker/dockerfile:1\n",  # after an instruction: a comment
        "# a comment\n# syntax=docker/dockerfile:1\nFROM base\n",
        "",
    ],
)
def test_a_syntax_line_after_other_lines_is_no_directive(text: str) -> None:
    assert build.frontend_image(text) == ""


def test_strip_syntax_keeps_line_numbers_and_other_directives() -> None:
    stripped = build.strip_syntax(SYNTAX)
    assert stripped.split("\n") == ["", "# escape=\\", "FROM base", "RUN true", ""]
    assert build.frontend_image(stripped) == ""


def test_an_unreachable_frontend_is_recognised() -> None:
    tail = [
        "#3 resolve image config for docker.io/docker/dockerfile:1.7",
        '#3 ERROR: failed to do request: Head "https://registry-1.docker.io/v2/...": no such host',
        "failed to solve with frontend dockerfile.v0: failed to solve with frontend gateway.v0",
    ]
    assert build.frontend_unavailable(tail, "docker/dockerfile:1.7")
    newer = ["ERROR: failed to solve: docker/dockerfile:1.7: failed to resolve source metadata"]
    assert build.frontend_unavailable(newer, "docker/dockerfile:1.7")
    failed_run = [
        "#5 [2/2] RUN exit 3",
        "executor failed running [/bin/sh -c exit 3]: exit code: 3",
    ]
    assert not build.frontend_unavailable(failed_run, "docker/dockerfile:1.7")


def test_the_fallback_warning_is_one_line_naming_the_frontend() -> None:
    warning = build.fallback_warning("docker/dockerfile:1")
    assert "\n" not in warning
    assert "docker/dockerfile:1" in warning
    assert "built-in frontend" in warning


HEREDOC = "FROM base\nRUN <<EOF\necho hi\nEOF\nCMD x\n"


def test_a_heredoc_parse_error_names_the_instruction() -> None:
    tail = [
        "failed to solve with frontend dockerfile.v0: failed to create LLB definition: "
        "dockerfile parse error line 3: unknown instruction: ECHO"
    ]
    message = build.failure_message(tail, HEREDOC)
    assert "cannot parse the heredoc in line 2 (RUN <<EOF)" in message
    assert "Docker 23+" in message


def test_copy_link_parse_error_names_the_flag() -> None:
    text = "FROM base\nCOPY --link a /b\n"
    tail = [
        "failed to solve with frontend dockerfile.v0: "
        "dockerfile parse error line 2: Unknown flag: link"
    ]
    message = build.failure_message(tail, text)
    assert "cannot parse COPY --link in line 2 (COPY --link a /b)" in message


def test_other_parse_errors_show_the_line() -> None:
    tail = ["dockerfile parse error line 2: unknown instruction: FRMO"]
    message = build.failure_message(tail, "FROM a\nFRMO b\n")
    assert "line 2 of the Dockerfile (FRMO b): unknown instruction: FRMO" in message


def test_a_failed_step_is_the_reason() -> None:
    tail = [
        "#5 [2/2] RUN echo boom && exit 7",
        "#5 0.2 boom",
        "#5 ERROR: executor failed running [/bin/sh -c echo boom && exit 7]: exit code: 7",
        "executor failed running [/bin/sh -c echo boom && exit 7]: exit code: 7",
    ]
    assert build.failure_message(tail, "") == (
        "Image build failed: executor failed running [/bin/sh -c echo boom && exit 7]: exit code: 7"
    )


def test_build_args_that_steer_the_cli_travel_on_its_command_line() -> None:
    words = ["--build-arg", "TOKEN", "--build-arg", "DOCKER_HOST", "--network", "default"]
    out, env = build._inline_cli_env(words, {"TOKEN": "t", "DOCKER_HOST": "tcp://x"})
    assert out == [
        "--build-arg",
        "TOKEN",
        "--build-arg",
        "DOCKER_HOST=tcp://x",
        "--network",
        "default",
    ]
    assert env == {"TOKEN": "t"}


def test_the_cli_choice_is_cached_per_binary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = tmp_path / "docker-old"
    old.write_text("#!/bin/sh\n[ \"$1\" = --version ] && echo 'Docker version 20.10.24, build x'\n")
    new = tmp_path / "docker-new"
    new.write_text("#!/bin/sh\necho 'Docker version 28.2.2, build y'\n[ \"$1\" = --version ]\n")
    for path in (old, new):
        path.chmod(0o755)
    monkeypatch.setenv("DOKKU_LIB_ROOT", str(tmp_path / "lib"))
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setattr(build, "CLI_CANDIDATES", (str(new), str(old)))
    assert build.cli() == [str(old)]  # 28.2 without buildx cannot; 20.10 has BuildKit built in
    old.chmod(0o644)  # the cache is keyed on the binary: a changed one is probed again
    os.utime(new, ns=(1, 1))
    with pytest.raises(DokkuError, match="No docker CLI that builds with BuildKit"):
        build.cli()


def test_translate_secret_and_network_build_flags(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOKKU_LIB_ROOT", "/var/lib/dokku")
    options = translate.translate(
        "build",
        ["--secret id=npm,src=/var/lib/dokku/data/build-secrets/app/npmrc", "--network host"],
    )
    assert options == {
        "secrets": ["id=npm,src=/var/lib/dokku/data/build-secrets/app/npmrc"],
        "network_mode": "host",
    }
    argv, _ = render.build_cli_args(options)
    assert argv == [
        "--secret",
        "id=npm,src=/var/lib/dokku/data/build-secrets/app/npmrc",
        "--network",
        "host",
    ]


@pytest.mark.parametrize(
    ("option", "error"),
    [
        (
            "--secret id=x,src=/etc/shadow",
            "expected a path under /var/lib/dokku/data/build-secrets/",
        ),
        ("--secret id=x,src=/var/lib/dokku/data/build-secrets/../pydokku/secret.key", "'..'"),
        ("--secret id=x,src=data/build-secrets/x", "expected an absolute path"),
        ("--secret src=/var/lib/dokku/data/build-secrets/x", "the id must be"),
        ("--secret id=a/b,src=/var/lib/dokku/data/build-secrets/x", "the id must be"),
        ("--secret id=x,env=TOKEN", "must look like id=NAME,src=PATH"),
        ("--secret id=x,type=ssh,src=/var/lib/dokku/data/build-secrets/x", "only file secrets"),
        ("--network pydokku", "BuildKit builds on default, host, none"),
    ],
)
def test_bad_build_flags_are_refused(
    monkeypatch: pytest.MonkeyPatch, option: str, error: str
) -> None:
    monkeypatch.setenv("DOKKU_LIB_ROOT", "/var/lib/dokku")
    with pytest.raises(DokkuError, match="Invalid value for docker option") as caught:
        translate.check("build", option)
    assert error in caught.value.message


def test_a_stored_secret_is_checked_again_at_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOKKU_LIB_ROOT", str(tmp_path))
    root = tmp_path / "data" / "build-secrets"
    root.mkdir(parents=True)
    (root / "token").write_text("t")
    assert dockerargs._checked_secret(f"id=t,src={root}/token") == f"id=t,src={root}/token"
    (root / "escape").symlink_to(tmp_path / "outside")
    with pytest.raises(DokkuError, match="leads outside"):
        dockerargs._checked_secret(f"id=t,src={root}/escape")
    with pytest.raises(DokkuError, match="does not exist"):
        dockerargs._checked_secret(f"id=t,src={root}/missing")


def test_limits_buildkit_ignores_are_named() -> None:
    options = {"container_limits": {"memory": 1, "cpushares": 2}, "shmsize": 3, "target": "x"}
    assert render.ignored_by_buildkit(options) == ["--memory", "--cpu-shares", "--shm-size"]
    assert render.ignored_by_buildkit({"target": "x", "isolation": ""}) == []


def test_the_probed_mirror_is_the_first_uri_not_a_comment(tmp_path: Path) -> None:
    from pydokku.plugins.builder.network import mirror_host

    sources = tmp_path / "debian.sources"
    sources.write_text(
        "Types: deb\n# http://snapshot.debian.org/archive/debian/2025\n"
        "URIs: http://mirror.example.org/debian\nSuites: bookworm\n"
    )
    legacy = tmp_path / "sources.list"
    legacy.write_text("# deb http://old.example.org/debian bookworm main\n")
    assert mirror_host((str(legacy), str(sources))) == "mirror.example.org"
    assert mirror_host((str(tmp_path / "missing"),)) == "deb.debian.org"
