#!/usr/bin/env python3
"""The outputs a refactoring must not change, pinned by their SHA-256.

Every chapter target's --json and --markdown, the build's trained artifacts
(the book's NPLM checkpoint, word vectors, count vectors, training text,
classifier scores and training history, with wall-clock seconds removed)
and the output of every nplm and w2v subcommand on them, plus two small
training runs through the options the book's runs leave at their defaults
(dropout, weight decay, clipping, early stopping; CBOW). The expected
digests were recorded from the code before the restructuring of issue 20
(`--record`); a mismatch names the output that changed.

usage: outputs_unchanged.py --build DIR --source DIR [--record]
"""
import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile

EXPECTED = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        "outputs_unchanged.json")


def without_seconds(data):
    """The JSON without the keys that hold wall-clock times."""
    if isinstance(data, dict):
        return {k: without_seconds(v) for k, v in data.items()
                if "seconds" not in k and not k.endswith("_s")
                and "per_s" not in k and "gflops" not in k
                and not k.endswith("_share")}
    if isinstance(data, list):
        return [without_seconds(v) for v in data]
    return data


def checkpoint_without_times(data):
    """An NPLMCKP3 checkpoint without its history's six wall-clock fields
    per epoch (seconds, tokens/s, the three timings, GFLOP/s): 127 bytes
    of header (the count of epochs at byte 123), then 68 bytes per epoch
    (int32 epoch, the two perplexities, the six times), then the
    parameters and Adam's moments."""
    assert data[:8] == b"NPLMCKP3", "not an NPLMCKP3 checkpoint"
    epochs = int.from_bytes(data[123:127], "little")
    out = bytearray(data[:127])
    for i in range(epochs):
        at = 127 + 68 * i
        out += data[at:at + 20]
    out += data[127 + 68 * epochs:]
    return bytes(out)


# The reports cite decks for readers since issue 20 (worked.cc,
# CiteForReaders) where they printed the deck's file name. The --markdown
# digests are therefore of the pages without their citations (the line
# under each example's marker, the parenthesis after each erratum's id),
# recorded from the pages as they were before issue 20; everything else on
# each page is still compared byte for byte. --json keeps the file names
# and is compared whole.
def without_citations(text):
    text = re.sub(r"(?m)^\*[^\n]*\*$", "*", text)
    return re.sub(r"(?m)^(- \*\*\S+\*\*) \(.*?\)\. The slide says",
                  r"\1 (). The slide says", text)


def digest(data):
    return hashlib.sha256(data).hexdigest()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--record", action="store_true")
    args = ap.parse_args()
    b, s = args.build, args.source
    ch = os.path.join(b, "chapters")
    nplm = os.path.join(ch, "04_neural_lm", "nplm")
    w2v = os.path.join(ch, "05_word2vec", "w2v")
    gen = os.path.join(b, "generated")
    model = os.path.join(gen, "ch04", "book.nplm")
    vectors = os.path.join(gen, "ch05", "book.vec")
    text = os.path.join(gen, "ch05", "sotu_train.txt")
    got = {}

    def run(name, *argv, json_output=False, readers=False):
        r = subprocess.run(list(argv), capture_output=True, timeout=900)
        if r.returncode != 0:
            sys.exit("outputs_unchanged: error: %s exited %d: %s" %
                     (name, r.returncode, r.stderr.decode()[-300:]))
        out = r.stdout
        if readers:
            out = without_citations(out.decode()).encode()
        if json_output:
            out = json.dumps(without_seconds(json.loads(out)),
                             sort_keys=True).encode()
        got[name] = digest(out)

    def file(name, path, json_file=False, checkpoint=False):
        with open(path, "rb") as f:
            data = f.read()
        if checkpoint:
            data = checkpoint_without_times(data)
        if json_file:
            data = json.dumps(without_seconds(json.loads(data)),
                              sort_keys=True).encode()
        got[name] = digest(data)

    for target in ("01_perceptron/ch01_perceptron", "02_mlp/ch02_mlp",
                   "03_backprop/ch03_backprop",
                   "04_neural_lm/ch04_neural_lm",
                   "05_word2vec/ch05_word2vec"):
        exe = os.path.join(ch, target)
        name = os.path.basename(target)
        run(name + " --json", exe, "--json", json_output=True)
        run(name + " --markdown", exe, "--markdown", readers=True)
    file("book.nplm", model, checkpoint=True)
    file("book.vec", vectors)
    file("counts.vec", os.path.join(gen, "ch05", "counts.vec"))
    file("sotu_train.txt", text)
    file("classify.json", os.path.join(gen, "ch05", "classify.json"), True)
    file("book_history.json", os.path.join(gen, "ch05", "book_history.json"),
         True)
    run("nplm eval", nplm, "eval", "--model", model, "--json",
        json_output=True)
    run("nplm predict", nplm, "predict", "--model", model, "--json",
        "the state of the", json_output=True)
    run("nplm sample", nplm, "sample", "--model", model, "--seed", "3",
        "--length", "40", "--prompt", "we will")
    run("nplm neighbours", nplm, "neighbours", "--model", model, "--json",
        "war", json_output=True)
    run("nplm kn", nplm, "kn", "--json", json_output=True)
    with tempfile.TemporaryDirectory() as tmp:
        export = os.path.join(tmp, "export")
        run("nplm corpus", nplm, "corpus", "--out", export)
        for f in ("train.txt", "valid.txt", "test.txt", "vocab.txt"):
            file("nplm corpus " + f, os.path.join(export, f))
        # A small model on the validation years, through the options the
        # book's run leaves at their defaults.
        small = os.path.join(tmp, "small.nplm")
        run("nplm train (small)", nplm, "train",
            "--train", os.path.join(export, "valid.txt"),
            "--valid", os.path.join(export, "test.txt"),
            "--test", os.path.join(export, "test.txt"), "--min-count", "3",
            "--dim", "16", "--hidden", "24", "--context", "3", "--epochs",
            "3", "--dropout", "0.2", "--weight-decay", "0.01", "--clip",
            "0.5", "--patience", "1", "--seed", "7", "--threads", "2",
            "--json", "--out", small, json_output=True)
        file("small.nplm", small, checkpoint=True)
        cbow = os.path.join(tmp, "cbow.vec")
        run("w2v train (cbow)", w2v, "train", "-train", text, "-output",
            cbow, "-cbow", "1", "-size", "24", "-window", "3", "-iter", "1",
            "-negative", "3", "-min-count", "5", "-seed", "4", "-threads",
            "2", "-binary", "1")
        file("cbow.vec", cbow)
    run("w2v neighbours", w2v, "neighbours", "--vectors", vectors, "--top",
        "7", "war", "economy", "america")
    run("w2v eval-pairs", w2v, "eval-pairs", "--vectors", vectors, "--pairs",
        os.path.join(s, "data", "wordsim353.txt"), "--json",
        json_output=True)
    run("w2v analogy", w2v, "analogy", "--vectors", vectors, "--questions",
        os.path.join(s, "data", "sotu_analogies.txt"), "--json",
        json_output=True)

    if args.record:
        with open(EXPECTED, "w") as f:
            json.dump(got, f, indent=2, sort_keys=True)
            f.write("\n")
        print("recorded %d digests in %s" % (len(got), EXPECTED))
        return 0
    with open(EXPECTED) as f:
        expected = json.load(f)
    changed = [k for k in expected if got.get(k) != expected[k]]
    missing = [k for k in got if k not in expected]
    for k in changed:
        print("changed: %s" % k)
    for k in missing:
        print("not pinned: %s" % k)
    print("%d of %d outputs unchanged" % (len(expected) - len(changed),
                                          len(expected)))
    return 1 if changed or missing else 0


if __name__ == "__main__":
    sys.exit(main())
