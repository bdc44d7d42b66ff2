#!/usr/bin/env bash
# Runs one end-to-end CLI case (see run_case.sh) against a store in
# PostgreSQL: starts a throwaway cluster (tests/pg/cluster.sh) with a fresh
# database, runs the case with $STORE set to its URI, and stops the cluster,
# also when the case fails. The expected transcript is the SQLite run's.
#
#   run_case_pg.sh SSLBIND_BINARY CASE.sh EXPECTED.txt
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../pg/cluster.sh
source "$here/../pg/cluster.sh"
tmp=$(mktemp -d)
trap 'pg_cluster_stop; rm -rf "$tmp"' EXIT
pg_cluster_start "$tmp/pg"
pg_cluster_createdb sslbind_case
SSLBIND_CASE_STORE=$(pg_cluster_uri sslbind_case)
export SSLBIND_CASE_STORE
export PATH="$PG_BIN:$PATH"  # pg_dump of the same version
bash "$here/run_case.sh" "$@"
