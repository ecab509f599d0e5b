#!/usr/bin/env bash
# Start (or stop) a throw-away PostgreSQL server for the test suite on 127.0.0.1.
# Installs the server with apt when it is missing and we are root (CI, a fresh machine).
# Prints the connection URL on stdout. Usage: scripts/test-postgres.sh start|stop
set -euo pipefail
PORT="${TIRO_TEST_PG_PORT:-55432}"
DIR="${TIRO_TEST_PG_DIR:-/tmp/tiro-pgtest}"
URL="postgresql+psycopg://tiro@127.0.0.1:${PORT}/postgres"

find_bin() {
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
  done
  return 1
}

run_as_pg() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-start}" in
  start)
    if ! BIN=$(find_bin); then
      if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
        echo "installing postgresql with apt" >&2
        apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
        BIN=$(find_bin)
      else
        echo "no PostgreSQL server found and cannot install it" >&2
        exit 1
      fi
    fi
    if [ "$(id -u)" = "0" ] && ! id postgres >/dev/null 2>&1; then
      useradd --system --home-dir /var/lib/postgresql postgres
    fi
    if run_as_pg "$BIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then
      echo "$URL"; exit 0
    fi
    rm -rf "$DIR"; mkdir -p "$DIR"
    [ "$(id -u)" = "0" ] && chown postgres "$DIR"
    run_as_pg "$BIN/initdb" -D "$DIR" -U tiro --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    run_as_pg "$BIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w \
      -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
    echo "$URL"
    ;;
  stop)
    BIN=$(find_bin) && run_as_pg "$BIN/pg_ctl" -D "$DIR" -m fast stop >/dev/null 2>&1 || true
    ;;
esac
