#!/usr/bin/env bash
# The main job, on a fresh Debian 12 machine: install what is missing, build
# (Release), show the kernel layer's dispatch, run every chapter target's
# worked examples, chapter 4's baselines and the book's NPLM, chapter 5's
# vectors and classifier, and regenerate every figure and the book.
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

echo "== chapter 4: the corpus, Kneser-Ney, a short NPLM run =="
nplm=$build/chapters/04_neural_lm/nplm
"$nplm" corpus
for order in 2 3 4 5; do "$nplm" kn --order "$order"; done
# The book's model: the default NPLM, three epochs on every core (about
# three minutes here), built as a target because the figures and the book
# are drawn from it; then its perplexities alone and mixed with Kneser-Ney.
# The full-quality run is scripts/train_full.sh (see the README).
cmake --build "$build" --target ch04_book_model
"$nplm" eval --model "$build/generated/ch04/book.nplm" --threads "$(nproc)" \
  --mix-kn 5

echo "== chapter 5: the book's word vectors, judged, and the classifier =="
# The build trained them (target ch05_book_vectors: skip-gram, word2vec.c's
# defaults, 5 epochs, about 10 seconds) and ran the party classifier.
w2v=$build/chapters/05_word2vec/w2v
vec=$build/generated/ch05/book.vec
"$w2v" eval-pairs -vectors "$vec" -pairs "$FFNN_ROOT/data/wordsim353.txt"
"$w2v" analogy -vectors "$vec" -questions "$FFNN_ROOT/data/sotu_analogies.txt"
"$w2v" neighbours -vectors "$vec" war president tax --top 5
cat "$build/generated/ch05/classify.json"

echo "== figures =="
cmake --build "$build" --target figures
echo "figures written to $build/generated/figures"

echo "== the book =="
# With emscripten (setup.sh installs it) the docs target also builds the
# live panels' WebAssembly (the wasm preset) into the book.
cmake --build "$build" --target docs
echo "open $build/book/html/index.html"
if [ -f "$build/book/html/live_simd.js" ]; then
  echo "live panels: ch01.html, ch02.html, ch03.html and nn_trace_live.html" \
       "run the chapters' C++ in the browser, offline"
  echo '{"example": "neuron", "inputs": {"w": [0.2, 0.3, 0.9], "x": [0.5, 0.6, 0.1], "b": 0.5}}' |
    "$build/tools/ffnn-live"
fi
