#!/usr/bin/env bash
# Cache misses per lookup, simulated: this machine's VM exposes no hardware
# counters (`perf stat -e cache-misses` says "not supported"), so callgrind
# (valgrind's; `apt-get install valgrind`) simulates the caches instead
# while resolve_bench's BM_CacheSimulation runs, counting only inside its
# *Counted<1>* functions: 2^18 lookups on 1M bindings, of the mix of
# BM_Resolve and then of its exact names alone, each
#   - by Snapshot::Resolve,
#   - by the bare std::unordered_map of the names (BM_MapBaseline's),
#   - and the loop alone, reading each query's address and name: what the
#     two lookups' rows are given with and without,
# after as many other lookups uncounted, so that the caches are warm.
# Prints, per lookup: instructions, L1 data read misses and last-level
# data read misses. The simulated caches are this machine's, as lscpu
# gives them: L1d 48 KiB 12-way, L3 32 MiB 16-way, 64-byte lines
# (callgrind simulates a first and a last level: a last-level miss is a
# trip to memory). The simulator has no prefetcher, so the loop's walk
# through the queries, sequential, misses too: it is counted apart.
#
#   bench/cache_misses.sh BUILD_DIR
#
# BUILD_DIR is a Release build. About two minutes.
set -euo pipefail
BUILD=$1
command -v valgrind > /dev/null ||
  { echo "valgrind is needed: apt-get install valgrind" >&2; exit 1; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
lookups=$((1 << 18))

# simulate ARG: one run of BM_CacheSimulation/ARG; prints each counted
# function's inclusive Ir, D1mr and DLmr (per lookup), a line each.
simulate() {
  valgrind --tool=callgrind --cache-sim=yes --callgrind-out-file="$out" \
    --D1=49152,12,64 --LL=33554432,16,64 \
    --collect-atstart=no --toggle-collect='*Counted<1>*' \
    "$BUILD/bench/resolve_bench" --benchmark_filter="BM_CacheSimulation/$1/" \
    > /dev/null 2>&1
  # Columns: Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw, each followed by its
  # share in parentheses ("." for none).
  callgrind_annotate --inclusive=yes "$out" 2> /dev/null |
    awk -v n="$lookups" '
      /(Loop|Resolve|Map)Counted<1>/ {
        line = $0
        gsub(/\([^)]*\)/, "", line)
        gsub(",", "", line)
        split(line, f, " +")
        i = 0
        for (k = 1; k in f; k++) if (f[k] != "") v[++i] = (f[k] == "." ? 0 : f[k])
        kind = line ~ /LoopCounted/ ? "loop" : line ~ /ResolveCounted/ ? "resolve" : "map"
        printf "%s %.1f %.3f %.3f\n", kind, v[1] / n, v[5] / n, v[8] / n
      }'
}

printf '%-44s %12s %10s %10s\n' "per lookup, 1M bindings" instructions "L1d miss" "LL miss"
for arg in 0 1; do
  set_name=$([ "$arg" = 0 ] && echo "the mix" || echo "exact names")
  simulate "$arg" | awk -v set="$set_name" '
    { ir[$1] = $2; d1[$1] = $3; ll[$1] = $4 }
    END {
      row("loop alone (" set ")", "loop", 0)
      row("Snapshot::Resolve", "resolve", 0)
      row("  without the loop", "resolve", 1)
      row("bare unordered_map", "map", 0)
      row("  without the loop", "map", 1)
    }
    function row(label, k, net) {
      printf "%-44s %12.1f %10.3f %10.3f\n", label,
        ir[k] - net * ir["loop"], d1[k] - net * d1["loop"], ll[k] - net * ll["loop"]
    }'
done
