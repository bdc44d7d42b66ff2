#!/usr/bin/env bash
# Runs tests/write_failure_postgres_test.cc against a fresh database of a
# throwaway cluster (cluster.sh), stopped however the test ends.
#
#   write_failure.sh TEST_BINARY
set -euo pipefail
BIN=$1
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=cluster.sh
source "$here/cluster.sh"
tmp=$(mktemp -d)
trap 'pg_cluster_stop; rm -rf "$tmp"' EXIT

pg_cluster_start "$tmp/pg"
pg_cluster_createdb farm
SSLBIND_TEST_PG_URI=$(pg_cluster_uri farm) timeout 600 "$BIN"
