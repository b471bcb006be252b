#!/usr/bin/env bash
# Installs what is needed, builds, and runs every test: GoogleTest units, the mock upstream's
# self-test, integration tests (the real binary against mock upstreams) and end-to-end tests
# (the official openai / @anthropic-ai/sdk clients from npm), then the unit and integration suites
# again under ASan+UBSan and a short run of every fuzz harness (one clang build, build-sanitize/).
# Ends with one line:
#   total: N passed, N failed
set -uo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"

bash scripts/install-deps.sh || { echo "total: 0 passed, 1 failed"; exit 1; }
if ! bash scripts/build.sh; then
  echo "build failed"
  echo "total: 0 passed, 1 failed"
  exit 1
fi

passed=0
failed=0
log_dir="$(mktemp -d)"

# 1. Unit tests.
./build/llmux_unit_tests --gtest_color=no >"$log_dir/unit.log" 2>&1
unit_status=$?
# Counted per test, so a crash part-way still reports what ran (and counts the crash as a failure).
unit_passed=$(grep -c '^\[       OK \]' "$log_dir/unit.log")
unit_failed=$(grep -cE '^\[  FAILED  \] [A-Za-z_0-9/]+\.[A-Za-z_0-9/]+ \(' "$log_dir/unit.log")
grep -E '^\[  FAILED  \]|^\[==========\]' "$log_dir/unit.log"
if [ "$unit_status" -ne 0 ] && [ "$unit_failed" -eq 0 ]; then
  echo "unit tests crashed after:"; tail -5 "$log_dir/unit.log"
  unit_failed=1
fi
passed=$((passed + unit_passed))
failed=$((failed + unit_failed))
echo "unit: ${unit_passed:-0} passed, ${unit_failed:-0} failed"

# 2. The mock upstream's own self-test (tests and benchmarks rely on it).
if [ -f tools/mock-upstream/selftest.sh ]; then
  if bash tools/mock-upstream/selftest.sh ./build/mock-upstream >"$log_dir/mock.log" 2>&1; then
    passed=$((passed + 1)); echo "mock-upstream selftest: passed"
  else
    failed=$((failed + 1)); echo "mock-upstream selftest: FAILED"; tail -20 "$log_dir/mock.log"
  fi
fi

# 2b. The PostgreSQL store, against a real server the script starts on loopback.
if bash tests/store/pg_test.sh ./build/llmux_unit_tests --gtest_color=no >"$log_dir/pg.log" 2>&1; then
  pg_passed=$(grep -c '^\[       OK \]' "$log_dir/pg.log")
  passed=$((passed + pg_passed)); echo "postgres store: $pg_passed passed"
else
  failed=$((failed + 1)); echo "postgres store: FAILED"; tail -30 "$log_dir/pg.log"
fi

# 3. Integration and end-to-end tests (Node's built-in test runner).
node_files=$(ls tests/integration/*.test.mjs tests/e2e/*.test.mjs 2>/dev/null || true)
if [ -n "$node_files" ]; then
  if [ ! -d tests/node_modules ] || [ tests/package-lock.json -nt tests/node_modules ]; then
    (cd tests && npm ci --no-audit --no-fund --loglevel=error) || { echo "npm ci failed"; failed=$((failed + 1)); }
  fi
  LLMUX_BIN="$root/build/llmux" MOCK_UPSTREAM_BIN="$root/build/mock-upstream" \
    node --test --test-reporter=spec $node_files >"$log_dir/node.log" 2>&1
  node_status=$?
  grep -E '^✖|^ℹ (tests|pass|fail|skipped|duration_ms)' "$log_dir/node.log" | head -80
  node_passed=$(grep -oP '^ℹ pass \K[0-9]+' "$log_dir/node.log" | tail -1)
  node_failed=$(grep -oP '^ℹ fail \K[0-9]+' "$log_dir/node.log" | tail -1)
  if [ "${node_failed:-0}" -gt 0 ]; then
    sed -n '/^✖ failing tests/,$p' "$log_dir/node.log" | head -150
  fi
  passed=$((passed + ${node_passed:-0}))
  failed=$((failed + ${node_failed:-0}))
  if [ "$node_status" -ne 0 ] && [ "${node_failed:-0}" -eq 0 ]; then
    tail -40 "$log_dir/node.log"; failed=$((failed + 1))
  fi
  echo "integration+e2e: ${node_passed:-0} passed, ${node_failed:-0} failed"
fi

# 4. The benchmark in its smoke mode (a few seconds per case): it must keep working. It reports
#    figures and judges nothing but correctness (a wrong answer from llmux fails it).
if bash bench/run.sh --smoke --build "$root/build" >"$log_dir/bench.log" 2>&1; then
  passed=$((passed + 1)); echo "benchmark smoke: passed"
else
  failed=$((failed + 1)); echo "benchmark smoke: FAILED"; tail -30 "$log_dir/bench.log"
fi

# 5. The sanitizer build (clang, ASan+UBSan; build-sanitize/): the unit suite and the integration
#    suite again, under the sanitizers, counted per test; a sanitizer report fails the run.
bash scripts/sanitize.sh >"$log_dir/sanitize.log" 2>&1
sanitize_status=$?
summary=$(grep '^sanitize: unit' "$log_dir/sanitize.log" | tail -1)
if [ -z "$summary" ]; then
  failed=$((failed + 1)); echo "sanitizers: FAILED before running"; tail -30 "$log_dir/sanitize.log"
else
  read -r s_unit_passed s_unit_failed s_node_passed s_node_failed s_reports < <(
    echo "$summary" | grep -oE '[0-9]+' | tr '\n' ' ')
  passed=$((passed + s_unit_passed + s_node_passed))
  failed=$((failed + s_unit_failed + s_node_failed + (s_reports > 0 ? 1 : 0)))
  echo "$summary"
  [ "$sanitize_status" -ne 0 ] && grep -E '^\[  FAILED  \]|^✖|^=== sanitizer report' "$log_dir/sanitize.log" | head -40
fi

# 6. The fuzz smoke: every libFuzzer harness (tests/fuzz) from its seed corpus for a few seconds,
#    in the same build; one pass per harness. Longer runs: scripts/fuzz.sh --seconds 600.
bash scripts/fuzz.sh --seconds "${LLMUX_FUZZ_SECONDS:-10}" >"$log_dir/fuzz.log" 2>&1
fuzz_passed=$(grep -c '^fuzz [a-z_]*: passed' "$log_dir/fuzz.log")
fuzz_failed=$(grep -c '^fuzz [a-z_]*: FAILED' "$log_dir/fuzz.log")
if ! grep -q '^fuzz: [0-9]* harnesses' "$log_dir/fuzz.log"; then
  fuzz_failed=$((fuzz_failed + 1)); tail -20 "$log_dir/fuzz.log"
fi
grep -A5 '^fuzz [a-z_]*: FAILED' "$log_dir/fuzz.log"
passed=$((passed + fuzz_passed))
failed=$((failed + fuzz_failed))
echo "fuzz smoke: $fuzz_passed passed, $fuzz_failed failed"

echo "total: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
