#!/usr/bin/env bash
# The whole test suite: a warnings-as-errors build, then an AddressSanitizer +
# UndefinedBehaviorSanitizer build, each running every test; the unit tests
# under ThreadSanitizer; then every fuzz target for a short bounded time.
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

# The libFuzzer targets (clang, ASan + UBSan), each from its seed corpus for
# FUZZ_SECONDS (30 s; less each when there are more than 9 targets, so that
# fuzzing takes at most about 4.5 minutes). docs/hardening.md, "Fuzzing".
cmake -S . -B build/fuzz -DCMAKE_CXX_COMPILER=clang++ -DSSLBIND_FUZZ=ON \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" \
  -DSSLBIND_BUILD_TESTS=OFF -DSSLBIND_BUILD_BENCH=OFF -DSSLBIND_INSTALL=OFF
cmake --build build/fuzz -j2 --target sslbind_fuzzers
fuzz_targets=$(find build/fuzz/fuzz -maxdepth 1 -name '*_fuzz' -type f | wc -l)
fuzz_seconds=${FUZZ_SECONDS:-$((fuzz_targets > 9 ? 270 / fuzz_targets : 30))}
fuzz/run.sh build/fuzz "$fuzz_seconds"
