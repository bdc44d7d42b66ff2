#!/usr/bin/env bash
# A user who may read but not write the store, nor create files in its
# folder, can run every read command in every state the files beside the
# store can be in, and creates nothing; every change gets error 5 (exit 6)
# and leaves every file untouched. The states:
#   closed     a writer closed: the store is one file (rollback journal)
#   dumped     `sqlite3 STORE .dump` ran and closed it last
#   wal-left   another tool switched it to WAL mode and closed it last: WAL
#              mode with no -wal or -shm file
#   held       another connection holds it open in WAL mode with a write
#              transaction in progress: -wal and -shm exist
#   killed     that connection was killed (-9): -wal and -shm left behind
# As root the commands run as `nobody`; otherwise the folder and the files
# are made read-only for the current user while the reader runs.
set -euo pipefail
SSLBIND=$1
holder=
at_exit() {
  [ -z "$holder" ] || kill -9 "$holder" 2> /dev/null
  chmod -R u+w "$WORK" 2> /dev/null
}
# shellcheck source=lib/setup.sh
source "$(dirname "$0")/lib/setup.sh"
chmod 755 "$WORK"
# shellcheck source=lib/certs.sh
source "$HERE/lib/certs.sh"
DIR=$WORK/store
STORE=$DIR/bindings.db
APPID='appid={00112233-4455-6677-8899-aabbccddeeff}'

make_cert www www.contoso.com "DNS:www.contoso.com" $CERT_VALID_FROM $CERT_VALID_TO
chmod 644 www.*
hash=$(thumbprint www)
mkdir ccs && chmod 755 ccs
"$SSLBIND" --store "$STORE" cert import www.pem > /dev/null
"$SSLBIND" --store "$STORE" add sslcert ipport=0.0.0.0:443 certhash="$hash" "$APPID" > /dev/null
"$SSLBIND" --store "$STORE" add sslcert ccs=443 "$APPID" > /dev/null
"$SSLBIND" --store "$STORE" ccs enable path="$WORK/ccs" > /dev/null
[ "$(ls "$DIR")" = "bindings.db
bindings.db.keys" ] || fail "a closed store should be one file and its key folder: $(ls "$DIR")"

if [ "$(id -u)" = 0 ]; then
  as_reader() { setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"; }
  lock_down() { :; }
  unlock() { :; }
else
  as_reader() { "$@"; }
  lock_down() { chmod a-w "$DIR" "$DIR"/bindings.db*; }
  unlock() { chmod u+w "$DIR" "$DIR"/bindings.db*; }
fi
fingerprint() { (cd "$DIR" && ls -la --time-style=+%s.%N . && sha256sum ./bindings.db); }

passed=0
read_everything() {  # read_everything STATE
  local state=$1 out before
  lock_down
  before=$(fingerprint)
  out=$(as_reader "$SSLBIND" --store "$STORE" show sslcert 2>&1) ||
    fail "$state: show exited $?: $out"
  grep -q 'IP:port                      : 0.0.0.0:443' <<< "$out" || fail "$state: show: $out"
  grep -q 'Central Certificate Store    : 443' <<< "$out" || fail "$state: show: $out"
  out=$(as_reader "$SSLBIND" --store "$STORE" --json show sslcert ccs=443 2>&1) ||
    fail "$state: json show exited $?: $out"
  out=$(as_reader "$SSLBIND" --store "$STORE" resolve ip=10.0.0.1 port=443 2>&1) ||
    fail "$state: resolve exited $?: $out"
  grep -qi "$hash" <<< "$out" || fail "$state: resolve: $out"
  out=$(as_reader "$SSLBIND" --store "$STORE" --json check --no-certificates 2>&1) ||
    fail "$state: check exited $?: $out"
  out=$(as_reader "$SSLBIND" --store "$STORE" export 2>&1) ||
    fail "$state: export exited $?: $out"
  grep -q '"0.0.0.0:443"' <<< "$out" || fail "$state: export: $out"
  out=$(as_reader "$SSLBIND" --store "$STORE" cert show 2>&1) ||
    fail "$state: cert show exited $?: $out"
  grep -qi "$hash" <<< "$out" || fail "$state: cert show: $out"
  out=$(as_reader "$SSLBIND" --store "$STORE" ccs show 2>&1) ||
    fail "$state: ccs show exited $?: $out"
  grep -q "$WORK/ccs" <<< "$out" || fail "$state: ccs show: $out"
  rc=0
  out=$(as_reader "$SSLBIND" --store "$STORE" image show 2>&1) || rc=$?
  [ $rc = 10 ] || fail "$state: image show exited $rc, not 10 (no image): $out"
  grep -q 'State  *: missing' <<< "$out" || fail "$state: image show: $out"
  [ "$before" = "$(fingerprint)" ] || fail "$state: a reader changed or created a file: $(ls -la "$DIR")"
  unlock
  passed=$((passed + 8))
}

read_everything closed

sqlite3 "$STORE" .dump > /dev/null
read_everything dumped

[ "$(sqlite3 "$STORE" 'PRAGMA journal_mode = WAL')" = wal ] || fail "cannot switch to WAL"
[ ! -e "$STORE-wal" ] || fail "sqlite3 should have removed the -wal file"
read_everything wal-left

# A connection holding the store open, in the middle of a write transaction.
mkfifo "$WORK/holder.in"
sqlite3 "$STORE" < "$WORK/holder.in" > /dev/null 2>&1 &
holder=$!
exec 3> "$WORK/holder.in"
# The holder touches holder.ready once its UPDATE has run: until then it may
# still be writing the -wal and -shm files, which the readers' fingerprint
# would see change under them.
echo "BEGIN IMMEDIATE; UPDATE store_meta SET value = value + 1000;" >&3
echo ".shell touch '$WORK/holder.ready'" >&3
for _ in $(seq 200); do [ -e "$WORK/holder.ready" ] && break; sleep 0.05; done
[ -e "$WORK/holder.ready" ] || fail "the holder did not begin its write"
[ -e "$STORE-wal" ] && [ -e "$STORE-shm" ] || fail "the holder did not open the store"
read_everything held

kill -9 "$holder"
wait "$holder" 2>/dev/null || true
holder=
exec 3>&-
[ -e "$STORE-wal" ] && [ -e "$STORE-shm" ] || fail "a killed connection should leave -wal and -shm"
read_everything killed

lock_down
before=$(fingerprint)
checks=0
for cmd in "add sslcert ipport=1.2.3.4:443 certhash=01 $APPID" \
           "update sslcert ccs=443 reject=enable" \
           "delete sslcert ccs=443" \
           "image build"; do
  rc=0
  # shellcheck disable=SC2086
  err=$(as_reader "$SSLBIND" --store "$STORE" $cmd 2>&1) || rc=$?
  [ $rc = 6 ] || fail "'$cmd' as a reader exited $rc, expected 6: $err"
  grep -q 'failed, Error: 5$' <<< "$err" || fail "'$cmd': $err"
  grep -q '^Access is denied.$' <<< "$err" || fail "'$cmd': $err"
  checks=$((checks + 1))
done
[ "$before" = "$(fingerprint)" ] || fail "a refused change touched the store files"
unlock

# The next writer leaves one file again.
"$SSLBIND" --store "$STORE" delete sslcert ccs=443 > /dev/null
[ ! -e "$STORE-wal" ] && [ ! -e "$STORE-shm" ] || fail "the writer left $(ls "$DIR")"
echo "read-only user: 8 reads in 5 states, $checks changes refused with error 5: $((passed + checks)) passed, 0 failed"
