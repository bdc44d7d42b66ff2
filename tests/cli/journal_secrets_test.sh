#!/usr/bin/env bash
# Secrets never reach the journal: after `cert import ... password=S` and
# `ccs enable ... password=S`, the string S appears nowhere in the store
# file (with its WAL), the journal's tables, `history` or its --json form;
# the journaled command lines read password=***. Each change is one
# revision, and the certificate is journaled by store, thumbprint and
# subject.
#
#   journal_secrets_test.sh SSLBIND_BINARY
set -euo pipefail
SSLBIND=$1
# shellcheck source=lib/setup.sh
source "$(dirname "$0")/lib/setup.sh"
# shellcheck source=lib/certs.sh
source "$HERE/lib/certs.sh"

SECRET='Pfx-S3cret-4711'
make_cert www www.contoso.com "DNS:www.contoso.com" $CERT_VALID_FROM $CERT_VALID_TO
openssl pkcs12 -export -in www.crt -inkey www.key -passout "pass:$SECRET" \
  -out www.secret.pfx
store=$WORK/store/bindings.db
sb() { "$SSLBIND" --store "$store" "$@"; }

sb cert import www.secret.pfx "password=$SECRET" --reason "new cert" > out.txt 2>&1 ||
  fail "import failed: $(cat out.txt)"
mkdir ccs
sb ccs enable "path=$WORK/ccs" "password=$SECRET" > out.txt 2>&1 ||
  fail "ccs enable failed: $(cat out.txt)"
[ "$(sb revision)" = 2 ] || fail "two changes are not revisions 1 and 2: $(sb revision)"

sb history > history.txt
sb --json history > history.json
sqlite3 -readonly "$store" .dump > dump.sql
sqlite3 -readonly "$store" "SELECT revision, user, command, reason FROM journal_revision" > journal.txt
sqlite3 -readonly "$store" "SELECT writefile('changes' || revision || '.bin', changes) FROM journal_revision" > /dev/null
# (The write-ahead log is there only while it holds something.)
for f in "$store" "$store-wal" history.txt history.json dump.sql journal.txt changes1.bin changes2.bin; do
  [ -e "$f" ] || [ "$f" = "$store-wal" ] || fail "$f is missing"
  [ -e "$f" ] || continue
  if grep -aq "$SECRET" "$f"; then fail "the secret is in $(basename "$f")"; fi
done
grep -q "password=\*\*\*" history.txt || fail "no password=*** in history: $(cat history.txt)"
[ "$(grep -c 'password=\*\*\*' history.txt)" -ge 2 ] ||
  fail "a command line was not redacted: $(cat history.txt)"
thumb=$(thumbprint www)
[ ${#thumb} = 40 ] || fail "openssl gave no thumbprint"
grep -q "    cert import MY $thumb (.*CN=www.contoso.com" history.txt ||
  fail "the certificate $thumb is not journaled by store, thumbprint and subject: $(cat history.txt)"
grep -q "    ccs enable path=$WORK/ccs password=\*\*\*" history.txt ||
  fail "the CCS change is not journaled: $(cat history.txt)"
grep -q '"certificate":{"store":"MY","thumbprint":"'"$thumb"'","subject":"[^"]*www.contoso.com' history.json ||
  fail "no certificate object in --json history: $(cat history.json)"
# The journal holds no certificate bytes: the certificate's revision is
# shorter than its DER alone.
der=$(stat -c %s www.cer)
cert_entry=$(stat -c %s changes1.bin)
[ "$cert_entry" -lt "$der" ] ||
  fail "the certificate's journal entry ($cert_entry bytes) could hold its $der bytes of DER"
if grep -aqF "$(head -c 64 www.cer)" changes1.bin; then fail "certificate bytes in the journal"; fi
echo "journal secrets: 9 passed, 0 failed"
