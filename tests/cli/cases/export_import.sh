# sslbind export and import: JSON, .reg and netsh text.
H=0102030405060708090a0b0c0d0e0f1011121314
A='{00112233-4455-6677-8899-aabbccddeeff}'
cat > setup.txt <<END
add sslcert ipport=[::1]:8443 certhash=$H appid=$A sslctlstorename="Trusted CAs" revocationfreshnesstime=30
add sslcert scopedccs=api.contoso.com:443 appid=$A disablequic=enable
END

note "an empty (missing) store exports as an empty document, which imports as nothing"
unchanged export
unchanged export --format netsh
run export -o empty.json
unchanged import empty.json
run -f setup.txt --no-verify
run export
run export --format netsh
note ".reg is UTF-16 LE with a BOM and CRLF: shown here through iconv"
run export --format reg -o backup.reg
printf '# bytes: %s\n' "$(head -c 2 backup.reg | od -An -tx1 | tr -d ' ')" >> "$TRANSCRIPT"
iconv -f UTF-16 -t UTF-8 backup.reg | tr -d '\r' >> "$TRANSCRIPT"

note "import into a store that holds the keys: 183 unless --replace"
unchanged import backup.reg
unchanged import backup.reg --dry-run
run import backup.reg --replace
run --json export --format json -o backup.json
note "--format overrides detection, and must fit the content"
unchanged import backup.json --format reg
unchanged export --format xml
