#!/usr/bin/env python3
"""The book's code fragments: the idea in code, whole, short and used.

Every `//! [name]` marker pair in the sources is a fragment. The check
fails (exit 1, one line per defect) when
  - a fragment is pulled into no page (`\\snippet FILE name` in a chapter's
    chapter.md or a page of docs/), or a page pulls a fragment that does
    not exist;
  - a fragment is not whole: its braces, parentheses and brackets do not
    balance (outside comments, strings and character literals), or a
    marker is opened and never closed;
  - a fragment is longer than 40 lines (the marker lines not counted, nor
    an exercise's prompt and its BEGIN/END SOLUTION lines: they state the
    exercise, which the student pack's book shows in place of the code);
  - a fragment builds the report rather than computing: it names
    Step(, .Add(, SlideValue, AddErratum, Report or Example.

usage: check_fragments.py SOURCE_DIR         check the project
       check_fragments.py --self-test         plant each defect in a copy of
                                               a tiny project and require
                                               the check to name it
"""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "support"))
from planted import run_planted  # noqa: E402

MAX_LINES = 40
SOURCE_DIRS = ("chapters", "kernels", "reference", "figures", "tools")
SOURCE_EXT = (".h", ".cc", ".cpp", ".hpp")
MARKER = re.compile(r"^\s*//! \[([A-Za-z0-9_]+)\]\s*$")
SNIPPET = re.compile(r"\\snippet\s+(\S+)\s+([A-Za-z0-9_]+)")
# A report entry is named by a string: .Add("name", ...) or
# .Add(name + "...", ...) (strings read "" here); a graph's g.Add(a, b) is
# computation.
HARNESS = re.compile(r"\.(Step|Add|AddCheck|AddWrong)\(\s*(\"\"|\w+ \+)|"
                     r"\bSlideValue\{|\bAddErratum\b|\bReport\b|\bExample\b")


def code_only(line, in_comment):
    """The line without comments, strings and character literals; and
    whether a /* comment is still open at its end."""
    out, i = [], 0
    while i < len(line):
        if in_comment:
            end = line.find("*/", i)
            if end < 0:
                return "".join(out), True
            i, in_comment = end + 2, False
        elif line.startswith("//", i):
            break
        elif line.startswith("/*", i):
            in_comment, i = True, i + 2
        elif line[i] in "\"'":
            quote, i = line[i], i + 1
            while i < len(line) and line[i] != quote:
                i += 2 if line[i] == "\\" else 1
            i += 1
            out.append('""')
        else:
            out.append(line[i])
            i += 1
    return "".join(out), in_comment


def fragments(path):
    """{name: (first line number, lines)} of a source file, and defects."""
    found, defects, open_at = {}, [], {}
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for n, line in enumerate(lines, 1):
        m = MARKER.match(line)
        if not m:
            continue
        name = m.group(1)
        if name in open_at:
            found[name] = (open_at[name], lines[open_at[name]:n - 1])
            del open_at[name]
        elif name in found:
            defects.append("%s:%d: fragment '%s' marked twice" %
                           (path, n, name))
        else:
            open_at[name] = n
    for name, n in open_at.items():
        defects.append("%s:%d: fragment '%s' is opened and never closed" %
                       (path, n, name))
    return found, defects


EXERCISE_HEAD = re.compile(r"^\s*// Exercise \S+: .* \(\d+ points?\)\.$")
EXERCISE_MARK = re.compile(r"^\s*// (BEGIN SOLUTION \S+|END SOLUTION)\s*$")


def code_lines(body):
    """The fragment's lines without exercise prompts (from '// Exercise
    N.K: ...' to its BEGIN SOLUTION line) and END SOLUTION lines."""
    out, in_prompt = [], False
    for line in body:
        if EXERCISE_HEAD.match(line):
            in_prompt = True
        if not in_prompt and not EXERCISE_MARK.match(line):
            out.append(line)
        if EXERCISE_MARK.match(line):
            in_prompt = False
    return out


def check_fragment(path, name, first, body):
    defects = []
    where = "%s:%d: fragment '%s'" % (path, first, name)
    length = len(code_lines(body))
    if length > MAX_LINES:
        defects.append("%s is %d lines long (at most %d)" %
                       (where, length, MAX_LINES))
    depth = {"{": 0, "(": 0, "[": 0}
    closing = {"}": "{", ")": "(", "]": "["}
    in_comment, unbalanced, harness = False, False, []
    for line in body:
        code, in_comment = code_only(line, in_comment)
        harness += [m.group(0) for m in HARNESS.finditer(code)
                    if m.group(0) not in harness]
        for c in code:
            if c in depth:
                depth[c] += 1
            elif c in closing:
                depth[closing[c]] -= 1
                unbalanced |= depth[closing[c]] < 0
    if harness:
        defects.append("%s builds the report (%s), not the idea" %
                       (where, " ".join(harness)))
    if unbalanced or any(depth.values()):
        defects.append("%s is not whole: unbalanced %s" %
                       (where, ", ".join("%s%+d" % (k, v)
                                         for k, v in depth.items() if v)
                        or "closing before opening"))
    return defects


def check(root):
    defects, markers = [], {}
    for top in SOURCE_DIRS:
        for d, _, files in os.walk(os.path.join(root, top)):
            for f in sorted(files):
                if not f.endswith(SOURCE_EXT):
                    continue
                path = os.path.join(d, f)
                rel = os.path.relpath(path, root)
                found, bad = fragments(path)
                defects += bad
                for name, (first, body) in found.items():
                    markers[(rel, name)] = True
                    defects += check_fragment(rel, name, first, body)
    used = set()
    pages = [os.path.join(root, "docs", p)
             for p in sorted(os.listdir(os.path.join(root, "docs")))
             if p.endswith(".md")]
    chapters = os.path.join(root, "chapters")
    pages += [os.path.join(chapters, c, "chapter.md")
              for c in sorted(os.listdir(chapters))
              if os.path.isfile(os.path.join(chapters, c, "chapter.md"))]
    for page in pages:
        with open(page, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                for m in SNIPPET.finditer(line):
                    if line[m.start():].startswith("\\snippet{"):
                        continue
                    key = (m.group(1), m.group(2))
                    used.add(key)
                    if key not in markers:
                        defects.append("%s:%d: pulls fragment '%s' of %s, "
                                       "which has no such marker" %
                                       (os.path.relpath(page, root), n,
                                        key[1], key[0]))
    for (rel, name) in sorted(markers):
        if (rel, name) not in used:
            defects.append("%s: fragment '%s' is pulled into no page" %
                           (rel, name))
    return defects, len(markers), len(pages)


def self_test():
    """Each planted defect must be named; the clean project must pass."""
    good = ("int Twice(int x) {\n"
            "  //! [twice]\n"
            "  return 2 * (x + 0);  // a comment with ( and {\n"
            "  //! [twice]\n"
            "}\n")
    page = "# Twice\n\n\\snippet chapters/c/a.cc twice\n"
    plants = {
        "unused": (good + "//! [spare]\nint y = 1;\n//! [spare]\n", page,
                   "pulled into no page"),
        "unbalanced": ("//! [twice]\nfor (int i = 0; i < 3; ++i) {\n"
                       "//! [twice]\n}\n", page, "not whole"),
        "unclosed": ("//! [twice]\nint x;\n", page, "never closed"),
        "long": ("//! [twice]\n" + "int a;\n" * 41 + "//! [twice]\n",
                 page, "41 lines long"),
        "long beside a prompt": (
            "//! [twice]\n  // Exercise 1.1: t (1 point).\n  // Slide: s.\n"
            "  // BEGIN SOLUTION ch01.1.t\n" + "int a;\n" * 41 +
            "  // END SOLUTION\n//! [twice]\n", page, "41 lines long"),
        "harness": ("//! [twice]\nint v = Twice(2);\n"
                    "e.Add(\"twice\", v);\n//! [twice]\n", page,
                    "builds the report"),
        "missing": (good, page + "\\snippet chapters/c/a.cc thrice\n",
                    "no such marker"),
    }
    cases = [("clean", good, page, None)] + [
        (label, source, text, expected)
        for label, (source, text, expected) in plants.items()]
    return run_planted(
        [(label, {"chapters/c/a.cc": source, "chapters/c/chapter.md": text,
                  "docs/index.md": ""}, expected)
         for label, source, text, expected in cases],
        lambda root: check(root)[0])


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    if len(sys.argv) != 2:
        print("usage: check_fragments.py SOURCE_DIR | --self-test",
              file=sys.stderr)
        return 2
    defects, n_markers, n_pages = check(sys.argv[1])
    for d in defects:
        print(d)
    print("%d fragments, %d pages, %d defects" % (n_markers, n_pages,
                                                  len(defects)))
    return 1 if defects else 0


if __name__ == "__main__":
    sys.exit(main())
