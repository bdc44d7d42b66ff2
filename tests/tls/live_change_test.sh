#!/usr/bin/env bash
# Bindings added, updated and deleted with the CLI while tls_server runs are
# served from the next handshake on, within 1 s; a connection opened before
# a change keeps its certificate and keeps working.
source "$(dirname "$0")/lib.sh"

new_cert one www.contoso.com DNS:www.contoso.com
new_cert two www.contoso.com DNS:www.contoso.com
start_server 127.0.0.1
expect "before any binding: refused" "refused (tlsv1 unrecognized name)" "$(served 127.0.0.1 www.contoso.com)"

sb add sslcert "hostnameport=www.contoso.com:$PORT" certhash="$one" "$APPID" certstorename=MY
eventually "an added binding is served" "$one" served 127.0.0.1 www.contoso.com

# A connection opened now, kept open: s_client reads requests from a FIFO.
mkfifo requests
timeout 20 openssl s_client -connect "127.0.0.1:$PORT" -servername www.contoso.com \
  -nocommands < requests > open.out 2> open.err &
exec 3> requests
request() { printf 'GET / HTTP/1.1\r\nHost: www.contoso.com\r\n\r\n' >&3; }
answers() { grep -c "^hostnameport=www.contoso.com:$PORT" open.out || true; }
request
eventually "the open connection is answered" 1 answers

sb update sslcert "hostnameport=www.contoso.com:$PORT" certhash="$two"
eventually "an updated binding serves its new certificate" "$two" served 127.0.0.1 www.contoso.com
request
eventually "the connection opened before the update still works" 2 answers
expect "... with the certificate it was served" "$one" \
  "$(openssl x509 -noout -fingerprint -sha1 < open.out | sed 's/.*=//; s/://g' | tr A-F a-f)"

sb delete sslcert "hostnameport=www.contoso.com:$PORT"
eventually "a deleted binding is no longer served" "refused (tlsv1 unrecognized name)" served 127.0.0.1 www.contoso.com
request
eventually "the connection opened before the delete still works" 3 answers

sb add sslcert "ipport=127.0.0.1:$PORT" certhash="$two" "$APPID"
eventually "an added IP binding is served" "ipport=127.0.0.1:$PORT" body 127.0.0.1 www.contoso.com
exec 3>&-
stop_server
finish
