#!/usr/bin/env bash
# Every command refuses the global options it does not honour, and takes the
# ones it does.
#
# The commands and what each honours come from the binary's own table
# (`sslbind --list-global-options`, built from the HonourOptions
# declarations), so that a new command or option cannot escape the test; the
# global options themselves come from `sslbind --help`, and the table must
# name every command of --help. For each command and each global option it
# does not honour, given before the command, after it, and with --json: exit
# status 2, nothing on standard output (or the JSON error 87), a message
# naming the option and the command, and the store folder unchanged (keygen
# writes no key file). For each option it does honour: not refused. The
# store comes from $SSLBIND_STORE, which is not "given": keygen takes it.
#
#   global_options_test.sh SSLBIND_BINARY
set -euo pipefail
BIN=$(realpath "$1")
# shellcheck source=lib/setup.sh
source "$(dirname "$0")/lib/setup.sh"

A='{00112233-4455-6677-8899-aabbccddeeff}'
mkdir base
SSLBIND_STORE=base/s.db "$BIN" add sslcert ccs=8443 appid="$A" > /dev/null
printf 'add sslcert ccs=9000 appid=%s\n' "$A" > script.txt
printf '{"version":1,"bindings":[{"ccs":9001,"appid":"%s"}]}\n' "$A" > new.json
cp "$HERE/fixtures/iis/applicationHost.config" iis.config

# state: every file below try/ with its size and sha256.
state() {
  (cd try && find . -type f -printf '%s %p\n' | LC_ALL=C sort |
    while read -r size path; do
      echo "$size $path $(sha256sum "$path" | cut -d' ' -f1)"
    done)
}
rm -rf try && cp -a base try
BASE=$(state)

# The global options, as --help lists them (not -h, --version and -f).
options=$("$BIN" --help | sed -n '/^Options:/,/^$/p' |
  sed -n 's/^  \(-[a-z],\)\{0,1\}\(--[a-z-]*\).*/\2/p' |
  grep -vx -e --help -e --version -e --file)
for expected in --store --key-file --json --dry-run --no-verify --reason \
  --expect-revision; do
  grep -qx -- "$expected" <<< "$options" || fail "--help does not list $expected"
done

table=$("$BIN" --list-global-options)
[ "$(wc -l <<< "$table")" -gt 20 ] || fail "a short table: $table"
grep -qx -- '-f: .*' <<< "$table" || fail "the table has no -f"
# Every command of --help has its rows.
for c in $("$BIN" --help | sed -n '/^Subcommands:/,/^$/p' |
  sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p'); do
  grep -q "^$c[ :]" <<< "$table" || fail "the table has no row for '$c'"
done

# The words that make each command parse (its required arguments).
sample() {
  case $1 in
    -f) echo "-f script.txt" ;;
    apply | import) echo "$1 new.json" ;;
    "iis show" | "iis check" | "iis sync") echo "$1 iis.config" ;;
    rollback) echo "rollback --to 1" ;;
    replicate) echo "replicate --from postgresql://127.0.0.1:1/none --once" ;;
    diff) echo "diff 1" ;;
    keygen) echo "keygen farm.key" ;;
    *) echo "$1" ;;
  esac
}
# The option as words, with a value where it takes one.
with_value() {
  case $1 in
    --store) echo "--store try/s.db" ;;
    --key-file) echo "--key-file try/farm.key" ;;
    --reason) echo "--reason why" ;;
    --expect-revision) echo "--expect-revision 1" ;;
    *) echo "$1" ;;
  esac
}

refused=0
honoured=0
while IFS= read -r row; do
  command=${row%%:*}
  honours=" ${row#*:} "
  read -ra words <<< "$(sample "$command")"
  what="\`$command\`"
  [ "$command" != -f ] || what=-f
  for option in $options; do
    read -ra opt <<< "$(with_value "$option")"
    if [[ $honours == *" $option "* ]]; then
      # Honoured: whatever else happens, not refused for it.
      rm -rf try && cp -a base try
      rc=0
      SSLBIND_STORE=try/s.db "$BIN" "${words[@]}" "${opt[@]}" \
        > out.txt 2>&1 < /dev/null || rc=$?
      ! grep -q -- "leave $option out" out.txt ||
        fail "$command refuses $option, which it honours: $(cat out.txt)"
      honoured=$((honoured + 1))
      continue
    fi
    for where in before after json; do
      case $where in
        before) args=("${opt[@]}" "${words[@]}") ;;
        after) args=("${words[@]}" "${opt[@]}") ;;
        json) args=("${opt[@]}" "${words[@]}" --json) ;;
      esac
      rm -rf try && cp -a base try
      rm -f farm.key
      rc=0
      SSLBIND_STORE=try/s.db "$BIN" "${args[@]}" > out.txt 2> err.txt \
        < /dev/null || rc=$?
      [ $rc = 2 ] || fail "sslbind ${args[*]}: exit $rc, not 2: $(cat out.txt err.txt)"
      if [ $where = json ]; then
        OPTION=$option WHAT=$what python3 -c '
import json, os
j = json.load(open("out.txt"))
message = j["error"]["message"]
assert j["error"]["win32"] == 87, j
assert message.startswith(os.environ["OPTION"] + ": " + os.environ["WHAT"] + " "), j
' || fail "sslbind ${args[*]}: not the JSON error 87 naming $option and $what: $(cat out.txt)"
      else
        [ ! -s out.txt ] || fail "sslbind ${args[*]} printed: $(cat out.txt)"
        grep -qF -- "sslbind: $option: $what " err.txt ||
          fail "sslbind ${args[*]}: the error does not name $option and $what: $(cat err.txt)"
        grep -qF -- "leave $option out" err.txt ||
          fail "sslbind ${args[*]}: $(cat err.txt)"
      fi
      [ "$(state)" == "$BASE" ] || fail "sslbind ${args[*]} changed the store folder"
      [ ! -e farm.key ] || fail "sslbind ${args[*]} wrote the key file"
      refused=$((refused + 1))
    done
  done
done <<< "$table"

# The refusals the brief names, by hand, so that the table cannot quietly
# stop refusing them.
for words in "show sslcert --no-verify" "check --reason x" \
  "export --expect-revision 1" "import new.json --no-verify" \
  "keygen farm.key --store x.db" "history --dry-run"; do
  read -ra args <<< "$words"
  rc=0
  SSLBIND_STORE=base/s.db "$BIN" "${args[@]}" > /dev/null 2>&1 || rc=$?
  [ $rc = 2 ] || fail "sslbind $words: exit $rc, not 2"
done
# A command that changes something without a dry run (a key file, the
# replica, the journal) says so when it refuses --dry-run, never that it
# changes nothing.
for words in "keygen farm.key" "history --compact-before 1" \
  "replicate --from postgresql://127.0.0.1:1/none --once"; do
  read -ra args <<< "$words"
  rc=0
  SSLBIND_STORE=base/s.db "$BIN" "${args[@]}" --dry-run > out.txt 2>&1 || rc=$?
  [ $rc = 2 ] || fail "sslbind $words --dry-run: exit $rc, not 2"
  grep -q -- "--dry-run: \`${args[0]}\` .*has no dry run.*; leave --dry-run out" out.txt ||
    fail "sslbind $words --dry-run: $(cat out.txt)"
  ! grep -q "changes nothing, so" out.txt ||
    fail "sslbind $words --dry-run says it changes nothing: $(cat out.txt)"
done
[ ! -e farm.key ] || fail "keygen --dry-run wrote the key file"

# $SSLBIND_STORE is not refused where it means nothing.
SSLBIND_STORE=base/s.db "$BIN" keygen farm.key > /dev/null ||
  fail "keygen refuses \$SSLBIND_STORE"
[ "$refused" -gt 150 ] || fail "only $refused refusals checked"
echo "global options: $refused refusals and $honoured accepted options checked"
