# sslbind check: one line per finding, exit status 10 when there are any.
A='appid={00112233-4455-6677-8899-AABBCCDDEEFF}'
note nothing to check yet
unchanged check

note a clean set: defaults for both families with one certificate, distinct names
run add sslcert ipport=0.0.0.0:443 certhash=01 $A
run add sslcert ipport=[::]:443 certhash=01 $A
run add sslcert hostnameport=www.contoso.com:443 certhash=02 $A certstorename=MY
run add sslcert ccs=443 $A
run check
run --json check

note each kind of finding
run add sslcert hostnameport=a.fabrikam.com:8443 certhash=03 $A certstorename=MY
run add sslcert ipport=[::]:9443 certhash=03 $A
run add sslcert scopedccs=b.fabrikam.com:9443 $A
run add sslcert ipport=10.0.0.1:443 certhash=04 $A
run add sslcert hostnameport=10.1.2.3:443 certhash=05 $A certstorename=MY
run add sslcert hostnameport=*.contoso.com:443 certhash=02 $A certstorename=MY
run update sslcert ipport=[::]:443 certhash=06
run update sslcert ccs=443 disabletls13=enable
run check
run check --json

note check takes no parameters
unchanged check ipport=0.0.0.0:443
run check help
