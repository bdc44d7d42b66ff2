#!/usr/bin/env bash
# The journal's cost on `import` and `apply` of N bindings: the builds
# given, interleaved step by step (so that a change of load hits them
# alike), each step the median of RUNS runs from a fresh store.
#
#   bench/journal_overhead.sh N RUNS BUILD_DIR...
#
# Give this build, the build to compare with (e.g. the commit before a
# change) and a build without the journal (the commit before schema 003,
# 63d0101), all Release builds; bindings come from the first one's
# sslbind_make_bindings. Prints per step and build the median wall and
# user+sys CPU seconds (bench/measure.sh); put the stores on a quiet disk
# with TMPDIR (e.g. /dev/shm).
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
N=$1
RUNS=$2
shift 2
BUILDS=()
for b in "$@"; do BUILDS+=("$(cd "$b" && pwd)"); done
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
"${BUILDS[0]}/bench/sslbind_make_bindings" "$N" json > bindings.json
source "$BENCH_DIR/measure.sh"
echo "$N bindings; median of $RUNS runs; load average before:" \
  "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-8s %-40s %10s  %10s\n' step build wall cpu
for step in import apply; do
  for build in "${BUILDS[@]}"; do
    if [ "$step" = import ]; then
      out=$(measure 'rm -f s.db*' "$build/cli/sslbind" --store s.db import \
        bindings.json)
    else
      out=$(measure 'rm -f s.db*' "$build/cli/sslbind" --store s.db apply \
        --no-verify bindings.json)
    fi
    printf '%-8s %-40s %s\n' "$step" "$build" "$out"
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
