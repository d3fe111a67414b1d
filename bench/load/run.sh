#!/usr/bin/env bash
# Load test of `nmscds serve` (issue #3): a real patient-view body with prefetch, POSTed by wrk over loopback.
#   bench/load/run.sh [BUILD_DIR]
# Reports: maximum throughput (no rate limit), p50/p99 latency at 1,000 requests per second, and the server's
# resident memory sampled every 5 s over a 60 s run at that rate, with --allow-unauthenticated; then 30 s at
# 1,000 requests per second against a second server that verifies an ES384 token on every request (tokens
# from bench/load/tokens.py, each used once). wrk runs on the same machine and shares its cores.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD="${1:-$ROOT/build}"
SHARED="$ROOT/../shared"
WORK="$(mktemp -d)"
PORT="${PORT:-18480}"
THREADS="${THREADS:-$(nproc)}"
CONNECTIONS="${CONNECTIONS:-8}"
SERVER="" AUTHED=""
trap 'kill $SERVER $AUTHED 2>/dev/null || true; rm -rf "$WORK"' EXIT

python3 "$ROOT/bench/load/patient_view_body.py" "$SHARED/spec/examples/bundle-fn-polypharmacy.json" > "$WORK/body.json"
"$BUILD/nmscds" serve --allow-unauthenticated --port "$PORT" --audit "$WORK/audit.db" 2>"$WORK/server.log" &
SERVER=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
URL="http://127.0.0.1:$PORT/cds-services/nms-assessment"
STATUS=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data-binary @"$WORK/body.json" "$URL")
[ "$STATUS" = 200 ] || { echo "the service answered $STATUS" >&2; cat "$WORK/server.log" >&2; exit 1; }

echo "== maximum throughput ($THREADS wrk threads, $CONNECTIONS connections, 20 s)"
BODY_FILE="$WORK/body.json" RATE=1000000000 WRK_THREADS="$THREADS" \
  wrk -t "$THREADS" -c "$CONNECTIONS" -d 20s --latency -s "$ROOT/bench/load/post.lua" "$URL"

echo "== 1,000 requests per second for 60 s (p50/p99), resident memory every 5 s"
( for i in $(seq 0 5 60); do
    echo "rss t=${i}s $(awk '/VmRSS/ {print $2, $3}' /proc/$SERVER/status)"; sleep 5; done ) &
SAMPLER=$!
BODY_FILE="$WORK/body.json" RATE=1000 WRK_THREADS=2 \
  wrk -t 2 -c 16 -d 60s --latency -s "$ROOT/bench/load/post.lua" "$URL"
wait "$SAMPLER" || true
grep -c ' 200 ' "$WORK/server.log" | sed 's/^/access log lines with status 200: /'
kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""

echo "== with JWT verification (ES384, a fresh token per request): 1,000 requests per second for 30 s"
AUTH_PORT=$((PORT + 1))
python3 "$ROOT/bench/load/tokens.py" "$WORK/issuers.json" "$WORK/tokens.txt" \
  "http://127.0.0.1:$AUTH_PORT/cds-services/nms-assessment" 33000
"$BUILD/nmscds" serve --port "$AUTH_PORT" --public-url "http://127.0.0.1:$AUTH_PORT" \
  --trusted-issuers "$WORK/issuers.json" --audit "$WORK/audit-auth.db" 2>"$WORK/server-auth.log" &
AUTHED=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$AUTH_PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
BODY_FILE="$WORK/body.json" RATE=1000 WRK_THREADS=2 TOKENS_FILE="$WORK/tokens.txt" \
  wrk -t 2 -c 16 -d 30s --latency -s "$ROOT/bench/load/post.lua" "http://127.0.0.1:$AUTH_PORT/cds-services/nms-assessment"
echo "access log lines with status 200: $(grep -c ' 200 ' "$WORK/server-auth.log" || true)," \
  "with 401: $(grep -c ' 401 ' "$WORK/server-auth.log" || true)"
