# iis show: the HTTPS bindings of an applicationHost.config (every sslFlags
# bit, SNI, CCS with and without SNI, IPv6, several sites on one port) and of
# a MetaBase.xml, each with the binding it needs and whether the store has it.
FIXTURES=$(dirname "$CASE")/../fixtures/iis
cp "$FIXTURES"/applicationHost.config "$FIXTURES"/MetaBase.xml .
A='appid={4dc3e181-e14b-4a21-b022-59fc669b0914}'
run add sslcert ccs=443 $A
run add sslcert ipport=[2001:db8::5]:8443 certhash=0102030405060708090a0b0c0d0e0f1011121314 $A --no-verify
unchanged iis show applicationHost.config
unchanged --json iis show applicationHost.config
note IIS 6: every SecureBindings entry needs an ipport binding, with the certificate of its site
unchanged iis show MetaBase.xml
unchanged iis show MetaBase.xml --json
note from standard input
"$SSLBIND_BIN" --store "$STORE" iis show - < MetaBase.xml | sed -n 1p >> "$TRANSCRIPT"
run iis show --help
