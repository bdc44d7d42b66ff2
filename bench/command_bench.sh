#!/usr/bin/env bash
# Single-key commands on a large store against the same commands on a small
# one, each measured right after the store's import: `show sslcert KEY`,
# `add sslcert`, `delete sslcert` and `resolve`. No command should pay for
# the import before it (a large -wal file left behind is read by every
# later command), nor for the store's size.
#
#   bench/command_bench.sh BUILD_DIR [N] [RUNS]
#
# BUILD_DIR is a Release build of this project; N defaults to 1000000 (the
# large store; the small one has 1000 bindings), RUNS to 30. Needs
# hyperfine. Prints, for each store, the import's wall time, peak memory and
# the -wal file's size after it, then hyperfine's table pairing each command
# on the small store (first) with the same command on the large one.
set -euo pipefail
BUILD=$(cd "$1" && pwd)
N=${2:-1000000}
RUNS=${3:-30}
SSLBIND=$BUILD/cli/sslbind
MAKE=$BUILD/bench/sslbind_make_bindings
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

A='appid={4dc3e181-e14b-4a21-b022-59fc669b0914}'
H=0102030405060708090a0b0c0d0e0f1011121314
for n in 1000 "$N"; do
  "$MAKE" "$n" json > "b$n.json"
  /usr/bin/time -f "%e s wall, %M KB peak" -o "import$n.time" \
    "$SSLBIND" --store "s$n.db" import "b$n.json" > /dev/null
  rm "b$n.json"
  echo "import of $n bindings: $(cat "import$n.time"); -wal after it:" \
    "$(stat -c %s "s$n.db-wal" 2>/dev/null || echo 0) bytes"
done

S1="$SSLBIND --store s1000.db"
SN="$SSLBIND --store s$N.db"
# site1.example.com:443 and 10.0.0.7:443 exist in both stores.
SHOW='show sslcert hostnameport=site1.example.com:443'
ADD="add sslcert ipport=10.255.0.1:443 certhash=$H $A --no-verify"
DEL='delete sslcert ipport=10.255.0.1:443'
RESOLVE='resolve ip=10.0.0.7 port=443 sni=site1.example.com'
hyperfine -N --warmup 3 --runs "$RUNS" --style basic --export-markdown show.md \
  -n "show (1k)" "$S1 $SHOW" -n "show ($N)" "$SN $SHOW"
hyperfine -N --warmup 3 --runs "$RUNS" --style basic --export-markdown resolve.md \
  -n "resolve (1k)" "$S1 $RESOLVE" -n "resolve ($N)" "$SN $RESOLVE"
# add and delete undo each other in their --prepare step.
hyperfine --warmup 3 --runs "$RUNS" --style basic --export-markdown add.md \
  --prepare "$S1 $DEL > /dev/null 2>&1 || true; $SN $DEL > /dev/null 2>&1 || true" \
  -n "add (1k)" "$S1 $ADD" -n "add ($N)" "$SN $ADD"
hyperfine --warmup 3 --runs "$RUNS" --style basic --export-markdown delete.md \
  --prepare "$S1 $ADD > /dev/null 2>&1 || true; $SN $ADD > /dev/null 2>&1 || true" \
  -n "delete (1k)" "$S1 $DEL" -n "delete ($N)" "$SN $DEL"
cat show.md resolve.md add.md delete.md | awk 'NR == 1 || !/^\| Command|^\|:---/'
