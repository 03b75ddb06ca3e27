# Sourced by run_all.sh and test.sh: install what is missing, then configure
# and build one preset. Usage: ffnn_build PRESET
set -euo pipefail
FFNN_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

ffnn_build() {
  local preset=$1
  bash "$FFNN_ROOT/scripts/setup.sh"
  cd "$FFNN_ROOT"
  cmake --preset "$preset"
  cmake --build --preset "$preset" -j "$(nproc)"
}
