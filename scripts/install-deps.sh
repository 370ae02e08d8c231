#!/usr/bin/env bash
# Installs the Debian 12 packages the gateway needs to build, test and benchmark.
# Fast no-op when everything is present. Boost: the versioned 1.81 family only (the unversioned
# libboost-*-dev packages pull 1.74 and conflict).
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config
  libboost1.81-dev libboost-system1.81-dev libboost-json1.81-dev
  libssl-dev openssl ca-certificates
  nlohmann-json3-dev libyaml-cpp-dev libsqlite3-dev
  libgtest-dev libgmock-dev libbenchmark-dev libsimdjson-dev rapidjson-dev
  libgoogle-perftools-dev
  # hiredis: the shared limits store's client; redis-server: the scale-out tests' and bench's server.
  libhiredis-dev redis-server
  # libpq: the shared ledger's client; postgresql-15: the scale-out tests' and bench's server.
  libpq-dev postgresql-15
  curl wrk
  # promtool (from prometheus) checks the /metrics page in the tests; nginx is the bench's
  # reference proxy; chromium runs the dashboard pages' headless-browser test (tests/browser/).
  prometheus nginx-light chromium
  # clang + its runtime (libFuzzer, the sanitizers) build the fuzz targets (scripts/fuzz.sh).
  clang libclang-rt-14-dev
)
# Node.js + npm run the end-to-end test with the official openai SDK; an existing Node counts.
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
