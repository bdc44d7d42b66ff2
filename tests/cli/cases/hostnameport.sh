run add sslcert hostnameport=WWW.Contoso.com.:443 certhash=0102030405060708090A0B0C0D0E0F1011121314 appid={00112233-4455-6677-8899-AABBCCDDEEFF} certstorename=MY --no-verify
run add sslcert hostnameport=*.contoso.com:443 certhash=0102030405060708090A0B0C0D0E0F1011121314 appid={00112233-4455-6677-8899-AABBCCDDEEFF} certstorename=WebHosting sslctlidentifier=MyCtl sslctlstorename=CA --no-verify
run add sslcert hostnameport=b$(printf '\303\274')cher.example:8443 certhash=aa appid={00112233-4455-6677-8899-AABBCCDDEEFF} certstorename=MY --no-verify
run show sslcert hostnameport=www.contoso.com:443
run show sslcert
run update sslcert hostnameport=*.CONTOSO.com:443 sslctlidentifier=Other --no-verify
run show sslcert hostnameport=*.contoso.com:443
run delete sslcert hostnameport=xn--bcher-kva.example:8443
run delete sslcert hostnameport=www.contoso.com:443
run delete sslcert hostnameport=*.contoso.com:443
run show sslcert
