#!/usr/bin/env python3
"""Hostile-but-parseable use of the tools: the catalogue of issue 19.

The bad-input catalogue (tests/CMakeLists.txt) feeds each reader malformed
files. These cases are inputs that parse and are still wrong, tried as a
student or an instructor would meet them: a split of one token, a model
whose forward pass overflows, NaN options, an output path that is one of
the inputs, a device or a directory, outputs that cannot all be written,
runs too large for the memory, folder names that are gnuplot code. Each
case runs the real tool and checks what the user sees:

  - the exit status (0 success, 2 bad input or usage), never a signal or a
    hang (each run has a timeout);
  - on failure exactly one stderr line "<tool>: error: <what>" naming the
    cause, never an internal name (std::, bad_alloc, vector::, json.exception);
  - on success no NaN, null, inf or impossible perplexity in the output;
  - that inputs are byte for byte unchanged, devices and pipes are still
    devices and pipes, and a failed run leaves none of its outputs.

Usage:
  hostile_use.py --list                  names and labels, one case a line
  hostile_use.py --tool NAME=PATH ... --work DIR [--sanitized] CASE
Exit status 0 if the case passes, 1 if it fails (with the reasons), 77 if
it cannot run here (a sanitized build cannot take address-space limits; a
character device needs root).
"""

import argparse
import array
import math
import os
import re
import resource
import shutil
import stat
import struct
import subprocess
import sys
import threading

CASES = {}  # name -> (labels, function)
TOOLS = {}
WORK = ""
SANITIZED = False


class Skip(Exception):
    pass


class Failure(Exception):
    pass


def case(*labels):
    def register(fn):
        CASES[fn.__name__.replace("__", ".")] = (labels, fn)
        return fn

    return register


# ---- Running tools ---------------------------------------------------------

INTERNAL = re.compile(
    r"std::|bad_alloc|basic_string|vector::|_M_|json\.exception|"
    r"terminate called|what\(\)|Aborted|Segmentation|AddressSanitizer")


class Result:
    def __init__(self, tool, args, status, out, err):
        self.tool, self.args = tool, args
        self.status, self.out, self.err = status, out, err

    def describe(self):
        return "%s %s: exit %s\nstdout: %s\nstderr: %s" % (
            self.tool, " ".join(self.args), self.status, self.out[-2000:],
            self.err[-2000:])


def run(tool, *args, timeout=180, address_limit=None, cwd=None):
    args = [str(a) for a in args]

    def limit():
        if address_limit is not None:
            resource.setrlimit(resource.RLIMIT_AS,
                               (address_limit, address_limit))

    try:
        p = subprocess.run([TOOLS[tool]] + args, capture_output=True,
                           timeout=timeout, preexec_fn=limit, cwd=cwd)
    except subprocess.TimeoutExpired:
        raise Failure("%s %s: no answer within %d s (a hang)" %
                      (tool, " ".join(args), timeout))
    r = Result(tool, args, p.returncode, p.stdout.decode("utf-8", "replace"),
               p.stderr.decode("utf-8", "replace"))
    if r.status < 0:
        raise Failure("killed by signal %d\n%s" % (-r.status, r.describe()))
    if INTERNAL.search(r.err) or INTERNAL.search(r.out):
        raise Failure("an internal name reaches the user\n" + r.describe())
    return r


def expect_error(r, pattern, status=2):
    """Exit `status`, one stderr line '<tool>: error: ...' matching pattern."""
    if r.status != status:
        raise Failure("exit status %d, expected %d\n%s" %
                      (r.status, status, r.describe()))
    lines = r.err.split("\n")
    if len(lines) != 2 or lines[1] != "":
        raise Failure("stderr is not one line\n" + r.describe())
    if not lines[0].startswith(r.tool + ": error: "):
        raise Failure("stderr does not start '%s: error: '\n%s" %
                      (r.tool, r.describe()))
    if not re.search(pattern, lines[0]):
        raise Failure("stderr does not match '%s'\n%s" % (pattern,
                                                           r.describe()))
    return r


def expect_late_error(r, pattern, status=2):
    """A run that fails after it started: progress lines, then its one error
    line, '<tool>: error: ...', last."""
    if r.status != status:
        raise Failure("exit status %d, expected %d\n%s" %
                      (r.status, status, r.describe()))
    last = r.err.rstrip("\n").split("\n")[-1]
    if not (last.startswith(r.tool + ": error: ") and re.search(pattern, last)):
        raise Failure("the last stderr line does not match '%s'\n%s" %
                      (pattern, r.describe()))
    return r


IMPOSSIBLE = re.compile(r"\b(nan|NaN|null|inf|Infinity)\b")


def expect_ok(r):
    """Exit 0 and no NaN, null or infinity printed."""
    if r.status != 0:
        raise Failure("exit status %d, expected 0\n%s" % (r.status,
                                                           r.describe()))
    if IMPOSSIBLE.search(r.out):
        raise Failure("an impossible value printed with success\n" +
                      r.describe())
    return r


def check(condition, message):
    if not condition:
        raise Failure(message)


# ---- Files -----------------------------------------------------------------


def path(*parts):
    return os.path.join(WORK, *parts)


def write(p, text):
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "wb") as f:
        f.write(text.encode() if isinstance(text, str) else text)
    return p


def read(p):
    with open(p, "rb") as f:
        return f.read()


class Unchanged:
    """Remembers files' bytes; check() says if any changed or is gone."""

    def __init__(self, *paths):
        self.before = {p: read(p) for p in paths}

    def check(self):
        for p, b in self.before.items():
            check(os.path.isfile(p), "%s is gone" % p)
            check(read(p) == b, "%s was changed" % p)


def absent(*paths):
    for p in paths:
        check(not os.path.lexists(p), "%s was left by a failed run" % p)


# Three lines of a tiny corpus: V = 10 with <unk> and </s> at --min-count 1.
SENTENCES = ("the cat sat on the mat\nthe dog sat on the log\n"
             "the cat saw the dog\n")


def lm_files(folder="lm"):
    """train.txt, valid.txt, test.txt of the tiny corpus in WORK/folder."""
    return [write(path(folder, name), SENTENCES)
            for name in ("train.txt", "valid.txt", "test.txt")]


def lm_args(train, valid, test):
    return ["--train", train, "--valid", valid, "--test", test,
            "--min-count", "1"]


SMALL_MODEL = ["--dim", "4", "--hidden", "4", "--context", "2", "--epochs",
               "1", "--threads", "1"]


def trained_model(name="m.nplm"):
    """A model of the tiny corpus, and the corpus options that go with it."""
    corpus = lm_args(*lm_files())
    model = path(name)
    expect_ok(run("nplm", "train", *corpus, *SMALL_MODEL, "--out", model))
    return model, corpus


class Checkpoint:
    """An nplm checkpoint ("NPLMCKP3", chapters/04_neural_lm/checkpoint.cc)
    with its parameter blocks as float arrays, to be edited and written
    back."""

    HEADER = struct.Struct("<8s4QB Q B3dBdd IIQQQ I")
    EPOCH_BYTES = 4 + 8 * 8

    def __init__(self, p):
        data = read(p)
        h = self.HEADER.unpack_from(data)
        self.vocab, self.context, self.dim, self.hidden = h[1:5]
        self.direct = h[5]
        epochs = h[-1]
        start = self.HEADER.size + epochs * self.EPOCH_BYTES
        self.head = data[:start]
        self.floats = array.array("f")
        self.floats.frombytes(data[start:])
        V, n, d, hid = self.vocab, self.context, self.dim, self.hidden
        sizes = [("C", V * d), ("W", hid * n * d), ("b", hid),
                 ("U", V * hid), ("c", V)] + ([("D", V * n * d)]
                                              if self.direct else [])
        self.blocks, at = {}, 0
        for name, size in sizes:
            self.blocks[name] = (at, size)
            at += size
        self.params = at
        check(len(self.floats) == 3 * at, "unexpected checkpoint layout")

    def set(self, block, value):
        at, size = self.blocks[block]
        for i in range(at, at + size):
            self.floats[i] = value

    def save(self, p):
        write(p, self.head + self.floats.tobytes())


def lm_checkpoint_with(edit, name):
    model, corpus = trained_model(name)
    ck = Checkpoint(model)
    edit(ck)
    ck.save(model)
    return model, corpus, ck


def need_address_limits():
    if SANITIZED:
        raise Skip("the sanitizers' shadow memory cannot run under ulimit -v")


# ---- nplm: results that exist ----------------------------------------------


@case("ch04")
def nplm__results__kn_split_of_one_token():
    train, valid, test = lm_files()
    write(valid, "the\n")
    expect_error(run("nplm", "kn", *lm_args(train, valid, test)),
                 r"--valid .*valid.txt: 2 token\(s\).*none to score: the "
                 r"first 4 only give context, so at least 5 are needed")


@case("ch04")
def nplm__results__eval_split_of_one_token():
    model, corpus = trained_model()
    test = corpus[corpus.index("--test") + 1]
    write(test, "cat\n")
    expect_error(run("nplm", "eval", "--model", model, *corpus),
                 r"--test .*test.txt: 2 token\(s\).*none to score")


def nplm_train_refused(pattern, train=None, valid=None, extra=SMALL_MODEL):
    """nplm train on the tiny corpus, its training or validation text
    replaced, refused before any model is written."""
    files = lm_files()
    for f, text in zip(files, (train, valid)):
        if text is not None:
            write(f, text)
    model = path("m.nplm")
    expect_error(run("nplm", "train", *lm_args(*files), *extra, "--out",
                     model), pattern)
    absent(model, model + ".best")


@case("ch04")
def nplm__results__train_on_one_token():
    # "the </s>": a context of 2 leaves no (context, next word) example.
    nplm_train_refused(r"the training split has 2 token\(s\).*no \(context, "
                       r"next word\) example: at least 3 are needed",
                       train="the\n")


@case("ch04")
def nplm__results__train_with_no_example():
    # Two words, so a vocabulary, but 3 tokens with </s>: a context of 3
    # leaves no (context, next word) example, which once printed
    # "train_ppl": [null].
    nplm_train_refused(r"the training split has 3 token\(s\).*no \(context, "
                       r"next word\) example: at least 4 are needed",
                       train="cat dog\n",
                       extra=["--context", "3", "--dim", "4", "--hidden",
                              "4"])


@case("ch04")
def nplm__results__train_validation_of_four_tokens():
    # Four tokens are all context: nothing is scored, and a perplexity of
    # 0.0 once stopped training early.
    nplm_train_refused(r"--valid .*valid.txt: 4 token\(s\).*at least 5 are "
                       r"needed", valid="the cat sat\n")


@case("ch04")
def nplm__results__train_validation_of_five_tokens_scores_one():
    # The boundary on the other side: one scored token, a perplexity >= 1.
    train, valid, test = lm_files()
    write(valid, "the cat sat on\n")
    r = expect_ok(run("nplm", "train", *lm_args(train, valid, test),
                      *SMALL_MODEL, "--json", "--out", path("five.nplm")))
    import json
    doc = json.loads(r.out)
    for key in ("valid_ppl", "train_ppl"):
        for v in doc[key]:
            check(isinstance(v, float) and v >= 1 and math.isfinite(v),
                  "%s = %r is not a perplexity\n%s" % (key, v, r.describe()))


@case("ch04")
def nplm__results__predict_top_above_vocabulary():
    # V = 10 here; --top 1000 once sorted past the end (SIGSEGV).
    model, corpus = trained_model()
    r = expect_ok(run("nplm", "predict", "the cat", "--model", model,
                      *corpus, "--top", "1000"))
    rows = [l for l in r.out.splitlines()[1:] if l.strip()]
    check(len(rows) == 10, "expected the 10 words of the vocabulary, got "
          "%d\n%s" % (len(rows), r.describe()))
    import json
    doc = json.loads(expect_ok(run("nplm", "predict", "the cat", "--model",
                                   model, *corpus, "--top", "1000",
                                   "--json")).out)
    check(len(doc["nplm"]) == 10 and len(doc["kn"]) == 10,
          "expected 10 predictions each, got %r" % doc)
    total = sum(w["p"] for w in doc["nplm"])
    check(abs(total - 1) < 1e-6, "the NPLM's 10 probabilities sum to %r" %
          total)


@case("ch04")
def nplm__results__neighbours_top_above_vocabulary():
    model, corpus = trained_model()
    r = expect_ok(run("nplm", "neighbours", "cat", "--model", model,
                      *corpus, "--top", "1000"))
    check(len(r.out.splitlines()) == 9, "expected the 9 other words\n" +
          r.describe())


def overflowing_model():
    # Every weight 3e38: X W^T overflows float in the hidden layer.
    return lm_checkpoint_with(lambda ck: [ck.set(b, 3e38)
                                          for b in ("C", "W", "U", "c")],
                              "overflow.nplm")


OVERFLOW = r"overflow.nplm: the model's parameters overflow its forward pass"


def overflowing_model_refused_by(*subcommand):
    model, corpus, _ = overflowing_model()
    expect_error(run("nplm", *subcommand, "--model", model, *corpus),
                 OVERFLOW)


@case("ch04")
def nplm__results__overflowing_model_refused_by_eval():
    overflowing_model_refused_by("eval")


@case("ch04")
def nplm__results__overflowing_model_refused_by_predict():
    # "p": null once, in the JSON.
    overflowing_model_refused_by("predict", "the cat")
    overflowing_model_refused_by("predict", "the cat", "--json")


@case("ch04")
def nplm__results__overflowing_model_refused_by_sample():
    # "<unk> <unk> <unk>" once.
    overflowing_model_refused_by("sample")


@case("ch04")
def nplm__results__overflowing_model_refused_by_neighbours():
    overflowing_model_refused_by("neighbours", "cat")


@case("ch04")
def nplm__results__logits_far_apart_refused():
    # Finite logits, but +-2e38 apart by 4e38: the softmax's z - max
    # overflows, so the model is refused though no single logit does.
    def edit(ck):
        ck.set("U", 0.0)
        at, size = ck.blocks["c"]
        for i in range(size):
            ck.floats[at + i] = 2e38 if i % 2 else -2e38

    model, corpus, _ = lm_checkpoint_with(edit, "apart.nplm")
    expect_error(run("nplm", "eval", "--model", model, *corpus),
                 r"apart.nplm: .*logits .* apart")


@case("ch04")
def nplm__results__equal_huge_logits_give_perplexity_v():
    # Every logit 2.4e38 (U = 0, c = 2.4e38): the uniform distribution, so
    # the perplexity is V = 10. m + log(s) - z rounded to 1.00 once.
    def edit(ck):
        ck.set("U", 0.0)
        ck.set("c", 2.4e38)

    model, corpus, ck = lm_checkpoint_with(edit, "huge.nplm")
    import json
    doc = json.loads(expect_ok(run("nplm", "eval", "--model", model,
                                   *corpus, "--json")).out)
    for key in ("valid_ppl", "test_ppl"):
        check(abs(doc[key] - ck.vocab) < 1e-4 * ck.vocab,
              "%s = %r, expected V = %d" % (key, doc[key], ck.vocab))


@case("ch04")
def nplm__results__divergence_in_the_last_step_is_caught():
    # One epoch of one batch at a learning rate of 1e6: the step's own loss
    # is fine, the model after it is not; the validation perplexity was
    # printed as inf ("valid_ppl": [null]) with exit 0, and the model saved.
    model = path("z.nplm")
    r = run("nplm", "train", *lm_args(*lm_files()), *SMALL_MODEL, "--lr",
            "1e6", "--json", "--out", model)
    expect_late_error(r, r"training diverged in epoch 1 \(learning rate "
                         r"1e\+06\)", status=1)
    check("null" not in r.out and "inf" not in r.out,
          "a result printed\n" + r.describe())
    absent(model, model + ".best")


@case("ch04")
def nplm__results__resume_with_nothing_to_do():
    model, corpus = trained_model()
    expect_error(run("nplm", "train", *corpus, "--epochs", "1", "--resume",
                     model, "--out", path("c.nplm")),
                 r"--epochs 1: .*m.nplm has trained 1 epoch\(s\) already; "
                 r"nothing to do")
    absent(path("c.nplm"))


@case("ch04")
def nplm__results__best_is_this_runs_best():
    # MODEL.best always goes with MODEL: a resumed run into a new file gets
    # its own, and an old MODEL.best from another run is replaced.
    model, corpus = trained_model()
    # The resumed model's epoch 1 scored a validation perplexity of 1.0,
    # which no later epoch beats: the whole history's best stays behind.
    data = bytearray(read(model))
    struct.pack_into("<d", data, Checkpoint.HEADER.size + 4 + 8, 1.0)
    write(model, bytes(data))
    write(path("y.nplm.best"), "an old run's model")
    expect_ok(run("nplm", "train", *corpus, "--epochs", "2", "--resume",
                  model, "--out", path("y.nplm")))
    check(read(path("y.nplm.best")) != b"an old run's model",
          "y.nplm.best was left from another run")
    expect_ok(run("nplm", "eval", "--model", path("y.nplm.best"), *corpus))


# ---- nplm: options ----------------------------------------------------------


def nplm_option_refused(option, value, subcommand="train"):
    model, corpus = (path("never.nplm"), lm_args(*lm_files()))
    extra = ["--out", model] if subcommand == "train" else [
        "--model", model]
    expect_error(run("nplm", subcommand, *corpus, option, value, *extra),
                 r"%s: must be a finite number from .*, got '%s'" %
                 (re.escape(option), re.escape(value)))
    absent(model)


@case("ch04")
def nplm__options__clip_nan():
    nplm_option_refused("--clip", "nan")


@case("ch04")
def nplm__options__dropout_nan():
    nplm_option_refused("--dropout", "nan")


@case("ch04")
def nplm__options__weight_decay_nan():
    nplm_option_refused("--weight-decay", "nan")


@case("ch04")
def nplm__options__lr_infinite():
    nplm_option_refused("--lr", "inf")


@case("ch04")
def nplm__options__lr_decay_nan():
    nplm_option_refused("--lr-decay", "-nan")


@case("ch04")
def nplm__options__temperature_nan():
    nplm_option_refused("--temperature", "nan", "sample")


@case("ch04")
def nplm__options__memory_limit_not_a_size():
    model, corpus = path("never.nplm"), lm_args(*lm_files())
    expect_error(run("nplm", "train", *corpus, "--max-memory", "12Q",
                     "--out", model),
                 r"--max-memory: '12Q' is not a size")


# ---- nplm: never destroy an input ------------------------------------------


@case("ch04")
def nplm__inputs__corpus_out_holds_its_inputs():
    train, valid, test = lm_files("own")
    keep = Unchanged(train, valid, test)
    expect_error(run("nplm", "corpus", *lm_args(train, valid, test), "--out",
                     path("own")),
                 r"own/train.txt \(--out\): is the input .*own/train.txt "
                 r"\(--train\); refusing to overwrite it")
    keep.check()
    absent(path("own", "vocab.txt"))


@case("ch04")
def nplm__inputs__corpus_out_is_the_sotu_folder_copy():
    # An address named like an export file, in the folder read as the
    # corpus: refused as an input inside --corpus-dir.
    sotu = path("sotu")
    write(os.path.join(sotu, "1990_Bush.txt"), "The state of the union.\n")
    os.symlink(os.path.join(sotu, "1990_Bush.txt"),
               os.path.join(sotu, "train.txt"))
    keep = Unchanged(os.path.join(sotu, "1990_Bush.txt"))
    expect_error(run("nplm", "corpus", "--corpus-dir", sotu, "--min-count",
                     "1", "--out", sotu),
                 r"train.txt \(--out\): is the input .*\(in .*--corpus-dir")
    keep.check()


@case("ch04")
def nplm__inputs__train_out_is_the_training_file():
    train, valid, test = lm_files()
    keep = Unchanged(train, valid, test)
    expect_error(run("nplm", "train", *lm_args(train, valid, test),
                     *SMALL_MODEL, "--out", train),
                 r"train.txt \(--out\): is the input .*train.txt "
                 r"\(--train\)")
    keep.check()


@case("ch04")
def nplm__inputs__train_out_links_to_inputs():
    train, valid, test = lm_files()
    keep = Unchanged(train, valid, test)
    os.symlink(valid, path("soft.nplm"))
    os.link(test, path("hard.nplm"))
    for out, option in ((path("soft.nplm"), "--valid"),
                        (path("hard.nplm"), "--test")):
        expect_error(run("nplm", "train", *lm_args(train, valid, test),
                         *SMALL_MODEL, "--out", out),
                     r"\(--out\): is the input .*\(%s\)" % option)
    keep.check()


@case("ch04")
def nplm__inputs__train_best_is_an_input():
    # --out M also writes M.best: M.best must not be an input either.
    train, _, test = lm_files()
    out = path("lm", "m")
    valid = write(out + ".best", SENTENCES)
    keep = Unchanged(train, valid, test)
    expect_error(run("nplm", "train", *lm_args(train, valid, test),
                     *SMALL_MODEL, "--out", out),
                 r"m.best \(--out \(its .best\)\): is the input .*"
                 r"\(--valid\)")
    keep.check()
    absent(out)


@case("ch04")
def nplm__inputs__train_out_is_the_init_vectors():
    train, valid, test = lm_files()
    vectors = write(path("init.vec"),
                    "2 4\nthe 0.1 0.2 0.3 0.4\ncat 0.5 0.6 0.7 0.8\n")
    keep = Unchanged(vectors)
    expect_error(run("nplm", "train", *lm_args(train, valid, test),
                     *SMALL_MODEL, "--init-embeddings", vectors, "--out",
                     vectors),
                 r"init.vec \(--out\): is the input .*\(--init-embeddings\)")
    keep.check()


@case("ch04")
def nplm__inputs__train_out_is_a_directory():
    folder = path("folder")
    os.makedirs(folder)
    expect_error(run("nplm", "train", *lm_args(*lm_files()), *SMALL_MODEL,
                     "--out", folder),
                 r"folder \(--out\): is a directory")


@case("ch04")
def nplm__inputs__resume_in_place_is_allowed():
    # --resume M --out M continues a model: the one input a tool may
    # replace, because replacing it is what was asked.
    model, corpus = trained_model()
    expect_ok(run("nplm", "train", *corpus, *SMALL_MODEL[:-4], "--epochs",
                  "2", "--resume", model, "--out", model))


@case("ch04")
def nplm__inputs__output_is_a_pipe():
    model, corpus = trained_model()
    fifo = path("model.fifo")
    os.mkfifo(fifo)
    got = read_pipe_in_background(fifo)
    expect_ok(run("nplm", "train", *corpus, *SMALL_MODEL, "--out", fifo))
    check(stat.S_ISFIFO(os.lstat(fifo).st_mode), "the pipe was replaced")
    got.join(60)
    check(got.data[:8] == b"NPLMCKP3", "the pipe did not get the model")


class read_pipe_in_background(threading.Thread):
    def __init__(self, fifo):
        super().__init__(daemon=True)
        self.fifo, self.data = fifo, b""
        self.start()

    def run(self):
        with open(self.fifo, "rb") as f:
            self.data = f.read()


def character_device(name):
    """A character device like /dev/null (1, 3) in WORK: needs root."""
    if os.geteuid() != 0:
        raise Skip("creating a character device needs root")
    p = path(name)
    try:
        os.mknod(p, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except PermissionError:
        raise Skip("this container refuses mknod")
    return p


@case("ch04")
def nplm__inputs__output_is_a_character_device():
    model, corpus = trained_model()
    null = character_device("null")
    expect_ok(run("nplm", "train", *corpus, *SMALL_MODEL, "--out", null))
    check(stat.S_ISCHR(os.lstat(null).st_mode),
          "the device was replaced by a regular file")


@case("ch04")
def nplm__inputs__output_is_a_device_without_a_best_beside_it():
    null = character_device("null")
    _, corpus = trained_model()
    expect_ok(run("nplm", "train", *corpus, *SMALL_MODEL, "--out", null))
    absent(null + ".best")


@case("ch04")
def nplm__inputs__empty_output_path():
    expect_error(run("nplm", "train", *lm_args(*lm_files()), *SMALL_MODEL,
                     "--out", ""),
                 r" \(--out\): an empty path names no file")


@case("ch04")
def nplm__inputs__export_into_a_new_relative_folder():
    lm_files()
    expect_ok(run("nplm", "corpus", "--train", "lm/train.txt", "--valid",
                  "lm/valid.txt", "--test", "lm/test.txt", "--min-count", "1",
                  "--out", "newdir", cwd=WORK))
    check(sorted(os.listdir(path("newdir"))) ==
          ["test.txt", "train.txt", "valid.txt", "vocab.txt"],
          "the export is %r" % os.listdir(path("newdir")))


@case("ch04")
def nplm__errors__a_long_path_keeps_its_cause():
    # The long path gives up its middle, not its end (the file's name) nor
    # the cause after it; the whole line stays within 400 bytes.
    deep = "/".join("some_long_folder_name_%02d" % i for i in range(18))
    r = expect_error(run("nplm", "train", *lm_args(*lm_files()),
                         *SMALL_MODEL, "--out", path(deep, "m.nplm")),
                     r"\.\.\..*/m\.nplm \(--out\): .*does not exist$")
    check(len(r.err.rstrip("\n").encode()) <= 400,
          "the line is %d bytes" % len(r.err.rstrip("\n").encode()))


# ---- nplm: half a result ----------------------------------------------------


@case("ch04")
def nplm__partial__corpus_export_cannot_write_vocab():
    out = path("export")
    os.makedirs(os.path.join(out, "vocab.txt"))
    expect_error(run("nplm", "corpus", *lm_args(*lm_files()), "--out", out),
                 r"vocab.txt \(--out\): is a directory")
    absent(*[os.path.join(out, f) for f in ("train.txt", "valid.txt",
                                            "test.txt")])


@case("ch04")
def nplm__partial__train_into_missing_folder():
    model = path("missing", "m.nplm")
    expect_error(run("nplm", "train", *lm_args(*lm_files()), *SMALL_MODEL,
                     "--out", model),
                 r"m.nplm \(--out\): the directory .*missing does not exist")


# ---- nplm: sizes checked before allocating -----------------------------------

BIG_NPLM = ["--dim", "4096", "--hidden", "8192", "--context", "4",
            "--epochs", "1"]


@case("ch04")
def nplm__memory__model_over_the_limit():
    # 4 x 8192 x 4096 + ... = 134 million parameters: with the gradient and
    # Adam's moments 2.0 GiB, refused in words before allocating.
    model = path("big.nplm")
    expect_error(run("nplm", "train", *lm_args(*lm_files()), *BIG_NPLM,
                     "--max-memory", "1G", "--out", model),
                 r"needs 2\.1 GiB for a model of 134,348,810 parameters "
                 r"\(V = 10, d = 4096, h = 8192\) .*; 1\.0 GiB is the "
                 r"--max-memory limit")
    absent(model)


@case("ch04", "rlimit")
def nplm__memory__model_over_the_address_space_limit():
    need_address_limits()
    model = path("big.nplm")
    expect_error(run("nplm", "train", *lm_args(*lm_files()), *BIG_NPLM,
                     "--out", model, address_limit=1 << 31),
                 r"needs 2\.1 GiB for a model of .*left under the "
                 r"address-space limit")
    absent(model)


@case("ch04", "rlimit")
def nplm__memory__out_of_memory_names_the_activity():
    # Kneser-Ney's counts are not sized in advance: with too little memory
    # the tool still says what it was doing, not "std::bad_alloc".
    need_address_limits()
    words = " ".join("w%d" % i for i in range(200000))
    train = write(path("lm", "train.txt"), (words + "\n") * 3)
    valid = write(path("lm", "valid.txt"), SENTENCES)
    probe = run("nplm", "kn", "--order", "5", *lm_args(train, valid, valid),
                address_limit=64 << 20)
    expect_error(probe, r"out of memory while (reading the corpus|counting "
                        r"n-grams)")


# ---- w2v: options -------------------------------------------------------------


W2V_SMALL = ["-min-count", "1", "-size", "5", "-iter", "1", "-threads", "1"]


def w2v_text():
    return write(path("text.txt"), SENTENCES * 20)


def w2v_option_refused(option, value):
    out = path("v.txt")
    expect_error(run("w2v", "train", "-train", w2v_text(), "-output", out,
                     *W2V_SMALL, option, value),
                 r"--%s: must be a finite number from .*, got '%s'" %
                 (option.lstrip("-"), re.escape(value)))
    absent(out)


@case("ch05")
def w2v__options__alpha_nan():
    w2v_option_refused("-alpha", "nan")


@case("ch05")
def w2v__options__alpha_infinite():
    w2v_option_refused("-alpha", "inf")


@case("ch05")
def w2v__options__sample_nan():
    # Once "TrainWord2Vec: bad settings", which named no option.
    w2v_option_refused("-sample", "nan")


@case("ch05")
def w2v__options__sample_infinite():
    w2v_option_refused("-sample", "-inf")


@case("ch05")
def w2v__options__memory_limit_zero():
    expect_error(run("w2v", "train", "-train", w2v_text(), "-output",
                     path("v.txt"), "--max-memory", "0"),
                 r"--max-memory: '0' is not a size from 1 byte")


# ---- w2v: never destroy an input ---------------------------------------------


@case("ch05")
def w2v__inputs__output_is_the_training_text():
    text = w2v_text()
    keep = Unchanged(text)
    expect_error(run("w2v", "train", "-train", text, "-output", text,
                     *W2V_SMALL),
                 r"text.txt \(-output\): is the input .*text.txt \(-train\); "
                 r"refusing to overwrite it")
    keep.check()


@case("ch05")
def w2v__inputs__output_links_to_the_training_text():
    text = w2v_text()
    keep = Unchanged(text)
    os.symlink(text, path("soft.vec"))
    os.link(text, path("hard.vec"))
    for out in (path("soft.vec"), path("hard.vec")):
        expect_error(run("w2v", "train", "-train", text, "-output", out,
                         *W2V_SMALL), r"is the input .*\(-train\)")
    keep.check()


@case("ch05")
def w2v__inputs__output_or_history_is_the_eval_pairs():
    text = w2v_text()
    pairs = write(path("pairs.txt"), "cat dog 9.0\nmat log 3.0\n")
    keep = Unchanged(text, pairs)
    for option in ("-output", "--history"):
        other = ["--history", path("h.json")] if option == "-output" else [
            "-output", path("v.txt")]
        expect_error(run("w2v", "train", "-train", text, option, pairs,
                         *other, "--eval-pairs", pairs, *W2V_SMALL),
                     r"pairs.txt \(%s\): is the input .*\(--eval-pairs\)" %
                     option)
    keep.check()
    absent(path("v.txt"), path("h.json"))


@case("ch05")
def w2v__inputs__history_is_the_output():
    out = path("v.txt")
    expect_error(run("w2v", "train", "-train", w2v_text(), "-output", out,
                     "--history", out, *W2V_SMALL),
                 r"v.txt \(--history\): is also the output .*\(-output\)")
    absent(out)


@case("ch05")
def w2v__inputs__output_is_a_directory():
    expect_error(run("w2v", "train", "-train", w2v_text(), "-output", WORK,
                     *W2V_SMALL), r"\(-output\): is a directory")


@case("ch05")
def w2v__inputs__count_output_is_the_training_text():
    text = w2v_text()
    keep = Unchanged(text)
    expect_error(run("w2v", "count", "-train", text, "-output", text,
                     "--size", "2", "-min-count", "1"),
                 r"\(-output\): is the input .*\(-train\)")
    keep.check()


@case("ch05")
def w2v__inputs__tokenize_over_an_address():
    sotu = path("sotu")
    address = write(os.path.join(sotu, "1990_Bush.txt"),
                    "The state of the union.\n")
    keep = Unchanged(address)
    expect_error(run("w2v", "tokenize", "--sotu", sotu, "--output", address,
                     "--split", "all"),
                 r"1990_Bush.txt \(--output\): is the input .*\(in .*--sotu")
    keep.check()


@case("ch05")
def w2v__inputs__output_is_a_pipe():
    fifo = path("v.fifo")
    os.mkfifo(fifo)
    got = read_pipe_in_background(fifo)
    expect_ok(run("w2v", "train", "-train", w2v_text(), "-output", fifo,
                  *W2V_SMALL))
    got.join(60)
    check(stat.S_ISFIFO(os.lstat(fifo).st_mode), "the pipe was replaced")
    check(got.data.startswith(b"8 5\n"),
          "the pipe did not get the vectors: %r" % got.data[:40])


@case("ch05")
def w2v__inputs__output_is_a_character_device():
    null = character_device("null")
    expect_ok(run("w2v", "train", "-train", w2v_text(), "-output", null,
                  *W2V_SMALL))
    check(stat.S_ISCHR(os.lstat(null).st_mode),
          "the device was replaced by a regular file")


@case("ch05")
def w2v__inputs__output_through_a_symbolic_link():
    # A link to a file that is not an input is written through: the link
    # stays, its target gets the vectors.
    target = write(path("old.vec"), "old\n")
    os.symlink(target, path("link.vec"))
    expect_ok(run("w2v", "train", "-train", w2v_text(), "-output",
                  path("link.vec"), *W2V_SMALL))
    check(os.path.islink(path("link.vec")), "the link was replaced")
    check(read(target).startswith(b"8 5\n"), "the target was not written")


@case("ch05")
def w2v__inputs__empty_output_path():
    expect_error(run("w2v", "train", "-train", w2v_text(), "-output", "",
                     *W2V_SMALL),
                 r" \(-output\): an empty path names no file")


@case("ch05")
def w2v__inputs__dangling_link_is_written_through():
    os.symlink("target.vec", path("link.vec"))
    expect_ok(run("w2v", "train", "-train", w2v_text(), "-output",
                  path("link.vec"), *W2V_SMALL))
    check(os.path.islink(path("link.vec")), "the link was replaced")
    check(read(path("target.vec")).startswith(b"8 5\n"),
          "the link's target was not written")


@case("ch05")
def w2v__inputs__devices_may_take_several_outputs():
    null = character_device("null")
    expect_ok(run("w2v", "train", "-train", w2v_text(), "-output", null,
                  "--history", null, *W2V_SMALL))
    check(stat.S_ISCHR(os.lstat(null).st_mode), "the device was replaced")


@case("ch05")
def w2v__results__nothing_trained_is_refused():
    # Three words, each a third of the text: subsampling at 1e-3 drops them
    # all, so no pair is ever trained; the random start was written as
    # vectors, with "loss": 0.0.
    text = write(path("tiny.txt"), "alpha beta gamma\n")
    out = path("v.txt")
    expect_late_error(run("w2v", "train", "-train", text, "-output", out,
                          "-min-count", "1", "-size", "4", "-iter", "2",
                          "--history", path("h.json")),
                      r"no \(word, context\) pair was trained in 2 "
                      r"epoch\(s\)")
    absent(out, path("h.json"))


@case("ch05")
def w2v__results__an_epoch_without_pairs_has_no_loss():
    # Seed 1 on this text: subsampling leaves no pair in some epochs. Their
    # history entries say "pairs": 0 and carry no loss (once 0.0).
    text = write(path("t.txt"), "the cat sat on the mat\nthe dog sat on "
                 "the log\na cat and a dog\n")
    history = path("h.json")
    expect_ok(run("w2v", "train", "-train", text, "-output", path("v.txt"),
                  "-min-count", "1", "-size", "4", "-iter", "6", "-threads",
                  "1", "--history", history))
    import json
    entries = json.loads(read(history))
    check(len(entries) == 6, "expected 6 epochs, got %r" % entries)
    check(any(e["pairs"] == 0 for e in entries) and
          any(e["pairs"] > 0 for e in entries),
          "expected epochs with and without pairs: %r" % entries)
    for e in entries:
        check(("loss" in e) == (e["pairs"] > 0) and e.get("loss", 1) > 0,
              "an epoch of %d pairs reports %r" % (e["pairs"], e))


@case("ch05")
def w2v__results__constant_eval_pairs_refused_before_training():
    # Known once the vocabulary is: two covered pairs with the same score
    # have no rank correlation ("SpearmanRho: a constant sample" came after
    # the first epoch, naming a function).
    pairs = write(path("pairs.txt"), "cat dog 3\nmat log 3\nzebra yak 1\n")
    out = path("v.txt")
    expect_error(run("w2v", "train", "-train", w2v_text(), "-output", out,
                     "--eval-pairs", pairs, *W2V_SMALL),
                 r"--eval-pairs .*pairs.txt: the 2 covered pairs all have the "
                 r"same score: their rank correlation \(Spearman's rho\) is "
                 r"undefined")
    absent(out)


@case("ch05")
def w2v__results__count_without_cooccurrences():
    text = write(path("one_word_lines.txt"), "a\nb\nc\na\nb\nc\n")
    out = path("c.vec")
    expect_error(run("w2v", "count", "-train", text, "-output", out,
                     "--words", "3", "--size", "2", "-min-count", "1"),
                 r"no two words occur within 10 words of each other")
    absent(out)


@case("ch05")
def w2v__results__tokenize_an_empty_split():
    sotu = path("sotu")
    write(os.path.join(sotu, "1990_Bush.txt"), "The state of the union.\n")
    out = path("valid.txt")
    expect_error(run("w2v", "tokenize", "--sotu", sotu, "--output", out,
                     "--split", "valid"),
                 r"sotu: no address in the valid split's years")
    absent(out)


@case("ch05")
def w2v__results__classify_one_party():
    # Five Democratic addresses and no Republican one once reported an
    # accuracy of 1.0.
    sotu = path("sotu")
    for year in range(1990, 1995):
        write(os.path.join(sotu, "%d_Someone_d.txt" % year),
              "We will build. We will grow. " * 20 + "\n")
    expect_error(run("w2v", "classify", "--sotu", sotu, "--iter", "1"),
                 r"the training addresses hold no Republican \(_r.txt\) "
                 r"one: a classifier of the party needs both")


# ---- w2v: half a result ---------------------------------------------------------


@case("ch05")
def w2v__partial__history_cannot_be_written():
    out = path("v.txt")
    expect_error(run("w2v", "train", "-train", w2v_text(), "-output", out,
                     "--history", path("missing", "h.json"), *W2V_SMALL),
                 r"h.json \(--history\): the directory .*missing does not "
                 r"exist")
    absent(out)


@case("ch05")
def w2v__partial__history_is_a_directory():
    out = path("v.txt")
    os.makedirs(path("h.json"))
    expect_error(run("w2v", "train", "-train", w2v_text(), "-output", out,
                     "--history", path("h.json"), *W2V_SMALL),
                 r"h.json \(--history\): is a directory")
    absent(out)


@case("ch05")
def w2v__partial__vectors_and_history_appear_together():
    out, history = path("v.txt"), path("h.json")
    expect_ok(run("w2v", "train", "-train", w2v_text(), "-output", out,
                  "--history", history, *W2V_SMALL))
    check(os.path.isfile(out) and os.path.isfile(history),
          "the vectors and the history did not both appear")
    leftovers = [f for f in os.listdir(WORK) if ".tmp." in f or ".old." in f]
    check(not leftovers, "temporary files left: %r" % leftovers)


# ---- w2v: sizes checked before allocating ----------------------------------------


def fifty_thousand_words():
    words = ["w%05d" % i for i in range(50000)]
    lines = [" ".join(words[i:i + 100]) for i in range(0, 50000, 100)]
    return write(path("50k.txt"), "\n".join(lines) + "\n")


@case("ch05")
def w2v__memory__fifty_thousand_words_of_4096():
    # 50,000 x 4,096: the two tables are 1.5 GiB and the four blocks'
    # copies of the rows they can touch 0.4 GiB; the scratch once took
    # 8 V d floats (6.1 GiB) and failed with std::bad_alloc.
    out = path("v.txt")
    r = expect_error(run("w2v", "train", "-train", fifty_thousand_words(),
                         "-output", out, "-min-count", "1", "-size", "4096",
                         "--max-memory", "1G"),
                     r"needs 2\.0 GiB for 50,000 x 4,096 vectors and "
                     r"their scratch; 1\.0 GiB is the --max-memory limit")
    absent(out)


@case("ch05", "rlimit")
def w2v__memory__newlines_do_not_take_memory():
    # 38 MiB of empty lines once peaked at 1.6 GB before "no words".
    need_address_limits()
    text = write(path("newlines.txt"), b"\n" * (38 << 20))
    expect_error(run("w2v", "train", "-train", text, "-output",
                     path("v.txt"), address_limit=600 << 20),
                 r"newlines.txt: no words")


@case("ch05", "rlimit")
def w2v__memory__training_text_over_the_address_space_limit():
    need_address_limits()
    text = write(path("big.txt"), (b"word " * 20 + b"\n") * (3 << 20))
    expect_error(run("w2v", "train", "-train", text, "-output",
                     path("v.txt"), address_limit=256 << 20),
                 r"needs .* for the training text .*big.txt; .* left under "
                 r"the address-space limit")


@case("ch05")
def w2v__memory__count_matrix_over_the_limit():
    out = path("c.vec")
    # Sparse: 500,000 pairs at most (50,000 tokens x k = 10), 176 bytes
    # each (88 MB), the 4 MB chunk of keys, and the SVD's six (50,000, 110)
    # matrices (264 MB): 356,000,000 bytes, 339.5 MiB, printed "340 MiB".
    expect_error(run("w2v", "count", "-train", fifty_thousand_words(),
                     "-output", out, "-min-count", "1",
                     "--max-memory", "64M"),
                 r"needs 340 MiB for the sparse 50,000 x 50,000 "
                 r"co-occurrence matrix and its SVD; 64\.0 MiB is the "
                 r"--max-memory limit")
    absent(out)


# ---- nn-trace -----------------------------------------------------------------


UCL_SPEC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                        "..", "chapters", "03_backprop", "specs",
                        "ucl_2_2_1.json")


@case("ch03")
def nn_trace__options__log_base_infinite():
    expect_error(run("nn-trace", "--spec", UCL_SPEC, "--log-base", "inf"),
                 r"--log-base: must be a finite number .*got 'inf'")


@case("ch03")
def nn_trace__options__log_base_below_one():
    # Below 1 every cross-entropy is negative (it printed -0.977).
    expect_error(run("nn-trace", "--spec", UCL_SPEC, "--log-base", "0.5"),
                 r"--log-base: must be a finite number > 1 .*got '0.5'")


@case("ch03")
def nn_trace__errors__invalid_json_names_no_exception():
    # "[json.exception.parse_error.101] ..." once reached the user.
    for text in ("{", '{"a": 1e999}'):
        spec = write(path("bad.json"), text)
        expect_error(run("nn-trace", "--spec", spec),
                     r"spec: invalid JSON: (parse error|number overflow)")


# ---- figure tools ---------------------------------------------------------------


def figure_without_arguments(tool):
    expect_error(run(tool), r"OUTPUT_DIR is required")


@case("figures")
def fig_ch01__usage__no_arguments():
    figure_without_arguments("fig_ch01")


@case("figures")
def fig_ch02__usage__no_arguments():
    figure_without_arguments("fig_ch02")


@case("figures")
def fig_ch03__usage__no_arguments():
    figure_without_arguments("fig_ch03")


@case("figures")
def fig_ch04__usage__no_arguments():
    figure_without_arguments("fig_ch04")


@case("figures")
def fig_ch05__usage__no_arguments():
    figure_without_arguments("fig_ch05")


@case("figures")
def fig_ch05__usage__help_is_not_a_folder():
    r = run("fig_ch05", "--help", cwd=WORK)
    check(r.status == 0 and "OUTPUT_DIR" in r.out,
          "--help did not print the usage\n" + r.describe())
    absent(path("--help"))


@case("figures")
def fig_ch04__usage__unknown_option():
    expect_error(run("fig_ch04", path("out"), "--modle", "x"),
                 r"--modle")
    absent(path("out"))


def figures_in(folder):
    r = expect_ok(run("fig_ch01", folder, cwd=WORK))
    names = sorted(os.listdir(folder))
    expected = sorted("ch01_%s.%s" % (f, e) for f in (
        "activations", "and_or_xor", "perceptron_updates", "learning_rates")
                      for e in ("png", "pdf", "svg"))
    check(names == expected, "the folder holds %r, expected %r" %
          (names, expected))
    return r


@case("figures")
def fig_ch01__folder__with_a_quote():
    # A plain ' once gave 17 lines of gnuplot errors.
    figures_in(path("it's"))


@case("figures")
def fig_ch01__folder__with_gnuplot_code():
    # '.system('touch ...').' in the folder name once ran the command.
    marker = path("PWNED")  # gnuplot's system() runs in WORK
    folder = path("x'.system('touch PWNED').'")
    figures_in(folder)
    absent(marker)
    check(sorted(os.listdir(WORK)) == [os.path.basename(folder)],
          "files outside the folder: %r" % os.listdir(WORK))


@case("figures")
def fig_ch01__folder__with_a_line_break():
    figures_in(path("two\nlines"))


@case("figures")
def fig_ch05__folder__writes_nothing_outside():
    # Once always wrote the build's generated/book/ch05_results.md.
    folder = path("figs")
    watched = os.environ.get("FFNN_BOOK_RESULTS_DIR", "")
    before = {}
    if watched and os.path.isdir(watched):
        before = {f: os.stat(os.path.join(watched, f)).st_mtime_ns
                  for f in os.listdir(watched)}
    expect_ok(run("fig_ch05", folder, timeout=600))
    check(all(f.startswith("ch05_") for f in os.listdir(folder)),
          "unexpected files: %r" % os.listdir(folder))
    check(sorted(os.listdir(WORK)) == ["figs"],
          "files outside the folder: %r" % os.listdir(WORK))
    if before:
        after = {f: os.stat(os.path.join(watched, f)).st_mtime_ns
                 for f in os.listdir(watched)}
        check(after == before, "fig_ch05 wrote into %s" % watched)


@case("figures")
def fig_ch04__outputs__markdown_over_the_model_refused():
    # --markdown equal to --model once overwrote the model with a table.
    model, _ = trained_model()
    keep = Unchanged(model)
    expect_error(run("fig_ch04", path("out"), "--model", model, "--markdown",
                     model),
                 r"m.nplm \(--markdown\): is the input .*\(--model\)")
    keep.check()
    absent(path("out"))


@case("figures")
def fig_ch05__outputs__markdown_over_a_figure_refused():
    out = path("out")
    expect_error(run("fig_ch05", out, "--markdown",
                     os.path.join(out, "ch05_rich_poor.png")),
                 r"ch05_rich_poor.png \(--markdown\): is also the output")
    absent(out)


@case("figures")
def fig_ch01__outputs__checked_before_any_figure():
    # The second figure's .svg is a folder: refused before the first figure
    # is drawn (its files were written, then the run failed).
    out = path("out")
    os.makedirs(os.path.join(out, "ch01_and_or_xor.svg"))
    expect_error(run("fig_ch01", out),
                 r"ch01_and_or_xor.svg \(OUTPUT_DIR\): is a directory")
    check(os.listdir(out) == ["ch01_and_or_xor.svg"],
          "files written before the refusal: %r" % os.listdir(out))


# ---- driver ---------------------------------------------------------------------


def main():
    global WORK, SANITIZED
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--tool", action="append", default=[])
    ap.add_argument("--work")
    ap.add_argument("--sanitized", action="store_true")
    ap.add_argument("case", nargs="?")
    a = ap.parse_args()
    if a.list:
        for name, (labels, _) in CASES.items():
            print(name, ",".join(labels))
        return 0
    for t in a.tool:
        name, _, p = t.partition("=")
        TOOLS[name] = p
    SANITIZED = a.sanitized
    if a.case not in CASES:
        print("hostile_use.py: error: no case %r" % a.case, file=sys.stderr)
        return 2
    WORK = os.path.join(os.path.abspath(a.work), a.case)
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    try:
        CASES[a.case][1]()
    except Skip as e:
        print("skipped: %s" % e)
        return 77
    except Failure as e:
        print("FAILED %s: %s" % (a.case, e))
        return 1
    shutil.rmtree(WORK, ignore_errors=True)
    print("passed %s" % a.case)
    return 0


if __name__ == "__main__":
    sys.exit(main())
