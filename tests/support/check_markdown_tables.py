#!/usr/bin/env python3
"""nn-trace's Markdown renders as tables.

    check_markdown_tables.py NN_TRACE DOXYGEN WORK_DIR SPEC...

For every spec, at full precision and with --round 2, nn-trace's Markdown is
read as a GitHub-style table source (a header row, a delimiter row with one
cell per column, body rows of the same width) and rendered by Doxygen, the
book's Markdown renderer. The rendered page must hold exactly the source's
tables, cell for cell in order, and no '|' outside them (a table that did
not render is a paragraph of pipes). To show the check can fail, the first
output is then broken (its first delimiter row dropped) and must be refused.
Exit 0 on success, 1 on a failed check, 2 on bad usage.
"""
import html.parser
import os
import re
import subprocess
import sys

import nn_trace_outputs

DELIMITER = re.compile(r"^\|(\s*:?-+:?\s*\|)+\s*$")


def Cells(line):
    return [c.strip() for c in line.strip().strip("|").split("|")]


def SourceTables(md):
    """The tables of a Markdown text, each a list of rows of cell texts."""
    tables, problems, lines = [], [], md.splitlines()
    i = 0
    while i < len(lines):
        if not lines[i].startswith("|"):
            i += 1
            continue
        block = []
        while i < len(lines) and lines[i].startswith("|"):
            block.append(lines[i])
            i += 1
        width = len(Cells(block[0]))
        if len(block) < 2 or not DELIMITER.match(block[1]):
            problems.append(f"table at '{block[0][:40]}' has no delimiter row")
            continue
        if len(Cells(block[1])) != width:
            problems.append(f"table at '{block[0][:40]}': delimiter row has "
                            f"{len(Cells(block[1]))} cells, header {width}")
        rows = [Cells(block[0])] + [Cells(r) for r in block[2:]]
        for r in rows[1:]:
            if len(r) != width:
                problems.append(f"table at '{block[0][:40]}': a row of "
                                f"{len(r)} cells under {width} columns")
        tables.append(rows)
    return tables, problems


class RenderedTables(html.parser.HTMLParser):
    """The Markdown tables of a Doxygen page, and its text outside them."""

    def __init__(self):
        super().__init__()
        self.tables, self.stray, self.depth, self.skip = [], [], 0, 0
        self.kinds = []  # per open <table>: is it a Markdown table?
        self.row = self.cell = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":  # only Markdown's: Doxygen lays out its title
            self.kinds.append("markdownTable" in (dict(attrs).get("class")
                                                  or ""))
            if self.kinds[-1]:
                self.depth += 1
                self.tables.append([])
        elif tag in ("script", "style", "pre", "code"):
            self.skip += 1
        elif self.depth and tag == "tr":
            self.row = []
            self.tables[-1].append(self.row)
        elif self.depth and tag in ("td", "th"):
            self.cell = ""

    def handle_endtag(self, tag):
        if tag == "table":
            self.depth -= self.kinds.pop() if self.kinds else 0
        elif tag in ("script", "style", "pre", "code"):
            self.skip -= 1
        elif self.depth and tag in ("td", "th") and self.cell is not None:
            self.row.append(self.cell.strip())
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data
        elif not self.depth and not self.skip and "|" in data:
            self.stray.append(data.strip()[:60])


def Render(doxygen, md, work):
    os.makedirs(work, exist_ok=True)
    with open(os.path.join(work, "trace.md"), "w") as f:
        f.write(md)
    with open(os.path.join(work, "Doxyfile"), "w") as f:
        f.write("INPUT = trace.md\nUSE_MDFILE_AS_MAINPAGE = trace.md\n"
                "OUTPUT_DIRECTORY = out\nGENERATE_LATEX = NO\n"
                "GENERATE_TREEVIEW = NO\nSEARCHENGINE = NO\nQUIET = YES\n"
                "WARN_AS_ERROR = YES\n")
    subprocess.run([doxygen, "Doxyfile"], cwd=work, check=True,
                   capture_output=True)
    parser = RenderedTables()
    with open(os.path.join(work, "out", "html", "index.html")) as f:
        parser.feed(f.read())
    return parser


def Check(doxygen, md, work):
    """The problems with one Markdown text: [] when it renders as tables."""
    want, problems = SourceTables(md)
    if not want:
        problems.append("no tables in the output")
    page = Render(doxygen, md, work)
    if page.tables != want:
        problems.append(f"rendered {len(page.tables)} tables, the source has "
                        f"{len(want)}; first difference: " + next(
                            (f"table {k}: {a} vs {b}" for k, (a, b) in
                             enumerate(zip(page.tables, want)) if a != b),
                            "in the count"))
    problems += [f"unrendered pipe text: '{s}'" for s in page.stray]
    return problems, len(want)


def main(argv):
    nn_trace, doxygen, work, specs = nn_trace_outputs.Arguments(argv,
                                                                "DOXYGEN")
    failed, first = False, None
    for name, tag, md in nn_trace_outputs.Outputs(nn_trace, specs,
                                                  "markdown"):
        first = first or md
        problems, count = Check(doxygen, md, os.path.join(work, tag))
        for p in problems:
            print(f"{name}: {p}")
        failed |= bool(problems)
        if not problems:
            print(f"{name}: {count} tables render cell for cell")
    # The check itself: a delimiter row dropped must be caught.
    lines = first.splitlines(keepends=True)
    broken = "".join(l for k, l in enumerate(lines)
                     if k != next(k for k, l in enumerate(lines)
                                  if DELIMITER.match(l)))
    if not Check(doxygen, broken, os.path.join(work, "broken"))[0]:
        print("the check passed a table without its delimiter row")
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
