#!/usr/bin/env bash
# A user who may read but not write the store (WAL files included) can show
# it; every change gets error 5 (exit 6) and leaves every file untouched.
# As root the commands run as `nobody`; otherwise the store is made
# read-only for the current user.
set -euo pipefail
SSLBIND=$1
WORK=$(mktemp -d)
trap 'chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
chmod 755 "$WORK"
STORE=$WORK/store/bindings.db
fail() { echo "FAIL: $*" >&2; exit 1; }

"$SSLBIND" --store "$STORE" add sslcert ipport=0.0.0.0:443 certhash=01 --no-verify \
  'appid={00112233-4455-6677-8899-aabbccddeeff}' > /dev/null
"$SSLBIND" --store "$STORE" add sslcert ccs=443 \
  'appid={00112233-4455-6677-8899-aabbccddeeff}' > /dev/null
ls "$STORE-wal" "$STORE-shm" > /dev/null || fail "the WAL files should stay beside the store"

if [ "$(id -u)" = 0 ]; then
  as_reader() { setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"; }
else
  chmod a-w "$WORK/store" "$STORE" "$STORE-wal" "$STORE-shm"
  as_reader() { "$@"; }
fi
fingerprint() { (cd "$WORK/store" && ls -la --time-style=+%s.%N . && sha256sum ./*); }
before=$(fingerprint)

out=$(as_reader "$SSLBIND" --store "$STORE" show sslcert) || fail "show as a reader exited $?"
grep -q 'IP:port                      : 0.0.0.0:443' <<< "$out" || fail "show as a reader: $out"
grep -q 'Central Certificate Store    : 443' <<< "$out" || fail "show as a reader: $out"
as_reader "$SSLBIND" --store "$STORE" --json show sslcert ccs=443 > /dev/null || fail "json show"

checks=0
for cmd in "add sslcert ipport=1.2.3.4:443 certhash=01 appid={00112233-4455-6677-8899-aabbccddeeff}" \
           "update sslcert ccs=443 reject=enable" \
           "delete sslcert ccs=443"; do
  rc=0
  err=$(as_reader "$SSLBIND" --store "$STORE" $cmd 2>&1) || rc=$?
  [ $rc = 6 ] || fail "'$cmd' as a reader exited $rc, expected 6: $err"
  grep -q 'failed, Error: 5$' <<< "$err" || fail "'$cmd': $err"
  grep -q '^Access is denied.$' <<< "$err" || fail "'$cmd': $err"
  checks=$((checks + 1))
done
[ "$before" = "$(fingerprint)" ] || fail "a refused change touched the store files"
echo "read-only user: show works, $checks changes refused with error 5: $((checks + 2)) passed, 0 failed"
