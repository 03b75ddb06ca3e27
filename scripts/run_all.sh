#!/usr/bin/env bash
# The main job, on a fresh Debian 12 machine: install what is missing, build
# (Release), show the kernel layer's dispatch, run every chapter target's
# worked examples, and regenerate every figure.
source "$(dirname "$0")/common.sh"
ffnn_build default
build=$FFNN_ROOT/build/default

echo "== kernel layer =="
"$build/tools/ffnn_info"

shopt -s nullglob
chapters=("$build"/chapters/*/ch[0-9][0-9]_*)
if [ ${#chapters[@]} -eq 0 ]; then
  echo "== no chapter targets are built yet =="
fi
for exe in "${chapters[@]}"; do
  [ -x "$exe" ] || continue
  echo "== $(basename "$exe") =="
  "$exe"
done

echo "== figures =="
cmake --build "$build" --target figures
echo "figures written to $build/generated/figures"

echo "== the book =="
cmake --build "$build" --target docs
echo "open $build/book/html/index.html"
