# sslbind resolve with the Central Certificate Store enabled: the file a CCS
# binding serves, the wildcard file, resolution going on when the folder has
# neither, and files outside the folder never counting.
# shellcheck source=../lib/certs.sh
source "$(dirname "$CASE")/../lib/certs.sh"
make_cert www www.contoso.com "DNS:www.contoso.com" $CERT_VALID_FROM $CERT_VALID_TO
make_cert def default.contoso.com "DNS:default.contoso.com" $CERT_VALID_FROM $CERT_VALID_TO
DEF=$(thumbprint def)
mask "$DEF" def
A='appid={00112233-4455-6677-8899-aabbccddeeff}'
mkdir ccs
cp www.pfx ccs/www.contoso.com.pfx
cp www.pfx ccs/_.fabrikam.com.pfx
cp www.pfx outside.pfx
ln -s ../outside.pfx ccs/api.contoso.com.pfx
ln -s www.contoso.com.pfx ccs/alias.contoso.com.pfx

"$SSLBIND_BIN" --store "$STORE" cert import def.pem > /dev/null
run add sslcert ccs=443 $A
run add sslcert ipport=0.0.0.0:443 certhash=$DEF $A
note without a CCS folder the CCS binding answers, naming the files it would use
run resolve ip=10.0.0.1 port=443 sni=www.contoso.com
run ccs enable path=ccs
note the file named after the name
run resolve ip=10.0.0.1 port=443 sni=WWW.Contoso.com --explain
run --json resolve ip=10.0.0.1 port=443 sni=www.contoso.com
note the wildcard file
run resolve ip=10.0.0.1 port=443 sni=shop.fabrikam.com --explain
note a link inside the folder counts, a link out of it does not: the default serves
run resolve ip=10.0.0.1 port=443 sni=alias.contoso.com
run resolve ip=10.0.0.1 port=443 sni=api.contoso.com --explain
note no file for the name: the default serves
run resolve ip=10.0.0.1 port=443 sni=other.example.com --explain
note a folder missing here: the files are not looked for
run ccs enable path=$WORK/elsewhere
run resolve ip=10.0.0.1 port=443 sni=www.contoso.com
