# Sourced by the PostgreSQL benchmarks (postgres_bench.sh,
# replica_bench.sh), after `set -euo pipefail`, with BUILD (a Release build)
# and N set: SSLBIND, the binary; $WORK, a new temporary folder and the
# current one, removed at exit after the cluster stopped; bindings.json, N
# bindings; a throwaway cluster (tests/pg/cluster.sh) with fsync on, as
# PostgreSQL ships (the tests run it off); and measure (measure.sh).
bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SSLBIND=$BUILD/cli/sslbind
# shellcheck source=../tests/pg/cluster.sh
source "$bench_dir/../tests/pg/cluster.sh"
# shellcheck source=measure.sh
source "$bench_dir/measure.sh"
WORK=$(mktemp -d)
trap 'pg_cluster_stop; rm -rf "$WORK"' EXIT
cd "$WORK"
"$BUILD/bench/sslbind_make_bindings" "$N" json > bindings.json
pg_cluster_start "$WORK/pg"
pg_cluster_stop
PG_FSYNC=on pg_cluster_restart
