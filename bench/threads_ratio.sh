#!/usr/bin/env bash
# Issue #3's two-core ratio on a noisy host: each round runs BM_ValidateXmlXsdEn16931 on one
# thread, then on two, and prints both rates and their ratio; quote the median ratio.
#   usage: bench/threads_ratio.sh [ROUNDS=8] [BINARY=build/bench/facteur_pipeline_bench]
set -euo pipefail
rounds=${1:-8}; bin=${2:-build/bench/facteur_pipeline_bench}
rate() {
  "$bin" --benchmark_filter="BM_ValidateXmlXsdEn16931/.*threads:$1\$" 2>&1 |
    grep -o 'items_per_second=[0-9.]*[kM]*' | head -n 1 | cut -d= -f2 |
    awk '{ v = $1 + 0; if ($1 ~ /k$/) v *= 1000; if ($1 ~ /M$/) v *= 1000000; printf "%.0f", v }'
}
for r in $(seq "$rounds"); do
  one=$(rate 1); two=$(rate 2)
  echo "round $r one=$one two=$two ratio=$(awk -v a="$one" -v b="$two" 'BEGIN { printf "%.2f", b / a }') $(date -u +%H:%M:%S)"
done
