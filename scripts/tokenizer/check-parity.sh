#!/usr/bin/env bash
# Proves the tokenizer gives js-tiktoken's ids: regenerates the expected ids of the test corpus
# with js-tiktoken (pinned by package-lock.json), checks the committed
# tests/accounting/tokenizer/expected.jsonl is exactly that output, then runs the corpus tests of
# BUILD_DIR's tokenizer_tests on the freshly generated file.
# Usage: scripts/tokenizer/check-parity.sh BUILD_DIR   (Node and npm as for tests/e2e/run.sh)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build_dir="$(cd "$root" && cd "${1:-build}" && pwd)"
cd "$here"
npm ci --no-audit --no-fund --loglevel=error
fresh="$(mktemp)"
trap 'rm -f "$fresh"' EXIT
node make-expected.mjs "$fresh" >/dev/null
if ! cmp -s "$fresh" "$root/tests/accounting/tokenizer/expected.jsonl"; then
  echo "check-parity: tests/accounting/tokenizer/expected.jsonl is not js-tiktoken's output;" \
       "regenerate it: node scripts/tokenizer/make-expected.mjs" >&2
  diff <(head -c 2000 "$fresh") <(head -c 2000 "$root/tests/accounting/tokenizer/expected.jsonl") >&2 || true
  exit 1
fi
GW_TOKENIZER_EXPECTED="$fresh" "$build_dir/tests/accounting/tokenizer/tokenizer_tests" \
  --gtest_filter='BothEncodings/CorpusTest.*' --gtest_brief=1
