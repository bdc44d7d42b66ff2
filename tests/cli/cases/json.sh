run --json show sslcert
run --json add sslcert ipport=[::]:443 certhash=0102 appid={00112233-4455-6677-8899-AABBCCDDEEFF} --no-verify
run --json add sslcert hostnameport=a.com:443 certhash=0102 appid={00112233-4455-6677-8899-AABBCCDDEEFF} certstorename=MY disabletls13=enable revocationfreshnesstime=60 --no-verify
run --json add sslcert ccs=443 appid={00112233-4455-6677-8899-AABBCCDDEEFF}
run show sslcert --json
run --json show sslcert ccs=443
run --json show sslcert ccs=444
unchanged --json add sslcert ccs=443 appid={00112233-4455-6677-8899-AABBCCDDEEFF}
unchanged --json add sslcert ccs=0 appid={00112233-4455-6677-8899-AABBCCDDEEFF}
unchanged --json add sslcert ccs=444
unchanged --json delete sslcert ipport=1.2.3.4:443
run --json update sslcert ccs=443 reject=enable
run --json delete sslcert ccs=443
