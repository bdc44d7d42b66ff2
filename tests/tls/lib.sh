# End-to-end tests of examples/tls_server on loopback. Source this file from
# a test called as `TEST TLS_SERVER SSLBIND`; it gives:
#
#   $WORK                  a temporary folder (the current folder), removed
#                          at exit with the server stopped
#   sb ARGS...             the sslbind CLI on $WORK/s.db, output discarded
#   new_cert NAME CN SANS  a certificate (tests/cli/lib/certs.sh), imported
#                          into the store MY; sets the variable NAME to its
#                          SHA-1 thumbprint
#   start_server ADDR...   starts tls_server on ADDR:$PORT for each ADDR
#                          ("127.0.0.1", "[::1]"), $PORT a free port
#   stop_server            SIGTERM; the server must exit 0 within 5 s
#   served ADDR SNI [ARGS] the SHA-1 thumbprint `openssl s_client` receives
#                          (lower-case hex), or "refused (ALERT)"; SNI "-":
#                          none. ARGS go to s_client, its output to
#                          $WORK/s_client.out.
#   body ADDR SNI          what `curl --resolve` gets for GET /, or "refused"
#   expect WHAT WANT GOT   counts a pass or a failure
#   eventually WHAT WANT CMD...  like expect, but retries CMD while less
#                          than 1 s has passed (a store change must be
#                          served within 1 s)
#   finish                 prints the counts; exits 1 on any failure
set -euo pipefail
TLS_SERVER=$1
SSLBIND=$2
WORK=$(mktemp -d)
SERVER_PID=
PORT=
passed=0
failed=0
APPID='appid={00112233-4455-6677-8899-aabbccddeeff}'
# shellcheck source=../cli/lib/certs.sh
source "$(dirname "${BASH_SOURCE[0]}")/../cli/lib/certs.sh"

cleanup() {
  local jobs
  jobs=$(jobs -p)
  if [ -n "$jobs" ]; then kill $jobs 2> /dev/null || true; fi
  if [ -n "$SERVER_PID" ]; then
    kill -KILL "$SERVER_PID" 2> /dev/null || true
    wait "$SERVER_PID" 2> /dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
cd "$WORK"

sb() { "$SSLBIND" --store "$WORK/s.db" "$@" > /dev/null; }

new_cert() {
  local var=$1 cn=$2 sans=$3
  make_cert "$var" "$cn" "$sans" "$CERT_VALID_FROM" "$CERT_VALID_TO" > /dev/null
  sb cert import "$var.pem"
  printf -v "$var" '%s' "$(thumbprint "$var")"
}

start_server() {
  local attempt addr args
  for attempt in 1 2 3 4 5 6 7 8 9 10; do
    PORT=$((20000 + RANDOM % 40000))
    args=()
    for addr in "$@"; do args+=(--listen "$addr:$PORT"); done
    "$TLS_SERVER" --store "$WORK/s.db" "${args[@]}" --threads 4 \
      > "$WORK/server.out" 2> "$WORK/server.err" &
    SERVER_PID=$!
    # Up once it printed a line per listener; gone if a port was taken.
    for _ in $(seq 50); do
      if [ "$(grep -c '^listening on ' "$WORK/server.out")" = $# ]; then
        return 0
      fi
      kill -0 "$SERVER_PID" 2> /dev/null || break
      sleep 0.1
    done
    kill -KILL "$SERVER_PID" 2> /dev/null || true
    wait "$SERVER_PID" 2> /dev/null || true
    SERVER_PID=
  done
  echo "FAIL: tls_server did not start: $(cat "$WORK/server.err")" >&2
  exit 1
}

stop_server() {
  kill -TERM "$SERVER_PID"
  local status=0
  for _ in $(seq 50); do
    kill -0 "$SERVER_PID" 2> /dev/null || break
    sleep 0.1
  done
  wait "$SERVER_PID" || status=$?
  SERVER_PID=
  expect "the server stops on SIGTERM with status 0" 0 "$status"
}

served() {
  local addr=$1 sni=$2 out
  shift 2
  local name=(-servername "$sni")
  [ "$sni" = - ] && name=(-noservername)
  if timeout 5 openssl s_client -connect "$addr:$PORT" "${name[@]}" "$@" \
       < /dev/null > "$WORK/s_client.out" 2> "$WORK/s_client.err"; then
    openssl x509 -noout -fingerprint -sha1 < "$WORK/s_client.out" |
      sed 's/.*=//; s/://g' | tr A-F a-f
  else
    local alert
    alert=$(sed -n 's/.*SSL routines:[^:]*:\([^:]*\):.*/\1/p' \
              "$WORK/s_client.err" | sed -n 1p)
    echo "refused (${alert:-no alert})"
  fi
}

body() {
  local addr=$1 sni=$2 ip=${1#[}
  ip=${ip%]}
  timeout 5 curl -sk --resolve "$sni:$PORT:$ip" "https://$sni:$PORT/" ||
    echo refused
}

expect() {
  if [ "$2" = "$3" ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    printf 'FAIL: %s\n  expected: %s\n  got:      %s\n' "$1" "$2" "$3" >&2
  fi
}

eventually() {
  local what=$1 want=$2 got start
  shift 2
  start=$(date +%s%N)
  while :; do
    got=$("$@")
    [ "$got" = "$want" ] && break
    [ $(($(date +%s%N) - start)) -lt 1000000000 ] || break
    sleep 0.05
  done
  expect "$what (within 1 s)" "$want" "$got"
}

finish() {
  echo "$(basename "$0" .sh): $passed passed, $failed failed"
  [ "$failed" = 0 ]
}
