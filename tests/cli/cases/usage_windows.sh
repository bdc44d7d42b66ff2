# Usage texts as Windows Server 2022's netsh prints them, asked for with /?,
# -?, ? or help; sslbind's additions in their own paragraph. On a bad
# parameter the line naming the cause comes first, then the usage.
run add sslcert /?
run update sslcert -?
run netsh http delete sslcert ?
run show sslcert help
run http show sslcert /?
run --json delete sslcert /?
note "a bad parameter: the cause first, then netsh's line and the usage"
unchanged delete sslcert ipport=1.1.1.1:443 colour=blue
unchanged show sslcert 1.1.1.1:443 extra
