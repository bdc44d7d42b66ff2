#!/usr/bin/env bash
# Installs the built sslbind into a temporary prefix, builds the separate
# project examples/consumer against it with find_package(sslbind), runs its
# programs on a temporary store, and checks what they print.
set -euo pipefail
BUILD_DIR=$1
SOURCE_DIR=$2
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

cmake --install "$BUILD_DIR" --prefix "$WORK/prefix" > /dev/null
test -x "$WORK/prefix/bin/sslbind"
test -f "$WORK/prefix/include/sslbind/store.h"
cmake -S "$SOURCE_DIR/examples/consumer" -B "$WORK/build" \
  -DCMAKE_PREFIX_PATH="$WORK/prefix" > /dev/null
cmake --build "$WORK/build" > /dev/null
"$WORK/prefix/bin/sslbind" --store "$WORK/s.db" add sslcert ccs=443 \
  'appid={00112233-4455-6677-8899-aabbccddeeff}' > /dev/null
out=$("$WORK/build/list_bindings" "$WORK/s.db")
expected="ipport=0.0.0.0:443 0102030405060708090a0b0c0d0e0f1011121314
ccs=443 
sslbind $("$WORK/prefix/bin/sslbind" --version | cut -d' ' -f2)"
if [ "$out" != "$expected" ]; then
  printf 'FAIL: consumer printed:\n%s\nexpected:\n%s\n' "$out" "$expected" >&2
  exit 1
fi

# pick_certificate: a generated certificate, bound by name and as the
# default site, served to the handshakes that resolve to it.
SSLBIND=("$WORK/prefix/bin/sslbind" --store "$WORK/s.db")
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
  -days 30 -subj /CN=www.contoso.com -addext subjectAltName=DNS:www.contoso.com \
  -keyout "$WORK/site.key" -out "$WORK/site.crt" 2> /dev/null
cat "$WORK/site.crt" "$WORK/site.key" > "$WORK/site.pem"
"${SSLBIND[@]}" cert import "$WORK/site.pem" > /dev/null
hash=$(openssl x509 -in "$WORK/site.crt" -noout -fingerprint -sha1 |
  sed 's/.*=//; s/://g' | tr A-F a-f)
"${SSLBIND[@]}" add sslcert hostnameport=www.contoso.com:443 \
  certhash="$hash" 'appid={00112233-4455-6677-8899-aabbccddeeff}' \
  certstorename=MY > /dev/null
pick() { "$WORK/build/pick_certificate" "$WORK/s.db" "$@"; }
check() {  # check WHAT EXPECTED-STATUS EXPECTED-OUTPUT ARGS...
  local what=$1 want_status=$2 want=$3 got status=0
  shift 3
  got=$(pick "$@") || status=$?
  if [ "$status" != "$want_status" ] || [ "$got" != "$want" ]; then
    printf 'FAIL: %s: exit %s, printed:\n%s\nexpected exit %s and:\n%s\n' \
      "$what" "$status" "$got" "$want_status" "$want" >&2
    exit 1
  fi
}
check "the SNI binding" 0 "binding hostnameport=www.contoso.com:443
certificate $hash from the certificate store MY" 10.0.0.1 443 www.contoso.com
# The default site of list_bindings names a certificate nobody has.
check "no SNI: the default site, without its certificate" 5 "binding ipport=0.0.0.0:443
cannot serve it (Win32 1312): the certificate 0102030405060708090a0b0c0d0e0f1011121314 is not in the certificate store MY" \
  10.0.0.1 443
check "a port without bindings" 3 "no binding: the handshake fails" \
  10.0.0.1 8443 www.contoso.com
echo "find_package(sslbind) consumer: 4 passed, 0 failed"
