# Every parameter that show prints can be set and reset with the netsh
# verbs: enablecachingclienthello too (Flags 0x8000).
A='{00112233-4455-6677-8899-aabbccddeeff}'
H=0102030405060708090a0b0c0d0e0f1011121314
run add sslcert ipport=0.0.0.0:443 certhash=$H appid=$A enablecachingclienthello=enable --no-verify
run show sslcert ipport=0.0.0.0:443
run update sslcert ipport=0.0.0.0:443 EnableCachingClientHello=disable --no-verify
run --json show sslcert ipport=0.0.0.0:443
run update sslcert ccs=443 enablecachingclienthello=enable
unchanged update sslcert ipport=0.0.0.0:443 enablecachingclienthello=yes --no-verify
