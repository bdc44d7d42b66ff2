#!/usr/bin/env bash
# Runs the libFuzzer targets of a fuzz build, each for a bounded time, from
# its seed corpus (fuzz/corpus/NAME/, read only: new inputs go to a
# temporary folder). Exits non-zero if a target finds a crash, a leak, a
# broken round trip or a timeout; the input is then kept in ARTIFACTS.
#
#   fuzz/run.sh BUILD_DIR SECONDS_PER_TARGET [TARGET...]
#
# Without TARGETs, every BUILD_DIR/fuzz/*_fuzz. Prints one line per target:
# its name, executions, and executions per second. FUZZ_ARTIFACTS names the
# folder for crash inputs (default: a temporary folder, removed when clean).
set -euo pipefail
cd "$(dirname "$0")/.."
build=$1
seconds=$2
shift 2
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for bin in "$build"/fuzz/*_fuzz; do
    [ -x "$bin" ] && targets+=("$(basename "$bin")")
  done
fi
[ ${#targets[@]} -gt 0 ] || { echo "no fuzz targets in $build/fuzz" >&2; exit 1; }

work=$(mktemp -d)
artifacts=${FUZZ_ARTIFACTS:-$work/artifacts}
mkdir -p "$artifacts"
trap 'rm -rf "$work/corpus" "$work/log"' EXIT
failed=0
for target in "${targets[@]}"; do
  seeds=fuzz/corpus/${target%_fuzz}
  mkdir -p "$work/corpus/$target" "$work/log"
  log=$work/log/$target.txt
  rc=0
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$build/fuzz/$target" -max_total_time="$seconds" -timeout=10 \
      -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1 \
      -artifact_prefix="$artifacts/$target-" \
      "$work/corpus/$target" $([ -d "$seeds" ] && echo "$seeds") \
      > "$log" 2>&1 || rc=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  secs=$(sed -n 's/^stat::.*total_time.*: *//p' "$log" | tail -1)
  printf '%-24s %12s executions in %ss, exit %d\n' "$target" "${runs:-?}" \
    "$seconds" "$rc"
  if [ "$rc" -ne 0 ]; then
    failed=1
    tail -40 "$log" >&2
  fi
done
if [ "$failed" -ne 0 ]; then
  echo "fuzzing found a problem; inputs in $artifacts" >&2
  exit 1
fi
[ -n "${FUZZ_ARTIFACTS:-}" ] || rm -rf "$work"
