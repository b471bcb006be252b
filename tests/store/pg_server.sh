#!/usr/bin/env bash
# A throwaway PostgreSQL 15 on 127.0.0.1 for tests: a free port, a temp data dir, password auth,
# no fsync, its own socket dir (nothing system-wide is touched). Used by tests/store/pg_test.sh
# (the store's unit tests) and tests/integration/tenancy_store_pg.test.mjs (llmux itself).
#
#   pg_server.sh start           initdb + start + createdb; prints two shell assignments:
#                                  LLMUX_PG_URL=postgresql://llmux:<password>@127.0.0.1:<port>/llmux_test
#                                  LLMUX_PG_DIR=<dir>       (pass it to the commands below)
#   pg_server.sh stop DIR        stops the server (fast shutdown), keeping its data
#   pg_server.sh resume DIR      starts it again on the same port with the same data
#   pg_server.sh freeze DIR      SIGSTOPs the server's processes: a database that stops answering
#   pg_server.sh thaw DIR        SIGCONTs them
#   pg_server.sh destroy DIR     stops it (immediate) and removes DIR
#
# Exit status 77 and a "SKIP:" line on stderr when the server binaries are absent (Debian:
# apt-get install postgresql; scripts/install-deps.sh does). As root, the server runs as the
# postgres user (PostgreSQL refuses root). Installs nothing.
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

as_pg=()
if [ "$(id -u)" = 0 ]; then
  as_pg=(runuser -u postgres --)
fi

die() {
  echo "pg_server: $*" >&2
  exit 1
}

free_port() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
    return
  fi
  local port
  for _ in $(seq 100); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  return 1
}

pg_ctl_in() {  # runs pg_ctl from DIR: the postgres user must be able to stat its working directory
  local dir=$1
  shift
  (cd "$dir" && "${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$dir/data" "$@")
}

start_server() {
  local dir=$1
  pg_ctl_in "$dir" -l "$dir/postgres.log" -o "$(cat "$dir/options")" -w -t 30 start >/dev/null ||
    { tail -n 20 "$dir/postgres.log" >&2; die "the server did not start"; }
}

# The postmaster and its children (backends, checkpointer, ...), for freeze and thaw.
server_pids() {
  local dir=$1 postmaster
  [ -f "$dir/data/postmaster.pid" ] || die "no server running in $dir"
  postmaster=$(head -n 1 "$dir/data/postmaster.pid")
  echo "$postmaster"
  ps -o pid= --ppid "$postmaster" || true
}

cmd_start() {
  if [ ! -x "$PG_BIN/initdb" ]; then
    echo "pg_server: SKIP: $PG_BIN/initdb not found (Debian: apt-get install postgresql)" >&2
    exit 77
  fi
  local dir port password
  dir=$(mktemp -d "${TMPDIR:-/tmp}/llmux-pg.XXXXXX")
  port=$(free_port)
  password=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
  mkdir -p "$dir/sock"
  printf '%s\n' "$password" >"$dir/pwfile"
  chmod 600 "$dir/pwfile"
  if [ ${#as_pg[@]} -gt 0 ]; then
    chmod 755 "$dir"
    chown -R postgres: "$dir"
  fi
  (cd "$dir" && "${as_pg[@]}" "$PG_BIN/initdb" -D "$dir/data" -U llmux --pwfile="$dir/pwfile" \
    --auth=scram-sha-256 -E UTF8 --locale=C >"$dir/initdb.log" 2>&1) ||
    { cat "$dir/initdb.log" >&2; rm -rf "$dir"; die "initdb failed"; }
  rm -f "$dir/pwfile"
  echo "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir/sock -c fsync=off" \
    "-c log_min_duration_statement=-1" >"$dir/options"
  start_server "$dir"
  PGPASSWORD=$password "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U llmux llmux_test ||
    { cmd_destroy "$dir"; die "createdb failed"; }
  echo "LLMUX_PG_URL=postgresql://llmux:$password@127.0.0.1:$port/llmux_test"
  echo "LLMUX_PG_DIR=$dir"
}

cmd_stop() { pg_ctl_in "$1" -m fast -w -t 30 stop >/dev/null; }
cmd_resume() { start_server "$1"; }
cmd_freeze() { kill -STOP $(server_pids "$1"); }
cmd_thaw() { kill -CONT $(server_pids "$1"); }

cmd_destroy() {
  local dir=$1
  [ -d "$dir/data" ] || die "$dir is not a pg_server.sh directory"
  if [ -f "$dir/data/postmaster.pid" ]; then
    kill -CONT $(server_pids "$dir") 2>/dev/null || true  # a frozen server cannot stop
    pg_ctl_in "$dir" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

command=${1:-}
case "$command" in
  start) cmd_start ;;
  stop | resume | freeze | thaw | destroy)
    [ $# -eq 2 ] || die "usage: $0 $command DIR"
    [ -f "$2/options" ] || die "$2 is not a pg_server.sh directory"
    "cmd_$command" "$2"
    ;;
  *) die "usage: $0 start | stop DIR | resume DIR | freeze DIR | thaw DIR | destroy DIR" ;;
esac
