# iis check: the findings of an IIS configuration against the store --
# missing, orphan (and the one that shadows SNI sites), flags, shared,
# sni-without-host, duplicate, ccs-disabled -- and their exit status 10.
FIXTURES=$(dirname "$CASE")/../fixtures/iis
cp "$FIXTURES"/problems.config "$FIXTURES"/applicationHost.config .
A='appid={4dc3e181-e14b-4a21-b022-59fc669b0914}'
H=certhash=0102030405060708090a0b0c0d0e0f1011121314
note "an empty store: every IIS binding misses its HTTP.sys binding"
unchanged iis check problems.config
run add sslcert ipport=0.0.0.0:443 $H $A --no-verify
run add sslcert hostnameport=www.contoso.com:443 $H $A certstorename=MY disablehttp2=enable --no-verify
note "a deployment tool left these behind; 10.9.9.9:443 hides the SNI sites on that address"
run add sslcert ipport=10.9.9.9:443 $H $A --no-verify
run add sslcert hostnameport=old.contoso.com:443 $H $A certstorename=MY --no-verify
unchanged iis check problems.config
unchanged --json iis check problems.config
note "the CCS enabled: no ccs-disabled finding"
mkdir ccs
run ccs enable path="$WORK/ccs"
run add sslcert ccs=443 $A
unchanged iis check problems.config
note every sslFlags bit, against the options of the store
run add sslcert hostnameport=api.contoso.com:443 $H $A certstorename=MY disablehttp2=enable disablequic=enable disabletls13=enable --no-verify
unchanged iis check applicationHost.config
run iis check --help
