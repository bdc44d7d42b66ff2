#!/usr/bin/env bash
# `import` of a file too large to be read in one piece (JSON is read about
# 1 MB at a time, docs/performance.md): still one transaction, all or none.
#
# - A fault at the start, in the middle and at the end of a 6 MB document
#   (a syntax error, a bad value, a key given twice far apart, a key the
#   store holds) fails with the message and exit status of a small file,
#   and leaves the store and every file beside it as they were (its SQL
#   dump, its export and the list of files in its folder).
# - A syntax error names the line of the whole file.
# - --replace, --dry-run, standard input from a file (also past a line read
#   before) and from a pipe: the same bindings land (or none, for the dry
#   run).
# - A malformed file does not create a store that did not exist.
#
#   import_stream_test.sh SSLBIND_BINARY
set -euo pipefail
BIN=$(realpath "$1")
# shellcheck source=lib/setup.sh
source "$(dirname "$0")/lib/setup.sh"
command -v python3 > /dev/null || fail "python3 is needed for this test"
command -v sqlite3 > /dev/null || fail "sqlite3 is needed for this test"

N=24000
export N
# big.json: N ipport bindings 10.a.b.c:443, as export writes them, and
# variants of it with one fault each.
python3 - <<'PY'
import json, os
n = int(os.environ["N"])
app = "{00112233-4455-6677-8899-aabbccddeeff}"
def binding(i):
    return {"ipport": f"10.{i >> 16}.{(i >> 8) & 255}.{i & 255}:443",
            "certhash": "0102030405060708090a0b0c0d0e0f1011121314",
            "appid": app, "certstorename": "MY",
            "sslctlidentifier": "a [ string ] with {brackets}, \"quotes\" and \\ ,"}
bindings = [binding(i) for i in range(n)]
def write(name, items):
    with open(name, "w") as f:
        f.write(json.dumps({"version": 1, "bindings": items}, indent=2) + "\n")
write("big.json", bindings)
for where, i in (("start", 0), ("middle", n // 2), ("end", n - 1)):
    bad = [dict(b) for b in bindings]
    bad[i]["appid"] = "not-a-guid"
    write(f"value_{where}.json", bad)
    twice = list(bindings)
    twice[i] = dict(bindings[3 if i > 3 else n - 2])
    write(f"twice_{where}.json", twice)
# A syntax error (a missing comma) in the middle, and its line.
text = open("big.json").read()
at = text.index('"appid"', text.index(f'"10.0.{(n // 2) >> 8 & 255}.{n // 2 & 255}:443"'))
broken = text[:at - 1].rstrip(",\n ") + "\n      " + text[at:]
open("syntax_middle.json", "w").write(broken)
print(broken[:at].count("\n") + 1, file=open("syntax_line.txt", "w"))
PY
[ "$(stat -c %s big.json)" -gt 4000000 ] || fail "big.json is too small to be read in pieces"

A='{00112233-4455-6677-8899-aabbccddeeff}'
S=store/s.db
"$BIN" --store $S add sslcert ipport=10.0.23.0:443 certhash=0102030405060708090a0b0c0d0e0f1011121314 appid="$A" --no-verify > /dev/null
# The store's state: its dump, its export and its folder's files.
state() {
  sqlite3 -readonly $S .dump
  "$BIN" --store $S export --format json
  ls -la --time-style=+ store | awk '{print $1, $5, $NF}'
}
before=$(state)

# refused FILE PATTERN [ARGS...]: import FILE fails with exit status 1 and
# a message matching PATTERN; the store is as it was.
refused() {
  local file=$1 pattern=$2 rc=0
  shift 2
  "$BIN" --store $S import "$file" "$@" > out.txt 2> err.txt || rc=$?
  [ "$rc" != 0 ] || fail "import $file $*: succeeded"
  grep -qE -- "$pattern" err.txt || fail "import $file $*: exit $rc: $(cat err.txt)"
  [ ! -s out.txt ] || fail "import $file $*: printed $(cat out.txt)"
  [ "$(state)" == "$before" ] || fail "import $file $* changed the store"
  echo "$rc"
}

mid=$((N / 2))
for where in start middle end; do
  case $where in start) i=0 ;; middle) i=$mid ;; end) i=$((N - 1)) ;; esac
  rc=$(refused value_$where.json "value_$where.json: bindings\[$i\]\.appid: ")
  [ "$rc" = 2 ] || fail "a bad value: exit $rc, not 2"
  if [ $i -gt 3 ]; then
    pattern="bindings\[$i\]: ipport=.* is given twice \(first at bindings\[3\]\)"
  else  # the second appearance is the later one
    pattern="bindings\[$((N - 2))\]: ipport=.* is given twice \(first at bindings\[0\]\)"
  fi
  rc=$(refused twice_$where.json "$pattern")
  [ "$rc" = 2 ] || fail "a key given twice: exit $rc, not 2"
  rc=$(refused twice_$where.json "$pattern" --replace)
  [ "$rc" = 2 ] || fail "a key given twice with --replace: exit $rc, not 2"
done
line=$(cat syntax_line.txt)
rc=$(refused syntax_middle.json "^sslbind: syntax_middle.json:$line:[0-9]+: ")
[ "$rc" = 2 ] || fail "a syntax error: exit $rc, not 2"
# The store holds binding 5888 (10.0.23.0): AlreadyExists (183, exit
# status 4), in the file's place.
rc=$(refused big.json "big.json: bindings\[5888\]: ipport=10.0.23.0:443 already exists")
[ "$rc" = 4 ] || fail "a taken key: exit $rc, not 4"
grep -q "Error: 183" err.txt || fail "a taken key: not error 183: $(cat err.txt)"
grep -q -- "--replace replaces existing bindings" err.txt || fail "no hint of --replace: $(cat err.txt)"
rc=$(refused big.json "bindings\[5888\]: ipport=10.0.23.0:443 already exists" --dry-run)
[ "$rc" = 4 ] || fail "a taken key in a dry run: exit $rc, not 4"
echo "faults at the start, middle and end of a $(stat -c %s big.json)-byte file: refused, store unchanged"

# --dry-run writes nothing; --replace imports everything.
"$BIN" --store $S import big.json --replace --dry-run > out.txt
grep -q "^Dry run: $N bindings from big.json (json) can be imported; nothing was written.$" out.txt ||
  fail "dry run: $(cat out.txt)"
[ "$(state)" == "$before" ] || fail "the dry run changed the store"
"$BIN" --store $S import big.json --replace > out.txt
grep -q "^Imported $N bindings from big.json (json).$" out.txt || fail "--replace: $(cat out.txt)"
[ "$("$BIN" --store $S --json revision | python3 -c 'import json,sys; print(json.load(sys.stdin)["revision"])')" = 2 ] ||
  fail "the import was not one revision"
# export_of STORE: its JSON export without the revision it records.
export_of() { "$BIN" --store "$1" export --format json | grep -v '^  "revision": '; }
export_of $S > replaced.json

# Standard input, from a file and from a pipe, into new stores: the same.
"$BIN" --store in1/s.db import - < big.json > /dev/null
cat big.json | "$BIN" --store in2/s.db import - > /dev/null
# Standard input is read from where it stands: past a line read before.
{ echo "a line read before"; cat big.json; } > after_line.json
{ read -r _; "$BIN" --store in4/s.db import - > /dev/null; } < after_line.json
"$BIN" --store in3/s.db import big.json > /dev/null
for s in in1 in2 in4; do
  cmp -s <(export_of $s/s.db) <(export_of in3/s.db) ||
    fail "import - into $s differs from import FILE"
done
cmp -s replaced.json <(export_of in3/s.db) ||
  fail "import --replace over a binding differs from an import into a new store"
echo "--dry-run, --replace and standard input (a file, a pipe) import the same $N bindings"

# A malformed file, by path or from a pipe, creates no store.
for file in value_end.json twice_middle.json syntax_middle.json; do
  rc=0
  "$BIN" --store new/s.db import $file > /dev/null 2>&1 || rc=$?
  [ "$rc" = 2 ] || fail "import $file into a new store: exit $rc"
  rc=0
  cat $file | "$BIN" --store new/s.db import - > /dev/null 2>&1 || rc=$?
  [ "$rc" = 2 ] || fail "import - < $file into a new store: exit $rc"
  [ ! -e new ] || fail "import $file created a store"
done
echo "a malformed file creates no store"
