#!/usr/bin/env bash
# Certificates through the real binary, checked against openssl itself:
# - every import format gives the thumbprint `openssl x509 -fingerprint
#   -sha1` gives;
# - private keys and the CCS password live in 0600 files in a 0700 folder,
#   whatever the umask, and never appear in any output or in the database.
#
#   cert_files_test.sh SSLBIND_BINARY
set -euo pipefail
SSLBIND=$1
# shellcheck source=lib/setup.sh
source "$(dirname "$0")/lib/setup.sh"
# shellcheck source=lib/certs.sh
source "$HERE/lib/certs.sh"

make_cert www www.contoso.com "DNS:www.contoso.com" $CERT_VALID_FROM $CERT_VALID_TO
expected=$(thumbprint www)
[ ${#expected} = 40 ] || fail "openssl gave no thumbprint"
openssl pkcs12 -export -in www.crt -inkey www.key -keypbe NONE -certpbe NONE \
  -nomac -passout pass: -out www.plain.pfx
# As Windows Server 2016 and older export: certificates under RC2-40.
openssl pkcs12 -export -in www.crt -inkey www.key -legacy -passout pass:pw \
  -out www.legacy.pfx

json_field() {  # json_field FIELD: the first "FIELD":"value" of stdin
  grep -o "\"$1\":\"[^\"]*\"" | sed -n 1p | sed 's/^.*:"//; s/"$//'
}

n=0
for file in www.pem www.crt www.cer www.pfx www.pw.pfx www.plain.pfx \
            www.legacy.pfx; do
  n=$((n + 1))
  store=$WORK/s$n/bindings.db
  args=()
  [ "$file" = www.pw.pfx ] && args=(password=secret)
  [ "$file" = www.legacy.pfx ] && args=(password=pw)
  "$SSLBIND" --store "$store" cert import "$file" "${args[@]}" > out.txt 2>&1 ||
    fail "import of $file failed: $(cat out.txt)"
  got=$("$SSLBIND" --store "$store" --json cert show | json_field thumbprint)
  [ "$got" = "$expected" ] || fail "$file: thumbprint $got, openssl says $expected"
  "$SSLBIND" --store "$store" cert show certhash="$expected" > /dev/null ||
    fail "$file: cert show certhash= does not find it"
done

# Modes do not depend on the umask.
store=$WORK/modes/bindings.db
(umask 000 && "$SSLBIND" --store "$store" cert import www.pem > /dev/null)
(umask 000 && "$SSLBIND" --store "$store" ccs enable path="$WORK" password=hunter2 > /dev/null)
keys=$store.keys
[ "$(stat -c %a "$keys")" = 700 ] || fail "key folder mode $(stat -c %a "$keys")"
count=0
for f in "$keys"/*; do
  count=$((count + 1))
  [ "$(stat -c %a "$f")" = 600 ] || fail "$(basename "$f") has mode $(stat -c %a "$f")"
done
[ "$count" = 2 ] || fail "expected a key file and a password file, found $count files"
grep -qi "^$expected\.[0-9a-f]\{16\}\.key$" <<< "$(ls "$keys")" || fail "no key file named by the thumbprint: $(ls "$keys")"
grep -q '^ccs\.[0-9a-f]\{16\}\.password$' <<< "$(ls "$keys")" || fail "no password file: $(ls "$keys")"
[ "$(cat "$keys"/ccs.*.password)" = hunter2 ] || fail "the password file does not hold the password"

# Secrets never appear in output or in the database.
key_body=$(grep -v -- '-----' www.key | tr -d '\n')
{
  "$SSLBIND" --store "$store" cert import www.pem
  "$SSLBIND" --store "$store" cert show
  "$SSLBIND" --store "$store" --json cert show
  "$SSLBIND" --store "$store" ccs show
  "$SSLBIND" --store "$store" --json ccs show
  sqlite3 -readonly "$store" .dump
} > all.txt 2>&1
grep -q "${key_body:0:40}" <<< "$(tr -d '\n' < all.txt)" && fail "the private key appears in an output"
grep -q hunter2 all.txt && fail "the CCS password appears in an output or the database"
grep -q "$expected" all.txt || fail "the outputs do not even show the certificate"
exit 0
