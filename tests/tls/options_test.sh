#!/usr/bin/env bash
# Binding options tls_server enforces through the handshake hook, seen by
# openssl s_client: disabletls13, disabletls12, clientcertnegotiation,
# reject, enablesessionticket.
source "$(dirname "$0")/lib.sh"

new_cert site www.contoso.com 'DNS:*.contoso.com'
start_server 127.0.0.1
bind() {  # bind NAME OPTION...
  local name=$1
  shift
  sb add sslcert "hostnameport=$name.contoso.com:$PORT" certhash="$site" "$APPID" certstorename=MY "$@"
}
bind plain
bind no13 disabletls13=enable
bind no12 disabletls12=enable
bind clientcert clientcertnegotiation=enable
bind rejected reject=enable
bind tickets enablesessionticket=enable

eventually "a binding without options serves TLS 1.3" "$site" served 127.0.0.1 plain.contoso.com -tls1_3
expect "... and TLS 1.2" "$site" "$(served 127.0.0.1 plain.contoso.com -tls1_2)"

expect "disabletls13: a TLS 1.3-only client is refused" \
  "refused (tlsv1 alert protocol version)" "$(served 127.0.0.1 no13.contoso.com -tls1_3)"
expect "disabletls13: TLS 1.2 works" "$site" "$(served 127.0.0.1 no13.contoso.com -tls1_2)"
expect "disabletls13: TLS 1.2 is what a client offering both gets" \
  "Protocol  : TLSv1.2" "$(served 127.0.0.1 no13.contoso.com > /dev/null; grep -o 'Protocol  : .*' s_client.out)"
expect "disabletls12: a TLS 1.2-only client is refused" \
  "refused (tlsv1 alert protocol version)" "$(served 127.0.0.1 no12.contoso.com -tls1_2)"
expect "disabletls12: TLS 1.3 works" "$site" "$(served 127.0.0.1 no12.contoso.com -tls1_3)"

# s_client prints what a CertificateRequest asked for, and only then.
asked() {
  served 127.0.0.1 "$1" > /dev/null
  grep -c '^Requested Signature Algorithms' s_client.out || true
}
expect "clientcertnegotiation: the server asks for a client certificate" 1 "$(asked clientcert.contoso.com)"
expect "without it the server does not ask" 0 "$(asked plain.contoso.com)"
expect "clientcertnegotiation: the handshake completes without one" "$site" "$(served 127.0.0.1 clientcert.contoso.com)"

expect "reject=enable: the handshake is refused" \
  "refused (sslv3 alert handshake failure)" "$(served 127.0.0.1 rejected.contoso.com)"
expect "reject=enable: curl fails" refused "$(body 127.0.0.1 rejected.contoso.com)"

ticket() {
  served 127.0.0.1 "$1" -tls1_2 > /dev/null
  grep -c '^    TLS session ticket:' s_client.out || true
}
expect "enablesessionticket: a TLS 1.2 session ticket is issued" 1 "$(ticket tickets.contoso.com)"
expect "without it no ticket is issued" 0 "$(ticket plain.contoso.com)"
stop_server
finish
