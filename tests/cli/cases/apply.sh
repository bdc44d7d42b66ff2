# sslbind apply: desired state, a plan, one transaction, idempotent.
H1=0102030405060708090a0b0c0d0e0f1011121314
H2=1111111111111111111111111111111111111111
A='{00112233-4455-6677-8899-aabbccddeeff}'
cat > before.txt <<END
add sslcert ipport=0.0.0.0:443 certhash=$H1 appid=$A
add sslcert hostnameport=old.contoso.com:443 certhash=$H1 appid=$A certstorename=MY
add sslcert ccs=443 appid=$A
END
run -f before.txt --no-verify

note "the desired state: parameters left out take their defaults"
cat > want.json <<END
{
  "version": 1,
  "bindings": [
    {"ipport": "0.0.0.0:443", "certhash": "$H2", "appid": "$A",
     "certstorename": "MY", "clientcertnegotiation": true},
    {"ccs": 443, "appid": "$A"},
    {"hostnameport": "www.contoso.com:443", "certhash": "$H2", "appid": "$A",
     "certstorename": "WebHosting", "disablehttp2": true}
  ]
}
END
note "--check: a dry run that exits with 10 when changes are pending"
unchanged apply want.json --no-verify --check
unchanged apply want.json --no-verify --dry-run
run apply want.json --no-verify
note "the second run changes nothing and says so"
unchanged apply want.json --no-verify
unchanged apply want.json --no-verify --check
note "--prune removes what the file does not hold"
unchanged apply want.json --no-verify --prune --check
run --json apply want.json --no-verify --prune
unchanged apply want.json --no-verify --prune --check
run show sslcert hostnameport=www.contoso.com:443

note "an update changes only what differs, and says old -> new"
sed 's/"clientcertnegotiation": true/"clientcertnegotiation": false, "revocationfreshnesstime": 60/' want.json > want2.json
run apply want2.json --no-verify
note "a key twice in the file, and an empty desired state with --prune"
printf '{"bindings":[{"ccs":443,"appid":"%s"},{"ccs":443,"appid":"%s"}]}' "$A" "$A" > twice.json
unchanged apply twice.json
printf '{"version":1,"bindings":[]}' > empty.json
unchanged apply empty.json
run apply empty.json --prune
run show sslcert
