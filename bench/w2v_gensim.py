"""Trains gensim's word2vec on a tokenized file (one sentence per line) with
word2vec.c's settings, prints {"words_per_s", "seconds", "threads"} as JSON
and saves the vectors in word2vec's text format. Usage:
  w2v_gensim.py FILE OUT --threads T [--cbow] [--hs] [--iter 5] [--seed 1]
--hs: hierarchical softmax alone (hs=1, negative=0)."""
import argparse
import json
import time

from gensim.models import Word2Vec
from gensim.models.word2vec import LineSentence

ap = argparse.ArgumentParser()
ap.add_argument("file")
ap.add_argument("out")
ap.add_argument("--threads", type=int, default=1)
ap.add_argument("--cbow", action="store_true")
ap.add_argument("--hs", action="store_true")
ap.add_argument("--iter", type=int, default=5)
ap.add_argument("--seed", type=int, default=1)
a = ap.parse_args()
tokens = sum(len(line.split()) for line in open(a.file, encoding="utf-8"))
model = Word2Vec(vector_size=100, window=5, negative=0 if a.hs else 5,
                 sample=1e-3,
                 min_count=5, sg=0 if a.cbow else 1, workers=a.threads,
                 seed=a.seed, alpha=0.05 if a.cbow else 0.025, hs=1 if a.hs else 0)
model.build_vocab(corpus_file=a.file)
start = time.perf_counter()
model.train(corpus_file=a.file, total_words=model.corpus_total_words,
            epochs=a.iter)
seconds = time.perf_counter() - start
model.wv.save_word2vec_format(a.out, binary=False)
print(json.dumps({"words_per_s": tokens * a.iter / seconds,
                  "seconds": seconds, "threads": a.threads}))
