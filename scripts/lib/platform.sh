# Starts a whole ordertrack (api + worker + scheduler, debug binaries) on a
# database and Redis namespace of its own, for the browser tests and the web
# bench. Source it, call `platform_start NAME PORT`, and `platform_stop` when
# done (an EXIT trap is set). PLATFORM_BIN picks the binaries (default
# target/debug). Afterwards these are exported:
#   BASE_URL, SERVICE_TOKEN, ADMIN_TOKEN, WORKER_LOG, FEDEX_WEBHOOK_SECRET

platform_pids=()
platform_db=""
platform_admin_url="${TEST_DATABASE_URL:-postgres://ordertrack:ordertrack@127.0.0.1:5432/postgres}"

platform_stop() {
  if [ "${#platform_pids[@]}" -gt 0 ]; then
    kill -TERM "${platform_pids[@]}" 2>/dev/null || true
    wait "${platform_pids[@]}" 2>/dev/null || true
    platform_pids=()
  fi
  if [ -n "$platform_db" ]; then
    psql "$platform_admin_url" -qc "DROP DATABASE IF EXISTS $platform_db WITH (FORCE)" >/dev/null 2>&1 || true
    platform_db=""
  fi
}

platform_start() {
  local name="$1" port="$2"
  local dir="$PWD/target/$name"
  rm -rf "$dir" && mkdir -p "$dir/mail"
  platform_db="ot_${name//-/_}_$$"
  psql "$platform_admin_url" -qc "CREATE DATABASE $platform_db" >/dev/null
  trap platform_stop EXIT
  trap "exit 130" INT TERM

  export DATABASE_URL="${platform_admin_url%/*}/$platform_db"
  export REDIS_NAMESPACE="$name-$$"
  export PORT="$port"
  export PUBLIC_BASE_URL="http://127.0.0.1:$port"
  export EMAIL_TRANSPORT=file EMAIL_FILE_DIR="$dir/mail" SMS_TRANSPORT=log PUSH_TRANSPORT=log
  export FEDEX_WEBHOOK_SECRET="$name-fedex-secret"
  # One browser makes many calls from one address; carriers are not polled
  # (the test posts their webhooks) and nothing moves parcels on its own.
  export TRACKING_RATE_PER_MINUTE=10000 TOKEN_RATE_PER_MINUTE=100000 AUTH_FAILURE_RATE_PER_MINUTE=10000
  export POLL_SCHEDULE=off SIMULATOR_SCHEDULE=off DELAY_SCHEDULE=off
  unset WORKER_METRICS_PORT
  export RUST_LOG="info"
  export WORKER_LOG="$dir/worker.log"

  local bin="${PLATFORM_BIN:-${CARGO_TARGET_DIR:-target}/debug}"
  $bin/api migrate >/dev/null
  SERVICE_TOKEN=$($bin/api token create --role service --label "$name storefront")
  ADMIN_TOKEN=$($bin/api token create --role admin --label "$name admin")
  export SERVICE_TOKEN ADMIN_TOKEN BASE_URL="$PUBLIC_BASE_URL"

  $bin/api >"$dir/api.log" 2>&1 & platform_pids+=($!)
  $bin/worker >"$WORKER_LOG" 2>&1 & platform_pids+=($!)
  $bin/scheduler >"$dir/scheduler.log" 2>&1 & platform_pids+=($!)
  for _ in $(seq 1 100); do
    curl -fs "$BASE_URL/readyz" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "the platform did not become ready; see $dir/*.log" >&2
  return 1
}
