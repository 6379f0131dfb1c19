"""Run many `dokku` command lines fast: import pydokku once, fork a fresh child per line.

Reads a JSON list of {"argv": [...], "stdin": base64, "env": {...}} on stdin and prints
a JSON list of {"rc", "stdout", "stderr", "changed"}: `changed` is True when the state
store differs after the line. Each child starts from the same pristine, single-threaded
process, so one line cannot affect the next except through the state it (wrongly) left.
"""

from __future__ import annotations

import base64
import json
import os
import sqlite3
import sys
import tempfile
from contextlib import closing

import pydokku.cli


def _dump(db: str) -> str:
    if not os.path.exists(db):
        return ""
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        query = "SELECT name FROM sqlite_master WHERE type = 'table'"
        tables = [row[0] for row in conn.execute(query)]
        rows = {t: sorted(map(repr, conn.execute(f"SELECT * FROM {t}"))) for t in tables}
        return repr(rows)


def _run(case: dict[str, object], db: str) -> dict[str, object]:
    stdin = base64.b64decode(str(case["stdin"]))
    with (
        tempfile.TemporaryFile() as inp,
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
    ):
        inp.write(stdin)
        inp.seek(0)
        before = _dump(db)
        pid = os.fork()
        if pid == 0:  # the child: a fresh `dokku` run
            try:
                for fd, handle in ((0, inp), (1, out), (2, err)):
                    os.dup2(handle.fileno(), fd)
                env: dict[str, str] = case["env"]  # type: ignore[assignment]
                os.environ.update(env)
                # The child ends with os._exit: these stay open for its whole life.
                sys.stdin = open(0, encoding="utf-8", errors="surrogateescape", closefd=False)  # noqa: SIM115
                sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
                sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
                argv: list[str] = case["argv"]  # type: ignore[assignment]
                code = pydokku.cli.main(argv)
                sys.stdout.flush()
                sys.stderr.flush()
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
            except BaseException:
                import traceback

                traceback.print_exc()
                sys.stderr.flush()
                code = 99
            os._exit(code)
        _, status = os.waitpid(pid, 0)
        out.seek(0)
        err.seek(0)
        return {
            "rc": os.waitstatus_to_exitcode(status),
            "stdout": out.read().decode("utf-8", "replace"),
            "stderr": err.read().decode("utf-8", "replace"),
            "changed": _dump(db) != before,
        }


def main() -> None:
    """Run the cases given on stdin; print the results."""
    from pydokku.plugins import all_namespaces

    all_namespaces()  # import every command module once, before the forks
    cases = json.load(sys.stdin)
    db = sys.argv[1]
    print(json.dumps([_run(case, db) for case in cases]))


if __name__ == "__main__":
    main()
