#!/usr/bin/env bash
# Times the PostgreSQL store against the SQLite store, in the same run, on a
# throwaway cluster (tests/pg/cluster.sh; Unix socket, fsync on as
# PostgreSQL ships it, unlike the tests' fsync=off cluster).
#
#   bench/postgres_bench.sh BUILD_DIR [N] [RUNS]
#
# BUILD_DIR is a Release build of this project; N defaults to 100000, RUNS
# to 5. Each figure is the median wall time of RUNS runs, with the median
# user+sys CPU time of the sslbind process beside it:
#   import N          `sslbind import FILE` of N bindings into a new store
#                     (a new database for PostgreSQL)
#   add one (N held)  one `sslbind add sslcert ... --no-verify` into a store
#                     holding N bindings (each run adds another binding)
set -euo pipefail
BUILD=$(cd "$1" && pwd)
N=${2:-100000}
RUNS=${3:-5}
# shellcheck source=pg_bench_setup.sh
source "$(dirname "$0")/pg_bench_setup.sh"

run=0
fresh_sqlite() { rm -rf "$WORK/s"; mkdir "$WORK/s"; STORE=$WORK/s/bindings.db; }
fresh_pg() {
  run=$((run + 1))
  pg_cluster_createdb "b$run"
  STORE=$(pg_cluster_uri "b$run")
}
port=20000
add_one() {
  port=$((port + 1))
  "$SSLBIND" --store "$STORE" add sslcert "ipport=192.0.2.1:$port" \
    certhash=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa \
    'appid={00000000-0000-0000-0000-000000000001}' --no-verify
}

echo "N=$N, median of $RUNS runs: wall, sslbind user+sys"
import_file() { "$SSLBIND" --store "$STORE" import bindings.json; }
printf '%-28s %s\n' "import $N (SQLite)" "$(measure fresh_sqlite import_file)"
printf '%-28s %s\n' "import $N (PostgreSQL)" "$(measure fresh_pg import_file)"

fresh_sqlite
"$SSLBIND" --store "$STORE" import bindings.json > /dev/null
printf '%-28s %s\n' "add one, $N held (SQLite)" "$(measure : add_one)"
run=1000  # the databases above were made in a subshell
fresh_pg
"$SSLBIND" --store "$STORE" import bindings.json > /dev/null
printf '%-28s %s\n' "add one, $N held (PostgreSQL)" "$(measure : add_one)"
