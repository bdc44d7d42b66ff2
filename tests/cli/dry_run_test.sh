#!/usr/bin/env bash
# --dry-run changes nothing on disk, and only changing commands take it.
#
# For every command that changes something (add, update, delete, -f, import,
# apply, cert import, cert delete, ccs enable, ccs disable, image build,
# image remove), with --dry-run before and after the command: it succeeds,
# and the store folder -- every file's name, size, sha256 and mode, the key
# folder <store>.keys/ with its private keys and CCS password included -- and
# the store's SQL dump are exactly as before. The same command without
# --dry-run, run on a copy of the folder, does change it (so the comparison can see
# a change). A dry run against a store that does not exist creates nothing.
#
# Every command that changes nothing (show, cert show, ccs show, image show,
# resolve, check, export, help, --version) refuses --dry-run with error 87
# naming it (exit status 2; {"error":{"win32":87,...}} with --json), and
# writes nothing: `export --dry-run -o FILE` does not create FILE.
#
#   dry_run_test.sh SSLBIND_BINARY
set -euo pipefail
BIN=$(realpath "$1")
# shellcheck source=lib/setup.sh
source "$(dirname "$0")/lib/setup.sh"
# shellcheck source=lib/certs.sh
source "$HERE/lib/certs.sh"
command -v sqlite3 > /dev/null || fail "sqlite3 is needed for this test"

A='{00112233-4455-6677-8899-aabbccddeeff}'
make_cert www www.contoso.com "DNS:www.contoso.com" $CERT_VALID_FROM $CERT_VALID_TO
make_cert api api.contoso.com "DNS:api.contoso.com" $CERT_VALID_FROM $CERT_VALID_TO
WWW=$(thumbprint www)
API=$(thumbprint api)

# state FOLDER: every file and folder below FOLDER (names relative to it)
# with its type, mode, size and sha256, then the SQL dump of its store. The
# contents of SQLite's -shm file are left out: it is the WAL's shared-memory
# index, which every reader updates (a plain `show` does too).
state() {
  (
    cd "$1"
    find . -mindepth 1 -printf '%y %m %s %p\n' | LC_ALL=C sort |
      while read -r type mode size path; do
        sum=-
        [ "$type" != f ] || sum=$(sha256sum "$path" | cut -d' ' -f1)
        [[ $path != *-shm ]] || sum=shm
        echo "$type $mode $size $sum $path"
      done
    if [ -e s.db ]; then sqlite3 -readonly s.db .dump; fi
  )
}

# The store every change is tried on: bindings, two certificates with keys,
# the CCS with a password.
mkdir base
sb() { "$BIN" --store base/s.db "$@"; }
sb cert import www.pfx > /dev/null
sb ccs enable path="$WORK" password=secret > /dev/null
sb add sslcert ipport=0.0.0.0:443 certhash="$WWW" appid="$A" > /dev/null
sb add sslcert hostnameport=www.contoso.com:443 certhash="$WWW" appid="$A" \
  certstorename=MY > /dev/null
sb add sslcert ccs=8443 appid="$A" > /dev/null
ls base/s.db.keys/*.key > /dev/null || fail "the base store has no key file"
ls base/s.db.keys/*.password > /dev/null || fail "the base store has no password file"
BASE=$(state base)

printf 'add sslcert ccs=9000 appid=%s\ndelete sslcert ccs=8443\n' "$A" > script.txt
printf '{"version":1,"bindings":[{"ccs":9001,"appid":"%s"}]}\n' "$A" > new.json
printf '{"version":1,"bindings":[{"ccs":8443,"appid":"%s","clientcertnegotiation":true}]}\n' \
  "$A" > replace.json

cat > iis.config <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<configuration><system.applicationHost><sites>
  <site name="Shop" id="2"><bindings>
    <binding protocol="https" bindingInformation="*:9443:shop.contoso.com" sslFlags="3" />
  </bindings></site>
</sites></system.applicationHost></configuration>
XML

# Each changing command, as words after `sslbind --store STORE`.
CHANGES=(
  "rollback --to 1"
  "iis sync iis.config"
  "add sslcert ipport=0.0.0.0:444 certhash=$WWW appid=$A"
  "add sslcert ccs=9443 appid=$A"
  "update sslcert ipport=0.0.0.0:443 clientcertnegotiation=enable"
  "delete sslcert hostnameport=www.contoso.com:443"
  "-f script.txt"
  "import new.json"
  "import replace.json --replace"
  "apply new.json --prune"
  "cert import api.pem"
  "cert import api.pfx store=WebHosting"
  "cert import www.crt"
  "cert delete certhash=$WWW --force"
  "ccs enable path=/srv/other password=other"
  "ccs enable path=/srv/other"
  "ccs disable"
  "image build"
)

# with_dry_run WHERE WORDS...: sets args to the command with --dry-run
# before it, after it, or before it with --json after it.
with_dry_run() {
  local where=$1
  shift
  case $where in
    before) args=(--dry-run "$@") ;;
    after) args=("$@" --dry-run) ;;
    json) args=(--dry-run "$@" --json) ;;
  esac
}

# try_dry_run WHERE WORDS...: runs the command (with_dry_run) on a fresh
# copy of the base store in try/; out.txt, err.txt and rc hold the result.
try_dry_run() {
  rm -rf try && cp -a base try
  with_dry_run "$@"
  rc=0
  "$BIN" --store try/s.db "${args[@]}" > out.txt 2> err.txt || rc=$?
}

checked=0
# check_dry_runs FROM WORDS...: with --dry-run before it, after it and with
# --json, the command succeeds, says it is a dry run and leaves a fresh copy
# of folder FROM exactly as it was; without --dry-run it changes the copy.
check_dry_runs() {
  local from=$1 expected
  shift
  expected=$(state "$from")
  for where in before after json; do
    rm -rf try && cp -a "$from" try
    with_dry_run $where "$@"
    rc=0
    "$BIN" --store try/s.db "${args[@]}" > out.txt 2> err.txt || rc=$?
    [ $rc = 0 ] || fail "sslbind ${args[*]}: exit $rc: $(cat out.txt err.txt)"
    if [ $where = json ]; then
      grep -q '"status":"dry-run"' out.txt ||
        fail "sslbind ${args[*]}: not a dry-run status: $(cat out.txt)"
    else
      grep -qi 'dry run' out.txt ||
        fail "sslbind ${args[*]}: does not say it is a dry run: $(cat out.txt)"
    fi
    [ "$(state try)" == "$expected" ] ||
      fail "sslbind ${args[*]} changed the store folder:
$(diff <(echo "$expected") <(state try) || true)"
    checked=$((checked + 1))
  done
  rm -rf try && cp -a "$from" try
  "$BIN" --store try/s.db "$@" > out.txt 2> err.txt ||
    fail "sslbind $*: exit $?: $(cat out.txt err.txt)"
  [ "$(state try)" != "$expected" ] || fail "sslbind $* changed nothing"
}
for words in "${CHANGES[@]}"; do
  read -ra cmd <<< "$words"
  check_dry_runs base "${cmd[@]}"
done
# image remove, on a copy of the store with its snapshot image.
cp -a base with_image
"$BIN" --store with_image/s.db image build > /dev/null
check_dry_runs with_image image remove

# A dry run against a store that does not exist creates nothing at all.
for words in "cert import www.pfx" "ccs enable path=/srv password=pw" \
  "add sslcert ccs=443 appid=$A" "-f script.txt" "import new.json" \
  "apply new.json"; do
  read -ra cmd <<< "$words"
  rc=0
  "$BIN" --store none/s.db --dry-run "${cmd[@]}" > out.txt 2>&1 || rc=$?
  # delete ccs=8443 of the script fails in an empty store (2, exit 3).
  [ $rc = 0 ] || [ "$words" = "-f script.txt" ] ||
    fail "sslbind --dry-run $words on no store: exit $rc: $(cat out.txt)"
  [ ! -e none ] || fail "sslbind --dry-run $words created $(find none)"
done

# The commands that change nothing refuse --dry-run, before or after the
# command, with and without --json; and they write nothing.
sb show sslcert > /dev/null  # they work without it
REFUSED=(
  "revision"
  "history"
  "diff 1"
  "iis show iis.config"
  "iis check iis.config"
  "keygen farm.key"
  "show sslcert"
  "show sslcert ipport=0.0.0.0:443"
  "cert show"
  "cert show certhash=$WWW"
  "ccs show"
  "image show"
  "resolve ip=10.0.0.1 port=443"
  "check"
  "export"
  "export --format reg -o out.reg"
  "export -o out.json"
  "--help"
  "add sslcert help"
  "cert import help"
  "show sslcert --help"
  "--version"
)
for words in "${REFUSED[@]}"; do
  read -ra cmd <<< "$words"
  for where in before after json; do
    try_dry_run $where "${cmd[@]}"
    [ $rc = 2 ] || fail "sslbind ${args[*]}: exit $rc, not 2: $(cat out.txt err.txt)"
    if [ $where = json ]; then
      python3 -c '
import json, sys
j = json.load(open("out.txt"))
assert j["error"]["win32"] == 87, j
assert "--dry-run" in j["error"]["message"], j
' || fail "sslbind ${args[*]}: not a JSON error 87 naming --dry-run: $(cat out.txt)"
    else
      [ ! -s out.txt ] || fail "sslbind ${args[*]} printed: $(cat out.txt)"
      grep -q -- '--dry-run' err.txt ||
        fail "sslbind ${args[*]}: the error does not name --dry-run: $(cat err.txt)"
    fi
    [ ! -e out.reg ] && [ ! -e out.json ] ||
      fail "sslbind ${args[*]} wrote its output file"
    [ "$(state try)" == "$BASE" ] || fail "sslbind ${args[*]} changed the store folder"
    checked=$((checked + 1))
  done
done
echo "dry runs: $checked runs checked, nothing changed on disk"
