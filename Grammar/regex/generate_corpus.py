#!/usr/bin/env python3
"""Writes Tests/WinnowTests/Fixtures/re2-corpus.json: RE2's verdicts on many patterns, and
Tests/WinnowTests/Fixtures/re2-hostile.json: RE2's answers for patterns that make a
backtracking matcher take exponential or quadratic time, on long subjects.

google-re2 (the C++ RE2 engine) is the oracle for Winnow's `Re(...)` dialect. For every
pattern the corpus records whether RE2 compiles it (with RE2's default options: UTF-8,
Perl-like syntax, longest_match off, i.e. what `re2.compile(p)` does) and, for every subject,
whether `re2.search(p, s)` finds a match. `RE2CorpusTests` asserts Winnow agrees on both.

The hostile cases (`HOSTILE`) give each subject as runs, `[text, count]` pairs, so that the
64 KiB subjects stay small in the file; `RE2HostileTests` and `Benchmarks/hostile-regex.sh`
read them. Usage, from the package root (needs `pip install google-re2`):

    python3 Grammar/regex/generate_corpus.py            # both files
    python3 Grammar/regex/generate_corpus.py --hostile  # only re2-hostile.json

The output is deterministic: fixed inputs, a seeded random part, sorted cases.
"""
import json
import os
import random
import subprocess
import sys

import re2

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "WinnowTests", "Fixtures", "re2-corpus.json")
HOSTILE_OUT = os.path.join(ROOT, "Tests", "WinnowTests", "Fixtures", "re2-hostile.json")

K64 = 65536

# (name, pattern, subject runs): issue 12's hostile patterns, on 64 KiB subjects and on the
# issue's own short subjects, plus the classic exponential ones.
HOSTILE = [
    ("dot300-twice", ".{0,300}.{0,300}Q", [["a", K64 - 1], ["Q", 1]]),
    ("dot300-group-twice", "(?:.{0,300}){2}Q", [["a", K64 - 1], ["Q", 1]]),
    ("dot250-twice", ".{0,250}.{0,250}Q", [["a", K64 - 1], ["Q", 1]]),
    ("dot300-twice-json", ".{0,300}.{0,300}Q", [['{"a":"', 1], ["a", K64 - 9], ['Q"}', 1]]),
    ("dot300-twice-class-miss", ".{0,300}.{0,300}[QR]", [["a", K64]]),
    ("prefixed-dot300-twice", "a.{0,300}.{0,300}Q", [["a", K64 - 1], ["Q", 1]]),
    ("a-or-a-short", "(a|a)*b|c", [["a", 40], ["c", 1]]),
    ("a-or-a-64k", "(a|a)*b|c", [["a", K64 - 1], ["c", 1]]),
    ("a-or-a-64k-miss", "(a|a)*b|c", [["a", K64]]),
    ("digits-short", "(\\d+)+x|ok", [["1234567890", 4], ["ok", 1]]),
    ("digits-64k", "(\\d+)+x|ok", [["1234567890", 6553], ["ok", 1]]),
    ("digits-64k-miss", "(\\d+)+x|ok", [["1234567890", 6553], ["o", 1]]),
    ("nested-star-short", "^(?:(?:a|b)*)*c|done", [["ab", 30], ["done", 1], ["!", 1]]),
    ("nested-star-64k", "^(?:(?:a|b)*)*c|done", [["ab", K64 // 2 - 2], ["done", 1]]),
    ("dotstar-a-20", "(.*a){20}", [["a", 25], ["b", 20000]]),
    ("dotstar-a-20-64k", "(.*a){20}", [["a", 25], ["b", K64 - 25]]),
    ("dotstar-a-20-miss", "(.*a){20}", [["a", 19], ["b", K64 - 19]]),
    ("a-plus-plus", "(a+)+$", [["a", K64 - 1], ["b", 1]]),
    ("a-or-aa-plus", "(a|aa)+$", [["a", K64 - 1], ["b", 1]]),
    ("x-plus-x-plus", "(x+x+)+y", [["x", K64]]),
    ("a-plus-plus-match", "(a+)+$", [["a", K64]]),
    ("dotstar-pair-class", ".*.*[xy]", [["a", K64]]),
    ("word-boundary-nest", "(?:\\b\\w+\\b\\s*)+x", [["ab ", K64 // 3]]),
]

# Every pattern is tried on all of these, plus the case's own extra subjects.
SUBJECTS = [
    "", "a", "b", "ab", "abc", "ABC", "aaa", "aab", "ba", "a\n", "\na", "a\nb", "\n", "\r\n",
    "a\r", "foo bar", "x_y", "123", "a1", "{", "a{,5}", "a{2}", "é", "É", "e\u0301", "k", "K",
    "\u212a", "s", "S", "\u017f", "\u00b5", "\u03bc", "\u03a3\u03c3\u03c2", "\u03b1\u03b2\u03b3",
    "\u65e5\u672c\u8a9e", "\U0001F600", "\t\v\f", "\v", "\u0085\u00a0\u2028", "-", "]", "[",
    "\\", "\u00df", "\u1e9e", "\u01c5", "\u0130\u0131", "\x00", "<>", ".*", "\u212b", "\u00e5",
    "\u2126", "\u03c9", "\u0378", "\ue000", "\U0010FFFF", "a b", "Ab", "xyz", "000", "\u0661",
]

LETTERS = [chr(c) for c in range(ord("a"), ord("z") + 1)] + [chr(c) for c in range(ord("A"), ord("Z") + 1)]

FIXED = [
    # Literals and escapes
    "a", "abc", "", "\\.", "\\\\", "\\x41", "\\x{41}", "\\x{0041}", "\\x{1F600}", "\\x{10FFFF}",
    "\\x{110000}", "\\x{}", "\\x{41", "\\x4", "\\x", "\\xZZ", "\\101", "\\0", "\\00", "\\012",
    "\\0777", "\\777", "\\08", "\\18", "\\12", "\\8", "\\9", "\\n", "\\t", "\\v", "\\a", "\\f",
    "\\r", "\\_", "\\%", "\\-", "\\<", "\\ ", "\\é", "é", "日本", "😀", "\\Qa.b\\E", "\\Qa*",
    "\\Q\\E", "\\Q\\E*", "\\Qab\\E*", "\\Qa\\b\\E", "\\E", "a\\E", "\\", "a\\", "\\x{D800}",
    "[\\x{D800}-\\x{DFFF}]", "[^\\x{D800}]", "\\x{D7FF}", "\\x{E000}", "\\C", "a\\Cb",
    "\\x00", "\\x{0}", "a\\x{0}?b",
    # Classes
    "[abc]", "[^abc]", "[a-z]", "[z-a]", "[a-]", "[-a]", "[a-b-c]", "[\\-]", "[\\]]", "[]a]",
    "[^]a]", "[]", "[^]", "[[]", "[a", "[a-", "[\\d-z]", "[a-\\d]", "[\\b]", "[\\n]", "[\\z]",
    "[\\A]", "[\\Q]", "[\\x{41}-\\x{5A}]", "[\\0-\\7]", "[\\0-\\07]", "[[:alpha:]]",
    "[[:^alpha:]]", "[[:word:]]", "[[:foo:]]", "[[:alpha:]", "[[=a=]]", "[[.a.]]", "[a&&b]",
    "[[:a]b:]", "[[:space:]]", "[[:blank:]]", "[[:cntrl:]]", "[[:graph:]]", "[[:print:]]",
    "[[:punct:]]", "[[:xdigit:]]", "[[:ascii:]]", "[[:lower:]]", "[[:upper:]]", "[[:digit:]]",
    "[[:alnum:]]", "[^[:alpha:]]", "[\\s]", "[\\S]", "[\\w\\s]", "[^\\W]", "[^\\d\\s]",
    "[\\pL]", "[\\p{Greek}a]", "[\\P{Greek}]", "[^\\P{Greek}]", "[\\p]", "[\\pé]", "[^\\n]",
    "[é-ü]", "[^é]", "[\\x{80}-\\x{10FFFF}]", "[\\x00-\\x{10FFFF}]", "[^\\x00-\\x{10FFFF}]",
    "[a-a]", "[.]", "[*+?{}()|^$]", "[\\^]", "[\\[]", "[^-]", "[-]", "[--/]",
    # Perl classes
    "\\d", "\\D", "\\s", "\\S", "\\w", "\\W", "\\d+", "\\w+\\s\\w+",
    # Unicode classes (all names are tried below too)
    "\\pL", "\\PL", "\\pN", "\\p{L}", "\\p{^L}", "\\P{^L}", "\\p{Any}", "\\P{Any}", "\\p{^Any}",
    "\\p", "\\p{", "\\p{}", "\\pX", "\\p{Latin", "\\p{L&}", "\\p{Lc}", "\\p{Cn}", "\\p{IsGreek}",
    "\\p{greek}", "\\p{Greek}+", "\\pZ", "\\p{Zs}", "\\pC", "\\p{Cs}", "\\p{Co}", "\\p{^Greek}",
    "\\p{Garay}", "\\p{Kawi}", "\\p{Nag_Mundari}", "\\p{Unknown}", "\\p^L",
    # Anchors, dot, flags
    "^", "$", "^$", "^a", "a$", "^a$", "\\Aa", "a\\z", "\\Z", "a\\Z", "(?m)^", "(?m)$", "(?m)^$",
    "(?m)^a", "(?m)a$", "(?m)^b", "(?m)b$", "(?m)^\\n", "(?m:^)b", "(?s).", ".", "a.b",
    "(?s)a.b", "(?s:.)", "^.*$", "(?s)^.*$", "(?m)^.*$", "\\b", "\\B", "a\\b", "\\ba", "\\bé",
    "é\\b", "a\\B", "\\b\\b", "^*", "$*", "\\b*", "\\A*", "(?:^)*", "(?i)", "(?i)abc", "(?i)ABC",
    "(?i:a)b", "(?i)a(?-i)b", "(?i-i)a", "(?-i)a", "(?i)(?-i)A", "(?m-m)^b", "(?ims)a",
    "(?smiU)a", "(?U)a*", "(?U)a*?", "(?U:a+)b", "(?-)", "(?i-)", "(?--i)", "(?i--s)", "(?x)a",
    "(?n)a", "(?J)a", "(?X)a", "(?^)a", "(?a)a", "(?u)a", "(?)", "(?)a", "a(?)*", "(?i", "(?",
    "(?P", "(?i)*", "a(?i)*", "a*(?i)*", "(?i)k", "(?i)K", "(?i)\u212a", "(?i)s", "(?i)\u017f",
    "(?i)\u00b5", "(?i)\u03bc", "(?i)\u03a3", "(?i)\u03c2", "(?i)\u00df", "(?i)\u1e9e",
    "(?i)\u01c5", "(?i)\u0130", "(?i)\u0131", "(?i)i", "(?i)\u00e5", "(?i)\u212b",
    "(?i)\u2126", "(?i)\u03c9", "(?i)[a-z]", "(?i)[k]", "(?i)[^k]", "(?i)[^s]", "(?i)\\w",
    "(?i)\\W", "(?i)[\\W]", "(?i)[\\Wk]", "(?i)[^\\W]", "(?i)\\pL", "(?i)\\p{Lu}", "(?i)\\p{Ll}",
    "(?i)\\PL", "(?i)\\P{Lu}", "(?i)\\P{Ll}", "(?i)\\p{^Lu}", "(?i)[^\\p{Lu}]", "(?i)\\p{Greek}",
    "(?i)\\P{Greek}", "(?i)[\\P{Greek}a]", "(?i)[^\\P{Greek}a]", "(?i)[[:upper:]]",
    # Issue 12: everyday case-folded Unicode classes that a naive PCRE2 translation makes too
    # large, and the size limit around them (RE2 accepts (?i)\pL{445}, not {450}).
    "(?i)^\\pL{3,64}$", "(?i)[\\pL\\pN_-]{1,63}", "(?i)\\pL{20}", "(?i)\\p{Lu}{30}",
    "(?i)[\\pL ]{2,40}", "(?i)\\pL{2}", "(?i)\\pL{100}", "(?i)\\pL{400}", "(?i)\\pL{500}",
    "(?i)\\pL{1000}", "\\pL{400}", "\\pL{500}", "(?i)\\p{Lu}{1000}", "(?i)\\p{Ll}{1000}",
    "(?i)[^\\pL]{2,40}", "(?i)\\P{Lu}{10}", "(?i)[\\p{Greek}\\d]{1,30}", "(?i)\\p{Cyrillic}{50}",
    "(?i)(?:[\\pL\\pN]{1,63}\\.){1,4}[\\pL]{2,63}", "(?i)[[:^alpha:]\\pL]{10}", "(?i)\\W{5}\\pL{5}",
    "(?i)[[:^upper:]]", "(?i)[[:lower:]]", "(?i)[^[:lower:]]", "(?i)é", "(?i)É", "(?i)[é]",
    "(?i)[à-ÿ]", "(?i)\\x{212A}", "(?i)[\\x{212A}]", "(?i)\\d", "(?i)\\D", "(?i)\\s",
    "(?i)[[:^alpha:]]", "(?i)σ", "(?i)[σ]", "(?i)[^σ]", "(?i)ǆ", "(?i)ǅ",
    # Groups
    "(a)", "(a)(b)", "(?:a)", "(?:a|b)c", "()", "(|)", "|", "a|", "|a", "a||b", "(", ")", "a)",
    "(a", "((a)", "(a))", "(?P<n>a)", "(?<n>a)", "(?'n'a)", "(?P<n>a)(?P<n>b)", "(?<a>x)(?P<a>y)",
    "(?P<1a>x)", "(?P<é>x)", "(?P<a_1>x)", "(?P<a-b>x)", "(?P<>x)", "(?<>x)", "(?P<a",
    "(?P<a>", "(?<a", "(?P<", "(?<", "(?P=n)", "(?P>n)", "(?P<n>a)(?P=n)", "(?P<a b>x)",
    "(?P<٣>x)", "(?P<\u0300>x)", "(?P<\u00b7>x)",
    # Not RE2
    "(?=a)", "(?!a)", "(?<=a)", "(?<!a)", "a(?=b)", "(?>a)", "(?R)", "(?1)", "(?+1)", "(?-1)",
    "(?&n)", "(?(1)a|b)", "(*FAIL)", "(*ACCEPT)", "(*:x)", "(*)", "(*UTF)a", "(?C1)", "(?C)",
    "(?#x)", "(?|a)", "(?=", "(?<=", "(a)\\1", "\\1", "\\g1", "\\g{1}", "\\k<n>", "\\K", "a\\K",
    "a*+", "a++", "a?+", "a{2}+", "a{2,}+", "\\G", "\\X", "\\R", "\\h", "\\H", "\\e", "\\cA",
    "\\N", "\\o{12}", "\\u0041", "\\U", "\\l", "\\L",
    # Repetition
    "a*", "a+", "a?", "a*?", "a+?", "a??", "a**", "a*?+", "a+*", "a???", "a+?*", "*", "+a", "?",
    "{1}", "a|*", "(*)", "(?:*)", "(?P<n>*)", "a{2}", "a{2,}", "a{2,3}", "a{2,3}?", "a{,5}",
    "a{,}", "a{}", "a{x}", "a{1", "a{1,", "a{1,2", "a{ 1}", "a{1 }", "a{1,2,3}", "a{01}",
    "a{00}", "a{0}", "a{0,0}", "a{2,1}", "a{1000}", "a{1001}", "a{1000,}", "a{1001,}",
    "a{0,1000}", "a{0,1001}", "a{1,1001}", "a{999999999}", "a{1000000000}", "a{99999999999999}",
    "a{00000000001}", "a{2}{3}", "a{2}*", "a{2}?", "a{2}??", "(a{2}){3}", "(a{100}){100}",
    "(a{10}){100}", "(a{2}){500}", "(a{2}){501}", "(a{2,}){500}", "(a{2,}){501}",
    "(a*){1000}", "(a{0}){1000}", "(a{1,2}){1000}", "(a{1}){1000}", "((a{1000}){0,1}){2}",
    "((a{1000}){0,1}){1}", "(a{1000}){1}", "(a{1000}){0,1}",
    "((((((((((a{2}){2}){2}){2}){2}){2}){2}){2}){2}){2})",
    "(((((((((a{2}){2}){2}){2}){2}){2}){2}){2}){2})", "(?:a{10}|b{100}){10}",
    "(?:a{10}|b{101}){10}", "(a{10}b{10}){100}", "(a{10}b{11}){100}", "x{1000}y{1000}",
    "(?:(?:a{10}){10}){10}", "(?:(?:a{10}){10}){11}", "a{2,1000}", "(a|b){3,5}", "ab{2}c",
    "a{,5}?", "a{1,}?", "\\pL{1000}", "\\pL{400}", "(\\pL{100}){10}", ".{1000}", "(?s).{1000}",
    "[\\x{80}-\\x{10FFFF}]{1000}", "(?:\\p{Greek}{1000}|){5}", "(?:\\p{Greek}{1000}){9}",
    "(?:(?:" + "x" * 690 + "){1000})", "(?:(?:" + "x" * 710 + "){1000})",
    "(?:" + "\\pL" * 10 + "){40}", "(?:" + "\\pL" * 10 + "){50}",
    # Mixed
    "(a+)+$", "(a|aa)+$", "^(a+)+b", "(x+x+)+y", "a.*b", "a.*?b", "[0-9]{3}-[0-9]{4}",
    "^[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}$", "(?i)^foo$", "^machines\\.", "\\.json$",
    "^(?:a|b)*$", "(?:)", "(?:)*", "(?:)+", "()*", "(|a)*", "(a|)+", "a{0}b", "(?i)(?:a|B)c",
    "[^a]", "[^a]+", "[^\\n]", "\\Aabc\\z", "(?m)\\Aabc\\z", "x*", "x+", "^$\\n", "(?m)^$\\n",
]

# A small token alphabet for seeded random patterns: mostly plausible, often not valid.
TOKENS = [
    "a", "b", "k", "s", "é", "\u212a", ".", "*", "+", "?", "{2}", "{1,3}", "{,2}", "{2,}",
    "(", ")", "(?:", "(?i)", "(?m)", "(?s)", "(?i:", "(?P<n>", "|", "[", "]", "[^", "^", "$",
    "\\", "\\d", "\\W", "\\b", "\\s", "-", "\\pL", "\\p{Greek}", "[:alpha:]", "{", "}", "\\Q",
    "\\E", "\\n", "0", "1", ",", "\\x{41}", "\\A", "\\z", "a-z", "\n",
]


def random_patterns(count, seed=20260101):
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        out.append("".join(rng.choice(TOKENS) for _ in range(rng.randint(1, 7))))
    return out


def re2_version():
    text = subprocess.run([sys.executable, "-m", "pip", "show", "google-re2"], capture_output=True,
                          text=True).stdout
    return text.split("Version: ")[1].split()[0]


def unicode_names():
    """The class names RE2 accepts, as listed in Sources/Winnow/Regex/RE2UnicodeTables.swift."""
    path = os.path.join(ROOT, "Sources", "Winnow", "Regex", "RE2UnicodeTables.swift")
    names = []
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if line.startswith('"') and '": "' in line:
            names.append(line.split('"')[1])
    return names


def main():
    patterns = list(FIXED)
    patterns += ["\\" + c for c in LETTERS + [str(d) for d in range(10)]]
    patterns += ["[\\" + c + "]" for c in LETTERS]
    patterns += ["\\p{%s}" % n for n in unicode_names()]
    patterns += random_patterns(700)
    patterns = sorted(set(patterns))

    cases = []
    for p in patterns:
        case = {"pattern": p}
        try:
            r = re2.compile(p)
        except re2.error as e:
            case["error"] = e.args[0].decode("utf-8", "replace") if isinstance(e.args[0], bytes) else str(e)
            cases.append(case)
            continue
        case["matches"] = "".join("1" if r.search(s) is not None else "0" for s in SUBJECTS)
        cases.append(case)

    doc = {
        "generator": "Grammar/regex/generate_corpus.py",
        "re2": "google-re2 " + re2_version(),
        "subjects": SUBJECTS,
        "cases": cases,
    }
    with open(OUT, "w", encoding="utf-8") as f:
        f.write("{\n")
        for key in ["generator", "re2", "subjects"]:
            f.write("  %s: %s,\n" % (json.dumps(key), json.dumps(doc[key], ensure_ascii=False)))
        f.write('  "cases": [\n')
        f.write(",\n".join("    " + json.dumps(c, ensure_ascii=False, sort_keys=True) for c in cases))
        f.write("\n  ]\n}\n")
    accepted = sum(1 for c in cases if "matches" in c)
    print("wrote %s: %d patterns (%d accepted, %d rejected), %d subjects each"
          % (OUT, len(cases), accepted, len(cases) - accepted, len(SUBJECTS)))


def write_hostile():
    cases = []
    for name, pattern, runs in HOSTILE:
        subject = "".join(text * count for text, count in runs)
        cases.append({"name": name, "pattern": pattern, "subject": runs,
                      "matches": re2.search(pattern, subject) is not None})
    with open(HOSTILE_OUT, "w", encoding="utf-8") as f:
        f.write('{\n  "generator": "Grammar/regex/generate_corpus.py",\n')
        f.write('  "re2": %s,\n  "cases": [\n' % json.dumps("google-re2 " + re2_version()))
        f.write(",\n".join("    " + json.dumps(c, ensure_ascii=False, sort_keys=True) for c in cases))
        f.write("\n  ]\n}\n")
    print("wrote %s: %d hostile cases" % (HOSTILE_OUT, len(cases)))


if __name__ == "__main__":
    if "--hostile" not in sys.argv[1:]:
        main()
    write_hostile()
