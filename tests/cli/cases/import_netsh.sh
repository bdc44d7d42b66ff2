# import of saved `netsh http show sslcert` output: classic and modern.
FIXTURES=$(dirname "$CASE")/../fixtures
cp "$FIXTURES/netsh_classic.txt" classic.txt
cp "$FIXTURES/netsh_modern.txt" modern.txt

note "the classic layout: CRLF, two empty lines between entries, mixed case"
run import classic.txt
note "the modern layout: Extended Properties are skipped with a note"
run import modern.txt --format netsh
run --json show sslcert ipport=0.0.0.0:7048
note "read back as netsh prints it (values in canonical case)"
run show sslcert hostnameport=sts.margiestravel.com:443
note "importing the same capture again: 183, and nothing is imported"
unchanged import classic.txt
