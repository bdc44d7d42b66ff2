#!/usr/bin/env bash
# `import` of a document read in pieces into a store in PostgreSQL: one
# transaction, all or none, as into a store file
# (tests/cli/import_stream_test.sh).
#
# - 20,000 bindings (5 MB of JSON, several pieces) import as one revision.
# - A bad value at the end, a key given twice far apart and a key the store
#   holds (in the middle) leave the database as it was (pg_dump, export).
#
#   import_stream_test.sh SSLBIND_BINARY
set -euo pipefail
BIN=$1
source "$(dirname "$0")/test_setup.sh"
BIN=$(realpath "$BIN")
cd "$tmp"
command -v python3 > /dev/null || fail "python3 is needed for this test"

python3 - <<'PY'
import json
n = 20000
app = "{00112233-4455-6677-8899-aabbccddeeff}"
bindings = [{"ipport": f"10.0.{i >> 8}.{i & 255}:443",
             "certhash": "0102030405060708090a0b0c0d0e0f1011121314",
             "appid": app, "certstorename": "MY"} for i in range(n)]
def write(name, items):
    with open(name, "w") as f:
        f.write(json.dumps({"version": 1, "bindings": items}, indent=2) + "\n")
write("big.json", bindings)
bad = [dict(b) for b in bindings]
bad[-1]["appid"] = "not-a-guid"
write("bad_end.json", bad)
twice = list(bindings)
twice[n - 10] = bindings[5]
write("twice.json", twice)
PY
[ "$(stat -c %s big.json)" -gt 2000000 ] || fail "big.json is too small to be read in pieces"

pg_cluster_start "$tmp/pg"
pg_cluster_createdb farm
DB=$(pg_cluster_uri farm)
"$BIN" keygen "$tmp/farm.key" > /dev/null
export SSLBIND_KEY_FILE=$tmp/farm.key
A='{00112233-4455-6677-8899-aabbccddeeff}'
"$BIN" --store "$DB" add sslcert ipport=10.0.23.100:443 \
  certhash=0102030405060708090a0b0c0d0e0f1011121314 appid="$A" --no-verify > /dev/null
state() {
  # \restrict lines carry a random key, new in every dump.
  "$PG_BIN/pg_dump" -h "$PG_SOCKET_DIR" -U sslbind_test farm |
    grep -v '^\\\(un\)\?restrict '
  "$BIN" --store "$DB" export --format json
}
before=$(state)
refused() {  # refused FILE EXIT PATTERN
  local rc=0
  timeout 120 "$BIN" --store "$DB" import "$1" > out.txt 2> err.txt || rc=$?
  [ "$rc" = "$2" ] || fail "import $1: exit $rc, not $2: $(cat err.txt)"
  grep -qE -- "$3" err.txt || fail "import $1: $(cat err.txt)"
  [ "$(state)" == "$before" ] || { diff <(echo "$before") <(state) | head -20 >&2; fail "import $1 changed the database"; }
}
refused bad_end.json 2 "bad_end.json: bindings\[19999\]\.appid: "
refused twice.json 2 "twice.json: bindings\[19990\]: ipport=10.0.0.5:443 is given twice \(first at bindings\[5\]\)"
refused big.json 4 "big.json: bindings\[5988\]: ipport=10.0.23.100:443 already exists"
echo "faults at the end, far apart and in the middle: refused, the database unchanged"

timeout 120 "$BIN" --store "$DB" import big.json --replace > out.txt ||
  fail "import --replace: $(cat out.txt)"
grep -qx "Imported 20000 bindings from big.json (json)." out.txt || fail "$(cat out.txt)"
[ "$("$BIN" --store "$DB" --json revision | python3 -c 'import json,sys; print(json.load(sys.stdin)["revision"])')" = 2 ] ||
  fail "the import was not one revision"
[ "$("$BIN" --store "$DB" --json show sslcert | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["bindings"]))')" = 20000 ] ||
  fail "the import did not land whole"
echo "20,000 bindings in pieces: one revision"
