#!/usr/bin/env bash
# Dev/test services the integration tests use, on loopback, idempotently:
#   - Apache Kafka (KRaft, single node) at 127.0.0.1:19092 — scripts/kafka.sh
#   - PostgreSQL 15 at 127.0.0.1:15432, role/db desk/desk, password desk
#
#   scripts/services.sh start   start what is not running (safe to call again)
#   scripts/services.sh stop    stop both
#   scripts/services.sh status  one line per service
#   scripts/services.sh env     the TEST_* variables tests read: eval "$(scripts/services.sh env)"
#
# PostgreSQL is the Debian package (apt-get install postgresql); as root we run
# its binaries as the postgres user. Data lives in SERVICES_DIR (default
# /var/tmp/support-desk/postgres-15432), outside the repository.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PG_PORT="${PG_PORT:-15432}"
# Not under $HOME: as root, /root is closed to the postgres user that owns the cluster.
PG_DIR="${PG_DIR:-/var/tmp/support-desk/postgres-$PG_PORT}"
PG_BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)}"
KAFKA_PORT="${KAFKA_PORT:-19092}"

log() { echo "services.sh: $*" >&2; }

as_postgres() {
  if [[ "$(id -u)" == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_running() { [[ -f "$PG_DIR/data/postmaster.pid" ]] && as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" status >/dev/null 2>&1; }

pg_start() {
  if [[ -z "$PG_BIN" || ! -x "$PG_BIN/initdb" ]]; then
    log "PostgreSQL binaries not found; install them with: apt-get install -y postgresql"
    exit 1
  fi
  if pg_running; then log "postgres already running on 127.0.0.1:$PG_PORT"; return 0; fi
  mkdir -p "$PG_DIR"
  if [[ "$(id -u)" == 0 ]]; then chown postgres:postgres "$PG_DIR"; fi
  if [[ ! -f "$PG_DIR/data/PG_VERSION" ]]; then
    local pwfile="$PG_DIR/.pw"
    echo "desk" >"$pwfile"
    if [[ "$(id -u)" == 0 ]]; then chown postgres "$pwfile"; fi
    as_postgres "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
      --encoding=UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log" >&2; exit 1; }
    rm -f "$pwfile"
  fi
  # Socket in the data dir: no dependence on /var/run/postgresql existing.
  as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -c unix_socket_directories='$PG_DIR/data' -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null
  local psql=("$PG_BIN/psql" -h "$PG_DIR/data" -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt)
  if [[ "$(as_postgres "${psql[@]}" -c "SELECT 1 FROM pg_roles WHERE rolname='desk'")" != 1 ]]; then
    as_postgres "${psql[@]}" -c "CREATE ROLE desk LOGIN PASSWORD 'desk' CREATEDB"
  fi
  if [[ "$(as_postgres "${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname='desk'")" != 1 ]]; then
    as_postgres "${psql[@]}" -c "CREATE DATABASE desk OWNER desk"
  fi
  log "postgres running on 127.0.0.1:$PG_PORT (data in $PG_DIR/data)"
}

pg_stop() {
  if pg_running; then as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null; log "postgres stopped"; else log "postgres not running"; fi
}

print_env() {
  echo "TEST_KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT"
  echo "TEST_DATABASE_URL=postgres://desk:desk@127.0.0.1:$PG_PORT/desk"
}

case "${1:-}" in
  start)
    KAFKA_PORT="$KAFKA_PORT" bash "$HERE/kafka.sh" start
    pg_start
    print_env
    ;;
  stop)
    KAFKA_PORT="$KAFKA_PORT" bash "$HERE/kafka.sh" stop
    pg_stop
    ;;
  status)
    echo "kafka: $(KAFKA_PORT="$KAFKA_PORT" bash "$HERE/kafka.sh" status || true)"
    if pg_running; then echo "postgres: running port=$PG_PORT data=$PG_DIR/data"; else echo "postgres: stopped"; fi
    ;;
  env) print_env ;;
  -h|--help) echo "usage: $0 {start|stop|status|env}"; echo "Starts/stops the services the integration tests need on loopback (Kafka KRaft broker, PostgreSQL); env prints TEST_KAFKA_BROKERS and TEST_DATABASE_URL."; exit 0 ;;
  *) echo "usage: $0 {start|stop|status|env}" >&2; exit 2 ;;
esac
