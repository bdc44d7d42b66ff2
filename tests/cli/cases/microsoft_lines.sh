# Command lines as public Microsoft documentation and issues give them, run
# unchanged (`netsh` and `http` included; --no-verify after them, as the
# certificates are not in this store), tagged and then untagged.
# - AD FS: the device-registration binding with its CTL store
#   (hostnameport, certstorename=MY, sslctlstorename=AdfsTrustedDevices).
# - WCF self-hosting ("How to: Configure a Port with an SSL Certificate"):
#   ipport=0.0.0.0:8000 with the page's 38-digit hash and sample appid.
# - Exchange: re-creating the Back End site's binding on port 444 with IIS's
#   appid, in double quotes as the support articles write it.
# - IIS Central Certificate Store: ccs=443 with IIS's appid.
# - SQL Server Reporting Services: ipport=0.0.0.0:443 with the SSRS appid.
run netsh http add sslcert hostnameport=adfs.contoso.com:443 certhash=3638de9b03a488341dfe32fc3ae5c480ee687793 appid={5d89a20c-beab-4389-9447-324788eb944a} certstorename=MY sslctlstorename=AdfsTrustedDevices --no-verify
run netsh http add sslcert ipport=0.0.0.0:8000 certhash=0000000000003ed9cd0c315bbb6dc1c08da5e6 appid={00112233-4455-6677-8899-AABBCCDDEEFF} --no-verify
run netsh http add sslcert ipport=0.0.0.0:444 certhash=9d1ee76ed2b0cbe0d1d9b2dac4b0ebf1e5d67e2c appid="{4dc3e181-e14b-4a21-b022-59fc669b0914}" certstorename=My --no-verify
run netsh http add sslcert ccs=443 appid={4dc3e181-e14b-4a21-b022-59fc669b0914}
run netsh http add sslcert ipport=0.0.0.0:443 certhash=bd5a4a7a3c4b38e8f3cf0c6a4a9c2d3ce1a94b5f appid={1d40ebc7-1983-4ac5-82aa-1e17a7ae9a0e} --no-verify
run show sslcert
"$SSLBIND_BIN" --store "$STORE" export --format json -o tagged.json > /dev/null
note "the same lines as a netsh -f script, then untagged: the same bindings"
cat > runbook.txt <<'END'
pushd http
delete sslcert hostnameport=adfs.contoso.com:443
delete sslcert ipport=0.0.0.0:8000
delete sslcert ipport=0.0.0.0:444
delete sslcert ccs=443
delete sslcert ipport=0.0.0.0:443
add sslcert adfs.contoso.com:443 3638de9b03a488341dfe32fc3ae5c480ee687793 {5d89a20c-beab-4389-9447-324788eb944a} MY sslctlstorename=AdfsTrustedDevices
add sslcert 0.0.0.0:8000 0000000000003ed9cd0c315bbb6dc1c08da5e6 {00112233-4455-6677-8899-AABBCCDDEEFF}
add sslcert 0.0.0.0:444 9d1ee76ed2b0cbe0d1d9b2dac4b0ebf1e5d67e2c "{4dc3e181-e14b-4a21-b022-59fc669b0914}" My
add sslcert 443 appid={4dc3e181-e14b-4a21-b022-59fc669b0914}
add sslcert 0.0.0.0:443 bd5a4a7a3c4b38e8f3cf0c6a4a9c2d3ce1a94b5f {1d40ebc7-1983-4ac5-82aa-1e17a7ae9a0e}
popd
exit
END
run -f runbook.txt --no-verify
"$SSLBIND_BIN" --store "$STORE" export --format json -o untagged.json > /dev/null
if cmp -s <(grep -v "^  \"revision\": " tagged.json) <(grep -v "^  \"revision\": " untagged.json); then note "tagged and untagged give identical exports (but for their revision)"; else note "THE EXPORTS DIFFER"; fi
note "untagged on the command line too, and shown untagged"
run netsh http delete sslcert 0.0.0.0:8000
run netsh http add sslcert 0.0.0.0:8000 0000000000003ed9cd0c315bbb6dc1c08da5e6 {00112233-4455-6677-8899-AABBCCDDEEFF} --no-verify
run netsh http show sslcert 0.0.0.0:8000
