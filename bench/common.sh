# bench/common.sh: what the bench scripts (bench/run, bench/soak) share: logging, the Release
# build of the binaries they run, and starting and stopping servers. Sourced; expects ROOT,
# BUILD and LOCK to be set, and LOG_PREFIX (default "bench").

log() { printf '[%s] %s\n' "${LOG_PREFIX:-bench}" "$*" >&2; }
die() { printf '[%s] error: %s\n' "${LOG_PREFIX:-bench}" "$*" >&2; exit 1; }

# build_release TARGET...: configures $BUILD (Release, Ninja) if needed and builds the targets,
# holding $LOCK so it never compiles next to another build.
build_release() {
  if [[ ! -f $BUILD/build.ninja ]]; then
    log "configuring $BUILD (Release, Ninja)"
    flock "$LOCK" cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  fi
  local type
  type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$BUILD/CMakeCache.txt")
  [[ $type == Release ]] || die "$BUILD is a '$type' build; set GW_BUILD_DIR to a Release build"
  log "building $* (flock $LOCK)"
  local output
  output=$(flock "$LOCK" ninja -C "$BUILD" "$@" 2>&1) || {
    grep -E -m 5 'error|FAILED' <<<"$output" >&2 || true
    die "build failed (ninja -C $BUILD $*); --no-build uses the existing binaries"
  }
}

# processes_init: a scratch directory ($WORK) and an exit trap that stops every process started
# here (PIDS: TERM, then KILL after 5 s) and removes $WORK when the script succeeded.
processes_init() {
  WORK=$(mktemp -d /tmp/gw-bench.XXXXXX)
  PIDS=()
  trap cleanup EXIT
  trap 'exit 130' INT TERM
}
cleanup() {
  local status=$? pid waited
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for ((waited = 0; waited < 50; waited++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
  done
  if ((status == 0)); then rm -rf "$WORK"; else log "files of this run kept in $WORK"; fi
}

# start NAME PIN... -- COMMAND...: starts COMMAND with stdout on a pipe, waits for its
# {"event":"listening"} line and sets STARTED_PID and STARTED_PORT.
start() {
  local name=$1
  shift
  local pin=()
  while [[ $1 != -- ]]; do pin+=("$1"); shift; done
  shift
  local fd line
  exec {fd}< <(exec "${pin[@]}" "$@" 2>"$WORK/$name.err")
  STARTED_PID=$!
  PIDS+=("$STARTED_PID")
  while :; do
    IFS= read -r -t 20 -u "$fd" line ||
      die "$name did not report listening: $(tail -n 5 "$WORK/$name.err")"
    [[ $line == *'"event":"listening"'* ]] && break
  done
  STARTED_PORT=$(sed -n 's/.*"port":\([0-9]*\).*/\1/p' <<<"$line")
  [[ -n $STARTED_PORT ]] || die "$name: no port in: $line"
}

# A loopback port nothing listens on, for servers that cannot report the port they chose. Taken
# below the kernel's ephemeral range (32768 and up by default): the thousands of client
# connections of a run must not grab it between this check and the server's bind.
free_port() {
  local port
  for ((port = 10000 + RANDOM % 20000; ; port++)); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}
# wait_port NAME PORT: waits (20 s at most) until PORT accepts connections.
wait_port() {
  local tries
  for ((tries = 0; tries < 200; tries++)); do
    (exec 3<>"/dev/tcp/127.0.0.1/$2") 2>/dev/null && return 0
    sleep 0.1
  done
  die "$1 does not accept connections on :$2: $(tail -n 5 "$WORK/$1.err" 2>/dev/null)"
}
