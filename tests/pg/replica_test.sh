#!/usr/bin/env bash
# `sslbind replicate` against a throwaway cluster (cluster.sh): what a
# replica refuses and why, a new replica copying the state at once, the
# journal compacted past a replica, a replica whose connection is cut, the
# farm key, a source database replaced by another, and a password in the
# source's URI that lands nowhere.
#
#   replica_test.sh SSLBIND_BINARY
set -euo pipefail
BIN=$1
# shellcheck source=test_setup.sh
source "$(dirname "$0")/test_setup.sh"
cd "$tmp"

# expect STATUS TEXT ARGS...: sslbind ARGS exits STATUS, stderr holds TEXT.
expect() {
  local want=$1 text=$2 rc=0
  shift 2
  timeout 60 "$BIN" "$@" > out 2> err < /dev/null || rc=$?
  [ "$rc" = "$want" ] || fail "sslbind $* exited $rc, not $want: $(cat err)"
  grep -qF -- "$text" err || fail "sslbind $* said '$(cat err)', not '$text'"
}

APPID='{00000000-0000-0000-0000-000000000001}'
HASH=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
pg_cluster_start "$tmp/pg"
pg_cluster_createdb farm
DB=$(pg_cluster_uri farm)
add() {  # add PORT
  "$BIN" --store "$DB" add sslcert "ipport=10.0.0.1:$1" "certhash=$HASH" \
    "appid=$APPID" --no-verify > /dev/null
}
for p in 1 2 3; do add $p; done

echo "the source must be PostgreSQL, the replica a file (exit 2)"
expect 2 "is not a PostgreSQL store" --store r.db replicate --from other.db --once
expect 2 "must be a local store file" --store "$DB" replicate --from "$DB" --once
expect 8 "cannot open the store" --store r.db replicate --from "postgresql://x@/farm?host=$tmp/nowhere" --once
[ ! -e r.db ] && [ ! -e r.db.replica ] || fail "a refused replicate created the store or its mark"

echo "a new replica copies the state in one revision, --json: one line"
"$BIN" --store r.db --json replicate --from "$DB" --once > once.json
[ "$(wc -l < once.json)" = 1 ] || fail "not one line: $(cat once.json)"
grep -q '"revision":3,"snapshot":true,"keys":' once.json || fail "$(cat once.json)"
[ "$("$BIN" --store r.db revision)" = 3 ] || fail "replica revision"
"$BIN" --store "$DB" --json show sslcert > db.json
"$BIN" --store r.db --json show sslcert > r.json
cmp -s db.json r.json || fail "the copy differs"
[ "$("$BIN" --store r.db --json history)" = '{"revisions":[]}' ] ||
  fail "a copy's journal starts at its revision"

echo "then each revision once, with its number and journal record"
add 4
add 5
"$BIN" --store r.db replicate --from "$DB" --once > next.txt
[ "$(cat next.txt)" = "revision 4: 1 key changed
revision 5: 1 key changed" ] || fail "$(cat next.txt)"
"$BIN" --store r.db replicate --from "$DB" --once > none.txt
[ ! -s none.txt ] || fail "nothing to do printed: $(cat none.txt)"
"$BIN" --store "$DB" --json history --since 4 > db.history
"$BIN" --store r.db --json history > r.history
cmp -s db.history r.history || fail "journals differ: $(diff db.history r.history)"

echo "every change to a replica is refused (exit 6), naming its source"
src_named="is a replica of '$DB'"
expect 6 "$src_named" --store r.db add sslcert ipport=10.0.0.9:443 "certhash=$HASH" "appid=$APPID" --no-verify
expect 6 "$src_named" --store r.db update sslcert ipport=10.0.0.1:1 "certhash=$HASH"
expect 6 "$src_named" --store r.db delete sslcert ipport=10.0.0.1:1
"$BIN" --store r.db export > bindings.json
expect 6 "$src_named" --store r.db import bindings.json
echo '{"version": 1, "bindings": []}' > none.json
expect 6 "$src_named" --store r.db apply --prune none.json
expect 6 "$src_named" --store r.db ccs enable path=/tmp
expect 6 "$src_named" --store r.db rollback --to 4
expect 6 "$src_named" --store r.db history --compact-before 5
[ "$("$BIN" --store r.db revision)" = 5 ] || fail "a refused change moved the replica"

echo "a store with changes of its own, or another source's replica, is refused (exit 2)"
"$BIN" --store own.db add sslcert ipport=10.0.0.1:443 "certhash=$HASH" "appid=$APPID" --no-verify > /dev/null
expect 2 "has changes of its own" --store own.db replicate --from "$DB" --once
pg_cluster_createdb other
expect 2 "is a replica of '$DB', not of" --store r.db replicate --from "$(pg_cluster_uri other)" --once

echo "the source's journal compacted past the replica: it copies the state again"
add 6
add 7
"$BIN" --store "$DB" history --compact-before 7 > /dev/null
"$BIN" --store r.db replicate --from "$DB" --once > compacted.txt
grep -q "^revision 7: copied the source's state" compacted.txt || fail "$(cat compacted.txt)"
"$BIN" --store "$DB" --json show sslcert > db.json
"$BIN" --store r.db --json show sslcert > r.json
cmp -s db.json r.json || fail "the copy differs after compaction"

echo "a replica whose connection is cut reconnects and loses no revision"
started=$("$PG_BIN/psql" -Atq -d "$DB" -c "SELECT now()")
"$BIN" --store r.db --json replicate --from "$DB" > follow.out 2> follow.err &
follower=$!
PG_CHILDREN+=("$follower")
# Wait until the follower's own connection (opened after `started`; the
# --once replicas before it are gone) sits idle, listening, caught up.
pg_wait_sslbind_idle "$DB" "backend_start > '$started'" ||
  fail "the follower never caught up and waited: $(cat follow.err)"
"$PG_BIN/psql" -Atq -d "$DB" -c \
  "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'sslbind' AND pid <> pg_backend_pid()" > /dev/null
add 8  # made while the replica has no connection: its notification is lost
for _ in $(seq 1 100); do
  [ "$("$BIN" --store r.db revision)" = 8 ] && break
  sleep 0.1
done
[ "$("$BIN" --store r.db revision)" = 8 ] || fail "revision 8 never arrived: $(cat follow.err)"
grep -q "failed, serving the last revision" follow.err || fail "no line about the cut: $(cat follow.err)"
grep -q '"revision":8,"snapshot":false' follow.out || fail "$(cat follow.out)"
kill "$follower"
wait "$follower" || fail "SIGTERM did not end replicate with 0"

echo "private keys: without the farm key a replica cannot copy one (exit 6)"
"$BIN" keygen farm.key > /dev/null
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
  -days 30 -subj /CN=farm.example -keyout k.pem -out c.pem 2> /dev/null
cat k.pem c.pem > both.pem
SSLBIND_KEY_FILE=farm.key "$BIN" --store "$DB" cert import both.pem > /dev/null
expect 6 "needs the farm key" --store r.db replicate --from "$DB" --once
[ "$("$BIN" --store r.db revision)" = 8 ] || fail "a failed copy moved the replica"
"$BIN" --store r.db --key-file farm.key replicate --from "$DB" --once > /dev/null
keyfile=$(ls r.db.keys/*.key)
[ "$(stat -c %a "$keyfile")" = 600 ] || fail "the key file is mode $(stat -c %a "$keyfile")"
cmp -s <(openssl pkey -in k.pem) <(openssl pkey -in "$keyfile") || fail "the key differs"

echo "a database replaced by another (a higher or the same revision) is copied, not replayed"
pg_cluster_createdb swap
SWAP=$(pg_cluster_uri swap)
add_to() {  # add_to STORE PORT...
  local store=$1 p
  shift
  for p in "$@"; do
    "$BIN" --store "$store" add sslcert "ipport=10.0.0.2:$p" "certhash=$HASH" \
      "appid=$APPID" --no-verify > /dev/null
  done
}
replace_swap() {  # a new database of the same name, with these ports
  "$PG_BIN/dropdb" -h "$PG_SOCKET_DIR" -U sslbind_test swap
  pg_cluster_createdb swap
  add_to "$SWAP" "$@"
}
same_as_swap() {
  "$BIN" --store "$SWAP" --json show sslcert > swap.json
  "$BIN" --store s.db --json show sslcert > s.json
  cmp -s swap.json s.json || fail "the replica differs from the new database: $(diff swap.json s.json | head -5)"
}
add_to "$SWAP" 1 2 3
"$BIN" --store s.db replicate --from "$SWAP" --once > /dev/null
add_to "$SWAP" 4
"$BIN" --store s.db replicate --from "$SWAP" --once > s.out
[ "$(cat s.out)" = "revision 4: 1 key changed" ] || fail "$(cat s.out)"
replace_swap 21 22 23 24 25  # revision 5: its revision 4 is not the replica's
"$BIN" --store s.db replicate --from "$SWAP" --once > s.out
[[ "$(cat s.out)" == "revision 5: copied the source's state ("*" keys)" ]] ||
  fail "a replaced database was not copied: $(cat s.out)"
same_as_swap
[ "$(sqlite3 s.db 'SELECT count(*) FROM journal_key')" = 0 ] ||
  fail "the copy kept the key index of the journal it dropped"
add_to "$SWAP" 26
"$BIN" --store s.db replicate --from "$SWAP" --once > /dev/null
replace_swap 31 32 33 34 35 36  # revision 6, as the replica
"$BIN" --store s.db replicate --from "$SWAP" --once > s.out
[[ "$(cat s.out)" == "revision 6: copied the source's state ("*" keys)" ]] ||
  fail "a replaced database at the replica's revision was not copied: $(cat s.out)"
same_as_swap
"$BIN" --store s.db replicate --from "$SWAP" --once > s.out
[ ! -s s.out ] || fail "the same history was copied again: $(cat s.out)"
# Right after a copy the replica has no journal record of its own revision:
# the digest of the source's record, kept by the copy, tells a replaced
# database (at the replica's revision, or beyond it) from the one copied.
replace_swap 41 42 43 44 45 46 47  # revision 7, the copy was at 6
"$BIN" --store s.db replicate --from "$SWAP" --once > s.out
[[ "$(cat s.out)" == "revision 7: copied the source's state ("*" keys)" ]] ||
  fail "a database replaced right after a copy was replayed: $(cat s.out)"
same_as_swap
replace_swap 51 52 53 54 55 56 57  # revision 7 again, right after that copy
"$BIN" --store s.db replicate --from "$SWAP" --once > s.out
[[ "$(cat s.out)" == "revision 7: copied the source's state ("*" keys)" ]] ||
  fail "a database replaced at the revision of the copy was not copied: $(cat s.out)"
same_as_swap
add_to "$SWAP" 58
"$BIN" --store s.db replicate --from "$SWAP" --once > s.out
[ "$(cat s.out)" = "revision 8: 1 key changed" ] ||
  fail "the revision after a copy of the same history was not replayed: $(cat s.out)"
same_as_swap

echo "a password in the source's URI lands nowhere (history, replica, files)"
PW='Pa?ss#w0rd'
"$PG_BIN/psql" -q -d "$DB" -c "CREATE ROLE writer LOGIN SUPERUSER PASSWORD '$PW'"
sed -i '1i local all writer scram-sha-256' "$PG_DIR/data/pg_hba.conf"
pg_cluster_reload
pg_cluster_createdb pwdb
SECRET_URI="postgresql://writer:$PW@/pwdb?host=$PG_SOCKET_DIR"
SSLBIND_STORE=$SECRET_URI "$BIN" add sslcert ipport=10.0.0.1:443 "certhash=$HASH" "appid=$APPID" --no-verify > /dev/null
"$BIN" --store "$SECRET_URI" add sslcert ipport=10.0.0.2:443 "certhash=$HASH" "appid=$APPID" --no-verify > /dev/null
"$BIN" "--store=$SECRET_URI" add sslcert ipport=10.0.0.3:443 "certhash=$HASH" "appid=$APPID" --no-verify > /dev/null
"$BIN" --store pw.db --json replicate --from "$SECRET_URI" --once > pw.out 2>&1
SSLBIND_STORE=$SECRET_URI "$BIN" --json history > pw.history
"$BIN" --store pw.db --json history > pw.replica.history
grep -q '"revision":3' pw.history || fail "no history: $(cat pw.history)"
grep -q 'writer:\*\*\*@' pw.history || fail "the journal lacks the redacted URI: $(cat pw.history)"
"$PG_BIN/pg_dump" -d "$(pg_cluster_uri pwdb)" > pw.dump
for f in pw.out pw.history pw.replica.history pw.db pw.db.replica pw.dump; do
  grep -qaF -- "$PW" "$f" && fail "the password is in $f"
done
expect 6 "is a replica of 'postgresql://writer:***@/pwdb" --store pw.db delete sslcert ipport=10.0.0.1:443
grep -qaF -- "$PW" err && fail "the password is in the refusal"
echo "PASS"
