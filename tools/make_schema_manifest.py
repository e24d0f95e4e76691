#!/usr/bin/env python3
"""Regenerates schemas/MANIFEST from a shared/standards folder (maintainer tool, not run by the build).

Each line: <set> <TAB> <path inside the set> <TAB> <sha256> <TAB> <pinned upstream URL>.
The URLs pin the upstream commits named in shared/standards/SOURCES.md.
"""
import hashlib
import pathlib
import sys
import urllib.parse

RFE = "https://raw.githubusercontent.com/fnfempe/France_RFE/e9520ce398cc99bed4bab493773a494af8ca5aff/FNFE_RFE_INVOICE/"
CEN = "https://raw.githubusercontent.com/ConnectingEurope/eInvoicing-EN16931/b6c9e06a59812fb1a83585da40923b3678a649ad/"
MUSTANG_RES = "https://raw.githubusercontent.com/ZUGFeRD/mustangproject/096db40a9806b0b5202028509dff3563efe7fc8c/validator/src/main/resources/"
MUSTANG = MUSTANG_RES + "schema/ZF_250/"               # <P>/*.xsd (BASIC-WL upstream, BASICWL here)
MUSTANG_SCH = MUSTANG_RES + "schematron/ZF_250/"       # flat: FACTUR-X_<P>.sch


def facturx_url(p: str) -> str:
    """XSDs keep the profile folder upstream; the Schematron files (and their *_codedb.xml) sit
    flat in schematron/ZF_250/."""
    if not p.endswith(".xsd"):
        return MUSTANG_SCH + p.rsplit("/", 1)[-1]
    return MUSTANG + p.replace("BASICWL/", "BASIC-WL/", 1)


# rules/ (Schematron): the executable (preprocessed) EN 16931 files and every FNFE-MPE file.
EN16931_RULES = ("en16931-1.3.16/ubl/preprocessed/EN16931-UBL-validation-preprocessed.sch",
                 "en16931-1.3.16/cii/preprocessed/EN16931-CII-validation-preprocessed.sch")


def keep_rule(p: str) -> bool:
    return p in EN16931_RULES or (p.startswith("fnfe-1.4.0/") and p.endswith(".sch"))


def rules_url(p: str) -> str:
    if p.startswith("en16931-1.3.16/"):
        syntax, rest = p.removeprefix("en16931-1.3.16/").split("/", 1)   # ubl|cii, path below
        return CEN + syntax + "/schematron/" + rest
    name = p.removeprefix("fnfe-1.4.0/")
    if name.startswith("BR-FR-CDV-"):
        return RFE + "CDAR/schematron/" + name
    syntax = "CII" if "-CII" in name else "UBL"
    if name.startswith("EXTENDED-CTC-FR-"):
        return RFE + syntax + "/EXTENDED-CTC-FR/schematron/" + name
    if name.startswith("BR-FR-Flux2-"):
        return RFE + syntax + "/EN16931/schematron/" + name
    raise SystemExit(f"make_schema_manifest: no upstream location known for rules/{p}")

# set name -> (folder under standards/, file filter, function: relative path -> upstream URL)
SETS = {
    "ubl-2.1": ("ubl-2.1",
                lambda p: p.startswith("common/") or p in ("maindoc/UBL-Invoice-2.1.xsd",
                                                           "maindoc/UBL-CreditNote-2.1.xsd"),
                lambda p: RFE + "UBL/1xsd_UBL2.1/" + p),
    "cii-d16b": ("cii-d16b", lambda p: p.endswith(".xsd"),
                 lambda p: CEN + "cii/schema/D16B SCRDM (Subset)/uncoupled clm/" + p),
    "cii-d22b": ("cii-d22b", lambda p: p.endswith(".xsd"),
                 lambda p: RFE + "CII/1xsd-CII_D22B_uncoupled/" + p),
    "cdar-d22b": ("cdar-d22b", lambda p: p.endswith(".xsd"),
                  lambda p: RFE + "CDAR/1xsd-CDAR_D22B_uncoupled/" + p),
    "facturx-1.09": ("facturx-1.09", lambda p: p.endswith((".xsd", ".sch")), facturx_url),
    "rules": ("rules", keep_rule, rules_url),
}


def main() -> int:
    standards = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/standards")
    out = ["# Official schema sets and Schematron rule files that facteur validates against (house style §1.1).",
           "# Not committed: schemas/materialise.sh copies them from ../shared/standards or downloads",
           "# the pinned upstream file, and refuses any file whose SHA-256 differs from this list.",
           "# Regenerate with tools/make_schema_manifest.py. Columns (TAB-separated):",
           "# set\tpath\tsha256\tupstream-url"]
    for name, (folder, keep, url) in SETS.items():
        root = standards / folder
        for f in sorted(root.rglob("*")):
            rel = f.relative_to(root).as_posix()
            if not f.is_file() or not keep(rel):
                continue
            digest = hashlib.sha256(f.read_bytes()).hexdigest()
            out.append(f"{name}\t{rel}\t{digest}\t{urllib.parse.quote(url(rel), safe=':/')}")
    pathlib.Path("schemas/MANIFEST").write_text("\n".join(out) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
