#!/usr/bin/env bash
# The key folder beside the store, through the real binary:
# - a writer refuses a key folder, or a folder holding the store, that
#   someone else could have prepared (error 5, a line saying why) before
#   writing anything: no store file, no key file;
# - the key folder is derived from the store file the path leads to, so a
#   store reached through a symbolic link has the keys of its real name;
# - the next writer removes what a killed writer left in the key folder
#   (temporaries, key files no row names), and nothing else.
#
#   key_folder_test.sh SSLBIND_BINARY
set -euo pipefail
SSLBIND=$1
# shellcheck source=lib/setup.sh
source "$(dirname "$0")/lib/setup.sh"
chmod 755 "$WORK"
# shellcheck source=lib/certs.sh
source "$HERE/lib/certs.sh"
passed=0
APPID='appid={00112233-4455-6677-8899-aabbccddeeff}'

make_cert www www.contoso.com "DNS:www.contoso.com" $CERT_VALID_FROM $CERT_VALID_TO
hash=$(thumbprint www)
HASH=$(tr a-f A-F <<< "$hash")

# refused NAME DIR WHY: `cert import` into DIR/bindings.db is refused with
# error 5 and a line containing WHY, and creates nothing in DIR.
refused() {
  local name=$1 dir=$2 why=$3 before out rc=0
  before=$(ls -laR "$dir")
  out=$("$SSLBIND" --store "$dir/bindings.db" cert import www.pem 2>&1) || rc=$?
  [ $rc = 6 ] || fail "$name: exited $rc, expected 6: $out"
  grep -q 'failed, Error: 5$' <<< "$out" || fail "$name: $out"
  grep -qF -- "$why" <<< "$out" || fail "$name: no '$why' in: $out"
  [ "$before" = "$(ls -laR "$dir")" ] || fail "$name: a refused import changed $dir: $(ls -laR "$dir")"
  passed=$((passed + 1))
}

mkdir -m 700 open_keys && mkdir -m 777 open_keys/bindings.db.keys
refused "key folder 0777" open_keys "refusing the key folder '$WORK/open_keys/bindings.db.keys': group or others may write it (mode 0777)"

mkdir -m 700 group_keys && mkdir -m 730 group_keys/bindings.db.keys
refused "key folder 0730" group_keys "group or others may write it (mode 0730)"

mkdir -m 700 linked_keys elsewhere
ln -s "$WORK/elsewhere" linked_keys/bindings.db.keys
refused "symbolic link" linked_keys "refusing the key folder '$WORK/linked_keys/bindings.db.keys': it is a symbolic link"

mkdir -m 700 file_keys && : > file_keys/bindings.db.keys
refused "a file as key folder" file_keys "it is not a folder"

mkdir -m 777 open_store
refused "store folder 0777" open_store "refusing the store folder '$WORK/open_store': group or others may write it (mode 0777)"

if [ "$(id -u)" = 0 ]; then
  mkdir -m 700 foreign_keys && mkdir -m 700 foreign_keys/bindings.db.keys
  chown nobody foreign_keys/bindings.db.keys
  refused "key folder of another user" foreign_keys "is owned by user $(id -u nobody), not by the store's owner (user 0)"
  mkdir -m 755 foreign_store && chown nobody foreign_store
  refused "store folder of another user" foreign_store "refusing the store folder '$WORK/foreign_store': it is owned by user $(id -u nobody)"
fi

# Trusted: a sticky folder anyone may write (as /tmp), a key folder of ours
# that others may read (tightened to 0700), a store folder we create.
mkdir -m 1777 sticky
"$SSLBIND" --store sticky/bindings.db cert import www.pem > /dev/null || fail "sticky folder refused"
mkdir -m 700 readable && mkdir -m 755 readable/bindings.db.keys
"$SSLBIND" --store readable/bindings.db cert import www.pem > /dev/null || fail "0755 key folder refused"
[ "$(stat -c %a readable/bindings.db.keys)" = 700 ] || fail "the key folder was not tightened"
(umask 000 && "$SSLBIND" --store new/deeper/bindings.db cert import www.pem > /dev/null) ||
  fail "a new store folder refused"
[ "$(stat -c %a new/deeper)" = 755 ] || fail "a store folder created $(stat -c %a new/deeper)"
[ "$(stat -c %a new)" = 755 ] || fail "a store folder created $(stat -c %a new)"
"$SSLBIND" --store new/deeper/bindings.db cert import www.pem > /dev/null || fail "our own store folder refused"
passed=$((passed + 3))

# One key folder, whichever name the store is opened by.
mkdir -m 700 linked
ln -s real.db linked/link.db
"$SSLBIND" --store linked/link.db cert import www.pem > /dev/null
[ -e linked/real.db ] && [ -d linked/real.db.keys ] || fail "link: $(ls linked)"
[ ! -e linked/link.db.keys ] || fail "the key folder follows the link's name: $(ls linked)"
port=440
for name in link.db real.db; do
  port=$((port + 1))
  "$SSLBIND" --store linked/$name add sslcert ipport=0.0.0.0:$port \
    certhash="$hash" "$APPID" > /dev/null || fail "$name: the key is not found"
  grep -q '"private_key":"present"' <<< "$("$SSLBIND" --store linked/$name --json cert show)" ||
    fail "$name: $("$SSLBIND" --store linked/$name --json cert show)"
done
# A link to a store that does not exist yet creates the file it points to.
mkdir -m 700 dangling
ln -s sub/target.db dangling/link.db && mkdir -m 700 dangling/sub
"$SSLBIND" --store dangling/link.db cert import www.pem > /dev/null
[ -e dangling/sub/target.db ] && [ -d dangling/sub/target.db.keys ] || fail "dangling: $(ls -R dangling)"
grep -q '"private_key":"present"' <<< "$("$SSLBIND" --store dangling/sub/target.db --json cert show)" ||
  fail "dangling: the key is missing through the real name"
passed=$((passed + 2))

# Leftovers of a killed writer: the next writer removes them.
store=$WORK/left/bindings.db
"$SSLBIND" --store "$store" cert import www.pem > /dev/null
keys=$store.keys
kept=$(ls "$keys")
old="2 minutes ago"
touch -d "$old" "$keys/$HASH.0123456789abcdef.key" \
  "$keys/.$HASH.0123456789abcdef.key.tmp-fedcba9876543210" \
  "$keys/ccs.00000000000000aa.password" \
  "$keys/.ccs.00000000000000bb.password.tmp-00000000000000cc" \
  "$keys/notes.txt" "$keys/$HASH.key"
# Newer than the next writer's lock: could be in flight, kept.
touch -d "+1 hour" "$keys/$HASH.1111111111111111.key"
"$SSLBIND" --store "$store" add sslcert ccs=443 "$APPID" > /dev/null
left=$(ls -A "$keys" | sort)
expected=$(printf '%s\n' "$kept" "$HASH.1111111111111111.key" "$HASH.key" notes.txt | sort)
[ "$left" = "$expected" ] || fail "after the next writer the key folder holds:
$left
expected:
$expected"
grep -q '"private_key":"present"' <<< "$("$SSLBIND" --store "$store" --json cert show)" ||
  fail "the cleanup removed the key in use"
# A dry run removes nothing.
touch -d "$old" "$keys/$HASH.2222222222222222.key"
"$SSLBIND" --store "$store" --dry-run add sslcert ccs=444 "$APPID" > /dev/null
[ -e "$keys/$HASH.2222222222222222.key" ] || fail "a dry run removed a file"
passed=$((passed + 3))
echo "key folder: $passed passed, 0 failed"
