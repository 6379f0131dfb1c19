"""builder-auto:* commands: the generated Dockerfile, offline stacks, settings."""

from __future__ import annotations

from pathlib import Path

from pydokku import output, properties, sourcetree
from pydokku.cli.common import add_property_commands
from pydokku.cli.registry import Context, Namespace, arg, host_path
from pydokku.errors import DokkuError
from pydokku.plugins.builder_auto import bases

builder_auto = Namespace(
    "builder-auto", "The auto builder: language detection, generated Dockerfiles, offline stacks"
)
NAMESPACES = [builder_auto]

SETTINGS = [
    properties.PropertySpec(bases.KEY, "auto", bases.validate_mode),
    properties.PropertySpec("cache-mounts", "true", properties.validate_bool),
]


def report_rows(scope: str) -> list[tuple[str, str]]:
    """Return the computed rows: whether a registry is reachable and the offline stacks."""
    from pydokku.plugins.builder_auto import stacks

    try:
        reachable, detail = bases.registry_status()
        base, reason = bases.choose(scope)
        states = ", ".join(f"{name} {stacks.status(name)}" for name in stacks.STACKS)
    except DokkuError as exc:
        return [("base-source", f"unknown ({exc.message})"), ("registry", ""), ("stacks", "")]
    return [
        ("base-source", f"{base.mode} ({reason})"),
        ("registry", "reachable" if reachable else f"unreachable ({detail})"),
        ("stacks", states),
    ]


report_section = add_property_commands(builder_auto, SETTINGS, report_rows)


@builder_auto.command("dockerfile", "[--from <path>] <app>")
@arg("app")
@arg("--from", dest="path", default="", metavar="<path>", type=host_path)
def dockerfile(ctx: Context, app: str, path: str) -> None:
    """Print the Dockerfile the auto builder generates for the app's deploy branch (or PATH).

    The deploy branch gets the app's build-dir applied; PATH is taken as the build context.
    """
    import tempfile

    from pydokku.plugins.apps.logic import require_app
    from pydokku.plugins.builder.logic import build_dir
    from pydokku.plugins.builder_auto.builder import build_arg_keys, generate
    from pydokku.plugins.config.logic import merged_env

    require_app(app)
    keys = build_arg_keys(merged_env(app))
    with tempfile.TemporaryDirectory(prefix=f"pydokku-{app}-") as scratch:
        if path:
            source = Path(path).resolve()
            if not source.is_dir():
                raise DokkuError(f"{path} is not a directory")
        else:
            source = build_dir(app, _deploy_branch_tree(app, Path(scratch)))
        generated = generate(app, source, keys)
        other = _builder_in_use(app, source)
    if other:
        output.warn(f"{app} builds with the {other} builder; this is what `auto` would use")
    for warning in generated.plan.warnings:
        output.warn(warning)
    output.echo(generated.text.rstrip("\n"))


def _builder_in_use(app: str, source: Path) -> str:
    """Return the builder the app uses instead of `auto` ('' when it is `auto`)."""
    from pydokku.plugins.builder.dockerfile import dockerfile_path

    selected = properties.resolve("builder", app, "selected", "")
    if selected:
        return "" if selected == "auto" else selected
    return "dockerfile" if sourcetree.is_file(source, dockerfile_path(app)) else ""


def _deploy_branch_tree(app: str, scratch: Path) -> Path:
    from pydokku.plugins.git import extract, repo, settings

    branch = settings.deploy_branch(app)
    rev = repo.branch_head(app, branch)
    if not rev:
        raise DokkuError(f"{app} has no code on its deploy branch {branch}; use --from PATH")
    extract.archive_into(repo.repo_path(app), rev, scratch / "source")
    return scratch / "source"


@builder_auto.command("build-stack", "[--force] [<stack>...]")
@arg("names", nargs="*", metavar="<stack>")
@arg("--force", dest="rebuild", action="store_true")
def build_stack(ctx: Context, names: list[str], rebuild: bool) -> None:
    """Build the offline stack images (all, or the ones named) if missing or outdated."""
    from pydokku.plugins.builder_auto import stacks

    unknown = [n for n in names if n not in stacks.STACKS]
    if unknown:
        raise DokkuError(f"Unknown stack {unknown[0]!r}; stacks: {', '.join(stacks.STACKS)}")
    wanted = names or list(stacks.STACKS)
    force = rebuild or ctx.force
    for name in wanted:
        if not force and stacks.status(name) == "ready":
            output.step(f"{stacks.image(name)} is ready (use --force to rebuild)")
    stacks.ensure(wanted, force=force)
