#!/usr/bin/env bash
# PostgreSQL integration for src/store.
#
# Starts a throwaway PostgreSQL 15 on 127.0.0.1 (tests/store/pg_server.sh: free port, temp data
# dir, password auth) and runs the PostgresStore* unit tests against it: the same behavioural
# tests as SQLite, NOTIFY between two instances, masked credentials, statement timeouts, and a
# server stop/start in the middle of a spend-writer run. The server is stopped and its directory
# removed on exit, whatever happens. Installs nothing: without the server binaries it skips (exit 0).
#
#   tests/store/pg_test.sh [path/to/llmux_unit_tests] [extra gtest flags...]
#
# Default binary: $LLMUX_UNIT_TESTS, else <repo>/build/llmux_unit_tests.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
test_bin=${1:-${LLMUX_UNIT_TESTS:-$repo/build/llmux_unit_tests}}
shift $(($# > 0 ? 1 : 0))
test_bin=$(realpath "$test_bin")
if [ ! -x "$test_bin" ]; then
  echo "pg_test: $test_bin is not built" >&2
  exit 1
fi

set +e
server=$("$here/pg_server.sh" start)
started=$?
set -e
if [ "$started" -eq 77 ]; then
  echo "pg_test: SKIP: no PostgreSQL server binaries"
  exit 0
fi
[ "$started" -eq 0 ] || { echo "pg_test: could not start PostgreSQL" >&2; exit 1; }
eval "$server"  # LLMUX_PG_URL, LLMUX_PG_DIR
log=$(mktemp "${TMPDIR:-/tmp}/llmux-pg-test.XXXXXX")

cleanup() {
  local status=$?
  if [ "$status" -ne 0 ] && [ -f "$LLMUX_PG_DIR/postgres.log" ]; then
    echo "--- postgres log (last 40 lines) ---" >&2
    tail -n 40 "$LLMUX_PG_DIR/postgres.log" >&2 || true
  fi
  "$here/pg_server.sh" destroy "$LLMUX_PG_DIR" || true
  rm -f "$log"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "pg_test: PostgreSQL $("${PG_BIN:-/usr/lib/postgresql/15/bin}/postgres" --version | awk '{print $3}') at ${LLMUX_PG_URL##*@}"
export LLMUX_TEST_DATABASE_URL=$LLMUX_PG_URL
export LLMUX_TEST_PG_STOP_CMD="'$here/pg_server.sh' stop '$LLMUX_PG_DIR'"
export LLMUX_TEST_PG_START_CMD="'$here/pg_server.sh' resume '$LLMUX_PG_DIR'"

set +e
"$test_bin" --gtest_filter='PostgresStore*' "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
if [ "$status" -eq 0 ] && grep -q '^\[  SKIPPED \]' "$log"; then
  echo "pg_test: FAIL: tests were skipped although a server was provided" >&2
  status=1
fi
if [ "$status" -eq 0 ] && ! grep -q '^\[  PASSED  \]' "$log"; then
  echo "pg_test: FAIL: no PostgresStore tests ran" >&2
  status=1
fi
exit "$status"
