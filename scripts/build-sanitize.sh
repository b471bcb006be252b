#!/usr/bin/env bash
# Configures and builds build-sanitize/: clang, ASan+UBSan(+float-cast-overflow) on every target,
# libFuzzer coverage on every target and the harnesses of tests/fuzz linked with libFuzzer.
# scripts/sanitize.sh and scripts/fuzz.sh share it, so one extra full build serves both.
# Usage: scripts/build-sanitize.sh [ninja target...]   (default: everything)
set -euo pipefail
cd "$(dirname "$0")/.."
launcher=()
command -v ccache >/dev/null 2>&1 && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
# -O2 for fuzzing speed, line tables for readable reports, and no NDEBUG: an assert that fires
# under the fuzzer is a finding.
cmake -S . -B build-sanitize -G Ninja -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -gline-tables-only" \
  -DLLMUX_SANITIZE=ON -DLLMUX_FUZZ=ON "${launcher[@]}" >/dev/null
ninja -C build-sanitize -j"${LLMUX_BUILD_JOBS:-$(nproc)}" "$@"
