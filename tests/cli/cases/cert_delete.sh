# shellcheck source=../lib/certs.sh
source "$(dirname "$CASE")/../lib/certs.sh"
make_cert www www.contoso.com "DNS:www.contoso.com" $CERT_VALID_FROM $CERT_VALID_TO
WWW=$(thumbprint www)
mask "$WWW" www
APPID='appid={00112233-4455-6677-8899-aabbccddeeff}'

run cert import www.pfx
run add sslcert ipport=0.0.0.0:443 certhash=$WWW $APPID
run add sslcert hostnameport=www.contoso.com:443 certhash=$WWW $APPID certstorename=MY
note a certificate that bindings use is kept, naming them
unchanged cert delete certhash=$WWW
unchanged --json cert delete certhash=$WWW
note a certificate the store does not hold
unchanged cert delete certhash=0102030405060708090a0b0c0d0e0f1011121314
unchanged cert delete certhash=$WWW store=WebHosting
unchanged cert delete certhash=xyz
unchanged cert delete store=MY
note once no binding uses it, it goes, with its key file
run delete sslcert ipport=0.0.0.0:443
run delete sslcert hostnameport=www.contoso.com:443
run --json cert delete certhash=${WWW^^}
run cert show
note key files left: $(ls "$STORE.keys" | wc -l)
run cert delete help
