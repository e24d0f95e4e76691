#!/usr/bin/env bash
# Interleaved readings of one Google Benchmark in two builds, for a noisy host: each round runs
# the base binary, then the new one, and prints both items/s.
#   usage: bench/interleave.sh ROUNDS FILTER BASE_BINARY NEW_BINARY [MIN_TIME=2]
#   e.g.   bench/interleave.sh 6 BM_ValidateEveryLayerMutations \
#            /tmp/before/facteur_pipeline_bench build/bench/facteur_pipeline_bench
# (A benchmark that sets its own MinTime keeps it.)
set -euo pipefail
rounds=$1; filter=$2; base=$3; new=$4; min_time=${5:-2}
reading() {
  "$1" --benchmark_filter="$filter" --benchmark_min_time="$min_time" 2>&1 |
    grep -o 'items_per_second=[0-9.]*[kM]*' | head -n 1 | cut -d= -f2
}
for r in $(seq "$rounds"); do
  echo "round $r base=$(reading "$base") new=$(reading "$new") $(date -u +%H:%M:%S)"
done
