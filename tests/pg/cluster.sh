# A throwaway PostgreSQL cluster for tests: source this file, then
#
#   pg_cluster_start DIR   creates and starts a cluster in DIR (a new folder
#                          inside a temporary one), listening only on a Unix
#                          socket in DIR; sets PG_SOCKET_DIR and PG_BIN, and
#                          prints nothing.
#   pg_cluster_uri DB      prints the libpq URI of database DB (created by
#                          pg_cluster_createdb).
#   pg_cluster_createdb DB creates database DB.
#   pg_cluster_stop        ends the processes in PG_CHILDREN (SIGTERM, then
#                          waits), then stops the cluster (fast), if it runs.
#   pg_cluster_crash       stops it as a crash would (-m immediate).
#   pg_cluster_restart     starts it again after either; with PG_FSYNC=on,
#                          with fsync on (as PostgreSQL ships; the tests
#                          run it off).
#   pg_cluster_reload      makes it read its configuration (pg_hba.conf)
#                          again, and returns once new connections see it
#                          (a reload is asynchronous; at most 30 s).
#
# The caller stops it in its EXIT trap, so that a failing test stops it too.
# Tests run as root, and PostgreSQL refuses to: the cluster is owned by and
# run as the unprivileged user `nobody` (setpriv), and root connects through
# the socket as the cluster's superuser "sslbind_test" (trust
# authentication, only on that socket). The server is given at most 30 s to
# start.
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
PG_DIR=
PG_SOCKET_DIR=
PG_CHILDREN=()  # pids of background processes to end before the cluster

pg_as_nobody() {
  if [ "$(id -u)" = 0 ]; then
    setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"
  else
    "$@"
  fi
}

pg_cluster_start() {
  PG_DIR=$1
  if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
    echo "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): run .ci/deps" >&2
    return 1
  fi
  mkdir -p "$PG_DIR"
  # nobody must reach its folder through the temporary folders above it.
  local up=$PG_DIR
  while [ "$up" != / ] && [ "$up" != /tmp ]; do
    up=$(dirname "$up")
    [ "$up" = / ] || [ "$up" = /tmp ] || chmod o+x "$up"
  done
  if [ "$(id -u)" = 0 ]; then chown nobody:nogroup "$PG_DIR"; fi
  PG_SOCKET_DIR=$PG_DIR
  pg_as_nobody "$PG_BIN/initdb" -D "$PG_DIR/data" -U sslbind_test -A trust \
    -E UTF8 --locale=C -N > "$PG_DIR/initdb.log" 2>&1 || {
    cat "$PG_DIR/initdb.log" >&2
    return 1
  }
  pg_cluster_restart
}

pg_cluster_restart() {
  pg_as_nobody "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" \
    -w -t 30 -o "-c listen_addresses='' -c unix_socket_directories='$PG_DIR' -c fsync=${PG_FSYNC:-off}" \
    start > /dev/null || {
    cat "$PG_DIR/server.log" >&2
    return 1
  }
}

pg_cluster_reload() {
  local sql='SELECT pg_conf_load_time()' before now
  before=$("$PG_BIN/psql" -Atq -h "$PG_SOCKET_DIR" -U sslbind_test -d postgres -c "$sql")
  pg_as_nobody "$PG_BIN/pg_ctl" -D "$PG_DIR/data" reload > /dev/null
  for _ in $(seq 1 300); do
    now=$("$PG_BIN/psql" -Atq -h "$PG_SOCKET_DIR" -U sslbind_test -d postgres -c "$sql")
    [ "$now" != "$before" ] && return 0
    sleep 0.1
  done
  echo "the PostgreSQL server did not reload its configuration in 30 s" >&2
  return 1
}

# pg_wait_sslbind_idle DB [CONDITION]: waits up to 30 s until a connection of
# sslbind's (application_name 'sslbind') to DB, a connection string, sits idle
# and meets CONDITION (SQL over pg_stat_activity's columns); 1 if none did.
pg_wait_sslbind_idle() {
  local db=$1 condition=${2:-true} count
  for _ in $(seq 1 300); do
    count=$("$PG_BIN/psql" -Atq -d "$db" -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'sslbind' AND state = 'idle' AND ($condition)")
    [ "$count" != 0 ] && return 0
    sleep 0.1
  done
  return 1
}

pg_cluster_uri() {
  printf 'postgresql://sslbind_test@/%s?host=%s' "$1" "$PG_SOCKET_DIR"
}

pg_cluster_createdb() {
  "$PG_BIN/createdb" -h "$PG_SOCKET_DIR" -U sslbind_test "$1"
}

pg_cluster_crash() {
  pg_as_nobody "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w -t 30 stop > /dev/null
}

pg_cluster_stop() {
  local p
  for p in "${PG_CHILDREN[@]}"; do kill "$p" 2> /dev/null || true; done
  for p in "${PG_CHILDREN[@]}"; do wait "$p" 2> /dev/null || true; done
  PG_CHILDREN=()
  if [ -n "$PG_DIR" ] && [ -f "$PG_DIR/data/postmaster.pid" ]; then
    pg_as_nobody "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w -t 30 stop > /dev/null 2>&1 || true
  fi
}
