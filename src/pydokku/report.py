"""The `:report` output every plugin shares.

stdout: `=====> APP NS information` then aligned `Ns key: value` lines;
`--format json`: one flat object; `--NS-KEY`: only that value.
"""

from __future__ import annotations

from pydokku.errors import DokkuError

# Reports whose JSON, in Dokku 0.38, also carries each key with the report's prefix
# (`type` and `proxy-type`): its EmitLegacyPrefix list. The others have short keys only.
LEGACY_PREFIXED = frozenset(
    {
        "app",
        "app-json",
        "builder",
        "buildpacks",
        "builds",
        "cron",
        "docker-options",
        "logs",
        "network",
        "ports",
        "proxy",
        "ps",
        "registry",
        "resource",
        "scheduler",
        "storage",
    }
)


class ReportSection:
    """One plugin's report for one app (or `--global`)."""

    def __init__(
        self,
        namespace: str,
        app: str,
        rows: list[tuple[str, str]],
        *,
        json_extra: dict[str, object] | None = None,
    ) -> None:
        self.namespace = namespace
        self.app = app
        self.rows = rows
        self.json_extra = json_extra or {}  # JSON-only keys (docker-options' `-list`s)

    def label(self, key: str) -> str:
        """Human label of a row key: `deploy-branch` -> `Git deploy branch`."""
        words = self.namespace.replace("-", " ").capitalize()
        return f"{words} {key.replace('-', ' ')}"

    def flag(self, key: str) -> str:
        """The single-value flag of a row key: `--git-deploy-branch`."""
        return f"--{self.namespace}-{key}"

    def render_text(self) -> str:
        """Return the stdout form of the section."""
        labels = [self.label(key) + ":" for key, _ in self.rows]
        width = max((len(label) for label in labels), default=0) + 1
        from pydokku import output

        # As Dokku's LogInfo2Quiet: --quiet drops the header and keeps the rows (scripts
        # such as the ansible-dokku modules read the first row).
        lines = [] if output.is_quiet() else [f"=====> {self.app} {self.namespace} information"]
        lines += [
            f"       {label.ljust(width)}{value}".rstrip()
            for label, (_, value) in zip(labels, self.rows, strict=True)
        ]
        return "\n".join(lines)

    def as_dict(self) -> dict[str, object]:
        """Return the flat JSON object of the section (with Dokku's legacy prefixed keys)."""
        data: dict[str, object] = {**dict(self.rows), **self.json_extra}
        if self.namespace in LEGACY_PREFIXED:
            data.update({f"{self.namespace}-{key}": value for key, value in list(data.items())})
        return data

    def value_of(self, flag: str) -> str:
        """Return the value for a `--NS-KEY` flag, or raise naming the valid flags."""
        for key, value in self.rows:
            if flag == self.flag(key):
                return value
        valid = ", ".join(self.flag(key) for key, _ in self.rows)
        raise DokkuError(f"Invalid flag passed, valid flags: {valid}")


def render(
    sections: list[ReportSection],
    fmt: str = "stdout",
    flag: str | None = None,
    *,
    every_app: bool = False,
) -> str:
    """Render one or more sections as text, JSON, or a single flag's value.

    `every_app`: no app was named, so JSON is keyed by app however many apps exist.
    """
    if flag:
        if fmt != "stdout":
            raise DokkuError("--format cannot be combined with a single-value flag")
        if every_app or len(sections) != 1:
            raise DokkuError("A single-value flag needs an app name")
        return sections[0].value_of(flag)
    if fmt == "json":
        import json

        if len(sections) == 1 and not every_app:
            return json.dumps(sections[0].as_dict(), indent=None)
        return json.dumps({s.app: s.as_dict() for s in sections})
    return "\n".join(section.render_text() for section in sections)


def columns(rows: list[list[str]]) -> list[str]:
    """Return table rows as lines with left-aligned columns two spaces apart (Dokku's lists)."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))] if rows else []
    return [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
