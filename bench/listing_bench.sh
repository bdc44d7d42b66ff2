#!/usr/bin/env bash
# Whole-store commands on a store of N bindings: `check`, `show sslcert`,
# `--json show sslcert`, `export` in each format, and `import` of the
# store's JSON document; wall time, CPU time (user+sys) and peak resident
# memory of each (/usr/bin/time), output to /dev/null; and the size of the
# store the import made, per table.
#
#   bench/listing_bench.sh BUILD_DIR [N] [BASE_BUILD_DIR]
#
# BUILD_DIR is a Release build of this project; N defaults to 1000000.
# With BASE_BUILD_DIR (a Release build of another commit, e.g. main), each
# command also runs with that build's sslbind, right after the one of
# BUILD_DIR: the baseline in the same run. Each build lists the store its
# own `import` made of the same file (an older build cannot read a store of
# a newer schema), checkpointed before the measurements so that neither
# build pays for the import; with CHECK_SAME=1 the output of every listing
# of the two builds is compared with cmp. The sizes of both stores
# are printed, per table.
set -euo pipefail
BUILD=$(cd "$1" && pwd)
N=${2:-1000000}
BASE=${3:+$(cd "$3" && pwd)}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

"$BUILD/bench/sslbind_make_bindings" "$N" json > bindings.json
echo "bindings.json: $(stat -c %s bindings.json) bytes, $N bindings"

# measure LABEL SSLBIND ARGS...: one run; prints the figures.
measure() {
  local label=$1 bin=$2
  shift 2
  local rc=0
  /usr/bin/time -f "%e %U %S %M" -o time.txt "$bin" "$@" > /dev/null \
    2> err.txt || rc=$?
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 10 ]; then
    echo "$label: exit $rc: $(head -c 300 err.txt)" >&2
  fi
  read -r wall user sys kb < <(tail -1 time.txt)
  printf '| %-34s | %7.2f s | %7.2f s | %8.1f MB |\n' "$label" "$wall" \
    "$(echo "$user + $sys" | bc)" "$(echo "scale=1; $kb / 1024" | bc)"
}

printf '| %-34s | %9s | %9s | %11s |\n' command wall user+sys peak
printf '|%s|%s|%s|%s|\n' ------------------------------------ ----------- \
  ----------- -------------
for build in "$BUILD" ${BASE:+"$BASE"}; do
  tag=$([ "$build" = "$BUILD" ] && echo new || echo base)
  rm -f "$tag.db"*
  measure "import ($tag)" "$build/cli/sslbind" --store "$tag.db" \
    import bindings.json
  sqlite3 "$tag.db" 'PRAGMA wal_checkpoint(TRUNCATE)' > /dev/null
done
rm -f bindings.json
mv new.db s.db
# The store's size: the file, and each table's pages (bytes per binding).
sizes() {
  echo "$1 ($2): $(stat -c %s "$1") bytes, $(( $(stat -c %s "$1") / N )) B a binding"
  sqlite3 "$1" "SELECT name, sum(pgsize), sum(pgsize) / $N FROM dbstat GROUP BY name" |
    awk -F'|' '$2 > 4096 { printf "  %s: %d bytes, %d B a binding\n", $1, $2, $3 }'
}
sizes s.db new
[ -z "$BASE" ] || sizes base.db base

while IFS= read -r args; do
  for build in "$BUILD" ${BASE:+"$BASE"}; do
    tag=$([ "$build" = "$BUILD" ] && echo new || echo base)
    if [ "$tag" = base ] && [[ $args == check* ]] && [ "$N" -gt 30000 ]; then
      # Before this change check was quadratic: 10k took 6.6 s, 30k 66 s.
      printf '| %-34s | not run (quadratic) |\n' "$args ($tag)"
      continue
    fi
    store=$([ "$tag" = new ] && echo s.db || echo base.db)
    # shellcheck disable=SC2086
    measure "$args ($tag)" "$build/cli/sslbind" --store "$store" $args
  done
  if [ -n "${CHECK_SAME:-}" ] && [ -n "$BASE" ] && [[ $args != check* ]]; then
    # shellcheck disable=SC2086
    if cmp -s <("$BUILD/cli/sslbind" --store s.db $args) \
              <("$BASE/cli/sslbind" --store base.db $args); then
      echo "  (same bytes from both builds: $args)"
    else
      echo "  DIFFERENT OUTPUT: $args" >&2
    fi
  fi
done <<'COMMANDS'
show sslcert
--json show sslcert
export
export --format netsh
export --format reg
check --no-certificates
check
COMMANDS
