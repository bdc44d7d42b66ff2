note every failing command leaves the store exactly as it was
run add sslcert ipport=1.1.1.1:443 certhash=01 appid={00112233-4455-6677-8899-AABBCCDDEEFF} --no-verify
unchanged add sslcert ipport=1.1.1.1:443 certhash=02 appid={00112233-4455-6677-8899-AABBCCDDEEFF}
unchanged add sslcert ipport=1.1.1.1:0 certhash=01 appid={00112233-4455-6677-8899-AABBCCDDEEFF}
unchanged add sslcert ipport=999.1.1.1:443 certhash=01 appid={00112233-4455-6677-8899-AABBCCDDEEFF}
unchanged add sslcert ipport=[fe80::1%eth0]:443 certhash=01 appid={00112233-4455-6677-8899-AABBCCDDEEFF}
unchanged add sslcert hostnameport=host..com:443 certhash=01 appid={00112233-4455-6677-8899-AABBCCDDEEFF} certstorename=MY
unchanged add sslcert hostnameport=a/b:443 certhash=01 appid={00112233-4455-6677-8899-AABBCCDDEEFF} certstorename=MY
unchanged add sslcert ipport=2.2.2.2:443 certhash=012 appid={00112233-4455-6677-8899-AABBCCDDEEFF}
unchanged add sslcert ipport=2.2.2.2:443 certhash=01 appid={0011-2233}
unchanged add sslcert ipport=2.2.2.2:443 certhash=01 appid={00112233-4455-6677-8899-AABBCCDDEEFF} reject=yes
unchanged add sslcert ipport=2.2.2.2:443 certhash=01 appid={00112233-4455-6677-8899-AABBCCDDEEFF} urlretrievaltimeout=-5
note missing essential parameters print the three netsh lines and the usage
unchanged add sslcert ipport=2.2.2.2:443 certhash=01
unchanged add sslcert hostnameport=a.com:443 certhash=01 appid={00112233-4455-6677-8899-AABBCCDDEEFF}
unchanged add sslcert certhash=01 appid={00112233-4455-6677-8899-AABBCCDDEEFF}
note unknown or repeated parameters and two keys print the syntax line and the usage
unchanged delete sslcert ipport=1.1.1.1:443 colour=blue
unchanged delete sslcert ipport=1.1.1.1:443 ipport=1.1.1.1:443
unchanged delete sslcert ipport=1.1.1.1:443 ccs=443
unchanged delete sslcert 1.1.1.1:443 ccs=443 ipport=1.1.1.1:444
unchanged add sslcert ipport=2.2.2.2:443 certhash=01 appid={00112233-4455-6677-8899-AABBCCDDEEFF} enablecachingclienthello=maybe
note not found
unchanged delete sslcert ipport=2.2.2.2:443
unchanged update sslcert ipport=2.2.2.2:443 reject=enable
unchanged show sslcert hostnameport=nosuch.com:443
unchanged update sslcert ipport=1.1.1.1:443
unchanged frobnicate sslcert
unchanged add
