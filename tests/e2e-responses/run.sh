#!/usr/bin/env bash
# Runs the end-to-end tests of the Responses route with the official openai SDK and the real
# Codex CLI (both pinned by package-lock.json) against the binaries in BUILD_DIR (default: build).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build_dir="$(cd "$here/../.." && cd "${1:-build}" && pwd)"
cd "$here"
npm ci --include=optional --no-audit --no-fund --loglevel=error
# @openai/codex has no install script: bin/codex.js runs the native binary of the optional
# dependency @openai/codex-<platform>-<arch> (an alias of @openai/codex@<version>-<platform>-<arch>,
# from the npm registry, in the lockfile). If npm skipped it (optional dependencies omitted),
# install exactly that version from the registry without touching the rest of node_modules.
if ! node_modules/.bin/codex --version >/dev/null 2>&1; then
  version="$(node -p "require('./node_modules/@openai/codex/package.json').version")"
  target="$(node -p "process.platform + '-' + process.arch")"
  npm install --no-save --no-audit --no-fund --loglevel=error \
    "@openai/codex-${target}@npm:@openai/codex@${version}-${target}"
  node_modules/.bin/codex --version
fi
GATEWAY_BUILD_DIR="$build_dir" node --test openai_sdk.test.mjs codex.test.mjs
