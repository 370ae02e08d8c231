#!/usr/bin/env bash
# Runs the end-to-end test with the official openai npm SDK (pinned by package-lock.json)
# against the binaries in BUILD_DIR (default: build).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build_dir="$(cd "$here/../.." && cd "${1:-build}" && pwd)"
cd "$here"
npm ci --no-audit --no-fund --loglevel=error
GATEWAY_BUILD_DIR="$build_dir" node --test openai_sdk.test.mjs
