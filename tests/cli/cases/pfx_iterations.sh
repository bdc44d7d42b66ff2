# PKCS#12 files that ask for more key derivation than sslbind allows are
# refused before any of it is done, with the count and the limit.
FIXTURES=$(dirname "$CASE")/../fixtures
cp "$FIXTURES/many_iterations.pfx" "$FIXTURES/key_iterations.pfx" .
note the encrypted certificate part asks for 1,500,000 iterations
unchanged cert import many_iterations.pfx password=secret
note the key alone asks for 1,500,000 iterations
unchanged cert import key_iterations.pfx password=secret
