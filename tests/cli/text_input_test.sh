#!/usr/bin/env bash
# Text that is not UTF-8 is refused at every input, naming the parameter (or
# the file's line) and the byte offset; store names follow one rule
# everywhere; messages quote a bad value briefly, escaped, whatever its size.
# Every refusal leaves no store behind.
#
#   text_input_test.sh SSLBIND_BINARY
set -euo pipefail
BIN=$1
# shellcheck source=lib/setup.sh
source "$(dirname "$0")/lib/setup.sh"

H=0102030405060708090a0b0c0d0e0f1011121314
A='{00112233-4455-6677-8899-aabbccddeeff}'
ADD=(--no-verify add sslcert certhash=$H appid=$A)

# refused EXPECTED_MESSAGE ARGS...: exit 2 (error 87), the message on
# standard error, and no store created.
refused() {
  local expected=$1 rc=0
  shift
  "$BIN" --store s.db "$@" > out 2> err || rc=$?
  [ "$rc" = 2 ] || fail "$*: exit $rc, not 2: $(cat err)"
  grep -qF -- "$expected" err || fail "$*: no '$expected' in: $(cat err)"
  [ ! -e s.db ] || fail "$*: a store was created"
  if LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f\x80-\xff]' err; then
    fail "$*: raw control or non-UTF-8 bytes on standard error"
  fi
}

# Arguments.
refused "certstorename='M\\xffY': the byte at offset 1 is not valid UTF-8" \
  "${ADD[@]}" ipport=1.2.3.4:443 certstorename=$'M\xffY'
refused "sslctlstorename='\\xff': the byte at offset 0 is not valid UTF-8" \
  "${ADD[@]}" ipport=1.2.3.4:443 sslctlstorename=$'\xff'
refused "sslctlidentifier='ab\\xc3': the byte at offset 2 is not valid UTF-8" \
  "${ADD[@]}" ipport=1.2.3.4:443 sslctlidentifier=$'ab\xc3'
refused "ipport='\\xff:443': the byte at offset 0 is not valid UTF-8" \
  "${ADD[@]}" ipport=$'\xff:443'
refused "hostnameport='h\\xc3.com:443': the byte at offset 1 is not valid UTF-8" \
  "${ADD[@]}" hostnameport=$'h\xc3.com:443' certstorename=MY
refused "parameter name 'cert\\xffstorename': the byte at offset 4" \
  "${ADD[@]}" ipport=1.2.3.4:443 $'cert\xffstorename=MY'
refused "verifyclientcertrevocation='\\xed\\xa0\\x80': the byte at offset 0" \
  "${ADD[@]}" ipport=1.2.3.4:443 verifyclientcertrevocation=$'\xed\xa0\x80'

# One rule for store names: add, cert show, cert import, imports.
refused "certstorename: certificate store name 'MY\\\\..\\\\..\\\\X' may hold only" \
  "${ADD[@]}" ipport=1.2.3.4:443 'certstorename=MY\..\..\X'
refused "sslctlstorename: certificate store name 'a.b' may hold only" \
  "${ADD[@]}" ipport=1.2.3.4:443 sslctlstorename=a.b
refused "certificate store name 'MY\\\\..\\\\..\\\\X' may hold only" \
  cert show 'store=MY\..\..\X'
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
  -keyout k.pem -out c.pem -subj /CN=www.contoso.com -days 30 2> /dev/null
cat c.pem k.pem > www.pem
refused "certificate store name 'MY\\\\..\\\\..\\\\X' may hold only" \
  cert import www.pem 'store=MY\..\..\X'
refused "certificate store name 'M\\xffY': the byte at offset 1 is not valid UTF-8" \
  cert import www.pem store=$'M\xffY'
printf '{"version":1,"bindings":[{"ipport":"1.2.3.4:443","certhash":"%s","appid":"%s","certstorename":"MY\\\\..\\\\X"}]}\n' \
  $H "$A" > dots.json
refused "bindings[0].certstorename: certstorename: certificate store name" \
  import dots.json
# A store name in another script is a name like any other.
"$BIN" --store ok.db "${ADD[@]}" hostnameport=www.contoso.com:443 \
  certstorename="Zertifikate für Web" > /dev/null || fail "a German store name was refused"

# The CCS folder is stored text too (the folder need not exist to be named).
# (The store file itself may be created before the folder is checked: only
# the bad text must not be stored.)
rc=0
"$BIN" --store ccs.db ccs enable path=$'/tmp/\xff' > out 2> err || rc=$?
[ "$rc" = 2 ] || fail "ccs enable: exit $rc, not 2: $(cat err)"
grep -qF "the CCS folder '/tmp/\\xff': the byte at offset 5 is not valid UTF-8" err ||
  fail "ccs enable: $(cat err)"
if [ -e ccs.db ] && sqlite3 ccs.db .dump | LC_ALL=C grep -q $'\xff'; then
  fail "ccs enable: the bad path was stored"
fi

# Files: netsh text, UTF-8 and UTF-16 .reg, JSON, scripts: the line, the
# offset, and the start of the line (the field or value it is in).
{
  printf '\nSSL Certificate bindings:\n-------------------------\n\n'
  printf '    IP:port                      : 1.2.3.4:443\n'
  printf '    Certificate Hash             : %s\n' $H
  printf '    Application ID               : %s\n' "$A"
  printf '    Certificate Store Name       : M\xffY\n\n'
} > bad.txt
refused "bad.txt:8: the byte at offset 287 (column 37) is not valid UTF-8: 'Certificate Store Name       : M\\xffY'" \
  import bad.txt
R='[HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\HTTP\Parameters\SslBindingInfo\1.2.3.4:443]'
printf 'Windows Registry Editor Version 5.00\n\n%s\n"SslCertStoreName"="M\xffY"\n' "$R" > bad.reg
refused "bad.reg:4: the byte at offset 157 (column 22) is not valid UTF-8: '\"SslCertStoreName\"=\"M\\xffY\"'" \
  import bad.reg
# UTF-16: a high surrogate followed by a letter.
{ printf '\xff\xfe'; printf 'Windows Registry Editor Version 5.00\r\n\r\n%s\r\n"SslCertStoreName"="M' "$R" |
    iconv -f UTF-8 -t UTF-16LE; printf '\x00\xd8Y\x00"\x00\r\x00\n\x00'; } > bad16.reg
refused "bad16.reg: not valid UTF-16 LE text: the byte at offset 322 ends the file early or is half of a broken surrogate pair" import bad16.reg
printf '{"version":1,"bindings":[{"ipport":"1.2.3.4:443","certhash":"%s","appid":"%s","sslctlidentifier":"\xc0\xaf"}]}\n' \
  $H "$A" > bad.json
refused "bad.json:1: the byte at offset 172 (column 173) is not valid UTF-8" import bad.json
printf 'add sslcert ipport=1.2.3.4:443 certhash=%s appid=%s sslctlstorename=C\xffA\n' \
  $H "$A" > bad-script.txt
# Scripts are read line by line: the line's parameter names the bad byte.
refused "bad-script.txt:1: sslctlstorename='C\\xffA': the byte at offset 1 is not valid UTF-8" \
  --no-verify -f bad-script.txt

# Echoed input: an ESC from an argument and from a file is escaped, and a
# 20 MB certificate hash is quoted by its first 80 bytes and its length.
refused "certhash='\\e[31mred': the character U+001B at offset 0 is not a hex digit" \
  "${ADD[@]:0:3}" ipport=1.2.3.4:443 certhash=$'\e[31mred' appid=$A
head -c 20000000 /dev/zero | tr '\0' 'a' > hash.txt
{
  printf '{"version":1,"bindings":[{"ipport":"1.2.3.4:443","appid":"%s","certhash":"' "$A"
  cat hash.txt
  printf '"}]}\n'
} > big.json
refused "certhash 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'... (20000000 bytes) must be" \
  import big.json
[ "$(wc -c < err)" -lt 1000 ] || fail "big.json: $(wc -c < err) bytes on standard error"
echo "every bad text refused with its place; messages short and escaped"
