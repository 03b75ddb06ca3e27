#!/usr/bin/env bash
# The whole test suite, on a fresh Debian 12 machine: install what is
# missing, build (Release, with tests), and run every CTest test; then build
# the asan preset (AddressSanitizer + UndefinedBehaviorSanitizer) and run the
# suite again there; then a short fuzz run of every fuzz target (the fuzz
# preset, clang + libFuzzer + the same sanitizers).
# The sanitized run leaves out docs.build, which would train chapter 4's
# book model under ASan (it runs in the Release suite), and the atomic-write
# kill tests (label atomic), which test the file system's renames, not
# memory, and would rerun training a hundred times under ASan, and the
# book's browser test (label book), which tests the book, not the code,
# and the regression test (label regression), which compares the outputs
# of the book's trained models that only the Release suite's docs.build
# trains.
source "$(dirname "$0")/common.sh"
ffnn_build default
ctest --preset default -j "$(nproc)"
ffnn_build asan
ctest --preset asan -j "$(nproc)" -E '^docs\.build$' -LE '^(atomic|book|regression|packs)$'
bash "$FFNN_ROOT/scripts/fuzz.sh" --seconds "${FFNN_FUZZ_SECONDS:-15}"
