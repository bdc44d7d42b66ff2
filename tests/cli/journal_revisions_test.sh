#!/usr/bin/env bash
# Every changing command writes exactly one revision, with one journal
# entry carrying its --reason; its dry run, a failure and an
# --expect-revision mismatch write none (the store's dump is unchanged).
#
#   journal_revisions_test.sh SSLBIND_BINARY
set -euo pipefail
SSLBIND=$1
# shellcheck source=lib/setup.sh
source "$(dirname "$0")/lib/setup.sh"
# shellcheck source=lib/certs.sh
source "$HERE/lib/certs.sh"
store=$WORK/store/bindings.db
sb() { "$SSLBIND" --store "$store" "$@"; }
APPID='appid={4dc3e181-e14b-4a21-b022-59fc669b0914}'

make_cert www www.contoso.com "DNS:www.contoso.com" $CERT_VALID_FROM $CERT_VALID_TO
HASH=$(thumbprint www)
mkdir ccs
printf 'add sslcert ccs=8443 %s\n' "$APPID" > script.txt
cat script.txt script.txt > twice.txt
printf '{"version":1,"bindings":[{"ccs":9443,"appid":"{4dc3e181-e14b-4a21-b022-59fc669b0914}"}]}\n' > want.json
printf '{"version":1,"bindings":[{"ccs":7443,"appid":"{4dc3e181-e14b-4a21-b022-59fc669b0914}"}]}\n' > more.json

passed=0
# changes ARGS...: one revision more, journaled with the reason "r<N>".
changes() {
  local before after reason
  before=$(sb revision)
  reason="r$((before + 1))"
  sb "$@" --reason "$reason" > out.txt 2>&1 || fail "$* failed: $(cat out.txt)"
  after=$(sb revision)
  [ "$after" = $((before + 1)) ] || fail "$* moved the revision from $before to $after"
  grep -q "  reason: $reason\$" <<< "$(sb history --limit 1 | sed -n 1p)" ||
    fail "$* has no journal entry with its reason: $(sb history --limit 1)"
  passed=$((passed + 1))
}
# nothing ARGS...: fails or is a dry run, and the store is as it was.
nothing() {
  local before after
  before=$(sqlite3 -readonly "$store" .dump)
  sb "$@" > out.txt 2>&1 || true
  after=$(sqlite3 -readonly "$store" .dump)
  [ "$before" = "$after" ] || fail "$* changed the store: $(cat out.txt)"
  passed=$((passed + 1))
}

changes cert import www.pem
changes add sslcert ipport=0.0.0.0:443 certhash=$HASH "$APPID"
changes update sslcert ipport=0.0.0.0:443 disablehttp2=enable
changes ccs enable "path=$WORK/ccs"
changes ccs disable
changes -f script.txt
changes apply want.json
changes import more.json
changes delete sslcert ccs=9443
changes rollback --to 2
changes cert delete "certhash=$HASH" --force
rev=$(sb revision)
[ "$rev" = 11 ] || fail "11 changes made revision $rev"
nothing --dry-run add sslcert ccs=1443 "$APPID"
nothing add sslcert ipport=0.0.0.0:443 certhash=$HASH "$APPID" --no-verify
nothing delete sslcert ccs=1
nothing add sslcert ccs=1443 "$APPID" --expect-revision 10
nothing apply want.json --expect-revision 10
nothing apply want.json --check
nothing -f twice.txt
nothing rollback --to 3 --dry-run --no-verify
nothing rollback --to 3
nothing rollback --to 3 --no-verify --expect-revision 1
nothing ccs enable
nothing cert delete certhash=0102
[ "$(sb revision)" = 11 ] || fail "a failure or dry run moved the revision"
sb add sslcert ccs=1443 "$APPID" --expect-revision 11 > out.txt 2>&1 ||
  fail "--expect-revision of the current revision refused: $(cat out.txt)"
rc=0; sb add sslcert ccs=2443 "$APPID" --expect-revision 11 > out.txt 2>&1 || rc=$?
[ $rc = 11 ] && grep -q 'Error: 1306' out.txt || fail "a stale --expect-revision exited $rc: $(cat out.txt)"
echo "journal revisions: $((passed + 2)) passed, 0 failed"
