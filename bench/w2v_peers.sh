#!/usr/bin/env bash
# Races chapter 5's word2vec (w2v train, reproducible and Hogwild) against
# gensim (Debian's python3-gensim, with OpenBLAS) and fastText (Debian's
# fasttext, subwords off: -minn 0 -maxn 0) on the same tokenized file (the
# State of the Union up to 1999, written by `w2v tokenize`) with word2vec.c's
# settings: d = 100, window 5, negative 5, sample 1e-3, min-count 5,
# 5 epochs, alpha 0.025 (skip-gram) / 0.05 (CBOW); skip-gram and CBOW, 1 and
# 2 threads, seeds 1, 2, 3, in one run; then the same with hierarchical
# softmax alone in place of negative sampling (w2v -hs 1 -negative 0,
# gensim hs=1 negative=0, fastText -loss hs). Words/s = the file's tokens x epochs
# / training wall time (each tool's own timer around training: w2v and the
# gensim script time training alone; fastText reports words/s/thread over
# its training, which counts an end-of-line token per line, so it is scaled
# by tokens / (tokens + lines)). Quality: WordSim-353 Spearman rho of each
# run's vectors (w2v eval-pairs). Installs the peers if missing; never run by
# the tests; about 30 minutes on two cores.
# Usage: bench/w2v_peers.sh [build-dir [out-dir]]
#        bench/w2v_peers.sh --tables [out-dir]   (the tables again, from the
#                                                 runs in out-dir's JSON)
# Writes out-dir/w2v_peers.json (every run) and out-dir/w2v_peers.md (the
# table of means); out-dir defaults to bench/results.
#
# The reproducible mode's share of Hogwild is the median over seeds of the
# ratio of the two runs of one seed, which run back to back: on a shared
# virtual machine a slow spell can halve one run's speed, and a ratio of
# means takes it whole.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
summarize() {  # runs.jsonl out-dir tokens machine
/usr/bin/python3 - "$@" <<'PY'
import json, os, platform, statistics, sys, subprocess
runs = [json.loads(l) for l in open(sys.argv[1])]
out, tokens, cpu = sys.argv[2], int(sys.argv[3]), sys.argv[4]
doc = {"machine": cpu, "cores": os.cpu_count(), "tokens": tokens,
       "runs": runs}
tmp = os.path.join(out, "w2v_peers.json.part")
json.dump(doc, open(tmp, "w"), indent=1)
os.replace(tmp, os.path.join(out, "w2v_peers.json"))
tools = ["w2v (reproducible)", "w2v (hogwild)", "gensim", "fastText"]
lines = [f"Machine: {cpu}, {os.cpu_count()} cores; {tokens:,} tokens x 5 epochs; "
         "means over seeds 1, 2, 3. Output layer: ns = negative sampling "
         "(5 negatives), hs = hierarchical softmax alone.", "",
         "| arch | output | tool | words/s, 1 thread | words/s, 2 threads | per thread, 2 threads | WordSim-353 rho (1 thread) | rho (2 threads) |",
         "|---|---|---|---:|---:|---:|---:|---:|"]
mean = {}
def sel(tool, arch, output, t):
    return [r for r in runs if r["tool"] == tool and r["arch"] == arch
            and r.get("output", "ns") == output and r["threads"] == t]
for output in ["ns", "hs"]:
    for arch in ["skip-gram", "cbow"]:
        for tool in tools:
            w1 = statistics.mean(r["words_per_s"] for r in sel(tool, arch, output, 1))
            w2 = statistics.mean(r["words_per_s"] for r in sel(tool, arch, output, 2))
            r1 = statistics.mean(r["rho"] for r in sel(tool, arch, output, 1))
            r2 = statistics.mean(r["rho"] for r in sel(tool, arch, output, 2))
            mean[output, arch, tool] = (w1, w2, r1, r2)
            lines.append(f"| {arch} | {output} | {tool} | {w1:,.0f} | {w2:,.0f} | {w2/2:,.0f} | {r1:.3f} | {r2:.3f} |")
def share(arch, output):
    """The median over seeds of reproducible / Hogwild, 2 threads."""
    hog = {r["seed"]: r["words_per_s"] for r in sel("w2v (hogwild)", arch, output, 2)}
    ratios = sorted(r["words_per_s"] / hog[r["seed"]]
                    for r in sel("w2v (reproducible)", arch, output, 2))
    return statistics.median(ratios), ratios
lines += ["", "The reproducible mode against Hogwild (words/s, 2 threads, the "
          "median over seeds of the two runs of a seed, with each seed's ratio; "
          "target: >= 90% skip-gram, >= 80% CBOW), and w2v against gensim on "
          "one thread:", "",
          "| arch | output | reproducible / Hogwild, 2 threads | each seed | rho reproducible - Hogwild | w2v (reproducible) / gensim, 1 thread | rho w2v - gensim |",
          "|---|---|---:|---:|---:|---:|---:|"]
for output in ["ns", "hs"]:
    for arch in ["skip-gram", "cbow"]:
        rep, hog, gen = (mean[output, arch, t] for t in
                         ["w2v (reproducible)", "w2v (hogwild)", "gensim"])
        med, ratios = share(arch, output)
        each = ", ".join(f"{x:.0%}" for x in ratios)
        lines.append(f"| {arch} | {output} | {med:.0%} | {each} | {rep[3] - hog[3]:+.3f} | "
                     f"{rep[0] / gen[0]:.2f}x | {rep[2] - gen[2]:+.3f} |")
tmp = os.path.join(out, "w2v_peers.md.part")
open(tmp, "w").write("\n".join(lines) + "\n")
os.replace(tmp, os.path.join(out, "w2v_peers.md"))
print("\n".join(lines))
PY
}
if [ "${1:-}" = --tables ]; then
  out=${2:-$here/bench/results}
  runs=$(mktemp)
  trap 'rm -f "$runs"' EXIT
  /usr/bin/python3 -c 'import json, sys
doc = json.load(open(sys.argv[1]))
for r in doc["runs"]: print(json.dumps(r))
print(doc["tokens"], doc["machine"], file=sys.stderr)' \
    "$out/w2v_peers.json" > "$runs" 2> "$runs.meta"
  read -r tokens machine < "$runs.meta"
  rm -f "$runs.meta"
  summarize "$runs" "$out" "$tokens" "$machine"
  exit 0
fi
build=${1:-$here/build/default}
out=${2:-$here/bench/results}
w2v=$build/chapters/05_word2vec/w2v
[ -x "$w2v" ] || { echo "w2v_peers.sh: error: build first ($w2v missing)" >&2; exit 2; }
source "$here/bench/install_peers.sh"
ffnn_install_missing python3-gensim libopenblas0-pthread fasttext
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
text=$work/sotu_train.txt
"$w2v" tokenize --output "$text"
tokens=$(wc -w < "$text")
lines=$(wc -l < "$text")
pairs=$here/data/wordsim353.txt
runs=$work/runs.jsonl
rho() { "$w2v" eval-pairs -vectors "$1" -pairs "$pairs" --json |
  /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["rho"])'; }
record() {  # tool arch threads seed words_per_s vectors
  echo "{\"tool\": \"$1\", \"arch\": \"$2\", \"output\": \"$output\", \"threads\": $3, \"seed\": $4, \"words_per_s\": $5, \"rho\": $(rho "$6")}" >> "$runs"
  echo "$1 $2 $output threads=$3 seed=$4: $5 words/s" >&2
}
for output in ns hs; do
out_flags=(-negative 5); g_hs=(); ft_loss=(-neg 5)
[ "$output" = hs ] && { out_flags=(-negative 0 -hs 1); g_hs=(--hs); ft_loss=(-loss hs); }
for arch in skip-gram cbow; do
  cbow=0; alpha=0.025; ftcmd=skipgram
  [ "$arch" = cbow ] && { cbow=1; alpha=0.05; ftcmd=cbow; }
  for t in 1 2; do
    for seed in 1 2 3; do
      for mode in reproducible hogwild; do
        flag=(); [ "$mode" = hogwild ] && flag=(-hogwild)
        rate=$("$w2v" train -train "$text" -output "$work/v.txt" -cbow $cbow \
          -size 100 -window 5 "${out_flags[@]}" -sample 1e-3 -min-count 5 -iter 5 \
          -alpha $alpha -threads "$t" -seed "$seed" "${flag[@]}" 2>&1 |
          sed -n 's/^w2v: \([0-9]*\) words\/s.*/\1/p')
        record "w2v ($mode)" $arch "$t" "$seed" "$rate" "$work/v.txt"
      done
      g=(); [ $cbow = 1 ] && g=(--cbow)
      rate=$(/usr/bin/python3 "$here/bench/w2v_gensim.py" "$text" "$work/g.txt" \
        --threads "$t" --seed "$seed" "${g[@]}" "${g_hs[@]}" |
        /usr/bin/python3 -c 'import json,sys; print(int(json.load(sys.stdin)["words_per_s"]))')
      record gensim $arch "$t" "$seed" "$rate" "$work/g.txt"
      per_thread=$(fasttext $ftcmd -input "$text" -output "$work/ft" -dim 100 \
        -ws 5 "${ft_loss[@]}" -t 1e-3 -minCount 5 -epoch 5 -lr $alpha -thread "$t" \
        -minn 0 -maxn 0 -seed "$seed" -verbose 2 2>&1 | tr '\r' '\n' |
        sed -n 's/.*words\/sec\/thread: *\([0-9]*\).*/\1/p' | tail -1)
      rate=$(( per_thread * t * tokens / (tokens + lines) ))
      record fastText $arch "$t" "$seed" "$rate" "$work/ft.vec"
    done
  done
done
done
mkdir -p "$out"
cpu=$(sed -n 's/^model name[^:]*: *//p' /proc/cpuinfo | head -1)
summarize "$runs" "$out" "$tokens" "${cpu:-$(uname -m)}"
