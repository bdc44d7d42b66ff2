# shellcheck source=../lib/certs.sh
source "$(dirname "$CASE")/../lib/certs.sh"
make_cert www www.contoso.com "DNS:www.contoso.com,DNS:contoso.com" $CERT_VALID_FROM $CERT_VALID_TO
make_cert wild "*.contoso.com" "DNS:*.contoso.com" $CERT_VALID_FROM $CERT_VALID_TO
make_cert old old.contoso.com "DNS:old.contoso.com" 20000101000000Z 20010101000000Z
make_cert new new.contoso.com "DNS:new.contoso.com" 20900101000000Z $CERT_VALID_TO
WWW=$(thumbprint www); WILD=$(thumbprint wild); OLD=$(thumbprint old); NEW=$(thumbprint new)
mask "$WWW" www; mask "$WILD" wild; mask "$OLD" old; mask "$NEW" new
APPID='appid={00112233-4455-6677-8899-aabbccddeeff}'

run cert import wild.pem
note error 1312: the certificate is not in the store
unchanged add sslcert ipport=0.0.0.0:443 certhash=$WWW $APPID
run cert import www.crt
note error 1312: the certificate is in the store without its private key
unchanged add sslcert ipport=0.0.0.0:443 certhash=$WWW $APPID
unchanged --json add sslcert ipport=0.0.0.0:443 certhash=$WWW $APPID
note --no-verify stores it anyway, for another machine
run add sslcert ipport=10.0.0.1:443 certhash=$WWW $APPID --no-verify
note a key alone is not a certificate: import the certificate with it
run cert import www.key
run cert import www.pem
run add sslcert ipport=0.0.0.0:443 certhash=$WWW $APPID
note the store named by certstorename is the one checked
unchanged add sslcert hostnameport=www.contoso.com:443 certhash=$WWW $APPID certstorename=WebHosting
run add sslcert hostnameport=www.contoso.com:443 certhash=$WWW $APPID certstorename=my

note SNI names the certificate does not cover are a warning
run add sslcert hostnameport=shop.contoso.com:443 certhash=$WWW $APPID certstorename=MY
run add sslcert hostnameport=api.contoso.com:443 certhash=$WILD $APPID certstorename=MY
run add sslcert hostnameport=a.b.contoso.com:443 certhash=$WILD $APPID certstorename=MY
run add sslcert hostnameport=*.contoso.com:8443 certhash=$WILD $APPID certstorename=MY
run add sslcert hostnameport=*.contoso.com:9443 certhash=$WWW $APPID certstorename=MY

note certificates out of their validity dates are a warning
run cert import old.pfx
run cert import new.pfx
run add sslcert ipport=10.0.0.2:443 certhash=$OLD $APPID
run update sslcert hostnameport=shop.contoso.com:443 certhash=$NEW

note update checks the binding it leaves
run cert delete certhash=$WWW store=MY --force
unchanged update sslcert ipport=0.0.0.0:443 reject=enable
run update sslcert ipport=0.0.0.0:443 certhash=$WILD
run cert show certhash=$WILD

note scripts and apply check certificates as add does, in their one transaction
printf 'add sslcert ccs=7443 appid={00112233-4455-6677-8899-aabbccddeeff}\nadd sslcert ipport=10.0.0.3:443 certhash=%s %s\n' $WWW "$APPID" > gone.txt
unchanged -f gone.txt
unchanged -f gone.txt --dry-run
printf 'add sslcert ipport=10.0.0.3:443 certhash=%s %s\n' $WILD "$APPID" > wild.txt
run -f wild.txt --dry-run
run -f wild.txt
printf '{"version":1,"bindings":[{"ipport":"10.0.0.4:443","certhash":"%s","appid":"{00112233-4455-6677-8899-aabbccddeeff}"}]}' $WWW > gone.json
unchanged apply gone.json --check
unchanged apply gone.json
run apply gone.json --no-verify
note scripts and apply warn as add does, once the change is made
printf 'add sslcert hostnameport=a.b.contoso.com:8444 certhash=%s %s certstorename=MY\nadd sslcert ccs=7444 %s\n' $WILD "$APPID" "$APPID" > warn.txt
run -f warn.txt
printf '{"version":1,"bindings":[{"ipport":"10.0.0.5:443","certhash":"%s","appid":"{00112233-4455-6677-8899-aabbccddeeff}"}]}' $OLD > old.json
run apply old.json
