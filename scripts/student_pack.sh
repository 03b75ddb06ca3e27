#!/usr/bin/env bash
# Cuts a student pack: a complete copy of this tree in which every
# exercise's solution (// BEGIN SOLUTION id ... // END SOLUTION) is replaced
# by a stub that fails clearly, the prompts and markers kept. The pack is
# written into a new folder, all of it or nothing, and checked to hold no
# line of any solution. Usage: scripts/student_pack.sh OUT_DIR
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "student_pack: error: usage: scripts/student_pack.sh OUT_DIR" >&2
  exit 2
fi
exec python3 "$(dirname "$0")/exercises.py" pack "$1"
