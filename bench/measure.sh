# Sourced by the bench scripts (import_bench.sh, postgres_bench.sh). RUNS,
# a variable of the caller, says how many runs.
# measure SETUP COMMAND...: runs SETUP (a shell snippet, untimed), then
# COMMAND, RUNS times; prints the median wall and user+sys seconds.
measure() {
  local setup=$1
  shift
  local walls=() cpus=() times
  TIMEFORMAT='%R %U %S'
  for _ in $(seq "$RUNS"); do
    eval "$setup"
    times=$( { time "$@" > /dev/null 2>&1; } 2>&1 )
    walls+=("$(echo "$times" | awk '{ print $1 }')")
    cpus+=("$(echo "$times" | awk '{ print $2 + $3 }')")
  done
  local mid=$(( (RUNS + 1) / 2 ))
  printf '%8.3f s  %8.3f s' \
    "$(printf '%s\n' "${walls[@]}" | sort -n | sed -n "${mid}p")" \
    "$(printf '%s\n' "${cpus[@]}" | sort -n | sed -n "${mid}p")"
}
