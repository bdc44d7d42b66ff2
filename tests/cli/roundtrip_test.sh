#!/usr/bin/env bash
# Export -> import into an empty store -> export gives identical bytes, in
# every format, but for the line recording the store's revision; import
# reads standard input; -f - reads a script from it.
#
#   roundtrip_test.sh SSLBIND_BINARY
set -euo pipefail
BIN=$1
# shellcheck source=lib/setup.sh
source "$(dirname "$0")/lib/setup.sh"
# An export's text (UTF-8; a .reg file converted from UTF-16) without the
# line recording the revision, which differs between stores.
strip_revision() {
  if [ "$(head -c2 "$1" | od -An -tx1 | tr -d ' ')" = fffe ]; then
    iconv -f UTF-16 -t UTF-8 "$1"
  else
    cat "$1"
  fi | grep -v -e '^  "revision": [0-9]*,$' \
    -e '^# sslbind export of revision [0-9]*$' \
    -e '^; sslbind export of revision [0-9]*'$'\r''$'
}
same() { cmp <(strip_revision "$1") <(strip_revision "$2"); }

H=0102030405060708090a0b0c0d0e0f1011121314
H32=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
A='{00112233-4455-6677-8899-aabbccddeeff}'
# Every kind, IPv6, a wildcard and an internationalised name, a 32-byte
# hash (wrapped in .reg), strings with quotes, backslashes and non-ASCII
# text, every option off its default somewhere.
cat > setup.txt <<END
add sslcert ipport=0.0.0.0:443 certhash=$H appid=$A certstorename=MY
add sslcert ipport=[fe80::1]:8443 certhash=$H32 appid=$A verifyclientcertrevocation=disable verifyrevocationwithcachedclientcertonly=enable usagecheck=disable revocationfreshnesstime=86400 urlretrievaltimeout=15000 sslctlidentifier='Ctl "one" \\ two' sslctlstorename="Trusted CAs"
add sslcert hostnameport=*.contoso.com:443 certhash=$H appid=$A certstorename="Zertifikate für Web" dsmapperusage=enable clientcertnegotiation=enable reject=enable
add sslcert hostnameport=bücher.example:443 certhash=$H appid=$A certstorename=MY disablehttp2=enable disablequic=enable disabletls12=enable disabletls13=enable disableocspstapling=enable
add sslcert ccs=443 appid=$A enabletokenbinding=enable logextendedevents=enable disablelegacytls=enable enablesessionticket=enable disablesessionid=enable
add sslcert scopedccs=api.contoso.com:8443 appid=$A
END
"$BIN" --store a.db -f - --no-verify < setup.txt > /dev/null || fail "-f - did not run the script"
[ "$("$BIN" --store a.db --json show sslcert | grep -o '"appid"' | wc -l)" = 6 ] ||
  fail "the script from standard input did not add 6 bindings"

for format in json reg netsh; do
  "$BIN" --store a.db export --format "$format" -o "a.$format" > /dev/null
  # From a file, and from standard input (format detected).
  "$BIN" --store "b-$format.db" import "a.$format" > /dev/null
  "$BIN" --store "c-$format.db" import - < "a.$format" > /dev/null
  "$BIN" --store "b-$format.db" export --format "$format" -o "b.$format" > /dev/null
  "$BIN" --store "c-$format.db" export --format "$format" > "c.$format"
  same "a.$format" "b.$format" || fail "$format: export -> import -> export differs"
  same "a.$format" "c.$format" || fail "$format: import from standard input differs"
done

# Each export records the revision it was read at.
REV=$("$BIN" --store a.db revision)
grep -qx "  \"revision\": $REV," a.json || fail "a.json does not record revision $REV"
[ "$(head -n1 a.netsh)" = "# sslbind export of revision $REV" ] ||
  fail "a.netsh does not record revision $REV"
[ "$(iconv -f UTF-16 -t UTF-8 a.reg | sed -n 2p)" = "; sslbind export of revision $REV"$'\r' ] ||
  fail "a.reg does not record revision $REV"

# The stores are the same whatever the format went through (the .reg path
# also carries the raw registry values).
for format in json netsh; do
  "$BIN" --store "b-$format.db" export --format reg > "b-$format.reg"
  same a.reg "b-$format.reg" ||
    fail "$format: the round trip lost something that .reg shows"
done

# A .reg file saved as UTF-8 with LF line ends imports the same bindings.
iconv -f UTF-16 -t UTF-8 a.reg | tr -d '\r' > utf8.reg
"$BIN" --store d.db import utf8.reg > /dev/null
"$BIN" --store d.db export --format reg > d.reg
same a.reg d.reg ||
  fail "a UTF-8 .reg file did not import the same bindings"

# Netsh text saved by PowerShell (UTF-16 LE with a BOM, CRLF) imports too.
{ printf '\xff\xfe'; sed 's/$/\r/' a.netsh | iconv -f UTF-8 -t UTF-16LE; } > ps.txt
"$BIN" --store e.db import ps.txt > /dev/null
"$BIN" --store e.db export > e.json
same a.json e.json ||
  fail "UTF-16 netsh text did not import the same bindings"
# What a .reg import accepts survives every format: values the parameters
# cannot carry (the freshness bit 0x4 without a time, a time without the
# bit, flag and check mode bits no parameter stands for) are dropped by the
# import, which says so, rather than lost later by an export.
R='[HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\HTTP\Parameters'
cat > raw.reg <<END
Windows Registry Editor Version 5.00

$R\SslBindingInfo\1.2.3.4:443]
"SslCertHash"=hex:01,02,03,04,05,06,07,08,09,0a,0b,0c,0d,0e,0f,10,11,12,13,14
"AppId"=hex:33,22,11,00,55,44,77,66,88,99,aa,bb,cc,dd,ee,ff
"DefaultSslCertCheckMode"=dword:00000004

$R\SslBindingInfo\1.2.3.5:443]
"SslCertHash"=hex:01,02,03,04,05,06,07,08,09,0a,0b,0c,0d,0e,0f,10,11,12,13,14
"AppId"=hex:33,22,11,00,55,44,77,66,88,99,aa,bb,cc,dd,ee,ff
"DefaultSslCertCheckMode"=dword:00010001
"DefaultSslRevocationFreshnessTime"=dword:0000001e
"DefaultFlags"=dword:00012007

$R\SslBindingInfo\1.2.3.6:443]
"SslCertHash"=hex:01,02,03,04,05,06,07,08,09,0a,0b,0c,0d,0e,0f,10,11,12,13,14
"AppId"=hex:33,22,11,00,55,44,77,66,88,99,aa,bb,cc,dd,ee,ff
"DefaultSslCertCheckMode"=dword:80000007
"DefaultSslRevocationFreshnessTime"=dword:00000e10
"DefaultSslCertStoreName"="WebHosting"
END
"$BIN" --store r.db import raw.reg > raw.out 2>&1 || fail "raw.reg: $(cat raw.out)"
for dropped in "1.2.3.4:443: dropped bit 0x4 of DefaultSslCertCheckMode" \
    "1.2.3.5:443: dropped DefaultSslRevocationFreshnessTime 30" \
    "1.2.3.5:443: dropped bits 0x12004 of DefaultFlags" \
    "1.2.3.6:443: dropped bits 0x80000000 of DefaultSslCertCheckMode"; do
  grep -qF "$dropped" raw.out || fail "raw.reg: no note '$dropped' in: $(cat raw.out)"
done
"$BIN" --store r.db export --format reg -o r.reg > /dev/null
grep -q '"DefaultSslCertCheckMode"=dword:00000000' <(iconv -f UTF-16 -t UTF-8 r.reg) ||
  fail "raw.reg: the bit 0x4 without a freshness time was kept"
for format in json netsh reg; do
  "$BIN" --store r.db export --format "$format" -o "r.$format" > /dev/null
  "$BIN" --store "r-$format.db" import "r.$format" > "r-$format.out"
  grep -q dropped "r-$format.out" && fail "$format: an export of imported .reg values still drops some"
  "$BIN" --store "r-$format.db" export --format reg > "r-$format.reg"
  same r.reg "r-$format.reg" ||
    fail "$format: a value of raw.reg did not survive export and import"
done
echo "round trips identical in json, reg and netsh"
