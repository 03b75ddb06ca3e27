#!/usr/bin/env bash
# Grades the exercises of this tree (the instructor's or a student pack):
# builds the grader (build/grade, only what grading needs), runs each
# exercise's checks in its own process under a time limit, and prints a
# scorecard; exit 0 when every exercise passes, 1 otherwise, 2 for bad
# usage.
#   scripts/grade.sh [CHAPTER or EXERCISE ...]  ch01 ... ch05, kernels, 2.3
#   scripts/grade.sh --ccache-dir DIR        reuse another build's objects
#   scripts/grade.sh --results results.json Gradescope's format as well
#   scripts/grade.sh --submissions DIR --csv grades.csv [--feedback DIR]
#       grades every student tree in DIR, each in a bubblewrap sandbox
#       (README, "For instructors"): one CSV line per student.
set -euo pipefail
exec python3 "$(dirname "$0")/exercises.py" grade "$@"
