#!/usr/bin/env bash
# bench/scale-out/run.sh: what sharing budgets and rate limits in Redis costs a request, and what
# several instances behind nginx give. The same chat request (with a `user`), with a managed key
# that has a credit limit, rate limits, a per-model rate limit and a per-user budget and rate
# limit (all far too high to refuse, so every request does all of its limit work), is sent with
# wrk at c=1 and c=64 to
#   single, memory       one gateway, no nginx, limits in process (the default set-up)
#   nginx + 1 x memory   the same behind nginx (what nginx alone adds)
#   nginx + 1 x memory + postgres   the same with accounting.store: postgres (records shipped)
#   nginx + 1 x redis    one instance with accounting.limits.store: redis
#   nginx + N x redis + postgres    N instances (scripts/scale-out.sh): one Redis, one key
#                        table, one PostgreSQL ledger
# interleaved per repetition (medians in the table). Then the Redis round trip itself:
# redis-benchmark at c=1 from the gateways' CPU to the same server over the same unix socket.
# Placement with 2+ CPUs: every gateway instance on CPU 0; nginx, redis-server, the simulator and
# wrk on CPU 1 (the client side as in bench/keys, plus what a scale-out adds in front of and
# behind the instances, PostgreSQL included; the busy columns show which CPU was the limit).
# After each c=64 run of a PostgreSQL set-up, the instances' shipping backlog is read: records
# written but not yet in PostgreSQL (0: shipping keeps up). The ledgers run with
# durability: async, as in bench/keys: the records' fsync would hide the microseconds measured
# here. The table goes to bench/results/scale-out-latest.md (+ a timestamped copy).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${GW_BUILD_DIR:-$ROOT/build}
RESULTS=$ROOT/bench/results
LOCK=/tmp/gw-build.lock
LOG_PREFIX=scale-out
DURATION=3
REPS=3
INSTANCES=3
DO_BUILD=1

usage() {
  cat <<'USAGE'
usage: bench/scale-out/run.sh [--duration-s N] [--reps N] [--instances N] [--no-build]

  --duration-s N   seconds per wrk run [3]
  --reps N         repetitions, interleaved [3]
  --instances N    instances of the last set-up [3]
  --no-build       use the binaries already in the build directory (GW_BUILD_DIR, default build)

About 2 minutes with the defaults.
USAGE
}
while (($#)); do
  case $1 in
    --duration-s) DURATION=${2:?}; shift ;;
    --reps) REPS=${2:?}; shift ;;
    --instances) INSTANCES=${2:?}; shift ;;
    --no-build) DO_BUILD=0 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench/scale-out: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

source "$ROOT/bench/common.sh"
for tool in wrk jq curl redis-server redis-cli redis-benchmark nginx /usr/lib/postgresql/15/bin/postgres; do
  command -v "$tool" >/dev/null || die "$tool is missing"
done
((DO_BUILD)) && build_release gateway gateway-sim
GATEWAY=$BUILD/gateway/gateway
SIM=$BUILD/gateway/simulator/gateway-sim
PIN_GATEWAY=() PIN_OTHER=() PLACEMENT_ARGS=()
PLACEMENT="unpinned (fewer than 2 CPUs)"
if (($(nproc) >= 2)); then
  PIN_GATEWAY=(taskset -c 0) PIN_OTHER=(taskset -c 1)
  PLACEMENT_ARGS=(--gateway-cpus 0 --other-cpus 1)
  PLACEMENT="CPU 0: every gateway instance; CPU 1: nginx, redis-server, the simulator, wrk"
fi

processes_init
# The PostgreSQL set-ups run the server as the postgres user when we are root: it has to enter
# the scratch directory (711: enter, not list).
((EUID == 0)) && chmod 711 "$WORK"
export GW_ADMIN_KEY=sk-admin-bench-$RANDOM$RANDOM

TARGETS=(single nginx-memory pg-1 redis-1 redis-n)
declare -A LABEL=(
  [single]="single, memory" [nginx-memory]="nginx + 1 x memory"
  [pg-1]="nginx + 1 x memory + postgres" [redis-1]="nginx + 1 x redis"
  [redis-n]="nginx + $INSTANCES x redis + postgres"
)
# Per target: its URL, its key, the instances to ask directly and the pids whose CPU is counted.
declare -A URL KEY INSTANCE_URLS GW_PIDS NGINX_PID REDIS_PID POSTGRES_PID

# The key every request is sent with: every limit, none of them reachable in a run.
create_key() {  # CONFIG -> the secret
  "$GATEWAY" keys create --config "$1" --name limited --limit 1000000 --reset monthly \
    --rpm 100000000 --tpm 1000000000000 --model-rate sim/chat=100000000/1000000000000 \
    --user-limit 1000000 --user-rpm 100000000 2>"$WORK/keys.err" | jq -r .key
}
env_of() { sed -n "s/^$2=//p" "$WORK/$1/env"; }  # TARGET NAME: a value of its DIR/env

# --- nginx set-ups: scripts/scale-out.sh, each in its own directory, started first (in parallel) --
declare -A SCALE_OUT_PID
for target in nginx-memory pg-1 redis-1 redis-n; do
  count=1 store=redis ledger=sqlite
  [[ $target == redis-n ]] && count=$INSTANCES ledger=postgres
  [[ $target == nginx-memory || $target == pg-1 ]] && store=memory
  [[ $target == pg-1 ]] && ledger=postgres
  "$ROOT/scripts/scale-out.sh" --dir "$WORK/$target" --build-dir "$BUILD" --instances "$count" \
    --store "$store" --ledger "$ledger" --durability async "${PLACEMENT_ARGS[@]}" --print-env \
    >/dev/null 2>"$WORK/$target.err" &
  PIDS+=("$!")
  SCALE_OUT_PID[$target]=$!
done

# --- single, memory: one gateway as bench/keys runs it ------------------------------------------
start simulator "${PIN_OTHER[@]}" -- "$SIM" --listen 127.0.0.1:0 --workers 1
cat >"$WORK/single.yaml" <<YAML
server:
  listen: 127.0.0.1:0
  workers: 1
  access_log: false
  auth:
    admin_keys: ["\${GW_ADMIN_KEY}"]
providers:
  - name: sim
    base_url: http://127.0.0.1:$STARTED_PORT/v1
models:
  - id: sim/chat
    context_length: 131072
    endpoints: [{provider: sim, model: sim-model, pricing: {prompt: 1, completion: 2}}]
accounting:
  data_dir: $WORK/single-data
  durability: async
YAML
KEY[single]=$(create_key "$WORK/single.yaml")
[[ ${KEY[single]} == sk-gw-v1-* ]] || die "single: could not create a key: $(cat "$WORK/keys.err")"
start single "${PIN_GATEWAY[@]}" -- "$GATEWAY" serve --config "$WORK/single.yaml"
URL[single]=http://127.0.0.1:$STARTED_PORT
INSTANCE_URLS[single]=${URL[single]}
GW_PIDS[single]=$STARTED_PID NGINX_PID[single]='' REDIS_PID[single]='' POSTGRES_PID[single]=''

for target in nginx-memory pg-1 redis-1 redis-n; do
  for ((tries = 0; tries < 600; tries++)); do
    [[ -f $WORK/$target/env ]] && break
    kill -0 "${SCALE_OUT_PID[$target]}" 2>/dev/null ||
      die "scripts/scale-out.sh ($target) failed:"$'\n'"$(tail -n 15 "$WORK/$target.err")"
    sleep 0.1
  done
  [[ -f $WORK/$target/env ]] || die "scripts/scale-out.sh ($target) is not ready after 60 s"
  URL[$target]=$(env_of "$target" GW_URL)
  INSTANCE_URLS[$target]=$(env_of "$target" GW_INSTANCE_URLS | tr , ' ')
  GW_PIDS[$target]=$(env_of "$target" GW_INSTANCE_PIDS | tr , ' ')
  NGINX_PID[$target]=$(env_of "$target" GW_NGINX_PID)
  REDIS_PID[$target]=$(env_of "$target" GW_REDIS_PID)
  [[ $target == nginx-memory || $target == pg-1 ]] && REDIS_PID[$target]=''  # running, unused
  POSTGRES_PID[$target]=$(env_of "$target" GW_POSTGRES_PID)
  config=$(env_of "$target" GW_INSTANCE_CONFIGS | cut -d, -f1)
  KEY[$target]=$(GW_REDIS_URL=$(env_of "$target" GW_REDIS_URL) \
    GW_POSTGRES_URL=$(env_of "$target" GW_POSTGRES_URL) create_key "$config")
  [[ ${KEY[$target]} == sk-gw-v1-* ]] ||
    die "$target: could not create a key: $(cat "$WORK/keys.err")"
done

printf '%s' '{"model":"sim/chat","user":"bench-user","messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Write one sentence about proxies."}],"max_tokens":64}' \
  >"$WORK/body.json"
answer_code() {  # URL KEY
  curl -s -o /dev/null -w '%{http_code}' --max-time 5 -H 'content-type: application/json' \
    -H "Authorization: Bearer $2" --data-binary @"$WORK/body.json" "$1/v1/chat/completions"
}
# An instance sees a change of the key table within a second: wait until every instance, asked
# directly rather than through nginx, serves the new key.
for target in "${TARGETS[@]}"; do
  for url in ${INSTANCE_URLS[$target]}; do
    for ((tries = 0; tries < 50; tries++)); do
      [[ $(answer_code "$url" "${KEY[$target]}") == 200 ]] && continue 2
      sleep 0.1
    done
    die "$target: $url answers $(answer_code "$url" "${KEY[$target]}") with the key"
  done
done

# --- measuring -------------------------------------------------------------------------------
wrk_json() {  # TARGET CONNECTIONS SECONDS
  GW_BENCH_BODY=$WORK/body.json GW_BENCH_HEADERS="Authorization: Bearer ${KEY[$1]}" \
    "${PIN_OTHER[@]}" wrk -t1 -c"$2" -d"${3}s" --timeout 10s -s "$ROOT/bench/wrk_post.lua" \
    "${URL[$1]}/v1/chat/completions" | sed -n 's/^WRKJSON //p'
}
cpu_ticks() {  # PID...: utime + stime of the processes (nginx: its workers too)
  local pid total=0 children=()
  for pid in "$@"; do mapfile -t -O "${#children[@]}" children < <(pgrep -P "$pid"); done
  for pid in "$@" "${children[@]}"; do
    total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}
core_times() { awk '/^cpu[01] / {printf "%s %d %d ", $1, $2+$3+$4+$7+$8, $5+$6}' /proc/stat; }
busy_percent() {  # BEFORE AFTER CPU_NAME
  awk -v b="$1" -v a="$2" -v cpu="$3" 'BEGIN {
    nb = split(b, B, " "); split(a, A, " ")
    for (i = 1; i <= nb; i += 3) if (B[i] == cpu) {
      busy = A[i+1] - B[i+1]; idle = A[i+2] - B[i+2]
      printf "%.0f", (busy + idle) ? 100 * busy / (busy + idle) : 0 }}'
}
per_request_us() { awk -v t="$1" -v hz="$(getconf CLK_TCK)" -v n="$2" 'BEGIN {printf "%.1f", n ? t / hz / n * 1e6 : 0}'; }
compiler_running() { pgrep -x cc1plus >/dev/null || pgrep -x cc1 >/dev/null; }
wait_quiet() {
  local waited
  for ((waited = 0; waited < 600; waited++)); do
    compiler_running || return 0
    ((waited % 30 == 0)) && log "a compiler is running; waiting for a quiet machine (10 min at most)"
    sleep 1
  done
  log "warning: measuring next to a compiler"
}

# The sum over TARGET's instances of an unlabelled metric of theirs.
ledger_metric() {  # TARGET NAME
  local url value total=0
  for url in ${INSTANCE_URLS[$1]}; do
    value=$(curl -s "$url/metrics" | awk -v n="$2" '$1 == n {print $2; exit}')
    total=$((total + ${value:-0}))
  done
  echo "$total"
}

declare -A SAMPLES  # "TARGET,METRIC" -> space-separated values, one per repetition
add() { SAMPLES[$1,$2]+="$3 "; }
NOISY=0
for target in "${TARGETS[@]}"; do
  log "warm-up: ${LABEL[$target]}"
  line=$(wrk_json "$target" 64 1)
  [[ $(jq -r '.errors + .non2xx' <<<"$line") == 0 ]] || die "$target warm-up: errors: $line"
done
for ((rep = 1; rep <= REPS; rep++)); do
  wait_quiet
  for target in "${TARGETS[@]}"; do
    log "${LABEL[$target]} ($rep/$REPS)"
    one=$(wrk_json "$target" 1 "$DURATION")
    # shellcheck disable=SC2086  # lists of pids
    {
      gw_before=$(cpu_ticks ${GW_PIDS[$target]})
      nginx_before=$(cpu_ticks ${NGINX_PID[$target]})
      redis_before=$(cpu_ticks ${REDIS_PID[$target]})
      postgres_before=$(cpu_ticks ${POSTGRES_PID[$target]})
      cores_before=$(core_times)
      many=$(wrk_json "$target" 64 "$DURATION")
      cores_after=$(core_times)
      gw_after=$(cpu_ticks ${GW_PIDS[$target]})
      nginx_after=$(cpu_ticks ${NGINX_PID[$target]})
      redis_after=$(cpu_ticks ${REDIS_PID[$target]})
      postgres_after=$(cpu_ticks ${POSTGRES_PID[$target]})
      backlog=0
      if [[ -n ${POSTGRES_PID[$target]} ]]; then
        backlog=$(ledger_metric "$target" gateway_ledger_postgres_backlog)
        # Drained before the next run, so each starts alike.
        for ((tries = 0; tries < 600; tries++)); do
          (($(ledger_metric "$target" gateway_ledger_postgres_backlog) == 0)) && break
          sleep 0.05
        done
      fi
    }
    compiler_running && NOISY=$((NOISY + 1))
    for line in "$one" "$many"; do
      [[ -n $line && $(jq -r '.errors + .non2xx' <<<"$line") == 0 ]] ||
        die "${LABEL[$target]}: errors or refusals: $line"
    done
    requests=$(jq -r .requests <<<"$many")
    add "$target" p50_1 "$(jq -r .p50_us <<<"$one")"
    add "$target" p99_1 "$(jq -r .p99_us <<<"$one")"
    add "$target" rps_64 "$(jq -r .rps <<<"$many")"
    add "$target" p99_64 "$(jq -r .p99_us <<<"$many")"
    add "$target" gw_us "$(per_request_us $((gw_after - gw_before)) "$requests")"
    add "$target" nginx_us "$(per_request_us $((nginx_after - nginx_before)) "$requests")"
    add "$target" redis_us "$(per_request_us $((redis_after - redis_before)) "$requests")"
    add "$target" postgres_us "$(per_request_us $((postgres_after - postgres_before)) "$requests")"
    add "$target" backlog "$backlog"
    add "$target" cpu0 "$(busy_percent "$cores_before" "$cores_after" cpu0)"
    add "$target" cpu1 "$(busy_percent "$cores_before" "$cores_after" cpu1)"
    log "  c=1 p50 $(jq -r .p50_us <<<"$one") µs, c=64 $(jq -r .rps <<<"$many") req/s"
  done
done

# --- replaying a backlog: PostgreSQL paused during a c=64 run -----------------------------------
# SIGSTOP to the server and its processes: the instance's shipper waits on its connection, the
# requests keep being answered and their records wait in the ledger file. Then SIGCONT, and the
# time until every record of the paused run is shipped.
replay_line=
if [[ -n ${POSTGRES_PID[pg-1]} ]]; then
  log "replay: PostgreSQL paused during a c=64 run (pg-1), then resumed"
  pg_pids=("${POSTGRES_PID[pg-1]}")
  mapfile -t -O 1 pg_pids < <(pgrep -P "${POSTGRES_PID[pg-1]}")
  shipped_before=$(ledger_metric pg-1 gateway_ledger_postgres_shipped_total)
  kill -STOP "${pg_pids[@]}"
  paused=$(wrk_json pg-1 64 "$DURATION")
  paused_requests=$(jq -r .requests <<<"$paused")
  resume_start=$(date +%s%N)
  kill -CONT "${pg_pids[@]}"
  for ((tries = 0; tries < 1200; tries++)); do
    (($(ledger_metric pg-1 gateway_ledger_postgres_shipped_total) - shipped_before >= paused_requests)) && break
    sleep 0.05
  done
  replay_ms=$((($(date +%s%N) - resume_start) / 1000000))
  replay_line="| PostgreSQL paused for a ${DURATION} s c=64 run of nginx + 1 x memory + postgres ($(jq -r .rps <<<"$paused" | cut -d. -f1) req/s meanwhile) | $paused_requests | $replay_ms | $((paused_requests * 1000 / (replay_ms ? replay_ms : 1))) |"
fi

# --- the Redis round trip ----------------------------------------------------------------------
redis_url=$(env_of redis-n GW_REDIS_URL)
case $redis_url in
  unix://*) redis_args=(-s "${redis_url#unix://}") ;;
  *) hostport=${redis_url#redis://}; hostport=${hostport##*@}; hostport=${hostport%%/*}
     redis_args=(-h "${hostport%:*}" -p "${hostport##*:}") ;;
esac
redis_rtt() {  # COMMAND...: "rps p50_µs p99_µs" of redis-benchmark at c=1
  "${PIN_GATEWAY[@]}" redis-benchmark "${redis_args[@]}" -c 1 -n 20000 --csv "$@" |
    awk -F'","' 'NR == 2 {printf "%.0f %.0f %.0f", $2, $5 * 1000, $7 * 1000}'
}
log "Redis round trip"
read -r ping_rps ping_p50 ping_p99 <<<"$(redis_rtt PING)"
read -r eval_rps eval_p50 eval_p99 <<<"$(redis_rtt EVAL "return 1" 0)"
# redis-cli --latency sends one PING every 10 ms: a round trip that starts from idle.
read -r _ _ idle_avg_ms idle_samples <<<"$("${PIN_GATEWAY[@]}" redis-cli "${redis_args[@]}" --latency -i 2)"

# --- the table -------------------------------------------------------------------------------
median() { tr ' ' '\n' | sed '/^$/d' | sort -n | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
m() { median <<<"${SAMPLES[$1,$2]}"; }
stamp=$(date -u +%Y%m%d-%H%M%S)
mkdir -p "$RESULTS"
{
  echo "# Scale-out: bench/scale-out/run.sh ($(date -u +%Y-%m-%d), $REPS x ${DURATION} s, medians)"
  echo
  echo "| set-up | c=1 p50 µs | c=1 p99 µs | c=64 req/s | c=64 p99 µs | gateway CPU µs/req | nginx CPU µs/req | Redis CPU µs/req | PostgreSQL CPU µs/req | backlog after c=64 | CPU 0 / CPU 1 busy % |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  for target in "${TARGETS[@]}"; do
    pg_cols="- | -"
    [[ -n ${POSTGRES_PID[$target]} ]] && pg_cols="$(m "$target" postgres_us) | $(m "$target" backlog)"

    printf '| %s | %s | %s | %.0f | %s | %s | %s | %s | %s | %s / %s |\n' "${LABEL[$target]}" \
      "$(m "$target" p50_1)" "$(m "$target" p99_1)" "$(m "$target" rps_64)" \
      "$(m "$target" p99_64)" "$(m "$target" gw_us)" "$(m "$target" nginx_us)" \
      "$(m "$target" redis_us)" "$pg_cols" "$(m "$target" cpu0)" "$(m "$target" cpu1)"
  done
  if [[ -n $replay_line ]]; then
    echo
    echo "| replay | records waiting | ms to ship them after the resume | records/s |"
    echo "| --- | ---: | ---: | ---: |"
    echo "$replay_line"
  fi
  echo
  echo "| Redis round trip (c=1, $redis_url) | req/s | p50 µs | p99 µs |"
  echo "| --- | ---: | ---: | ---: |"
  echo "| redis-benchmark PING | $ping_rps | $ping_p50 | $ping_p99 |"
  echo "| redis-benchmark EVAL \"return 1\" 0 | $eval_rps | $eval_p50 | $eval_p99 |"
  echo "| redis-cli --latency (one PING per 10 ms, $idle_samples samples; avg) | | $(awk -v ms="$idle_avg_ms" 'BEGIN {printf "%.0f", ms * 1000}') | |"
  echo
  echo "- Placement: $PLACEMENT. Each instance: workers: 1, access_log: false, durability: async. nginx $(nginx -v 2>&1 | sed 's/.*nginx\///'): worker_processes 1, upstream keepalive, proxy_buffering off. $(redis-server --version | awk '{print $1, $3}'), unix socket, appendonly yes."
  echo "- Redis set-ups: accounting.limits.store: redis and a top-level redis block with its defaults (so endpoint health is shared through it too, routing.health.share); one key table (in PostgreSQL, keys_store: postgres, in the set-ups with postgres; else one SQLite file, accounting.keys_database), a ledger file per instance. nginx + 1 x memory: no redis block."
  echo "- PostgreSQL set-ups: accounting.store: postgres with the postgres block's defaults (ship_interval_ms 200, batch 5000); $(/usr/lib/postgresql/15/bin/postgres --version), a fresh cluster on a unix socket, default settings (fsync on). Backlog: the sum of gateway_ledger_postgres_backlog over the instances right after the c=64 run (records not yet shipped; a batch is shipped every 200 ms)."
  echo "- Every request: a managed key with a credit limit, requests- and tokens-per-minute limits, a per-model rate limit, a per-user budget and rate limit (never refused; any refusal fails the run)."
  echo "- CPU µs/req: utime + stime of those processes during the c=64 run, over its requests. Busy %: /proc/stat of CPU 0 and CPU 1 during the c=64 run."
  echo "- Redis round trips: redis-benchmark and redis-cli on CPU 0 (where the gateways run), the server on CPU 1."
  ((NOISY)) && echo "- Warning: a compiler was running at the end of $NOISY of the runs."
  true
} | tee "$RESULTS/scale-out-$stamp.md"
cp "$RESULTS/scale-out-$stamp.md" "$RESULTS/scale-out-latest.md"
