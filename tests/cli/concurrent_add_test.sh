#!/usr/bin/env bash
# Eight `sslbind add` processes at once, several rounds, each on a store that
# does not exist yet (so they also race to create and migrate it):
#  - on eight distinct keys, all eight land;
#  - on one key, exactly one succeeds and the other seven get error 183;
#  - either way every success is one revision: 8 (or 1) consecutive
#    revisions, each with its own journal entry (its own process, one
#    change), and the failures none.
set -euo pipefail
SSLBIND=$1
# shellcheck source=lib/setup.sh
source "$(dirname "$0")/lib/setup.sh"
APPID='appid={00112233-4455-6677-8899-aabbccddeeff}'

for round in 1 2 3 4 5; do
  store=$WORK/distinct-$round/bindings.db
  pids=()
  for i in 1 2 3 4 5 6 7 8; do
    "$SSLBIND" --store "$store" add sslcert "ipport=10.0.0.$i:443" certhash=0$i "$APPID" --no-verify \
      > "$WORK/out.$i" 2>&1 &
    pids+=($!)
  done
  for i in "${!pids[@]}"; do
    wait "${pids[$i]}" || fail "round $round: distinct add $((i + 1)) failed: $(cat "$WORK/out.$((i + 1))")"
  done
  n=$("$SSLBIND" --store "$store" show sslcert | grep -c '^    IP:port')
  [ "$n" = 8 ] || fail "round $round: $n of 8 distinct bindings landed"
  journal=$(sqlite3 -readonly "$store" "SELECT count(*), min(revision), max(revision), count(DISTINCT pid) FROM journal_revision")
  [ "$journal" = "8|1|8|8" ] ||
    fail "round $round: journal (revisions|first|last|processes) is $journal, not 8|1|8|8"
  changes=$("$SSLBIND" --store "$store" history | grep -c '^    add ipport=10\.0\.0\.[1-8]:443$')
  [ "$changes" = 8 ] || fail "round $round: $changes of 8 revisions journal their add"
  [ "$("$SSLBIND" --store "$store" revision)" = 8 ] || fail "round $round: the store is not at revision 8"

  store=$WORK/same-$round/bindings.db
  pids=()
  for i in 1 2 3 4 5 6 7 8; do
    "$SSLBIND" --store "$store" add sslcert ipport=0.0.0.0:443 certhash=0$i "$APPID" --no-verify \
      > "$WORK/out.$i" 2>&1 &
    pids+=($!)
  done
  ok=0; exists=0
  for i in "${!pids[@]}"; do
    rc=0; wait "${pids[$i]}" || rc=$?
    out=$(cat "$WORK/out.$((i + 1))")
    if [ $rc = 0 ]; then
      ok=$((ok + 1))
    elif [ $rc = 4 ] && grep -q 'Error: 183' <<< "$out"; then
      exists=$((exists + 1))
    else
      fail "round $round: same-key add $((i + 1)) exited $rc: $out"
    fi
  done
  [ $ok = 1 ] && [ $exists = 7 ] || fail "round $round: $ok succeeded, $exists got 183"
  n=$("$SSLBIND" --store "$store" show sslcert | grep -c '^    IP:port')
  [ "$n" = 1 ] || fail "round $round: $n bindings on the contested key"
  journal=$(sqlite3 -readonly "$store" "SELECT count(*), min(revision) FROM journal_revision")
  [ "$journal" = "1|1" ] || fail "round $round: the contested key's journal is $journal, not 1|1"
done
echo "concurrent adds: 5 rounds of 8 distinct and 8 contested writers, with their revisions: 10 passed, 0 failed"
