#!/usr/bin/env bash
# Runs the kernel benchmarks (SIMD and Eigen reference) and the machine
# yardsticks, then prints the Markdown table of simd/reference ratios.
# Usage: scripts/bench.sh [build-dir] [extra Google Benchmark flags...]
# Takes about 10 minutes on 2 cores; never run by the tests.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build/default}
shift || true
out=$build/bench-results
rm -rf "$out"
mkdir -p "$out"  # stale results from older runs must not mix in
flags=(--benchmark_repetitions=5 --benchmark_enable_random_interleaving=true
       --benchmark_report_aggregates_only=true
       --benchmark_min_time=0.2 "$@")
for exe in bench_machine bench_kernels; do
  echo "running $exe ..." >&2
  "$build/bench/$exe" "${flags[@]}" --benchmark_format=console \
    --benchmark_out="$out/$exe.json" --benchmark_out_format=json >&2
done
python3 "$here/scripts/bench_table.py" "$out"/bench_*.json
