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
source "$here/bench/install_peers.sh"
ffnn_install_missing python3-torch libopenblas0-pthread
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
"$nplm" corpus --out "$data" >&2
results=()
for t in 1 2; do
  echo "nplm, $t thread(s) ..." >&2
  results+=("$("$nplm" train --epochs 1 --threads "$t" --out "$data/m$t.nplm" --json 2>/dev/null | tr -d '\n')")
  # PyTorch's thread settings: its intra-op threads and OpenBLAS's can
  # oversubscribe the cores, so try (torch t, BLAS 1), (torch 1, BLAS t) and
  # (t, t) on a slice of the epoch and run the epoch with the fastest.
  # Debian's torch is built for the system Python.
  best="" best_rate=0
  settings=("1 1")
  [ "$t" -gt 1 ] && settings=("$t 1" "1 $t" "$t $t")
  for s in "${settings[@]}"; do
    set -- $s
    rate=$(OMP_NUM_THREADS=$1 OPENBLAS_NUM_THREADS=$2 /usr/bin/python3 \
      "$here/bench/lm_pytorch.py" --data "$data" --threads "$1" \
      --max-examples 25600 | python3 -c 'import json,sys; print(int(json.load(sys.stdin)["tokens_per_s"]))')
    echo "PyTorch, torch threads $1, OpenBLAS threads $2: $rate tokens/s on a slice" >&2
    if [ "$rate" -gt "$best_rate" ]; then best="$s" best_rate=$rate; fi
  done
  set -- $best
  echo "PyTorch, torch threads $1, OpenBLAS threads $2, the whole epoch ..." >&2
  results+=("$(OMP_NUM_THREADS=$1 OPENBLAS_NUM_THREADS=$2 /usr/bin/python3 \
    "$here/bench/lm_pytorch.py" --data "$data" --threads "$1" --budget "$t")")
done
python3 - "${results[@]}" <<'PY'
import json, sys
r = [json.loads(x) for x in sys.argv[1:]]
print("| threads | nplm tokens/s | PyTorch tokens/s | speed-up | nplm valid ppl "
      "| PyTorch valid ppl | nplm: products with U, share of the time "
      "| their GFLOP/s | softmax-CE share | optimizer step and batch filling |")
print("|---|---|---|---|---|---|---|---|---|---|")
for i in range(0, len(r), 2):
    ours, theirs = r[i], r[i + 1]
    print(f"| {ours['threads']} | {ours['tokens_per_s']:.0f} | {theirs['tokens_per_s']:.0f} "
          f"| {ours['tokens_per_s'] / theirs['tokens_per_s']:.2f}x | {ours['valid_ppl'][0]:.2f} "
          f"| {theirs['valid_ppl']:.2f} | {100 * ours['output_gemm_share'][0]:.0f}% "
          f"| {ours['output_gemm_gflops'][0]:.0f} | {100 * ours['softmax_share'][0]:.0f}% "
          f"| {100 * ours['outside_forward_backward_share'][0]:.0f}% |")
print(f"\nPyTorch {r[1].get('torch', '?')}; its fastest thread settings: " +
      ", ".join(f"{x['threads']} thread(s): torch {x.get('torch_threads', 1)}, "
                f"OpenBLAS {x.get('blas_threads', 1)}" for x in r[1::2]))
PY
