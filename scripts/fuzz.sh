#!/usr/bin/env bash
# Builds the libFuzzer harnesses (tests/fuzz, in build-sanitize/) and runs each for N seconds,
# starting from its seed corpus (tests/fuzz/corpus/<target>/, read-only here); new units go to
# build-sanitize/fuzz/corpus/<target>/, reproducers to build-sanitize/fuzz/artifacts/<target>/.
# Prints per target: executions, coverage (cov/ft), new units, and any crash with its reproducer.
# Exits non-zero when a harness crashed, leaked, timed out or ran out of memory.
#
#   scripts/fuzz.sh                      # the smoke: every harness, 15 s each
#   scripts/fuzz.sh --seconds 600 sse_parser chunked_decoder
#   scripts/fuzz.sh --no-build ...       # use the harnesses already built
# Replay one reproducer: build-sanitize/fuzz/<target>_fuzz <file>
set -uo pipefail
cd "$(dirname "$0")/.."

seconds=15
build=1
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) targets+=("$1"); shift ;;
  esac
done

# target: dictionary, and the longest input worth trying (an input longer than the parsers'
# interesting states only slows the search).
declare -A dict=(
  [http_request_parser]=http [chunked_decoder]=chunked [sse_parser]=sse [request_view]=json
  [usage_skim]=json [anthropic_request]=json [anthropic_response]=json [anthropic_stream]=sse
  [messages_request]=json [messages_response]=json [messages_stream]=sse [config_loader]=yaml
  [multipart_form]=multipart [responses_request]=json
)
declare -A max_len=(
  [http_request_parser]=4096 [chunked_decoder]=2048 [sse_parser]=4096 [request_view]=8192
  [usage_skim]=4096 [anthropic_request]=8192 [anthropic_response]=8192 [anthropic_stream]=8192
  [messages_request]=8192 [messages_response]=8192 [messages_stream]=8192 [config_loader]=4096
  [multipart_form]=4096 [responses_request]=8192
)
if [ ${#targets[@]} -eq 0 ]; then
  for source in tests/fuzz/*_fuzz.cpp; do
    name="$(basename "$source" .cpp)"; targets+=("${name%_fuzz}")
  done
fi
for t in "${targets[@]}"; do
  [ -f "tests/fuzz/${t}_fuzz.cpp" ] || { echo "fuzz: no harness tests/fuzz/${t}_fuzz.cpp"; exit 2; }
done

if [ "$build" -eq 1 ]; then
  bash scripts/build-sanitize.sh "${targets[@]/%/_fuzz}" >/dev/null || { echo "fuzz: build failed"; exit 2; }
fi

out=build-sanitize/fuzz
failed=0
for t in "${targets[@]}"; do
  mkdir -p "$out/corpus/$t" "$out/artifacts/$t" "$out/logs"
  log="$out/logs/$t.log"
  options=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len="${max_len[$t]:-4096}"
           -print_final_stats=1 -artifact_prefix="$out/artifacts/$t/")
  [ -n "${dict[$t]:-}" ] && options+=(-dict="tests/fuzz/dict/${dict[$t]}.dict")
  # Leaks are findings: ASan's leak check runs after each input that looks like it leaked.
  ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}" \
    "$out/${t}_fuzz" "${options[@]}" "$out/corpus/$t" "tests/fuzz/corpus/$t" >"$log" 2>&1
  status=$?
  execs=$(grep -oP 'stat::number_of_executed_units:\s+\K[0-9]+' "$log" | tail -1)
  added=$(grep -oP 'stat::new_units_added:\s+\K[0-9]+' "$log" | tail -1)
  cov=$(grep -oP '^#[0-9]+.*\bcov: \K[0-9]+' "$log" | tail -1)
  ft=$(grep -oP '^#[0-9]+.*\bft: \K[0-9]+' "$log" | tail -1)
  if [ "$status" -eq 0 ]; then
    echo "fuzz $t: passed, ${seconds}s, ${execs:-?} execs, cov ${cov:-?} ft ${ft:-?}, ${added:-0} new units"
  else
    failed=$((failed + 1))
    reproducer=$(grep -oP 'Test unit written to \K\S+' "$log" | tail -1)
    echo "fuzz $t: FAILED (exit $status) after ${execs:-?} execs; reproducer: ${reproducer:-none}; log: $log"
    grep -E '^==[0-9]+==ERROR|runtime error|SUMMARY|deadly signal|timeout after|out-of-memory' "$log" | head -5
  fi
done
echo "fuzz: ${#targets[@]} harnesses, $failed failed"
[ "$failed" -eq 0 ]
