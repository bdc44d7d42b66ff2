# iis sync: the store made to hold what applicationHost.config needs -- a plan,
# one transaction, idempotent; existing bindings keep their certificate, new
# ones get the newest valid certificate covering their host name; bindings
# without one are skipped, not guessed; --prune removes orphans.
# shellcheck source=../lib/certs.sh
source "$(dirname "$CASE")/../lib/certs.sh"
FIXTURES=$(dirname "$CASE")/../fixtures/iis
cp "$FIXTURES"/applicationHost.config .
make_cert www www.contoso.com "DNS:www.contoso.com" $CERT_VALID_FROM $CERT_VALID_TO
make_cert multi api.contoso.com "DNS:api.contoso.com,DNS:legacy.contoso.com" $CERT_VALID_FROM $CERT_VALID_TO
make_cert api2021 api.contoso.com "DNS:api.contoso.com" 20210101000000Z $CERT_VALID_TO
make_cert apps apps.contoso.com "DNS:*.apps.contoso.com" $CERT_VALID_FROM $CERT_VALID_TO
make_cert expired www.contoso.com "DNS:www.contoso.com" 20000101000000Z 20010101000000Z
for c in www multi api2021 apps expired; do mask "$(thumbprint $c)" $c; done
for c in www.pem multi.pem api2021.pem apps.pem expired.pem; do
  "$SSLBIND_BIN" --store "$STORE" cert import $c > /dev/null
done
WWW=$(thumbprint www)
note "the default site was bound by hand; an old deployment left 10.9.9.9:443"
run add sslcert ipport=0.0.0.0:443 certhash=$WWW appid={00112233-4455-6677-8899-aabbccddeeff}
run add sslcert ipport=10.9.9.9:443 certhash=$WWW appid={00112233-4455-6677-8899-aabbccddeeff}
unchanged iis sync applicationHost.config --dry-run
unchanged --json iis sync applicationHost.config --dry-run
run iis sync applicationHost.config
note "synced twice: nothing changes"
unchanged iis sync applicationHost.config
run show sslcert
note "a renewal tool reset the options of api.contoso.com: sync puts them back"
run update sslcert hostnameport=api.contoso.com:443 disablequic=disable clientcertnegotiation=disable
run iis sync applicationHost.config
note --prune removes what no IIS binding needs
unchanged iis sync applicationHost.config --prune --dry-run
run iis sync applicationHost.config --prune
run iis check applicationHost.config
note "two certificates equally new for one name: reported, not guessed"
make_cert shopA shop.example.com "DNS:shop.example.com" $CERT_VALID_FROM $CERT_VALID_TO
make_cert shopB shop.example.com "DNS:shop.example.com" $CERT_VALID_FROM $CERT_VALID_TO
mask "$(thumbprint shopA)" shopA; mask "$(thumbprint shopB)" shopB
"$SSLBIND_BIN" --store "$STORE" cert import shopA.pem > /dev/null
"$SSLBIND_BIN" --store "$STORE" cert import shopB.pem store=WebHosting > /dev/null
cat > two.config <<'XML'
<configuration><system.applicationHost><sites>
  <site name="Shop" id="9"><bindings>
    <binding protocol="https" bindingInformation="*:443:shop.example.com" sslFlags="1" />
  </bindings></site>
</sites></system.applicationHost></configuration>
XML
unchanged iis sync two.config
