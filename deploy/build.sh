#!/usr/bin/env bash
# Installs the Debian packages (deploy/install-deps.sh), configures and builds facteur into
# build/ (CMake + Ninja + ccache). Idempotent; a second run rebuilds only what changed.
#
# Profile-guided optimisation (g++ -fprofile-use): when ../shared/conformance is there, an
# instrumented facteur (build-pgo/) first validates the examples, the mutations and the Factur-X
# corpus, every layer, one job (a fixed workload), and build/ is compiled with the counts it
# wrote. The profile is made again only when a file under src/, cmake/ or CMakeLists.txt
# changed. FACTEUR_PGO=off builds without it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash deploy/install-deps.sh
werror=OFF
if [ "${CI:-}" = "true" ]; then werror=ON; fi
conf=../shared/conformance
profile="$PWD/build-pgo/profile"
pgo=OFF
if [ "${FACTEUR_PGO:-on}" != off ] && [ -d "$conf/examples" ] && [ -d "$conf/mutations" ]; then
  sources=$(find src cmake CMakeLists.txt -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum |
            cut -c1-64)
  if [ ! -f "$profile/sources.sha256" ] || [ "$(cat "$profile/sources.sha256")" != "$sources" ]; then
    rm -rf "$profile"
    cmake -S . -B build-pgo -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFACTEUR_WERROR="$werror" \
      -DFACTEUR_BUILD_TESTS=OFF -DFACTEUR_BUILD_BENCHMARKS=OFF -DFACTEUR_PGO=GENERATE \
      -DFACTEUR_PGO_DIR="$profile"
    ninja -C build-pgo facteur
    find "$conf/examples" "$conf/mutations" -name '*.xml' | sort > build-pgo/training.lst
    if [ -d "$conf/facturx" ]; then
      find "$conf/facturx" -name '*.pdf' | sort >> build-pgo/training.lst
    fi
    # Invalid documents make facteur exit 1, and xargs 123; anything else is a failure.
    status=0
    xargs -s 2000000 -d '\n' -a build-pgo/training.lst ./build-pgo/facteur validate \
      --format json --jobs 1 > /dev/null || status=$?
    if [ "$status" -ne 0 ] && [ "$status" -ne 123 ]; then
      echo "deploy/build.sh: the profiling run failed (xargs status $status)" >&2
      exit 1
    fi
    echo "$sources" > "$profile/sources.sha256"
  fi
  pgo=USE
fi
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFACTEUR_WERROR="$werror" \
  -DFACTEUR_PGO="$pgo" -DFACTEUR_PGO_DIR="$profile"
ninja -C build
