#!/usr/bin/env python3
"""The project's layout, as the developers' guide states it:

- reference/ stands alone: no source under chapters/, kernels/, figures/ or
  tools/ includes a reference/ header (the twin is the tests' and the
  benchmarks' oracle, not a dependency of the code it checks), and no
  chapter library links ffnn::reference;
- every chapter directory has its topic library, worked_chNN.{h,cc} (the
  report) and a target chNN_<name>.cc whose main only calls RunChapterMain
  (at most 15 lines).

usage: check_layout.py SOURCE_DIR | --self-test
"""
import os
import re
import sys

from planted import run_planted

PRODUCTION = ("chapters", "kernels", "figures", "tools")
INCLUDE = re.compile(r'^\s*#\s*include\s+"reference/')
MAIN_LINES = 15


def check(root):
    defects = []
    for top in PRODUCTION:
        for d, _, files in os.walk(os.path.join(root, top)):
            for f in sorted(files):
                path = os.path.join(d, f)
                rel = os.path.relpath(path, root)
                if f.endswith((".h", ".cc")):
                    with open(path, encoding="utf-8") as src:
                        for n, line in enumerate(src, 1):
                            if INCLUDE.match(line):
                                defects.append(
                                    "%s:%d: production code includes %s" %
                                    (rel, n, line.split('"')[1]))
                elif f == "CMakeLists.txt":
                    with open(path, encoding="utf-8") as src:
                        text = src.read()
                    if "ffnn::reference" in text:
                        defects.append("%s: links ffnn::reference" % rel)
    chapters = os.path.join(root, "chapters")
    for c in sorted(os.listdir(chapters)):
        m = re.match(r"^(\d\d)_\w+$", c)
        if not m:
            continue
        d, nn = os.path.join(chapters, c), m.group(1)
        for f in ("worked_ch%s.h" % nn, "worked_ch%s.cc" % nn):
            if not os.path.isfile(os.path.join(d, f)):
                defects.append("chapters/%s: no %s (the report)" % (c, f))
        target = "ch%s_%s.cc" % (nn, c[3:])
        path = os.path.join(d, target)
        if not os.path.isfile(path):
            defects.append("chapters/%s: no %s (the target's main)" %
                           (c, target))
            continue
        with open(path, encoding="utf-8") as f:
            text = f.read()
        main = text[text.find("int main("):]
        lines = main.count("\n")
        if "int main(" not in text or "RunChapterMain" not in main or \
                lines > MAIN_LINES:
            defects.append("chapters/%s/%s: main must only call "
                           "RunChapterMain (%d lines)" % (c, target, lines))
        topic = [f for f in os.listdir(d) if f.endswith(".cc") and
                 not f.startswith(("worked_", "ch%s_" % nn)) and
                 not f.endswith("_main.cc")]
        if not topic:
            defects.append("chapters/%s: no topic library" % c)
    return defects


def self_test():
    good_main = ("#include \"chapters/01_x/worked_ch01.h\"\n"
                 "int main(int argc, char** argv) {\n"
                 "  return RunChapterMain(argc, argv, \"\", BuildReport);\n}\n")
    files = {"chapters/01_x/x.cc": "int X() { return 1; }\n",
             "chapters/01_x/worked_ch01.h": "", "chapters/01_x/worked_ch01.cc":
             "", "chapters/01_x/ch01_x.cc": good_main,
             "chapters/01_x/CMakeLists.txt": "add_library(ffnn_ch01 x.cc)\n"}
    cases = [
        ("clean", {}, None),
        ("includes the twin", {"chapters/01_x/x.cc":
                               '#include "reference/mlp.h"\n'},
         "includes reference/mlp.h"),
        ("links the twin", {"chapters/01_x/CMakeLists.txt":
                            "target_link_libraries(a PUBLIC ffnn::reference)\n"},
         "links ffnn::reference"),
        ("examples in main", {"chapters/01_x/ch01_x.cc": good_main.replace(
            "  return", "  int a = 1;\n" * 20 + "  return")},
         "main must only call"),
        ("no report", {"chapters/01_x/worked_ch01.cc": None},
         "no worked_ch01.cc"),
    ]
    return run_planted(
        [(label, {k: v for k, v in {**files, **change}.items()
                  if v is not None}, expected)
         for label, change, expected in cases], check)


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    if len(sys.argv) != 2:
        print("usage: check_layout.py SOURCE_DIR | --self-test",
              file=sys.stderr)
        return 2
    defects = check(sys.argv[1])
    for d in defects:
        print(d)
    print("%d layout defects" % len(defects))
    return 1 if defects else 0


if __name__ == "__main__":
    sys.exit(main())
