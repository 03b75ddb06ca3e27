#!/usr/bin/env bash
# Chapter 4's full-quality run: a bigger NPLM than the book's (4 words of
# context, d = 96, h = 192), trained with decoupled weight decay and early
# stopping on the validation years (about 16 minutes on two cores, at most
# 12 epochs), then evaluated alone and interpolated with the 5-gram
# Kneser-Ney model, with its figures and tables drawn like the book's.
# Results go to build/default/generated/ch04/full/:
#   train.json    per-epoch perplexities, tokens/s, time shares
#   eval.json     validation and test perplexity, alone and mixed (lambda)
#   results.md    the perplexity and epoch tables
#   *.png/pdf/svg the chapter's three figures for this model
# Usage: scripts/train_full.sh [extra nplm train options, which win]
source "$(dirname "$0")/common.sh"
ffnn_build default
build=$FFNN_ROOT/build/default
nplm=$build/chapters/04_neural_lm/nplm
out=$build/generated/ch04/full
mkdir -p "$out"
threads=$(nproc)

start=$(date +%s)
"$nplm" train --context 4 --dim 96 --hidden 192 --weight-decay 0.1 \
  --epochs 12 --patience 2 --seed 1 --threads "$threads" \
  --out "$out/full.nplm" --json "$@" | tee "$out/train.json"
end=$(date +%s)
echo "training took $(( (end - start) / 60 ))m$(( (end - start) % 60 ))s"

# The best epoch's model (MODEL.best) is the one evaluated.
"$nplm" eval --model "$out/full.nplm.best" --mix-kn 5 --threads "$threads" \
  --json | tee "$out/eval.json"
"$build/figures/fig_ch04" "$out" --model "$out/full.nplm.best" \
  --history "$out/full.nplm" --markdown "$out/results.md"
cat "$out/results.md"
