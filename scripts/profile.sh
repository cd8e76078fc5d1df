#!/usr/bin/env bash
# Profiles a server binary under one natsbench scenario: perf samples at 1999 Hz (software
# clock, which works in VMs without hardware counters), then prints where the server spent
# its time, by own time and by inclusive time. With inferno installed
# (`cargo install inferno`) it also writes a flame graph.
#
# Usage: scripts/profile.sh SERVER_BIN SCENARIO [NATSBENCH_ARGS...]
#   e.g. scripts/profile.sh target/release/natrium-server pub --pub-sizes 128
# Needs natsbench built by ../shared/bench/run.sh (or CARGO_TARGET_DIR=/tmp/natsbench-target
# cargo build --release in ../shared/bench). Output goes to ${OUT:-/tmp/natrium-profile}.
set -euo pipefail
SERVER=$1
SCENARIO=$2
shift 2
OUT=${OUT:-/tmp/natrium-profile}
BENCH=${NATSBENCH:-/tmp/natsbench-target/release/natsbench}
mkdir -p "$OUT"
PORT=$((20000 + RANDOM % 10000))
"$SERVER" -a 127.0.0.1 -p "$PORT" >"$OUT/server.log" 2>&1 &
PID=$!
trap 'kill "$PID" 2>/dev/null || true' EXIT
sleep 0.5
perf record -F 1999 -e cpu-clock --call-graph dwarf,16384 -p "$PID" -o "$OUT/perf.data" 2>/dev/null &
PERF=$!
sleep 0.3
"$BENCH" --url "nats://127.0.0.1:$PORT" --server-pid "$PID" "$@" "$SCENARIO" >"$OUT/result.jsonl" 2>/dev/null
kill -INT "$PERF"
wait "$PERF" || true
cat "$OUT/result.jsonl"
echo "== own time"
perf report -i "$OUT/perf.data" --no-children --stdio -g none --percent-limit 1 2>/dev/null | grep '%'
echo "== inclusive time, Natrium's own functions"
perf report -i "$OUT/perf.data" --children --stdio -g none --percent-limit 2 2>/dev/null |
    grep -E '\] natrium_(proto|subject|core|server)::' | head -30
if command -v inferno-collapse-perf >/dev/null && command -v inferno-flamegraph >/dev/null; then
    perf script -i "$OUT/perf.data" 2>/dev/null | inferno-collapse-perf >"$OUT/stacks.folded"
    inferno-flamegraph <"$OUT/stacks.folded" >"$OUT/flamegraph.svg"
    echo "flame graph: $OUT/flamegraph.svg"
fi
