#!/usr/bin/env bash
# Throughput of `facteur validate --layers xsd --format json` against `xmllint --noout --schema`
# over the same files (shared/conformance examples + mutations), in the same run; median of N.
#   usage: [FACTEUR=path/to/facteur] [FACTEUR_BASE=path/to/older/facteur] bench/xsd_vs_xmllint.sh [RUNS=5]
#   (default ./build/facteur). With FACTEUR_BASE, every round also runs that binary (base1, base2)
#   right after xmllint, so that a before/after comparison shares each round's machine state.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs=${1:-5}
conf=../shared/conformance
schemas=build/schemas
lists=$(mktemp -d)
python3 - "$conf" "$lists" <<'PY'
import json, sys, pathlib
conf, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
groups = {"ubl-invoice": [], "ubl-creditnote": [], "cii": []}
for corpus in ("examples", "mutations"):
    for line in open(conf / corpus / "verdicts.jsonl"):
        d = json.loads(line)
        groups[d["syntax"]].append(str(conf / corpus / d["file"]))
for name, files in groups.items():
    (out / name).write_text("\n".join(files) + "\n")
PY
cat "$lists"/ubl-invoice "$lists"/ubl-creditnote "$lists"/cii > "$lists/all"
n=$(wc -l < "$lists/all")
t() { local s e; s=$(date +%s.%N); "$@" > /dev/null 2>&1 || true; e=$(date +%s.%N); echo "$e - $s" | bc; }
xmllint_run() {
  xargs -s 2000000 -d '\n' xmllint --noout --schema "$schemas/ubl-2.1/maindoc/UBL-Invoice-2.1.xsd" < "$lists/ubl-invoice"
  xargs -s 2000000 -d '\n' xmllint --noout --schema "$schemas/ubl-2.1/maindoc/UBL-CreditNote-2.1.xsd" < "$lists/ubl-creditnote"
  xargs -s 2000000 -d '\n' xmllint --noout --schema "$schemas/cii-d16b/CII/uncefact/data/standard/CrossIndustryInvoice_100pD16B.xsd" < "$lists/cii"
}
facteur_run() { xargs -s 2000000 -d '\n' "${FACTEUR:-./build/facteur}" validate --layers xsd --format json --jobs "$1" < "$lists/all"; }
base_run() { xargs -s 2000000 -d '\n' "$FACTEUR_BASE" validate --layers xsd --format json --jobs "$1" < "$lists/all"; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
declare -A times
keys="xmllint facteur1 facteur2"
[ -n "${FACTEUR_BASE:-}" ] && keys="xmllint base1 facteur1 base2 facteur2"
for r in $(seq "$runs"); do
  times[xmllint]+="$(t xmllint_run) "
  for j in 1 2; do
    if [ -n "${FACTEUR_BASE:-}" ]; then times[base$j]+="$(t base_run $j) "; fi
    times[facteur$j]+="$(t facteur_run $j) "
  done
done
for k in $keys; do
  m=$(echo "${times[$k]}" | tr ' ' '\n' | grep -v '^$' | median)
  printf '%-10s median %.3f s  %6.0f files/s   (runs: %s)\n' "$k" "$m" "$(echo "$n / $m" | bc -l)" "${times[$k]}"
done
rm -rf "$lists"
