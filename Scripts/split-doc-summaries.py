#!/usr/bin/env python3
"""Splits doc comments whose first paragraph holds more than one sentence, as swift-format's
BeginDocumentationCommentWithOneLineSummary asks (`make lint` fails on them).

    python3 Scripts/split-doc-summaries.py [--apply] [PATH...]   (default: make lint's paths)

Runs `swift format lint` with that rule, then for each comment it lists ends the first paragraph
after the sentence swift-format named and rewraps both parts at 100 columns; the rest of the
comment is kept as it is. Without --apply it only prints what it would do. Comments it cannot
split (a list or code in the first paragraph, a sentence it cannot find) are printed to fix by
hand, as are swift-format's sentence misreadings: it ends a sentence at "e.g." and "...", so a
summary ending there needs rewording ("for example", "and so on") before the split.
"""
import collections
import re
import subprocess
import sys
import textwrap

PATHS = ["Sources", "Tests", "Benchmarks", "Fuzz", "Package.swift", "Plugins"]
RULE = "BeginDocumentationCommentWithOneLineSummary"
WARNING = re.compile(
    r'^(.*?):(\d+):\d+: warning: \[' + RULE + r'\] add a blank comment line after this sentence: "(.*)"$')


def violations(paths):
    """Runs swift format lint with only the rule on; returns its warnings, one a line."""
    with open(".swift-format", encoding="utf-8") as f:
        text = "\n".join(l for l in f.read().splitlines() if not l.strip().startswith("//"))
    import json
    import tempfile
    configuration = json.loads(text)
    configuration["rules"] = {rule: rule == RULE for rule in configuration["rules"]}
    configuration["rules"][RULE] = True
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(configuration, f)
    run = subprocess.run(["swift", "format", "lint", "--configuration", f.name, "--recursive",
                          *paths], capture_output=True, text=True)
    return [l for l in (run.stdout + run.stderr).splitlines() if f"[{RULE}]" in l]


def without_code(text):
    """`text` without its code spans (as swift-format quotes sentences), and a map back."""
    out, index, i = [], [], 0
    while i < len(text):
        if text[i] == "`":
            j = i
            while j < len(text) and text[j] == "`":
                j += 1
            end = text.find(text[i:j], j)
            if end >= 0:
                i = end + (j - i)
                continue
        out.append(text[i])
        index.append(i)
        i += 1
    return "".join(out), index


def main():
    apply = "--apply" in sys.argv
    paths = [a for a in sys.argv[1:] if a != "--apply"] or PATHS
    found = violations(paths)
    by_file, by_hand = collections.defaultdict(list), []
    for line in found:
        m = WARNING.match(line)
        if m:
            by_file[m[1]].append((int(m[2]), m[3]))
        else:
            by_hand.append(line)
    for path, items in by_file.items():
        lines = open(path, encoding="utf-8").read().split("\n")
        for lineno, sentence in sorted(items, reverse=True):  # bottom up: numbers stay valid
            i = lineno - 2
            while i >= 0 and lines[i].lstrip().startswith("@"):
                i -= 1
            end = i
            while i >= 0 and lines[i].lstrip().startswith("///"):
                i -= 1
            start = i + 1
            block = lines[start:end + 1]
            if not block:
                by_hand.append(f"{path}:{lineno}: no doc comment found above the declaration")
                continue
            indent = block[0][:len(block[0]) - len(block[0].lstrip())]
            texts = [l.lstrip()[3:] for l in block]
            texts = [t[1:] if t.startswith(" ") else t for t in texts]
            first = next((k for k, t in enumerate(texts) if not t.strip()), len(texts))
            if any(t.lstrip().startswith(("-", "```", "|")) for t in texts[:first]):
                by_hand.append(f"{path}:{lineno}: a list or code in the first paragraph")
                continue
            paragraph = " ".join(t.strip() for t in texts[:first])
            plain, index = without_code(paragraph)
            at = plain.find(sentence)
            if at < 0:
                by_hand.append(f"{path}:{lineno}: sentence not found: {sentence}")
                continue
            cut = index[at + len(sentence) - 1] + 1
            summary, rest = paragraph[:cut].strip(), paragraph[cut:].strip()
            if not rest:
                by_hand.append(f"{path}:{lineno}: nothing after the sentence")
                continue
            if summary.endswith(("e.g.", "i.e.", "etc.", "...", "vs.")):
                by_hand.append(f"{path}:{lineno}: misread sentence end: {summary}")
                continue

            def wrap(text):
                return [indent + "/// " + w for w in textwrap.wrap(
                    text, 100 - len(indent) - 4, break_long_words=False, break_on_hyphens=False)]

            lines[start:end + 1] = wrap(summary) + [indent + "///"] + wrap(rest) + block[first:]
            print(f"{path}:{lineno}: summary: {summary}")
        if apply:
            with open(path, "w", encoding="utf-8") as f:
                f.write("\n".join(lines))
    for line in by_hand:
        print("by hand:", line, file=sys.stderr)
    if not apply and by_file:
        print("(nothing written; --apply writes)", file=sys.stderr)
    sys.exit(1 if by_hand else 0)


main()
