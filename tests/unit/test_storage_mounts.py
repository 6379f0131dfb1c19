"""Bind mount rules: what parses, what is refused and why (no daemon, no store)."""

from __future__ import annotations

import pytest

from pydokku.errors import DokkuError
from pydokku.plugins.storage import logic
from pydokku.plugins.storage.mounts import Mount, is_volume_name, parse, protected_holder

ROOTS = ("/home/dokku", "/var/lib/dokku")
STORAGE = "/var/lib/dokku/data/storage"


def check(text: str) -> Mount:
    return parse(text, ROOTS, STORAGE)


@pytest.mark.parametrize(
    ("text", "spec"),
    [
        ("/var/lib/dokku/data/storage/app:/data", "/var/lib/dokku/data/storage/app:/data"),
        ("/srv/uploads/:/app/uploads/", "/srv/uploads:/app/uploads"),
        ("/srv/x:/x:ro", "/srv/x:/x:ro"),
        ("/srv/x:/x:ro,z,ro", "/srv/x:/x:ro,z"),
        ("cache-vol:/cache", "cache-vol:/cache"),
        ("/mnt/a/b.c:/opt/d_e", "/mnt/a/b.c:/opt/d_e"),
    ],
)
def test_accepted_mounts_are_normalized(text: str, spec: str) -> None:
    assert check(text).spec == spec


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("/srv/x", "two valid paths divided by colon"),
        ("/srv/x:", "two valid paths divided by colon"),
        (":/x", "two valid paths divided by colon"),
        ("/a:/b:ro:z", "two valid paths divided by colon"),
        ("data/x:/x", "expected an absolute directory or a Docker volume name"),
        ("./data:/x", "expected an absolute directory or a Docker volume name"),
        ("../data:/x", "expected an absolute directory or a Docker volume name"),
        ("x:/x", "expected an absolute directory or a Docker volume name"),
        ("/srv/../etc:/x", "must not contain '..'"),
        ("/srv/./x:/x", "must not contain '.' components"),
        ("/srv//x:/x", "must not contain '//'"),
        ("/srv/x:relative", "it must be absolute"),
        ("/srv/x:/", "mount a directory, not the root"),
        ("/srv/x:/a/../b", "must not contain '..'"),
        ("/srv/x:/x:rwx", "Invalid mount option 'rwx'"),
        ("/srv/a b:/x", "may contain only"),
        ("/etc:/x", "/etc holds"),
        ("/etc/nginx:/x", "/etc holds"),
        ("/var/lib/dokku:/x", "/var/lib/dokku holds"),
        ("/var/lib/dokku/data/pydokku:/x", "/var/lib/dokku holds"),
        ("/var/lib/dokku/data/storage:/x", "/var/lib/dokku holds"),
        ("/home/dokku/app:/x", "/home/dokku holds"),
        ("/var/run/docker.sock:/x", "/var/run holds"),
        ("/:/x", "it contains /etc"),
        ("/var:/x", "it contains /var/run"),
        ("/home:/x", "it contains /home/dokku"),
    ],
)
def test_refused_mounts_name_the_reason(text: str, message: str) -> None:
    with pytest.raises(DokkuError) as caught:
        check(text)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_roots_of_this_host_are_protected_too() -> None:
    with pytest.raises(DokkuError, match="/tmp/lib holds"):
        parse("/tmp/lib/data/x:/x", ("/tmp/root", "/tmp/lib"), "/tmp/lib/data/storage")
    assert parse("/tmp/lib/data/storage/a:/x", ("/tmp/lib",), "/tmp/lib/data/storage")


def test_a_symlink_into_state_is_refused(tmp_path) -> None:
    state = tmp_path / "lib"
    (state / "data").mkdir(parents=True)
    link = tmp_path / "innocent"
    link.symlink_to(state / "data")
    with pytest.raises(DokkuError, match="holds"):
        parse(f"{link}:/x", (str(state),), str(state / "data" / "storage"))


def test_protected_holder() -> None:
    assert protected_holder("/srv/data", ROOTS, STORAGE) is None
    assert protected_holder(f"{STORAGE}/a", ROOTS, STORAGE) is None
    assert protected_holder(STORAGE, ROOTS, STORAGE) == "/var/lib/dokku"
    assert protected_holder("/usr/local", ROOTS, STORAGE) == "/usr"


def test_volume_names_follow_dokku() -> None:
    assert is_volume_name("ab")
    assert not is_volume_name("a")
    assert not is_volume_name("-ab")
    assert not is_volume_name("a/b")


def test_list_json_fields() -> None:
    assert Mount("/a", "/b", "ro,z").as_json() == {
        "host_path": "/a",
        "container_path": "/b",
        "readonly": True,
        "volume_options": "z",
    }
    assert Mount("/a", "/b").as_json() == {"host_path": "/a", "container_path": "/b"}


@pytest.mark.parametrize(
    ("flag", "uid"),
    [
        ("herokuish", 32767),
        ("heroku", 1000),
        ("paketo", 2000),
        ("root", 0),
        ("false", None),
        ("4242", 4242),
        ("0", 0),
        ("65535", 65535),
    ],
)
def test_chown_ids(flag: str, uid: int | None) -> None:
    assert logic.chown_id(flag) == uid


@pytest.mark.parametrize("flag", ["65536", "-1", "nobody", "", "١٢"])
def test_bad_chown_ids(flag: str) -> None:
    with pytest.raises(DokkuError, match="Unsupported chown permissions"):
        logic.chown_id(flag)


@pytest.mark.parametrize("name", ["", "a/b", "..", "a b", "a.b"])
def test_bad_directory_names(name: str) -> None:
    with pytest.raises(DokkuError):
        logic.check_directory_name(name)
