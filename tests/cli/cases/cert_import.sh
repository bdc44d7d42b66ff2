# shellcheck source=../lib/certs.sh
source "$(dirname "$CASE")/../lib/certs.sh"
make_cert www www.contoso.com "DNS:www.contoso.com,DNS:contoso.com" $CERT_VALID_FROM $CERT_VALID_TO
make_cert api api.contoso.com "DNS:api.contoso.com" $CERT_VALID_FROM $CERT_VALID_TO
make_cert old old.contoso.com "DNS:old.contoso.com" 20000101000000Z 20010101000000Z
make_cert ca "Contoso CA" "" $CERT_VALID_FROM $CERT_VALID_TO
mask "$(thumbprint www)" www
mask "$(thumbprint api)" api
mask "$(thumbprint old)" old
mask "$(thumbprint ca)" ca

note a PEM file with the certificate and its key
run cert import www.pem
note a certificate alone, PEM then DER as a Windows .cer, into other stores
run cert import api.crt store=WebHosting
run cert import api.cer store="Remote Desktop"
note a PFX with the empty password, and one with a password
run cert import old.pfx store=Old
run cert import api.pw.pfx password=secret store=Apps
note importing the certificate alone keeps the key it has
run cert import www.crt
note a PFX with a chain: the certificate the key belongs to, and a note
openssl pkcs12 -export -in www.crt -inkey www.key -certfile ca.crt -passout pass: -out chain.pfx
run cert import chain.pfx store=Chain
run cert show
run cert show store=webhosting
run --json cert show store=Old
run cert show certhash="$(thumbprint api)"
note a thumbprint that no store holds, or not in that store
unchanged cert show certhash=0102030405060708090a0b0c0d0e0f1011121314
unchanged cert show store=Old certhash="$(thumbprint www)"

note nothing is imported from a bad file or with a bad password
unchanged cert import api.pw.pfx
unchanged cert import api.pw.pfx password=wrong
unchanged cert import missing.pem
printf 'hello\n' > hello.txt
unchanged cert import hello.txt
cat www.crt api.key > mismatched.pem
unchanged cert import mismatched.pem
unchanged cert import www.pem store=My/Store
unchanged cert import www.pem store=MY store=WebHosting
unchanged cert import www.pem colour=blue
unchanged cert import
mkdir folder
unchanged cert import folder
unchanged --json cert import api.pw.pfx password=wrong
run cert import help
unchanged cert
unchanged cert export www.pem
