#!/usr/bin/env python3
"""The graded exercises: find them in the code, cut a student pack, grade a
tree or a folder of submissions, write the book's Exercises page.

An exercise is a region of the real code, nbgrader's convention in C++
comments, under a prompt:

    // Exercise 2.3: stable softmax (2 points).
    // Slide: DL4NLP, 2. Neural Networks, slide '...'.
    // Formula: ...
    // Shapes: ...
    // Builds on: nothing.
    // BEGIN SOLUTION ch02.3.softmax
    ...the solution...
    // END SOLUTION

scripts/student_pack.sh and scripts/grade.sh are the front doors; see the
README's "For students" and "For instructors".

    exercises.py pack OUT_DIR
    exercises.py grade [CHAPTER ...] [--results FILE] [--build-dir DIR]
                       [--timeout S] [--submissions DIR --csv FILE]
    exercises.py check                 the catalogue's own consistency
    exercises.py page OUT.md           the book's Exercises page
    exercises.py paste TREE --from SRC [--only ID ...]
                                       copy solution regions between trees
"""
import argparse
import csv
import io
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

TOOL = "grade"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCE_DIRS = ("chapters", "kernels")
BEGIN = re.compile(r"^(\s*)// BEGIN SOLUTION (\S+)\s*$")
END = re.compile(r"^\s*// END SOLUTION\s*$")
HEAD = re.compile(r"^\s*// Exercise (\S+): (.+) \((\d+) points?\)\.$")
FIELD = re.compile(r"^\s*// (Slide|Formula|Shapes|Builds on): ?(.*)$")
ID = re.compile(r"^(ch0[1-5]|kernels)\.(\d)\.[a-z_]+$")
# Exit statuses of ffnn-grade ID (tests/exercises/grade_exercises.cc).
PASSED, FAILED, NOT_DONE, BLOCKED = 0, 1, 10, 11
MARKER = ".student-pack"
# Files of the instructor's tree that never go into a pack: the planted
# wrong answers of the exercise tests are close to the solutions.
PACK_EXCLUDES = ("tests/exercises/planted/",)


class Refused(Exception):
    """Bad input or usage: one line on stderr, exit 2."""


# ---- Finding the exercises --------------------------------------------


class Exercise:
    def __init__(self, path, begin, end, indent, ex_id):
        self.path, self.begin, self.end = path, begin, end  # lines, from 0
        self.indent, self.id = indent, ex_id
        self.number = self.title = None
        self.points = 0
        self.fields = {}
        self.prompt_start = begin

    @property
    def chapter(self):
        return self.id.split(".")[0]

    def not_done(self):
        return "exercise %s (%s) is not done yet" % (self.number, self.title)

    def stub(self):
        i = self.indent
        return [
            i + "// Your solution replaces the next statement.",
            i + "throw ffnn::ExerciseNotDone(",
            i + '    "%s",' % self.id,
            i + '    "%s");' % self.not_done(),
        ]


def source_files(root):
    for top in SOURCE_DIRS:
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
            dirnames.sort()
            for name in sorted(filenames):
                if name.endswith((".cc", ".h")):
                    yield os.path.join(dirpath, name)


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return f.read().split("\n")


def parse_prompt(ex, lines, defects):
    """The comment block above BEGIN, from its "// Exercise" line."""
    i = ex.begin - 1
    while i >= 0 and lines[i].strip().startswith("//") and \
            not HEAD.match(lines[i]):
        i -= 1
    m = HEAD.match(lines[i]) if i >= 0 else None
    where = "%s:%d" % (ex.path, ex.begin + 1)
    if not m:
        defects.append("%s: %s has no '// Exercise N: title (P points).' "
                       "line above it" % (where, ex.id))
        return
    ex.prompt_start = i
    ex.number, ex.title, ex.points = m.group(1), m.group(2), int(m.group(3))
    field = None
    for line in lines[i + 1:ex.begin]:
        f = FIELD.match(line)
        if f:
            field = f.group(1)
            ex.fields[field] = f.group(2).strip()
        elif field and line.strip().startswith("//   "):
            ex.fields[field] += " " + line.strip()[2:].strip()
    for name in ("Slide", "Formula", "Shapes", "Builds on"):
        if not ex.fields.get(name):
            defects.append("%s: %s's prompt has no '%s:' line" %
                           (where, ex.id, name))


def find_exercises(root, defects=None):
    """Every exercise of the tree at root, in id order."""
    defects = [] if defects is None else defects
    found = []
    for path in source_files(root):
        lines = read_lines(path)
        rel = os.path.relpath(path, root)
        open_ex = None
        for n, line in enumerate(lines):
            m = BEGIN.match(line)
            if m:
                if open_ex:
                    defects.append("%s:%d: BEGIN SOLUTION inside %s" %
                                   (rel, n + 1, open_ex.id))
                open_ex = Exercise(rel, n, None, m.group(1), m.group(2))
            elif END.match(line):
                if not open_ex:
                    defects.append("%s:%d: END SOLUTION without BEGIN" %
                                   (rel, n + 1))
                    continue
                open_ex.end = n
                parse_prompt(open_ex, lines, defects)
                found.append(open_ex)
                open_ex = None
        if open_ex:
            defects.append("%s:%d: %s is never closed by END SOLUTION" %
                           (rel, open_ex.begin + 1, open_ex.id))
    found.sort(key=lambda e: e.id)
    return found


def check_catalogue(exercises):
    """What the issue promises of the set: ids that sort in teaching order
    and agree with their numbers, earlier dependencies only, at least 4 per
    chapter and 20 in all, one kernel exercise."""
    defects = []
    seen = {}
    numbers = {}
    for ex in exercises:
        m = ID.match(ex.id)
        if not m:
            defects.append("%s: id '%s' is not chNN.K.name or kernels.K.name"
                           % (ex.path, ex.id))
            continue
        if ex.id in seen:
            defects.append("%s: id %s is used twice" % (ex.path, ex.id))
        seen[ex.id] = ex
        want = ("K" if m.group(1) == "kernels" else str(int(m.group(1)[2:]))) \
            + "." + m.group(2)
        if ex.number != want:
            defects.append("%s: %s is numbered %s, its id says %s" %
                           (ex.path, ex.id, ex.number, want))
        numbers[ex.number] = ex
    order = [e.number for e in exercises]
    for ex in exercises:
        deps = re.findall(r"\b([1-5K]\.\d)\b", ex.fields.get("Builds on", ""))
        for d in deps:
            if d not in numbers:
                defects.append("%s builds on %s, which is no exercise" %
                               (ex.id, d))
            elif order.index(d) >= order.index(ex.number):
                defects.append("%s builds on %s, which comes later" %
                               (ex.id, d))
    per_chapter = {}
    for ex in exercises:
        per_chapter[ex.chapter] = per_chapter.get(ex.chapter, 0) + 1
    for ch in ("ch01", "ch02", "ch03", "ch04", "ch05"):
        if per_chapter.get(ch, 0) < 4:
            defects.append("%s has %d exercises; at least 4 are promised" %
                           (ch, per_chapter.get(ch, 0)))
    if per_chapter.get("kernels", 0) < 1:
        defects.append("no kernel exercise")
    if len(exercises) < 20:
        defects.append("%d exercises; at least 20 are promised" %
                       len(exercises))
    return defects


def exercises_or_refuse(root):
    defects = []
    found = find_exercises(root, defects)
    if defects:
        raise Refused(defects[0])
    return found


# ---- The student pack -------------------------------------------------


def tree_files(root):
    """The tree's files: git's tracked files where there is a git checkout
    (no build output), else every file outside build/ and .git/."""
    if os.path.isdir(os.path.join(root, ".git")):
        out = subprocess.run(["git", "-C", root, "ls-files", "-z"],
                             capture_output=True, check=True).stdout
        files = [f for f in out.decode().split("\0") if f]
        return [f for f in files if os.path.lexists(os.path.join(root, f))]
    files = []
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = os.path.relpath(dirpath, root)
        if rel_dir == ".":
            dirnames[:] = [d for d in dirnames if d not in (".git", "build")]
        files += [os.path.normpath(os.path.join(rel_dir, f))
                  for f in filenames]
    return files


def cut(lines, exercises):
    """The lines with every region's body replaced by its stub."""
    out = list(lines)
    for ex in sorted(exercises, key=lambda e: -e.begin):
        out[ex.begin + 1:ex.end] = ex.stub()
    return out


def solution_lines(lines, ex):
    return [l.strip() for l in lines[ex.begin + 1:ex.end] if l.strip()]


def verify_pack(src, out, exercises):
    """No line of any solution is left: every line of a solution appears in
    the pack exactly as often as the instructor's tree has it outside the
    solutions (so braces and a shared loop header may stay, nothing else),
    in every file of the pack."""
    by_file = {}
    for ex in exercises:
        by_file.setdefault(ex.path, []).append(ex)
    outside = {}   # line -> count outside regions, whole tree
    inside = set()
    files = tree_files(out)
    for rel in files:
        path = os.path.join(src, rel)
        if not os.path.isfile(path):
            continue
        try:
            lines = read_lines(path)
        except UnicodeDecodeError:
            continue
        in_region = [False] * len(lines)
        for ex in by_file.get(rel, []):
            for k in range(ex.begin + 1, ex.end):
                in_region[k] = True
            inside.update(solution_lines(lines, ex))
        for k, l in enumerate(lines):
            if not in_region[k] and l.strip():
                outside[l.strip()] = outside.get(l.strip(), 0) + 1
    found = {}
    for rel in files:
        try:
            lines = read_lines(os.path.join(out, rel))
        except (UnicodeDecodeError, IsADirectoryError):
            continue
        for l in lines:
            s = l.strip()
            if s in inside:
                found[s] = found.get(s, 0) + 1
    leaks = [s for s, n in found.items() if n > outside.get(s, 0)]
    if leaks:
        raise Refused("the pack still holds a line of a solution: '%s'" %
                      leaks[0])
    for ex in exercises:  # each region holds its stub and nothing else
        lines = read_lines(os.path.join(out, ex.path))
        begin = [k for k, l in enumerate(lines)
                 if BEGIN.match(l) and BEGIN.match(l).group(2) == ex.id]
        if len(begin) != 1 or \
                lines[begin[0] + 1:begin[0] + 1 + len(ex.stub())] != \
                ex.stub() or not END.match(lines[begin[0] + 1 +
                                                 len(ex.stub())]):
            raise Refused("%s: the pack's region %s is not its stub" %
                          (ex.path, ex.id))


def refuse_output(out):
    if os.path.lexists(out):
        raise Refused("%s already exists; the pack goes into a new folder"
                      % out)
    parent = os.path.dirname(os.path.abspath(out)) or "."
    if not os.path.isdir(parent):
        raise Refused("%s: no such folder" % parent)
    real = os.path.realpath(parent)
    if real == ROOT or real.startswith(ROOT + os.sep) and not \
            real.startswith(os.path.join(ROOT, "build") + os.sep):
        raise Refused("%s is inside the instructor's tree; put the pack "
                      "elsewhere (or under build/)" % out)


def make_pack(src, out):
    """A copy of the tree at src with every solution cut, written into a
    temporary folder beside out and renamed: all of it or nothing."""
    refuse_output(out)
    exercises = exercises_or_refuse(src)
    by_file = {}
    for ex in exercises:
        by_file.setdefault(ex.path, []).append(ex)
    parent = os.path.dirname(os.path.abspath(out))
    tmp = tempfile.mkdtemp(prefix=".pack-", dir=parent)
    try:
        for rel in tree_files(src):
            if rel.startswith(PACK_EXCLUDES):
                continue
            s, d = os.path.join(src, rel), os.path.join(tmp, rel)
            os.makedirs(os.path.dirname(d), exist_ok=True)
            if rel in by_file:
                with open(d, "w", encoding="utf-8") as f:
                    f.write("\n".join(cut(read_lines(s), by_file[rel])))
                shutil.copymode(s, d)
            else:
                shutil.copy2(s, d, follow_symlinks=False)
        with open(os.path.join(tmp, MARKER), "w", encoding="utf-8") as f:
            f.write("A student pack of the companion's %d exercises: "
                    "scripts/grade.sh grades it.\n" % len(exercises))
        verify_pack(src, tmp, exercises)
        os.rename(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return exercises


# ---- Moving solutions between trees -------------------------------------


def regions(root):
    """{id: the region's lines} of a tree (a submission, the instructor's)."""
    out = {}
    for ex in find_exercises(root):
        out[ex.id] = read_lines(os.path.join(root, ex.path))[ex.begin + 1:
                                                             ex.end]
    return out


def paste(tree, bodies):
    """Replaces the bodies of the regions of `tree` by bodies[id]."""
    exercises = find_exercises(tree)
    by_file = {}
    for ex in exercises:
        if ex.id in bodies:
            by_file.setdefault(ex.path, []).append(ex)
    for rel, exs in by_file.items():
        path = os.path.join(tree, rel)
        lines = read_lines(path)
        for ex in sorted(exs, key=lambda e: -e.begin):
            lines[ex.begin + 1:ex.end] = bodies[ex.id]
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))


# ---- Grading ----------------------------------------------------------


def log(msg):
    print("%s: %s" % (TOOL, msg), file=sys.stderr, flush=True)


def build_grader(tree, build_dir, ccache_dir, jobs, timeout):
    """Configures (once) and builds ffnn-grade; returns None or the first
    compiler error, one line (the whole log is build_dir/grade_build.log)."""
    log("building the grader in %s (minutes the first time, seconds after)"
        % os.path.relpath(build_dir))
    if not os.path.isfile(os.path.join(build_dir, "CMakeCache.txt")):
        cmd = ["cmake", "-S", tree, "-B", build_dir,
               "-DCMAKE_BUILD_TYPE=Release", "-DFFNN_BUILD_TESTS=OFF",
               "-DFFNN_BUILD_BENCH=OFF", "-DFFNN_BUILD_GRADER=ON"]
        if ccache_dir:
            cmd.append("-DFFNN_CCACHE_DIR=" + ccache_dir)
        r = subprocess.run(cmd, capture_output=True, text=True,
                           timeout=timeout)
        if r.returncode != 0:
            return first_error(r.stdout + r.stderr, "cmake failed")
    r = subprocess.run(["cmake", "--build", build_dir, "--target",
                        "ffnn-grade", "-j", str(jobs)],
                       capture_output=True, text=True, timeout=timeout)
    log_path = os.path.join(build_dir, "grade_build.log")
    with open(log_path, "w", encoding="utf-8") as f:
        f.write(r.stdout + r.stderr)
    if r.returncode != 0:
        return first_error(r.stdout + r.stderr, "the build failed") + \
            " (the whole log: %s)" % os.path.relpath(log_path)
    return None


def first_error(text, fallback):
    for line in text.splitlines():
        if "error" in line:
            return line.strip()[:240]
    return fallback


def limit_child(memory_bytes):
    def apply():
        os.setsid()
        if memory_bytes > 0:  # 0: none (AddressSanitizer maps terabytes)
            resource.setrlimit(resource.RLIMIT_AS,
                               (memory_bytes, memory_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    return apply


def read_capped(stream, cap, sink):
    """Keeps the first cap bytes of a pipe and drains the rest, so a check
    that floods its output neither blocks nor fills memory or /tmp."""
    while True:
        chunk = stream.read(65536)
        if not chunk:
            return
        if len(sink[0]) < cap:
            sink[0] += chunk[:cap - len(sink[0])]


def kill_group(pgid):
    """SIGKILL to the process group until it is empty: a fork bomb adds
    members while the first signal is delivered."""
    for _ in range(1000):
        try:
            os.killpg(pgid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            return
        time.sleep(0.01)


def run_one(grader, ex_id, timeout, memory_bytes):
    """(status, message) of one exercise, in its own process group."""
    try:
        p = subprocess.Popen([grader, ex_id], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL,
                             stdin=subprocess.DEVNULL,
                             preexec_fn=limit_child(memory_bytes))
    except OSError as e:  # an earlier check deleted it, or no process left
        return "failed", "could not start the grader (%s)" % e.strerror
    sink = [b""]
    reader = threading.Thread(target=read_capped,
                              args=(p.stdout, 4096, sink), daemon=True)
    reader.start()
    try:
        rc = p.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        rc = None
        kill_group(p.pid)
    p.wait()
    kill_group(p.pid)  # whatever it forked dies with it
    reader.join(timeout=5)
    text = sink[0].decode("utf-8", "replace")
    line = text.split("\n", 1)[0].strip()
    if rc is None:
        return "failed", "timed out after %g s" % timeout
    if rc < 0:
        try:
            name = signal.Signals(-rc).name
        except ValueError:
            name = "signal %d" % -rc
        return "failed", "crashed (%s)" % name
    if rc == PASSED and line == "passed":
        return "passed", ""
    if rc == NOT_DONE:
        return "not done", "not done yet"
    if rc == BLOCKED:
        m = re.match(r"needs an earlier exercise: exercise (\S+) \((.*)\) "
                     r"is not done yet", line)
        if m:
            return "blocked", ("needs exercise %s (%s) first, which is not "
                               "done yet" % (m.group(1), m.group(2)))
        return "blocked", line
    if rc == FAILED and line.startswith("failed: "):
        return "failed", line[len("failed: "):]
    return "failed", "exited with status %d: %s" % (rc, line[:200] or
                                                     "no output")


def is_stub(tree, ex):
    lines = read_lines(os.path.join(tree, ex.path))
    return lines[ex.begin + 1:ex.end] == ex.stub()


def select(exercises, chapters):
    """The exercises of the chapters named (ch02, 2, 02_mlp, kernels) or the
    exercises named (2.3, K.1, ch02.3.softmax); all of them for none."""
    if not chapters:
        return exercises
    want = set()
    for c in chapters:
        m = re.match(r"^(?:ch)?0?([1-5])(?:_\w+)?$", c)
        picked = [e.id for e in exercises if c in (e.number, e.id)]
        if m:
            want.update(e.id for e in exercises
                        if e.chapter == "ch0" + m.group(1))
        elif c in ("kernels", "K", "k"):
            want.update(e.id for e in exercises if e.chapter == "kernels")
        elif picked:
            want.update(picked)
        else:
            raise Refused("'%s' is no chapter (ch01 ... ch05, kernels) and "
                          "no exercise (2.3, ch02.3.softmax)" % c)
    return [e for e in exercises if e.id in want]


def grade_tree(tree, catalogue, build_dir, ccache_dir, timeout, jobs,
               memory_bytes, build_timeout, build=True):
    """[(exercise, status, message)] for the exercises of catalogue."""
    grader = os.path.join(build_dir, "tests", "exercises", "ffnn-grade")
    if build:
        error = build_grader(tree, build_dir, ccache_dir, jobs,
                             build_timeout)
    else:
        error = None if os.path.isfile(grader) else "the build failed"
    if error:
        return [(ex, "failed", "the tree does not build: " + error)
                for ex in catalogue]
    listed = subprocess.run([grader, "--list"], capture_output=True,
                            text=True, timeout=60).stdout.split()
    results = []
    for ex in catalogue:
        if ex.id not in listed:
            results.append((ex, "failed", "the grader has no checks for it"))
            continue
        status, message = run_one(grader, ex.id, timeout, memory_bytes)
        if is_stub(tree, ex) and status in ("blocked", "not done"):
            # Its own stub is still there: that is the news, the earlier
            # exercise it also needs comes second.
            if status == "blocked":
                m = re.match(r"needs exercise (\S+) \((.*)\) first", message)
                message = "not done yet; it also needs %s (%s) first" % (
                    m.group(1), m.group(2)) if m else "not done yet"
            else:
                message = "not done yet"
            status = "not done"
        results.append((ex, status, message))
    return results


def score(results):
    got = sum(ex.points for ex, status, _ in results if status == "passed")
    return got, sum(ex.points for ex, _, _ in results)


def scorecard(results, stream):
    width = max([len(ex.title) for ex, _, _ in results] + [10])
    stream.write("%-5s %-*s %6s  %s\n" % ("", width, "exercise", "points",
                                          "result"))
    for ex, status, message in results:
        pts = "%d/%d" % (ex.points if status == "passed" else 0, ex.points)
        text = "passed" if status == "passed" else message
        stream.write("%-5s %-*s %6s  %s\n" % (ex.number, width, ex.title, pts,
                                              text))
    got, total = score(results)
    stream.write("score: %d/%d\n" % (got, total))


def gradescope(results):
    got, total = score(results)
    return {
        "score": got,
        "max_score": total,
        "output": "%d of %d points" % (got, total),
        "tests": [{
            "name": "%s %s (%s)" % (ex.number, ex.title, ex.id),
            "score": ex.points if status == "passed" else 0,
            "max_score": ex.points,
            "output": "passed" if status == "passed" else message,
        } for ex, status, message in results],
    }


def write_atomically(path, text):
    if os.path.isdir(path):
        raise Refused("%s is a folder" % path)
    d = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=d)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def default_ccache_dir(tree):
    return os.path.join(tree, "build", "ccache")


# ---- Bulk grading: untrusted trees --------------------------------------

SANDBOX_TMP_BYTES = 3 << 30
SANDBOX_PROCESSES = 256


def sandbox_command(src, build, build_writable, ccache_dir, hide, inner):
    """bubblewrap, run as nobody: a read-only view of the machine, its own
    /tmp (a 3 GiB tmpfs), no network, its own PID namespace (everything it
    starts dies with it), the submission's source read-only at /tmp/src,
    its build folder writable only while it is built, the other
    submissions and the instructor's tree hidden, at most
    SANDBOX_PROCESSES processes of nobody's and files of at most 1 GiB."""
    cmd = ["prlimit", "--nproc=%d" % SANDBOX_PROCESSES,
           "--fsize=%d" % (1 << 30), "--core=0",
           "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
           "bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"]
    for h in hide:
        cmd += ["--tmpfs", h]
    cmd += ["--size", str(SANDBOX_TMP_BYTES), "--tmpfs", "/tmp",
            "--ro-bind", src, "/tmp/src",
            "--bind" if build_writable else "--ro-bind", build,
            "/tmp/src/build"]
    if ccache_dir and os.path.isdir(ccache_dir):
        cmd += ["--ro-bind", ccache_dir, "/tmp/ccache"]
    cmd += ["--setenv", "HOME", "/tmp", "--setenv", "CCACHE_READONLY", "1",
            "--setenv", "CCACHE_TEMPDIR", "/tmp/ccache-tmp",
            "--unshare-all", "--die-with-parent", "--new-session",
            "--chdir", "/tmp/src", "--"] + inner
    return cmd


def assemble(submission, work):
    """The tree a submission is graded in: a fresh pack of the instructor's
    tree with the submission's regions pasted in (nothing else of the
    submission is used: not its grader, not its build files), and an empty
    build folder that nobody (the sandbox's user) may write."""
    pack = os.path.join(work, "src")
    make_pack(ROOT, pack)
    theirs = {}
    try:
        theirs = regions(submission)
    except (OSError, UnicodeDecodeError):
        pass
    known = {ex.id for ex in find_exercises(pack)}
    paste(pack, {k: v for k, v in theirs.items() if k in known})
    os.makedirs(os.path.join(pack, "build"), exist_ok=True)
    build = os.path.join(work, "build")
    os.makedirs(build)
    os.chown(build, 65534, 65534)
    for d in (work, pack):
        os.chmod(d, 0o755)
    return pack, build


def grade_submission(submission, work, args):
    """Two sandboxes: the build (its build folder writable), then the
    checks (everything read-only but their own /tmp, so a check that
    deletes what it can reach cannot take the grader with it)."""
    src, build = assemble(submission, work)
    ccache = os.path.abspath(args.ccache_dir or default_ccache_dir(ROOT))
    hide = [os.path.abspath(args.submissions)]
    if not os.path.realpath(ROOT).startswith(("/usr/", "/tmp/")):
        hide.insert(0, ROOT)
    inner = ["python3", "/tmp/src/scripts/exercises.py", "grade",
             "--build-dir", "/tmp/src/build/grade",
             "--ccache-dir", "/tmp/ccache", "--timeout", str(args.timeout),
             "--jobs", str(args.jobs)] + args.chapters
    catalogue = select(exercises_or_refuse(ROOT), args.chapters)
    out = ""
    for phase, writable in (("build", True), ("run", False)):
        cmd = sandbox_command(src, build, writable, ccache, hide,
                              inner + ["--inside", phase])
        try:
            r = subprocess.run(cmd, capture_output=True, text=True,
                               timeout=args.build_timeout + 60 * 5)
            out, err = r.stdout, r.stderr
        except subprocess.TimeoutExpired:
            out, err = "", "timed out"
        if phase == "build":
            try:
                error = json.loads(out)
            except ValueError:
                error = "the sandboxed build failed: " + \
                    (err.strip().splitlines() or ["no output"])[-1]
            if error:
                return [(ex, "failed", "the tree does not build: " + error)
                        for ex in catalogue]
    try:
        inside = {t["id"]: t for t in json.loads(out)}
    except ValueError:
        inside = {}
    results = []
    for ex in catalogue:
        t = inside.get(ex.id)
        if t is None:
            results.append((ex, "failed", "the sandbox reported nothing"))
        else:  # points from the instructor's catalogue, not the tree's
            results.append((ex, t["status"], t["message"]))
    return results


def bulk(args):
    subs = args.submissions
    if not os.path.isdir(subs):
        raise Refused("%s: no such folder of submissions" % subs)
    if not args.csv:
        raise Refused("--submissions needs --csv FILE for the results")
    if args.feedback and not os.path.isdir(args.feedback):
        raise Refused("--feedback %s: no such folder" % args.feedback)
    if os.geteuid() != 0:
        raise Refused("bulk grading runs each submission as the user nobody "
                      "in a sandbox, which needs root: run it as root")
    if not shutil.which("bwrap"):
        raise Refused("bubblewrap (bwrap) is not installed: "
                      "scripts/setup.sh installs it")
    names = sorted(n for n in os.listdir(subs)
                   if os.path.isdir(os.path.join(subs, n)))
    if not names:
        raise Refused("%s holds no submission folders" % subs)
    catalogue = select(exercises_or_refuse(ROOT), args.chapters)
    rows = []
    work_root = tempfile.mkdtemp(prefix="ffnn-grading-")
    os.chmod(work_root, 0o755)
    try:
        for n in names:
            start = time.time()
            log("grading %s (%d of %d)" % (n, len(rows) + 1, len(names)))
            work = os.path.join(work_root, n)
            os.makedirs(work)
            results = grade_submission(os.path.join(subs, n), work, args)
            shutil.rmtree(work, ignore_errors=True)
            got, total = score(results)
            log("%s: %d/%d in %.0f s" % (n, got, total, time.time() - start))
            if args.feedback:  # the student's own scorecard
                card = io.StringIO()
                scorecard(results, card)
                write_atomically(os.path.join(args.feedback, n + ".txt"),
                                 card.getvalue())
            rows.append([n, got, total] + [
                ex.points if status == "passed" else 0
                for ex, status, _ in results])
    finally:
        shutil.rmtree(work_root, ignore_errors=True)
    text = io.StringIO()
    w = csv.writer(text, lineterminator="\n")
    w.writerow(["student", "score", "max_score"] + [e.id for e in catalogue])
    w.writerows(rows)
    write_atomically(args.csv, text.getvalue())
    sys.stdout.write(text.getvalue())
    return 0


def grade(args):
    if args.submissions:
        return bulk(args)
    tree = ROOT
    catalogue = select(exercises_or_refuse(tree), args.chapters)
    build_dir = args.build_dir or os.path.join(tree, "build", "grade")
    ccache = args.ccache_dir if args.ccache_dir is not None else \
        default_ccache_dir(tree)
    ccache = ccache if shutil.which("ccache") else None
    if args.inside == "build":  # bulk grading's first sandbox
        error = build_grader(tree, build_dir, ccache, args.jobs,
                             args.build_timeout)
        print(json.dumps(error))
        return 0
    results = grade_tree(tree, catalogue, build_dir, ccache, args.timeout,
                         args.jobs, args.memory << 20, args.build_timeout,
                         build=args.inside is None)
    if args.inside:  # the second: the checks, as JSON
        json.dump([{"id": ex.id, "status": s, "message": m}
                   for ex, s, m in results], sys.stdout)
        return 0
    scorecard(results, sys.stdout)
    if args.results:
        write_atomically(args.results,
                         json.dumps(gradescope(results), indent=2) + "\n")
    got, total = score(results)
    return 0 if got == total else 1


# ---- The book's page ----------------------------------------------------


def page(out):
    exercises = exercises_or_refuse(ROOT)
    total = sum(e.points for e in exercises)
    lines = [
        "# Exercises {#exercises}",
        "",
        "The %d exercises below are cut from the code this book shows, %d "
        "points in all. A student pack (`scripts/student_pack.sh`) has "
        "each solution replaced by a stub under the same prompt; "
        "`scripts/grade.sh` grades them by behaviour (slide values, finite "
        "differences, truth tables, every Highway target for the kernel) "
        "and says which is next and why it fails. See the README's \"For "
        "students\" and \"For instructors\"." % (len(exercises), total),
        "",
        "| Exercise | Points | Slide | Builds on | Code |",
        "|---|---|---|---|---|",
    ]
    for e in exercises:
        lines.append("| \\ref exercise_%s \"%s %s\" | %d | %s | %s | `%s` |" % (
            e.id.replace(".", "_"), e.number, e.title.replace('"', "'"),
            e.points, e.fields["Slide"].rstrip("."),
            e.fields["Builds on"].rstrip("."), e.path))
    for e in exercises:
        src = read_lines(os.path.join(ROOT, e.path))
        lines += ["", "## %s %s {#exercise_%s}" % (
            e.number, e.title, e.id.replace(".", "_")), "",
            "`%s`, id `%s`, %d point%s." % (e.path, e.id, e.points,
                                             "" if e.points == 1 else "s"),
            "", "```"]
        lines += [l[len(e.indent):] if l.startswith(e.indent) else l
                  for l in src[e.prompt_start:e.end + 1]]
        lines.append("```")
    write_atomically(out, "\n".join(lines) + "\n")
    return 0


# ---- The command line ---------------------------------------------------


class Parser(argparse.ArgumentParser):
    """Usage errors as the project's one line, "<tool>: error: <what>"."""

    def error(self, message):
        raise Refused(message)


def main(argv):
    global TOOL
    TOOL = {"pack": "student_pack", "grade": "grade"}.get(
        argv[0] if argv else "", "exercises")
    p = Parser(prog="exercises.py")
    sub = p.add_subparsers(dest="command", required=True)
    pk = sub.add_parser("pack")
    pk.add_argument("out")
    g = sub.add_parser("grade")
    g.add_argument("chapters", nargs="*")
    g.add_argument("--results")
    g.add_argument("--build-dir")
    g.add_argument("--ccache-dir")
    g.add_argument("--timeout", type=float, default=10)
    g.add_argument("--build-timeout", type=float, default=40 * 60)
    g.add_argument("--memory", type=int, default=2048,
                   help="MiB of address space per check (0: no limit)")
    g.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    g.add_argument("--submissions")
    g.add_argument("--csv")
    g.add_argument("--feedback", help="folder for each student's scorecard")
    g.add_argument("--inside", choices=("build", "run"),
                   help=argparse.SUPPRESS)
    sub.add_parser("check")
    pg = sub.add_parser("page")
    pg.add_argument("out")
    ps = sub.add_parser("paste")
    ps.add_argument("tree")
    ps.add_argument("--from", dest="source", required=True)
    ps.add_argument("--only", nargs="*")
    try:
        args = p.parse_args(argv)
    except SystemExit as e:  # --help
        return 2 if e.code else 0
    except Refused as e:
        print("%s: error: %s" % (TOOL, e), file=sys.stderr)
        return 2
    try:
        if args.command == "pack":
            exercises = make_pack(ROOT, args.out)
            print("%s: %d exercises cut into %s (no solution line left)" %
                  (TOOL, len(exercises), args.out))
            return 0
        if args.command == "grade":
            if not (args.timeout > 0 and args.timeout < 3600):
                raise Refused("--timeout: '%s' is not a number of seconds "
                              "in (0, 3600)" % args.timeout)
            if args.results and args.chapters:
                raise Refused("--results grades every exercise (a "
                              "Gradescope score out of all points): leave "
                              "out the chapters")
            for path in (args.results, args.csv):
                if path and (os.path.isdir(path) or not os.path.isdir(
                        os.path.dirname(os.path.abspath(path)))):
                    raise Refused("%s: not a file in an existing folder" %
                                  path)
            return grade(args)
        if args.command == "check":
            defects = []
            exercises = find_exercises(ROOT, defects)
            defects += check_catalogue(exercises)
            for d in defects:
                print(d)
            print("%d exercises, %d points, %d defects" % (
                len(exercises), sum(e.points for e in exercises),
                len(defects)))
            return 1 if defects else 0
        if args.command == "page":
            return page(args.out)
        if args.command == "paste":
            bodies = regions(args.source)
            if args.only is not None:
                missing = [i for i in args.only if i not in bodies]
                if missing:
                    raise Refused("no exercise %s in %s" % (missing[0],
                                                            args.source))
                bodies = {k: bodies[k] for k in args.only}
            paste(args.tree, bodies)
            return 0
    except Refused as e:
        print("%s: error: %s" % (TOOL, e), file=sys.stderr)
        return 2
    except OSError as e:
        print("%s: error: %s: %s" % (TOOL, e.filename or "a file",
                                     e.strerror), file=sys.stderr)
        return 2
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
