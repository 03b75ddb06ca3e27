#!/usr/bin/env bash
# Installs the companion's build dependencies from Debian 12 / Ubuntu packages.
# Idempotent: only what is missing is installed. Non-interactive when CI=true
# (or when stdin is not a terminal). Run as root or with sudo available.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git python3
  libeigen3-dev        # Eigen 3.4: reference/ and AutoDiff
  libboost-test-dev    # Boost.Test 1.74: every test executable
  libhwy-dev           # Google Highway 1.0.3: kernels/
  libbenchmark-dev     # Google Benchmark: bench/
  libgnuplot-iostream-dev gnuplot-nox  # figures/
  libboost-iostreams-dev libboost-system-dev libboost-filesystem-dev
  nlohmann-json3-dev   # --json output and nn-trace specs
  libcli11-dev         # command-line options
  doxygen graphviz libjs-mathjax  # the book (docs target)
  chromium             # the book.browser test opens every page headless
  emscripten           # the book's live panels in WebAssembly (the wasm preset)
  xz-utils             # unpacking vendored corpora
  clang libclang-rt-14-dev  # libFuzzer + sanitizers (fuzz preset, scripts/fuzz.sh)
  ccache               # student packs rebuild only what differs (grade.sh)
  bubblewrap           # grade.sh --submissions: each submission sandboxed
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages already installed"
  exit 0
fi

echo "setup: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
