#!/usr/bin/env bash
# Server CPU seconds per million delivered messages, from a natsbench results file
# (`../shared/bench/run.sh` writes results/<time>/raw.jsonl): median over rounds per
# server, for every scenario that reports deliveries.
#
# Usage: scripts/cpu-per-million.sh path/to/raw.jsonl
set -euo pipefail
echo "| scenario | case | server | server CPU s per million delivered (median) | rounds |"
echo "|---|---|---|---:|---:|"
jq -r 'select(.info.delivered != null and .info.delivered > 0 and .info.server_cpu_s != null)
       | [.scenario, .case, .server, (.info.server_cpu_s * 1e6 / .info.delivered)] | @tsv' "$1" |
  sort -k1,1 -k2,2 -k3,3 -k4,4g |
  awk -F'\t' '
    { key = $1 "\t" $2 "\t" $3; v[key, ++n[key]] = $4; keys[key] = 1 }
    END {
      for (k in keys) {
        c = n[k]; m = (c % 2) ? v[k, (c + 1) / 2] : (v[k, c / 2] + v[k, c / 2 + 1]) / 2
        split(k, f, "\t"); printf "| %s | %s | %s | %.3f | %d |\n", f[1], f[2], f[3], m, c
      }
    }' | sort
