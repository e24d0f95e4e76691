#!/usr/bin/env bash
# Same-run comparison of the two allocators (ADR 0005): the benchmark programs of build/
# (default: tcmalloc) against the same commit built with -DFACTEUR_MALLOC=system (glibc) into
# build-system-malloc/, alternated round by round. Prints items per second of each benchmark.
#   usage: bench/allocator_ab.sh [ROUNDS=5]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rounds=${1:-5}
cmake -S . -B build-system-malloc -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DFACTEUR_MALLOC=system -DFACTEUR_BUILD_TESTS=OFF > /dev/null
ninja -C build-system-malloc facteur facteur_rules_bench facteur_facturx_bench facteur_convert_bench > /dev/null
ninja -C build facteur facteur_rules_bench facteur_facturx_bench facteur_convert_bench > /dev/null
rates() {  # BENCH-PROGRAM [ARGS...]: "name=items_per_second ..." of each benchmark it runs
  "$@" 2>&1 | awk '/^BM/ { for (i = 1; i <= NF; i++) if ($i ~ /^items_per_second=/) {
    sub(/^items_per_second=/, "", $i); printf "%s=%s ", $1, $i } }'
}
for r in $(seq 1 "$rounds"); do
  for side in glibc tcmalloc; do
    dir=build/bench
    if [ "$side" = glibc ]; then dir=build-system-malloc/bench; fi
    echo "round $r $side $(rates "$dir/facteur_rules_bench" --benchmark_filter=BM_En16931)" \
      "$(rates "$dir/facteur_facturx_bench" --benchmark_filter='EveryLayer|BM_GenerateFacturx$|BM_ReadFacturx')" \
      "$(rates "$dir/facteur_convert_bench")"
  done
done
