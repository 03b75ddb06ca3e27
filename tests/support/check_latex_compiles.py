#!/usr/bin/env python3
"""nn-trace's LaTeX compiles, at any width.

    check_latex_compiles.py NN_TRACE PDFLATEX WORK_DIR SPEC...

For every spec, at full precision and with --round 2, nn-trace's LaTeX goes
into a standalone article with amsmath (what its output asks for) and
pdflatex must compile it with no error and no page overfilled (a display
that runs off the page's foot). To show the check can fail, a
12-column bmatrix (amsmath's default MaxMatrixCols is 10, the defect the
bracketed arrays replaced) must be refused. Exit 0 on success, 1 on a failed
check, 2 on bad usage.
"""
import os
import subprocess
import sys

import nn_trace_outputs

PREAMBLE = "\\documentclass{article}\n\\usepackage{amsmath}\n\\begin{document}\n"


def Compiles(pdflatex, body, work, name):
    """'' when the document compiles, else pdflatex's first error line."""
    os.makedirs(work, exist_ok=True)
    with open(os.path.join(work, name + ".tex"), "w") as f:
        f.write(PREAMBLE + body + "\n\\end{document}\n")
    run = subprocess.run([pdflatex, "-interaction=nonstopmode",
                          "-halt-on-error", name + ".tex"], cwd=work,
                         capture_output=True, text=True, timeout=120)
    errors = [l for l in run.stdout.splitlines() if l.startswith("! ")]
    if run.returncode != 0 or errors:
        return errors[0] if errors else f"pdflatex exited {run.returncode}"
    # A display taller than the page runs off its foot; a wide one only
    # needs a wider page (landscape, slides), so that is not checked.
    with open(os.path.join(work, name + ".log"), errors="replace") as f:
        tall = [l.strip() for l in f if l.startswith("Overfull \\vbox")]
    return tall[0] if tall else ""


def main(argv):
    nn_trace, pdflatex, work, specs = nn_trace_outputs.Arguments(argv,
                                                                 "PDFLATEX")
    failed = False
    for name, tag, tex in nn_trace_outputs.Outputs(nn_trace, specs, "latex"):
        error = Compiles(pdflatex, tex, work, tag)
        print(f"{name}: " + (error or "compiles"))
        failed |= bool(error)
    wide = ("\\begin{align*}A &= \\begin{bmatrix}" + " & ".join("1" * 12) +
            "\\end{bmatrix}\\end{align*}")
    if not Compiles(pdflatex, wide, work, "bmatrix12"):
        print("the check compiled a 12-column bmatrix")
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
