# Sourced by .ci/run: a private, throwaway PostgreSQL server for the tests.
#
# Installs the Debian package postgresql when its programs are missing, makes a new cluster in a
# temporary folder (owned by the "postgres" system user when this runs as root: initdb refuses
# root), starts it on a free port of 127.0.0.1 with its socket in that folder (so a system server
# already on 5432 does not matter), trusts local connections, creates the database tsa_test and
# exports TSA_TEST_POSTGRES_URL for tests/conftest.py. The server is stopped and the folder
# removed when the calling script exits.
#
# Nothing here stops CI: without PostgreSQL it warns, and the tests run on SQLite only.
# An already set TSA_TEST_POSTGRES_URL is used as it is.

tsa_pg_warn() {
    echo "WARNING: $*" >&2
    echo "WARNING: the tests run on SQLite only, not on PostgreSQL." >&2
}

tsa_pg_bindir() {
    local found
    found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [ -n "$found" ] && [ -x "$found/initdb" ]; then
        echo "$found"
    elif command -v initdb >/dev/null 2>&1; then
        dirname "$(command -v initdb)"
    else
        return 1
    fi
}

tsa_pg_install() {
    local sudo=""
    if [ "$(id -u)" != 0 ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            sudo="sudo -n"
        else
            echo "PostgreSQL is not installed and this user cannot install it (not root, no sudo)." >&2
            return 1
        fi
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "PostgreSQL is not installed and there is no apt-get to install it with." >&2
        return 1
    fi
    echo "Installing PostgreSQL (apt-get install postgresql)..."
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
}

tsa_pg_free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null ||
        echo $((20000 + RANDOM % 20000))
}

# Run a PostgreSQL server program as the cluster's owner.
tsa_pg_as_owner() {
    if [ -n "${TSA_PG_OWNER:-}" ]; then
        (cd "$TSA_PG_DIR" && runuser -u "$TSA_PG_OWNER" -- "$@")
    else
        "$@"
    fi
}

tsa_pg_stop() {
    if [ -n "${TSA_PG_DIR:-}" ] && [ -d "$TSA_PG_DIR" ]; then
        if [ -f "$TSA_PG_DIR/data/postmaster.pid" ]; then
            tsa_pg_as_owner "$TSA_PG_BIN/pg_ctl" -D "$TSA_PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
        fi
        rm -rf "$TSA_PG_DIR"
    fi
    TSA_PG_DIR=""
}

tsa_pg_start() {
    TSA_PG_BIN=$(tsa_pg_bindir) || { tsa_pg_install && TSA_PG_BIN=$(tsa_pg_bindir); } || return 1
    TSA_PG_OWNER=""
    if [ "$(id -u)" = 0 ]; then
        if ! id postgres >/dev/null 2>&1 || ! command -v runuser >/dev/null 2>&1; then
            echo "Running as root without a postgres user or runuser: initdb cannot run as root." >&2
            return 1
        fi
        TSA_PG_OWNER=postgres
    fi
    TSA_PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/tsa-pg.XXXXXX") || return 1
    trap tsa_pg_stop EXIT
    trap 'exit 130' INT TERM
    if [ -n "$TSA_PG_OWNER" ]; then
        chown "$TSA_PG_OWNER" "$TSA_PG_DIR" || return 1
    fi
    tsa_pg_as_owner "$TSA_PG_BIN/initdb" -D "$TSA_PG_DIR/data" -U postgres --auth=trust \
        --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$TSA_PG_DIR/initdb.log" 2>&1 ||
        tsa_pg_as_owner "$TSA_PG_BIN/initdb" -D "$TSA_PG_DIR/data" -U postgres --auth=trust \
            --encoding=UTF8 --no-sync >"$TSA_PG_DIR/initdb.log" 2>&1 ||
        { cat "$TSA_PG_DIR/initdb.log" >&2; return 1; }
    local port attempt
    for attempt in 1 2 3; do
        port=$(tsa_pg_free_port)
        # fsync off: a throwaway server; nothing in it needs to survive a crash of this machine.
        if tsa_pg_as_owner "$TSA_PG_BIN/pg_ctl" -D "$TSA_PG_DIR/data" -l "$TSA_PG_DIR/server.log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $port -k $TSA_PG_DIR -c fsync=off -c max_connections=200" \
            start >/dev/null; then
            break
        fi
        port=""
    done
    if [ -z "$port" ]; then
        cat "$TSA_PG_DIR/server.log" >&2 2>/dev/null
        return 1
    fi
    "$TSA_PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres tsa_test || return 1
    export TSA_TEST_POSTGRES_URL="postgresql+psycopg://postgres@127.0.0.1:$port/tsa_test"
    echo "PostgreSQL $("$TSA_PG_BIN/postgres" --version | awk '{print $3}') for the tests: $TSA_TEST_POSTGRES_URL"
}

if [ -n "${TSA_TEST_POSTGRES_URL:-}" ]; then
    echo "PostgreSQL for the tests: the given TSA_TEST_POSTGRES_URL"
elif ! tsa_pg_start; then
    tsa_pg_stop
    tsa_pg_warn "could not install or start a PostgreSQL server."
fi
