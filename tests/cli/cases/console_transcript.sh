# A `netsh http show sslcert` capture copied from a Windows Server 2022
# console window: the prompt line with the command before the output and the
# bare prompt after it are recognised and skipped with a note, in format
# detection too; a round trip through sslbind gives the same bindings.
FIXTURES=$(cd "$(dirname "$CASE")/../fixtures" && pwd)
cp "$FIXTURES/netsh_ws2022_console.txt" console.txt
note "detected as netsh text although its first line is a prompt"
run import console.txt
run show sslcert hostnameport=www.contoso.com:443
note "round trip: export as netsh text, paste it after a PowerShell prompt, import again"
"$SSLBIND_BIN" --store "$STORE" export --format netsh -o first.txt > /dev/null
{ printf 'PS C:\\Users\\admin> netsh http show sslcert\r\n'; cat first.txt; printf 'PS C:\\Users\\admin> \r\n'; } > pasted.txt
STORE=$WORK/second.db run import pasted.txt
"$SSLBIND_BIN" --store "$WORK/second.db" export --format netsh -o second.txt > /dev/null
if cmp -s first.txt second.txt; then note "the two exports are identical"; else note "THE EXPORTS DIFFER"; fi
note "apply --check takes the capture as it is: nothing to change"
run apply console.txt --check
note "a prompt of another command is refused with its line; nothing is imported"
{ cat console.txt; printf 'C:\\Windows\\system32>ipconfig /all\r\n'; } > other.txt
STORE=$WORK/third.db unchanged import other.txt
printf 'C:\\>\r\n\r\n' > prompt_only.txt
STORE=$WORK/third.db unchanged import prompt_only.txt
