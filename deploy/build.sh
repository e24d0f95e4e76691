#!/usr/bin/env bash
# Installs the Debian packages (deploy/install-deps.sh), configures and builds facteur into
# build/ (CMake + Ninja + ccache). Idempotent; a second run rebuilds only what changed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash deploy/install-deps.sh
werror=OFF
if [ "${CI:-}" = "true" ]; then werror=ON; fi
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFACTEUR_WERROR="$werror"
ninja -C build
