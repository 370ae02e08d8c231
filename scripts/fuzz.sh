#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, docs/fuzzing.md) with clang and AddressSanitizer + UBSan
# into build-fuzz/ and runs each for SECONDS (default 15) on a copy of its seed corpus.
# Fails on any crash, sanitizer report, leak, timeout or out-of-memory, naming the input that
# caused it. Installs nothing (scripts/install-deps.sh installs clang and libclang-rt-14-dev).
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]     e.g. scripts/fuzz.sh 600 sse_parser
# GW_FUZZ_BUILD_DIR (default build-fuzz) and GW_FUZZ_CMAKE_ARGS (e.g. a compiler launcher)
# change the build.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-15}
shift || true
build_dir=${GW_FUZZ_BUILD_DIR:-build-fuzz}

# Debug keeps assertions (nlohmann's included) on; -O1 keeps the runs fast.
# shellcheck disable=SC2086  # GW_FUZZ_CMAKE_ARGS is a list of arguments
CC=clang CXX=clang++ cmake -S . -B "$build_dir" -G Ninja \
  -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" \
  -DGW_FUZZ=ON -DGW_BUILD_TESTS=OFF -DGW_BUILD_BENCH=OFF ${GW_FUZZ_CMAKE_ARGS:-} >/dev/null
cmake --build "$build_dir" -j 2 --target fuzzers

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for source in fuzz/*_fuzzer.cc; do
    name=$(basename "$source" .cc)
    targets+=("${name%_fuzzer}")
  done
fi

# Each run works on a copy of the seeds under build-fuzz/ (never in git): what a run adds to
# the corpus stays there. Crash inputs land in build-fuzz/fuzz-runs/<target>/artifacts/.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=()
for target in "${targets[@]}"; do
  run_dir=$build_dir/fuzz-runs/$target
  rm -rf "$run_dir"
  mkdir -p "$run_dir/corpus" "$run_dir/artifacts"
  cp fuzz/corpus/"$target"/* "$run_dir/corpus/"
  options=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384
    -print_final_stats=1 -artifact_prefix="$run_dir/artifacts/")
  case $target in
    http_request) dict=http ;;
    sse_parser) dict=sse ;;
    config_loader) dict=yaml ;;
    *) dict=json ;;
  esac
  options+=(-dict="fuzz/dict/$dict.dict")
  log=$run_dir/fuzz.log
  if "$build_dir/fuzz/${target}_fuzzer" "${options[@]}" "$run_dir/corpus" >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    coverage=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -1)
    echo "fuzz: $target: ok, $runs runs in ${seconds}s, $coverage, corpus $(find "$run_dir/corpus" -type f | wc -l) inputs"
  else
    echo "fuzz: $target: FAILED; last lines of $log:"
    tail -n 40 "$log"
    for input in "$run_dir"/artifacts/*; do
      [ -e "$input" ] && echo "fuzz: $target: failing input: $input (reproduce: $build_dir/fuzz/${target}_fuzzer $input)"
    done
    failed+=("$target")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: failed: ${failed[*]}"
  exit 1
fi
