#!/usr/bin/env bash
# The PostgreSQL store's own behaviour, against a throwaway cluster
# (cluster.sh): bad URIs, unreachable servers, a refused login and a missing
# database give clear errors; concurrent writers queue, every revision
# exactly once; a connection lost in the middle of a batch commits nothing;
# private keys and the CCS password are sealed with the farm key; the
# snapshot image commands refuse the store (it has no image).
#
#   postgres_store_test.sh SSLBIND_BINARY
set -euo pipefail
BIN=$1
# shellcheck source=test_setup.sh
source "$(dirname "$0")/test_setup.sh"

# expect STATUS TEXT ARGS...: sslbind ARGS exits STATUS, stderr holds TEXT.
expect() {
  local want=$1 text=$2 rc=0
  shift 2
  timeout 60 "$BIN" "$@" > "$tmp/out" 2> "$tmp/err" < /dev/null || rc=$?
  [ "$rc" = "$want" ] || fail "sslbind $* exited $rc, not $want: $(cat "$tmp/err")"
  grep -qF -- "$text" "$tmp/err" || fail "sslbind $* said '$(cat "$tmp/err")', not '$text'"
}

APPID='{00000000-0000-0000-0000-000000000001}'
HASH=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
add() {  # add STORE PORT
  "$BIN" --store "$1" add sslcert "ipport=10.0.0.1:$2" "certhash=$HASH" \
    "appid=$APPID" --no-verify > /dev/null
}

pg_cluster_start "$tmp/pg"
pg_cluster_createdb farm
STORE=$(pg_cluster_uri farm)

echo "a URI libpq cannot parse is bad input (exit 2), the password hidden"
expect 2 "is not a valid PostgreSQL URI" --store 'postgresql://u:s3cret@/db?nosuchoption=1' show sslcert
grep -q s3cret "$tmp/err" && fail "the password was printed: $(cat "$tmp/err")"

echo "an unreachable server is a store error (exit 8)"
expect 8 "cannot open the store 'postgresql://sslbind_test@/farm?host=$tmp/nowhere'" \
  --store "postgresql://sslbind_test@/farm?host=$tmp/nowhere" show sslcert

echo "a missing database is a store error (exit 8)"
expect 8 'database "nodb" does not exist' --store "$(pg_cluster_uri nodb)" show sslcert

echo "a refused login is a store error (exit 8), the password hidden"
"$PG_BIN/psql" -q -d "$STORE" -c "CREATE ROLE pw LOGIN PASSWORD 'right'"
sed -i '1i local all pw scram-sha-256' "$PG_DIR/data/pg_hba.conf"
pg_cluster_reload
expect 8 'password authentication failed for user "pw"' \
  --store "postgresql://pw:wrong@/farm?host=$PG_SOCKET_DIR" show sslcert
grep -q wrong "$tmp/err" && fail "the password was printed: $(cat "$tmp/err")"

echo "a password in the URI is not kept in the journal"
"$PG_BIN/psql" -q -d "$STORE" -c "CREATE ROLE writer LOGIN SUPERUSER PASSWORD 'pw1'"
"$PG_BIN/createdb" -h "$PG_SOCKET_DIR" -U sslbind_test pwdb
sed -i '1i local all writer scram-sha-256' "$PG_DIR/data/pg_hba.conf"
pg_cluster_reload
add "postgresql://writer:pw1@/pwdb?host=$PG_SOCKET_DIR" 9
"$BIN" --store "postgresql://writer:pw1@/pwdb?host=$PG_SOCKET_DIR" history > "$tmp/history"
grep -q 'writer:\*\*\*@' "$tmp/history" || fail "the journal lacks the command: $(cat "$tmp/history")"
grep -q pw1 "$tmp/history" && fail "the journal holds the password: $(cat "$tmp/history")"

echo "a database never written reads as an empty store, and reading creates nothing"
[ "$("$BIN" --store "$STORE" revision)" = 0 ] || fail "revision of an empty store"
"$BIN" --store "$STORE" show sslcert > /dev/null
[ -z "$("$PG_BIN/psql" -Atq -d "$STORE" -c '\dt')" ] || fail "a read created tables"

echo "two writers queue: 2 x 25 adds are revisions 1..50, each once"
(for i in $(seq 1 25); do add "$STORE" $((1000 + i)); done) &
w1=$!
(for i in $(seq 1 25); do add "$STORE" $((2000 + i)); done) &
w2=$!
wait $w1 || fail "writer 1 failed"
wait $w2 || fail "writer 2 failed"
[ "$("$BIN" --store "$STORE" revision)" = 50 ] || fail "revision is not 50"
revs=$("$PG_BIN/psql" -Atq -d "$STORE" -c \
  "SELECT count(*), min(revision), max(revision) FROM journal_revision")
[ "$revs" = "50|1|50" ] || fail "journal revisions: $revs"
[ "$("$BIN" --store "$STORE" --json show sslcert | grep -o '"ipport"' | wc -l)" = 50 ] ||
  fail "not 50 bindings"

echo "a connection lost in the middle of a batch commits nothing (exit 8)"
{
  printf '{"version": 1, "bindings": ['
  for i in $(seq 1 40000); do
    [ "$i" = 1 ] || printf ','
    printf '{"ipport": "10.1.%d.%d:443", "certhash": "%s", "appid": "%s"}' \
      $((i / 250)) $((i % 250)) "$HASH" "$APPID"
  done
  printf ']}\n'
} > "$tmp/big.json"
rc=0
"$BIN" --store "$STORE" import "$tmp/big.json" > /dev/null 2> "$tmp/err" &
importer=$!
# Wait until the import holds the writers' lock, then end its connection.
for _ in $(seq 1 200); do
  n=$("$PG_BIN/psql" -Atq -d "$STORE" -c \
    "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'sslbind' AND xact_start IS NOT NULL")
  [ "$n" != 0 ] && break
  sleep 0.05
done
[ "$n" != 0 ] || fail "the import never began its transaction"
"$PG_BIN/psql" -Atq -d "$STORE" -c \
  "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'sslbind'" > /dev/null
wait $importer || rc=$?
[ "$rc" = 8 ] || fail "the cut import exited $rc, not 8: $(cat "$tmp/err")"
grep -q "lost the connection to the store" "$tmp/err" ||
  fail "no clear message: $(cat "$tmp/err")"
[ "$("$BIN" --store "$STORE" revision)" = 50 ] || fail "the cut import moved the revision"
[ "$("$BIN" --store "$STORE" --json show sslcert | grep -o '"ipport"' | wc -l)" = 50 ] ||
  fail "the cut import left bindings"

echo "the same import, not cut, commits as one revision"
"$BIN" --store "$STORE" import "$tmp/big.json" > /dev/null
[ "$("$BIN" --store "$STORE" revision)" = 51 ] || fail "the import is not revision 51"
echo "keygen writes a 0600 key and never overwrites one (exit 4)"
cd "$tmp"
"$BIN" keygen farm.key > /dev/null
[ "$(stat -c %a farm.key)" = 600 ] || fail "farm.key is mode $(stat -c %a farm.key)"
cp farm.key before.key
expect 4 "exists: it is never overwritten" keygen farm.key
cmp -s farm.key before.key || fail "keygen changed an existing key"
"$BIN" keygen other.key > /dev/null
cp farm.key open.key && chmod 644 open.key
expect 6 "may be read or written by others (mode 0644)" --store "$STORE" --key-file open.key show sslcert

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
  -days 30 -subj /CN=farm.example -keyout k.pem -out c.pem 2> /dev/null
cat k.pem c.pem > both.pem
TH=$(openssl x509 -in c.pem -noout -fingerprint -sha1 | sed 's/.*=//; s/://g')
rev=$("$BIN" --store "$STORE" revision)

echo "without the farm key, a private key is not written (exit 2), nothing is"
expect 2 "needs the farm key" --store "$STORE" cert import both.pem
[ "$("$BIN" --store "$STORE" revision)" = "$rev" ] || fail "a refused import moved the revision"

echo "with it, the key is sealed in the database, never in clear"
SSLBIND_KEY_FILE=farm.key "$BIN" --store "$STORE" cert import both.pem > /dev/null
grep -q "^$TH\." <<< "$("$PG_BIN/psql" -Atq -d "$STORE" -c "SELECT name FROM secret")" ||
  fail "no sealed key named by the thumbprint"
"$PG_BIN/psql" -Atq -d "$STORE" -c "SELECT encode(data, 'escape') FROM secret" > dump.txt
key_line=$(sed -n 2p k.pem)
grep -qF -- "$key_line" dump.txt && fail "the private key is in the database in clear"
SSLBIND_KEY_FILE=farm.key "$BIN" --store "$STORE" add sslcert "ipport=10.9.0.1:443" \
  "certhash=$TH" "appid=$APPID" > /dev/null || fail "add with the key checks the private key"

echo "certificates read without the key; loading the private key needs the right one (exit 6)"
grep -q "CN=farm.example" <<< "$("$BIN" --store "$STORE" cert show)" || fail "cert show without the key"
expect 6 "needs the farm key" --store "$STORE" add sslcert "ipport=10.9.0.2:443" \
  "certhash=$TH" "appid=$APPID"
expect 6 "cannot be decrypted with this farm key" --store "$STORE" --key-file other.key \
  add sslcert "ipport=10.9.0.2:443" "certhash=$TH" "appid=$APPID"

echo "the CCS password is sealed the same way"
mkdir -p ccs
SSLBIND_KEY_FILE=farm.key "$BIN" --store "$STORE" ccs enable "path=$tmp/ccs" password=s3cretpw > /dev/null
grep -q '^ccs\..*\.password$' <<< "$("$PG_BIN/psql" -Atq -d "$STORE" -c "SELECT name FROM secret")" ||
  fail "no sealed CCS password"
grep -q s3cretpw <<< "$("$PG_BIN/pg_dump" -d "$STORE")" && fail "the CCS password is in the database in clear"

echo "a replaced secret goes in the same transaction as its replacement"
ccs_rows() {
  "$PG_BIN/psql" -Atq -d "$STORE" -c "SELECT count(*) FROM secret WHERE name LIKE 'ccs.%'"
}
[ "$(ccs_rows)" = 1 ] || fail "$(ccs_rows) CCS password rows after enable"
SSLBIND_KEY_FILE=farm.key "$BIN" --store "$STORE" ccs enable "path=$tmp/ccs" password=another > /dev/null
[ "$(ccs_rows)" = 1 ] || fail "$(ccs_rows) CCS password rows after a new password"
SSLBIND_KEY_FILE=farm.key "$BIN" --store "$STORE" ccs disable > /dev/null
[ "$(ccs_rows)" = 0 ] || fail "$(ccs_rows) CCS password rows left after disable"
key_rows() {
  "$PG_BIN/psql" -Atq -d "$STORE" -c "SELECT count(*) FROM secret WHERE name LIKE '$TH.%'"
}
SSLBIND_KEY_FILE=farm.key "$BIN" --store "$STORE" cert import both.pem > /dev/null
[ "$(key_rows)" = 1 ] || fail "$(key_rows) sealed keys after the key was imported again"
SSLBIND_KEY_FILE=farm.key "$BIN" --store "$STORE" delete sslcert "ipport=10.9.0.1:443" > /dev/null
SSLBIND_KEY_FILE=farm.key "$BIN" --store "$STORE" cert delete "certhash=$TH" > /dev/null
[ "$(key_rows)" = 0 ] || fail "$(key_rows) sealed keys left after the certificate was deleted"
echo "a store in PostgreSQL has no snapshot image: the image commands refuse it (87, exit 2)"
for command in build show remove; do
  expect 2 "a store in PostgreSQL has no snapshot image" --store "$STORE" image $command
  rc=0
  "$BIN" --store "$STORE" --json image $command > "$tmp/out" 2> /dev/null || rc=$?
  [ $rc = 2 ] || fail "--json image $command exited $rc, not 2"
  grep -qF '{"error":{"win32":87,"message":"a store in PostgreSQL has no snapshot image"}}' \
    "$tmp/out" || fail "--json image $command printed $(cat "$tmp/out")"
done
expect 2 "a store in PostgreSQL has no snapshot image" --store "$STORE" image build --dry-run
echo "PASS"
