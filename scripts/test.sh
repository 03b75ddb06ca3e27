#!/usr/bin/env bash
# The whole test suite, on a fresh Debian 12 machine: install what is
# missing, build (Release, with tests), and run every CTest test.
source "$(dirname "$0")/common.sh"
ffnn_build default
ctest --preset default -j "$(nproc)"
