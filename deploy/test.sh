#!/usr/bin/env bash
# README command 2 (and all that .ci/run does): set-up + build + the whole test suite, then the
# libFuzzer target on the XML adapter for FACTEUR_FUZZ_SECONDS (default 60).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash deploy/build.sh
(cd build && ctest -j"$(nproc)" --output-on-failure)

seconds=${FACTEUR_FUZZ_SECONDS:-60}
if [ "$seconds" -gt 0 ]; then
  CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DFACTEUR_FUZZ=ON -DFACTEUR_SCHEMA_DIR="$PWD/build/schemas" > /dev/null
  ninja -C build-fuzz facteur_xml_fuzzer
  corpus=build-fuzz/corpus
  mkdir -p "$corpus"
  cp fixtures/xml/hostile/*.xml fixtures/samples/*.xml "$corpus"/
  ./build-fuzz/fuzz/facteur_xml_fuzzer -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 \
    -timeout=10 "$corpus" 2>&1 | tail -n 5
  echo "fuzz: facteur_xml_fuzzer ran ${seconds}s without a crash"
fi
