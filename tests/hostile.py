"""The hostile-input table: command lines every entry point must refuse cleanly.

Each row is run locally (`dokku ARGS`, tests/cli/test_hostile.py) and over the real SSH
entry (`ssh dokku@127.0.0.1 LINE`, tests/integration/test_hostile_ssh.py). Both assert
a non-zero exit, ` !` error lines only (no traceback), an unchanged state store and
nothing created or read outside the app's own directories.

`{app}` is an existing, never deployed app; `{canary}` a directory outside every root
that no command may write into; `{secret}` a readable file outside every root whose
content (`CANARY_MARK`) must never appear in any output; `{held}` a TCP port another
program (the test) listens on.
"""

from __future__ import annotations

import io
import shlex
import tarfile
from dataclasses import dataclass

CANARY_MARK = "HOSTILE-CANARY-7f3a"


@dataclass(frozen=True)
class Row:
    """One hostile command line (and its stdin); `ssh_only` when a local run is legitimate."""

    family: str
    line: str
    stdin: bytes = b""
    ssh_only: bool = False

    def words(self, **values: str) -> list[str]:
        """Return the command line split into words, with the placeholders filled."""
        words = shlex.split(self.line)
        for name, value in values.items():
            words = [word.replace("{" + name + "}", value) for word in words]
        return words

    def ssh_line(self, **values: str) -> str:
        """Return the line as an SSH client sends it (SSH_ORIGINAL_COMMAND)."""
        return shlex.join(self.words(**values))


def tar_of(files: dict[str, bytes], links: dict[str, str] | None = None) -> bytes:
    """Return a tar holding `files` and symlinks `links` (name -> target)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        for name, target in (links or {}).items():
            info = tarfile.TarInfo(name)
            info.type = tarfile.SYMTYPE
            info.linkname = target
            archive.addfile(info)
    return buffer.getvalue()


def _special(name: str, kind: bytes, **fields: object) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        info = tarfile.TarInfo(name)
        info.type = kind
        for key, value in fields.items():
            setattr(info, key, value)
        archive.addfile(info)
    return buffer.getvalue()


def _rows(family: str, lines: list[str], **options: bool) -> list[Row]:
    return [Row(family, line, **options) for line in lines]


BAD_APP_NAMES = [
    "''",
    "UPPER",
    "a_b",
    "-a",
    ".a",
    "a..b",
    "a/b",
    "../x",
    "'a b'",
    "x" * 64,
    "dokku.postgres.x",
    "'a;id'",
    "'$(id)'",
    "'`id`'",
    "$'a\\nb'",
    "é",
    "a.",
    "a-",
    "'*'",
    "'--global'",
]

NAMES = [Row("app names", f"apps:create {name}") for name in BAD_APP_NAMES] + _rows(
    "app names",
    [
        "apps:rename {app} dokku.redis.x",
        "apps:rename {app} ../../etc",
        "apps:rename {app} {app}",
        "apps:clone {app} 'x y'",
        "apps:destroy ../{app}",
        "apps:lock /etc",
        "config:show ../../etc",
        "ps:report '{app}/../..'",
        "domains:report '../{app}'",
        "nginx:show-config ../../../etc/nginx",
    ],
)

KEYS_VALUES = _rows(
    "config keys and values",
    [
        "config:set {app} 1A=x",
        "config:set {app} A-B=x",
        "config:set {app} =x",
        "config:set {app} NOVALUE",
        "config:set {app} 'A B=x'",
        "config:set {app} 'A;B=x'",
        "config:set {app} '$(id)=x'",
        "config:set --encoded {app} A=not-base64!",
        "config:set --encoded {app} A=/w==",
        "config:unset {app} bad-key",
        "config:get {app} 'a b'",
        "config:set --global 'X=1' 'bad key=2'",
    ],
) + [
    Row("config keys and values", "config:import {app} -", data)
    for data in (b'{"A": "x\\u0000y"}', b"{bad json", b'{"1A": "x"}', b"A-B=1\n", b'{"A": 1}')
]

DOMAINS = _rows(
    "domains",
    [
        "domains:add {app} 'bad domain'",
        "domains:add {app} '*.*.example.com'",
        "domains:add {app} a..b.com",
        "domains:add {app} -a.example.com",
        "domains:add {app} " + "a" * 64 + ".example.com",
        "domains:add {app} " + ".".join(["abcdefghij"] * 26),
        "domains:add {app} 'x.com;include'",
        "domains:add {app} 127.0.0.1:80",
        "domains:add {app} http://x.example.com",
        "domains:add {app} a/b.example.com",
        "domains:add {app} ''",
        "domains:add {app} 'x.example.com}'",
        "domains:set {app} '$host'",
        "domains:add --global 'evil.com;'",
        "certs:generate {app} 'x.com;y'",
    ],
)

PORTS = _rows("ports", ["ports:add {app} http:22:5000"], ssh_only=True) + _rows(
    "ports",
    [
        "ports:add {app} http:{held}:5000",
        "ports:set {app} http:{held}:5000",
        "ports:add {app} http:0:5000",
        "ports:add {app} http:65536:5000",
        "ports:add {app} ftp:80:5000",
        "ports:add {app} http:80",
        "ports:add {app} http:-1:5000",
        "ports:add {app} http:8o:5000",
        "ports:add {app} http:80:5000:1",
        "ports:add {app} http:²:5000",
        "ports:add {app} 'http:80:5000;'",
        "ports:add {app} http:8080:5000 http:8080:6000",
    ],
)

PATHS = _rows(
    "paths",
    [
        "ps:set {app} procfile-path /etc/os-release",
        "ps:set {app} procfile-path ../../..",
        "ps:set {app} procfile-path 'a/../../b'",
        "ps:set --global procfile-path '/proc/self/environ'",
        "builder:set {app} build-dir /etc",
        "builder:set {app} build-dir ../x",
        "builder-dockerfile:set {app} dockerfile-path /etc/passwd",
        "builder-dockerfile:set {app} dockerfile-path ../Dockerfile",
        "nginx:set {app} access-log-path /etc/profile.d/x.sh",
        "nginx:set {app} access-log-path /var/log/nginx/../../../etc/profile.d/x.sh",
        "nginx:set {app} access-log-path {canary}/access.log",
        "nginx:set {app} error-log-path {canary}/error.log",
        "nginx:set --global error-log-path /root/.bashrc",
        "nginx:set {app} access-log-path /var/log/nginx/sub/x.log",
        "letsencrypt:set {app} ca-bundle /etc/shadow",
        "letsencrypt:set {app} ca-bundle /etc/ssl/certs/../../shadow",
        "letsencrypt:set {app} ca-bundle {secret}",
        "letsencrypt:set {app} ca-bundle relative.pem",
    ],
)

NGINX_VALUES = _rows(
    "nginx and proxy values",
    [
        "nginx:set {app} client-max-body-size '1m;'",
        "nginx:set {app} proxy-read-timeout '60s }'",
        "nginx:set {app} x-forwarded-for-value '$remote_addr; include /etc/passwd'",
        "nginx:set {app} bind-address-ipv4 '1.2.3.4;'",
        "nginx:set {app} bind-address-ipv6 '[::]'",
        "nginx:set {app} access-log-format 'main; foo'",
        "nginx:set {app} proxy-buffers '8 4k;'",
        "nginx:set {app} hsts maybe",
        "nginx:set {app} no-such-key 1",
        "proxy:set {app} type 'nginx;'",
    ],
)

OTHER_SETTINGS = _rows(
    "settings",
    [
        "ps:scale {app} web=1000",
        "ps:scale {app} web=-1",
        "ps:scale {app} 'bad name=1'",
        "ps:scale {app} web",
        "ps:set {app} restart-policy 'always; id'",
        "ps:set {app} stop-timeout-seconds -5",
        "checks:set {app} wait-to-retire abc",
        "git:set {app} deploy-branch '../../x'",
        "git:set {app} deploy-branch '-delete'",
        "git:set {app} rev-env-var 'A B'",
        "git:set {app} archive-max-size 1x",
        "builder:set {app} selected 'evil'",
        "letsencrypt:set {app} email 'not an email'",
        "letsencrypt:set {app} server http://acme.example.com/dir",
        "letsencrypt:set {app} server https://169.254.169.254/latest",
        "letsencrypt:set {app} server 'https://user@acme.example.com/dir'",
        "letsencrypt:set {app} server https://0.0.0.0/dir",
        "letsencrypt:set {app} graceperiod 1d",
        "releases:rollback {app} abc",
        "releases:rollback {app} 99999",
        "events:list -n abc",
        "scheduler-docker-local:set {app} parallel-schedule-count x",
    ],
)

SCHEDULES = _rows(
    "schedules",
    [
        "postgres:backup-schedule hostile-svc '* * * *' bucket",
        "postgres:backup-schedule hostile-svc '61 * * * *' bucket",
        "postgres:backup-schedule hostile-svc '@reboot; id' bucket",
        "postgres:backup-schedule '../x' '0 3 * * *' bucket",
        "redis:backup-schedule hostile-svc '0 3 * * * id' bucket",
        "postgres:create 'bad name'",
        "postgres:create 'a;b'",
        "redis:create ../x",
        "postgres:link nosuch {app}",
        "postgres:link 'x;y' {app}",
    ],
)

SSH_LINES = _rows(
    "ssh command lines",
    ["--quiet git-hook {app}", "git-hook {app}", "--app {app} git-hook"],
    ssh_only=True,  # git runs git-hook on the host: locally it is legitimate
) + _rows(
    "ssh command lines",
    [
        "git-receive-pack '../{app}'",
        "git-receive-pack '/etc/passwd'",
        "git-upload-pack '/home/dokku/{app}/../../..'",
        "git-upload-archive 'a;b'",
        "git-receive-pack 'x/../../etc'",
        "bash -c id",
        "'apps:list;' id",
        "scp -t /tmp",
        "sftp",
        "--unknown-flag apps:list",
        "--app",
        "not:a-command",
    ],
)

RECENT = _rows(
    "recent commands",
    [
        "git:from-image {app} 'bad image;id'",
        "git:from-image {app} ''",
        "repo:purge-cache ../x",
        "logs {app} -n abc",
        "cleanup ../x",
        "scheduler:set {app} selected 'evil;'",
        "plugin:trigger post-deploy {app}",
        "plugin:enable nosuch",
        "app-json:set {app} appjson-path /etc/os-release",
        "app-json:set {app} appjson-path ../../../etc/os-release",
        "app-json:set {app} appjson-path 'a;id'",
        "cron:run {app} '../../x'",
        "cron:run {app} 2p --detach",
        'cron:suspend {app} "$(id)"',
        "cron:set {app} mailto root@localhost",
        "cron:set --global mailto 'a\nMAILTO=b'",
        "cron:set {app} maintenance.x true",
        "cron:logs ../{app}",
        "builds:info {app} ../../../etc/passwd",
        "builds:output {app} '$(id)'",
        "builds:list {app} --status evil",
        "builds:set {app} retention -1",
        "builds:cancel ../x",
    ],
)

FILE_ARGS = _rows(
    "host files over ssh",
    [
        "config:import {app} {secret}",
        "config:import {app} /etc/os-release",
        "certs:add {app} /etc/ssl/private/ssl-cert-snakeoil.key /etc/os-release",
        "certs:update {app} {secret} {secret}",
        "ssh-keys:add intruder {secret}",
        "builder-auto:dockerfile --from /etc {app}",
        "git:load-image {app} --build-dir /etc",
        "plugin:install file:///etc/passwd",
    ],
    ssh_only=True,
)

_CERT_TARS = [
    b"garbage" * 100,
    tar_of({"server.crt": b"not a cert", "server.key": b"not a key"}),
    tar_of({}, {"server.crt": "/etc/ssl/certs/ca-certificates.crt", "server.key": "/etc/shadow"}),
    _special("server.key", tarfile.CHRTYPE, devmajor=1, devminor=3),
    tar_of({"a.crt": b"x", "b.crt": b"y", "server.key": b"z"}),
    tar_of({"../../server.crt": b"x", "/abs/server.key": b"y"}),
]
CERTS = [Row("certificate files", "certs:add {app}", data) for data in _CERT_TARS] + _rows(
    "certificate files", ["certs:remove {app}", "certs:show {app} key"]
)

_ARCHIVES = [
    tar_of({"../escape.txt": b"x"}),
    tar_of({"/abs.txt": b"x"}),
    tar_of({"Procfile": b"web: x"}, {"link": "/etc"}),
    tar_of({}, {"s": ".", "Procfile": "s/s/../../../../../../etc/os-release"}),
    tar_of({}, {"app.json": "/etc/os-release"}),
    tar_of({}, {"CHECKS": "../../../../../../etc/os-release"}),
    _special("dev", tarfile.CHRTYPE, devmajor=1, devminor=3),
    _special("fifo", tarfile.FIFOTYPE),
    _special("hard", tarfile.LNKTYPE, linkname="/etc/passwd"),
    tar_of({"Procfile": b"web: run\n", "app.json": b'{"formation": {"web": {"quantity": 5000}}}'}),
    tar_of({"Procfile": b"web: run\n", "app.json": b'{"healthchecks": {"web": [{"wait": "x"}]}}'}),
    tar_of({"Procfile": b"web: run\nweb: again\n"}),
    tar_of({"Procfile": b"bad type!: run\n"}),
    tar_of({"app.json": b"{not json"}),
    tar_of({"app.json": b'{"cron": [{"command": "id; id", "schedule": "@daily"}]}'}),
    tar_of({"app.json": b'{"cron": [{"command": "id", "schedule": "* * * * *\\n* * * * * id"}]}'}),
    b"not an archive at all",
]
ARCHIVES = [
    Row("archive members and repo files", "git:from-archive {app} --", data) for data in _ARCHIVES
]

ACCESS_LISTS = _rows(
    "access lists",
    [
        "acl:add {app} 'a;id'",
        "acl:add {app} ../x",
        "acl:add ../{app} alice",
        "acl:remove {app} '$(id)'",
        "acl:list ../../etc",
        "acl:allowed 'a b'",
        "acl:add-service ../postgres x alice",
        "acl:list-service postgres ../../etc",
        "acl:allowed-services '../..' alice",
        "acl:set --global super-user '`id`'",
        "acl:set {app} super-user alice",
    ],
)

STORAGE_NETWORK = _rows(
    "mounts and networks",
    [
        "storage:mount {app} /etc:/x",
        "storage:mount {app} /var/lib/dokku/data/pydokku:/x",
        "storage:mount {app} /var/lib/dokku:/x:ro",
        "storage:mount {app} /home/dokku:/x",
        "storage:mount {app} /var/run/docker.sock:/var/run/docker.sock",
        "storage:mount {app} /:/host",
        "storage:mount {app} ../x:/x",
        "storage:mount {app} /srv/../etc:/x",
        "storage:mount {app} /srv/x:relative",
        "storage:mount {app} '/srv/x:/x;touch /tmp/p'",
        "storage:mount {app} /srv/x:/x:rw,exec",
        "storage:unmount {app} /srv/none:/none",
        "storage:ensure-directory ../../etc",
        "storage:ensure-directory --chown 0:0 data",
        "storage:list {app} --format yaml",
        "network:create 'a;b'",
        "network:create ../x",
        "network:destroy --force pydokku",
        "network:destroy --force bridge",
        "network:set {app} attach-post-create host",
        "network:set {app} attach-post-deploy 'x,../y'",
        "network:set {app} initial-network container:x",
        "network:set {app} static-web-listener '127.0.0.1:80;include /etc/passwd'",
        "network:set {app} tld ../x",
        "network:set --global static-web-listener 127.0.0.1:80",
        "redis:create hostilesvc -P host",
        "postgres:create hostilesvc -N 'a b'",
    ],
)

ALL_ROWS: list[Row] = [
    *NAMES,
    *KEYS_VALUES,
    *DOMAINS,
    *PORTS,
    *PATHS,
    *NGINX_VALUES,
    *OTHER_SETTINGS,
    *SCHEDULES,
    *SSH_LINES,
    *RECENT,
    *FILE_ARGS,
    *CERTS,
    *ARCHIVES,
    *ACCESS_LISTS,
    *STORAGE_NETWORK,
]
