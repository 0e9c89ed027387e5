#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Start the real components on loopback for kubeproof's component tests:
# Prometheus, Loki, Kafka (KRaft), InfluxDB, the metrics/log emitter, and
# Alertmanager with the webhook sink it notifies (Prometheus sends it its alerts).
#
# Each runs in the background with its log and pid file in the state dir
# ${KUBEPROOF_STATE:-/tmp/kubeproof-components}; every readiness wait is named
# and bounded, and a timeout prints the last response seen plus the log tail.
# On success $STATE/endpoints.env holds the KUBEPROOF_* variables the tests
# read. Running it twice is harmless (running components are kept).
# Stop everything with test/component/env/down.sh.
#
# Binaries come from the cache filled by `bash lab/components/all.sh`.
set -euo pipefail
ENV_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$ENV_DIR/../../.." && pwd)"
COMPONENT=component-env
# shellcheck source=../../../lab/lib.sh
. "$ROOT/lab/lib.sh"

# The lab library's daemon supervision, on this state dir.
STATE="${KUBEPROOF_STATE:-/tmp/kubeproof-components}"
PIDS="$STATE"
LOGS="$STATE/logs"
CLEANUP_HINT="the components stay up for inspection, stop them with: bash $ENV_DIR/down.sh"
PROMETHEUS_PORT=19090
LOKI_PORT=13100
LOKI_GRPC_PORT=19095
KAFKA_PORT=19092
KAFKA_CONTROLLER_PORT=19093
INFLUX_PORT=18086
INFLUX_RPC_PORT=18088
EMITTER_PORT=19400
ALERTMANAGER_PORT=19193
WEBHOOK_SINK_PORT=19194
# Per-component readiness budgets (seconds). Kafka's JVM and Loki's ring
# need the longest on a busy 2-core machine.
READY_TIMEOUT_PROMETHEUS=60
READY_TIMEOUT_LOKI=120
READY_TIMEOUT_KAFKA=120
READY_TIMEOUT_INFLUX=60
READY_TIMEOUT_EMITTER=30
READY_TIMEOUT_ALERTMANAGER=30
READY_TIMEOUT_WEBHOOK_SINK=30
READY_TIMEOUT_PIPELINE=60

mkdir -p "$LOGS" "$STATE/config" "$STATE/data"
# One up.sh/down.sh at a time per state dir (two test runners starting at
# once would otherwise both try to start the same components).
state_lock

# ---- binaries -------------------------------------------------------------------
NODE="$ROOT/node_modules/node/bin/node"
[ -x "$NODE" ] || NODE="$(command -v node || true)"
KAFKA_HOME="$CACHE/kafka-$KAFKA_VERSION"
K6_BIN="$CACHE/k6-$K6_VERSION/k6"
missing=()
for f in /usr/bin/prometheus /usr/bin/prometheus-alertmanager /usr/bin/influxd "$CACHE_BIN/loki-$LOKI_VERSION" "$KAFKA_HOME/bin/kafka-run-class" "$K6_BIN"; do
  [ -x "$f" ] || missing+=("$f")
done
[ ${#missing[@]} -eq 0 ] || die "component binaries missing: ${missing[*]}" "build them first: bash lab/components/all.sh (npm run components:build)"
[ -n "$NODE" ] || die "no node binary for the emitter" "run npm install in $ROOT"
[ -d "$ROOT/node_modules/prom-client" ] || die "prom-client is not installed (the emitter needs it)" "run npm install in $ROOT"
need_cmd curl "apt-get install curl"
need_cmd ss "apt-get install iproute2"

# ---- helpers --------------------------------------------------------------------
# render_config SRC DEST: copy a config, filling in @STATE@ and the @..._PORT@ values.
render_config() {
  sed -e "s#@STATE@#$STATE#g" \
      -e "s/@PROMETHEUS_PORT@/$PROMETHEUS_PORT/g" -e "s/@EMITTER_PORT@/$EMITTER_PORT/g" \
      -e "s/@LOKI_PORT@/$LOKI_PORT/g" -e "s/@LOKI_GRPC_PORT@/$LOKI_GRPC_PORT/g" \
      -e "s/@KAFKA_PORT@/$KAFKA_PORT/g" -e "s/@KAFKA_CONTROLLER_PORT@/$KAFKA_CONTROLLER_PORT/g" \
      -e "s/@INFLUX_PORT@/$INFLUX_PORT/g" -e "s/@INFLUX_RPC_PORT@/$INFLUX_RPC_PORT/g" \
      -e "s/@ALERTMANAGER_PORT@/$ALERTMANAGER_PORT/g" -e "s/@WEBHOOK_SINK_PORT@/$WEBHOOK_SINK_PORT/g" \
      "$1" >"$2"
}

# port_free NAME PORT: fail naming the port and whoever listens on it.
port_free() {
  local who
  who="$(port_holder "$2")"
  [ -z "$who" ] || die "$1: port 127.0.0.1:$2 is already in use by $who" \
    "stop that process, or if it is a leftover of an earlier run: bash $ENV_DIR/down.sh"
}

# ready NAME TIMEOUT CHECK: wait_for, and say how long it took.
ready() {
  local t0=$SECONDS
  wait_for "$@"
  log "$1 ready after $((SECONDS - t0))s"
}

# http_check URL EXPECTED_STATUS [BODY_PATTERN]: sets LAST to "HTTP <code> <body>".
http_check() {
  local out code body
  out="$(curl -s -m 2 -w '\n%{http_code}' "$1" 2>&1 || true)"
  code="${out##*$'\n'}"; body="${out%$'\n'*}"
  LAST="HTTP ${code:-none} $(printf '%s' "$body" | tr '\n' ' ' | cut -c1-200)"
  [ "$code" = "$2" ] || return 1
  # (pattern match, not `| grep -q`: grep quitting early + pipefail = flaky)
  [[ -z "${3:-}" || "$body" == *"$3"* ]]
}

# ---- start (everything in parallel, then wait for each) ---------------------------
start_prometheus() {
  render_config "$ENV_DIR/prometheus.yml" "$STATE/config/prometheus.yml"
  cp "$ENV_DIR/prometheus-rules.yml" "$STATE/config/prometheus-rules.yml"
  mkdir -p "$STATE/data/prometheus"
  start_daemon prometheus /usr/bin/prometheus \
    --config.file="$STATE/config/prometheus.yml" \
    --web.listen-address="127.0.0.1:$PROMETHEUS_PORT" \
    --storage.tsdb.path="$STATE/data/prometheus" \
    --storage.tsdb.retention.time=2h \
    --web.enable-lifecycle \
    --rules.alert.resend-delay=5s \
    --log.level=warn
}

start_loki() {
  render_config "$ENV_DIR/loki.yaml" "$STATE/config/loki.yaml"
  mkdir -p "$STATE/data/loki"
  start_daemon loki "$CACHE_BIN/loki-$LOKI_VERSION" -config.file="$STATE/config/loki.yaml" -target=all
}

start_influx() {
  render_config "$ENV_DIR/influxdb.conf" "$STATE/config/influxdb.conf"
  mkdir -p "$STATE/data/influxdb"
  start_daemon influxdb /usr/bin/influxd run -config "$STATE/config/influxdb.conf"
}

start_kafka() {
  render_config "$ENV_DIR/kafka-server.properties" "$STATE/config/kafka-server.properties"
  # KRaft needs formatted storage (cluster id + bootstrap metadata) once.
  if [ ! -f "$STATE/data/kafka/meta.properties" ]; then
    local cid
    local flog="$STATE/logs/kafka-format.log"
    cid="$(KAFKA_LOG_LEVEL=WARN KAFKA_HEAP_OPTS=-Xmx128m "$KAFKA_HOME/bin/kafka-storage" random-uuid 2>"$flog")" \
      || die "kafka: kafka-storage random-uuid failed (log: $flog)" "re-run bash lab/components/kafka.sh"
    KAFKA_LOG_LEVEL=WARN KAFKA_HEAP_OPTS=-Xmx128m "$KAFKA_HOME/bin/kafka-storage" format \
      -t "$cid" -c "$STATE/config/kafka-server.properties" >>"$flog" 2>&1 \
      || { tail -n 20 "$flog" >&2; die "kafka: formatting storage in $STATE/data/kafka failed (log: $flog)" "bash $ENV_DIR/down.sh (removes the data) and retry"; }
  fi
  KAFKA_HEAP_OPTS="-Xms256m -Xmx512m" start_daemon kafka "$KAFKA_HOME/bin/kafka-server-start" "$STATE/config/kafka-server.properties"
}

start_emitter() {
  # --state-dir only marks the command line as ours (see is_running in lab/lib.sh).
  EMITTER_PORT="$EMITTER_PORT" \
  KUBEPROOF_LOKI_URL="http://127.0.0.1:$LOKI_PORT" \
  KUBEPROOF_INFLUX_URL="http://127.0.0.1:$INFLUX_PORT" \
  KUBEPROOF_INFLUX_DATABASE=conveyor \
    start_daemon emitter "$NODE" "$ENV_DIR/emitter.js" --state-dir="$STATE"
}

start_alertmanager() {
  render_config "$ENV_DIR/alertmanager.yml" "$STATE/config/alertmanager.yml"
  mkdir -p "$STATE/data/alertmanager"
  # --cluster.listen-address= : a single instance, no gossip port to collide with.
  start_daemon alertmanager /usr/bin/prometheus-alertmanager \
    --config.file="$STATE/config/alertmanager.yml" \
    --storage.path="$STATE/data/alertmanager" \
    --web.listen-address="127.0.0.1:$ALERTMANAGER_PORT" \
    --cluster.listen-address= \
    --log.level=warn
}

start_webhook_sink() {
  # The cluster's webhook sink (services/webhook-sink), on loopback; --state-dir marks the command line as ours.
  PORT="$WEBHOOK_SINK_PORT" HOST=127.0.0.1 \
    start_daemon webhook-sink "$NODE" "$ROOT/services/webhook-sink/src/main.ts" --state-dir="$STATE"
}

# Check every port before starting anything, so a conflict fails fast and
# leaves nothing half-started.
for spec in prometheus:$PROMETHEUS_PORT loki:$LOKI_PORT loki:$LOKI_GRPC_PORT kafka:$KAFKA_PORT \
            kafka:$KAFKA_CONTROLLER_PORT influxdb:$INFLUX_PORT influxdb:$INFLUX_RPC_PORT emitter:$EMITTER_PORT \
            alertmanager:$ALERTMANAGER_PORT webhook-sink:$WEBHOOK_SINK_PORT; do
  is_running "${spec%%:*}" || port_free "${spec%%:*}" "${spec#*:}"
done

start_influx
start_webhook_sink
start_alertmanager
start_loki
start_prometheus
start_kafka
start_emitter

# ---- readiness --------------------------------------------------------------------
check_prometheus() { http_check "http://127.0.0.1:$PROMETHEUS_PORT/-/ready" 200; }
check_loki()       { http_check "http://127.0.0.1:$LOKI_PORT/ready" 200 ready; }
check_influx()     { http_check "http://127.0.0.1:$INFLUX_PORT/ping" 204; }
check_alertmanager() { http_check "http://127.0.0.1:$ALERTMANAGER_PORT/-/ready" 200; }
check_webhook_sink() { http_check "http://127.0.0.1:$WEBHOOK_SINK_PORT/healthz" 200 ok; }
check_emitter()    { http_check "http://127.0.0.1:$EMITTER_PORT/metrics" 200 producer_messages_sent_total; }
check_kafka() {
  # The port opens before the broker has registered with its controller;
  # a real metadata request (list topics) is the honest test.
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$KAFKA_PORT") 2>/dev/null; then LAST="port $KAFKA_PORT closed"; return 1; fi
  local out
  if out="$(KAFKA_LOG_LEVEL=WARN KAFKA_HEAP_OPTS=-Xmx128m timeout 30 "$KAFKA_HOME/bin/kafka-topics" \
              --bootstrap-server "127.0.0.1:$KAFKA_PORT" --list 2>&1)"; then
    return 0
  fi
  LAST="kafka-topics --list: $(printf '%s' "$out" | tail -n 3 | tr '\n' ' ' | cut -c1-300)"
  return 1
}
# The whole chain: Prometheus has scraped the emitter, Loki holds its lines,
# Influx has its points. Tests can then assert on data straight away.
check_pipeline() {
  local p l i
  p="$(curl -s -m 2 "http://127.0.0.1:$PROMETHEUS_PORT/api/v1/query" --data-urlencode 'query=up{job="producer"}' || true)"
  l="$(curl -s -m 2 -G "http://127.0.0.1:$LOKI_PORT/loki/api/v1/query_range" --data-urlencode 'query={job="emitter"}' --data-urlencode limit=1 || true)"
  i="$(curl -s -m 2 -G "http://127.0.0.1:$INFLUX_PORT/query" --data-urlencode db=conveyor --data-urlencode 'q=SELECT count(speed) FROM conveyor_readings' || true)"
  LAST="prometheus up{job=producer}: $(printf '%s' "$p" | cut -c1-160) | loki: $(printf '%s' "$l" | cut -c1-120) | influx: $(printf '%s' "$i" | cut -c1-120)"
  [[ "$p" =~ \"value\":\[[0-9.]+,\"1\"\] && ( "$l" == *"Speed: "* || "$l" == *"ERROR simulated"* ) && "$i" == *'"count"'* ]]
}

ready influxdb "$READY_TIMEOUT_INFLUX" check_influx
ready prometheus "$READY_TIMEOUT_PROMETHEUS" check_prometheus
ready emitter "$READY_TIMEOUT_EMITTER" check_emitter
ready webhook-sink "$READY_TIMEOUT_WEBHOOK_SINK" check_webhook_sink
ready alertmanager "$READY_TIMEOUT_ALERTMANAGER" check_alertmanager
ready loki "$READY_TIMEOUT_LOKI" check_loki
ready kafka "$READY_TIMEOUT_KAFKA" check_kafka
# the pipeline has no process of its own; the emitter's log explains a failure
t0=$SECONDS
wait_for emitter "$READY_TIMEOUT_PIPELINE" check_pipeline
log "pipeline ready after $((SECONDS - t0))s"

# ---- endpoints ----------------------------------------------------------------------
tmp="$STATE/endpoints.env.tmp"
cat >"$tmp" <<EOF
# Written by test/component/env/up.sh at $(date -u +%FT%TZ). Source it, or
# let the component-test runner load it. Stop with test/component/env/down.sh.
KUBEPROOF_PROMETHEUS_URL=http://127.0.0.1:$PROMETHEUS_PORT
KUBEPROOF_LOKI_URL=http://127.0.0.1:$LOKI_PORT
KUBEPROOF_KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT
KUBEPROOF_INFLUX_URL=http://127.0.0.1:$INFLUX_PORT
KUBEPROOF_INFLUX_DATABASE=conveyor
KUBEPROOF_K6_BIN=$K6_BIN
KUBEPROOF_EMITTER_URL=http://127.0.0.1:$EMITTER_PORT
KUBEPROOF_ALERTMANAGER_URL=http://127.0.0.1:$ALERTMANAGER_PORT
KUBEPROOF_WEBHOOK_SINK_URL=http://127.0.0.1:$WEBHOOK_SINK_PORT
KUBEPROOF_KAFKA_HOME=$KAFKA_HOME
KUBEPROOF_COMPONENTS_STATE=$STATE
# k6 sends anonymous usage statistics to Grafana after each run unless told
# not to; nothing may leave the machine.
K6_NO_USAGE_REPORT=true
EOF
mv "$tmp" "$STATE/endpoints.env"
log "all components ready; endpoints in $STATE/endpoints.env"
