# netsh scripts as Windows runs them (netsh -f): pushd http / popd, a bare
# http context line, exit or quit at the end, untagged parameters.
H=0102030405060708090a0b0c0d0e0f1011121314
A='{00112233-4455-6677-8899-aabbccddeeff}'

note "pushd http, popd and exit are understood"
cat > pushd.txt <<END
pushd http
add sslcert ipport=0.0.0.0:443 certhash=$H appid=$A
add sslcert 0.0.0.0:8443 $H $A
popd
exit
END
run -f pushd.txt --no-verify
run show sslcert 0.0.0.0:8443

note "a bare http context line, then quit; the lines after exit are not read"
printf 'http\ndelete sslcert 0.0.0.0:8443\nquit\nfrobnicate\n' > context.txt
run -f context.txt
run show sslcert

note "a script with only context lines holds no changes"
printf 'pushd http\npopd\nexit\n' > nothing.txt
unchanged -f nothing.txt

note "a thumbprint with invisible characters: a warning names the line"
printf 'add sslcert ipport=1.2.3.4:443 certhash="\u200e%s" appid=%s\n' $H $A > invisible.txt
run -f invisible.txt --no-verify

note "anything else outside sslcert is refused with its line number"
printf 'pushd http\nadd urlacl url=http://+:80/ user=Everyone\npopd\n' > urlacl.txt
unchanged -f urlacl.txt
printf 'pushd interface\nadd sslcert 0.0.0.0:9443 %s %s\n' $H $A > interface.txt
unchanged -f interface.txt
printf 'pushd http\nset sslcert\n' > set.txt
unchanged -f set.txt
printf 'http\nadd sslcert ipport=0.0.0.0:9443 %s %s\n' $H $A > mixed.txt
unchanged -f mixed.txt
