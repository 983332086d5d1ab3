#!/usr/bin/env python3
"""Print the KB's server-side patterns, one a line, in a syntax rg can take.

    tests/bench/kb-patterns.py [KBDIR]      (default: kb/ next to tests/)
    tests/bench/kb-patterns.py --stdin      (convert PCRE2 patterns, one a line)

Every `match:` of the rules (kb/rules/*.yaml), of the problems' signatures
(kb/problems/*.yaml) and of the symptoms (kb/tree.yaml) whose side is
`server` or `any` (the default). PCRE2-only syntax is rewritten for Rust's
regex (ripgrep's default engine): `(?<name>` becomes `(?P<name>` (rg joins
all patterns into one regex, so a name seen before gets a suffix), `(?J)`
is dropped, and lookarounds `(?=..)` `(?!..)` `(?<=..)` `(?<!..)`, which
Rust's regex lacks, are removed (the pattern then matches a superset). A leading `^` is
dropped too: the KB matches the message once the syslog prefix is off,
while rg sees the whole line; without the anchor rg finds the same lines.

bench.sh reads them from `sshdoctor kb dump-patterns --side server` when
that command exists (and converts them with --stdin), else from the YAML.
"""

import os
import re
import sys

try:
    import yaml
except ImportError:  # a tiny reader for the one form the KB uses
    yaml = None


def load(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if yaml is not None:
        return yaml.safe_load(text)
    # Fallback: list items, their `side:` and single-quoted `match:`.
    items, cur = [], None
    for line in text.splitlines():
        m = re.match(r"^(\s*)-\s+(\w+):\s*(.*)$", line)
        if m:
            cur = {}
            items.append(cur)
            key, val = m.group(2), m.group(3)
        else:
            m = re.match(r"^\s+(\w+):\s*(.*)$", line)
            if not m or cur is None:
                continue
            key, val = m.group(1), m.group(2)
        if key in ("side", "match"):
            val = val.strip()
            if val.startswith("'") and val.endswith("'"):
                val = val[1:-1].replace("''", "'")
            cur[key] = val
    return items


def walk(node, out):
    if isinstance(node, dict):
        m = node.get("match")
        if isinstance(m, str) and node.get("side", "any") in ("server", "any"):
            out.append(m)
        for v in node.values():
            walk(v, out)
    elif isinstance(node, list):
        for v in node:
            walk(v, out)


def drop_lookaround(p):
    """Remove (?=..), (?!..), (?<=..), (?<!..): Rust's regex has none; the
    pattern then matches a few more lines, which costs rg nothing."""
    out, i = [], 0
    while i < len(p):
        if p[i] == "\\":
            out.append(p[i:i + 2])
            i += 2
            continue
        if p.startswith(("(?=", "(?!", "(?<=", "(?<!"), i):
            depth, j, cls = 0, i, False
            while j < len(p):
                c = p[j]
                if c == "\\":
                    j += 2
                    continue
                if cls:
                    cls = c != "]"
                elif c == "[":
                    cls = True
                elif c == "(":
                    depth += 1
                elif c == ")":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            i = j + 1
            continue
        out.append(p[i])
        i += 1
    return "".join(out)


def to_rust(p, names):
    """rg -f joins every pattern into one regex: a group name may appear
    once in all of them, so repeats get a suffix."""
    p = drop_lookaround(p.replace("(?J)", ""))

    def name(m):
        n = m.group(1)
        names[n] = names.get(n, 0) + 1
        if names[n] > 1:
            n = "%s_%d" % (n, names[n])
        return "(?P<%s>" % n

    p = re.sub(r"\(\?<([A-Za-z_]\w*)>", name, p)
    if p.startswith("^"):
        p = p[1:]
    return p


def main():
    if sys.argv[1:] == ["--stdin"]:
        pats = [l.rstrip("\n") for l in sys.stdin]
    else:
        pats = from_kb()
    seen, names = set(), {}
    for p in pats:
        p = to_rust(p, names)
        if p and p not in seen:
            seen.add(p)
            print(p)


def from_kb():
    here = os.path.dirname(os.path.abspath(__file__))
    kb = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "kb")
    files = []
    for sub in ("rules", "problems"):
        d = os.path.join(kb, sub)
        if os.path.isdir(d):
            files += [os.path.join(d, f) for f in sorted(os.listdir(d))
                      if f.endswith((".yaml", ".yml"))]
    tree = os.path.join(kb, "tree.yaml")
    if os.path.exists(tree):
        files.append(tree)
    pats = []
    for f in files:
        walk(load(f), pats)
    return pats


if __name__ == "__main__":
    main()
