#!/usr/bin/env bash
# Which certificate tls_server serves, seen by openssl s_client and curl on
# loopback: exact and wildcard SNI, a specific IP binding winning over SNI,
# the IPv6 and IPv4 default sites, and no binding at all.
source "$(dirname "$0")/lib.sh"

new_cert www www.contoso.com DNS:www.contoso.com
new_cert wild '*.contoso.com' 'DNS:*.contoso.com'
new_cert ghost ghost.contoso.com DNS:ghost.contoso.com
new_cert v6 default-v6 ''
new_cert v4 default-v4 ''
start_server 127.0.0.1 127.0.0.2 '[::1]'
sb add sslcert "hostnameport=www.contoso.com:$PORT" certhash="$www" "$APPID" certstorename=MY
sb add sslcert "hostnameport=*.contoso.com:$PORT" certhash="$wild" "$APPID" certstorename=MY
sb add sslcert "ipport=127.0.0.2:$PORT" certhash="$ghost" "$APPID"
sb add sslcert "ipport=[::]:$PORT" certhash="$v6" "$APPID"
sb add sslcert "ipport=0.0.0.0:$PORT" certhash="$v4" "$APPID"

eventually "exact SNI" "$www" served 127.0.0.1 www.contoso.com
expect "exact SNI, curl" "hostnameport=www.contoso.com:$PORT" "$(body 127.0.0.1 www.contoso.com)"
expect "SNI is compared case-insensitively" "$www" "$(served 127.0.0.1 WWW.Contoso.COM)"
expect "wildcard SNI, one label" "$wild" "$(served 127.0.0.1 shop.contoso.com)"
expect "wildcard SNI, curl" "hostnameport=*.contoso.com:$PORT" "$(body 127.0.0.1 shop.contoso.com)"
expect "wildcard SNI does not cover two labels: the default site" "$v4" "$(served 127.0.0.1 a.shop.contoso.com)"
expect "wildcard SNI does not cover the parent" "$v4" "$(served 127.0.0.1 contoso.com)"
expect "a specific IP binding wins over SNI (the ghost binding)" "$ghost" "$(served 127.0.0.2 www.contoso.com)"
expect "a specific IP binding wins over SNI, curl" "ipport=127.0.0.2:$PORT" "$(body 127.0.0.2 www.contoso.com)"
expect "IPv4 without SNI: 0.0.0.0:port" "$v4" "$(served 127.0.0.1 -)"
expect "IPv4, an unbound name: 0.0.0.0:port" "ipport=0.0.0.0:$PORT" "$(body 127.0.0.1 www.fabrikam.com)"
expect "[::1] without SNI: [::]:port" "$v6" "$(served '[::1]' -)"
expect "[::1], an unbound name: [::]:port, curl" "ipport=[::]:$PORT" "$(body '[::1]' www.fabrikam.com)"
expect "[::1] with a bound name: SNI" "$www" "$(served '[::1]' www.contoso.com)"

sb delete sslcert "ipport=[::]:$PORT"
eventually "[::1] without [::]:port: 0.0.0.0:port" "$v4" served '[::1]' -
sb delete sslcert "ipport=0.0.0.0:$PORT"
eventually "no binding, no SNI: handshake failure alert" \
  "refused (sslv3 alert handshake failure)" served 127.0.0.1 -
expect "no binding for the name: unrecognized_name alert" \
  "refused (tlsv1 unrecognized name)" "$(served '[::1]' www.fabrikam.com)"
expect "no binding, curl fails" refused "$(body 127.0.0.1 www.fabrikam.com)"
expect "the SNI binding still serves" "$www" "$(served '[::1]' www.contoso.com)"
stop_server
finish
