#!/usr/bin/env python3
"""Checks the shape of Grammar/conformance/*.json and its agreement with Grammar/README.md.

    python3 Grammar/tools/validate.py            # from the repository root, or any directory

Checks: every file is JSON with "topic" equal to its file name and a "cases" array; every case
has a unique kebab-case name, exactly one input (filter, filterHex, specifier, specifierHex or
a generate object), at most one subject, an expect of an allowed shape, and only known fields.
It then checks that every example row of the README's tables is a case of the corpus with the
same input, subject and expected result. It prints the number of cases per file. Exit status
0 when everything holds, 1 otherwise. Standard library only; it does not evaluate filters.
"""
import json
import pathlib
import re
import sys

GRAMMAR = pathlib.Path(__file__).resolve().parent.parent
CONF = GRAMMAR / "conformance"
SAMPLE = "examples/sample-machine-event.json"
TOPICS = ["values", "paths", "exists", "eq", "ne", "in-nin", "re", "changed", "combinators",
          "events", "specifiers", "errors", "limits", "canonical"]
CODES = {"unexpectedToken", "unknownName", "invalidField", "invalidValue", "invalidRegex",
         "invalidEncoding", "invalidSpecifier", "limitExceeded"}
INPUTS = {"filter", "filterHex", "specifier", "specifierHex"}
SUBJECTS = {"document", "documentText", "documentHex", "event", "eventText", "eventFile", "events"}
OTHER = {"name", "generate", "limits", "expect", "canonical", "note"}
LIMITS = {"maxBytes", "maxDepth", "maxTerms", "maxJSONDepth"}
GENERATE = {"field", "before", "repeat", "times", "then", "close", "after"}
HEX = re.compile(r"([0-9a-f]{2})*")
NAME = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")

errors = []


def fail(where, msg):
    errors.append("%s: %s" % (where, msg))


def check_expect(where, c, subject):
    e = c.get("expect")
    if isinstance(e, bool):
        if not subject or "events" in subject:
            fail(where, "a true/false expect needs a document or event subject")
    elif isinstance(e, list):
        if "events" not in c or not all(isinstance(i, int) and 0 <= i < len(c["events"]) for i in e):
            fail(where, "an index list expect needs events and valid indices")
        elif e != sorted(set(e)):
            fail(where, "indices must be increasing")
    elif isinstance(e, dict) and "error" in e:
        if set(e) != {"error", "line", "column"} or e["error"] not in CODES:
            fail(where, "bad error expect %r" % e)
        elif not (isinstance(e["line"], int) and e["line"] >= 1 and isinstance(e["column"], int) and e["column"] >= 1):
            fail(where, "line and column are 1-based integers")
    elif isinstance(e, dict) and "valid" in e:
        if e.get("valid") is not True or not set(e) <= {"valid", "canonical"} or subject:
            fail(where, "bad valid expect (no subject allowed) %r" % e)
    elif e == {"documentError": True}:
        if not subject & {"document", "documentText", "documentHex", "event", "eventText"}:
            fail(where, "documentError needs a document or event subject")
    else:
        fail(where, "unknown expect %r" % (e,))


def check_case(where, c, names):
    if not isinstance(c, dict):
        return fail(where, "case is not an object")
    unknown = set(c) - INPUTS - SUBJECTS - OTHER
    if unknown:
        fail(where, "unknown fields %s" % sorted(unknown))
    name = c.get("name")
    if not isinstance(name, str) or not NAME.fullmatch(name):
        fail(where, "name must be kebab-case")
    elif name in names:
        fail(where, "duplicate name (also in %s)" % names[name])
    else:
        names[name] = where
    given = INPUTS & set(c)
    gen = c.get("generate")
    if gen is not None:
        if not isinstance(gen, dict) or not set(gen) <= GENERATE or "repeat" not in gen or \
                not isinstance(gen.get("times"), int) or gen["times"] < 0:
            fail(where, "bad generate object")
        else:
            field = gen.get("field", "filter")
            if field in ("filter", "specifier"):
                given = given | {field}
            elif field != "documentText":
                fail(where, "generate.field must be filter, specifier or documentText")
    if len(given) != 1:
        fail(where, "exactly one of filter, filterHex, specifier, specifierHex is needed, got %s" % sorted(given))
    for k in ("filterHex", "specifierHex", "documentHex"):
        if k in c and not HEX.fullmatch(c[k]):
            fail(where, "%s must be lowercase hex pairs" % k)
    subject = SUBJECTS & set(c)
    if gen is not None and gen.get("field") == "documentText":
        subject = subject | {"documentText"}
    if len(subject) > 1:
        fail(where, "more than one subject: %s" % sorted(subject))
    if "events" in c and not all(isinstance(e, dict) for e in c["events"]):
        fail(where, "events must be objects")
    if "eventFile" in c and not (GRAMMAR / c["eventFile"]).is_file():
        fail(where, "eventFile %s not found" % c["eventFile"])
    if "limits" in c and (not isinstance(c["limits"], dict) or not set(c["limits"]) <= LIMITS):
        fail(where, "bad limits")
    check_expect(where, c, subject)


def readme_rows():
    """Yields (table kind, first cell, second cell, third cell) for each README example row."""
    kind = None
    for line in (GRAMMAR / "README.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("|"):
            cells = [x.strip() for x in line.strip().strip("|").split(" | ")]
            head = [x.lower() for x in cells]
            if head[:2] in (["filter", "result"], ["specifier", "result"], ["filter", "error"],
                            ["specifier", "error"], ["filter", "canonical form"]):
                kind = tuple(head[:2])
                continue
            if kind and not set(line) <= set("|-: "):
                yield kind, cells
        else:
            kind = None


def code(cell):
    m = re.fullmatch(r"`(.*)`", cell)
    return m.group(1).replace("\\|", "|") if m else None


def check_readme(cases):
    by_input = {}
    for c in cases:
        for k in ("filter", "specifier"):
            if k in c:
                by_input.setdefault((k, c[k]), []).append(c)
    rows = 0
    for kind, cells in readme_rows():
        rows += 1
        text = code(cells[0])
        where = "README row %r" % cells[0]
        if text is None:
            fail(where, "first cell must be a code span")
            continue
        key = (kind[0], text)
        cands = by_input.get(key, [])
        if kind[1] == "result":
            want = {"`true`": True, "`false`": False}.get(cells[1])
            ok = any(c.get("eventFile") == SAMPLE and c["expect"] == want for c in cands)
        elif kind[1] == "error":
            m = re.fullmatch(r"`(\w+)` at (\d+):(\d+)", cells[1])
            want = m and {"error": m.group(1), "line": int(m.group(2)), "column": int(m.group(3))}
            ok = any(c["expect"] == want for c in cands)
        else:
            want = code(cells[1])
            ok = any(c["expect"] == {"valid": True, "canonical": want} for c in cands)
        if not ok:
            fail(where, "no conformance case with this input and expected %r" % (want,))
    return rows


def main():
    names, all_cases, total = {}, [], 0
    files = sorted(CONF.glob("*.json"))
    present = {f.stem for f in files}
    for t in TOPICS:
        if t not in present:
            fail(t, "topic file missing")
    for f in files:
        try:
            doc = json.loads(f.read_text(encoding="utf-8"))
        except ValueError as e:
            fail(f.name, "not JSON: %s" % e)
            continue
        if doc.get("topic") != f.stem or not isinstance(doc.get("cases"), list):
            fail(f.name, "needs \"topic\": %r and a cases array" % f.stem)
            continue
        for i, c in enumerate(doc["cases"]):
            check_case("%s#%d %s" % (f.name, i, c.get("name") if isinstance(c, dict) else ""), c, names)
        all_cases += doc["cases"]
        total += len(doc["cases"])
        print("%-18s %4d" % (f.name, len(doc["cases"])))
    print("%-18s %4d" % ("total", total))
    rows = check_readme(all_cases)
    print("README example rows checked: %d" % rows)
    for e in errors:
        print("error:", e, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
