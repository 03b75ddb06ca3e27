"""The self-test of the source checks (tests/book/check_fragments.py,
tests/support/check_function_length.py, tests/support/check_layout.py):
each case is a tiny source tree with one planted defect, and the check
must name it; a clean tree must pass."""
import os
import tempfile


def run_planted(cases, check):
    """cases: (label, {relative path: text}, expected) with expected a
    substring of the defect the check must report, or None for a tree that
    must pass; check(root) returns the list of defects. Prints one line per
    case and returns the exit status (1 if a case failed)."""
    failures = 0
    for label, files, expected in cases:
        with tempfile.TemporaryDirectory() as root:
            for rel, text in files.items():
                path = os.path.join(root, rel)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text)
            defects = check(root)
        ok = (not defects) if expected is None else \
            any(expected in d for d in defects)
        print("%s %s: %s" % ("ok" if ok else "FAILED", label,
                             "; ".join(defects) or "no defect"))
        failures += not ok
    return 1 if failures else 0
