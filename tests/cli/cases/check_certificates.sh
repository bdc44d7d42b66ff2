# sslbind check over certificates: missing, without key, expired, not yet
# valid, expiring, SNI names not covered; --no-certificates.
# shellcheck source=../lib/certs.sh
source "$(dirname "$CASE")/../lib/certs.sh"
make_cert www www.contoso.com "DNS:www.contoso.com" $CERT_VALID_FROM $CERT_VALID_TO
make_cert old old.contoso.com "DNS:old.contoso.com" 20000101000000Z 20010101000000Z
make_cert new new.contoso.com "DNS:new.contoso.com" 20900101000000Z $CERT_VALID_TO
# Expires ten days from now: its date and thumbprint are masked.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 10 \
  -subj /CN=soon.contoso.com -addext subjectAltName=DNS:soon.contoso.com \
  -keyout soon.key -out soon.crt 2>/dev/null
cat soon.crt soon.key > soon.pem
SOON_END=$(date -u -d "$(openssl x509 -in soon.crt -noout -enddate | cut -d= -f2)" '+%Y-%m-%d %H:%M:%S UTC')
WWW=$(thumbprint www); OLD=$(thumbprint old); NEW=$(thumbprint new); SOON=$(thumbprint soon)
mask "$WWW" www; mask "$OLD" old; mask "$NEW" new; mask "$SOON" soon; mask "$SOON_END" soon-date
A='appid={00112233-4455-6677-8899-aabbccddeeff}'
MISSING=0102030405060708090a0b0c0d0e0f1011121314

for f in www.pem old.pfx new.pfx soon.pem; do "$SSLBIND_BIN" --store "$STORE" cert import $f > /dev/null 2>&1; done
"$SSLBIND_BIN" --store "$STORE" cert import www.crt store=NoKey > /dev/null 2>&1
run add sslcert ipport=0.0.0.0:443 certhash=$WWW $A
run add sslcert hostnameport=www.contoso.com:443 certhash=$WWW $A certstorename=MY
run add sslcert hostnameport=shop.contoso.com:443 certhash=$WWW $A certstorename=MY
run add sslcert ipport=10.0.0.1:8443 certhash=$OLD $A
run add sslcert ipport=10.0.0.2:8443 certhash=$NEW $A
run add sslcert ipport=10.0.0.3:8443 certhash=$SOON $A
run add sslcert ipport=10.0.0.4:8443 certhash=$MISSING $A --no-verify
run add sslcert ipport=10.0.0.5:8443 certhash=$MISSING $A --no-verify
run add sslcert ipport=10.0.0.6:8443 certhash=$WWW $A certstorename=NoKey --no-verify
note one line per certificate problem, listing the bindings it hurts
run check
run check --expiring 30
run --json check --expiring 30
note the binding set alone
run check --no-certificates
unchanged check --expiring -1
unchanged check --expiring soon
