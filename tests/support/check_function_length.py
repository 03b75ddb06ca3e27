#!/usr/bin/env python3
"""Functions a reader can follow: none longer than 80 lines unless a comment
right above it says why ("// Long: ..."), and no tool's main longer than 60.

Scans the C++ sources outside tests/ (chapters/, kernels/, reference/,
figures/, tools/, bench/) for function bodies at namespace or class scope
(lambdas count toward the function that holds them) and prints one line
per offender; exit 1 if there is one.

usage: check_function_length.py SOURCE_DIR [--list N]   (--list: print every
                                                          function over N)
       check_function_length.py --self-test
"""
import os
import re
import sys

from planted import run_planted

MAX_LINES, MAX_MAIN = 80, 60
DIRS = ("chapters", "kernels", "reference", "figures", "tools", "bench")
WHY = re.compile(r"//\s*Long:")
NOT_FUNCTION = re.compile(r"^\s*(namespace|struct|class|enum|union|extern)\b|"
                          r"=\s*\{?\s*$|^\s*(if|for|while|switch|do|else)\b")


def strip(line, state):
    """The line's code without comments, strings and character literals;
    state holds whether a block comment is open."""
    out, i = [], 0
    while i < len(line):
        if state["comment"]:
            end = line.find("*/", i)
            if end < 0:
                return "".join(out)
            i, state["comment"] = end + 2, False
        elif line.startswith("//", i):
            break
        elif line.startswith("/*", i):
            state["comment"], i = True, i + 2
        elif line[i] in "\"'":
            q, i = line[i], i + 1
            while i < len(line) and line[i] != q:
                i += 2 if line[i] == "\\" else 1
            i += 1
        else:
            out.append(line[i])
            i += 1
    return "".join(out)


def functions(path):
    """(name line, first line, last line, header text) of each function."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    state = {"comment": False}
    scopes = []  # for each open brace: "scope" (namespace/class) or "body"
    found, pending, start = [], "", None
    in_body_since = None
    for n, raw in enumerate(lines, 1):
        code = strip(raw, state)
        if code.lstrip().startswith("#"):
            continue
        for c in code:
            if c == "{":
                if in_body_since is None:
                    header = pending.strip()
                    if "(" in header and not NOT_FUNCTION.search(header):
                        in_body_since = (start or n, len(scopes), header)
                        scopes.append("body")
                    else:
                        scopes.append("scope")
                else:
                    scopes.append("inner")
                pending, start = "", None
            elif c == "}":
                kind = scopes.pop() if scopes else "scope"
                if kind == "body" and in_body_since is not None \
                        and len(scopes) == in_body_since[1]:
                    found.append((in_body_since[0], n, in_body_since[2]))
                    in_body_since = None
                pending, start = "", None
            elif c == ";" and in_body_since is None:
                pending, start = "", None
            elif in_body_since is None:
                if not pending.strip() and not c.isspace():
                    start = n
                pending += c
        if in_body_since is None:
            pending += " "
    return lines, found


def check(root, list_over=None):
    defects = []
    for top in DIRS:
        for d, _, files in os.walk(os.path.join(root, top)):
            for f in sorted(files):
                if not f.endswith((".cc", ".h", ".cpp")):
                    continue
                path = os.path.join(d, f)
                rel = os.path.relpath(path, root)
                lines, found = functions(path)
                for first, last, header in found:
                    length = last - first + 1
                    name = re.sub(r"\s+", " ", header)[:70]
                    if list_over is not None and length > list_over:
                        print("%4d %s:%d %s" % (length, rel, first, name))
                    is_main = re.search(r"\bint main\s*\(", header)
                    limit = MAX_MAIN if is_main else MAX_LINES
                    if length <= limit:
                        continue
                    above = "\n".join(lines[max(0, first - 12):first - 1])
                    if not is_main and WHY.search(above):
                        continue
                    defects.append("%s:%d: %s is %d lines (at most %d%s)" % (
                        rel, first, "main" if is_main else name, length, limit,
                        "" if is_main else ", or a '// Long:' comment above "
                        "it saying why"))
    return defects


def self_test():
    body = "int F(int x) {\n" + "  x += 1;\n" * 85 + "  return x;\n}\n"
    cases = [
        ("long", body, "is 88 lines"),
        ("long with why", "// Long: one table.\n" + body, None),
        ("short", "int G() {\n  return 1;\n}\n", None),
        ("long main", "int main(int argc, char** argv) {\n" +
         "  argc += 1;\n" * 61 + "  return 0;\n}\n", "main is 64 lines"),
        ("long lambda inside a short function",
         "namespace a {\nvoid H() {\n  auto f = [] {\n" + "    int y = 1;\n" * 90
         + "  };\n}\n}  // namespace a\n", "is 94 lines"),
        ("struct with methods", "struct S {\n  int F() const {\n"
         "    return 1;\n  }\n" + "  int x;\n" * 90 + "};\n", None),
    ]
    return run_planted([(label, {"chapters/a.cc": source}, expected)
                        for label, source, expected in cases], check)


def main():
    args = sys.argv[1:]
    if args == ["--self-test"]:
        return self_test()
    if not args:
        print("usage: check_function_length.py SOURCE_DIR [--list N]",
              file=sys.stderr)
        return 2
    list_over = int(args[2]) if len(args) == 3 and args[1] == "--list" \
        else None
    defects = check(args[0], list_over)
    for d in defects:
        print(d)
    print("%d functions over the limits" % len(defects))
    return 1 if defects else 0


if __name__ == "__main__":
    sys.exit(main())
