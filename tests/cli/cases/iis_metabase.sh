# IIS 6: a MetaBase.xml gives the certificate (SSLCertHash, SSLStoreName,
# SslCtlStoreName) of every SecureBindings entry; check reports sites with
# several SecureBindings and one certificate, and a hash or store name that
# differs from the binding's.
FIXTURES=$(dirname "$CASE")/../fixtures/iis
cp "$FIXTURES"/MetaBase.xml .
note "the certificates are on the old server: 1312 unless --no-verify"
unchanged iis sync MetaBase.xml --dry-run
unchanged iis sync MetaBase.xml --dry-run --no-verify
run iis sync MetaBase.xml --no-verify
unchanged iis sync MetaBase.xml --no-verify
run show sslcert ipport=10.0.0.2:443
run iis check MetaBase.xml
note "someone rebinds two addresses by hand"
run update sslcert ipport=10.0.0.1:443 certhash=a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4 --no-verify
run update sslcert ipport=10.0.0.2:443 certstorename=MY --no-verify
run iis check MetaBase.xml
run --json iis check MetaBase.xml
note "sync puts the MetaBase certificate back"
run iis sync MetaBase.xml --no-verify
