#!/usr/bin/env bash
# Installs what building and testing llmux needs on Debian 12, from Debian's packages only.
# Safe to run again: it does nothing when everything is already there.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git curl ca-certificates openssl procps
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsimdjson-dev libyaml-cpp-dev libcli11-dev libssl-dev
  libsqlite3-dev libhiredis-dev libpq-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  postgresql nginx-light wrk
  clang libclang-rt-14-dev
)
# clang, libclang-rt-14-dev: the sanitizer and fuzzing build (scripts/sanitize.sh, scripts/fuzz.sh);
# libclang-rt-14-dev holds clang 14's ASan/UBSan runtimes and libFuzzer (libclang_rt.fuzzer),
# which -fsanitize=fuzzer links (libfuzzer-14-dev is a standalone copy, not needed).
# postgresql: the store tests start a throwaway server on loopback (never a system service).
# nginx-light, wrk: the benchmark (bench/run.sh), which the test run exercises in its smoke mode.
# Node.js runs the integration and end-to-end tests (official SDK clients from npm).
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
