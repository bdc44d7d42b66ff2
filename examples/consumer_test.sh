#!/usr/bin/env bash
# Installs the built sslbind into a temporary prefix, builds the separate
# project examples/consumer against it with find_package(sslbind), runs it on
# a temporary store, and checks the bindings it lists.
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
echo "find_package(sslbind) consumer: 1 passed, 0 failed"
