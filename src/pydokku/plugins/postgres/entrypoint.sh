#!/bin/sh
# Entrypoint of pydokku's offline postgres image (Debian's postgresql packages).
# Like the official image: an empty data directory gets a cluster whose superuser
# `postgres` has POSTGRES_PASSWORD and a database POSTGRES_DB; clients on the container's
# own socket are trusted, every network client needs the password (scram-sha-256).
set -eu
PGDATA=${PGDATA:-/var/lib/postgresql/data}
export PGDATA

# `docker run IMAGE -c key=value` passes server options.
if [ "${1#-}" != "$1" ]; then
  set -- postgres "$@"
fi

as_postgres() { setpriv --reuid=postgres --regid=postgres --init-groups "$@"; }

if [ "$1" = postgres ] && [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /run/postgresql
  chown postgres:postgres "$PGDATA" /run/postgresql
  chmod 700 "$PGDATA"
  if [ ! -s "$PGDATA/PG_VERSION" ]; then
    : "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set}"
    pwfile=$(mktemp)
    printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
    chown postgres "$pwfile"
    as_postgres initdb --username=postgres --pwfile="$pwfile" --auth-local=trust \
      --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 -D "$PGDATA" >/dev/null
    rm -f "$pwfile"
    printf "listen_addresses = '*'\n" >>"$PGDATA/postgresql.conf"
    printf 'host all all all scram-sha-256\n' >>"$PGDATA/pg_hba.conf"
    if [ -n "${POSTGRES_DB:-}" ] && [ "$POSTGRES_DB" != postgres ]; then
      # A server on the socket only: nothing can connect over TCP before initialisation ends.
      as_postgres pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start >/dev/null
      printf 'CREATE DATABASE :"db";\n' | as_postgres psql -v ON_ERROR_STOP=1 -X -q \
        --username=postgres --dbname=postgres --set db="$POSTGRES_DB"
      as_postgres pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
    fi
    echo "pydokku: initialised the database cluster in $PGDATA"
  fi
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$@"
fi
exec "$@"
