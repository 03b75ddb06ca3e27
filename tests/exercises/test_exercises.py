#!/usr/bin/env python3
"""Proof that the exercises grade (CTest label `exercises`):

    test_exercises.py catalogue BIN   the set is what the issue promises
                                      (and the check finds planted defects)
    test_exercises.py full BIN        the instructor's tree scores 100%
    test_exercises.py fresh BIN       a fresh student pack builds, scores 0
                                      with every exercise "not done yet",
                                      its chapter targets report them
    test_exercises.py one BIN         one solution pasted back: exactly its
                                      points; a solved exercise that needs
                                      an unsolved one says so
    test_exercises.py wrong BIN       a plausible wrong answer per chapter
                                      (and a hang, a crash) fails its
                                      exercise with a message naming the
                                      check, and nothing else
    test_exercises.py bulk BIN        three submissions graded in sandboxes,
                                      one of them hostile: deletes files,
                                      forks without end, fills the disk,
                                      writes outside its tree

BIN is the build folder of the tree under test (its ffnn-grade and its
ccache); the packs are cut into BIN/exercises/. Each prints what it
checked and exits 1 on the first failure.
"""
import csv
import json
import os
import pwd
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import exercises  # noqa: E402

TOTAL = 42
PLANTED = os.path.join(HERE, "planted")


class Failure(Exception):
    pass


def expect(ok, what):
    if not ok:
        raise Failure(what)
    print("ok", what)


def run(cmd, cwd=None, env=None):
    r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True,
                       env=env)
    return r.returncode, r.stdout, r.stderr


def cache_value(bin_dir, name):
    """A variable of BIN's CMakeCache.txt, or None."""
    with open(os.path.join(bin_dir, "CMakeCache.txt")) as f:
        for line in f:
            if line.startswith(name + ":"):
                return line.split("=", 1)[1].strip()
    return None


def sanitized(bin_dir):
    return cache_value(bin_dir, "FFNN_SANITIZE") == "ON"


def ccache_dir(bin_dir):
    return cache_value(bin_dir, "FFNN_CCACHE_DIR") or \
        os.path.join(ROOT, "build", "ccache")


def fresh_pack(bin_dir, name):
    out = os.path.join(bin_dir, "exercises", name)
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    rc, _, err = run([sys.executable, os.path.join(ROOT, "scripts",
                                                   "exercises.py"),
                      "pack", out])
    expect(rc == 0, "the pack %s is cut (%s)" % (name, err.strip()))
    return out


def grade(tree, bin_dir, *extra):
    """Grades a pack with its own grading build, sharing BIN's ccache."""
    cmd = [sys.executable, os.path.join(tree, "scripts", "exercises.py"),
           "grade", "--ccache-dir", ccache_dir(bin_dir)] + list(extra)
    rc, out, err = run(cmd)
    lines = {}
    for line in out.splitlines():
        parts = line.split(None, 1)
        if parts and parts[0][:1].isdigit() or line.startswith("K."):
            lines[parts[0]] = line
    return rc, out, err, lines


def planted(prefix):
    """{id: (expected message, body lines)} of tests/exercises/planted."""
    out = {}
    for name in sorted(os.listdir(PLANTED)):
        if not name.startswith(prefix + "-"):
            continue
        ex_id = name[len(prefix) + 1:-len(".txt")]
        with open(os.path.join(PLANTED, name), encoding="utf-8") as f:
            lines = f.read().rstrip("\n").split("\n")
        expected = lines[0][len("// expect: "):] \
            if lines[0].startswith("// expect: ") else None
        out[ex_id] = (expected, lines)
    return out


def points(tree):
    return {e.id: e.points for e in exercises.find_exercises(tree)}


# ---- The tests ----------------------------------------------------------


def test_catalogue(bin_dir):
    defects = []
    found = exercises.find_exercises(ROOT, defects)
    defects += exercises.check_catalogue(found)
    expect(not defects, "the catalogue has no defects (%s)" %
           "; ".join(defects))
    expect(len(found) >= 20 and sum(e.points for e in found) == TOTAL,
           "%d exercises, %d points" % (len(found),
                                        sum(e.points for e in found)))
    grader = os.path.join(bin_dir, "tests", "exercises", "ffnn-grade")
    rc, out, _ = run([grader, "--list"])
    expect(out.split() == [e.id for e in found],
           "ffnn-grade checks exactly the exercises of the code, in order")
    # Planted defects: the check must name each.
    head = ("  // Exercise 1.1: t (1 point).\n  // Slide: s.\n"
            "  // Formula: f.\n  // Shapes: x.\n  // Builds on: %s.\n")
    cases = [
        ("later dependency", head % "1.2" +
         "  // BEGIN SOLUTION ch01.1.a\n  x;\n  // END SOLUTION\n",
         "builds on 1.2, which is no exercise"),
        ("unclosed region", head % "nothing" +
         "  // BEGIN SOLUTION ch01.1.a\n  x;\n", "never closed"),
        ("no prompt", "  // BEGIN SOLUTION ch01.1.a\n  x;\n"
         "  // END SOLUTION\n", "no '// Exercise"),
        ("wrong number", (head % "nothing").replace("1.1", "1.2") +
         "  // BEGIN SOLUTION ch01.1.a\n  x;\n  // END SOLUTION\n",
         "is numbered 1.2, its id says 1.1"),
    ]
    import tempfile
    for label, text, want in cases:
        with tempfile.TemporaryDirectory() as root:
            os.makedirs(os.path.join(root, "chapters"))
            with open(os.path.join(root, "chapters", "a.cc"), "w") as f:
                f.write(text)
            d = []
            d += exercises.check_catalogue(exercises.find_exercises(root, d))
            expect(any(want in x for x in d),
                   "the catalogue check finds a planted %s" % label)


def test_full(bin_dir):
    results = os.path.join(bin_dir, "exercises", "full_results.json")
    os.makedirs(os.path.dirname(results), exist_ok=True)
    rc, out, err = run([sys.executable,
                        os.path.join(ROOT, "scripts", "exercises.py"),
                        "grade", "--build-dir", bin_dir,
                        "--results", results] +
                       (["--memory", "0"] if sanitized(bin_dir) else []))
    print(out)
    expect(rc == 0 and "score: %d/%d" % (TOTAL, TOTAL) in out,
           "the instructor's tree scores %d/%d (exit %d, %s)" %
           (TOTAL, TOTAL, rc, err.strip()))
    with open(results) as f:
        r = json.load(f)
    tests = r["tests"]
    ids = [e.id for e in exercises.find_exercises(ROOT)]
    expect(r["score"] == TOTAL and len(tests) == len(ids) and
           all(t["score"] == t["max_score"] > 0 for t in tests) and
           all(i in t["name"] for i, t in zip(ids, tests)) and
           all(set(t) >= {"name", "score", "max_score", "output"}
               for t in tests),
           "results.json is Gradescope's format, every test named by its "
           "exercise id, full marks")


def test_fresh(bin_dir):
    pack = fresh_pack(bin_dir, "fresh")
    expect(os.path.isfile(os.path.join(pack, ".student-pack")) and
           not os.path.exists(os.path.join(pack, ".git")) and
           not os.path.exists(os.path.join(pack, "tests", "exercises",
                                           "planted")),
           "the pack is marked, has no git history and no planted answers")
    # The pack's own no-leak check fails on a planted leak.
    exs = exercises.find_exercises(ROOT)
    ex = next(e for e in exs if e.id == "ch02.3.softmax")
    leak_file = os.path.join(pack, "docs", "leak.md")
    with open(leak_file, "w") as f:
        f.write(exercises.solution_lines(
            exercises.read_lines(os.path.join(ROOT, ex.path)), ex)[0] + "\n")
    try:
        exercises.verify_pack(ROOT, pack, exs)
        leaked = False
    except exercises.Refused:
        leaked = True
    os.remove(leak_file)
    expect(leaked, "the pack's check refuses a solution line left anywhere")
    exercises.verify_pack(ROOT, pack, exs)
    results = os.path.join(pack, "results.json")
    rc, out, err, lines = grade(pack, bin_dir, "--results", results)
    print(out)
    expect(rc == 1 and "score: 0/%d" % TOTAL in out,
           "a fresh pack scores 0/%d (exit %d, %s)" % (TOTAL, rc,
                                                      err.strip()))
    expect(len(lines) == len(exs) and
           all(l.split("  ")[-1].startswith("not done yet") or
               "not done yet" in l for l in lines.values()),
           "every exercise says 'not done yet'")
    with open(results) as f:
        expect(json.load(f)["score"] == 0, "results.json says 0")
    # The chapter targets run and report the unsolved exercises.
    build = os.path.join(pack, "build", "grade")
    targets = ["ch01_perceptron", "ch02_mlp", "ch03_backprop",
               "ch04_neural_lm", "ch05_word2vec"]
    rc, _, err = run(["cmake", "--build", build, "-j",
                      str(os.cpu_count() or 1), "--target"] + targets)
    expect(rc == 0, "the pack's chapter targets build (%s)" %
           err.strip()[-300:])
    for t, d in zip(targets, ["01_perceptron", "02_mlp", "03_backprop",
                              "04_neural_lm", "05_word2vec"]):
        rc, out, err = run([os.path.join(build, "chapters", d, t)])
        expect(rc == 1 and err.count("\n") == 1 and
               "exercises not done yet: " in err,
               "%s reports its open exercises in one line, exit 1: %s" %
               (t, err.strip()))


    # Its book builds and shows each exercise's prompt where the solution
    # was (the chapter pages' fragments and the Exercises page).
    rc, _, err = run(["cmake", "--build", build, "--target", "docs"])
    expect(rc == 0, "the pack's book builds (%s)" % err.strip()[-300:])
    html = os.path.join(build, "book", "html")
    with open(os.path.join(html, "exercises.html"), encoding="utf-8") as f:
        page = f.read()
    expect(all("exercise %s (" % e.number in page for e in exs) and
           page.count("is not done yet") >= len(exs),
           "the pack's Exercises page shows every prompt over its stub")
    with open(os.path.join(html, "ch02.html"), encoding="utf-8") as f:
        ch02 = f.read()
    expect("Exercise 2.1: the forward pass of one layer" in ch02 and
           "is not done yet" in ch02 and "ot computed yet" in ch02,
           "chapter 2's page shows the prompt and stub where the solution "
           "was, and says which numbers wait for the exercises")


def test_one(bin_dir):
    pack = fresh_pack(bin_dir, "one")
    pts = points(ROOT)
    subprocess.run([sys.executable, os.path.join(ROOT, "scripts",
                                                 "exercises.py"),
                    "paste", pack, "--from", ROOT, "--only",
                    "ch02.3.softmax"], check=True)
    rc, out, err, lines = grade(pack, bin_dir)
    print(out)
    want = pts["ch02.3.softmax"]
    expect("score: %d/%d" % (want, TOTAL) in out and
           "passed" in lines.get("2.3", ""),
           "one exercise pasted back scores exactly its %d points" % want)
    subprocess.run([sys.executable, os.path.join(ROOT, "scripts",
                                                 "exercises.py"),
                    "paste", pack, "--from", ROOT, "--only",
                    "ch02.2.xnor"], check=True)
    rc, out, err, lines = grade(pack, bin_dir, "ch02")
    print(out)
    expect("needs exercise 2.1 (the forward pass of one layer) first" in
           lines.get("2.2", ""),
           "a solved exercise that needs an unsolved one says which")


def solved_pack(bin_dir, name):
    pack = fresh_pack(bin_dir, name)
    exercises.paste(pack, exercises.regions(ROOT))
    return pack


def test_wrong(bin_dir):
    pack = solved_pack(bin_dir, "wrong")
    wrong = planted("wrong")
    exercises.paste(pack, {k: v[1] for k, v in wrong.items()})
    rc, out, err, lines = grade(pack, bin_dir, "--timeout", "3")
    print(out)
    exs = exercises.find_exercises(ROOT)
    # An exercise that builds on a wrong one may fail with it.
    by_number = {e.number: e for e in exs}
    downstream = set(wrong)
    for ex in exs:  # in teaching order: dependencies come first
        deps = re.findall(r"\b([1-5K]\.\d)\b", ex.fields["Builds on"])
        if any(by_number[d].id in downstream for d in deps):
            downstream.add(ex.id)
    for ex in exs:
        line = lines.get(ex.number, "")
        if ex.id in downstream and ex.id not in wrong:
            print("(%s builds on a wrong answer: %s)" % (ex.id, line))
            continue
        if ex.id in wrong:
            expect(wrong[ex.id][0] in line,
                   "%s's planted wrong answer fails with '%s'" %
                   (ex.id, wrong[ex.id][0]))
        else:
            expect(line.split()[-1] == "passed" if line else False,
                   "%s still passes beside them" % ex.id)
    chapters = {ex_id.split(".")[0] for ex_id in wrong}
    expect(chapters >= {"ch01", "ch02", "ch03", "ch04", "ch05", "kernels"},
           "every chapter and the kernel have a planted wrong answer")


def nobody_processes():
    """Processes of the sandbox's user, after giving the kernel up to 10 s
    to reap a PID namespace whose init has gone."""
    try:
        uid = pwd.getpwnam("nobody").pw_uid
    except KeyError:
        return 0
    for _ in range(100):
        n = 0
        for pid in os.listdir("/proc"):
            if pid.isdigit():
                try:
                    n += os.stat("/proc/" + pid).st_uid == uid
                except OSError:
                    pass
        if n == 0:
            return 0
        time.sleep(0.1)
    return n


def test_bulk(bin_dir):
    base = os.path.join(bin_dir, "exercises", "bulk")
    shutil.rmtree(base, ignore_errors=True)
    subs = os.path.join(base, "submissions")
    os.makedirs(subs)
    canary = os.path.join(base, "instructor", "grades.txt")
    os.makedirs(os.path.dirname(canary))
    with open(canary, "w") as f:
        f.write("the instructor's file\n")
    outside = os.path.join(base, "outside.txt")
    # Three students: a fresh pack, one exercise solved, and a hostile one
    # whose other exercises are right.
    alice = fresh_pack(bin_dir, "bulk/submissions/alice")
    with open(os.path.join(alice, "notes.txt"), "w") as f:
        f.write("alice's own file\n")
    bob = fresh_pack(bin_dir, "bulk/submissions/bob")
    exercises.paste(bob, {"ch02.3.softmax":
                          exercises.regions(ROOT)["ch02.3.softmax"]})
    mallory = solved_pack(bin_dir, "bulk/submissions/mallory")
    hostile = {}
    for ex_id, (_, body) in planted("hostile").items():
        hostile[ex_id] = [l.replace("@CANARY@", os.path.dirname(canary))
                          .replace("@OTHER@", alice)
                          .replace("@OUTSIDE@", outside)
                          .replace("@ROOT@", ROOT) for l in body]
    exercises.paste(mallory, hostile)
    for junk in ("/var/tmp/ffnn-outside",):
        if os.path.exists(junk):
            os.remove(junk)
    out_csv = os.path.join(base, "grades.csv")
    rc, out, err = run([sys.executable,
                        os.path.join(ROOT, "scripts", "exercises.py"),
                        "grade", "--submissions", subs, "--csv", out_csv,
                        "--ccache-dir", ccache_dir(bin_dir),
                        "--timeout", "5", "--feedback", base])
    print(out)
    print(err)
    with open(os.path.join(base, "mallory.txt")) as f:
        print(f.read())
    expect(rc == 0, "bulk grading completes (exit %d)" % rc)
    with open(out_csv) as f:
        rows = {r["student"]: r for r in csv.DictReader(f)}
    pts = points(ROOT)
    expect(set(rows) == {"alice", "bob", "mallory"},
           "one CSV line per student")
    expect(int(rows["alice"]["score"]) == 0, "alice's fresh pack scores 0")
    expect(int(rows["bob"]["score"]) == pts["ch02.3.softmax"] and
           int(rows["bob"]["ch02.3.softmax"]) == pts["ch02.3.softmax"],
           "bob scores exactly the exercise he solved")
    hostile_points = sum(pts[i] for i in hostile)
    expect(all(int(rows["mallory"][i]) == 0 for i in hostile),
           "mallory's hostile exercises fail")
    expect(int(rows["mallory"]["score"]) == TOTAL - hostile_points,
           "mallory's other exercises still pass (%s of %d)" %
           (rows["mallory"]["score"], TOTAL - hostile_points))
    expect(os.path.isfile(canary), "the instructor's file survives")
    expect(os.path.isfile(os.path.join(alice, "notes.txt")),
           "the other submission's files survive")
    expect(not os.path.exists(outside) and
           not os.path.exists("/var/tmp/ffnn-outside"),
           "nothing is written outside the submission's tree")
    expect(nobody_processes() == 0,
           "no process of the sandbox's user outlives the grading")
    expect(os.path.isfile(os.path.join(ROOT, "scripts", "exercises.py")),
           "the instructor's tree is intact")


TESTS = {"catalogue": test_catalogue, "full": test_full,
         "fresh": test_fresh, "one": test_one, "wrong": test_wrong,
         "bulk": test_bulk}


def main(argv):
    if len(argv) != 2 or argv[0] not in TESTS:
        print("usage: test_exercises.py {%s} BIN" % "|".join(TESTS),
              file=sys.stderr)
        return 2
    try:
        TESTS[argv[0]](os.path.abspath(argv[1]))
    except Failure as e:
        print("FAILED", e)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
