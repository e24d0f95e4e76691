#!/usr/bin/env python3
"""Checks every #include "facteur/<module>/..." in src/ against the module table of
house-style §1.2 (a module may include only itself and the modules it may depend on)."""
import pathlib
import re
import sys

ALLOWED = {
    "core": set(),
    "crypto": {"core"},
    "model": {"core"},
    "xml": {"core"},
    "store": {"core"},
    "archive": {"core", "crypto", "store"},
    # tsa: RFC 3161 over HTTP (the Beast/Asio adapter for it): client and the local TSA's server,
    # and the archive's Timestamper on that client
    "tsa": {"core", "crypto", "archive"},
    # validate -> xml: Xerces' validating pass can also build the rules' xml::Tree (XsdScan::tree),
    # so that a clean document is not parsed a second time by libxml2
    "validate": {"core", "model", "crypto", "xml"},
    # formats/binding: the reading machinery both syntax bindings share (not in house style's
    # table: without it formats/ubl and formats/cii each held a copy, as neither may see the other)
    "formats/binding": {"core", "model", "xml"},
    "formats/ubl": {"core", "model", "xml", "formats/binding"},
    "formats/cii": {"core", "model", "xml", "formats/binding"},
    "formats/cdar": {"core", "model", "xml", "formats/binding"},
    # formats/facturx: the qpdf adapter; may see the CII binding (house style: facturx -> cii)
    "formats/facturx": {"core", "model", "xml", "formats/binding", "formats/cii"},
    "formats": {"core", "model", "xml", "formats/ubl", "formats/cii"},
    "rules": {"core", "model", "xml"},
    # render: the libharu adapter (the French PDF of an invoice; formats/facturx wraps it)
    "render": {"core", "model"},
    "rules/en16931": {"core", "model", "xml", "rules"},
    "rules/fr": {"core", "model", "xml", "rules"},
    "rules/facturx": {"core", "model", "xml", "rules"},
    "pipeline": {"core", "model", "xml", "validate", "formats", "formats/ubl", "formats/cii", "formats/facturx", "rules",
                 "rules/en16931", "rules/fr", "rules/facturx", "archive", "crypto", "store", "render"},
    "cli": {"core", "model", "pipeline", "validate", "xml", "formats", "formats/facturx", "archive", "crypto", "tsa"},
    "app": {"cli"},
}
INCLUDE = re.compile(r'#include\s+"facteur/([a-z_/]+)/[^/"]+"')


def module_of(parts):
    """The module a path (as parts under src/ or under an include's facteur/) belongs to: the
    longest key of ALLOWED it starts with, so that src/formats/ubl is "formats/ubl", not
    "formats"; None when no key matches."""
    for length in range(len(parts), 0, -1):
        key = "/".join(parts[:length])
        if key in ALLOWED:
            return key
    return None


def main() -> int:
    src = pathlib.Path(sys.argv[1])
    problems = []
    for path in sorted(src.rglob("*")):
        if path.suffix not in (".h", ".cpp", ".in"):
            continue
        module = module_of(path.relative_to(src).parts[:-1])
        if module is None:
            problems.append(f"{path}: module '{path.relative_to(src).parts[0]}' is not in the layering table")
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            m = INCLUDE.search(line)
            if not m:
                continue
            included = module_of(m.group(1).split("/")) or m.group(1).split("/")[0]
            if included != module and included not in ALLOWED[module]:
                problems.append(f"{path}:{number}: {module} may not include facteur/{m.group(1)}/")
    for p in problems:
        print(p)
    print(f"layering: {len(problems)} violation(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
