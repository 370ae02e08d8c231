#!/usr/bin/env bash
# Configures and builds the gateway (Release, Ninja) into build/ or the directory given.
# Usage: scripts/build.sh [BUILD_DIR] [extra cmake -D options...] [-- ninja targets...]
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build}
shift || true
cmake_args=()
targets=()
while [ $# -gt 0 ]; do
  if [ "$1" = "--" ]; then shift; targets=("$@"); break; fi
  cmake_args+=("$1"); shift
done
if [ ! -f "$build_dir/build.ninja" ] || [ ${#cmake_args[@]} -gt 0 ]; then
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="${GW_BUILD_TYPE:-Release}" \
    "${cmake_args[@]}" >/dev/null
fi
# Two cores: -j2. Beast-heavy translation units need ~1 GB each.
cmake --build "$build_dir" -j 2 ${targets:+--target "${targets[@]}"}
