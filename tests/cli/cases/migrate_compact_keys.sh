# A store of schema 003 (tests/cli/fixtures/store_schema3.sql, made by the
# sslbind before the compact key table of schema 005) is read as it is by
# read-only commands, and upgraded in place by the first write: every
# binding, the revision and the journal stay. This transcript was made by
# that earlier sslbind on the same fixture, so the listings and exports
# before and after the upgrade are its bytes.
FIXTURES=$(dirname "$CASE")/../fixtures
mkdir -p "$(dirname "$STORE")"
sqlite3 "$STORE" < "$FIXTURES/store_schema3.sql"
run revision
run show sslcert ipport=1.2.3.4:443
run --json show sslcert hostnameport=a.com:443
run history hostnameport=a.com:443
note the first write upgrades the store
run delete sslcert ipport=10.0.0.1:80 --reason upgrade
run revision
run show sslcert
run --json show sslcert
run export
run export --format netsh
run export --format reg
run history ipport=9.0.0.1:80
run history hostnameport=a.com:443
run show sslcert ipport=10.0.0.1:80
