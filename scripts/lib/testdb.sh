# Throwaway PostgreSQL cluster for tests and benchmarks. Source this file, then call
# testdb_start; it exports FACEJOB_TEST_DATABASE_URL and stops the cluster on exit.
# PostgreSQL refuses to run as root: as root the server runs as the `postgres` system user
# (created by Debian's postgresql package); the superuser role is `facejob` either way.

testdb_bin() {
  local v
  for v in 17 16 15; do
    [ -x "/usr/lib/postgresql/$v/bin/pg_ctl" ] && { echo "/usr/lib/postgresql/$v/bin"; return; }
  done
  dirname "$(command -v pg_ctl)"
}

testdb_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

testdb_start() {
  local bin; bin="$(testdb_bin)"
  TESTDB_DIR="$(mktemp -d /tmp/facejob-testdb.XXXXXX)"
  chmod 755 "$TESTDB_DIR"
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$TESTDB_DIR"
  testdb_as_owner "$bin/initdb" -D "$TESTDB_DIR/data" -U facejob --auth=trust -E UTF8 --locale=C.UTF-8 >"$TESTDB_DIR/initdb.log" 2>&1 \
    || { cat "$TESTDB_DIR/initdb.log" >&2; return 1; }
  # Unix socket only: no TCP port to collide with other clusters on the machine.
  testdb_as_owner "$bin/pg_ctl" -D "$TESTDB_DIR/data" -l "$TESTDB_DIR/server.log" -w -t 60 \
    -o "-c listen_addresses='' -c unix_socket_directories='$TESTDB_DIR' -c fsync=off -c max_connections=200" start >/dev/null \
    || { cat "$TESTDB_DIR/server.log" >&2; return 1; }
  "$bin/createdb" -h "$TESTDB_DIR" -U facejob facejob_test
  export FACEJOB_TEST_DATABASE_URL="postgresql://facejob@/facejob_test?host=$TESTDB_DIR"
  trap testdb_stop EXIT
  echo "test database: $FACEJOB_TEST_DATABASE_URL"
}

testdb_stop() {
  [ -n "${TESTDB_DIR:-}" ] || return 0
  testdb_as_owner "$(testdb_bin)/pg_ctl" -D "$TESTDB_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$TESTDB_DIR"
  TESTDB_DIR=""
}
