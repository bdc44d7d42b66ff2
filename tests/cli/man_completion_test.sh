#!/usr/bin/env bash
# The man page and the bash completion: the page formats without a warning,
# and both know every command `sslbind --help` lists; completion offers
# commands, parameter names, enable|disable and the thumbprints and store
# names of the store named on the line.
#
#   man_completion_test.sh SSLBIND_BINARY
set -euo pipefail
BIN=$1
SRC=$(cd "$(dirname "$0")/../.." && pwd)
MAN=$SRC/docs/sslbind.1
COMPLETION=$SRC/cli/completion.bash
# shellcheck source=lib/setup.sh
source "$(dirname "$0")/lib/setup.sh"

# 1. groff formats the page with every warning on, and says nothing.
command -v groff > /dev/null || fail "groff is needed (Debian groff-base)"
groff -ww -man -Tutf8 -P-cbou "$MAN" > page.txt 2> warnings.txt
[ ! -s warnings.txt ] || fail "groff warns: $(cat warnings.txt)"
grep -q 'EXIT STATUS' page.txt || fail "the page has no EXIT STATUS section"

# 2. Every command of --help has its entry under COMMANDS in the page, and
#    completion offers it on an empty line.
commands=$("$BIN" --help | sed -n '/^Subcommands:/,/^$/p' |
  sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p')
[ -n "$commands" ] || fail "no commands found in --help"
sed -n '/^COMMANDS/,/^GLOBAL OPTIONS/p' page.txt > commands.txt
top_level=$(bash -c 'source "$1"; COMP_WORDS=(sslbind ""); COMP_CWORD=1
  _sslbind; printf "%s\n" "${COMPREPLY[@]}"' _ "$COMPLETION")
for c in $commands; do
  grep -qE "^       $c( |$)" commands.txt ||
    fail "the man page's COMMANDS do not describe '$c'"
  grep -qx -- "$c" <<< "$top_level" || fail "completion does not offer '$c'"
done

# 3. Completion, as bash calls it.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
  -days 30 -subj /CN=a.example -keyout k.pem -out c.pem 2> /dev/null
cat c.pem k.pem > s.pem
"$BIN" --store t.db cert import s.pem store=WebHosting > /dev/null
thumb=$(openssl x509 -in c.pem -noout -fingerprint -sha1 |
  sed 's/.*=//; s/://g' | tr 'A-F' 'a-f')

# complete LINE: the candidates bash would offer for the last word of LINE.
complete_line() {
  bash -c '
    source "$1"; shift
    COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    _sslbind; printf "%s\n" "${COMPREPLY[@]}"' _ "$COMPLETION" "$@"
}
complete_line "$BIN" "" | grep -x show > /dev/null || fail "no 'show' for an empty line"
complete_line "$BIN" ce | grep -x cert > /dev/null || fail "'ce' does not complete to cert"
complete_line "$BIN" add sslcert host | grep -x 'hostnameport=' > /dev/null ||
  fail "add sslcert: no hostnameport="
complete_line "$BIN" add sslcert ipport=0.0.0.0:443 enablecaching | grep -x "enablecachingclienthello=" > /dev/null || fail "no enablecachingclienthello="
complete_line "$BIN" add sslcert ipport=0.0.0.0:443 reject=e |
  grep -x 'reject=enable' > /dev/null || fail "reject=e does not complete to enable"
complete_line "$BIN" --store t.db add sslcert certhash= |
  grep -x "certhash=$thumb" > /dev/null || fail "certhash= does not offer the thumbprint"
offered=$(complete_line "$BIN" --store t.db cert show store=W)
grep -qx 'store=WebHosting' <<< "$offered" ||
  fail "store= does not offer WebHosting: offered '$offered'; cert show says: $("$BIN" --store t.db cert show 2>&1 | head -5)"
complete_line "$BIN" ccs "" | grep -x enable > /dev/null || fail "ccs: no enable"
complete_line "$BIN" image "" | grep -x build > /dev/null || fail "image: no build"
complete_line "$BIN" image remove "" | grep -x -- --dry-run > /dev/null ||
  fail "image remove: no --dry-run"
complete_line "$BIN" http show "" | grep -x sslcert > /dev/null ||
  fail "'http show' does not offer sslcert"
echo "man page and completion: ok"
