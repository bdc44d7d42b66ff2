# --json: one JSON object on standard output, failures included; warnings
# in the object; "key" in each binding object, which readers check.
A='{00112233-4455-6677-8899-aabbccddeeff}'
H=0102030405060708090a0b0c0d0e0f1011121314
note "show of a missing key and cert show of a missing certificate: an error object"
run --json show sslcert ipport=0.0.0.0:443
run --json cert show certhash=$H
run --json delete sslcert ipport=0.0.0.0:443
note "warnings appear in the object (and on standard error)"
run --json add sslcert ipport=0.0.0.0:443 "certhash=$(printf '\u200e')$H" appid=$A --no-verify
run --json add sslcert hostnameport=www.contoso.com:443 certhash=$H appid=$A certstorename=MY --no-verify
printf 'add sslcert 8443 appid=%s\nadd sslcert 0.0.0.0:8443 "%s " %s\n' $A $H $A > s.txt
run --json -f s.txt --no-verify
note "each binding object carries key"
run --json show sslcert
run --json show sslcert 8443
note "show --json imports; a key that agrees is accepted, one that contradicts is refused"
"$SSLBIND_BIN" --store "$STORE" --json show sslcert > shown.json
STORE=$WORK/copy.db run import shown.json
STORE=$WORK/copy.db run --json show sslcert ccs=8443
sed 's/"key":"ccs=8443"/"key":"ccs=8444"/' shown.json > contradicts.json
STORE=$WORK/other.db run import contradicts.json
printf '{"bindings":[{"key":"scopedccs=www.contoso.com:443","appid":"%s"}]}\n' $A > keyonly.json
STORE=$WORK/other.db run import keyonly.json
STORE=$WORK/other.db run show sslcert scopedccs=www.contoso.com:443
printf '{"bindings":[{"key":"ipport 1","appid":"%s"}]}\n' $A > badkey.json
STORE=$WORK/bad.db run import badkey.json
printf '{"bindings":[{"key":17,"appid":"%s"}]}\n' $A > numkey.json
STORE=$WORK/bad.db run import numkey.json
printf '{"bindings":[{"key":"ccs=1","key":"ccs=1","appid":"%s"}]}\n' $A > twice.json
STORE=$WORK/bad.db run import twice.json
