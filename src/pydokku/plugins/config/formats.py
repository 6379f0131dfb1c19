"""Pure conversions of env var maps to Dokku's export formats and back from env files."""

from __future__ import annotations

from pydokku.errors import DokkuError
from pydokku.validation import is_env_key

EXPORT_FORMATS = (
    "exports",
    "envfile",
    "docker-args",
    "docker-args-keys",
    "shell",
    "json",
    "json-list",
    "pretty",
)
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "$": "\\$"}
_UNESCAPES = {"\\": "\\", '"': '"', "n": "\n", "r": "\r", "t": "\t", "$": "$", "'": "'", "`": "`"}


def envfile_quote(value: str) -> str:
    """Quote a value for an env file: double quotes, backslash escapes, one line."""
    return '"' + "".join(_ESCAPES.get(ch, ch) for ch in value) + '"'


def pretty(env: dict[str, str]) -> str:
    """Return `KEY:  value` lines aligned on the longest key."""
    width = max((len(k) for k in env), default=0) + 2
    return "\n".join(f"{(k + ':').ljust(width)} {v}" for k, v in env.items())


def export(env: dict[str, str], fmt: str) -> str:
    """Render env vars in one of Dokku's `config:export` formats."""
    import json
    import shlex

    if fmt == "exports":
        return "\n".join(f"export {k}={shlex.quote(v)}" for k, v in env.items())
    if fmt == "envfile":
        return "\n".join(f"{k}={envfile_quote(v)}" for k, v in env.items())
    if fmt == "docker-args":
        return " ".join(f"--env={shlex.quote(f'{k}={v}')}" for k, v in env.items())
    if fmt == "docker-args-keys":
        return " ".join(f"--env={k}" for k in env)
    if fmt == "shell":
        return " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    if fmt == "json":
        return json.dumps(env, ensure_ascii=False)
    if fmt == "json-list":
        return json.dumps([{"name": k, "value": v} for k, v in env.items()], ensure_ascii=False)
    if fmt == "pretty":
        return pretty(env)
    raise DokkuError(f"Unknown export format {fmt!r}; use one of: {', '.join(EXPORT_FORMATS)}")


IMPORT_FORMATS = ("envfile", "json")


def parse(text: str, fmt: str = "") -> dict[str, str]:
    """Parse what `export` produces: JSON (object or list) or env-file/shell lines.

    `fmt` (`config:import --format`, as in Dokku) forces one; without it the text decides.
    """
    stripped = text.lstrip()
    if fmt == "json" or (not fmt and stripped.startswith(("{", "["))):
        return _parse_json(stripped)
    return _parse_envfile(text)


def _parse_json(text: str) -> dict[str, str]:
    import json

    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DokkuError(f"Invalid JSON: {exc}") from exc
    if isinstance(data, list):
        try:
            data = {item["name"]: item["value"] for item in data}
        except (TypeError, KeyError) as exc:
            raise DokkuError('A JSON list must hold {"name": ..., "value": ...} objects') from exc
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise DokkuError("JSON config must map names to string values")
    return {str(k): v for k, v in data.items()}


def _parse_envfile(text: str) -> dict[str, str]:
    env: dict[str, str] = {}
    pos, lineno = 0, 1
    while pos < len(text):
        pos, lineno = _skip_blank(text, pos, lineno)
        if pos >= len(text):
            break
        if text.startswith("export ", pos):
            pos += len("export ")
        eq = text.find("=", pos)
        line_end = text.find("\n", pos)
        if eq < 0 or (0 <= line_end < eq):
            raise DokkuError(f"Line {lineno}: expected KEY=VALUE")
        key = text[pos:eq].strip()
        if not is_env_key(key):
            raise DokkuError(f"Line {lineno}: invalid key {key!r}")
        value, pos = _read_value(text, eq + 1, lineno)
        env[key] = value
        lineno += text.count("\n", eq, pos)
    return env


def _skip_blank(text: str, pos: int, lineno: int) -> tuple[int, int]:
    while pos < len(text):
        if text[pos] == "\n":
            lineno += 1
            pos += 1
        elif text[pos] in " \t\r":
            pos += 1
        elif text[pos] == "#":
            end = text.find("\n", pos)
            pos = len(text) if end < 0 else end
        else:
            break
    return pos, lineno


def _read_value(text: str, pos: int, lineno: int) -> tuple[str, int]:
    """Read a value made of quoted and unquoted runs, as a shell word, up to the line end."""
    out: list[str] = []
    while pos < len(text) and text[pos] not in "\n":
        ch = text[pos]
        if ch == "'":
            end = text.find("'", pos + 1)
            if end < 0:
                raise DokkuError(f"Line {lineno}: unterminated single quote")
            out.append(text[pos + 1 : end])
            pos = end + 1
        elif ch == '"':
            pos = _read_double(text, pos + 1, lineno, out)
        elif ch in " \t\r" and _value_ends(text, pos):
            break
        else:
            out.append(ch)
            pos += 1
    return "".join(out), pos


def _read_double(text: str, pos: int, lineno: int, out: list[str]) -> int:
    while pos < len(text):
        ch = text[pos]
        if ch == '"':
            return pos + 1
        if ch == "\\" and pos + 1 < len(text) and text[pos + 1] in _UNESCAPES:
            out.append(_UNESCAPES[text[pos + 1]])
            pos += 2
        else:
            out.append(ch)
            pos += 1
    raise DokkuError(f"Line {lineno}: unterminated double quote")


def _value_ends(text: str, pos: int) -> bool:
    # Unquoted blanks end a value before a comment, the line end, or the next
    # `KEY=` (the `shell` format puts every var on one line); otherwise they are kept.
    end = text.find("\n", pos)
    rest = text[pos : len(text) if end < 0 else end].strip()
    key, sep, _ = rest.partition("=")
    return rest == "" or rest.startswith("#") or bool(sep and is_env_key(key))


def bundle(env: dict[str, str]) -> bytes:
    """Return a tar archive of `env`: one file per key (mode 0600) holding its value."""
    import io
    import tarfile

    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as archive:
        for key in sorted(env):
            data = env[key].encode("utf-8")
            member = tarfile.TarInfo(key)
            member.size = len(data)
            member.mode = 0o600
            archive.addfile(member, io.BytesIO(data))
    return buffer.getvalue()
