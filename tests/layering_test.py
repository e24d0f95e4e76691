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
    "validate": {"core", "model", "crypto"},
    "formats": {"core", "model", "xml"},
    "rules": {"core", "model", "xml"},
    "pipeline": {"core", "model", "xml", "validate", "formats", "rules"},
    "cli": {"core", "model", "pipeline", "validate", "xml", "formats"},
    "app": {"cli"},
}
INCLUDE = re.compile(r'#include\s+"facteur/([a-z_]+)/')


def main() -> int:
    src = pathlib.Path(sys.argv[1])
    problems = []
    for path in sorted(src.rglob("*")):
        if path.suffix not in (".h", ".cpp", ".in"):
            continue
        module = path.relative_to(src).parts[0]
        if module not in ALLOWED:
            problems.append(f"{path}: module '{module}' is not in the layering table")
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            m = INCLUDE.search(line)
            if m and m.group(1) != module and m.group(1) not in ALLOWED[module]:
                problems.append(f"{path}:{number}: {module} may not include facteur/{m.group(1)}/")
    for p in problems:
        print(p)
    print(f"layering: {len(problems)} violation(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
