# A line copied from a runbook works whole, `netsh http` included; quoted
# values keep working.
H=0102030405060708090A0B0C0D0E0F1011121314
run netsh http add sslcert ipport=0.0.0.0:443 certhash=$H 'appid={00112233-4455-6677-8899-AABBCCDDEEFF}' --no-verify
run NETSH HTTP show sslcert ipport=0.0.0.0:443
run netsh http update sslcert ipport=0.0.0.0:443 'certstorename=Web Hosting' --no-verify
run netsh http show sslcert 0.0.0.0:443
run netsh http delete sslcert 0.0.0.0:443
note only the pair netsh http is dropped
unchanged netsh add sslcert ipport=0.0.0.0:443 certhash=$H appid={00112233-4455-6677-8899-AABBCCDDEEFF}
