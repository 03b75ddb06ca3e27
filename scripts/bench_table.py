#!/usr/bin/env python3
"""Prints the Markdown table of the kernel benchmarks: SIMD against the Eigen
reference, and against the machine's limits (bench_machine).

Input: the JSON files written by scripts/bench.sh. Benchmarks are named
<kernel>/<simd|reference>/<size...>; with repetitions, the median is used.
"""
import json
import sys
from collections import defaultdict

# Which machine yardstick bounds each memory-bound kernel (same access
# pattern, see bench/machine_bench.cc).
YARDSTICK = {
    "dot": "read_2_streams", "sum": "read_1_stream", "max": "read_1_stream",
    "axpy": "update", "sgd": "update", "add": "triad",
    "sigmoid": "scale", "tanh": "scale", "relu": "scale",
    "sigmoid_backward": "triad", "tanh_backward": "triad",
    "relu_backward": "triad", "momentum": "update", "adam": "update",
}
OUT_OF_CACHE = {"33554432", "8192x4096"}


def load(paths):
    runs = {}
    for path in paths:
        with open(path) as f:
            doc = json.load(f)
        for b in doc["benchmarks"]:
            if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
                continue
            name = b.get("run_name", b["name"])
            runs[name] = b
    return runs


def fmt_time(ns):
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("us", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"


def ns(b):
    scale = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[b.get("time_unit", "ns")]
    return b["real_time"] * scale


def main(paths):
    runs = load(paths)
    machine = {n.split("/", 1)[1]: b for n, b in runs.items()
               if n.startswith("machine/")}
    peak = machine.get("fma_peak_fp32", {}).get("FLOP/s")
    pairs = defaultdict(dict)
    for name, b in runs.items():
        parts = name.split("/")
        if len(parts) >= 3 and parts[1] in ("simd", "reference"):
            pairs[(parts[0], "x".join(parts[2:]))][parts[1]] = b

    print("Machine limits (one core):\n")
    print("| yardstick | value |\n|---|---|")
    for n, b in sorted(machine.items()):
        if "FLOP/s" in b:
            print(f"| {n} | {b['FLOP/s'] / 1e9:.1f} GFLOP/s |")
        if "B/s" in b:
            print(f"| {n} | {b['B/s'] / 1e9:.2f} GB/s |")
    print("\nKernels, float (speed-up = reference time / simd time):\n")
    print("| kernel | size | simd | reference | speed-up | simd rate | of machine limit |")
    print("|---|---|---|---|---|---|---|")
    slower = []
    for (kernel, size), sides in sorted(pairs.items(),
                                        key=lambda kv: (kv[0][0], int(kv[0][1].split("x")[0]))):
        s, r = sides.get("simd"), sides.get("reference")
        if not s or not r:
            continue
        speedup = ns(r) / ns(s)
        if speedup < 1.0:
            slower.append(f"{kernel}/{size} ({speedup:.2f}x)")
        rate, limit = "", ""
        if "FLOP/s" in s and kernel.startswith("gemm"):
            rate = f"{s['FLOP/s'] / 1e9:.1f} GFLOP/s"
            if peak:
                limit = f"{100 * s['FLOP/s'] / peak:.0f}% of FP32 peak"
        elif "B/s" in s:
            rate = f"{s['B/s'] / 1e9:.1f} GB/s"
            y = YARDSTICK.get(kernel)
            if y in machine and size in OUT_OF_CACHE:
                limit = f"{100 * s['B/s'] / machine[y]['B/s']:.0f}% of {y}"
        elif "FLOP/s" in s:
            rate = f"{s['FLOP/s'] / 1e9:.1f} GFLOP/s"
        print(f"| {kernel} | {size} | {fmt_time(ns(s))} | {fmt_time(ns(r))} "
              f"| {speedup:.2f}x | {rate} | {limit} |")
    print()
    if slower:
        print("Slower than the reference: " + ", ".join(slower))
    else:
        print("No kernel is slower than its reference at any benchmarked size.")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: bench_table.py RESULTS.json...")
    main(sys.argv[1:])
