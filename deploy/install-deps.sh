#!/usr/bin/env bash
# Installs exactly the Debian 12 packages facteur needs to build, test and run.
# Idempotent: packages already present are not touched, and `apt-get update` runs at most once
# per call, only when something is missing. Run as root (or with sudo available).
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config git python3
  clang-14 libclang-rt-14-dev
  # libraries (house-style §1.2 adapters)
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libxerces-c-dev libxml2-dev libssl-dev
  librocksdb-dev libqpdf-dev libhpdf-dev
  libexpected-dev
  # allocator of build/facteur and the benchmarks: tcmalloc (cmake/FacteurMalloc.cmake, ADR 0005)
  libtcmalloc-minimal4
  # runtime data of Factur-X generation (render/, formats/facturx make_facturx): embedded fonts
  # /usr/share/fonts/truetype/dejavu/DejaVuSans{,-Bold}.ttf, output intent /usr/share/color/icc/sRGB.icc
  fonts-dejavu-core icc-profiles-free
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev
  # reference tool for the XSD benchmark and the conformance comparison
  libxml2-utils bc
  # reference tool for the RFC 3161 cross-checks (tests/crypto/timestamp_test.cpp: `openssl ts`)
  openssl
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "deploy: all ${#packages[@]} packages already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "deploy: installing ${#missing[@]} missing package(s): ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "deploy: done"
