#!/usr/bin/env python3
"""Draws Grammar/filter-railroad.svg from Grammar/filter.ebnf.

    pip install railroad-diagrams==3.0.1
    python3 Grammar/tools/draw_railroad.py           # rewrites Grammar/filter-railroad.svg

The script reads the W3C EBNF productions of filter.ebnf (the subset the file uses: literals,
character classes, #xN, names, grouping, | , ? * + and the - exception), and draws one diagram
per structural production, in the order of DIAGRAMS. The whitespace symbol S is left out of the
drawings (it may appear between any two tokens), and the productions below JSON's Value are
summarised as one box, since RFC 8259 has its own well-known diagrams.
"""
import io
import pathlib
import re
import sys

import railroad as rr

GRAMMAR = pathlib.Path(__file__).resolve().parent.parent
DIAGRAMS = ["Filter", "Term", "Combinator", "FieldTerm", "Test", "Field", "Dotted", "Pointer",
            "ReferenceToken", "Fragment", "FragmentChar"]
HIDDEN = {"S", "JWS"}          # optional whitespace: dropped from the drawings
TERMINAL_LIKE = {"Value", "String", "FieldChar", "SegmentChar", "FirstChar", "UnescapedChar",
                 "HexDigit"}   # drawn as named boxes, not expanded


def productions(text):
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    rules = {}
    for m in re.finditer(r"^(\w+)\s*::=(.*?)(?=^\w+\s*::=|\Z)", text, flags=re.S | re.M):
        rules[m.group(1)] = m.group(2).strip()
    return rules


TOKEN = re.compile(r'\s*(?:(?P<lit>"[^"]*"|\'[^\']*\')|(?P<cls>\[(?:[^\]]|\\\])*\])|(?P<hex>#x[0-9A-Fa-f]+)'
                   r'|(?P<name>\w+)|(?P<op>[()|?*+-]))')


def tokens(expr):
    pos, out = 0, []
    expr = expr.strip()
    while pos < len(expr):
        m = TOKEN.match(expr, pos)
        if not m:
            raise SyntaxError("cannot read EBNF at %r" % expr[pos:])
        kind = m.lastgroup
        out.append((kind, m.group(kind)))
        pos = m.end()
        while pos < len(expr) and expr[pos].isspace():
            pos += 1
    return out


class Reader:
    """Recursive descent over one right-hand side: alt := seq ('|' seq)*; seq := diff+;
    diff := post ('-' post)?; post := atom ('?'|'*'|'+')*."""

    def __init__(self, toks):
        self.t, self.i = toks, 0

    def peek(self):
        return self.t[self.i] if self.i < len(self.t) else (None, None)

    def alt(self):
        items = [self.seq()]
        while self.peek() == ("op", "|"):
            self.i += 1
            items.append(self.seq())
        items = [x for x in items if x is not None]
        return items[0] if len(items) == 1 else rr.Choice(0, *items)

    def seq(self):
        items = []
        while self.peek()[0] and self.peek() not in (("op", "|"), ("op", ")")):
            x = self.diff()
            if x is not None:
                items.append(x)
        if not items:
            return rr.Skip()
        return items[0] if len(items) == 1 else rr.Sequence(*items)

    def diff(self):
        x = self.post()
        if self.peek() == ("op", "-"):
            self.i += 1
            y = self.post()
            label = "except " + (y.text if hasattr(y, "text") else "...")
            return rr.Group(x, label) if x is not None else None
        return x

    def post(self):
        x = self.atom()
        while self.peek() in (("op", "?"), ("op", "*"), ("op", "+")):
            op = self.peek()[1]
            self.i += 1
            if x is None:
                continue
            x = rr.Optional(x) if op == "?" else rr.ZeroOrMore(x) if op == "*" else rr.OneOrMore(x)
        return x

    def atom(self):
        kind, text = self.peek()
        self.i += 1
        if kind == "op" and text == "(":
            x = self.alt()
            if self.peek() != ("op", ")"):
                raise SyntaxError("missing )")
            self.i += 1
            return x
        if kind == "lit":
            return rr.Terminal(text[1:-1])
        if kind in ("cls", "hex"):
            return rr.Terminal(text)
        if kind == "name":
            if text in HIDDEN:
                return None
            return rr.NonTerminal(text)
        raise SyntaxError("unexpected %r" % text)


def main():
    rules = productions((GRAMMAR / "filter.ebnf").read_text(encoding="utf-8"))
    out = io.StringIO()
    parts = []
    for name in DIAGRAMS:
        body = Reader(tokens(rules[name])).alt()
        d = rr.Diagram(rr.Start(label=name), body, type="complex")
        buf = io.StringIO()
        d.writeStandalone(buf.write)
        parts.append((name, buf.getvalue()))
    # Stack the diagrams vertically into one SVG file.
    y, width, pieces = 0, 0, []
    for name, svg in parts:
        w = float(re.search(r'width="([\d.]+)"', svg).group(1))
        h = float(re.search(r'height="([\d.]+)"', svg).group(1))
        inner = re.sub(r"^.*?<svg[^>]*>", "", svg, count=1, flags=re.S)
        inner = re.sub(r"</svg>\s*$", "", inner)
        inner = re.sub(r"<style>.*?</style>", "", inner, flags=re.S)
        pieces.append('<g transform="translate(0 %g)">%s</g>' % (y, inner))
        y += h + 10
        width = max(width, w)
    style = re.search(r"<style>.*?</style>", parts[0][1], flags=re.S)
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="%g" height="%g" viewBox="0 0 %g %g" class="railroad-diagram">\n'
           '<rect width="100%%" height="100%%" fill="white"/>\n%s\n%s\n</svg>\n'
           % (width, y, width, y, style.group(0) if style else "", "\n".join(pieces)))
    target = GRAMMAR / "filter-railroad.svg"
    target.write_text(svg, encoding="utf-8")
    print("wrote %s (%d diagrams)" % (target, len(parts)))


if __name__ == "__main__":
    sys.exit(main())
