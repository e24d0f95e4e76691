#!/usr/bin/env bash
# Installs the Debian packages (deploy/install-deps.sh), configures and builds facteur into
# build/ (CMake + Ninja + ccache). Idempotent; a second run rebuilds only what changed.
#
# The rule engine's modules are compiled with profile-guided optimisation
# (docs/adr/0006-profile-guided-rule-engine.md) when ../shared/conformance is there: an
# instrumented build of those modules alone (build-pgo/) runs tools/pgo/train.cpp over the
# examples, the mutations and the CDAR cases, and build/ compiles them with the counts it wrote.
# The profile is made again only when what it covers changed (its sources, the CMake files, the
# schema manifest, the compiler). FACTEUR_PGO=off builds without it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash deploy/install-deps.sh
werror=OFF
if [ "${CI:-}" = "true" ]; then werror=ON; fi
conf=../shared/conformance
profile="$PWD/build-pgo/profile"
pgo=OFF
if [ "${FACTEUR_PGO:-on}" != off ] && [ -d "$conf/examples" ] && [ -d "$conf/mutations" ]; then
  covered=$( { find src/core src/model src/xml src/rules tools/pgo cmake CMakeLists.txt \
                   schemas/MANIFEST -type f -print0 | sort -z | xargs -0 sha256sum
               g++ --version; } | sha256sum | cut -c1-64)
  if [ "$(cat "$profile/covered.sha256" 2>/dev/null)" != "$covered" ]; then
    rm -rf "$profile"
    cmake -S . -B build-pgo -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFACTEUR_WERROR="$werror" \
      -DFACTEUR_BUILD_TESTS=OFF -DFACTEUR_BUILD_BENCHMARKS=OFF -DFACTEUR_PGO=GENERATE \
      -DFACTEUR_PGO_DIR="$profile"
    ninja -C build-pgo facteur_pgo_train
    training=("$conf/examples" "$conf/mutations")
    if [ -d "$conf/cdar" ]; then training+=("$conf/cdar"); fi
    ./build-pgo/tools/pgo/facteur_pgo_train "${training[@]}"
    echo "$covered" > "$profile/covered.sha256"
  fi
  pgo=USE
fi
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFACTEUR_WERROR="$werror" \
  -DFACTEUR_PGO="$pgo" -DFACTEUR_PGO_DIR="$profile"
ninja -C build
