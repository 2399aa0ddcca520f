#!/usr/bin/env bash
# shellcheck disable=SC1090,SC1091 # it sources files it writes at run time
# Starts/stops throwaway PostgreSQL, RabbitMQ and s3rver (S3) instances on
# free loopback ports for the integration tests.
#
#   scripts/test-servers.sh start   # install what is missing, start, write .test-servers/env
#   scripts/test-servers.sh stop    # stop what `start` started, remove its temp dirs
#   scripts/test-servers.sh down s3 # stop one of them (postgres, rabbitmq, s3), keeping its data and port
#   scripts/test-servers.sh up s3   # start it again
#
# It can also be sourced (`. scripts/test-servers.sh start`): then the
# RENDERFARM_TEST_* variables end up exported in the calling shell.
#
# Every server gets its own `mktemp -d` directory and its own ports, so a
# system-wide PostgreSQL/RabbitMQ (e.g. auto-started by apt) is never used
# and never gets in the way.

S3RVER_VERSION=3.7.1

TS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TS_STATE_DIR="$TS_ROOT/.test-servers"
TS_ENV_FILE="$TS_STATE_DIR/env"

ts_log() { echo "test-servers: $*" >&2; }

ts_as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

# PostgreSQL refuses to run as root, so as root we use the package's `postgres` user.
ts_as_pg_user() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

ts_pg_bin() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [[ -n "$d" && -x "$d/initdb" ]] && echo "$d"
}

# ---------------------------------------------------------------- install

ts_install() {
  local pkgs=() p
  [[ -n "$(ts_pg_bin)" ]] || pkgs+=(postgresql)
  [[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]] || pkgs+=(rabbitmq-server)
  command -v node >/dev/null || pkgs+=(nodejs)
  command -v npm >/dev/null || pkgs+=(npm)
  # The web UI tests drive Debian's Chromium through Playwright (never a downloaded browser).
  command -v chromium >/dev/null || pkgs+=(chromium)

  if ((${#pkgs[@]})); then
    ts_log "apt-get install ${pkgs[*]}"
    ts_as_root apt-get update -qq
    ts_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${pkgs[@]}" >/dev/null
    # On a systemd machine apt starts the packaged services it just installed. We never
    # use them (our instances have their own ports and epmd), so switch those off.
    if [[ -d /run/systemd/system ]]; then
      for p in "${pkgs[@]}"; do
        [[ $p == postgresql || $p == rabbitmq-server ]] &&
          { ts_as_root systemctl disable --now "$p" >/dev/null 2>&1 || true; }
      done
    fi
  fi

  if [[ ! -f "$TS_STATE_DIR/node_modules/s3rver/package.json" ]] ||
     ! grep -q "\"version\": \"$S3RVER_VERSION\"" "$TS_STATE_DIR/node_modules/s3rver/package.json"; then
    ts_log "npm install s3rver@$S3RVER_VERSION"
    mkdir -p "$TS_STATE_DIR"
    npm install --prefix "$TS_STATE_DIR" --no-audit --no-fund --loglevel=error \
      "s3rver@$S3RVER_VERSION" >/dev/null
  fi
  ts_patch_s3rver "$TS_STATE_DIR/node_modules/s3rver/lib"
}

# Two fixes to the installed s3rver (idempotent; the version is pinned above).
ts_patch_s3rver() {
  local lib=$1
  # 1. It answers with xmlns "http://doc.s3.amazonaws.com/2006-03-01/" instead of AWS's
  #    "http://s3.amazonaws.com/doc/2006-03-01/". Namespace-strict clients (the Minio .NET
  #    SDK) then silently read e.g. ListObjects results as empty.
  find "$lib" -name '*.js' -exec \
    sed -i 's#http://doc\.s3\.amazonaws\.com/2006-03-01/#http://s3.amazonaws.com/doc/2006-03-01/#g' {} +
  # 2. Deleting an object also removes its now-empty parent directories, which races with
  #    concurrent deletes/puts/listings in the same "folder" (bulk delete answers 500 with
  #    ENOENT). Listing is based on files only, so empty directories can simply stay.
  sed -i 's#^\( *\)!fs\.readdirSync(path\.join(bucketPath, \.\.\.parts))\.length#\1false \&\& !fs.readdirSync(path.join(bucketPath, ...parts)).length#' \
    "$lib/stores/filesystem.js"
  if grep -rq 'doc\.s3\.amazonaws\.com' "$lib" || ! grep -q 'false && !fs.readdirSync' "$lib/stores/filesystem.js"; then
    ts_log "patching s3rver in $lib failed"
    return 1
  fi
}

# ---------------------------------------------------------------- helpers

# Ports already bound by anything on this machine (from /proc, so no ss/netstat needed).
ts_used_ports() {
  local hex
  for hex in $(awk 'FNR > 1 { n = split($2, a, ":"); print a[n] }' /proc/net/tcp /proc/net/tcp6 2>/dev/null); do
    echo $((16#$hex))
  done
}

TS_TAKEN_PORTS=" "
# A free port below the kernel's ephemeral range (32768+), so outgoing
# connections cannot grab it between choosing and binding.
ts_free_port() {
  local used port
  used=" $(ts_used_ports | tr '\n' ' ') "
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 12000))
    if [[ "$used" != *" $port "* && "$TS_TAKEN_PORTS" != *" $port "* ]]; then
      TS_TAKEN_PORTS+="$port "
      echo "$port"
      return 0
    fi
  done
  ts_log "no free port found"
  return 1
}

# Running and not a zombie (our servers outlive `start`, so init reaps them, not us).
ts_alive() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [[ ${stat:0:1} != Z ]]
}

ts_port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# ts_wait_port PORT SECONDS NAME LOGFILE PID: wait until PORT accepts connections.
ts_wait_port() {
  local deadline=$((SECONDS + $2))
  until ts_port_open "$1"; do
    if ((SECONDS >= deadline)) || ! ts_alive "$5"; then
      ts_log "$3 did not open port $1 (waited up to $2s); last log lines:"
      tail -n 40 "$4" >&2 || true
      return 1
    fi
    sleep 0.2
  done
}

# State is appended as soon as each piece exists, so `stop` can clean up
# after a start that failed halfway.
ts_state() {
  [[ "$2" != *"'"* ]] || { ts_log "unexpected quote in $1=$2"; return 1; }
  printf "export %s='%s'\n" "$1" "$2" >>"$TS_ENV_FILE"
}

# ---------------------------------------------------------------- start

ts_start_postgres() {
  local bin dir port
  bin=$(ts_pg_bin)
  dir=$(mktemp -d -t rf-test-pg.XXXXXX)
  ts_state RENDERFARM_TEST_PG_DIR "$dir"
  [[ $(id -u) -eq 0 ]] && chown postgres: "$dir"
  port=$(ts_free_port)

  ts_as_pg_user "$bin/initdb" -D "$dir/data" -U renderfarm --auth=trust -E UTF8 \
    --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
    { tail -n 40 "$dir/initdb.log" >&2; return 1; }
  # Test data is disposable: trade durability for speed.
  ts_as_pg_user tee -a "$dir/data/postgresql.conf" >/dev/null <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 400
EOF
  ts_state RENDERFARM_TEST_PG_BIN "$bin"
  ts_launch_postgres "$bin" "$dir"

  ts_as_pg_user "$bin/psql" -q -h "$dir" -p "$port" -U renderfarm -d postgres -v ON_ERROR_STOP=1 \
    -c "ALTER ROLE renderfarm PASSWORD 'renderfarm'" -c "CREATE DATABASE renderfarm" >/dev/null
  ts_state RENDERFARM_TEST_POSTGRES \
    "Host=127.0.0.1;Port=$port;Username=renderfarm;Password=renderfarm;Database=renderfarm"
}

ts_launch_postgres() {
  ts_as_pg_user "$1/pg_ctl" -D "$2/data" -l "$2/postgres.log" -w -t 60 start >/dev/null ||
    { tail -n 40 "$2/postgres.log" >&2; return 1; }
}

ts_start_rabbitmq() {
  local dir port dist_port epmd_port node cookie
  dir=$(mktemp -d -t rf-test-rabbitmq.XXXXXX)
  ts_state RENDERFARM_TEST_RABBITMQ_DIR "$dir"
  port=$(ts_free_port)
  dist_port=$(ts_free_port)
  epmd_port=$(ts_free_port)
  node="rf-test-$port@localhost"

  mkdir -p "$dir/home" "$dir/mnesia" "$dir/log"
  # The Erlang cookie lives in $HOME; rabbitmqctl must use the same HOME.
  cookie=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  printf '%s' "$cookie" >"$dir/home/.erlang.cookie"
  chmod 400 "$dir/home/.erlang.cookie"
  echo '[].' >"$dir/enabled_plugins"
  : >"$dir/rabbitmq-env.conf"
  cat >"$dir/rabbitmq.conf" <<EOF
default_user = renderfarm
default_pass = renderfarm
loopback_users = none
log.console = false
log.file.level = info
EOF

  # Our own epmd port keeps us independent of any system RabbitMQ/epmd.
  cat >"$dir/rabbitmq-env.sh" <<EOF
export HOME=$(printf '%q' "$dir/home")
export ERL_EPMD_PORT=$epmd_port
export RABBITMQ_NODENAME=$node
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
export RABBITMQ_NODE_PORT=$port
export RABBITMQ_DIST_PORT=$dist_port
export RABBITMQ_CONF_ENV_FILE=$(printf '%q' "$dir/rabbitmq-env.conf")
export RABBITMQ_CONFIG_FILE=$(printf '%q' "$dir/rabbitmq.conf")
export RABBITMQ_ADVANCED_CONFIG_FILE=$(printf '%q' "$dir/advanced.config")
export RABBITMQ_ENABLED_PLUGINS_FILE=$(printf '%q' "$dir/enabled_plugins")
export RABBITMQ_MNESIA_BASE=$(printf '%q' "$dir/mnesia")
export RABBITMQ_LOG_BASE=$(printf '%q' "$dir/log")
EOF
  ts_state RENDERFARM_TEST_RABBITMQ_NODE "$node"
  ts_state RENDERFARM_TEST_RABBITMQ_PORT "$port"
  ts_launch_rabbitmq "$dir" "$port" "$node"
  ts_state RENDERFARM_TEST_RABBITMQ "amqp://renderfarm:renderfarm@127.0.0.1:$port/"
}

# ts_launch_rabbitmq DIR PORT NODE: boots the node configured in DIR (its durable queues and messages survive a relaunch).
ts_launch_rabbitmq() {
  local dir=$1 port=$2 node=$3 pid
  # setsid: own process group, so `stop` can reliably take the whole tree down.
  (
    . "$dir/rabbitmq-env.sh"
    cd "$dir"
    exec setsid /usr/lib/rabbitmq/bin/rabbitmq-server </dev/null >"$dir/log/startup.log" 2>&1
  ) &
  pid=$!
  ts_state RENDERFARM_TEST_RABBITMQ_PID "$pid"

  if ! ts_wait_port "$port" 120 RabbitMQ "$dir/log/startup.log" "$pid"; then
    tail -n 40 "$dir/log/$node.log" >&2 2>/dev/null || true
    return 1
  fi
  # The AMQP listener opens at the very end of boot; this is a second opinion only.
  (. "$dir/rabbitmq-env.sh" && /usr/lib/rabbitmq/bin/rabbitmqctl -q -n "$node" await_startup --timeout 60) >/dev/null 2>&1 ||
    ts_log "warning: rabbitmqctl await_startup failed, but the AMQP port is open; continuing"
}

ts_start_s3() {
  local dir port
  dir=$(mktemp -d -t rf-test-s3.XXXXXX)
  ts_state RENDERFARM_TEST_S3_DIR "$dir"
  port=$(ts_free_port)
  mkdir -p "$dir/data"
  ts_state RENDERFARM_TEST_S3_PORT "$port"
  ts_launch_s3 "$dir" "$port"
  ts_state RENDERFARM_TEST_S3_ENDPOINT "127.0.0.1:$port"
  # s3rver's credentials are built in; it has no option to change them.
  ts_state RENDERFARM_TEST_S3_ACCESS_KEY S3RVER
  ts_state RENDERFARM_TEST_S3_SECRET_KEY S3RVER
}

# ts_launch_s3 DIR PORT: serves the objects under DIR/data.
ts_launch_s3() {
  local dir=$1 port=$2 pid
  # s3rver encrypts ListObjectsV2 continuation tokens with DES, which OpenSSL 3 only
  # offers through its legacy provider: without it, listing >1000 keys answers 500.
  setsid node --openssl-legacy-provider "$TS_STATE_DIR/node_modules/s3rver/bin/s3rver.js" \
    --directory "$dir/data" --address 127.0.0.1 --port "$port" \
    </dev/null >"$dir/s3rver.log" 2>&1 &
  pid=$!
  ts_state RENDERFARM_TEST_S3_PID "$pid"
  ts_wait_port "$port" 30 s3rver "$dir/s3rver.log" "$pid"
}

ts_start() {
  ts_install
  ts_stop # a previous run may have left servers behind
  mkdir -p "$TS_STATE_DIR"
  : >"$TS_ENV_FILE"
  local t0=$SECONDS t
  t=$SECONDS; ts_start_postgres; ts_log "PostgreSQL up after $((SECONDS - t))s"
  t=$SECONDS; ts_start_rabbitmq; ts_log "RabbitMQ up after $((SECONDS - t))s"
  t=$SECONDS; ts_start_s3; ts_log "s3rver up after $((SECONDS - t))s"
  (
    . "$TS_ENV_FILE"
    ts_log "PostgreSQL $RENDERFARM_TEST_POSTGRES"
    ts_log "RabbitMQ   $RENDERFARM_TEST_RABBITMQ"
    ts_log "S3 (s3rver $S3RVER_VERSION) http://$RENDERFARM_TEST_S3_ENDPOINT" \
      "key=$RENDERFARM_TEST_S3_ACCESS_KEY secret=$RENDERFARM_TEST_S3_SECRET_KEY"
  )
  ts_log "started in $((SECONDS - t0))s; env in ${TS_ENV_FILE#"$TS_ROOT"/}"
}

# ---------------------------------------------------------------- stop

# ts_kill_group PID: TERM the process group led by PID, then KILL after 15s.
ts_kill_group() {
  local pid=$1
  ts_alive "$pid" || return 0
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 75); do
    ts_alive "$pid" || return 0
    sleep 0.2
  done
  kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
}

# The ts_down_* functions expect the env file's variables in scope.
ts_down_s3() {
  [[ -z "${RENDERFARM_TEST_S3_PID:-}" ]] || ts_kill_group "$RENDERFARM_TEST_S3_PID"
}

ts_down_rabbitmq() {
  local rdir=${RENDERFARM_TEST_RABBITMQ_DIR:-}
  [[ -n "$rdir" && -f "$rdir/rabbitmq-env.sh" ]] || return 0
  (
    . "$rdir/rabbitmq-env.sh"
    if [[ -n "${RENDERFARM_TEST_RABBITMQ_PID:-}" ]] && ts_alive "$RENDERFARM_TEST_RABBITMQ_PID"; then
      timeout 60 /usr/lib/rabbitmq/bin/rabbitmqctl -q -n "$RABBITMQ_NODENAME" shutdown >/dev/null 2>&1
      ts_kill_group "$RENDERFARM_TEST_RABBITMQ_PID"
    fi
  )
}

# ts_down_postgres MODE: pg_ctl's shutdown mode (fast: a restart as an operator does it; immediate: a crash).
ts_down_postgres() {
  local pdir=${RENDERFARM_TEST_PG_DIR:-}
  if [[ -n "$pdir" && -f "$pdir/data/postmaster.pid" ]]; then
    ts_as_pg_user "$RENDERFARM_TEST_PG_BIN/pg_ctl" -D "$pdir/data" -m "$1" -w stop >/dev/null 2>&1 ||
      kill -KILL "$(head -n 1 "$pdir/data/postmaster.pid")" 2>/dev/null
  fi
}

ts_stop() {
  [[ -f "$TS_ENV_FILE" ]] || return 0
  (
    set +e
    . "$TS_ENV_FILE"
    ts_down_s3
    ts_down_rabbitmq
    local rdir=${RENDERFARM_TEST_RABBITMQ_DIR:-}
    if [[ -n "$rdir" && -f "$rdir/rabbitmq-env.sh" ]]; then
      # The node started a private epmd on ERL_EPMD_PORT; it outlives the node.
      (
        . "$rdir/rabbitmq-env.sh"
        if ts_port_open "$ERL_EPMD_PORT"; then
          epmd -port "$ERL_EPMD_PORT" -kill >/dev/null 2>&1
        fi
      )
    fi
    ts_down_postgres immediate

    for d in "${RENDERFARM_TEST_S3_DIR:-}" "$rdir" "${RENDERFARM_TEST_PG_DIR:-}"; do
      # Only ever delete the directories we created ourselves.
      [[ "$d" == */rf-test-* && -d "$d" ]] && rm -rf -- "$d"
    done
    true
  )
  rm -f "$TS_ENV_FILE"
}

# ts_down NAME / ts_up NAME: one running server stopped, then started again on the same port with the same data
# (the fault-injection suite's outages).
ts_down() {
  [[ -f "$TS_ENV_FILE" ]] || { ts_log "no servers are running"; return 1; }
  . "$TS_ENV_FILE"
  case "$1" in
    postgres) ts_down_postgres fast ;;
    rabbitmq) ts_down_rabbitmq ;;
    s3) ts_down_s3 ;;
    *) ts_log "unknown server '$1' (postgres, rabbitmq or s3)"; return 2 ;;
  esac
}

ts_up() {
  [[ -f "$TS_ENV_FILE" ]] || { ts_log "no servers are running"; return 1; }
  . "$TS_ENV_FILE"
  case "$1" in
    postgres) ts_launch_postgres "$RENDERFARM_TEST_PG_BIN" "$RENDERFARM_TEST_PG_DIR" ;;
    rabbitmq) ts_launch_rabbitmq "$RENDERFARM_TEST_RABBITMQ_DIR" "$RENDERFARM_TEST_RABBITMQ_PORT" "$RENDERFARM_TEST_RABBITMQ_NODE" ;;
    s3) ts_launch_s3 "$RENDERFARM_TEST_S3_DIR" "$RENDERFARM_TEST_S3_PORT" ;;
    *) ts_log "unknown server '$1' (postgres, rabbitmq or s3)"; return 2 ;;
  esac
}

ts_main() {
  case "${1:-}" in
    start) ts_start ;;
    stop) ts_stop ;;
    down) ts_down "${2:-}" ;;
    up) ts_up "${2:-}" ;;
    *) echo "usage: $0 start|stop|down NAME|up NAME (NAME: postgres, rabbitmq or s3)" >&2; return 2 ;;
  esac
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  ts_main "$@"
else
  # Sourced: run in a subshell so `set -e` etc. do not leak into the caller,
  # then import the variables on a successful start.
  # (Without start/stop it only defines the functions: a sourced script sees
  # the caller's positional parameters when given none of its own.)
  case "${1:-}" in
    start) (set -euo pipefail; ts_main start) && . "$TS_ENV_FILE" ;;
    stop) (set -euo pipefail; ts_main stop) ;;
  esac
fi
