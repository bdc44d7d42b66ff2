# A thumbprint copied from the Windows certificate dialog: U+200E before it,
# blanks between its hex pairs; BOMs and no-break spaces from editors. They
# are removed with a warning; any other character is named by code point.
A='{00112233-4455-6677-8899-aabbccddeeff}'
LRM=$(printf '\u200e') RLM=$(printf '\u200f') BOM=$(printf '\ufeff')
NBSP=$(printf '\u00a0') ZWSP=$(printf '\u200b')
note "as the dialog shows it: left-to-right mark, blanks between pairs"
run add sslcert ipport=0.0.0.0:443 "certhash=${LRM}01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10 11 12 13 14" appid=$A --no-verify
run show sslcert ipport=0.0.0.0:443
note "a BOM before, a no-break space and a right-to-left mark after; untagged"
run add sslcert 0.0.0.0:8443 "${BOM}0102030405060708090a0b0c0d0e0f1011121314${NBSP}${RLM}" $A --no-verify
run update sslcert 0.0.0.0:8443 "certhash= 0102030405060708090a0b0c0d0e0f1011121314 " --no-verify
note "failures name the character by code point; nothing is written"
unchanged add sslcert 0.0.0.0:9443 "certhash=0102${ZWSP}030405060708090a0b0c0d0e0f1011121314" appid=$A --no-verify
unchanged add sslcert 0.0.0.0:9443 "certhash=01${LRM}02030405060708090a0b0c0d0e0f1011121314" appid=$A --no-verify
unchanged add sslcert 0.0.0.0:9443 certhash=0g02030405060708090a0b0c0d0e0f1011121314 appid=$A --no-verify
unchanged add sslcert 0.0.0.0:9443 "certhash=010 2030405060708090a0b0c0d0e0f1011121314" appid=$A --no-verify
unchanged add sslcert 0.0.0.0:9443 "certhash=${LRM}" appid=$A --no-verify
