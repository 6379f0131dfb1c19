"""Safe tar extraction refuses every way out of the target directory."""

import io
import tarfile

import pytest

from pydokku.archive import safe_extract
from pydokku.errors import DokkuError


def make_tar(tmp_path, members):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for name, kind, extra in members:
            info = tarfile.TarInfo(name)
            if kind == "file":
                info.size = len(extra)
                tar.addfile(info, io.BytesIO(extra))
            else:
                info.type = tarfile.SYMTYPE if kind == "symlink" else tarfile.LNKTYPE
                info.linkname = extra
                tar.addfile(info)
    path = tmp_path / "a.tar"
    path.write_bytes(buf.getvalue())
    return path


@pytest.mark.parametrize(
    ("members", "reason"),
    [
        ([("../evil", "file", b"x")], "leaves the directory"),
        ([("/abs", "file", b"x")], "absolute path"),
        ([("l", "symlink", "/etc/passwd")], "points outside"),
        ([("l", "symlink", "../../x")], "points outside"),
        ([("h", "hardlink", "../x")], "points outside"),
        ([("sub", "symlink", "."), ("sub/f", "file", b"x")], "goes through a link"),
    ],
)
def test_unsafe_members_are_refused(tmp_path, members, reason):
    archive = make_tar(tmp_path, members)
    with pytest.raises(DokkuError, match=reason):
        safe_extract(archive, tmp_path / "out")
    assert not (tmp_path / "evil").exists()
    assert list((tmp_path / "out").rglob("*")) == []


def test_safe_tree_with_inner_link_extracts(tmp_path):
    archive = make_tar(tmp_path, [("a/f", "file", b"hi"), ("a/l", "symlink", "f")])
    assert safe_extract(archive, tmp_path / "out") == 2
    assert (tmp_path / "out" / "a" / "l").read_text() == "hi"


def test_file_count_limit(tmp_path):
    archive = make_tar(tmp_path, [(f"f{i}", "file", b"x") for i in range(5)])
    with pytest.raises(DokkuError, match="limit is 4"):
        safe_extract(archive, tmp_path / "out", max_files=4)
