"""--parallel N: how many runs at a time, and the serial path."""

from __future__ import annotations

import os

import pytest

from pydokku import parallel
from pydokku.errors import UsageError


@pytest.mark.parametrize(("given", "expected"), [(0, 1), (1, 1), (3, 3)])
def test_workers(given: int, expected: int) -> None:
    assert parallel.workers(given) == expected


def test_minus_one_means_one_per_cpu() -> None:
    assert parallel.workers(-1) == (os.cpu_count() or 1)


def test_below_minus_one_is_refused() -> None:
    with pytest.raises(UsageError):
        parallel.workers(-2)


def test_serial_runs_in_this_process_in_order() -> None:
    seen: list[str] = []
    parallel.for_each(["a", "b"], seen.append, 0, lambda app: ["never", app])
    assert seen == ["a", "b"]
