# Throwaway PostgreSQL cluster for tests and benchmarks. Source this file, then call
# testdb_start; it exports FACEJOB_TEST_DATABASE_URL and stops the cluster on exit (EXIT, INT,
# TERM). Clusters left behind by a run that was killed outright (SIGKILL) are removed by the next
# testdb_start: each cluster records the pid of the shell that owns it.
# PostgreSQL refuses to run as root: as root the server runs as the `postgres` system user
# (created by Debian's postgresql package, or here when missing); the superuser role is `facejob`
# either way, with trust authentication on a private Unix socket and no TCP port.

testdb_bin() {
  local v
  for v in 17 16 15; do
    [ -x "/usr/lib/postgresql/$v/bin/pg_ctl" ] && { echo "/usr/lib/postgresql/$v/bin"; return 0; }
  done
  if command -v pg_ctl >/dev/null 2>&1; then dirname "$(command -v pg_ctl)"; return 0; fi
  echo "testdb: PostgreSQL server programs not found; install them: apt-get install -y postgresql-15" >&2
  return 69
}

testdb_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then (cd "$TESTDB_DIR" && runuser -u postgres -- "$@"); else "$@"; fi
}

# Stops and removes clusters whose owning shell no longer exists.
testdb_reap() {
  local dir owner bin
  bin="$(testdb_bin)" || return 0
  for dir in /tmp/facejob-testdb.*; do
    [ -d "$dir" ] && [ -O "$dir/owner" ] || continue
    owner="$(cat "$dir/owner" 2>/dev/null || true)"
    if [ -n "$owner" ] && kill -0 "$owner" 2>/dev/null; then continue; fi
    echo "testdb: removing leftover cluster $dir (owner $owner is gone)" >&2
    if [ "$(id -u)" -eq 0 ]; then
      (cd "$dir" && runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1) || true
    else
      "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
  done
}

testdb_start() {
  local bin; bin="$(testdb_bin)" || return $?
  if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
    useradd --system --user-group --home-dir /var/lib/postgresql --no-create-home \
      --shell /usr/sbin/nologin postgres || return 1
  fi
  testdb_reap
  TESTDB_DIR="$(mktemp -d /tmp/facejob-testdb.XXXXXX)"
  echo "$$" >"$TESTDB_DIR/owner"
  trap testdb_stop EXIT
  trap 'testdb_stop; trap - INT; kill -INT $$' INT
  trap 'testdb_stop; trap - TERM; kill -TERM $$' TERM
  chmod 755 "$TESTDB_DIR"
  if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$TESTDB_DIR"; fi
  testdb_as_owner "$bin/initdb" -D "$TESTDB_DIR/data" -U facejob --auth=trust -E UTF8 --locale=C.UTF-8 \
    >"$TESTDB_DIR/initdb.log" 2>&1 || { cat "$TESTDB_DIR/initdb.log" >&2; return 1; }
  # Unix socket only: no TCP port to collide with other clusters on the machine. fsync off: the
  # data is thrown away anyway.
  testdb_as_owner "$bin/pg_ctl" -D "$TESTDB_DIR/data" -l "$TESTDB_DIR/server.log" -w -t 60 \
    -o "-c listen_addresses='' -c unix_socket_directories='$TESTDB_DIR' -c fsync=off -c max_connections=200" \
    start >/dev/null || { cat "$TESTDB_DIR/server.log" >&2; return 1; }
  "$bin/createdb" -h "$TESTDB_DIR" -U facejob facejob_test || return 1
  export FACEJOB_TEST_DATABASE_URL="postgresql://facejob@/facejob_test?host=$TESTDB_DIR"
  echo "test database: $FACEJOB_TEST_DATABASE_URL"
}

testdb_stop() {
  [ -n "${TESTDB_DIR:-}" ] || return 0
  local bin
  if bin="$(testdb_bin 2>/dev/null)"; then
    testdb_as_owner "$bin/pg_ctl" -D "$TESTDB_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$TESTDB_DIR"
  TESTDB_DIR=""
  unset FACEJOB_TEST_DATABASE_URL
}
