#!/usr/bin/env bash
# Times `sslbind import` and `sslbind apply` of N bindings, and the sqlite3
# command-line tool inserting the same rows in one transaction.
#
#   bench/import_bench.sh BUILD_DIR [N] [RUNS] [BASELINE_BUILD_DIR]
#
# BUILD_DIR is a build of this project (Release or RelWithDebInfo); N
# defaults to 100000, RUNS to 5. BASELINE_BUILD_DIR, if given, is a build of
# an sslbind without the change journal (before schema 003, e.g. `git
# archive` of the commit before it, built alike): its import and apply are
# timed in the same run, as "import (no journal)" and "apply (no journal)",
# with the ratio of the two medians. Each figure is the median wall time of RUNS
# runs, with the median user+sys CPU time beside it; every run starts from a
# fresh store in a temporary folder. The steps:
#   import         `sslbind import FILE` into a new store
#   apply          `sslbind apply FILE` into a new store (every binding added)
#   apply again    `sslbind apply FILE` on that store (nothing to change)
#   apply --prune  `sslbind apply --prune` of a redeployment (1% of the
#                  certificates renewed, 1% of the bindings gone) on a store
#                  holding the first deployment
#   sqlite3        `sqlite3 NEW.db < DUMP.sql` where DUMP.sql is
#                  `.dump registry_node` of the imported store: the same rows
#                  (the bindings and their parent keys) in one
#                  BEGIN...COMMIT, into a WAL database like sslbind's
# The generated bindings name certificates this store does not hold, so
# apply runs with --no-verify (import never checks certificates); the check
# itself is measured by BM_AddBatch in bench/cert_bench.cc.
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
BUILD=$(cd "$1" && pwd)
N=${2:-100000}
RUNS=${3:-5}
SSLBIND=$BUILD/cli/sslbind
MAKE=$BUILD/bench/sslbind_make_bindings
BASELINE=${4:+$(cd "$4" && pwd)/cli/sslbind}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

"$MAKE" "$N" json > bindings.json
"$MAKE" "$N" json redeploy > redeploy.json

source "$BENCH_DIR/measure.sh"

echo "$N bindings, $(stat -c %s bindings.json) bytes of JSON; median of $RUNS runs;" \
  "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-20s %10s  %10s\n' step wall cpu
# line NAME VAR SETUP COMMAND...: one row of the table, the median wall
# time also into VAR (for the ratios).
line() {
  local name=$1 var=$2 out
  shift 2
  out=$(measure "$@")
  printf -v "$var" '%s' "$(awk '{ print $1 }' <<< "$out")"
  printf '%-20s %s\n' "$name" "$out"
}
line import WALL_IMPORT 'rm -f s.db*' "$SSLBIND" --store s.db import bindings.json
line apply WALL_APPLY 'rm -f a.db*' \
  "$SSLBIND" --store a.db apply --no-verify bindings.json
printf '%-20s %s\n' "apply again" "$(measure ':' \
  "$SSLBIND" --store a.db apply --no-verify bindings.json)"
printf '%-20s %s\n' "apply --prune" "$(measure \
  'rm -f p.db*; "$SSLBIND" --store p.db import bindings.json > /dev/null' \
  "$SSLBIND" --store p.db apply --no-verify --prune redeploy.json)"
sqlite3 s.db '.dump registry_node' > dump.sql
printf '%-20s %s\n' sqlite3 "$(measure \
  'rm -f q.db*; sqlite3 q.db "PRAGMA journal_mode=WAL" > /dev/null' \
  sqlite3 q.db '.read dump.sql')"
if [ -n "$BASELINE" ]; then
  line "import (no journal)" WALL_IMPORT0 'rm -f b.db*' \
    "$BASELINE" --store b.db import bindings.json
  line "apply (no journal)" WALL_APPLY0 'rm -f c.db*' \
    "$BASELINE" --store c.db apply --no-verify bindings.json
  echo "with the journal / without: import $(awk -v a="$WALL_IMPORT" -v b="$WALL_IMPORT0" 'BEGIN { printf "%.2f", a / b }')x," \
    "apply $(awk -v a="$WALL_APPLY" -v b="$WALL_APPLY0" 'BEGIN { printf "%.2f", a / b }')x"
  rm -f b.db* c.db*
fi
rm -f p.db*
"$SSLBIND" --store p.db import bindings.json > /dev/null
echo "rows: $(sqlite3 q.db 'SELECT count(*) FROM registry_node') in each store;" \
  "the redeploy's plan: $("$SSLBIND" --store p.db apply --no-verify --prune --check redeploy.json | tail -2 | head -1)"
