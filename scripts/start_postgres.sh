#!/usr/bin/env bash
# Start a throw-away PostgreSQL cluster for the store and flow tests, and export
# ROADMAP_TEST_PG_URL=postgresql+psycopg://...  Idempotent: a second call reuses the running
# cluster. Meant to be sourced (`source scripts/start_postgres.sh`, as .ci/run does); run
# directly it prints the export line.
#
# Uses the Debian binaries under /usr/lib/postgresql/*/bin. The cluster lives in
# $ROADMAP_PG_DIR (default ${TMPDIR:-/tmp}/roadmap-pg), listens on 127.0.0.1 only, on 5432
# when free else the next free port, with trust authentication (loopback, tests only).
# As root, initdb and the server run as the `postgres` user (PostgreSQL refuses root).

_roadmap_pg_start() {
    local bindir dir port db owner run pgdata logfile p
    bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
    if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
        echo "start_postgres: no PostgreSQL binaries under /usr/lib/postgresql/*/bin (apt-get install postgresql)" >&2
        return 1
    fi
    dir="${ROADMAP_PG_DIR:-${TMPDIR:-/tmp}/roadmap-pg}"
    db="${ROADMAP_PG_DB:-roadmap_test}"
    pgdata="$dir/data"
    logfile="$dir/server.log"

    if [ "$(id -u)" = "0" ]; then
        owner=postgres
        if ! id "$owner" >/dev/null 2>&1; then
            useradd --system --home-dir "$dir" --shell /bin/bash "$owner"
        fi
        run() { runuser -u "$owner" -- "$@"; }
    else
        owner="$(id -un)"
        run() { "$@"; }
    fi

    mkdir -p "$dir"
    chown "$owner" "$dir" 2>/dev/null || true

    if [ ! -f "$pgdata/PG_VERSION" ]; then
        run "$bindir/initdb" -D "$pgdata" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
            || run "$bindir/initdb" -D "$pgdata" -U postgres --auth=trust --encoding=UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
            || { echo "start_postgres: initdb failed, see $dir/initdb.log" >&2; return 1; }
    fi

    if run "$bindir/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; then
        port="$(sed -n 4p "$pgdata/postmaster.pid")"
    else
        port="${ROADMAP_PG_PORT:-5432}"
        for p in $(seq "$port" $((port + 50))); do
            if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
                port="$p"
                break
            fi
        done
        run "$bindir/pg_ctl" -D "$pgdata" -l "$logfile" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $port -k $pgdata -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
            start >/dev/null \
            || { echo "start_postgres: server did not start, see $logfile" >&2; return 1; }
    fi

    if ! run "$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -Atqc \
            "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
        run "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres "$db" \
            || { echo "start_postgres: createdb $db failed" >&2; return 1; }
    fi

    export ROADMAP_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$port/$db"
    echo "export ROADMAP_TEST_PG_URL=$ROADMAP_TEST_PG_URL"
    unset -f run
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    set -euo pipefail
    _roadmap_pg_start
else
    _roadmap_pg_start
fi
