#!/usr/bin/env bash
# Runs one end-to-end CLI case against the real binary and compares its
# transcript with the expected file, byte for byte.
#
#   run_case.sh SSLBIND_BINARY CASE.sh EXPECTED.txt
#
# A case is a bash script run with these helpers, in a fresh temporary
# folder ($WORK) with a store path ($STORE) that does not exist yet:
#   run ARGS...        runs `sslbind --store $STORE ARGS...` and appends to the
#                      transcript: "$ sslbind ARGS", its stdout, "[stderr]"
#                      and its stderr if any, and "[exit N]".
#   unchanged ARGS...  as run, then checks that the store (its existence
#                      and its full SQL dump) is exactly as before, and
#                      appends "[store unchanged]" or "[STORE CHANGED]".
#   note TEXT          appends "# TEXT".
# The temporary folder's path is written as $WORK in the transcript.
# With UPDATE_EXPECTED=1 the transcript is written to EXPECTED.txt instead:
# review the diff before committing it.
set -euo pipefail
SSLBIND_BIN=$1
CASE=$2
EXPECTED=$3

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
STORE=$WORK/store/bindings.db
TRANSCRIPT=$WORK/transcript.txt
: > "$TRANSCRIPT"
export WORK STORE

run() {
  local rc=0
  printf '$ sslbind %s\n' "$*" >> "$TRANSCRIPT"
  "$SSLBIND_BIN" --store "$STORE" "$@" > "$WORK/out" 2> "$WORK/err" < /dev/null || rc=$?
  cat "$WORK/out" >> "$TRANSCRIPT"
  if [ -s "$WORK/err" ]; then
    echo "[stderr]" >> "$TRANSCRIPT"
    cat "$WORK/err" >> "$TRANSCRIPT"
  fi
  echo "[exit $rc]" >> "$TRANSCRIPT"
}

store_state() {
  if [ -e "$STORE" ]; then
    sqlite3 -readonly "$STORE" .dump
  else
    echo "(no store)"
  fi
}

unchanged() {
  local before after
  before=$(store_state)
  run "$@"
  after=$(store_state)
  if [ "$before" == "$after" ]; then
    echo "[store unchanged]" >> "$TRANSCRIPT"
  else
    echo "[STORE CHANGED]" >> "$TRANSCRIPT"
  fi
}

note() { printf '# %s\n' "$*" >> "$TRANSCRIPT"; }

cd "$WORK"
# shellcheck source=/dev/null
source "$CASE"
# The temporary folder differs from run to run: name it $WORK instead.
sed -i "s|$WORK|\$WORK|g" "$TRANSCRIPT"

if [ "${UPDATE_EXPECTED:-0}" = 1 ]; then
  cp "$TRANSCRIPT" "$EXPECTED"
  echo "updated $EXPECTED"
  exit 0
fi
if ! diff -u "$EXPECTED" "$TRANSCRIPT"; then
  echo "FAIL: transcript of $(basename "$CASE") differs from $(basename "$EXPECTED")" >&2
  exit 1
fi
