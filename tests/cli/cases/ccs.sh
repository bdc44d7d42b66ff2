note the documented fix for CRL-check delays on a CCS binding
run add sslcert ccs=443 appid={4dc3e181-e14b-4a21-b022-59fc669b0914} verifyclientcertrevocation=disable
run add sslcert scopedccs=www.contoso.com:443 appid={4dc3e181-e14b-4a21-b022-59fc669b0914}
run show sslcert
run update sslcert ccs=443 verifyclientcertrevocation=enable disablehttp2=enable
run show sslcert ccs=443
note certhash and certstorename do not belong to a CCS binding
unchanged add sslcert ccs=8443 appid={4dc3e181-e14b-4a21-b022-59fc669b0914} certhash=01
unchanged update sslcert scopedccs=www.contoso.com:443 certstorename=MY
run delete sslcert scopedccs=www.contoso.com:443
run delete sslcert ccs=443
run show sslcert
