"""Postgres services (`postgres:*`), as Dokku's official dokku-postgres plugin.

Everything specific to Postgres is this description; `pydokku.services` does the rest.
"""

from __future__ import annotations

import re
from pathlib import Path

from pydokku.services.spec import BASE_IMAGE, OfflineImage, ServiceType

DEBIAN_VERSION = "15"  # Debian bookworm's postgresql

OFFLINE_DOCKERFILE = f"""\
FROM {BASE_IMAGE}
RUN printf '#!/bin/sh\\nexit 101\\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d \\
 && mkdir -p /etc/postgresql-common/createcluster.d \\
 && echo 'create_main_cluster = false' >/etc/postgresql-common/createcluster.d/pydokku.conf \\
 && apt-get update -q \\
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \\
    postgresql-{DEBIAN_VERSION} \\
 && rm -rf /var/lib/apt/lists/*
ENV PATH=/usr/lib/postgresql/{DEBIAN_VERSION}/bin:$PATH PGDATA=/var/lib/postgresql/data \\
    LANG=C.UTF-8
COPY docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
STOPSIGNAL SIGINT
EXPOSE 5432
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["postgres"]
"""


def data_mount(version: str) -> str:
    """Return where the data dir goes: the official images moved it in version 18."""
    major = re.match(r"\d+", version)
    if major and int(major.group()) < 18:
        return "/var/lib/postgresql/data"
    return "/var/lib/postgresql"


SERVICE = ServiceType(
    name="postgres",
    title="Postgres",
    image="postgres",
    version="17",
    port=5432,
    scheme="postgres",
    url="{scheme}://postgres:{password}@{host}:{port}/{database}",
    default_alias="DATABASE",
    data_mount=data_mount,
    env={"POSTGRES_PASSWORD": "{password}", "POSTGRES_DB": "{database}"},
    # Over TCP with the password: proves initialisation is over (the official image's
    # set-up server listens on the socket only), the database exists and the password works.
    ready=["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "{database}", "-tAc", "SELECT 1"],
    ready_output="1",
    exec_env={"PGPASSWORD": "{password}"},
    export=["pg_dump", "-Fc", "--no-acl", "--no-owner", "-U", "postgres", "-d", "{database}"],
    import_=["pg_restore", "-cO", "--if-exists", "-U", "postgres", "-d", "{database}"],
    connect=["psql", "-U", "postgres", "{database}"],
    dump_suffix="dump",
    offline=OfflineImage(
        tag=f"pydokku/postgres:{DEBIAN_VERSION}-bookworm",
        version=DEBIAN_VERSION,
        dockerfile=OFFLINE_DOCKERFILE,
        files={"docker-entrypoint.sh": Path(__file__).with_name("entrypoint.sh")},
    ),
)
