#!/usr/bin/env bash
# Instructions per operation for the parser, the encoder, the subscription index and one
# publish through the router into subscribers' outbound buffers,
# counted by callgrind (repeatable on a shared machine, unlike timings).
#
# Each case runs twice, with N and 2N iterations; (Ir(2N) - Ir(N)) / N is the cost of one
# operation with start-up and index building cancelled out.
#
# Usage: scripts/callgrind.sh [N [CASE_REGEX]]   (default N = 20000, every case)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-20000}
ONLY=${2:-.}
TARGET=${CARGO_TARGET_DIR:-target}
cargo build --release -j 2 -q -p natrium-proto --example callgrind_proto
cargo build --release -j 2 -q -p natrium-subject --example callgrind_match
cargo build --release -j 2 -q -p natrium-core --example callgrind_publish

total_ir() {
    local out
    out=$(mktemp)
    valgrind --tool=callgrind --callgrind-out-file="$out" "$@" >/dev/null 2>&1
    awk '/^summary:/ { print $2 }' "$out"
    rm -f "$out"
}

per_op() {
    local bin=$1 case=$2 one two
    [[ $case =~ $ONLY ]] || return 0
    one=$(total_ir "$TARGET/release/examples/$bin" "$case" "$N")
    two=$(total_ir "$TARGET/release/examples/$bin" "$case" $((2 * N)))
    echo "| $bin | $case | $(( (two - one) / N )) |"
}

echo "| program | case | instructions per op |"
echo "|---|---|---:|"
for c in pub_16B pub_128B hpub sub ping encode_msg_128B; do
    per_op callgrind_proto "$c"
done
for c in hit_10k miss_10k hit_literal miss_literal hit_pwc miss_pwc hit_fwc miss_fwc; do
    per_op callgrind_match "$c"
done
for c in no_subs one_sub fanout4 queue4; do
    per_op callgrind_publish "$c"
done
