#!/usr/bin/env python3
"""Prints the Markdown tables of the kernel benchmarks: the SIMD kernels
against the Eigen reference, against the machine's limits (bench_machine),
and one thread against two.

Input: the JSON files written by scripts/bench.sh. Benchmarks are named
<kernel>/<simd|simd_t2|reference>/<size...>; with repetitions, the median is
used. call_cost/<variant>/<n> are the SIMD side's fixed-cost measurements.
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
FLOP_KERNELS = ("gemm", "lm_")
SIDES = ("simd", "simd_t2", "reference")


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


def size_key(size):
    return [int(p) for p in size.split("x")]


def main(paths):
    runs = load(paths)
    machine = {n.split("/", 1)[1]: b for n, b in runs.items()
               if n.startswith("machine/")}
    peak = machine.get("fma_peak_fp32", {}).get("FLOP/s")
    # Inverted rates (ns/element) are stored in seconds per element.
    exp_ns = machine.get("exp_fp32", {}).get("ns/element")
    exp_ns = exp_ns * 1e9 if exp_ns else None
    groups = defaultdict(dict)
    call_cost = {}
    for name, b in runs.items():
        parts = name.split("/")
        if parts[0] == "call_cost":
            call_cost[(parts[1], parts[2])] = b
        elif len(parts) >= 3 and parts[1] in SIDES:
            groups[(parts[0], "x".join(parts[2:]))][parts[1]] = b

    print("Machine limits (one core):\n")
    print("| yardstick | value |\n|---|---|")
    for n, b in sorted(machine.items()):
        if "FLOP/s" in b:
            print(f"| {n} | {b['FLOP/s'] / 1e9:.1f} GFLOP/s |")
        if "B/s" in b:
            print(f"| {n} | {b['B/s'] / 1e9:.2f} GB/s |")
        if "ns/element" in b:
            print(f"| {n} | {b['ns/element'] * 1e9:.3f} ns per element |")

    order = sorted(groups.items(), key=lambda kv: (kv[0][0], size_key(kv[0][1])))
    print("\nProducts, float (one thread unless marked; speed-up = Eigen time "
          "/ SIMD time; 2 threads = one-thread time / two-thread time):\n")
    print("| kernel | shape | 1 thread | GFLOP/s | of FP32 peak | vs Eigen "
          "| 2 threads |")
    print("|---|---|---|---|---|---|---|")
    slower = []
    for (kernel, size), sides in order:
        if not kernel.startswith(FLOP_KERNELS):
            continue
        s, r, t2 = sides.get("simd"), sides.get("reference"), sides.get("simd_t2")
        if not s:
            continue
        rate = s["FLOP/s"] / 1e9
        of_peak = f"{100 * s['FLOP/s'] / peak:.0f}%" if peak else ""
        vs = f"{ns(r) / ns(s):.2f}x" if r else ""
        if r and ns(r) < ns(s):
            slower.append(f"{kernel}/{size} ({ns(r) / ns(s):.2f}x)")
        two = f"{ns(s) / ns(t2):.2f}x" if t2 else ""
        print(f"| {kernel} | {size} | {fmt_time(ns(s))} | {rate:.1f} | "
              f"{of_peak} | {vs} | {two} |")

    print("\nEverything else, float:\n")
    print("| kernel | size | simd | reference | speed-up | simd rate "
          "| of machine limit | 2 threads |")
    print("|---|---|---|---|---|---|---|---|")
    for (kernel, size), sides in order:
        if kernel.startswith(FLOP_KERNELS):
            continue
        s, r, t2 = sides.get("simd"), sides.get("reference"), sides.get("simd_t2")
        if not s or not r:
            continue
        speedup = ns(r) / ns(s)
        if speedup < 1.0:
            slower.append(f"{kernel}/{size} ({speedup:.2f}x)")
        rate, limit = "", ""
        if "ns/element" in s:
            rate = f"{s['ns/element'] * 1e9:.3f} ns/element"
            if exp_ns:
                limit = f"{s['ns/element'] * 1e9 / exp_ns:.2f}x exp_fp32"
        elif "B/s" in s:
            rate = f"{s['B/s'] / 1e9:.1f} GB/s"
            y = YARDSTICK.get(kernel)
            if y in machine and size in OUT_OF_CACHE:
                limit = f"{100 * s['B/s'] / machine[y]['B/s']:.0f}% of {y}"
        elif "FLOP/s" in s:
            rate = f"{s['FLOP/s'] / 1e9:.1f} GFLOP/s"
        two = f"{ns(s) / ns(t2):.2f}x" if t2 else ""
        print(f"| {kernel} | {size} | {fmt_time(ns(s))} | {fmt_time(ns(r))} "
              f"| {speedup:.2f}x | {rate} | {limit} | {two} |")

    if call_cost:
        print("\nFixed cost of a call (dot, SIMD side): the checked span entry "
              "point against the resolved-once fast path (kernels/fast.h):\n")
        print("| n | span API | fast path | difference |\n|---|---|---|---|")
        for n in sorted({k[1] for k in call_cost}, key=int):
            a, b = call_cost.get(("dot_span", n)), call_cost.get(("dot_fast", n))
            if a and b:
                print(f"| {n} | {fmt_time(ns(a))} | {fmt_time(ns(b))} | "
                      f"{ns(a) - ns(b):.2f} ns |")
    print()
    if slower:
        print("Slower than the reference: " + ", ".join(slower))
    else:
        print("No kernel is slower than its reference at any benchmarked size.")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: bench_table.py RESULTS.json...")
    main(sys.argv[1:])
