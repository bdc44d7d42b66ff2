# Bad IIS configuration files: a clear error naming the bad part (line,
# column, site), exit status 2, and the store unchanged.
FIXTURES=$(dirname "$CASE")/../fixtures/iis
cp "$FIXTURES"/malformed.config .
A='appid={4dc3e181-e14b-4a21-b022-59fc669b0914}'
run add sslcert ccs=443 $A
site() {  # site BINDING-ATTRIBUTES: a configuration with one HTTPS binding
  printf '<configuration><system.applicationHost><sites>\n<site name="S" id="7"><bindings>\n<binding protocol="https" %s />\n</bindings></site></sites></system.applicationHost></configuration>\n' "$1"
}
unchanged iis sync malformed.config
unchanged iis check malformed.config
unchanged --json iis show malformed.config
site 'bindingInformation="*:99999:"' > port.config
unchanged iis sync port.config
site 'bindingInformation="10.0.0.300:443:"' > address.config
unchanged iis check address.config
site 'bindingInformation="[fe80::1:443:"' > bracket.config
unchanged iis show bracket.config
site 'bindingInformation="*:443:bad/host"' > host.config
unchanged iis sync host.config
site 'bindingInformation="443"' > short.config
unchanged iis sync short.config
site 'bindingInformation="*:443:" sslFlags="256"' > bit.config
unchanged iis sync bit.config
site 'bindingInformation="*:443:" sslFlags="Sni, Turbo"' > name.config
unchanged iis check name.config
site 'bindingInformation="*:443:" sslFlags="-1"' > negative.config
unchanged iis check negative.config
printf '<configuration><system.applicationHost><sites><site name="S" id="x"/></sites></system.applicationHost></configuration>' > id.config
unchanged iis check id.config
note "a control byte in a value is escaped in the message"
site "$(printf 'bindingInformation="*:443:a\001b"')" > control.config
unchanged iis check control.config
note "an empty host with the SNI flag: a finding for check, skipped by sync"
site 'bindingInformation="*:443:" sslFlags="1"' > sni.config
unchanged iis check sni.config
unchanged iis sync sni.config --prune --dry-run
note "not UTF-8, or UTF-16"
site "$(printf 'bindingInformation="*:443:" name="\xff"')" > latin1.config
unchanged iis check latin1.config
printf '\xff\xfe<\0c\0/\0>\0' > utf16.config
unchanged iis check utf16.config
printf '<configuration><MBProperty><IIsWebServer Location="/LM/W3SVC/1" SecureBindings=":443:" SSLStoreName="../x"/></MBProperty></configuration>' > store.xml
unchanged iis show store.xml
note "a site name is printed escaped"
printf '<configuration><system.applicationHost><sites><site name="a&#27;[31mb" id="1"><bindings><binding protocol="https" bindingInformation="*:443:"/></bindings></site></sites></system.applicationHost></configuration>' > esc.config
unchanged iis show esc.config
note "neither format"
printf '<?xml version="1.0"?>\n<project><target name="build"/></project>\n' > build.xml
unchanged iis show build.xml
: > empty.config
unchanged iis show empty.config
printf '<configuration><MBProperty><IIsWebServer Location="/LM/W3SVC/1" SecureBindings=":443:" SSLCertHash="xyz"/></MBProperty></configuration>' > hash.xml
unchanged iis sync hash.xml
printf '<configuration><MBProperty><IIsWebServer Location="/LM/W3SVC" SecureBindings=":443:"/></MBProperty></configuration>' > location.xml
unchanged iis sync location.xml
unchanged iis show missing.config
note "a 50 MB configuration is refused before it is parsed"
{ site 'bindingInformation="*:443:"'; head -c 52428800 /dev/zero | tr '\0' ' '; } > big.config
unchanged iis sync big.config
unchanged iis sync
