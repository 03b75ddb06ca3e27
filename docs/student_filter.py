#!/usr/bin/env python3
"""Doxygen's INPUT_FILTER in a student pack (a tree with .student-pack):
the book builds before the exercises are done. A page's \\snippet{doc} of a
generated block that a chapter target could not compute yet (the examples
whose exercises are open are left out of its --markdown), and an \\image
that the figures target could not render, become a note saying so; every
other line passes unchanged.

    student_filter.py GENERATED_DIR FIGURE_DIR PAGE.md
"""
import os
import re
import sys

SNIPPET = re.compile(r"\\snippet\{doc\}\s+(\S+)\s+(\S+)")
IMAGE = re.compile(r"^\s*\\image\s+html\s+(\S+)")


def has_marker(path, marker):
    try:
        with open(path, encoding="utf-8") as f:
            return "<!-- [%s] -->" % marker in f.read()
    except OSError:
        return False


def main(generated, figures, page):
    with open(page, encoding="utf-8") as f:
        lines = f.read().split("\n")
    out = []
    for line in lines:
        def note(m):
            if has_marker(os.path.join(generated, m.group(1)), m.group(2)):
                return m.group(0)
            if line.strip() == m.group(0):
                return ("<em>Not computed yet: this needs exercises that "
                        "are not done (scripts/grade.sh lists them).</em>")
            return "<em>(not computed yet)</em>"
        i = IMAGE.match(line)
        if i and not os.path.isfile(os.path.join(figures, i.group(1))):
            out.append("<em>The figure %s is drawn once the exercises it "
                       "needs are done (the figures target).</em>" %
                       i.group(1))
        else:
            out.append(SNIPPET.sub(note, line))
    sys.stdout.write("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
