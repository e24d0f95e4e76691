#!/usr/bin/env bash
# Throughput and peak RSS of `facteur validate --format json` over shared/conformance examples +
# mutations: layers xml, xsd, en16931 on 1 and 2 threads (facteur1, facteur2), and every layer
# (xml, xsd, en16931, fr) on 1 thread (all1), with `xmllint --noout --schema` (XSD only) on the
# same files in the same run as the reference.
#   usage: [FACTEUR=path/to/facteur] [FACTEUR_BASE=path/to/older/facteur] bench/validate_throughput.sh [RUNS=5]
#   (default ./build/facteur). With FACTEUR_BASE, every round also runs that binary (base1, base2,
#   baseall1) just before the same runs of FACTEUR, so that before and after share each round.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs=${1:-5}
conf=../shared/conformance
schemas=build/schemas
lists=$(mktemp -d)
trap 'rm -rf "$lists"' EXIT
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
# one measurement: wall seconds and peak RSS (KiB) of the command
measure() { /usr/bin/time -f '%e %M' -o "$lists/time" "$@" > /dev/null 2>&1 || true; tail -n 1 "$lists/time"; }
xmllint_run() {
  xargs -s 2000000 -d '\n' xmllint --noout --schema "$schemas/ubl-2.1/maindoc/UBL-Invoice-2.1.xsd" < "$lists/ubl-invoice"
  xargs -s 2000000 -d '\n' xmllint --noout --schema "$schemas/ubl-2.1/maindoc/UBL-CreditNote-2.1.xsd" < "$lists/ubl-creditnote"
  xargs -s 2000000 -d '\n' xmllint --noout --schema "$schemas/cii-d16b/CII/uncefact/data/standard/CrossIndustryInvoice_100pD16B.xsd" < "$lists/cii"
}
export -f xmllint_run; export lists schemas
declare -A times rss
for r in $(seq "$runs"); do
  read -r t m < <(measure bash -c xmllint_run); times[xmllint]+="$t "; rss[xmllint]=$m
  for side in ${FACTEUR_BASE:+base} facteur; do
    bin=${FACTEUR:-./build/facteur}; all=all1
    if [ "$side" = base ]; then bin=$FACTEUR_BASE; all=baseall1; fi
    for j in 1 2; do
      read -r t m < <(measure xargs -s 2000000 -d '\n' -a "$lists/all" "$bin" validate --format json \
                        --layers xml,xsd,en16931 --jobs "$j")
      times[$side$j]+="$t "; rss[$side$j]=$m
    done
    read -r t m < <(measure xargs -s 2000000 -d '\n' -a "$lists/all" "$bin" validate --format json --jobs 1)
    times[$all]+="$t "; rss[$all]=$m
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "files: $n (examples + mutations), runs: $runs, machine: $(nproc) cores, $(uname -m)"
for k in xmllint ${FACTEUR_BASE:+base1 base2 baseall1} facteur1 facteur2 all1; do
  m=$(echo "${times[$k]}" | median)
  printf '%-9s median %6.3f s  %7.0f files/s  peak RSS %6.1f MiB  (runs: %s)\n' "$k" "$m" \
    "$(echo "$n / $m" | bc -l)" "$(echo "${rss[$k]} / 1024" | bc -l)" "${times[$k]}"
done
