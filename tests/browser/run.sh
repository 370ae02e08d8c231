#!/usr/bin/env bash
# Runs the headless-browser tests of the dashboard pages, one file after the other
# (dashboard.test.mjs: /rankings, /activity, /keys; insights.test.mjs: /insights), against the
# binaries in BUILD_DIR (default: build). The browser is Debian's chromium (scripts/install-deps.sh
# installs it), driven by playwright-core from npm (pinned by package-lock.json; it downloads no
# browser). Screenshots go to tests/browser/output/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build_dir="$(cd "$here/../.." && cd "${1:-build}" && pwd)"
cd "$here"
if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
  echo "browser test: ${CHROMIUM:-/usr/bin/chromium} is missing (apt-get install chromium)" >&2
  exit 1
fi
npm ci --no-audit --no-fund --loglevel=error
GATEWAY_BUILD_DIR="$build_dir" node --test --test-concurrency=1 dashboard.test.mjs insights.test.mjs
