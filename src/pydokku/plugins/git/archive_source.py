"""Deploys from an archive: `git:from-archive APP URL|--` (tar, tar.gz or zip).

The archive comes from an http(s) URL or from stdin, within `archive-max-size`
bytes (download and unpacked) and `archive-max-files` members; every member is
checked (archive_rules) before anything is written.
"""

from __future__ import annotations

import re
import tarfile
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import BinaryIO

from pydokku import output, properties
from pydokku.errors import DokkuError
from pydokku.plugins.apps.logic import require_app
from pydokku.plugins.git import archive_rules
from pydokku.plugins.git.image_source import record_source

PLUGIN = "git"
DEFAULT_MAX_SIZE = "512m"
DEFAULT_MAX_FILES = "100000"
DOWNLOAD_TIMEOUT_S = 60
_CHUNK = 1 << 20
_SIZE_RE = re.compile(r"^(\d+)\s*([kmg]?)b?$", re.IGNORECASE)
_UNITS = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}
ARCHIVE_TYPES = ("tar", "tar.gz", "zip")


def parse_size(value: str) -> int:
    """Return a size in bytes from `512m`, `2g`, `100k` or a plain number."""
    match = _SIZE_RE.match(value.strip())
    if not match:
        raise DokkuError(f"Invalid size {value!r}: expected a number with k, m or g")
    return int(match.group(1)) * _UNITS[match.group(2).lower()]


def limits(app: str) -> tuple[int, int]:
    """Return the app's (max bytes, max files) for archives."""
    size = properties.resolve(PLUGIN, app, "archive-max-size", DEFAULT_MAX_SIZE)
    files = properties.resolve(PLUGIN, app, "archive-max-files", DEFAULT_MAX_FILES)
    return parse_size(size), int(files)


def check_url(url: str) -> str:
    """Return the URL if it is http(s) with a host, else raise."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise DokkuError(f"Only http:// and https:// archive URLs are accepted, not {url[:100]!r}")
    return url


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        check_url(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def copy_limited(stream: BinaryIO, dest: Path, max_bytes: int) -> int:
    """Copy a stream into a file, refusing more than `max_bytes`; return the size."""
    total = 0
    with open(dest, "wb") as out:
        while chunk := stream.read(_CHUNK):
            total += len(chunk)
            if max_bytes and total > max_bytes:
                raise archive_rules.LimitError(
                    f"The archive is larger than {max_bytes} bytes", "archive-max-size"
                )
            out.write(chunk)
    return total


def download(url: str, dest: Path, max_bytes: int) -> int:
    """Download an http(s) URL into a file within the size limit; return the size."""
    check_url(url)
    opener = urllib.request.build_opener(_HttpOnlyRedirects)
    request = urllib.request.Request(url, headers={"User-Agent": "pydokku"})  # noqa: S310
    try:
        with opener.open(request, timeout=DOWNLOAD_TIMEOUT_S) as response:
            declared = response.headers.get("Content-Length", "")
            if max_bytes and declared.isdigit() and int(declared) > max_bytes:
                raise DokkuError(f"The archive is {declared} bytes; the limit is {max_bytes}")
            return copy_limited(response, dest, max_bytes)
    except urllib.error.HTTPError as exc:
        raise DokkuError(f"Cannot download {url}: HTTP {exc.code} {exc.reason}") from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DokkuError(f"Cannot download {url}: {reason}") from exc


def extract(archive: Path, dest: Path, kind: str, max_files: int, max_bytes: int) -> int:
    """Check and extract an archive of `kind` (tar, tar.gz, zip) into `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    if kind == "zip":
        return archive_rules.extract_zip(archive, dest, max_files, max_bytes)
    from pydokku.archive import safe_extract

    try:
        entries = archive_rules.tar_entries(archive)
    except (OSError, EOFError, tarfile.TarError) as exc:
        raise DokkuError(f"Cannot read the tar archive: {exc}") from exc
    archive_rules.check(entries, max_files, max_bytes)
    return safe_extract(archive, dest, max_files=max_files, max_bytes=max_bytes)


def from_archive(app: str, location: str, stdin: BinaryIO, archive_type: str = "") -> None:
    """Fetch an archive (URL, or stdin for `--`), unpack it safely and deploy it."""
    from pydokku.plugins.builds.record import recording
    from pydokku.plugins.deploy.logic import deploy_from_source

    require_app(app)
    max_bytes, max_files = limits(app)
    from_stdin = location in ("", "-", "--")
    if not from_stdin:
        check_url(location)
    with (
        recording(app, "git:from-archive"),
        tempfile.TemporaryDirectory(prefix=f"pydokku-{app}-") as scratch,
    ):
        raw = Path(scratch) / "archive"
        try:
            if from_stdin:
                output.step("Reading the archive from stdin")
                size = copy_limited(stdin, raw, max_bytes)
            else:
                output.step(f"Downloading {location}")
                size = download(location, raw, max_bytes)
            kind = "zip" if archive_type == "zip" else archive_rules.kind_of(raw)
            count = extract(raw, Path(scratch) / "source", kind, max_files, max_bytes)
        except archive_rules.LimitError as exc:
            raise exc.for_app(app) from None
        output.verbose(f"Unpacked {count} entries from a {size}-byte {kind} archive")
        source = archive_rules.strip_single_directory(Path(scratch) / "source")
        deploy_from_source(app, source, "")
    record_source(app, "archive", "stdin" if from_stdin else location)
