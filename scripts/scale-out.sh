#!/usr/bin/env bash
# scripts/scale-out.sh: N gateway instances that behave as one, on loopback, without containers.
# In a scratch directory it starts, as its own children:
#   - redis-server with its own config (unix socket, AOF, no RDB snapshots): the budgets,
#     reservations and rate limits of every instance (accounting.limits.store: redis);
#   - PostgreSQL (Debian's postgresql-15: a fresh cluster by initdb, unix socket only): the
#     shared ledger every instance ships its records to (accounting.store: postgres);
#   - the upstream simulator (gateway-sim), the one provider of every instance;
#   - N `gateway serve` processes on 127.0.0.1 ports, each with its own usage ledger (its own
#     accounting.data_dir) and all with one key table (in PostgreSQL with --ledger postgres,
#     else one SQLite file, accounting.keys_database);
#   - nginx in front of them on one port (round robin, keep-alive to the instances, streams
#     relayed unbuffered).
# Once every one answers, it prints the URL and an admin key, writes DIR/env (for tests and the
# bench), and runs until Ctrl-C or SIGTERM; then it stops them all (nginx first, then the
# instances, the simulator, PostgreSQL and Redis).
# A process that exits on its own is reported and the others keep running (kill an instance or
# Redis to see what the rest do; the files in DIR restart any of them, and what you restart is
# yours to stop).
#
#   scripts/scale-out.sh                                 # 3 instances, a mktemp -d, a free port
#   scripts/scale-out.sh --dir /tmp/so --print-env &     # scripts: wait for /tmp/so/env, then
#   set -a; . /tmp/so/env; set +a                        #   GW_URL, GW_ADMIN_KEY, ...; kill $GW_PID
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  cat <<'USAGE'
usage: scripts/scale-out.sh [options]

  --instances N              gateway instances [3]
  --build-dir DIR            the build tree (gateway/gateway, gateway/simulator/gateway-sim) [build]
  --dir DIR                  scratch directory, kept afterwards [a mktemp -d, removed at the end]
  --port N                   nginx's port on 127.0.0.1 [a free one]
  --workers N                server.workers of each instance [1]
  --store redis|memory       accounting.limits.store [redis]; memory: each instance its own limits
  --on-failure closed|open   accounting.limits.on_failure [the gateway's default: closed]
  --durability commit|async  accounting.durability [the gateway's default: commit]
  --ledger postgres|sqlite   accounting.store [postgres], and where the key table is; sqlite:
                             each instance its own ledger only, the keys in one SQLite file
  --redis-tcp                Redis on a loopback TCP port instead of a unix socket
  --gateway-cpus LIST        run the instances under taskset -c LIST
  --other-cpus LIST          run nginx, redis-server and the simulator under taskset -c LIST
  --access-log               the instances' access logs on (DIR/instance-N/gateway.log)
  --print-env                print DIR/env on stdout once ready, instead of the banner

DIR/env (KEY=value lines, lists comma-separated; written once everything is ready):
  GW_URL, GW_ADMIN_KEY, GW_REDIS_URL, GW_POSTGRES_URL (empty with --ledger sqlite),
  GW_PID (this script: SIGTERM stops everything),
  GW_INSTANCE_URLS, GW_INSTANCE_PORTS, GW_INSTANCE_PIDS, GW_INSTANCE_CONFIGS,
  GW_KEYS_DATABASE (empty with --ledger postgres: the keys are there), GW_SIM_URL, GW_SIM_PID,
  GW_REDIS_PID, GW_REDIS_CONF, GW_POSTGRES_PID,
  GW_POSTGRES_DATA, GW_NGINX_PID, GW_NGINX_CONF, GW_DIR
USAGE
}

instances=3
build=build
dir=
nginx_port=
workers=1
store=redis
ledger=postgres
on_failure=
durability=
redis_tcp=0
gateway_cpus=
other_cpus=
access_log=false
print_env=0
while (($#)); do
  case $1 in
    --instances) instances=${2:?}; shift ;;
    --build-dir) build=${2:?}; shift ;;
    --dir) dir=${2:?}; shift ;;
    --port) nginx_port=${2:?}; shift ;;
    --workers) workers=${2:?}; shift ;;
    --store) store=${2:?}; shift ;;
    --ledger) ledger=${2:?}; shift ;;
    --on-failure) on_failure=${2:?}; shift ;;
    --durability) durability=${2:?}; shift ;;
    --redis-tcp) redis_tcp=1 ;;
    --gateway-cpus) gateway_cpus=${2:?}; shift ;;
    --other-cpus) other_cpus=${2:?}; shift ;;
    --access-log) access_log=true ;;
    --print-env) print_env=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "scale-out: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

log() { printf '[scale-out] %s\n' "$*" >&2; }
die() { printf '[scale-out] error: %s\n' "$*" >&2; exit 1; }

[[ $instances =~ ^[1-9][0-9]*$ ]] || die "--instances: expected a whole number >= 1"
[[ $workers =~ ^[0-9]+$ ]] || die "--workers: expected a whole number"
[[ $store == redis || $store == memory ]] || die "--store: redis or memory"
[[ $ledger == postgres || $ledger == sqlite ]] || die "--ledger: postgres or sqlite"
[[ -z $on_failure || $on_failure == closed || $on_failure == open ]] ||
  die "--on-failure: closed or open"
[[ -z $durability || $durability == commit || $durability == async ]] ||
  die "--durability: commit or async"
gateway=$build/gateway/gateway
sim=$build/gateway/simulator/gateway-sim
[[ -x $gateway && -x $sim ]] || die "no $gateway or $sim (scripts/build.sh $build -- gateway gateway-sim)"
for tool in redis-server redis-cli nginx curl; do
  command -v "$tool" >/dev/null || die "$tool is missing (apt-get install redis-server nginx-light curl)"
done
pg_bin=/usr/lib/postgresql/15/bin
if [[ $ledger == postgres ]]; then
  [[ -x $pg_bin/postgres ]] || die "PostgreSQL 15 is missing (apt-get install postgresql-15)"
  if ((EUID == 0)); then
    id postgres >/dev/null 2>&1 || die "no postgres user (apt-get install postgresql-15)"
  fi
fi
if ((instances > 1)) && [[ $store == memory ]]; then
  log "warning: --store memory with $instances instances: each enforces the limits on its own"
fi
pin_gateway=() pin_other=()
[[ -n $gateway_cpus ]] && pin_gateway=(taskset -c "$gateway_cpus")
[[ -n $other_cpus ]] && pin_other=(taskset -c "$other_cpus")

# The scratch directory: ours to remove when we made it (unless start-up failed: its logs stay).
made_dir=0
if [[ -z $dir ]]; then
  dir=$(mktemp -d /tmp/gw-scale-out.XXXXXX)
  made_dir=1
fi
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
rm -f "$dir/env"

# --- processes -----------------------------------------------------------------------------
redis_pid='' sim_pid='' nginx_pid='' postgres_pid=''
gateway_pids=()
declare -A name_of=()  # pid -> what it is, for the messages
ready=0

# spawn NAME LOG COMMAND...: COMMAND in the background, stdout and stderr into LOG; sets $spawned.
# Each in a session of its own (setsid: same pid, since a background job of a script does not lead
# its process group), so that Ctrl-C reaches this script alone and cleanup stops them in order.
spawn() {
  local name=$1 log_file=$2
  shift 2
  setsid "$@" >"$log_file" 2>&1 &
  spawned=$!
  name_of[$spawned]=$name
}

# shellcheck disable=SC2317  # stop and cleanup run from the EXIT trap
# stop [-SIGNAL] PID...: SIGTERM (or SIGNAL) to each, then waits (25 s at most: the gateway's
# default shutdown grace is 10 s, then it ships its last records to PostgreSQL for up to 5 s)
# and SIGKILLs what is left.
stop() {
  local pid tries signal=TERM
  if [[ $1 == -* ]]; then signal=${1#-}; shift; fi
  for pid in "$@"; do kill -"$signal" "$pid" 2>/dev/null || true; done
  for pid in "$@"; do
    for ((tries = 0; tries < 250; tries++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
}

# shellcheck disable=SC2317
# Stops in the reverse order of the data path: nginx (no new requests), the instances (they drain
# and settle against Redis, and flush their ledgers), then the simulator and Redis.
cleanup() {
  local status=$?
  trap - EXIT INT TERM HUP
  rm -f "$dir/env"
  [[ -n $nginx_pid ]] && stop "$nginx_pid"
  ((${#gateway_pids[@]})) && stop "${gateway_pids[@]}"
  [[ -n $sim_pid ]] && stop "$sim_pid"
  # SIGINT: PostgreSQL's fast shutdown (SIGTERM would wait for any psql session to end).
  [[ -n $postgres_pid ]] && stop -INT "$postgres_pid"
  [[ -n $redis_pid ]] && stop "$redis_pid"
  if ((!ready)); then
    log "start-up failed; logs in $dir"
  elif ((made_dir)); then
    rm -rf "$dir"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# A loopback port nothing listens on, below the kernel's ephemeral range (32768 and up), so the
# client connections of a load run do not take it between this check and the server's bind.
free_port() {
  local port
  for ((port = 10000 + RANDOM % 20000; ; port++)); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

# wait_until PID WHAT LOG COMMAND...: retries COMMAND every 0.1 s until it succeeds; fails at once
# when PID exits, and after 30 s.
wait_until() {
  local pid=$1 what=$2 log_file=$3 tries
  shift 3
  for ((tries = 0; tries < 300; tries++)); do
    "$@" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null ||
      die "$what exited during start-up; the end of $log_file:"$'\n'"$(tail -n 15 "$log_file")"
    sleep 0.1
  done
  die "$what is not ready after 30 s; the end of $log_file:"$'\n'"$(tail -n 15 "$log_file")"
}
# shellcheck disable=SC2317  # run by wait_until
answers_ok() { curl -fsS -o /dev/null --max-time 2 "$1"; }

random_hex() { od -An -N24 -tx1 /dev/urandom | tr -d ' \n'; }

# --- Redis ---------------------------------------------------------------------------------
mkdir -p "$dir/redis"
redis_conf=$dir/redis.conf
if ((redis_tcp)); then
  redis_port=$(free_port)
  redis_url=redis://127.0.0.1:$redis_port
  redis_cli=(redis-cli -p "$redis_port")
  listen_lines="bind 127.0.0.1
port $redis_port"
else
  socket=$dir/redis.sock
  ((${#socket} < 100)) || die "unix socket path too long ($socket): a shorter --dir, or --redis-tcp"
  redis_url=unix://$socket
  redis_cli=(redis-cli -s "$socket")
  listen_lines="port 0
unixsocket $socket
unixsocketperm 700"
fi
cat >"$redis_conf" <<EOF
# scripts/scale-out.sh: the instances' shared budgets, reservations and rate limits.
# Restart with: redis-server $redis_conf
$listen_lines
daemonize no
save ""
appendonly yes
dir $dir/redis
EOF
spawn redis "$dir/redis.log" "${pin_other[@]}" redis-server "$redis_conf"
redis_pid=$spawned
wait_until "$redis_pid" redis-server "$dir/redis.log" "${redis_cli[@]}" ping

# --- PostgreSQL ----------------------------------------------------------------------------
# A fresh cluster in DIR/postgres, on a unix socket there (no TCP). PostgreSQL refuses to run as
# root: as root, initdb and the server run as the postgres user the Debian package creates, who
# needs to pass through DIR (711: enter, not list).
postgres_url=
if [[ $ledger == postgres ]]; then
  pg_dir=$dir/postgres
  pg_socket=$pg_dir/.s.PGSQL.5432
  ((${#pg_socket} < 100)) || die "unix socket path too long ($pg_socket): a shorter --dir"
  as_pg=()
  if ((EUID == 0)); then
    as_pg=(setpriv --reuid=postgres --regid=postgres --init-groups)
    chmod 711 "$dir"
  fi
  if [[ ! -f $pg_dir/data/PG_VERSION ]]; then
    mkdir -p "$pg_dir"
    ((EUID == 0)) && chown postgres:postgres "$pg_dir"
    "${as_pg[@]}" test -w "$pg_dir" ||
      die "the postgres user cannot reach $pg_dir: a parent directory is closed to it" \
        "(chmod o+x on it), or use a --dir under /tmp"
    "${as_pg[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U gw -A trust -E UTF8 --locale=C \
      >"$dir/postgres-initdb.log" 2>&1 || die "initdb failed; see $dir/postgres-initdb.log"
  fi
  spawn postgres "$dir/postgres.log" "${pin_other[@]}" "${as_pg[@]}" "$pg_bin/postgres" \
    -D "$pg_dir/data" -k "$pg_dir" -c listen_addresses=
  postgres_pid=$spawned
  postgres_url="postgresql://gw@/postgres?host=$pg_dir"
  wait_until "$postgres_pid" postgres "$dir/postgres.log" "$pg_bin/pg_isready" -q -h "$pg_dir"
fi

# --- the upstream simulator ----------------------------------------------------------------
sim_port=$(free_port)
spawn simulator "$dir/sim.log" "${pin_other[@]}" "$sim" --listen "127.0.0.1:$sim_port" --workers 1
sim_pid=$spawned
wait_until "$sim_pid" gateway-sim "$dir/sim.log" answers_ok "http://127.0.0.1:$sim_port/health"

# --- the gateway instances -----------------------------------------------------------------
export GW_ADMIN_KEY=${GW_ADMIN_KEY:-sk-admin-$(random_hex)}
export GW_REDIS_URL=$redis_url
export GW_POSTGRES_URL=$postgres_url
mkdir -p "$dir/shared"
# What the instances share: the key table (in PostgreSQL with the shared ledger,
# keys_store: postgres; else one SQLite file), and the top-level `redis` block (the limits'
# store, and endpoint health: routing.health.share). --store memory leaves the block out:
# nothing else is shared, and each instance keeps its own limits.
keys_database=
accounting_extra=
[[ -n $durability ]] && accounting_extra+=$'\n'"  durability: $durability"
limits_extra=
[[ -n $on_failure ]] && limits_extra=$'\n'"    on_failure: $on_failure"
redis_block=
[[ $store == redis ]] && redis_block=$'redis:\n  url: ${GW_REDIS_URL}'
postgres_block=
if [[ $ledger == postgres ]]; then
  accounting_extra+=$'\n  store: postgres  # each record shipped to the shared ledger'
  accounting_extra+=$'\n  keys_store: postgres  # one key table, in the same database'
  postgres_block=$'postgres:\n  url: ${GW_POSTGRES_URL}'
else
  keys_database=$dir/shared/keys.sqlite3
  accounting_extra+=$'\n'"  keys_database: $keys_database  # one key table"
fi
instance_ports=() instance_urls=() instance_configs=()
for ((i = 1; i <= instances; i++)); do
  port=$(free_port)
  mkdir -p "$dir/instance-$i"
  config=$dir/instance-$i/gateway.yaml
  cat >"$config" <<EOF
# Instance $i of $instances (scripts/scale-out.sh). Needs GW_ADMIN_KEY, GW_REDIS_URL and
# GW_POSTGRES_URL (DIR/env).
server:
  listen: 127.0.0.1:$port
  workers: $workers
  access_log: $access_log
  auth:
    admin_keys: ["\${GW_ADMIN_KEY}"]
providers:
  - name: sim
    base_url: http://127.0.0.1:$sim_port/v1
models:
  - id: sim/chat
    context_length: 131072
    endpoints: [{provider: sim, model: sim-model, pricing: {prompt: 1, completion: 2}}]
  - id: sim/paced
    context_length: 131072
    endpoints:
      - provider: sim
        model: "sim-model?ttft_ms=20&tokens=64&chunk_interval_ms=20"
        pricing: {prompt: 1, completion: 2}
accounting:
  data_dir: $dir/instance-$i/data  # its own ledger$accounting_extra
  limits:
    store: $store$limits_extra
$redis_block
$postgres_block
EOF
  spawn "instance $i" "$dir/instance-$i/gateway.log" \
    "${pin_gateway[@]}" "$gateway" serve --config "$config"
  gateway_pids+=("$spawned")
  instance_ports+=("$port")
  instance_urls+=("http://127.0.0.1:$port")
  instance_configs+=("$config")
done
for ((i = 0; i < instances; i++)); do
  wait_until "${gateway_pids[i]}" "instance $((i + 1))" "$dir/instance-$((i + 1))/gateway.log" \
    answers_ok "${instance_urls[i]}/ready"
done

# --- nginx ---------------------------------------------------------------------------------
# Debian's nginx has /var/lib/nginx, /run/nginx.pid and /etc/nginx compiled in (nginx -V);
# every path it writes is set here, inside $dir/nginx. Started as root, its workers would switch
# to nobody, who may not enter $dir (mktemp makes it 700): they stay root, on loopback only.
[[ -n $nginx_port ]] || nginx_port=$(free_port)
mkdir -p "$dir/nginx"
nginx_conf=$dir/nginx/nginx.conf
user_line=
((EUID == 0)) && user_line="user root;"
{
  cat <<EOF
# scripts/scale-out.sh: one port in front of the instances.
# Restart with: nginx -p $dir/nginx -c $nginx_conf -g 'daemon off;'
$user_line
worker_processes 1;
pid $dir/nginx/nginx.pid;
error_log $dir/nginx/error.log warn;
events { worker_connections 16384; }
http {
  access_log off;
  client_body_temp_path $dir/nginx/body;
  proxy_temp_path $dir/nginx/proxy;
  fastcgi_temp_path $dir/nginx/fastcgi;
  uwsgi_temp_path $dir/nginx/uwsgi;
  scgi_temp_path $dir/nginx/scgi;
  upstream gateways {
EOF
  for port in "${instance_ports[@]}"; do
    echo "    server 127.0.0.1:$port max_fails=1 fail_timeout=2s;"
  done
  cat <<EOF
    keepalive 256;
  }
  server {
    listen 127.0.0.1:$nginx_port backlog=8192;
    client_max_body_size 16m;  # the gateway's server.max_body_bytes default
    client_body_buffer_size 1m;
    location / {
      proxy_pass http://gateways;
      proxy_http_version 1.1;
      proxy_set_header Connection "";  # keep-alive to the instances
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_buffering off;  # SSE chunks relayed as they come
      proxy_read_timeout 600s;
      proxy_send_timeout 600s;
      # A request goes to the next instance only when it could not be sent (connect error):
      # nginx never resends a POST that an instance has received.
      proxy_next_upstream error timeout;
      add_header X-Gateway-Instance \$upstream_addr always;  # which instance answered
    }
  }
}
EOF
} >"$nginx_conf"
spawn nginx "$dir/nginx/error.log" \
  "${pin_other[@]}" nginx -p "$dir/nginx" -c "$nginx_conf" -g 'daemon off;'
nginx_pid=$spawned
url=http://127.0.0.1:$nginx_port
wait_until "$nginx_pid" nginx "$dir/nginx/error.log" answers_ok "$url/ready"

# --- ready ---------------------------------------------------------------------------------
join() { local IFS=,; echo "$*"; }
umask 077  # the env file holds the admin key
cat >"$dir/env.tmp" <<EOF
GW_URL=$url
GW_ADMIN_KEY=$GW_ADMIN_KEY
GW_REDIS_URL=$redis_url
GW_POSTGRES_URL=$postgres_url
GW_PID=$$
GW_DIR=$dir
GW_INSTANCE_URLS=$(join "${instance_urls[@]}")
GW_INSTANCE_PORTS=$(join "${instance_ports[@]}")
GW_INSTANCE_PIDS=$(join "${gateway_pids[@]}")
GW_INSTANCE_CONFIGS=$(join "${instance_configs[@]}")
GW_KEYS_DATABASE=$keys_database
GW_SIM_URL=http://127.0.0.1:$sim_port/v1
GW_SIM_PID=$sim_pid
GW_REDIS_PID=$redis_pid
GW_REDIS_CONF=$redis_conf
GW_POSTGRES_PID=$postgres_pid
GW_POSTGRES_DATA=${pg_dir:+$pg_dir/data}
GW_NGINX_PID=$nginx_pid
GW_NGINX_CONF=$nginx_conf
EOF
mv "$dir/env.tmp" "$dir/env"
ready=1

if ((print_env)); then
  cat "$dir/env"
else
  cat <<MSG

  $instances gateway instance(s) behind nginx on $url (limits store: $store, Redis: $redis_url)
  Ledger: ${postgres_url:-each instance its own file}
  Admin key: $GW_ADMIN_KEY
  Files, logs and DIR/env: $dir

  Try:

    curl -si $url/v1/chat/completions -H 'Authorization: Bearer $GW_ADMIN_KEY' \\
      -H 'Content-Type: application/json' \\
      -d '{"model":"sim/chat","messages":[{"role":"user","content":"Hello!"}]}'

    curl -s $url/v1/keys -H 'Authorization: Bearer $GW_ADMIN_KEY' \\
      -H 'Content-Type: application/json' \\
      -d '{"name":"team","limit":0.01,"limit_reset":"daily","rate_limit":{"requests_per_minute":60}}'

  The answer's X-Gateway-Instance header names the instance that served it.
  The shared ledger (--ledger postgres): psql "$postgres_url" -c 'SELECT instance, count(*) FROM generations GROUP BY 1'
  Keys from the shell: set -a; . $dir/env; set +a
    $gateway keys list --config ${instance_configs[0]}

  Ctrl-C to stop.

MSG
fi

# Until a signal: report every process that exits on its own; the others keep running.
alive=("$redis_pid" "$sim_pid" "${gateway_pids[@]}" "$nginx_pid" ${postgres_pid:+"$postgres_pid"})
while ((${#alive[@]})); do
  status=0
  wait -n -p exited "${alive[@]}" || status=$?
  [[ -n ${exited:-} ]] || continue
  log "${name_of[$exited]} (pid $exited) exited with status $status"
  remaining=()
  for pid in "${alive[@]}"; do [[ $pid == "$exited" ]] || remaining+=("$pid"); done
  alive=("${remaining[@]}")
  unset exited
done
die "every process has exited"
