#!/usr/bin/env python3
"""Fails when a public symbol of a module has no documentation comment.

    python3 Scripts/check-doc-coverage.py [MODULE...]   (default: Winnow)

Reads the symbol graph that `swift package generate-documentation` (`make docs`) extracted under
.build/, so run it after that. Symbols without a source location (conformances the compiler
synthesizes, protocol requirements' default implementations) inherit the protocol's
documentation and are not counted, nor are members another package's protocol extensions
supply (a Hummingbird `RequestContext`'s `requestDecoder`): they are documented there.
"""
import glob
import json
import os
import sys

def check(module):
    """Returns the number of public symbols of `module` without a documentation comment."""
    graphs = glob.glob(f".build/*/extracted-symbols/*/{module}/{module}.symbols.json")
    if not graphs:
        sys.exit(f"check-doc-coverage: no symbol graph for {module}; run `make docs` first")
    graph = max(graphs, key=os.path.getmtime)
    with open(graph, encoding="utf-8") as f:
        symbols = json.load(f)["symbols"]
    own = "file://" + os.path.abspath(os.path.join("Sources", module)) + "/"

    def counted(symbol):
        return (symbol["accessLevel"] in ("public", "open")
                and symbol.get("location", {}).get("uri", "").startswith(own))

    missing = []
    for symbol in filter(counted, symbols):
        lines = symbol.get("docComment", {}).get("lines", [])
        if not any(line["text"].strip() for line in lines):
            where = symbol["location"]["uri"][len(own):]
            line = symbol["location"]["position"]["line"] + 1
            missing.append(f"Sources/{module}/{where}:{line}: {'.'.join(symbol['pathComponents'])}")

    public = sum(1 for s in symbols if counted(s))
    if missing:
        print(f"check-doc-coverage: {len(missing)} of {public} public symbols of {module} "
              "have no documentation comment:", file=sys.stderr)
        print("\n".join(sorted(missing)), file=sys.stderr)
    else:
        print(f"check-doc-coverage: all {public} public symbols of {module} are documented")
    return len(missing)


failures = sum(check(module) for module in (sys.argv[1:] or ["Winnow"]))
sys.exit(1 if failures else 0)
