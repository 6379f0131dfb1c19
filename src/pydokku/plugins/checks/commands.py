"""checks:* commands."""

from __future__ import annotations

from pydokku import engine, output, properties, release
from pydokku.cli.common import add_property_commands
from pydokku.cli.registry import Context, Namespace, arg
from pydokku.errors import DokkuError
from pydokku.plugins.apps.logic import require_app
from pydokku.plugins.checks import logic, probe
from pydokku.plugins.checks.spec import CHECK_TYPES

checks = Namespace("checks", "Zero-downtime deploy checks")
NAMESPACES = [checks]

SETTINGS = [
    *(
        properties.PropertySpec(key, default, properties.validate_positive_int)
        for key, default in logic.DEFAULTS.items()
    ),
    properties.PropertySpec(
        logic.FOREGROUND_KEY, logic.FOREGROUND_DEFAULT, logic.validate_foreground_wait
    ),
]
_processes = arg("processes", nargs="?", default="", metavar="<process-type(s)>")


def _split(processes: str) -> list[str]:
    return [p for p in processes.split(",") if p]


@checks.command("enable", "<app> [<process-type(s)>]")
@arg("app")
@_processes
def enable(ctx: Context, app: str, processes: str) -> None:
    """Enable zero-downtime checks for all processes (or a comma-separated list)."""
    logic.set_mode(require_app(app), _split(processes), "enabled")
    output.step(f"Zero downtime checks enabled for {app} ({processes or 'all processes'})")


@checks.command("disable", "<app> [<process-type(s)>]")
@arg("app")
@_processes
def disable(ctx: Context, app: str, processes: str) -> None:
    """Disable checks: old containers stop before new ones start (causes downtime)."""
    logic.set_mode(require_app(app), _split(processes), "disabled")
    output.warn("Zero downtime checks disabled: deploys will cause downtime")


@checks.command("skip", "<app> [<process-type(s)>]")
@arg("app")
@_processes
def skip(ctx: Context, app: str, processes: str) -> None:
    """Skip checks: traffic moves as soon as new containers start, without waiting."""
    logic.set_mode(require_app(app), _split(processes), "skipped")
    output.step(f"Zero downtime checks skipped for {app} ({processes or 'all processes'})")


@checks.command("run", "<app> [<process-type>|<process-type>.N]")
@arg("app")
@arg("target", nargs="?", default="")
def run(ctx: Context, app: str, target: str) -> None:
    """Run the app's checks (all types) against its running containers."""
    from pydokku.plugins.scheduler_docker_local.logic import _check_host, live_containers

    current = release.current(require_app(app))
    if current is None:
        raise DokkuError(f"App {app} has not been deployed")
    key = engine.LABEL_DYNO if "." in target else engine.LABEL_PROCESS
    found = [c for c in live_containers(app) if not target or c.labels.get(key) == target]
    if not found:
        raise DokkuError(f"No running containers of {app} match {target or 'any process'}")
    host = _check_host(app)
    for info in found:
        process = info.labels.get(engine.LABEL_PROCESS, "")
        defined = logic.checks_for(current, process, CHECK_TYPES)
        for check in defined:
            output.step(f"Running {check.name!r} on {info.name}")
            probe.run_check(check, probe.Target(info.name, current.web_port, host))
        if not defined:
            output.step(f"Checking {info.name} (default check)")
            if process == "web":
                probe.wait_answering(info.name, current.web_port, check_timeout(app), host)
            else:
                probe.running(info.name)
    output.step("All checks passed")


def check_timeout(app: str) -> float:
    """Seconds to wait for a web container to answer in `checks:run`."""
    return float(logic.setting(app, "timeout") * logic.setting(app, "attempts"))


def _mode_rows(app: str) -> list[tuple[str, str]]:
    if app == "--global":
        return []
    rows = []
    for state_name in ("disabled", "skipped"):
        rows.append((f"{state_name}-list", properties.get(logic.PLUGIN, app, state_name) or "none"))
    return rows


report_section = add_property_commands(checks, SETTINGS, _mode_rows)
