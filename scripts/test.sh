#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what is missing, builds with warnings as
# errors, lints, runs the unit and integration tests (ctest), the end-to-end test with the
# official openai npm SDK, with the official @anthropic-ai/sdk and the Claude Code CLI, and on
# the Responses route with the openai SDK and the Codex CLI, the
# dashboard pages' test in headless Chromium, a smoke run of the benchmark (keeps bench/run working; its numbers are
# not compared), then builds again with AddressSanitizer + UBSan and reruns the unit and
# integration tests under it, and runs every fuzz target briefly (scripts/fuzz.sh). `--quick`
# skips the sanitizer pass and the fuzzing.
set -euo pipefail
cd "$(dirname "$0")/.."
quick=0
[ "${1:-}" = "--quick" ] && quick=1

scripts/install-deps.sh
echo "== build (Release, -Werror)"
scripts/build.sh build -DGW_WERROR=ON
echo "== lint"
scripts/lint.sh
echo "== unit + integration tests"
ctest --test-dir build --output-on-failure -j 2
echo "== tokenizer parity with js-tiktoken"
scripts/tokenizer/check-parity.sh build
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
  echo "== AddressSanitizer + UndefinedBehaviorSanitizer"
  GW_BUILD_TYPE=Debug scripts/build.sh build-asan -DGW_WERROR=ON -DGW_SANITIZE=ON \
    -DGW_BUILD_BENCH=OFF
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-asan --output-on-failure -j 2
  echo "== fuzzing (libFuzzer + ASan/UBSan, 30 s per target)"
  scripts/fuzz.sh 30
fi
echo "== all tests passed"
