#!/usr/bin/env bash
# Progress goes to standard error only when it is a terminal: shown under a
# pseudo-terminal (script(1)), never when standard error is a pipe or file.
#
#   progress_test.sh SSLBIND_BINARY
set -euo pipefail
BIN=$1
# shellcheck source=lib/setup.sh
source "$(dirname "$0")/lib/setup.sh"

A='{00112233-4455-6677-8899-aabbccddeeff}'
{
  printf '{"version":1,"bindings":[\n'
  for port in $(seq 1 3000); do
    [ "$port" = 1 ] || printf ',\n'
    printf '{"ccs":%d,"appid":"%s"}' "$port" "$A"
  done
  printf '\n]}\n'
} > many.json

# Piped: nothing but the result.
"$BIN" --store piped.db import many.json > out.txt 2> err.txt
[ ! -s err.txt ] || fail "progress was written to a pipe: $(cat err.txt)"
grep -qx 'Imported 3000 bindings from many.json (json).' out.txt ||
  fail "unexpected output: $(cat out.txt)"

# On a terminal: the counter, ending at 100%, then erased.
command -v script > /dev/null || fail "script(1) is needed for this test"
script -qec "'$BIN' --store tty.db import many.json" /dev/null > tty.txt
grep -q 'importing: 3000 (100%)' tty.txt ||
  fail "no progress on a terminal: $(cat -v tty.txt)"
# The progress line is erased before the result is printed.
grep -q $'\r\x1b\\[KImported 3000 bindings' tty.txt ||
  fail "the result is not on a line of its own: $(cat -v tty.txt)"
script -qec "'$BIN' --store tty.db apply many.json --prune" /dev/null > apply.txt
grep -q 'reading the store' apply.txt || fail "apply showed no progress"
echo "progress only on a terminal"
