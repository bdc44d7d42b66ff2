#!/usr/bin/env bash
# The whole test suite: a warnings-as-errors build, then an AddressSanitizer +
# UndefinedBehaviorSanitizer build, each running every test; then the unit
# tests under ThreadSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."

# Optimised (the warnings that need the optimiser's analysis) but without
# debug information, which costs 40% of the compile time here.
cmake -S . -B build/ci -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" -DSSLBIND_WERROR=ON
cmake --build build/ci -j2
ctest --test-dir build/ci -j2 --output-on-failure

cmake -S . -B build/sanitize -DCMAKE_BUILD_TYPE=Debug -DSSLBIND_WERROR=ON \
  -DSSLBIND_SANITIZE=ON -DSSLBIND_BUILD_BENCH=OFF
cmake --build build/sanitize -j2
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build/sanitize -j2 --output-on-failure

# ThreadSanitizer over the library's unit tests: resolvers read while
# snapshots are published, certificate loaders are shared by threads.
cmake -S . -B build/tsan -DCMAKE_BUILD_TYPE=Debug -DSSLBIND_WERROR=ON \
  -DSSLBIND_TSAN=ON -DSSLBIND_BUILD_BENCH=OFF
cmake --build build/tsan -j2 --target sslbind_unit_tests
TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
  build/tsan/tests/sslbind_unit_tests
