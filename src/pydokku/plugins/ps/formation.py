"""How many containers of each process type an app runs (`ps:scale`)."""

from __future__ import annotations

from pydokku import state
from pydokku.appjson import MAX_QUANTITY
from pydokku.appjson import formation as app_json_formation
from pydokku.errors import DokkuError
from pydokku.procfile import PROCESS_TYPE_RE

__all__ = ["MAX_QUANTITY", "parse_scale_args", "resolve", "store", "stored"]


def stored(app: str) -> dict[str, int]:
    """Return the quantities set with `ps:scale`."""
    rows = state.query("SELECT process, quantity FROM formation WHERE app = ?", (app,))
    return {row["process"]: int(row["quantity"]) for row in rows}


def resolve(app: str, process_types: list[str], app_json: dict[str, object]) -> dict[str, int]:
    """Return the quantity of each process type: ps:scale, else app.json, else web=1/others=0."""
    scaled = stored(app)
    from_json = app_json_formation(app_json)
    return {p: scaled.get(p, from_json.get(p, 1 if p == "web" else 0)) for p in process_types}


def parse_scale_args(pairs: list[str]) -> dict[str, int]:
    """Parse `proc=N` arguments."""
    result: dict[str, int] = {}
    for pair in pairs:
        process, sep, quantity = pair.partition("=")
        # isascii: str.isdigit() also accepts digits such as "²" that int() refuses.
        digits = quantity.isascii() and quantity.isdigit()
        if not sep or not PROCESS_TYPE_RE.match(process) or not digits:
            raise DokkuError(f"Invalid scale argument {pair!r}: expected PROCESS=QUANTITY")
        if int(quantity) > MAX_QUANTITY:
            raise DokkuError(f"{process}={quantity}: at most {MAX_QUANTITY} per process type")
        result[process] = int(quantity)
    return result


def store(app: str, quantities: dict[str, int]) -> None:
    """Save quantities set with `ps:scale`."""
    with state.transaction() as conn:
        conn.executemany(
            "INSERT INTO formation (app, process, quantity) VALUES (?, ?, ?) "
            "ON CONFLICT (app, process) DO UPDATE SET quantity = excluded.quantity",
            [(app, p, q) for p, q in quantities.items()],
        )
        detail = " ".join(f"{p}={q}" for p, q in quantities.items())
        state.record_event(conn, app, "ps:scale", detail)
