#!/usr/bin/env bash
# Seconds from `make run` in a fresh clone of this checkout to a 200 from /api/v1/health:
# the whole first run a newcomer meets (venv, install from the lock with bytecode compiled,
# migrations, reference data, server start). The clone gets its own venv and data directory
# and listens on a free port; everything it started is stopped at the end.
#
# Usage: bench/make_run_to_healthy.sh [COMMIT]   (default HEAD; uv's package cache is used
# as it is on this machine — say so when you quote the figure)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd -P)"
COMMIT="${1:-HEAD}"
WORK="$(mktemp -d)"
PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
git clone -q "$ROOT" "$WORK/tiro"
git -C "$WORK/tiro" checkout -q "$COMMIT"
cd "$WORK/tiro"
start=$(date +%s.%N)
TIRO_PORT="$PORT" setsid make run >"$WORK/make-run.log" 2>&1 &
pid=$!
cleanup() {
  kill -TERM -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
until curl -sf "http://127.0.0.1:$PORT/api/v1/health" >/dev/null; do
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "make run exited early:" >&2; tail -20 "$WORK/make-run.log" >&2; exit 1
  fi
  sleep 0.5
done
end=$(date +%s.%N)
printf 'make run -> healthy: %.1f s (commit %s, port %s)\n' "$(echo "$end - $start" | bc)" \
  "$(git rev-parse --short HEAD)" "$PORT"
grep -A1 "to have \`tiro\` on the PATH" "$WORK/make-run.log" || true
