#!/usr/bin/env bash
# Times `sslbind import` and `sslbind apply` of N bindings, and the sqlite3
# command-line tool inserting the same rows in one transaction.
#
#   bench/import_bench.sh BUILD_DIR [N] [RUNS]
#
# BUILD_DIR is a build of this project (Release or RelWithDebInfo); N
# defaults to 100000, RUNS to 5. Each figure is the median wall time of RUNS
# runs, with the median user+sys CPU time beside it; every run starts from a
# fresh store in a temporary folder. The steps:
#   import         `sslbind import FILE` into a new store
#   apply          `sslbind apply FILE` into a new store (every binding added)
#   apply again    `sslbind apply FILE` on that store (nothing to change)
#   apply --prune  `sslbind apply --prune` of a redeployment (1% of the
#                  certificates renewed, 1% of the bindings gone) on a store
#                  holding the first deployment
#   sqlite3        `sqlite3 NEW.db < DUMP.sql` where DUMP.sql is
#                  `.dump registry_key` of the imported store: the same rows
#                  (the bindings and their parent keys) in one
#                  BEGIN...COMMIT, into a WAL database like sslbind's
# The generated bindings name certificates this store does not hold, so
# apply runs with --no-verify (import never checks certificates); the check
# itself is measured by BM_AddBatch in bench/cert_bench.cc.
set -euo pipefail
BUILD=$(cd "$1" && pwd)
N=${2:-100000}
RUNS=${3:-5}
SSLBIND=$BUILD/cli/sslbind
MAKE=$BUILD/bench/sslbind_make_bindings
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

"$MAKE" "$N" json > bindings.json
"$MAKE" "$N" json redeploy > redeploy.json

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
  printf '%8.2f s  %8.2f s' \
    "$(printf '%s\n' "${walls[@]}" | sort -n | sed -n "${mid}p")" \
    "$(printf '%s\n' "${cpus[@]}" | sort -n | sed -n "${mid}p")"
}

echo "$N bindings, $(stat -c %s bindings.json) bytes of JSON; median of $RUNS runs;" \
  "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-14s %10s  %10s\n' step wall cpu
printf '%-14s %s\n' import "$(measure 'rm -f s.db*' \
  "$SSLBIND" --store s.db import bindings.json)"
printf '%-14s %s\n' apply "$(measure 'rm -f a.db*' \
  "$SSLBIND" --store a.db apply --no-verify bindings.json)"
printf '%-14s %s\n' "apply again" "$(measure ':' \
  "$SSLBIND" --store a.db apply --no-verify bindings.json)"
printf '%-14s %s\n' "apply --prune" "$(measure \
  'rm -f p.db*; "$SSLBIND" --store p.db import bindings.json > /dev/null' \
  "$SSLBIND" --store p.db apply --no-verify --prune redeploy.json)"
sqlite3 s.db '.dump registry_key' > dump.sql
printf '%-14s %s\n' sqlite3 "$(measure \
  'rm -f q.db*; sqlite3 q.db "PRAGMA journal_mode=WAL" > /dev/null' \
  sqlite3 q.db '.read dump.sql')"
rm -f p.db*
"$SSLBIND" --store p.db import bindings.json > /dev/null
echo "rows: $(sqlite3 q.db 'SELECT count(*) FROM registry_key') in each store;" \
  "the redeploy's plan: $("$SSLBIND" --store p.db apply --no-verify --prune --check redeploy.json | tail -1)"
