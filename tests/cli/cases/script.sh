# sslbind -f FILE: netsh lines as one transaction.
H=0102030405060708090a0b0c0d0e0f1011121314
A='{00112233-4455-6677-8899-aabbccddeeff}'

note "comments, blank lines, a leading netsh and/or http, any case, quotes"
cat > setup.txt <<END
# the web farm's bindings
netsh http add sslcert ipport=0.0.0.0:443 certhash=$H appid=$A

http ADD SSLCERT hostnameport=www.contoso.com:443 certhash=$H appid=$A certstorename="Web Hosting"
   add sslcert ccs=443 appid='$A'   
END
note "a dry run checks and writes nothing (the store does not exist yet)"
unchanged -f setup.txt --no-verify --dry-run
run -f setup.txt --no-verify
run show sslcert hostnameport=www.contoso.com:443

note "line 3 of 4 fails against the store (183): nothing is applied"
cat > change.txt <<END
update sslcert ipport=0.0.0.0:443 clientcertnegotiation=enable
delete sslcert ccs=443
add sslcert hostnameport=www.contoso.com:443 certhash=$H appid=$A certstorename=MY
add sslcert ccs=8443 appid=$A
END
unchanged -f change.txt --no-verify
note "--dry-run finds the same failure"
unchanged -f change.txt --no-verify --dry-run

note "a line that fails to parse names its line; nothing is applied"
printf 'delete sslcert ccs=443\nadd sslcert ipport=1.2.3.4:443 certhash=%s\n' $H > missing.txt
unchanged -f missing.txt --no-verify
printf 'delete sslcert ccs=443\nupdate sslcert ccs=443 color=blue\n' > unknown.txt
unchanged -f unknown.txt
printf 'delete sslcert ccs=443\nadd sslcert ccs=8443 appid=%s reject=maybe\n' $A > badvalue.txt
unchanged -f badvalue.txt
printf 'delete sslcert ccs=443\nshow sslcert\n' > show.txt
unchanged -f show.txt
printf 'netsh http add urlacl url=http://+:80/ user=Everyone\n' > urlacl.txt
unchanged -f urlacl.txt
printf 'add sslcert ccs=8443 appid="%s\n' $A > quote.txt
unchanged -f quote.txt

note "the script's deletes and adds see each other: a delete-then-add replaces"
printf 'delete sslcert ccs=443\nadd sslcert ccs=443 appid=%s verifyclientcertrevocation=disable\n' $A > replace.txt
run -f replace.txt --no-verify
run show sslcert ccs=443
run --json -f replace.txt --no-verify

note "a script of comments only changes nothing, not even the change counter"
printf '# nothing yet\n\n' > comments.txt
unchanged -f comments.txt
note "-f with a command, a missing file"
run -f replace.txt --no-verify show sslcert
unchanged -f nosuch.txt
