"""gensim reads w2v's vectors in both formats (run by CTest where
python3-gensim is installed; exit 77 = skipped otherwise). Trains w2v on a
small generated text, writes text and binary vectors, and checks that
gensim's KeyedVectors.load_word2vec_format loads both with the same words
and exactly the same values. Usage: gensim_reads_w2v.py W2V WORKDIR"""
import os
import random
import subprocess
import sys

try:
    from gensim.models import KeyedVectors
    import numpy as np
except ImportError:
    sys.exit(77)

w2v, work = sys.argv[1], sys.argv[2]
os.makedirs(work, exist_ok=True)
rng = random.Random(1)
words = [f"w{i}" for i in range(40)] + ["café", "naïve"]
text = os.path.join(work, "text.txt")
with open(text, "w", encoding="utf-8") as f:
    for _ in range(3000):
        f.write(" ".join(rng.choice(words) for _ in range(8)) + "\n")
paths = {}
for binary in (0, 1):
    out = os.path.join(work, f"v.{binary}")
    subprocess.run([w2v, "train", "-train", text, "-output", out, "-size",
                    "16", "-iter", "1", "-binary", str(binary)], check=True,
                   stderr=subprocess.DEVNULL)
    paths[binary] = out
t = KeyedVectors.load_word2vec_format(paths[0], binary=False)
b = KeyedVectors.load_word2vec_format(paths[1], binary=True)
assert t.index_to_key == b.index_to_key, "different words"
assert len(t) == len(words), f"{len(t)} words, expected {len(words)}"
assert np.array_equal(t.vectors, b.vectors), "text and binary values differ"
assert "café" in t.key_to_index
print(f"gensim read {len(t)} vectors of {t.vector_size} in both formats")
