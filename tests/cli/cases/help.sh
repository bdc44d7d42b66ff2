run add sslcert help
run delete sslcert ?
run show sslcert --help
run update sslcert /?
