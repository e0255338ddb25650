#!/usr/bin/env bash
# A throw-away PostgreSQL 15 cluster on loopback, for CI (.ci/run) and benchmarks (bench/run.ts).
#
#   .ci/pg-cluster.sh start [--test|--durable] [--port N]   prints (stdout, one per line):
#       PG_CLUSTER_DIR=/tmp/zw-pg.XXXXXX
#       PG_CLUSTER_PORT=55432
#       PG_CLUSTER_URL=postgres://postgres@127.0.0.1:55432/postgres
#       PG_CLUSTER_SOCKET_URL=postgres://postgres@%2Ftmp%2Fzw-pg.XXXXXX%2Frun:55432/postgres
#                                   (the same server over its Unix socket, as a co-located app connects)
#   .ci/pg-cluster.sh stop DIR                              stops it and removes DIR
#
# --test    (default) fsync=off, synchronous_commit=off, full_page_writes=off: fast, not crash-safe;
#           only for test runs, whose data is thrown away.
# --durable fsync/synchronous_commit on (PostgreSQL's defaults): what benchmarks must measure.
#
# PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` user (created
# if missing) and initdb/pg_ctl run through runuser; as any other user they run as that user.
# Progress goes to stderr, so `eval "$(.ci/pg-cluster.sh start)"` works.
set -euo pipefail

log() { printf '[pg-cluster] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

find_bindir() {
  local d
  for d in "${PG_BINDIR:-}" /usr/lib/postgresql/15/bin; do
    if [[ -n "$d" && -x "$d/initdb" && -x "$d/pg_ctl" ]]; then echo "$d"; return 0; fi
  done
  if command -v pg_config >/dev/null 2>&1; then
    d="$(pg_config --bindir)"
    if [[ -x "$d/initdb" && -x "$d/pg_ctl" ]]; then echo "$d"; return 0; fi
  fi
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v initdb)"; return 0
  fi
  return 1
}

# Runs a command as the cluster owner.
as_owner() {
  if [[ $EUID -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

port_in_use() {
  # A successful TCP connect means somebody listens there.
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

cmd_start() {
  local mode="test" port="" arg
  while [[ $# -gt 0 ]]; do
    arg="$1"; shift
    case "$arg" in
      --test) mode="test" ;;
      --durable) mode=durable ;;
      --port) port="$1"; shift ;;
      *) die "unknown option $arg" ;;
    esac
  done

  local bindir
  bindir="$(find_bindir)" || die "PostgreSQL server binaries not found (looked in \$PG_BINDIR, /usr/lib/postgresql/15/bin, pg_config --bindir, PATH); on Debian: apt-get install postgresql-15"
  local version
  version="$("$bindir/postgres" --version)"
  [[ "$version" == *" 15."* ]] || log "warning: expected PostgreSQL 15, found: $version"

  if [[ $EUID -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
    log "creating system user postgres"
    useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/bash postgres
  fi

  if [[ -z "$port" ]]; then
    port=55432
    while port_in_use "$port" || [[ -e "/tmp/.s.PGSQL.$port" ]]; do
      port=$((port + 1))
      [[ $port -lt 55532 ]] || die "no free port in 55432-55531"
    done
  elif port_in_use "$port"; then
    die "port $port is in use"
  fi

  local dir
  dir="$(mktemp -d "${TMPDIR:-/tmp}/zw-pg.XXXXXX")"
  chmod 755 "$dir"
  mkdir "$dir/data" "$dir/run"
  if [[ $EUID -eq 0 ]]; then chown -R postgres:postgres "$dir"; fi

  # C.UTF-8 when the OS has it (Debian does), else the C locale (still UTF8-encoded).
  local locale=C
  if locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then locale=C.UTF-8; fi

  log "initdb ($version, locale $locale) in $dir/data"
  if ! as_owner "$bindir/initdb" -D "$dir/data" -A trust -U postgres --encoding=UTF8 --locale="$locale" --no-instructions >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    rm -rf "$dir"
    die "initdb failed"
  fi

  local settings=(
    "listen_addresses = '127.0.0.1'"
    "port = $port"
    "unix_socket_directories = '$dir/run'"
    "max_connections = 200"
    "shared_buffers = 256MB"
    "logging_collector = off"
    "log_min_messages = warning"
    "log_min_duration_statement = -1"
    "log_statement = 'none'"
  )
  if [[ "$mode" == test ]]; then
    settings+=("fsync = off" "synchronous_commit = off" "full_page_writes = off" "checkpoint_timeout = 30min" "max_wal_size = 4GB")
  else
    settings+=("fsync = on" "synchronous_commit = on" "full_page_writes = on" "max_wal_size = 4GB")
  fi
  printf '%s\n' "# zhengwu throw-away cluster ($mode)" "${settings[@]}" >>"$dir/data/postgresql.auto.conf"

  log "starting on 127.0.0.1:$port ($mode)"
  if ! as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null 2>&1; then
    cat "$dir/server.log" >&2 || true
    rm -rf "$dir"
    die "pg_ctl start failed"
  fi
  local i
  for i in $(seq 1 60); do
    if "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres; then break; fi
    [[ $i -lt 60 ]] || { cat "$dir/server.log" >&2; cmd_stop "$dir"; die "server did not become ready"; }
    sleep 0.5
  done
  echo "$bindir" >"$dir/bindir"
  log "ready"
  echo "PG_CLUSTER_DIR=$dir"
  echo "PG_CLUSTER_PORT=$port"
  echo "PG_CLUSTER_URL=postgres://postgres@127.0.0.1:$port/postgres"
  echo "PG_CLUSTER_SOCKET_URL=postgres://postgres@${dir//\//%2F}%2Frun:$port/postgres"
}

cmd_stop() {
  local dir="${1:-}"
  [[ -n "$dir" ]] || die "usage: $0 stop DIR"
  [[ -d "$dir" ]] || return 0
  [[ -f "$dir/data/PG_VERSION" || -d "$dir/run" ]] || die "$dir does not look like a cluster made by this script"
  if [[ -f "$dir/data/postmaster.pid" ]]; then
    local bindir
    bindir="$(cat "$dir/bindir" 2>/dev/null || find_bindir)"
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1 \
      || as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 \
      || log "warning: pg_ctl stop failed"
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  *) echo "usage: $0 start [--test|--durable] [--port N] | stop DIR" >&2; exit 2 ;;
esac
