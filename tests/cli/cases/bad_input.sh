# Every malformed input is refused with the file, the line or JSON path and
# what was wrong -- and the store, which holds bindings, is left exactly as
# it was.
FIXTURES=$(dirname "$CASE")/../fixtures
H=0102030405060708090a0b0c0d0e0f1011121314
A='{00112233-4455-6677-8899-aabbccddeeff}'
printf 'add sslcert ipport=0.0.0.0:443 certhash=%s appid=%s\nadd sslcert ccs=443 appid=%s\n' $H "$A" "$A" > setup.txt
run -f setup.txt --no-verify
run export -o good.json
run export --format reg -o good.reg

note "truncated JSON"
head -c 300 good.json > truncated.json
unchanged import truncated.json
unchanged apply truncated.json
note "a wrong type, an unknown key, a bad value (JSON path named)"
sed 's/"reject": false/"reject": "no"/' good.json > wrongtype.json
unchanged import wrongtype.json
sed 's/"reject": false,/"reject": false, "color": "red",/' good.json > unknownkey.json
unchanged apply unknownkey.json
sed 's/"certhash": "0102/"certhash": "XY02/' good.json > badvalue.json
unchanged import badvalue.json
printf '{"version":1,"bindings":[{"ccs":443,"appid":"%s"},{"ccs":70000,"appid":"%s"}]}' "$A" "$A" > badport.json
unchanged apply badport.json --prune

note ".reg with a broken hex line (UTF-16 converted to UTF-8 to edit it)"
iconv -f UTF-16 -t UTF-8 good.reg | sed 's/"AppId"=hex:33,22,11,00,55/"AppId"=hex:33,22,1 1,00,55/' > brokenhex.reg
unchanged import brokenhex.reg
iconv -f UTF-16 -t UTF-8 good.reg | sed 's/^"AppId"=hex:33,22,11,00,55,44,77,66,88,99,aa,bb,cc,dd,ee,ff/"AppId"=hex:33,22,11,00,55,44,77,66,88,99,aa,bb,cc,dd,\\/' > cut.reg
unchanged import cut.reg

note "netsh text with a missing field, and with a garbled value"
grep -v "Application ID.*{4DC3" "$FIXTURES/netsh_classic.txt" > missing.txt
unchanged import missing.txt
sed 's/Negotiate Client Certificate : Disabled/Negotiate Client Certificate : Disabld/' "$FIXTURES/netsh_classic.txt" > garbled.txt
unchanged import garbled.txt
note "one good binding and one bad one: nothing is imported"
sed 's/0.0.0.0:443/0.0.0.0:99999/' "$FIXTURES/netsh_classic.txt" > badkey.txt
unchanged import badkey.txt

note "a script whose line 3 of 4 fails"
printf 'add sslcert ccs=8443 appid=%s\ndelete sslcert ccs=443\nupdate sslcert ccs=9443 reject=enable\nadd sslcert ccs=9443 appid=%s\n' "$A" "$A" > four.txt
unchanged -f four.txt

note "not a bindings file at all, an empty file, a folder"
printf 'hello\n' > hello.txt
unchanged import hello.txt
: > empty.json
unchanged import empty.json --format json
mkdir folder
unchanged import folder
