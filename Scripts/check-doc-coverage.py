#!/usr/bin/env python3
"""Fails when a public symbol of a module has no documentation comment.

    python3 Scripts/check-doc-coverage.py [MODULE]   (default: Winnow)

Reads the symbol graph that `swift package generate-documentation` (`make docs`) extracted under
.build/, so run it after that. Symbols without a source location (conformances the compiler
synthesizes, protocol requirements' default implementations) inherit the protocol's
documentation and are not counted.
"""
import glob
import json
import os
import sys

module = sys.argv[1] if len(sys.argv) > 1 else "Winnow"
graphs = glob.glob(f".build/*/extracted-symbols/*/{module}/{module}.symbols.json")
if not graphs:
    sys.exit(f"check-doc-coverage: no symbol graph for {module}; run `make docs` first")
graph = max(graphs, key=os.path.getmtime)
with open(graph, encoding="utf-8") as f:
    symbols = json.load(f)["symbols"]

missing = []
for symbol in symbols:
    if symbol["accessLevel"] not in ("public", "open") or "location" not in symbol:
        continue
    lines = symbol.get("docComment", {}).get("lines", [])
    if not any(line["text"].strip() for line in lines):
        where = symbol["location"]["uri"].split("/Sources/", 1)[-1]
        line = symbol["location"]["position"]["line"] + 1
        missing.append(f"Sources/{where}:{line}: {'.'.join(symbol['pathComponents'])}")

public = sum(1 for s in symbols if s["accessLevel"] in ("public", "open") and "location" in s)
if missing:
    print(f"check-doc-coverage: {len(missing)} of {public} public symbols of {module} "
          "have no documentation comment:", file=sys.stderr)
    print("\n".join(sorted(missing)), file=sys.stderr)
    sys.exit(1)
print(f"check-doc-coverage: all {public} public symbols of {module} are documented")
