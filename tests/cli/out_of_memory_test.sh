#!/usr/bin/env bash
# Running out of memory is a failure, never success, and a script's blank
# lines and comments cost no memory.
#
# - A script (-f FILE and -f -) of 100 MB -- two million blank lines and
#   25,000 comment lines of 4,000 bytes around one change -- runs within
#   about the memory of a tiny script (peak resident set size, measured) and
#   adds its binding.
# - A JSON document of 100 MB (2,000 bindings, blank space between them) is
#   imported, by path and from a pipe, within about the memory of a tiny
#   import (peak resident set size, measured): import reads its file a
#   piece at a time. So are the same document in UTF-16, a .reg file in
#   UTF-16 and netsh output of the same bindings, 100 MB each with their
#   blank space or comment lines.
# - Under a 60 MB address-space limit (ulimit -v), that script still runs;
#   importing the same 100 MB (by path and from standard input) fails with
#   exit status 1, "out of memory" and import's verb ("SSL Certificate add
#   failed"; with --json one error object with Win32 error 1359), and leaves
#   the store as it was -- import maps its file, which needs address space
#   (not resident memory) for all of it; a script of 300,000 changes that
#   do not fit fails the same way and writes nothing.
#   An AddressSanitizer build reserves terabytes of address space, so the
#   limited part runs only in the builds without it (the debug and -O2
#   builds of the suite); the memory measurement runs in every build.
#
#   out_of_memory_test.sh SSLBIND_BINARY
set -euo pipefail
BIN=$(realpath "$1")
# shellcheck source=lib/setup.sh
source "$(dirname "$0")/lib/setup.sh"
command -v python3 > /dev/null || fail "python3 is needed for this test"

A='{00112233-4455-6677-8899-aabbccddeeff}'
export A
python3 - <<'PY'
import os
a = os.environ["A"]
with open("big.txt", "w") as f:
    f.write("\n" * 2_000_000)
    comment = "#" + "x" * 3999 + "\n"
    for _ in range(25_000):
        f.write(comment)
    f.write(f"add sslcert ccs=7 appid={a}\n")
def binding(i):
    return ('{"ipport": "10.0.%d.%d:443", "appid": "%s", '
            '"certhash": "0102030405060708090a0b0c0d0e0f1011121314", '
            '"certstorename": "MY"}' % (i >> 8, i & 255, a))
with open("big.json", "w") as f:
    f.write('{"version": 1, "bindings": [')
    blank = " " * 49_999 + "\n"
    for i in range(2000):
        f.write((", " if i else "") + binding(i) + "\n" + blank)
    f.write("]}\n")
# The same 2,000 bindings as a .reg file in UTF-16 LE (as regedit and
# `export --format reg` write it) and as netsh output, each padded with
# comment lines to about 100 MB.
reg_key = "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\HTTP\\Parameters\\SslBindingInfo"
appid_hex = "33,22,11,00,55,44,77,66,88,99,aa,bb,cc,dd,ee,ff"
hash_hex = ",".join("%02x" % b for b in range(1, 21))
with open("big.reg", "w", encoding="utf-16-le", newline="") as f:
    f.write("\ufeffWindows Registry Editor Version 5.00\r\n")
    comment = ";" + "x" * 3999 + "\r\n"
    for i in range(2000):
        f.write("\r\n[%s\\10.0.%d.%d:443]\r\n" % (reg_key, i >> 8, i & 255))
        f.write('"SslCertHash"=hex:%s\r\n"AppId"=hex:%s\r\n' % (hash_hex, appid_hex))
        f.write(comment * 6)
with open("big_netsh.txt", "w") as f:
    f.write("SSL Certificate bindings:\n-------------------------\n")
    comment = "#" + "x" * 3999 + "\n"
    for i in range(2000):
        f.write("\n    IP:port                      : 10.0.%d.%d:443\n" % (i >> 8, i & 255))
        f.write("    Certificate Hash             : 0102030405060708090a0b0c0d0e0f1011121314\n")
        f.write("    Application ID               : %s\n" % a)
        f.write(comment * 12)
# The same bindings as JSON in UTF-16 LE with a byte-order mark (as Windows
# PowerShell's Out-File writes it), about 100 MB.
with open("big16.json", "w", encoding="utf-16-le") as f:
    f.write("\ufeff" + '{"version": 1, "bindings": [')
    blank = " " * 24_999 + "\n"
    for i in range(2000):
        f.write((", " if i else "") + binding(i) + "\n" + blank)
    f.write("]}\n")
with open("tiny.json", "w") as f:
    f.write('{"version": 1, "bindings": [' + binding(0) + "]}\n")
with open("small.txt", "w") as f:
    f.write(f"add sslcert ccs=7 appid={a}\n")
with open("many.txt", "w") as f:
    for i in range(300_000):
        f.write(f"add sslcert ipport=10.{i >> 16}.{(i >> 8) & 255}.{i & 255}:443"
                f" certhash=0102030405060708090a0b0c0d0e0f1011121314 appid={a}"
                f" certstorename=MY\n")
PY
[ "$(stat -c %s big.txt)" -gt 100000000 ] || fail "big.txt is too small"

# peak_kib ARGS... < INPUT: runs sslbind, prints its peak resident set size
# in KiB; fails unless it exits with 0. Under AddressSanitizer without its
# quarantine: freed memory waits there (256 MB by default) before it is
# reused, which the pieces of a streamed import fill, so the peak would
# measure the quarantine, not sslbind.
peak_kib() {
  ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0" python3 -c '
import os, subprocess, sys
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(p.pid, 0)
if os.waitstatus_to_exitcode(status) != 0:
    sys.exit("exit %d: %s" % (os.waitstatus_to_exitcode(status), sys.argv[1:]))
print(usage.ru_maxrss)
' "$BIN" "$@"
}

small=$(peak_kib --store s1.db -f small.txt)
big=$(peak_kib --store s2.db -f - < big.txt)
big_path=$(peak_kib --store s3.db -f big.txt)
for kib in "$big" "$big_path"; do
  [ $((kib - small)) -lt 16384 ] ||
    fail "a 100 MB script of blank lines and comments took $kib KiB, a tiny one $small KiB"
done
for db in s2.db s3.db; do
  "$BIN" --store $db show sslcert ccs=7 > /dev/null || fail "-f did not add ccs=7 to $db"
done
echo "a 100 MB script of comments: peak $big KiB (standard input), $big_path KiB (file); a one-line script: $small KiB"

[ "$(stat -c %s big.json)" -gt 100000000 ] || fail "big.json is too small"
tiny=$(peak_kib --store j1.db import tiny.json)
json_path=$(peak_kib --store j2.db import big.json)
json_pipe=$(cat big.json | peak_kib --store j3.db import -)
for kib in "$json_path" "$json_pipe"; do
  [ $((kib - tiny)) -lt 16384 ] ||
    fail "a 100 MB JSON import of 2,000 bindings took $kib KiB, a one-binding import $tiny KiB"
done
for db in j2.db j3.db; do
  [ "$("$BIN" --store $db --json show sslcert | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["bindings"]))')" = 2000 ] ||
    fail "the 100 MB JSON import into $db did not add 2,000 bindings"
done
echo "a 100 MB JSON import: peak $json_path KiB (file), $json_pipe KiB (pipe); a one-binding import: $tiny KiB"

# JSON in UTF-16 is decoded a piece at a time as it is read.
[ "$(stat -c %s big16.json)" -gt 95000000 ] || fail "big16.json is too small"
json16_path=$(peak_kib --store u1.db import big16.json)
[ $((json16_path - tiny)) -lt 16384 ] ||
  fail "a 100 MB UTF-16 JSON import of 2,000 bindings took $json16_path KiB, a one-binding import $tiny KiB"
[ "$("$BIN" --store u1.db export)" = "$("$BIN" --store j2.db export)" ] ||
  fail "the UTF-16 JSON import differs from the UTF-8 one"
echo "a 100 MB UTF-16 JSON import: peak $json16_path KiB"

# The line formats stream too: a .reg file is decoded from UTF-16 a piece
# at a time, and neither format's lines are held.
[ "$(stat -c %s big.reg)" -gt 95000000 ] || fail "big.reg is too small"
[ "$(stat -c %s big_netsh.txt)" -gt 95000000 ] || fail "big_netsh.txt is too small"
reg_path=$(peak_kib --store r1.db import big.reg)
netsh_path=$(peak_kib --store n1.db import big_netsh.txt)
[ $((reg_path - tiny)) -lt 16384 ] ||
  fail "a 100 MB UTF-16 .reg import of 2,000 bindings took $reg_path KiB, a one-binding import $tiny KiB"
[ $((netsh_path - tiny)) -lt 16384 ] ||
  fail "a 100 MB netsh import of 2,000 bindings took $netsh_path KiB, a one-binding import $tiny KiB"
for db in r1.db n1.db; do
  [ "$("$BIN" --store $db --json show sslcert | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["bindings"]))')" = 2000 ] ||
    fail "the 100 MB import into $db did not add 2,000 bindings"
done
cmp -s <("$BIN" --store r1.db export) <("$BIN" --store n1.db export) ||
  fail "the .reg and the netsh imports differ"
echo "a 100 MB import: peak $reg_path KiB (.reg, UTF-16), $netsh_path KiB (netsh)"

if grep -q __asan_init "$BIN"; then
  echo "AddressSanitizer build: the part under ulimit -v runs in the builds without it"
  exit 0
fi

LIMIT_KIB=60000
limited() { (ulimit -v $LIMIT_KIB && "$BIN" "$@"); }

limited --store l1.db -f - < big.txt > out.txt 2>&1 ||
  fail "-f - under ulimit -v: $(cat out.txt)"
limited --store l1.db show sslcert ccs=7 > /dev/null || fail "-f - did not add ccs=7"
limited --store l2.db -f big.txt > out.txt 2>&1 ||
  fail "-f FILE under ulimit -v: $(cat out.txt)"

# An import maps its file: 100 MB of address space do not fit in 60 MB.
"$BIN" --store imp.db add sslcert ccs=1 appid="$A" > /dev/null
before=$(sqlite3 -readonly imp.db .dump)
check_oom() {  # check_oom WHAT: out.txt, err.txt and $rc of a failed run
  [ "$rc" = 1 ] || fail "$1: exit $rc, not 1: $(cat out.txt err.txt)"
  [ "$(sqlite3 -readonly imp.db .dump)" == "$before" ] || fail "$1 changed the store"
}
rc=0
limited --store imp.db import big.txt --format netsh > out.txt 2> err.txt || rc=$?
check_oom "import FILE"
[ ! -s out.txt ] || fail "import FILE printed: $(cat out.txt)"
grep -q '^SSL Certificate add failed, Error: 1359$' err.txt ||
  fail "import FILE: not import's verb: $(cat err.txt)"
grep -q 'out of memory' err.txt || fail "import FILE: no 'out of memory': $(cat err.txt)"
rc=0
limited --store imp.db import - --format netsh < big.txt > out.txt 2> err.txt || rc=$?
check_oom "import -"
grep -q 'out of memory reading standard input' err.txt ||
  fail "import -: $(cat err.txt)"
rc=0
limited --store imp.db --json import - < big.txt > out.txt 2> err.txt || rc=$?
check_oom "--json import -"
python3 -c '
import json, sys
j = json.load(open("out.txt"))
assert j["error"]["win32"] == 1359 and "out of memory" in j["error"]["message"], j
' || fail "--json import -: $(cat out.txt)"
rc=0
limited --store imp.db apply - < big.txt > out.txt 2> err.txt || rc=$?
check_oom "apply -"

# More changes than memory holds: an error naming the line, nothing written.
rc=0
limited --store imp.db -f many.txt --no-verify > out.txt 2> err.txt || rc=$?
check_oom "-f many.txt"
grep -q 'out of memory' err.txt || fail "-f many.txt: $(cat err.txt)"
grep -q 'nothing was changed' err.txt || fail "-f many.txt: $(cat err.txt)"
rc=0
limited --store imp.db -f - --no-verify < many.txt > out.txt 2> err.txt || rc=$?
check_oom "-f - < many.txt"
grep -q 'holds no changes' out.txt && fail "-f - reported no changes"
echo "under ulimit -v $LIMIT_KIB: scripts of comments run; imports and scripts too large fail with exit 1"
