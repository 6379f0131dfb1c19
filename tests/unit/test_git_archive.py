"""Archive deploys: crafted tar and zip files, limits, URL rules and downloads (loopback)."""

from __future__ import annotations

import http.server
import io
import stat
import tarfile
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from pydokku.errors import DokkuError
from pydokku.plugins.git import archive_rules, archive_source
from pydokku.plugins.git.archive_rules import DIR, FILE, HARDLINK, SPECIAL, SYMLINK, Entry


def make_tar(path: Path, members: list[tuple[str, str, str]], mode: str = "w:gz") -> Path:
    """Write a tar: members are (name, kind, data-or-link) with kind file|dir|sym|lnk|chr|fifo."""
    with tarfile.open(path, mode) as tar:
        for name, kind, value in members:
            info = tarfile.TarInfo(name)
            data = b""
            if kind == "file":
                data = value.encode()
                info.size = len(data)
            elif kind == "dir":
                info.type = tarfile.DIRTYPE
            elif kind == "sym":
                info.type, info.linkname = tarfile.SYMTYPE, value
            elif kind == "lnk":
                info.type, info.linkname = tarfile.LNKTYPE, value
            elif kind == "chr":
                info.type = tarfile.CHRTYPE
            elif kind == "fifo":
                info.type = tarfile.FIFOTYPE
            tar.addfile(info, io.BytesIO(data) if data else None)
    return path


def make_zip(path: Path, members: list[tuple[str, str, str]]) -> Path:
    """Write a zip: members are (name, kind, data-or-link) with kind file|dir|sym|fifo."""
    with zipfile.ZipFile(path, "w") as archive:
        for name, kind, value in members:
            info = zipfile.ZipInfo(name)
            modes = {"file": stat.S_IFREG | 0o644, "dir": stat.S_IFDIR | 0o755}
            modes |= {"sym": stat.S_IFLNK | 0o777, "fifo": stat.S_IFIFO | 0o644}
            info.external_attr = modes[kind] << 16
            archive.writestr(info, value)
    return path


GOOD = [
    ("app/", "dir", ""),
    ("app/index.html", "file", "<h1>hi</h1>"),
    ("app/node_modules/pkg/bin/cli.js", "file", "x"),
    ("app/node_modules/.bin/cli", "sym", "../pkg/bin/cli.js"),
    ("app/current", "sym", "index.html"),
]


@pytest.mark.parametrize("maker", [make_tar, make_zip])
def test_a_good_archive_extracts_and_its_single_top_directory_is_the_source(
    tmp_path: Path, maker: object
) -> None:
    suffix = "zip" if maker is make_zip else "tar.gz"
    archive = maker(tmp_path / f"a.{suffix}", GOOD)  # type: ignore[operator]
    kind = archive_rules.kind_of(archive)
    assert kind == ("zip" if maker is make_zip else "tar")
    dest = tmp_path / "out"
    archive_source.extract(archive, dest, kind, 100, 1 << 20)
    source = archive_rules.strip_single_directory(dest)
    assert source == dest / "app"
    assert (source / "index.html").read_text() == "<h1>hi</h1>"
    assert (source / "node_modules" / ".bin" / "cli").read_text() == "x"


BAD = [
    ([("../evil", "file", "x")], "leaves the directory"),
    ([("a/../../evil", "file", "x")], "leaves the directory"),
    ([("/etc/evil", "file", "x")], "absolute path"),
    ([("link", "sym", "/etc/passwd")], "points outside"),
    ([("link", "sym", "../outside")], "points outside"),
    ([("a/link", "sym", "../../outside")], "points outside"),
    ([("sub", "sym", "."), ("sub/l", "sym", "../x")], "inside a link"),
    ([("d", "sym", "x"), ("d/file", "file", "y")], "inside a link"),
    ([("b", "sym", "."), ("a", "sym", "b/../../x")], "goes through another link"),
    ([("fifo", "fifo", "")], "special file"),
]


@pytest.mark.parametrize(("members", "reason"), BAD)
def test_crafted_tar_files_are_refused(
    tmp_path: Path, members: list[tuple[str, str, str]], reason: str
) -> None:
    archive = make_tar(tmp_path / "bad.tar", members, "w")
    dest = tmp_path / "out"
    with pytest.raises(DokkuError, match=reason):
        archive_source.extract(archive, dest, "tar", 100, 1 << 20)
    assert not (tmp_path / "evil").exists()
    assert not (tmp_path / "x").exists()
    assert list(dest.rglob("*")) == []


@pytest.mark.parametrize(("members", "reason"), BAD)
def test_crafted_zip_files_are_refused(
    tmp_path: Path, members: list[tuple[str, str, str]], reason: str
) -> None:
    archive = make_zip(tmp_path / "bad.zip", members)
    dest = tmp_path / "out"
    with pytest.raises(DokkuError, match=reason):
        archive_source.extract(archive, dest, "zip", 100, 1 << 20)
    assert list(dest.rglob("*")) == []


def test_tar_devices_and_hard_links_outside_are_refused(tmp_path: Path) -> None:
    for members, reason in [
        ([("dev", "chr", "")], "special file"),
        ([("h", "lnk", "../etc/passwd")], "points outside"),
        ([("h", "lnk", "missing")], "points outside"),
    ]:
        archive = make_tar(tmp_path / "d.tar", members, "w")
        with pytest.raises(DokkuError, match=reason):
            archive_source.extract(archive, tmp_path / "out", "tar", 100, 1 << 20)


def test_a_hard_link_to_a_member_is_fine(tmp_path: Path) -> None:
    archive = make_tar(tmp_path / "h.tar", [("a", "file", "x"), ("b", "lnk", "a")], "w")
    archive_source.extract(archive, tmp_path / "out", "tar", 100, 1 << 20)
    assert (tmp_path / "out" / "b").read_text() == "x"


@pytest.mark.parametrize("maker", [make_tar, make_zip])
def test_file_count_and_size_limits(tmp_path: Path, maker: object) -> None:
    many = [(f"f{i}", "file", "x" * 10) for i in range(5)]
    archive = maker(tmp_path / "m.bin", many)  # type: ignore[operator]
    kind = archive_rules.kind_of(archive)
    with pytest.raises(DokkuError, match="holds 5 files; the limit is 4"):
        archive_source.extract(archive, tmp_path / "o1", kind, 4, 1 << 20)
    with pytest.raises(DokkuError, match="unpacks to 50 bytes; the limit is 49"):
        archive_source.extract(archive, tmp_path / "o2", kind, 100, 49)
    assert archive_source.extract(archive, tmp_path / "o3", kind, 5, 50) == 5


def test_problems_from_entries() -> None:
    entries = [
        Entry("a", DIR),
        Entry("a/x", FILE, size=1),
        Entry("a/l", SYMLINK, "x"),
        Entry("h", HARDLINK, "a/x"),
        Entry("s", SPECIAL),
    ]
    assert archive_rules.problems(entries) == ["special file 's' (device, fifo or socket)"]
    assert archive_rules.normalize("./a\\b/") == "a/b"
    assert archive_rules.name_problem("C:/x") == "absolute path 'C:/x'"


def test_neither_tar_nor_zip(tmp_path: Path) -> None:
    path = tmp_path / "x"
    path.write_bytes(b"hello world")
    with pytest.raises(DokkuError, match="neither a tar"):
        archive_rules.kind_of(path)


@pytest.mark.parametrize(
    ("value", "size"), [("512m", 512 << 20), ("2G", 2 << 30), ("100k", 102400), ("42", 42)]
)
def test_parse_size(value: str, size: int) -> None:
    assert archive_source.parse_size(value) == size


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://x/a.tar", "http://", "/tmp/a.tar"])
def test_only_http_urls(url: str) -> None:
    with pytest.raises(DokkuError, match="Only http"):
        archive_source.check_url(url)


def test_copy_limited_stops_at_the_limit(tmp_path: Path) -> None:
    with pytest.raises(DokkuError, match="larger than 10 bytes"):
        archive_source.copy_limited(io.BytesIO(b"x" * 11), tmp_path / "a", 10)
    assert archive_source.copy_limited(io.BytesIO(b"x" * 10), tmp_path / "b", 10) == 10


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "ftp://127.0.0.1/a.tar")
            self.end_headers()
            return
        body = b"x" * (100 if self.path == "/big" else 5)
        self.send_response(200 if self.path != "/missing" else 404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_download_from_loopback(server: str, tmp_path: Path) -> None:
    assert archive_source.download(f"{server}/ok", tmp_path / "a", 10) == 5
    with pytest.raises(DokkuError, match="is 100 bytes; the limit is 10"):
        archive_source.download(f"{server}/big", tmp_path / "b", 10)
    with pytest.raises(DokkuError, match="HTTP 404"):
        archive_source.download(f"{server}/missing", tmp_path / "c", 10)
    with pytest.raises(DokkuError, match="Only http"):
        archive_source.download(f"{server}/redirect", tmp_path / "d", 10)
