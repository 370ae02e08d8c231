#!/usr/bin/env bash
# Runs the end-to-end tests of the Anthropic Messages route with the official @anthropic-ai/sdk
# and the real Claude Code CLI (both pinned by package-lock.json) against the binaries in
# BUILD_DIR (default: build).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build_dir="$(cd "$here/../.." && cd "${1:-build}" && pwd)"
cd "$here"
npm ci --no-audit --no-fund --loglevel=error
# bin/claude is a placeholder until the package's postinstall copies the native binary from the
# optional dependency @anthropic-ai/claude-code-linux-x64 (also from the npm registry) over it;
# run it again if npm skipped install scripts.
if ! node_modules/.bin/claude --version >/dev/null 2>&1; then
  node node_modules/@anthropic-ai/claude-code/install.cjs
fi
GATEWAY_BUILD_DIR="$build_dir" node --test anthropic_sdk.test.mjs claude_code.test.mjs
