# Test certificates, generated with the openssl command line when a test
# runs (no private key is ever committed). Source this file, then:
#
#   make_cert NAME CN SANS START END
#       A self-signed certificate with fixed dates (YYYYMMDDHHMMSSZ) and serial
#       number 01, so that everything but the key -- and so the thumbprint --
#       is the same on every run. SANS is "DNS:a,DNS:b" or "" for none.
#       Writes, in the current folder:
#         NAME.crt       the certificate (PEM)
#         NAME.cer       the certificate (DER)
#         NAME.key       its private key (PEM PKCS#8)
#         NAME.pem       certificate and key in one PEM file
#         NAME.pfx       PKCS#12 with an empty password
#         NAME.pw.pfx    PKCS#12 with the password "secret"
#   thumbprint NAME      the SHA-1 thumbprint, lower-case hex, as computed by
#                        `openssl x509 -fingerprint -sha1`
#
# Dates used by the tests: valid 20200101000000Z..20991231000000Z, expired
# 20000101000000Z..20010101000000Z, not yet valid 20900101000000Z..20991231000000Z.

CERT_VALID_FROM=20200101000000Z
CERT_VALID_TO=20991231000000Z

make_cert() {
  local name=$1 cn=$2 sans=$3 start=$4 end=$5
  local ca=".ca-$name"
  mkdir -p "$ca"
  : > "$ca/index.txt"
  echo 01 > "$ca/serial"
  cat > "$ca/ca.cnf" <<CNF
[ca]
default_ca = test_ca
[test_ca]
database = $ca/index.txt
new_certs_dir = $ca
serial = $ca/serial
default_md = sha256
policy = any
copy_extensions = copy
unique_subject = no
[any]
organizationName = optional
commonName = supplied
CNF
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
    -out "$name.key" 2>/dev/null
  local ext=()
  if [ -n "$sans" ]; then ext=(-addext "subjectAltName=$sans"); fi
  openssl req -new -key "$name.key" -subj "/O=Contoso/CN=$cn" "${ext[@]}" \
    -out "$ca/req.csr"
  openssl ca -batch -config "$ca/ca.cnf" -selfsign -keyfile "$name.key" \
    -in "$ca/req.csr" -startdate "$start" -enddate "$end" -notext \
    -out "$name.crt" 2>/dev/null
  openssl x509 -in "$name.crt" -outform DER -out "$name.cer"
  cat "$name.crt" "$name.key" > "$name.pem"
  openssl pkcs12 -export -in "$name.crt" -inkey "$name.key" \
    -passout pass: -out "$name.pfx"
  openssl pkcs12 -export -in "$name.crt" -inkey "$name.key" \
    -passout pass:secret -out "$name.pw.pfx"
  rm -rf "$ca"
}

thumbprint() {
  openssl x509 -in "$1.crt" -noout -fingerprint -sha1 |
    sed 's/^.*=//; s/://g' | tr 'A-F' 'a-f'
}
