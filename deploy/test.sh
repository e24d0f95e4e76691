#!/usr/bin/env bash
# README command 2 (and all that .ci/run does): set-up + build + the whole test suite, then the
# libFuzzer targets for FACTEUR_FUZZ_SECONDS in all (default 60).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash deploy/build.sh
(cd build && ctest -j"$(nproc)" --output-on-failure)

# libFuzzer (clang 14, ASan + UBSan), FACTEUR_FUZZ_SECONDS in all (default 60): a quarter on the
# XML adapter, a quarter on the PDF adapter (qpdf), a sixth each on the UBL/CII readers, on the
# rule engine and on the tree of Xerces' pass (against libxml2's).
seconds=${FACTEUR_FUZZ_SECONDS:-60}
if [ "$seconds" -gt 0 ]; then
  CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DFACTEUR_FUZZ=ON -DFACTEUR_SCHEMA_DIR="$PWD/build/schemas" > /dev/null
  ninja -C build-fuzz facteur_xml_fuzzer facteur_readers_fuzzer facteur_rules_fuzzer facteur_facturx_fuzzer \
    facteur_xsd_tree_fuzzer
  corpus=build-fuzz/corpus
  mkdir -p "$corpus"
  cp fixtures/xml/hostile/*.xml fixtures/samples/*.xml fixtures/rules/en16931/*.xml "$corpus"/
  pdf_corpus=build-fuzz/corpus-pdf
  mkdir -p "$pdf_corpus"
  # seeds: the smaller Factur-X PDFs. awk, not head: head closing the pipe early makes sort die
  # of SIGPIPE, which pipefail turns into a failed run (it did, once, in CI).
  if [ -d ../shared/conformance/facturx/corpus ]; then
    find ../shared/conformance/facturx/corpus -name '*.pdf' -size -400k | sort | awk 'NR <= 20' |
      while read -r f; do cp "$f" "$pdf_corpus/"; done
  fi
  run_fuzzer() {  # NAME SECONDS CORPUS MAX_LEN
    ./build-fuzz/fuzz/"$1" -max_total_time="$2" -max_len="$4" -rss_limit_mb=2048 -timeout=10 \
      "$3" 2>&1 | tail -n 3
    echo "fuzz: $1 ran $2s without a crash"
  }
  run_fuzzer facteur_xml_fuzzer $((seconds / 4)) "$corpus" 65536
  run_fuzzer facteur_facturx_fuzzer $((seconds / 4)) "$pdf_corpus" 1048576
  run_fuzzer facteur_readers_fuzzer $((seconds / 6)) "$corpus" 65536
  run_fuzzer facteur_rules_fuzzer $((seconds / 6)) "$corpus" 65536
  run_fuzzer facteur_xsd_tree_fuzzer $((seconds / 6)) "$corpus" 65536
fi
