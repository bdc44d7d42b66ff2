# Sourced by the tests/pg/*_test.sh scripts, after `set -euo pipefail`:
# the cluster helpers (cluster.sh); $tmp, a new temporary folder, removed
# at exit after the cluster (and PG_CHILDREN) stopped, also when a test
# fails; and fail MESSAGE.
# shellcheck source=cluster.sh
source "$(dirname "${BASH_SOURCE[0]}")/cluster.sh"
tmp=$(mktemp -d)
trap 'pg_cluster_stop; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
