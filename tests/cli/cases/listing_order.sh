# Listings in `show` order, whatever order the store keeps keys in: show,
# --json show and export (json, netsh, reg) stream the store in sorted order
# and must write exactly what the earlier whole-set listings wrote (this
# transcript was made by them). The keys sort differently as text:
# addresses of different lengths, IPv6, ports of different widths, names
# that begin other names, every kind; and names the import canonicalises
# (IPv4-mapped, upper case, a trailing dot, Unicode), which from schema 007
# are stored as BLOBs in `show` order (storage/binding_order.h).
A='"appid": "{00112233-4455-6677-8899-aabbccddeeff}"'
{
  echo '{"version": 1, "bindings": ['
  sep=''
  for ip in 10.0.0.1 9.0.0.1 10.0.0.10 100.1.1.1 0.0.0.0 '[::]' '[2001:db8::1]' '[2001:db8::10]' \
      '[::FFFF:9.0.0.2]' '[FE80::A]' 255.255.255.255; do
    for port in 80 443 8443; do
      printf '%s{"ipport": "%s:%s", "certhash": "0102", %s}\n' "$sep" "$ip" "$port" "$A"
      sep=','
    done
  done
  for name in a.com a.com.b a.com-x a-b.com '*.a.com' b.a.com A.COM0 'a.com9.' 'bücher.a.com'; do
    for port in 80 443 8443; do
      printf ',{"hostnameport": "%s:%s", "certhash": "0a0b", "certstorename": "MY", %s}\n' "$name" "$port" "$A"
    done
  done
  for name in a.com a.com.b a.com-x a-b.com b.a.com A.Com0 'a.com9.'; do
    printf ',{"scopedccs": "%s:443", %s}\n' "$name" "$A"
  done
  for port in 80 443 8443 9 65535; do printf ',{"ccs": %s, %s}\n' "$port" "$A"; done
  echo ']}'
} > mixed.json
run import mixed.json
run show sslcert
run --json show sslcert
run export
run export --format netsh
note ".reg through iconv"
run export --format reg -o mixed.reg
printf '# bytes: %s\n' "$(head -c 2 mixed.reg | od -An -tx1 | tr -d ' ')" >> "$TRANSCRIPT"
iconv -f UTF-16 -t UTF-8 mixed.reg | tr -d '\r' >> "$TRANSCRIPT"
note "an emptied kind key is left out of the .reg export"
for port in 80 443 8443 9 65535; do "$SSLBIND_BIN" --store "$STORE" delete sslcert ccs=$port > /dev/null; done
run export --format reg -o emptied.reg
iconv -f UTF-16 -t UTF-8 emptied.reg | tr -d '\r' | grep -c '^\[' >> "$TRANSCRIPT"
note "an empty store"
rm -rf "$STORE" "$STORE"*
run show sslcert
run --json show sslcert
run export
run export --format reg -o empty.reg
iconv -f UTF-16 -t UTF-8 empty.reg | tr -d '\r' >> "$TRANSCRIPT"
