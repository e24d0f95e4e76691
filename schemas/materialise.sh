#!/usr/bin/env bash
# Brings the official schema sets listed in schemas/MANIFEST into DEST (the build tree).
#   usage: schemas/materialise.sh DEST [STANDARDS_DIR]
# For each file: already in DEST with the right SHA-256 -> kept; else copied from STANDARDS_DIR
# (default ../shared/standards) when present; else downloaded from the pinned upstream URL.
# Every file's SHA-256 is checked against the manifest; any mismatch or missing file stops the
# script with one clear message and exit status 1. Idempotent.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
manifest="$here/MANIFEST"
dest=${1:?usage: materialise.sh DEST [STANDARDS_DIR]}
standards=${2:-"$here/../../shared/standards"}

sha_of() { sha256sum "$1" | cut -d' ' -f1; }

mkdir -p "$dest"
copied=0; downloaded=0; kept=0
while IFS=$'\t' read -r set path sha url; do
  case "$set" in ''|'#'*) continue ;; esac
  target="$dest/$set/$path"
  if [ -f "$target" ] && [ "$(sha_of "$target")" = "$sha" ]; then
    kept=$((kept + 1)); continue
  fi
  mkdir -p "$(dirname "$target")"
  source_file="$standards/$set/$path"
  if [ -f "$source_file" ]; then
    cp "$source_file" "$target.part"
    copied=$((copied + 1))
  else
    if ! command -v curl >/dev/null 2>&1; then
      echo "materialise: $set/$path is not in $standards and curl is missing to fetch $url" >&2
      exit 1
    fi
    if ! curl -fsSL --proto '=https' --max-time 60 -o "$target.part" "$url"; then
      echo "materialise: cannot download $set/$path from $url" >&2
      exit 1
    fi
    downloaded=$((downloaded + 1))
  fi
  got=$(sha_of "$target.part")
  if [ "$got" != "$sha" ]; then
    rm -f "$target.part"
    echo "materialise: $set/$path has SHA-256 $got, the manifest pins $sha: refusing it" >&2
    exit 1
  fi
  mv "$target.part" "$target"
done < "$manifest"
cp "$manifest" "$dest/MANIFEST"
echo "materialise: schemas in $dest ($kept kept, $copied copied, $downloaded downloaded)"
