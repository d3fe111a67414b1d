#!/usr/bin/env bash
# Load test of `nmscds serve` (issue #3): a real patient-view body with prefetch, POSTed by wrk over loopback.
#   bench/load/run.sh [BUILD_DIR]
# Reports: maximum throughput (no rate limit), p50/p99 latency at 1,000 requests per second, and the server's
# resident memory sampled every 5 s over a 60 s run at that rate. The server runs with
# --allow-unauthenticated so that wrk can replay one body (a signed token may be used once only); the cost of
# JWT verification is measured separately by the Google Benchmark BM_JwtVerify* (bench/).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD="${1:-$ROOT/build}"
SHARED="$ROOT/../shared"
WORK="$(mktemp -d)"
PORT="${PORT:-18480}"
THREADS="${THREADS:-$(nproc)}"
CONNECTIONS="${CONNECTIONS:-8}"
trap 'kill "$SERVER" 2>/dev/null || true; rm -rf "$WORK"' EXIT

python3 "$ROOT/bench/load/patient_view_body.py" "$SHARED/spec/examples/bundle-fn-polypharmacy.json" > "$WORK/body.json"
"$BUILD/nmscds" serve --allow-unauthenticated --port "$PORT" --threads "$CONNECTIONS" --audit "$WORK/audit.db" \
  --max-concurrent 256 2>"$WORK/server.log" &
SERVER=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
URL="http://127.0.0.1:$PORT/cds-services/nms-assessment"
STATUS=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data-binary @"$WORK/body.json" "$URL")
[ "$STATUS" = 200 ] || { echo "the service answered $STATUS" >&2; cat "$WORK/server.log" >&2; exit 1; }

echo "== maximum throughput ($THREADS wrk threads, $CONNECTIONS connections, 20 s)"
BODY_FILE="$WORK/body.json" RATE=1000000000 CONNECTIONS="$CONNECTIONS" \
  wrk -t "$THREADS" -c "$CONNECTIONS" -d 20s --latency -s "$ROOT/bench/load/post.lua" "$URL"

echo "== 1,000 requests per second for 60 s (p50/p99), resident memory every 5 s"
( for i in $(seq 0 5 60); do
    echo "rss t=${i}s $(awk '/VmRSS/ {print $2, $3}' /proc/$SERVER/status)"; sleep 5; done ) &
SAMPLER=$!
BODY_FILE="$WORK/body.json" RATE=1000 CONNECTIONS=10 \
  wrk -t 2 -c 10 -d 60s --latency -s "$ROOT/bench/load/post.lua" "$URL"
wait "$SAMPLER" || true
grep -c ' 200 ' "$WORK/server.log" | sed 's/^/access log lines with status 200: /'
