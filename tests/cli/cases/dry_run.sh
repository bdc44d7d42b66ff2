# shellcheck source=../lib/certs.sh
source "$(dirname "$CASE")/../lib/certs.sh"
make_cert www www.contoso.com "DNS:www.contoso.com" $CERT_VALID_FROM $CERT_VALID_TO
WWW=$(thumbprint www)
mask "$WWW" www
APPID='appid={00112233-4455-6677-8899-aabbccddeeff}'

note a dry run of a store that does not exist yet creates nothing
unchanged --dry-run cert import www.pfx
unchanged --json cert import www.pfx --dry-run
unchanged ccs enable path=/srv/ccs password=secret --dry-run
run cert import www.pfx
run ccs enable path=/srv/ccs password=secret
run add sslcert ipport=0.0.0.0:443 certhash=$WWW $APPID
note the certificate and its key file, the CCS password file stay
unchanged --dry-run cert delete certhash=$WWW --force
unchanged --json cert delete certhash=$WWW --dry-run
unchanged --dry-run cert delete certhash=$WWW
unchanged --dry-run ccs disable
unchanged --json ccs disable --dry-run
unchanged --dry-run cert import www.crt
unchanged --dry-run delete sslcert ipport=0.0.0.0:443
note commands that change nothing refuse --dry-run
unchanged --dry-run show sslcert
unchanged cert show --dry-run
unchanged --json ccs show --dry-run
unchanged --dry-run export -o out.json
run --dry-run --help
note out.json was not written
ls out.json 2> /dev/null || note no out.json
ls "$STORE.keys" | sed 's/\.[0-9a-f]*\././' | LC_ALL=C sort > keys.txt
note key folder: $(tr '\n' ' ' < keys.txt)
