note reading a store that does not exist shows no bindings and creates nothing
run show sslcert
[ -e "$STORE" ] && note store exists || note store does not exist
note the first write creates the store and its folders
run add sslcert ccs=443 appid={4dc3e181-e14b-4a21-b022-59fc669b0914}
[ -e "$STORE" ] && note store exists || note store does not exist
note SSLBIND_STORE names the store when --store is absent
SSLBIND_STORE=$STORE "$SSLBIND_BIN" show sslcert ccs=443 | grep -c 'Central Certificate Store' >> "$TRANSCRIPT"
note a file that is not a store is refused, and left alone
echo "not a database, only some words to fill the header of a file" > "$WORK/words.txt"
cp "$WORK/words.txt" "$WORK/words.bak"
"$SSLBIND_BIN" --store "$WORK/words.txt" show sslcert > /dev/null 2> "$WORK/e" || echo "[exit $?]" >> "$TRANSCRIPT"
cat "$WORK/e" >> "$TRANSCRIPT"
"$SSLBIND_BIN" --store "$WORK/words.txt" add sslcert ccs=443 appid={4dc3e181-e14b-4a21-b022-59fc669b0914} > /dev/null 2> "$WORK/e" || echo "[exit $?]" >> "$TRANSCRIPT"
cat "$WORK/e" >> "$TRANSCRIPT"
cmp -s "$WORK/words.txt" "$WORK/words.bak" && note file unchanged || note FILE CHANGED
