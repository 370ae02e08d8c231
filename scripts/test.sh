#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what is missing, builds the gateway, the
# simulator and the benchmarks in Release with warnings as errors, lints, builds the unit and
# integration tests with AddressSanitizer + UBSan (warnings as errors too) and runs them there
# (ctest), checks the tokenizer's parity with js-tiktoken, runs the end-to-end tests against the
# Release binaries (the official openai npm SDK; the official @anthropic-ai/sdk and the Claude
# Code CLI; the Responses route with the openai SDK and the Codex CLI), the dashboard pages'
# test in headless Chromium, a smoke run of the benchmark (keeps bench/run working; its numbers
# are not compared), and every fuzz target briefly (scripts/fuzz.sh, 10 s each).
#
# `--quick`: no sanitizers and no fuzzing; the tests are built and run in the Release build.
#
# Why the suites run only under the sanitizers in the full run: building them twice was the
# largest part of CI's time, and the sanitizer run checks strictly more (README, "Test it").
set -euo pipefail
cd "$(dirname "$0")/.."
quick=0
[ "${1:-}" = "--quick" ] && quick=1

scripts/install-deps.sh
if [ $quick -eq 1 ]; then
  echo "== build (Release, -Werror)"
  scripts/build.sh build -DGW_WERROR=ON
  echo "== lint"
  scripts/lint.sh
  echo "== unit + integration tests"
  ctest --test-dir build --output-on-failure -j 2
  tests_dir=build
else
  echo "== build (Release, -Werror): gateway, simulator, benchmarks"
  scripts/build.sh build -DGW_WERROR=ON -- product
  echo "== lint"
  scripts/lint.sh
  echo "== unit + integration tests under AddressSanitizer + UndefinedBehaviorSanitizer"
  GW_BUILD_TYPE=Debug scripts/build.sh build-asan -DGW_WERROR=ON -DGW_SANITIZE=ON \
    -DGW_BUILD_BENCH=OFF
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-asan --output-on-failure -j 2
  tests_dir=build-asan
fi
echo "== tokenizer parity with js-tiktoken"
scripts/tokenizer/check-parity.sh "$tests_dir"
echo "== end-to-end: official openai SDK"
tests/e2e/run.sh build
echo "== end-to-end: official @anthropic-ai/sdk and the Claude Code CLI"
tests/e2e-anthropic/run.sh build
echo "== end-to-end: the Responses API with the official openai SDK and the Codex CLI"
tests/e2e-responses/run.sh build
echo "== dashboard pages in headless Chromium"
tests/browser/run.sh build
echo "== benchmark smoke run"
GW_BUILD_DIR=build bench/run --smoke --no-build
if [ $quick -eq 0 ]; then
  echo "== fuzzing (libFuzzer + ASan/UBSan, 10 s per target)"
  scripts/fuzz.sh 10
fi
echo "== all tests passed"
