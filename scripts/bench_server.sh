#!/usr/bin/env bash
# Benchmark a production-like server: gunicorn (deploy/gunicorn.conf.py, DEBUG=0) on a loopback
# port, then `dangjian bench --url` against it with every role, then stop gunicorn.
# docs/BENCHMARKS.md says how the published figures were made with it.
#
# Usage: scripts/bench_server.sh ENV_FILE [bench options...]
#   ENV_FILE  exports the production settings (DATABASE_URL, SECRET_KEY, DANGJIAN_DATA_KEYS,
#             DANGJIAN_HASH_KEY — the keys the data was loaded with —, ALLOWED_HOSTS incl.
#             127.0.0.1, REDIS_URL, DANGJIAN_DATA_DIR, OTP_ENFORCE=0: bench signs in without
#             a second factor)
# Environment: BENCH_PORT (8014), GUNICORN_WORKERS (5), VENV (.venv)
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: $0 ENV_FILE [bench options...]" >&2; exit 2; }
# shellcheck disable=SC1090
. "$1"
shift
VENV="${VENV:-$PWD/.venv}"
PORT="${BENCH_PORT:-8014}"
export DEBUG=0 GUNICORN_BIND="127.0.0.1:$PORT" GUNICORN_WORKERS="${GUNICORN_WORKERS:-5}"
export GUNICORN_ACCESS_LOG="" GUNICORN_TIMEOUT="${GUNICORN_TIMEOUT:-120}"
LOG="$(mktemp /tmp/dangjian-bench-gunicorn.XXXXXX.log)"

"$VENV/bin/dangjian" collectstatic --noinput -v0
"$VENV/bin/gunicorn" --config deploy/gunicorn.conf.py dangjian.wsgi:application >"$LOG" 2>&1 &
GUNICORN_PID=$!
trap 'kill -INT "$GUNICORN_PID" 2>/dev/null || true; wait "$GUNICORN_PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  curl -s -o /dev/null "http://127.0.0.1:$PORT/login/" -H "X-Forwarded-Proto: https" && break
  kill -0 "$GUNICORN_PID" 2>/dev/null || { tail -30 "$LOG"; exit 1; }
  sleep 1
done
echo "gunicorn: $GUNICORN_WORKERS workers on 127.0.0.1:$PORT (log $LOG); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
"$VENV/bin/dangjian" bench --url "http://127.0.0.1:$PORT" "$@"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
