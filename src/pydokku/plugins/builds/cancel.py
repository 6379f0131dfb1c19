"""`builds:cancel`: stop an app's build in progress from another terminal.

The build's process (the leader of its own process group when it could become one) gets
SIGTERM: it stops its image build and helpers, records the build as canceled and lets
go of the deploy lock; the running release never stopped serving. A build that does not
end within the grace period is killed. A build already switching containers is left to
finish: stopping it half-way would leave the app between two releases.
"""

from __future__ import annotations

import os
import signal
import time

from pydokku import output
from pydokku.errors import DokkuError
from pydokku.plugins.builds import store
from pydokku.plugins.deploy.lock import holder

GRACE_S = 10.0
POLL_S = 0.1


def cancel(app: str) -> str | None:
    """Cancel the app's build in progress; return its id, or None when none runs."""
    build = store.live(app)
    store.reap_abandoned(app)
    if build is None:
        return None
    pid = int(build["pid"])
    if holder(app) != pid:
        raise DokkuError(
            f"Build {build['id']} of {app} does not hold the deploy lock; not stopping it"
        )
    if build["stage"] == "deploy":
        raise DokkuError(
            f"Build {build['id']} of {app} is switching containers and cannot be canceled now"
        )
    output.step(f"Canceling build {build['id']} of {app} (pid {pid})")
    _signal(pid, signal.SIGTERM)
    if not _ended(app, pid, GRACE_S):
        output.warn(f"Build {build['id']} did not stop within {GRACE_S:.0f}s; killing it")
        _signal(pid, signal.SIGKILL)
        _ended(app, pid, GRACE_S)
    store.finish(build["id"], "canceled", -1, reason="canceled by builds:cancel")
    return str(build["id"])


def _signal(pid: int, sig: signal.Signals) -> None:
    """Signal the build's process group when it leads one, else the process alone."""
    try:
        if os.getpgid(pid) == pid:
            os.killpg(pid, sig)
        else:
            os.kill(pid, sig)
    except ProcessLookupError:
        pass


def _ended(app: str, pid: int, wait_s: float) -> bool:
    """Wait until the build lets go of the deploy lock; return whether it did."""
    deadline = time.monotonic() + wait_s
    while holder(app) == pid:
        if time.monotonic() >= deadline:
            return False
        time.sleep(POLL_S)
    return True
