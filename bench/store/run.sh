#!/usr/bin/env bash
# Builds bench/store/spend_batch_cost.cpp against a build directory's libllmux_core.a and runs it:
#   bench/store/run.sh [BUILD_DIR] [benchmark flags...]     (default BUILD_DIR: build)
# Prints the store thread's cost per spend row on SQLite (see the .cpp for what is measured).
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$repo/build}
shift $(($# > 0 ? 1 : 0))
[ -f "$build/libllmux_core.a" ] || { echo "run.sh: build $build/libllmux_core.a first (ninja -C $build llmux)" >&2; exit 1; }
out=$build/spend_batch_cost
if [ ! -x "$out" ] || [ "$repo/bench/store/spend_batch_cost.cpp" -nt "$out" ] || [ "$build/libllmux_core.a" -nt "$out" ]; then
  g++ -std=c++20 -O2 -DNDEBUG -I"$repo/src" "$repo/bench/store/spend_batch_cost.cpp" \
    "$build/libllmux_core.a" /usr/lib/x86_64-linux-gnu/libboost_json.so.1.81.0 /usr/lib/x86_64-linux-gnu/libboost_container.so.1.81.0 -lbenchmark -lsqlite3 -lpq -lpthread -o "$out"
fi
exec "$out" "$@"
