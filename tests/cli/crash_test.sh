#!/usr/bin/env bash
# kill -9 at random points of a large `import`, of `apply --prune`, and of
# `cert import`, 10 trials each. After every kill:
# - PRAGMA integrity_check says ok;
# - the store holds exactly the state before the command or the state the
#   command completes to (a digest of every registry row);
# - every certificate has its private key;
# and once the next writer has run, the store is one file again and its key
# folder holds exactly the key files of the certificates (no temporary, no
# key file nothing names).
#
#   crash_test.sh SSLBIND_BINARY
#
# 100,000 bindings; 10,000 under AddressSanitizer (detected from the binary,
# or forced with SSLBIND_CRASH_BINDINGS=N). SSLBIND_CRASH_SEED=N repeats the
# kill points of an earlier run (it prints its seed).
set -euo pipefail
SSLBIND=$1
victim=
at_exit() { [ -z "$victim" ] || kill -9 "$victim" 2> /dev/null; }
# shellcheck source=lib/setup.sh
source "$(dirname "$0")/lib/setup.sh"
# shellcheck source=lib/certs.sh
source "$HERE/lib/certs.sh"
TRIALS=10

count=100000
# (Not `ldd | grep -q`: under pipefail, grep leaving early kills ldd with
# SIGPIPE, which made the test take the full size at random.)
case "$(ldd "$SSLBIND" 2> /dev/null)" in *libasan*) count=10000 ;; esac
count=${SSLBIND_CRASH_BINDINGS:-$count}
seed=${SSLBIND_CRASH_SEED:-$(( $(date +%s%N) % 32768 ))}
RANDOM=$seed
echo "crash test: $count bindings, seed $seed"

# bindings FIRST N SALT: a JSON document of N ipport bindings, numbered
# from FIRST, whose certificate hash depends on SALT.
bindings() {
  awk -v first="$1" -v n="$2" -v salt="$3" 'BEGIN {
    printf "{\"version\":1,\"bindings\":["
    for (i = first; i < first + n; i++) {
      if (i > first) printf ","
      printf "{\"ipport\":\"10.%d.%d.%d:443\",\"certhash\":\"%08x%032x\",", \
        int(i / 65536), int(i / 256) % 256, i % 256, salt, i
      printf "\"appid\":\"{00112233-4455-6677-8899-aabbccddeeff}\"}"
    }
    print "]}"
  }'
}
bindings 0 "$count" 1 > import.json
# Half the imported bindings with a new certificate, half new ones: apply
# --prune updates, adds and removes count/2 each.
bindings $((count / 2)) "$count" 2 > apply.json

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
digest() {  # every registry row of store $1, in order
  sqlite3 "$1" \
    "SELECT parent, name_folded, name, id, hex(vals) FROM registry_node
     ORDER BY parent, name_folded" | sha256sum
}
integrity() {
  local out
  out=$(sqlite3 "$1" "PRAGMA integrity_check" 2>&1) || true
  [ "$out" = ok ] || fail "$2: integrity_check: $out"
}
certs() {  # the certificates of store $1, as `cert show --json` lists them
  "$SSLBIND" --store "$1" --json cert show
}
# keys_complete STORE WHAT: every certificate has its key, and (once the
# next writer ran) the key folder holds exactly their key files.
keys_complete() {
  local list thumbs files
  list=$(certs "$1") || fail "$2: cert show failed: $list"
  if grep -q '"private_key":"\(missing\|unusable\)"' <<< "$list"; then
    fail "$2: a certificate without its key: $list"
  fi
  [ "$3" = exact ] || return 0
  thumbs=$(grep -o '"thumbprint":"[0-9A-Fa-f]*"' <<< "$list" | cut -d'"' -f4 |
    tr a-f A-F | sort)
  files=$(ls -A "$1.keys" | sed 's/\..*$//' | sort)
  [ "$thumbs" = "$files" ] ||
    fail "$2: after the next writer the key folder holds $(ls -A "$1.keys"), the certificates are $thumbs"
}

# cert: a certificate with its key is imported; rekey: the key of a
# certificate already there is replaced (the certificates list the same).
is_cert() { [ "$1" = cert ] || [ "$1" = rekey ]; }

# trial KIND N BASE OLD NEW MAX_MS COMMAND...: runs COMMAND on a copy of the
# store BASE, kills it after a random delay below MAX_MS, and checks that the
# copy holds state OLD or NEW. Prints old or new.
trial() {
  local kind=$1 n=$2 base=$3 old=$4 new=$5 max_ms=$6
  shift 6
  local store=$WORK/$kind-$n.db delay got
  cp "$base" "$store"
  [ -d "$base.keys" ] && cp -a "$base.keys" "$store.keys"
  delay=$(( (RANDOM * 32768 + RANDOM) % max_ms ))
  "$SSLBIND" --store "$store" "$@" > /dev/null 2>&1 &
  victim=$!
  sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
  kill -9 "$victim" 2>/dev/null || true
  wait "$victim" 2>/dev/null || true
  victim=
  integrity "$store" "$kind trial $n (killed after ${delay} ms)"
  got=$(digest "$store")
  if is_cert "$kind"; then
    keys_complete "$store" "$kind trial $n" loose
    got=$(certs "$store" | sha256sum)
  fi
  if [ "$kind" = rekey ] && [ "$got" = "$old" ]; then
    echo kept  # the same list either way; the key checks above decide
  elif [ "$got" = "$old" ]; then
    echo old
  elif [ "$got" = "$new" ]; then
    echo new
  else
    fail "$kind trial $n (killed after ${delay} ms): neither the old nor the new state"
  fi
  # The next writer leaves one file and no stale key file.
  "$SSLBIND" --store "$store" add sslcert ccs=9443 \
    'appid={00112233-4455-6677-8899-aabbccddeeff}' > /dev/null ||
    fail "$kind trial $n: the next writer failed"
  [ ! -e "$store-wal" ] && [ ! -e "$store-shm" ] ||
    fail "$kind trial $n: the next writer left $(ls "$store"*)"
  integrity "$store" "$kind trial $n, after the next writer"
  if is_cert "$kind"; then keys_complete "$store" "$kind trial $n" exact; fi
  rm -rf "$store" "$store.keys"
}

# run KIND BASE RESULT COMMAND...: runs COMMAND to completion on a copy of
# BASE (the new state, kept as RESULT), then TRIALS killed copies. Kill
# points spread over 110% of the full run, so some land after it.
run() {
  local kind=$1 base=$2 result=$3
  shift 3
  local old new start took outcomes=""
  cp "$base" "$result"
  [ -d "$base.keys" ] && cp -a "$base.keys" "$result.keys"
  start=$(now_ms)
  "$SSLBIND" --store "$result" "$@" > /dev/null || fail "$kind: the full run failed"
  took=$(( $(now_ms) - start ))
  if is_cert "$kind"; then
    old=$(certs "$base" | sha256sum)
    new=$(certs "$result" | sha256sum)
  else
    old=$(digest "$base")
    new=$(digest "$result")
  fi
  if [ "$kind" = rekey ]; then
    [ "$(ls "$base.keys")" != "$(ls "$result.keys")" ] || fail "rekey: the key file is the same"
  else
    [ "$old" != "$new" ] || fail "$kind: the command changed nothing"
  fi
  for n in $(seq $TRIALS); do
    outcomes+="$(trial "$kind" "$n" "$base" "$old" "$new" $((took * 11 / 10 + 1)) "$@") "
  done
  echo "$kind: full run ${took} ms; killed runs left: $outcomes"
}

"$SSLBIND" --store empty.db add sslcert ccs=443 \
  'appid={00112233-4455-6677-8899-aabbccddeeff}' > /dev/null
run import empty.db imported.db import import.json
run apply imported.db applied.db apply --prune --no-verify apply.json

make_cert www www.contoso.com "DNS:www.contoso.com" $CERT_VALID_FROM $CERT_VALID_TO
make_cert api api.contoso.com "DNS:api.contoso.com" $CERT_VALID_FROM $CERT_VALID_TO
"$SSLBIND" --store certs.db cert import www.pem > /dev/null
# A new certificate with its key, and the key of one already there replaced.
run cert certs.db certs-new.db cert import api.pem
TRIALS=5 run rekey certs.db certs-again.db cert import www.pfx
echo "crash test: 35 killed runs, 0 failed"
