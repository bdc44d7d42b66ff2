#!/usr/bin/env bash
# --json under hostile input: every command, with bytes that are not UTF-8
# and control bytes (ESC, CR, BEL) in its arguments, in file names and in
# the files it reads -- and a few hundred mangled import files.
#
# Every run must print exactly one JSON object on standard output (valid
# UTF-8, parsed by Python's json module, nothing before or after it but its
# line end; one line, but for `export`'s document) and
# exit with a documented status other than 1 (which means a bug): an error
# object {"error":{"win32":N,"message":...}} exactly when the status is a
# failure. After all of it the store must still show itself (`show sslcert`,
# `cert show`, `ccs show`, `check` under --json).
#
#   json_torture_test.sh SSLBIND_BINARY
set -euo pipefail
BIN=$(realpath "$1")
# shellcheck source=lib/setup.sh
source "$(dirname "$0")/lib/setup.sh"
# shellcheck source=lib/certs.sh
source "$HERE/lib/certs.sh"
command -v python3 > /dev/null || { echo "FAIL: python3 is needed" >&2; exit 1; }

make_cert www www.contoso.com "DNS:www.contoso.com" $CERT_VALID_FROM $CERT_VALID_TO
WWW=$(thumbprint www)
export BIN WWW

python3 - <<'PY'
import json, os, random, subprocess, sys

BIN = os.environb[b"BIN"]
WWW = os.environb[b"WWW"]
A = b"{00112233-4455-6677-8899-aabbccddeeff}"
STORE = b"store/s.db"
# Documented exit statuses (README, "Exit status") but 1, an internal error.
ALLOWED = {0, 2, 3, 4, 5, 6, 8, 9, 10, 11}
BAD = [b"\xff", b"\xc3(", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80",
       b"\x1b[31m", b"a\rb", b"\x07", b"\xe2\x82", b"\x7f\xc2\x9b"]
runs = 0
failures = []


def run(args, stdin=b""):
    global runs
    runs += 1
    argv = [BIN, b"--store", STORE, b"--json"] + args
    p = subprocess.run(argv, input=stdin, capture_output=True, timeout=60)
    shown = b" ".join(args)[:200]
    try:
        text = p.stdout.decode("utf-8")  # strict: valid UTF-8 only
        obj = json.loads(text)
        if not isinstance(obj, dict):
            raise ValueError("not an object")
        if not text.endswith("\n"):
            raise ValueError("no line end")
    except (UnicodeDecodeError, ValueError) as e:
        failures.append(f"{shown!r}: exit {p.returncode}, stdout is not one "
                        f"JSON object ({e}): {p.stdout[:300]!r} "
                        f"stderr {p.stderr[:300]!r}")
        return None, p.returncode
    if p.returncode not in ALLOWED:
        failures.append(f"{shown!r}: exit {p.returncode}: {text[:300]} "
                        f"stderr {p.stderr[:300]!r}")
    is_error = "error" in obj
    failed = p.returncode not in (0, 10)
    if is_error != failed:
        failures.append(f"{shown!r}: exit {p.returncode} with {text[:300]}")
    if is_error and not (isinstance(obj["error"].get("win32"), int) and
                         isinstance(obj["error"].get("message"), str)):
        failures.append(f"{shown!r}: a malformed error object: {text[:300]}")
    return obj, p.returncode


def write(name, data):
    with open(name, "wb") as f:
        f.write(data)


def still_readable(after):
    for args in ([b"show", b"sslcert"], [b"cert", b"show"], [b"ccs", b"show"],
                 [b"export"]):
        obj, rc = run(args)
        if rc != 0:
            failures.append(f"after {after!r}: {b' '.join(args)!r} fails "
                            f"(exit {rc}): {obj}")


# A store with a certificate, bindings and the CCS.
os.makedirs(b"store", exist_ok=True)
for args in ([b"cert", b"import", b"www.pfx"],
             [b"add", b"sslcert", b"ipport=0.0.0.0:443", b"certhash=" + WWW,
              b"appid=" + A],
             [b"add", b"sslcert", b"ccs=8443", b"appid=" + A],
             [b"ccs", b"enable", b"path=/srv/ccs", b"password=pw"]):
    obj, rc = run(args)
    assert rc == 0, (args, obj)

# Help and version are JSON too under --json.
for args in ([b"--help"], [b"add", b"sslcert", b"help"], [b"cert", b"--help"],
             [b"cert", b"import", b"?"], [b"import", b"--help"],
             [b"--version"]):
    obj, rc = run(args)
    if rc != 0 or not ("help" in obj or "version" in obj):
        failures.append(f"{args!r}: exit {rc}: {obj}")

# No command, a missing value, an unknown option: error 87, as JSON.
for args in ([], [b"-f"], [b"--store"], [b"--bogus"], [b"add"], [b"cert"],
             [b"--dry-run"]):
    obj, rc = run(args)
    if rc != 2:
        failures.append(f"{args!r}: exit {rc}, not 2: {obj}")

# Arguments.
for bad in BAD:
    commands = [
        [bad], [b"add", bad], [b"add", b"sslcert", bad],
        [b"add", b"sslcert", bad + b"=1"],
        [b"add", b"sslcert", b"ipport=" + bad, b"certhash=" + WWW,
         b"appid=" + A],
        [b"add", b"sslcert", b"hostnameport=" + bad + b":443",
         b"certhash=" + WWW, b"appid=" + A, b"certstorename=MY"],
        [b"add", b"sslcert", b"ipport=1.2.3.4:443", b"certhash=" + bad,
         b"appid=" + A],
        [b"add", b"sslcert", b"ccs=1", b"appid=" + bad],
        [b"add", b"sslcert", b"ipport=1.2.3.5:443", b"certhash=" + WWW,
         b"appid=" + A, b"certstorename=M" + bad + b"Y", b"--no-verify"],
        [b"add", b"sslcert", b"ccs=2", b"appid=" + A,
         b"sslctlstorename=" + bad],
        [b"add", b"sslcert", b"ccs=3", b"appid=" + A,
         b"sslctlidentifier=" + bad],
        [b"update", b"sslcert", b"ipport=0.0.0.0:443",
         b"certstorename=" + bad, b"--no-verify"],
        [b"update", b"sslcert", b"ipport=" + bad, b"appid=" + A],
        [b"delete", b"sslcert", b"ipport=" + bad],
        [b"delete", b"sslcert", b"hostnameport=" + bad + b":443"],
        [b"show", b"sslcert", b"ipport=" + bad],
        [b"show", b"sslcert", b"hostnameport=x" + bad + b":443"],
        [b"cert", b"import", bad + b".pem"],
        [b"cert", b"import", b"www.pfx", b"store=" + bad],
        [b"cert", b"import", b"www.pw.pfx", b"password=" + bad],
        [b"cert", b"show", b"store=" + bad],
        [b"cert", b"show", b"certhash=" + bad],
        [b"cert", b"delete", b"certhash=" + bad],
        [b"cert", b"delete", b"certhash=" + WWW, b"store=" + bad],
        [b"ccs", b"enable", b"path=/tmp/" + bad],
        [b"ccs", b"enable", b"path=/srv/ccs", b"password=" + bad],
        [b"ccs", bad],
        [b"resolve", b"ip=" + bad, b"port=443"],
        [b"resolve", b"ip=10.0.0.1", b"port=443", b"sni=" + bad],
        [b"resolve", b"ip=10.0.0.1", b"port=" + bad],
        [b"check", bad], [b"check", b"--expiring", bad],
        [b"export", b"--format", bad],
        [b"export", b"-o", b"out" + bad + b".json"],
        [b"export", b"--format", b"reg", b"-o", b"out" + bad + b".reg"],
        [b"export", b"--format", b"netsh"],
        [b"import", bad + b".txt"],
        [b"apply", bad + b".json"],
        [b"-f", bad + b".txt"],
        [b"--store", b"x" + bad + b"/s.db", b"show", b"sslcert"],
        # The journal's, IIS's and the farm's commands.
        [b"revision", bad], [b"history", b"ipport=" + bad],
        [b"history", b"--since", bad], [b"history", b"--limit", bad],
        [b"history", b"--since-time", bad], [b"diff", bad],
        [b"diff", b"1", bad], [b"rollback", b"--to", bad],
        [b"show", b"sslcert", b"--at", bad],
        [b"add", b"sslcert", b"ccs=4", b"appid=" + A, b"--reason", bad],
        [b"history", b"--limit", b"3"],
        [b"add", b"sslcert", b"ccs=5", b"appid=" + A,
         b"--expect-revision", bad],
        [b"iis", b"show", bad + b".config"],
        [b"iis", b"check", bad + b".config"],
        [b"iis", b"sync", bad + b".config", b"--dry-run"],
        [b"keygen", b"key" + bad],
        [b"replicate", b"--from", bad, b"--once"],
        [b"replicate", b"--from", b"postgresql://127.0.0.1:1/x" + bad,
         b"--once"],
        # The snapshot image, also of a store in a folder named with the
        # bytes (its path is in every answer).
        [b"image", bad], [b"image", b"show", bad],
        [b"image", b"build", b"--" + bad], [b"image", b"remove", bad],
        [b"image", b"build"], [b"image", b"show"],
        [b"--store", b"i" + bad + b"/s.db", b"image", b"show"],
        [b"--store", b"i" + bad + b"/s.db", b"add", b"sslcert", b"ccs=9",
         b"appid=" + A],
        [b"--store", b"i" + bad + b"/s.db", b"image", b"build"],
        [b"--store", b"i" + bad + b"/s.db", b"image", b"show"],
        [b"--store", b"i" + bad + b"/s.db", b"image", b"remove",
         b"--dry-run"],
        [b"--store", b"i" + bad + b"/s.db", b"image", b"remove"],
        [b"netsh", b"http", b"show", b"sslcert", bad],
        [b"add", b"sslcert", bad + b":443", WWW, A],
        [b"show", b"sslcert", b"--" + bad],
    ]
    for args in commands:
        run(args)
    # The CCS folder is shown again after a change (or a refusal).
    still_readable(b"ccs enable path=/tmp/" + bad)

# File names and file contents.
for i, bad in enumerate(BAD):
    name = b"f" + bad + b".txt"
    contents = {
        b"netsh": b"\nSSL Certificate bindings:\n-------------------------\n\n"
                  b"    Central Certificate Store    : 9" + bytes([48 + i]) +
                  b"\n    Certificate Hash             : (null)\n"
                  b"    Application ID               : " + A + b"\n"
                  b"    Ctl Store Name               : " + bad + b"\n\n",
        b"json": b'{"version":1,"bindings":[{"ccs":7' + bytes([48 + i]) +
                 b',"appid":"' + A + b'","sslctlstorename":"' + bad +
                 b'"}]}',
        b"reg": b"Windows Registry Editor Version 5.00\r\n\r\n"
                b"[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services"
                b"\\HTTP\\Parameters\\SslBindingInfo\\" + bad + b"]\r\n"
                b"\"DefaultFlags\"=dword:00000000\r\n",
        b"script": b"add sslcert ccs=6" + bytes([48 + i]) + b" appid=" + A +
                   b" sslctlstorename=" + bad + b"\n" + bad + b"\n",
        b"raw": b"x" + bad + b"\n",
    }
    for kind, data in contents.items():
        write(name, data)
        if kind == b"script":
            run([b"-f", name])
            run([b"-f", b"-", b"--dry-run"], stdin=data)
        else:
            run([b"import", name])
            run([b"import", b"-", b"--replace"], stdin=data)
            run([b"apply", name, b"--dry-run"])
            for fmt in (b"json", b"reg", b"netsh"):
                run([b"import", b"--format", fmt, name])
        run([b"cert", b"import", name])

# Mangled exports: each byte changed with a small chance, a fixed seed.
rng = random.Random(20261130)
seeds = []
for fmt in (b"json", b"reg", b"netsh"):
    write(b"seed." + fmt, b"")
    obj, rc = run([b"export", b"--format", fmt, b"-o", b"seed." + fmt])
    assert rc == 0, obj
    with open(b"seed." + fmt, "rb") as f:
        seeds.append(f.read())
for n in range(240):
    data = bytearray(rng.choice(seeds))
    for _ in range(rng.randint(1, 8)):
        pos = rng.randrange(len(data))
        data[pos] = rng.choice([0xff, 0x00, 0x1b, 0x80, 0xc3, 0x0a, 0x22,
                                rng.randrange(256)])
    write(b"mangled", bytes(data))
    run([b"import", b"mangled", b"--replace"])

still_readable(b"everything")
obj, rc = run([b"check"])
if rc not in (0, 10):
    failures.append(f"check after everything: exit {rc}: {obj}")

if failures:
    print(f"FAIL: {len(failures)} of {runs} runs:", file=sys.stderr)
    for f in failures[:40]:
        print("  " + f, file=sys.stderr)
    sys.exit(1)
print(f"--json torture: {runs} runs, each one JSON object and a documented "
      f"exit status")
PY
