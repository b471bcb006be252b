#!/usr/bin/env bash
# Builds build-sanitize/ (clang, ASan+UBSan+float-cast-overflow; scripts/build-sanitize.sh) and runs
# the unit suite and the integration suite (tests/integration, against the sanitizer builds of
# llmux and mock-upstream). Every sanitizer report lands in a file under
# build-sanitize/sanitizer-reports/ (never in a test's captured output); the run fails if any was
# written, and prints them. Leaks are checked at exit, in the unit tests and in every llmux or
# mock-upstream that exits normally (the tests stop them with SIGTERM).
#
#   scripts/sanitize.sh [--no-build] [--unit-only] [integration test file...]
# Ends with one line: "sanitize: unit N passed, N failed; integration N passed, N failed; reports N"
set -uo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"

build=1
integration=1
files=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0; shift ;;
    --unit-only) integration=0; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) files+=("$1"); shift ;;
  esac
done
[ ${#files[@]} -eq 0 ] && files=(tests/integration/*.test.mjs)

if [ "$build" -eq 1 ]; then
  bash scripts/build-sanitize.sh llmux mock-upstream llmux_unit_tests >/dev/null || { echo "sanitize: build failed"; exit 2; }
fi

bin="$root/build-sanitize"
reports="$bin/sanitizer-reports"
rm -rf "$reports"
mkdir -p "$reports"
# halt_on_error: the first report ends the process (UBSan's checks are fatal by build flag too),
# so a failure cannot scroll past; each process writes <name>.<pid> files.
common="halt_on_error=1:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1"
ubsan="halt_on_error=1:print_stacktrace=1"

unit_log="$reports/../unit.log"
ASAN_OPTIONS="$common:log_path=$reports/unit-asan" UBSAN_OPTIONS="$ubsan:log_path=$reports/unit-ubsan" \
  "$bin/llmux_unit_tests" --gtest_color=no >"$unit_log" 2>&1
unit_status=$?
unit_passed=$(grep -c '^\[       OK \]' "$unit_log")
unit_failed=$(grep -cE '^\[  FAILED  \] [A-Za-z_0-9/]+\.[A-Za-z_0-9/]+ \(' "$unit_log")
grep -E '^\[  FAILED  \]' "$unit_log"
if [ "$unit_status" -ne 0 ] && [ "$unit_failed" -eq 0 ]; then
  echo "sanitizer unit tests stopped after:"; tail -5 "$unit_log"; unit_failed=1
fi
echo "sanitize unit: $unit_passed passed, $unit_failed failed"

node_passed=0
node_failed=0
if [ "$integration" -eq 1 ]; then
  node_log="$reports/../integration.log"
  # The harness passes its environment to every llmux and mock-upstream it starts.
  ASAN_OPTIONS="$common:log_path=$reports/process-asan" UBSAN_OPTIONS="$ubsan:log_path=$reports/process-ubsan" \
  LLMUX_BIN="$bin/llmux" MOCK_UPSTREAM_BIN="$bin/mock-upstream" \
    node --test --test-reporter=spec "${files[@]}" >"$node_log" 2>&1
  node_status=$?
  node_passed=$(grep -oP '^ℹ pass \K[0-9]+' "$node_log" | tail -1)
  node_failed=$(grep -oP '^ℹ fail \K[0-9]+' "$node_log" | tail -1)
  node_passed=${node_passed:-0}
  node_failed=${node_failed:-0}
  [ "$node_failed" -gt 0 ] && sed -n '/^✖ failing tests/,$p' "$node_log" | head -100
  if [ "$node_status" -ne 0 ] && [ "$node_failed" -eq 0 ]; then tail -30 "$node_log"; node_failed=1; fi
  echo "sanitize integration: $node_passed passed, $node_failed failed"
fi

report_count=$(find "$reports" -type f | wc -l)
for report in $(find "$reports" -type f | sort); do
  echo "=== sanitizer report $report"
  head -60 "$report"
done
echo "sanitize: unit $unit_passed passed, $unit_failed failed; integration $node_passed passed, $node_failed failed; reports $report_count"
[ "$unit_failed" -eq 0 ] && [ "$node_failed" -eq 0 ] && [ "$report_count" -eq 0 ]
