"""The process runner: argument lists in, text and clear errors out."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from pydokku import runner
from pydokku.errors import DokkuError

PY = sys.executable


def py(code: str) -> list[str]:
    return [PY, "-c", code]


def test_run_captures_output() -> None:
    proc = runner.run(py("import sys; print('out'); print('err', file=sys.stderr)"))
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "out\n", "err\n")


def test_run_passes_arguments_verbatim() -> None:
    words = ["a b", "$HOME", "`id`", "; rm -rf /", "'\""]
    proc = runner.run([*py("import sys; print(sys.argv[1:])"), *words])
    assert proc.stdout == f"{words}\n"


def test_run_failure_names_the_last_stderr_line() -> None:
    argv = py(
        "import sys; print('x', file=sys.stderr); "
        "print('fatal: bad thing', file=sys.stderr); sys.exit(3)"
    )
    with pytest.raises(DokkuError) as info:
        runner.run(argv)
    assert info.value.message == f"{PY} -c failed: fatal: bad thing"


def test_run_failure_falls_back_to_stdout() -> None:
    with pytest.raises(DokkuError, match=r"-c failed: from stdout$"):
        runner.run(py("import sys; print('first'); print('from stdout'); sys.exit(1)"))


def test_run_failure_with_blank_stderr_uses_stdout() -> None:
    code = "import sys; print('from stdout'); print(' ', file=sys.stderr); sys.exit(1)"
    with pytest.raises(DokkuError, match=r"-c failed: from stdout$"):
        runner.run(py(code))


def test_run_failure_without_output_names_the_exit_code() -> None:
    with pytest.raises(DokkuError, match=r"-c failed: 4$"):
        runner.run(py("import sys; sys.exit(4)"))


def test_run_without_check_returns_the_failure() -> None:
    proc = runner.run(py("import sys; sys.exit(2)"), check=False)
    assert proc.returncode == 2


def test_run_missing_program() -> None:
    with pytest.raises(DokkuError, match=r"^no-such-program-pydokku is not installed$"):
        runner.run(["no-such-program-pydokku", "--version"])


def test_run_missing_directory_is_not_a_missing_program(tmp_path: Path) -> None:
    missing = tmp_path / "gone"
    with pytest.raises(DokkuError) as info:
        runner.run(py("pass"), cwd=str(missing))
    assert info.value.message == f"Cannot run {PY}: directory {missing} does not exist"
    with pytest.raises(DokkuError, match="does not exist"):
        runner.stream(py("pass"), cwd=str(missing))


def test_run_input_env_and_cwd(tmp_path: Path) -> None:
    code = "import os, sys; print(sys.stdin.read(), os.environ['X'], os.getcwd())"
    proc = runner.run(py(code), input_text="in", env={"X": "1"}, cwd=str(tmp_path))
    assert proc.stdout == f"in 1 {tmp_path.resolve()}\n"


def test_run_timeout() -> None:
    with pytest.raises(DokkuError, match=r"did not finish within 0 s"):
        runner.run(py("import time; time.sleep(30)"), timeout=0.2)


def test_stream_passes_lines_and_returns_the_exit_code() -> None:
    lines: list[str] = []
    code = (
        "import sys; print('one'); print('two', flush=True); "
        "print('three', file=sys.stderr); sys.exit(5)"
    )
    assert runner.stream(py(code), on_line=lines.append) == 5
    assert lines == ["one", "two", "three"]


def test_stream_success_and_env(tmp_path: Path) -> None:
    lines: list[str] = []
    code = "import os; print(os.environ['X']); print(os.getcwd())"
    rc = runner.stream(py(code), on_line=lines.append, env={"X": "y"}, cwd=str(tmp_path))
    assert (rc, lines) == (0, ["y", str(tmp_path.resolve())])


def test_stream_prints_lines_by_default(capfd: pytest.CaptureFixture[str]) -> None:
    assert runner.stream(py("print('hello')")) == 0
    assert capfd.readouterr().out == "hello\n"


def test_stream_missing_program() -> None:
    with pytest.raises(DokkuError, match=r"^no-such-program-pydokku is not installed$"):
        runner.stream(["no-such-program-pydokku"])


def test_stream_stops_the_program_when_interrupted(tmp_path: Path) -> None:
    """A canceled build raises in the output callback: the program must not run on."""
    marker = tmp_path / "pid"
    code = (
        "import os, sys, time; open(sys.argv[1], 'w').write(str(os.getpid())); "
        "print('started', flush=True); time.sleep(60)"
    )

    class Stop(BaseException):
        pass

    def stop(line: str) -> None:
        raise Stop

    with pytest.raises(Stop):
        runner.stream([*py(code), str(marker)], on_line=stop)
    pid = int(marker.read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
