#!/usr/bin/env bash
# A throw-away PostgreSQL server for the test suite on 127.0.0.1, one per checkout.
#
#   scripts/test-postgres.sh run -- CMD...  start, run CMD with TIRO_TEST_POSTGRES_URL set, then
#                                           stop the server (kept when TIRO_KEEP_POSTGRES=1);
#                                           exits with CMD's status
#   scripts/test-postgres.sh start          start (or reuse) and print the connection URL
#   scripts/test-postgres.sh stop           stop this checkout's server
#   scripts/test-postgres.sh status         print the URL when running, exit non-zero otherwise
#   scripts/test-postgres.sh dir            print this checkout's data directory
#
# The data directory is derived from the checkout's path (two clones never share a server),
# and the port is a free one picked at the first start and remembered in that directory.
# TIRO_TEST_PG_DIR and TIRO_TEST_PG_PORT override both. Installs the server with apt when it
# is missing and we are root (CI, a fresh machine).
set -euo pipefail
shopt -s inherit_errexit  # a failing step inside $(start) fails start, not just the step
ROOT="$(cd "$(dirname "$0")/.." && pwd -P)"
KEY="$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)"
DIR="${TIRO_TEST_PG_DIR:-${TMPDIR:-/tmp}/tiro-pgtest-$KEY}"

find_bin() {
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
  done
  return 1
}

run_as_pg() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# A port nobody listens on: PORT itself when it is free, else one the kernel hands out.
free_port() {
  python3 - "${1:-0}" <<'PY'
import socket, sys
for want in (int(sys.argv[1]), 0):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", want))
        except OSError:
            continue
        print(s.getsockname()[1])
        break
PY
}

port() {
  if [ -n "${TIRO_TEST_PG_PORT:-}" ]; then echo "$TIRO_TEST_PG_PORT"
  elif [ -s "$DIR/tiro-port" ]; then cat "$DIR/tiro-port"
  else free_port
  fi
}

url() { echo "postgresql+psycopg://tiro@127.0.0.1:$(port)/postgres"; }

running() {
  local bin
  bin=$(find_bin) && [ -f "$DIR/PG_VERSION" ] && run_as_pg "$bin/pg_ctl" -D "$DIR" status >/dev/null 2>&1
}

start() {
  local bin p
  if ! bin=$(find_bin); then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
      echo "installing postgresql with apt" >&2
      apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
      bin=$(find_bin)
    else
      echo "no PostgreSQL server found and cannot install it" >&2
      exit 1
    fi
  fi
  if [ "$(id -u)" = "0" ] && ! id postgres >/dev/null 2>&1; then
    useradd --system --home-dir /var/lib/postgresql postgres
  fi
  if running; then url; return 0; fi
  p=${TIRO_TEST_PG_PORT:-$(free_port "$(cat "$DIR/tiro-port" 2>/dev/null || echo 0)")}
  rm -rf "$DIR"; mkdir -p "$DIR"
  [ "$(id -u)" = "0" ] && chown postgres "$DIR"
  run_as_pg "$bin/initdb" -D "$DIR" -U tiro --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  echo "$p" > "$DIR/tiro-port"
  run_as_pg "$bin/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w \
    -o "-p $p -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" \
    start >/dev/null
  url
}

stop() {
  local bin
  if running; then
    bin=$(find_bin)
    run_as_pg "$bin/pg_ctl" -D "$DIR" -m fast -w stop >/dev/null
  fi
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  status) running && url ;;
  dir) echo "$DIR" ;;
  run)
    shift; [ "${1:-}" = "--" ] && shift
    [ $# -gt 0 ] || { echo "usage: $0 run -- CMD..." >&2; exit 2; }
    # No `|| …` here: that would switch errexit off inside start and hide a failed step.
    TIRO_TEST_POSTGRES_URL=$(start)
    export TIRO_TEST_POSTGRES_URL
    if [ "${TIRO_KEEP_POSTGRES:-}" = "1" ]; then
      echo "PostgreSQL kept running at $TIRO_TEST_POSTGRES_URL ($DIR); stop: $0 stop" >&2
    else
      trap stop EXIT
      trap 'exit 130' INT TERM
    fi
    status=0
    "$@" || status=$?
    exit "$status"
    ;;
  *) echo "usage: $0 run -- CMD... | start | stop | status | dir" >&2; exit 2 ;;
esac
