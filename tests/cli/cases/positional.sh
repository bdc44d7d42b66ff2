# Tags are optional, as in netsh: a parameter stands untagged in its
# documented position ([ipport=] [certhash=] [appid=] [certstorename=] ...);
# once a tag is used, the following parameters must be tagged.
H=0102030405060708090A0B0C0D0E0F1011121314
A={00112233-4455-6677-8899-AABBCCDDEEFF}
note untagged key, certhash and appid
run add sslcert 0.0.0.0:8443 $H $A --no-verify
run show sslcert 0.0.0.0:8443
note untagged first, then tagged
run add sslcert [::]:443 $H appid=$A certstorename=WebHosting --no-verify
note an untagged hostnameport, with its store in the fourth position
run add sslcert www.contoso.com:443 $H $A MY --no-verify
note an untagged port is a ccs binding
run add sslcert 8080 appid=$A
run show sslcert 8080
note update and delete take the key untagged too
run update sslcert 0.0.0.0:8443 certstorename=WebHosting --no-verify
run update sslcert 0.0.0.0:8443 $H $A My disable --no-verify
run show sslcert ipport=0.0.0.0:8443
run delete sslcert www.contoso.com:443
run show sslcert www.contoso.com:443
note failures: nothing is written
unchanged add sslcert ipport=0.0.0.0:9443 $H $A --no-verify
unchanged add sslcert 0.0.0.0:9443 certhash=$H $A --no-verify
unchanged add sslcert 0.0.0.0:9443 zz $A --no-verify
unchanged add sslcert 0.0.0.0:9443 $H not-a-guid --no-verify
unchanged add sslcert 300.0.0.1:443 $H $A --no-verify
unchanged add sslcert 0.0.0.0:9443 $H $A MY enable disable enable 10 20 ctl CA maybe --no-verify
unchanged delete sslcert 0.0.0.0:8443 extra
unchanged show sslcert 0.0.0.0:8443 $H
unchanged add sslcert 0.0.0.0:9443 ipport=0.0.0.0:9444 $H --no-verify
unchanged add sslcert 0.0.0.0:9443 frobnicate=1 --no-verify
