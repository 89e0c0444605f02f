#!/usr/bin/env bash
# .ci/postgres.sh — a throwaway local PostgreSQL server for clawvm's PostgreSQL tests.
#
# Usage (from anywhere; the script finds nothing relative to the working directory):
#
#   .ci/postgres.sh                 start (or reuse) the server; prints on stdout
#                                   export CLAWVM_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:54329/clawvm_test
#   eval "$(.ci/postgres.sh)"       ... and put that variable into this shell
#   source .ci/postgres.sh          same as the eval line (bash; safe to source: it sets no
#                                   shell options in your shell and never exits it)
#   .ci/postgres.sh status          exit 0 if the server answers, 1 if not
#   .ci/postgres.sh stop            stop the server (the data directory is kept)
#   .ci/postgres.sh destroy         stop the server and delete its data directory
#
#   .venv/bin/python -m pytest tests/test_postgres.py     # uses CLAWVM_TEST_POSTGRES_URL
#
# What "start" does, idempotently (re-running while the server is up only re-prints the URL):
#   1. finds pg_ctl/initdb (PATH, then /usr/lib/postgresql/*/bin, newest first); when they
#      are missing it installs the Debian `postgresql` package with apt-get (as root), unless
#      CLAWVM_PG_NO_INSTALL=1 (the test suite sets that: tests never apt-get);
#   2. initdb's a cluster in $CLAWVM_PG_DIR (default ${TMPDIR:-/tmp}/clawvm-ci-pg-$PORT),
#      superuser `postgres`, trust authentication (password-less, local use only), UTF-8, C
#      locale. initdb refuses to run as root, so as root every server command runs as the
#      `postgres` OS user (runuser, else su), which then owns the data directory;
#   3. starts it with `pg_ctl -w start`, listening on 127.0.0.1:$CLAWVM_PG_PORT only
#      (default 54329), its unix socket inside the data directory, log in <datadir>/server.log;
#   4. creates the database $CLAWVM_PG_DB (default clawvm_test) when missing.
# Concurrent runs are serialised with flock on <datadir>.lock.
#
# Settings (environment): CLAWVM_PG_PORT, CLAWVM_PG_DIR, CLAWVM_PG_DB, CLAWVM_PG_NO_INSTALL.
# Messages go to stderr; stdout carries only the export line, so `eval "$(...)"` is safe.

_clawvm_pg() (
    set -euo pipefail
    cmd=${1:-start}
    port=${CLAWVM_PG_PORT:-54329}
    db=${CLAWVM_PG_DB:-clawvm_test}
    dir=${CLAWVM_PG_DIR:-${TMPDIR:-/tmp}/clawvm-ci-pg-$port}
    url="postgresql://postgres@127.0.0.1:$port/$db"

    say() { echo "postgres.sh: $*" >&2; }
    die() { say "error: $*"; exit 1; }

    case $cmd in start | status | stop | destroy) ;; *) die "unknown command '$cmd' (start|status|stop|destroy)" ;; esac
    case $port in '' | *[!0-9]*) die "CLAWVM_PG_PORT must be a number, got '$port'" ;; esac

    find_bindir() {
        local p
        if p=$(command -v pg_ctl 2>/dev/null) && [ -x "$(dirname "$(readlink -f "$p")")/initdb" ]; then
            dirname "$(readlink -f "$p")"
            return 0
        fi
        for p in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5 -rn); do
            if [ -x "$p/pg_ctl" ] && [ -x "$p/initdb" ]; then
                echo "$p"
                return 0
            fi
        done
        return 1
    }

    if ! bindir=$(find_bindir); then
        [ "$cmd" = start ] || { say "PostgreSQL is not installed"; exit 1; }
        [ "${CLAWVM_PG_NO_INSTALL:-}" != 1 ] ||
            die "pg_ctl/initdb not found and CLAWVM_PG_NO_INSTALL=1 (install the postgresql package)"
        [ "$(id -u)" = 0 ] || die "pg_ctl/initdb not found; run as root to apt-get install postgresql"
        command -v apt-get >/dev/null || die "pg_ctl/initdb not found and there is no apt-get"
        say "installing PostgreSQL from Debian packages"
        if [ ! -e /etc/postgresql-common/createcluster.conf ]; then
            # we make our own cluster; do not let the package create and start 'main'
            mkdir -p /etc/postgresql-common
            echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.conf
        fi
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >&2
        apt-get install -y -qq postgresql >&2
        bindir=$(find_bindir) || die "postgresql installed, but pg_ctl/initdb are still not found"
    fi

    # Run a server-side command as the data directory's owner (postgres when we are root).
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || die "running as root but there is no 'postgres' user"
        if command -v runuser >/dev/null; then
            as_owner() { runuser -u postgres -- "$@"; }
        else
            as_owner() { su postgres -s /bin/sh -c '"$0" "$@"' -- "$@"; }
        fi
    else
        as_owner() { "$@"; }
    fi

    pg() { as_owner "$bindir/pg_ctl" -D "$dir" "$@"; }
    psql_() { "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres "$@"; }
    answers() { "$bindir/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAc 'select 1' >/dev/null 2>&1; }
    ours_up() { [ -f "$dir/PG_VERSION" ] && pg status >/dev/null 2>&1; }

    case $cmd in
    status)
        if answers; then say "server answers on 127.0.0.1:$port"; exit 0; fi
        say "no server on 127.0.0.1:$port"
        exit 1
        ;;
    stop | destroy)
        if ours_up; then
            pg -m fast -w stop >&2
        else
            say "no server running from $dir"
        fi
        if [ "$cmd" = destroy ]; then rm -rf "$dir" "$dir.lock" "$dir.initdb.log"; fi
        exit 0
        ;;
    esac

    mkdir -p "$(dirname "$dir")"
    if command -v flock >/dev/null; then
        exec 9>"$dir.lock"
        flock -w 120 9 || die "timed out waiting for $dir.lock"
    fi

    if ! ours_up; then
        if answers; then
            say "another server already answers on 127.0.0.1:$port; reusing it"
        else
            if [ ! -f "$dir/PG_VERSION" ]; then
                rm -rf "$dir"
                mkdir -p "$dir"
                chmod 700 "$dir"
                [ "$(id -u)" != 0 ] || chown postgres: "$dir"
                say "initdb $dir ($("$bindir/postgres" --version))"
                as_owner "$bindir/initdb" -D "$dir" -U postgres --auth=trust -E UTF8 \
                    --locale=C --no-sync >"$dir.initdb.log" 2>&1 ||
                    { cat "$dir.initdb.log" >&2; die "initdb failed"; }
            fi
            say "starting on 127.0.0.1:$port (log: $dir/server.log)"
            pg -w -t 60 -l "$dir/server.log" \
                -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories='$dir'" \
                start >/dev/null 9>&- ||  # the server must not inherit (and hold) our lock
                { tail -n 20 "$dir/server.log" >&2 || true; die "pg_ctl start failed"; }
        fi
    fi
    answers || die "a server runs from $dir but does not answer on 127.0.0.1:$port as postgres"
    if [ "$(psql_ -d postgres -tAc "select 1 from pg_database where datname = '$db'")" != 1 ]; then
        say "creating database $db"
        psql_ -d postgres -c "create database \"$db\"" >&2
    fi
    echo "$url"
)

_clawvm_pg_cmd=${1:-start}
if [ -n "${BASH_SOURCE[0]:-}" ] && [ "${BASH_SOURCE[0]}" != "$0" ]; then
    # sourced: "$@" may be the sourcing script's own arguments, not ours
    case $_clawvm_pg_cmd in start | status | stop | destroy) ;; *) _clawvm_pg_cmd=start ;; esac
fi
if _clawvm_pg_out=$(_clawvm_pg "$_clawvm_pg_cmd"); then
    if [ -n "$_clawvm_pg_out" ]; then
        export CLAWVM_TEST_POSTGRES_URL=$_clawvm_pg_out
        echo "export CLAWVM_TEST_POSTGRES_URL=$_clawvm_pg_out"
    fi
    unset _clawvm_pg_out _clawvm_pg_cmd
    unset -f _clawvm_pg
    # shellcheck disable=SC2317  # `return` when sourced, `exit` when run
    return 0 2>/dev/null || exit 0
else
    _clawvm_pg_rc=$?
    unset _clawvm_pg_out _clawvm_pg_cmd
    unset -f _clawvm_pg
    # shellcheck disable=SC2317
    return $_clawvm_pg_rc 2>/dev/null || exit $_clawvm_pg_rc
fi
