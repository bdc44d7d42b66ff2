note a netsh line pastes in unchanged, with or without the word http
run http add sslcert ipport=1.1.1.1:443 certhash=0102030405060708090A appid={00112233-4455-6677-8899-AABBCCDDEEFF} --no-verify
run add sslcert ipport=[FE80::1]:8443 certhash=ABCDEF0123 appid=00112233-4455-6677-8899-aabbccddeeff certstorename=MY --no-verify
run ADD SSLCERT IPPORT=*:443 CERTHASH=ff APPID={4dc3e181-e14b-4a21-b022-59fc669b0914} reject=ENABLE disablequic=enable urlretrievaltimeout=5000 --no-verify
run show sslcert
note update changes only what it is given
run update sslcert ipport=0.0.0.0:443 certhash=0a0b reject=disable revocationfreshnesstime=30 --no-verify
run show sslcert ipport=0.0.0.0:443
run delete sslcert ipport=[fe80::1]:8443
run show sslcert
