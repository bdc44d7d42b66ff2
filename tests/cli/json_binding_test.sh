#!/usr/bin/env bash
# One binding object for every JSON output: `show --json` writes it as text
# as it streams the store (ShowBindingJson), `history --json`, `diff --json`
# and `resolve --json` build it as a JSON value (BindingToJson). For a
# binding of each kind, with strings that need escaping, numbers, options
# and nulls, the object's exact text in show's output is also in history's
# and resolve's; and the key objects of add's, history's and diff's output
# are the binding's key member.
#
#   json_binding_test.sh SSLBIND_BINARY
set -euo pipefail
BIN=$(realpath "$1")
# shellcheck source=lib/setup.sh
source "$(dirname "$0")/lib/setup.sh"
sb() { "$BIN" --store s.db "$@"; }

A='{00112233-4455-6677-8899-aabbccddeeff}'
H=0102030405060708090a0b0c0d0e0f1011121314
sb --json add sslcert ipport=10.0.0.1:443 certhash=$H appid="$A" \
  sslctlidentifier='ctl "quoted" \back é' revocationfreshnesstime=30 \
  clientcertnegotiation=enable --no-verify > add.json
sb add sslcert hostnameport=www.contoso.com:443 certhash=$H appid="$A" \
  certstorename=MY urlretrievaltimeout=15000 disablehttp2=enable \
  --no-verify > /dev/null
sb add sslcert ccs=8443 appid="$A" > /dev/null
sb add sslcert scopedccs=shop.contoso.com:8443 appid="$A" > /dev/null
sb --json show sslcert > show.json
sb --json history > history.json
sb --json diff 0 > diff.json
sb --json resolve ip=10.0.0.1 port=443 > resolve_ip.json
sb --json resolve ip=10.0.0.9 port=443 sni=www.contoso.com > resolve_sni.json

python3 - <<'PY' || fail "the binding objects differ between outputs"
import json

def raw(name):
    return open(name, encoding="utf-8").read()

def text(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)

shown = json.loads(raw("show.json"))["bindings"]
assert len(shown) == 4, shown
history = raw("history.json")
for b in shown:
    t = text(b)
    assert t in raw("show.json"), ("the normal form is not show's text", t)
    assert t in history, ("history differs", t)
kinds = {next(iter(b.keys() - {"key"} & {"ipport", "hostnameport", "ccs",
                                          "scopedccs"})): b for b in shown}
assert set(kinds) == {"ipport", "hostnameport", "ccs", "scopedccs"}, kinds
assert kinds["ccs"]["ccs"] == 8443, kinds["ccs"]  # a number
assert kinds["ipport"]["sslctlidentifier"] == 'ctl "quoted" \\back é'
assert text(kinds["ipport"]) in raw("resolve_ip.json")
assert text(kinds["hostnameport"]) in raw("resolve_sni.json")
assert json.loads(raw("resolve_ip.json"))["match"] == kinds["ipport"]

# Key objects: add's, history's and diff's are the binding's key member.
assert json.loads(raw("add.json"))["key"] == {"ipport": "10.0.0.1:443"}
for r in json.loads(history)["revisions"]:
    for c in r["changes"]:
        after = c["after"]
        name = next(iter(c["key"]))
        assert c["key"] == {name: after[name]}, c
        assert type(c["key"][name]) is type(after[name]), c
plan = raw("diff.json")
for b in shown:
    name = next(iter(b.keys() - {"key"} & {"ipport", "hostnameport", "ccs",
                                            "scopedccs"}))
    assert text({name: b[name]}) in plan, (name, plan)
PY
echo "binding objects: show, history, diff and resolve agree"
