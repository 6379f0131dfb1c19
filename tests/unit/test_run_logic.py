"""One-off containers: command resolution, `-e` options and the exact `docker run` argv."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from pydokku.errors import DokkuError
from pydokku.plugins.enter.commands import DEFAULT_SHELL
from pydokku.plugins.run import logic
from pydokku.release import Release

REL = Release(
    "myapp",
    image="dokku/myapp:3",
    procfile={"web": "gunicorn app:app", "console": "python manage.py shell"},
)


def test_no_words_runs_a_shell() -> None:
    assert logic.resolve_command(REL, []) == ["/bin/sh"]


def test_plain_words_run_as_given() -> None:
    assert logic.resolve_command(REL, ["ls", "-la", "a b"]) == ["ls", "-la", "a b"]


def test_procfile_name_runs_its_entry() -> None:
    assert logic.resolve_command(REL, ["console"]) == [
        "/bin/sh",
        "-c",
        "python manage.py shell",
    ]


def test_procfile_name_with_extra_args_quotes_them() -> None:
    assert logic.resolve_command(REL, ["console", "--no-color", "a b", "$HOME;rm"]) == [
        "/bin/sh",
        "-c",
        "python manage.py shell --no-color 'a b' '$HOME;rm'",
    ]


def test_only_the_first_word_is_looked_up() -> None:
    assert logic.resolve_command(REL, ["echo", "console"]) == ["echo", "console"]


def test_parse_env_options() -> None:
    assert logic.parse_env_options(["A=1", "B=", "C=x=y", "_D=a b"]) == {
        "A": "1",
        "B": "",
        "C": "x=y",
        "_D": "a b",
    }
    assert logic.parse_env_options([]) == {}


@pytest.mark.parametrize("pair", ["A", "", "noequals"])
def test_parse_env_options_needs_an_equals_sign(pair: str) -> None:
    with pytest.raises(DokkuError, match="expected KEY=VALUE"):
        logic.parse_env_options([pair])


@pytest.mark.parametrize("pair", ["=1", "1A=1", "A-B=1", "A B=1", "A\n=1", "É=1"])
def test_parse_env_options_refuses_bad_keys(pair: str) -> None:
    with pytest.raises(DokkuError, match="Invalid config key"):
        logic.parse_env_options([pair])


def test_one_off_labels_are_dokkus() -> None:
    assert logic.one_off_labels("myapp") == {
        "dokku": "",
        "com.dokku.app-name": "myapp",
        "com.dokku.process-type": "run",
        "com.dokku.container-type": "run",
    }


def test_attach_argv_starts_the_created_container_attached() -> None:
    assert logic.attach_argv("myapp.run.1234") == [
        "start",
        "--attach",
        "--interactive",
        "myapp.run.1234",
    ]


def test_container_name_is_app_run_four_digits() -> None:
    for _ in range(50):
        assert re.fullmatch(r"myapp\.run\.[1-9][0-9]{3}", logic.container_name("myapp"))


@pytest.mark.parametrize("with_bash", [True, False])
def test_enter_default_shell_runs_bash_or_falls_back_to_sh(tmp_path: Path, with_bash: bool) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for program in ("sh", "bash") if with_bash else ("sh",):
        real = subprocess.run(
            ["/bin/sh", "-c", f"command -v {program}"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        if not real:
            pytest.skip(f"{program} is not installed here")
        (bin_dir / program).symlink_to(real)
    script = 'echo "${0##*/}"\n'  # the name the shell was started as
    proc = subprocess.run(
        DEFAULT_SHELL,
        input=script,
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": str(bin_dir)},
        check=False,
        timeout=10,
    )
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "bash\n" if with_bash else "sh\n", "")


def test_one_off_labels_carry_the_deadline() -> None:
    assert logic.one_off_labels("myapp", 60)[logic.DEADLINE_LABEL] == "60"
    assert logic.DEADLINE_LABEL not in logic.one_off_labels("myapp")
