#!/usr/bin/env bash
# README command 1: set-up + build + the main job. Until the gateway exists, the main job is
# `facteur validate` on the bundled sample invoices, with the report printed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash deploy/build.sh
./build/facteur validate --lang "${FACTEUR_LANG:-fr}" fixtures/samples/facture-ubl.xml fixtures/samples/facture-cii.xml
