#!/usr/bin/env bash
# Races chapter 4's NPLM (nplm train) against the same model in PyTorch
# (bench/lm_pytorch.py) on the same exported data and hyperparameters
# (n = 3, d = 64, h = 128, batch 128, Adam 1e-3, one epoch), at 1 and 2
# threads, in one run; prints tokens/s and validation perplexity of both.
# Installs the peer (Debian's python3-torch with OpenBLAS) if missing; never
# run by the tests. Usage: bench/lm_vs_pytorch.sh [build-dir]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build/default}
nplm=$build/chapters/04_neural_lm/nplm
missing=()
for p in python3-torch libopenblas0-pthread; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=(); [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq \
    --no-install-recommends "${missing[@]}" >&2
fi
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
"$nplm" corpus --out "$data" >&2
results=()
for t in 1 2; do
  echo "nplm, $t thread(s) ..." >&2
  results+=("$("$nplm" train --epochs 1 --threads "$t" --out "$data/m$t.nplm" --json 2>/dev/null | tr -d '\n')")
  echo "PyTorch, $t thread(s) ..." >&2
  # Debian's torch is built for the system Python.
  results+=("$(OMP_NUM_THREADS=$t OPENBLAS_NUM_THREADS=$t /usr/bin/python3 "$here/bench/lm_pytorch.py" --data "$data" --threads "$t")")
done
python3 - "${results[@]}" <<'PY'
import json, sys
r = [json.loads(x) for x in sys.argv[1:]]
print("| threads | nplm tokens/s | PyTorch tokens/s | speed-up | nplm valid ppl | PyTorch valid ppl |")
print("|---|---|---|---|---|---|")
for i in range(0, len(r), 2):
    ours, theirs = r[i], r[i + 1]
    print(f"| {ours['threads']} | {ours['tokens_per_s']:.0f} | {theirs['tokens_per_s']:.0f} "
          f"| {ours['tokens_per_s'] / theirs['tokens_per_s']:.2f}x | {ours['valid_ppl'][0]:.2f} "
          f"| {theirs['valid_ppl']:.2f} |")
print(f"\nPyTorch {r[1].get('torch', '?')}")
PY
