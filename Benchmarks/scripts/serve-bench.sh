#!/usr/bin/env bash
# Benchmarks of `petrel serve` (BENCHMARKS.md, "Server"): start-up time and idle memory, authenticated
# GET /api/v1/bots under wrk, and WebSocket fan-out to many clients. Needs a release build:
#   swift build -c release --product petrel && Benchmarks/scripts/serve-bench.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN="${PETREL_BIN:-.build/release/petrel}"
WORK=$(mktemp -d /tmp/petrel-serve-bench.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
export PETREL_ADMIN_PASSWORD=bench-admin-password
export PETREL_JWT_SECRET=9c2e4a6b8d0f1e3c5a7b9d2f4e6a8c0b1d3f5e7a9c2b4d6f8e0a1c3e5b7d9f2a

wait_port() {
    for _ in $(seq 1 400); do
        if grep -q "listening on" "$1" 2>/dev/null; then
            grep -o 'listening on http://127.0.0.1:[0-9]*' "$1" | grep -o '[0-9]*$'
            return
        fi
        sleep 0.005
    done
    echo "server did not start" >&2; exit 1
}

echo "== start-up and idle memory (no demo bot), 5 runs"
for run in 1 2 3 4 5; do
    rm -rf "$WORK/startup"
    start=$(date +%s%N)
    "$BIN" serve --port 0 --data-dir "$WORK/startup" --no-demo > "$WORK/startup.out" 2>/dev/null &
    pid=$!
    wait_port "$WORK/startup.out" > /dev/null
    ready=$(( ($(date +%s%N) - start) / 1000000 ))
    # Second start on the same data directory (the usual case: the database exists).
    kill -TERM $pid; wait $pid || true
    start=$(date +%s%N)
    "$BIN" serve --port 0 --data-dir "$WORK/startup" --no-demo > "$WORK/startup.out" 2>/dev/null &
    pid=$!
    wait_port "$WORK/startup.out" > /dev/null
    again=$(( ($(date +%s%N) - start) / 1000000 ))
    sleep 1
    rss=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
    echo "run $run: ready in $ready ms (new database), $again ms (existing); idle RSS $((rss / 1024)) MiB"
    kill -TERM $pid; wait $pid || true
done

echo "== GET /api/v1/bots with a bearer token (demo bot running), wrk"
"$BIN" serve --port 0 --data-dir "$WORK/api" --rate-limit 0 > "$WORK/api.out" 2>/dev/null &
pid=$!
port=$(wait_port "$WORK/api.out")
token=$(curl -s -X POST "http://127.0.0.1:$port/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d "{\"username\":\"admin\",\"password\":\"$PETREL_ADMIN_PASSWORD\"}" | python3 -c 'import sys,json; print(json.load(sys.stdin)["access_token"])')
curl -s "http://127.0.0.1:$port/api/v1/bots" -H "Authorization: Bearer $token" > /dev/null
for connections in 16 64; do
    echo "-- wrk -t2 -c$connections -d15s --latency"
    wrk -t2 -c"$connections" -d15s --latency -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/bots" \
        | grep -E "Requests/sec|Latency|50%|90%|99%|requests in|Non-2xx"
done
echo "-- busy RSS: $(( $(awk '/VmRSS/ {print $2}' /proc/$pid/status) / 1024 )) MiB"
kill -TERM $pid; wait $pid || true

echo "== WebSocket fan-out: 1,000 clients, one bot at 10 candles/s"
python3 Benchmarks/scripts/ws-fanout.py "$BIN" "$WORK/ws" 1000 20
