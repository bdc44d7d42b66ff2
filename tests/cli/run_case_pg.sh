#!/usr/bin/env bash
# Runs one end-to-end CLI case (see run_case.sh) against a store in
# PostgreSQL: starts a throwaway cluster (tests/pg/cluster.sh) with a fresh
# database and a farm key, runs the case with $STORE set to its URI and
# SSLBIND_KEY_FILE to the key, and stops the cluster,
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
# Private keys and the CCS password are sealed in the database with a farm
# key (docs/farm.md).
"$1" keygen "$tmp/farm.key" > /dev/null
export SSLBIND_KEY_FILE=$tmp/farm.key
bash "$here/run_case.sh" "$@"
