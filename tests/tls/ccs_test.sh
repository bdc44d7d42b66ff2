#!/usr/bin/env bash
# Central Certificate Store bindings served by tls_server: the file
# <name>.pfx, else _.<parent>.pfx; a scoped CCS binding before the port's CCS
# binding; a file replaced while the server runs.
source "$(dirname "$0")/lib.sh"

new_cert fallback default ''
make_cert www www.contoso.com DNS:www.contoso.com "$CERT_VALID_FROM" "$CERT_VALID_TO" > /dev/null
make_cert wild '*.contoso.com' 'DNS:*.contoso.com' "$CERT_VALID_FROM" "$CERT_VALID_TO" > /dev/null
make_cert shop shop.fabrikam.com DNS:shop.fabrikam.com "$CERT_VALID_FROM" "$CERT_VALID_TO" > /dev/null
make_cert shop2 shop.fabrikam.com DNS:shop.fabrikam.com "$CERT_VALID_FROM" "$CERT_VALID_TO" > /dev/null
mkdir ccs
cp www.pw.pfx ccs/www.contoso.com.pfx
cp wild.pw.pfx ccs/_.contoso.com.pfx
cp shop.pw.pfx ccs/shop.fabrikam.com.pfx
sb ccs enable path="$WORK/ccs" password=secret

start_server 127.0.0.1 '[::1]'
sb add sslcert "ccs=$PORT" "$APPID"
sb add sslcert "scopedccs=shop.fabrikam.com:$PORT" "$APPID"

eventually "ccs: the file named for the SNI name" "$(thumbprint www)" served 127.0.0.1 www.contoso.com
expect "ccs, curl" "ccs=$PORT" "$(body 127.0.0.1 www.contoso.com)"
expect "ccs: else the wildcard file _.<parent>.pfx" "$(thumbprint wild)" "$(served 127.0.0.1 mail.contoso.com)"
expect "ccs: the wildcard file covers one label only" \
  "refused (tlsv1 alert internal error)" "$(served 127.0.0.1 a.mail.contoso.com)"
expect "ccs over IPv6" "$(thumbprint wild)" "$(served '[::1]' mail.contoso.com)"
expect "scopedccs: its own file" "$(thumbprint shop)" "$(served 127.0.0.1 shop.fabrikam.com)"
expect "scopedccs wins over ccs, curl" "scopedccs=shop.fabrikam.com:$PORT" "$(body 127.0.0.1 shop.fabrikam.com)"
expect "ccs without SNI and no default site: refused" \
  "refused (sslv3 alert handshake failure)" "$(served 127.0.0.1 -)"
sb add sslcert "ipport=0.0.0.0:$PORT" certhash="$fallback" "$APPID"
eventually "without SNI: the default site" "$fallback" served 127.0.0.1 -

# A CCS file is read again when it changes (size, time or inode).
cp shop2.pw.pfx ccs/shop.fabrikam.com.pfx.new
mv ccs/shop.fabrikam.com.pfx.new ccs/shop.fabrikam.com.pfx
expect "a replaced CCS file is served from the next handshake" "$(thumbprint shop2)" "$(served 127.0.0.1 shop.fabrikam.com)"
stop_server
finish
