"""The shared part of check_markdown_tables.py and check_latex_compiles.py:
their command line, and nn-trace's output for every spec at full precision
and with --round 2."""
import os
import subprocess
import sys


def Arguments(argv, tool):
    """(nn_trace, tool, work_dir, specs) from argv, or exit 2 on bad usage."""
    if len(argv) < 5:
        sys.stderr.write(f"{os.path.basename(argv[0])}: error: usage: "
                         f"NN_TRACE {tool} WORK_DIR SPEC...\n")
        sys.exit(2)
    return argv[1], argv[2], argv[3], argv[4:]


def Outputs(nn_trace, specs, fmt):
    """(name, tag, text) for every spec, unrounded then rounded; tag is a
    short name for the output's files."""
    for n, spec in enumerate(specs):
        for rounding in ([], ["--round", "2"]):
            text = subprocess.run([nn_trace, "--spec", spec, "--format", fmt] +
                                  rounding, check=True, capture_output=True,
                                  text=True).stdout
            name = os.path.basename(spec) + (" --round 2" if rounding else "")
            yield name, f"trace{n}{len(rounding)}", text
