# sslbind resolve: the binding HTTP.sys would pick (spec 6), with --explain
# and --json; the not-found status; bad input.
A='appid={00112233-4455-6677-8899-AABBCCDDEEFF}'
note a store that does not exist yet has no binding, and is not created
unchanged resolve ip=10.0.0.1 port=443 sni=www.contoso.com

note a default per family, an exact address, names, a wildcard and CCS
run add sslcert ipport=0.0.0.0:443 certhash=01 $A --no-verify
run add sslcert ipport=[::]:443 certhash=02 $A --no-verify
run add sslcert ipport=10.0.0.1:443 certhash=03 $A --no-verify
run add sslcert hostnameport=www.contoso.com:443 certhash=04 $A certstorename=MY --no-verify
run add sslcert hostnameport=*.contoso.com:443 certhash=05 $A certstorename=WebHosting --no-verify
run add sslcert scopedccs=shop.fabrikam.com:443 $A
run add sslcert ccs=8443 $A

note the exact address comes before every name
run resolve ip=10.0.0.1 port=443 sni=www.contoso.com
note names compare in lower case, without the trailing dot
run resolve ip=10.0.0.2 port=443 sni=WWW.Contoso.COM. --explain
note a wildcard covers one more label, no more
run resolve ip=10.0.0.2 port=443 sni=a.contoso.com --json
run resolve ip=10.0.0.2 port=443 sni=a.b.contoso.com --explain
note IPv6 local addresses try [::] first, IPv4-mapped ones count as IPv4
run resolve ip=[fe80::1] port=443 --explain
note a connection to the wildcard address itself: its binding once, not twice
run resolve ip=0.0.0.0 port=443
run resolve ip=[::] port=443 --explain
run --json resolve ip=::ffff:10.0.0.1 port=443
note CCS bindings name the certificate files they would use
run resolve ip=10.0.0.2 port=443 sni=Shop.Fabrikam.com --explain
run resolve ip=10.0.0.2 port=8443 sni=intranet

note no binding serves: the header alone, the reason, the not-found status
run resolve ip=10.0.0.2 port=9443 sni=www.contoso.com --explain
run --json resolve ip=10.0.0.2 port=8443

note a Unicode name becomes its A-label, and a name the store would refuse matches no name
run resolve ip=10.0.0.2 port=443 sni=bücher.contoso.com --json
run resolve ip=10.0.0.2 port=8443 sni=a_b.com --explain

note bad input changes nothing
unchanged resolve ip=10.0.0.300 port=443
unchanged resolve ip=10.0.0.1 port=0
unchanged resolve ip=10.0.0.1
unchanged resolve port=443 colour=blue
unchanged resolve ip=10.0.0.1 ip=10.0.0.2 port=443
unchanged resolve 10.0.0.1:443
unchanged --json resolve ip=fe80::1%eth0 port=443
run resolve help
