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
# command also runs with that build's sslbind on the same store, right
# after the one of BUILD_DIR: the baseline in the same run. The store is
# imported once, by BUILD_DIR's sslbind, and checkpointed before the
# measurements so that neither build pays for the import.
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
  rm -f "import-$tag.db"*
  measure "import ($tag)" "$build/cli/sslbind" --store "import-$tag.db" \
    import bindings.json
done
"$BUILD/cli/sslbind" --store s.db import bindings.json > /dev/null
rm -f bindings.json import-*.db*
sqlite3 s.db 'PRAGMA wal_checkpoint(TRUNCATE)' > /dev/null
# The store's size: the file, and each table's pages (bytes per binding).
echo "s.db: $(stat -c %s s.db) bytes, $(( $(stat -c %s s.db) / N )) B a binding"
sqlite3 s.db "SELECT name, sum(pgsize), sum(pgsize) / $N FROM dbstat GROUP BY name" |
  awk -F'|' '$2 > 4096 { printf "  %s: %d bytes, %d B a binding\n", $1, $2, $3 }'

while IFS= read -r args; do
  for build in "$BUILD" ${BASE:+"$BASE"}; do
    tag=$([ "$build" = "$BUILD" ] && echo new || echo base)
    if [ "$tag" = base ] && [[ $args == check* ]] && [ "$N" -gt 30000 ]; then
      # Before this change check was quadratic: 10k took 6.6 s, 30k 66 s.
      printf '| %-34s | not run (quadratic) |\n' "$args ($tag)"
      continue
    fi
    # shellcheck disable=SC2086
    measure "$args ($tag)" "$build/cli/sslbind" --store s.db $args
  done
done <<'COMMANDS'
show sslcert
--json show sslcert
export
export --format netsh
export --format reg
check --no-certificates
check
COMMANDS
