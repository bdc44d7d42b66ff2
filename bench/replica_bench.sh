#!/usr/bin/env bash
# Times `sslbind replicate` on a throwaway cluster (tests/pg/cluster.sh;
# Unix socket, fsync on as PostgreSQL ships it), the local stores in a
# temporary folder:
#   commit -> replica  CHANGES single `sslbind add`s into the database, one
#                      after the other, with one replica following: for each
#                      revision, the time from its journal record (made by
#                      the writer just before its COMMIT, so the figure
#                      includes the commit) to the replica's local COMMIT,
#                      as the replica prints them (--json); median, 99th
#                      percentile and maximum. Baseline, same run: the
#                      median wall time of the writer's `sslbind add`.
#   catch-up N         a new replica of a database holding N bindings
#                      (`replicate --once` into a new store: a snapshot);
#                      median of RUNS, wall and user+sys of sslbind.
#                      Baseline, same run: `sslbind import` of the same N
#                      bindings into a new SQLite store.
#
#   bench/replica_bench.sh BUILD_DIR [N] [CHANGES] [RUNS]
#
# BUILD_DIR is a Release build of this project; N defaults to 100000,
# CHANGES to 1000, RUNS to 3.
set -euo pipefail
BUILD=$(cd "$1" && pwd)
N=${2:-100000}
CHANGES=${3:-1000}
RUNS=${4:-3}
# shellcheck source=pg_bench_setup.sh
source "$(dirname "$0")/pg_bench_setup.sh"

echo "commit -> replica, $CHANGES single changes"
pg_cluster_createdb lat
DB=$(pg_cluster_uri lat)
"$SSLBIND" --store "$DB" add sslcert ipport=192.0.2.1:1 \
  certhash=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa \
  'appid={00000000-0000-0000-0000-000000000001}' --no-verify > /dev/null
"$SSLBIND" --store "$WORK/follow.db" --json replicate --from "$DB" > follow.out &
follower=$!
PG_CHILDREN+=("$follower")
for _ in $(seq 1 100); do [ -s follow.out ] && break; sleep 0.1; done
TIMEFORMAT='%R'
for i in $(seq 2 $((CHANGES + 1))); do
  { time "$SSLBIND" --store "$DB" add sslcert "ipport=192.0.2.1:$i" \
      certhash=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa \
      'appid={00000000-0000-0000-0000-000000000001}' --no-verify > /dev/null; } 2>> add.times
done
want=$((CHANGES + 1))
for _ in $(seq 1 100); do
  [ "$("$SSLBIND" --store "$WORK/follow.db" revision)" = "$want" ] && break
  sleep 0.1
done
kill "$follower"
wait "$follower" || true
python3 - follow.out add.times "$CHANGES" <<'PY'
import json, statistics, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
lat = sorted(l["applied_time_ms"] - l["source_time_ms"] for l in lines if not l["snapshot"])
adds = sorted(float(t) * 1000 for t in open(sys.argv[2]) if t.strip())
want = int(sys.argv[3])
assert len(lat) == want, "%d revisions seen, not %d" % (len(lat), want)
p99 = lat[min(len(lat) - 1, (99 * len(lat) + 99) // 100 - 1)]
print("  latency: median %.0f ms, p99 %.0f ms, max %.0f ms (%d revisions)"
      % (statistics.median(lat), p99, lat[-1], len(lat)))
print("  baseline, one `sslbind add` into the database: median %.0f ms wall"
      % statistics.median(adds))
PY

echo "catch-up of $N bindings, median of $RUNS runs: wall, sslbind user+sys"
pg_cluster_createdb big
BIG=$(pg_cluster_uri big)
"$SSLBIND" --store "$BIG" import bindings.json > /dev/null
fresh() { rm -rf "$WORK/r"; mkdir "$WORK/r"; }
catch_up() { "$SSLBIND" --store "$WORK/r/replica.db" replicate --from "$BIG" --once; }
import_sqlite() { "$SSLBIND" --store "$WORK/r/replica.db" import bindings.json; }
printf '%-36s %s\n' "new replica, snapshot of $N" "$(measure fresh catch_up)"
printf '%-36s %s\n' "baseline: import $N into SQLite" "$(measure fresh import_sqlite)"
fresh
catch_up > /dev/null
"$SSLBIND" --store "$BIG" --json show sslcert > db.json
"$SSLBIND" --store "$WORK/r/replica.db" --json show sslcert > replica.json
cmp -s db.json replica.json || { echo "the replica differs from the database" >&2; exit 1; }
