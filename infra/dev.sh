#!/usr/bin/env bash
# Local run of Workflow without Docker: RabbitMQ and PostgreSQL from Debian packages on loopback,
# every service from its build output. Idempotent: a second `up` reuses what already runs.
#
#   infra/dev.sh up                 infrastructure, build, every service, a demo job
#   infra/dev.sh test               infrastructure, then every test; ends with "Tests: N passed, M failed"
#   infra/dev.sh infra              PostgreSQL and RabbitMQ only (for running test projects one by one)
#   infra/dev.sh restart rabbitmq|postgres   stop and start one of them (what the recovery tests do)
#   infra/dev.sh status | down | logs [SERVICE] | scale SERVICE N
#   infra/dev.sh promtool ARGS...    promtool from Debian's prometheus package (installed if missing)
# WORKFLOW_INSTANCE=recovery selects a second PostgreSQL (5433) and RabbitMQ (5673, UI 15673) that the recovery
# tests restart at will, so that nothing else running on the first pair notices.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
INSTANCE="${WORKFLOW_INSTANCE:-}"
case "$INSTANCE" in
    "") DATA="$ROOT/.data"; DEFAULT_PG_PORT=5432; RABBIT_PORT=5672; RABBIT_UI_PORT=15672; RABBIT_METRICS_PORT=15692; RABBIT_NODE="workflow@localhost" ;;
    recovery) DATA="$ROOT/.data/recovery"; DEFAULT_PG_PORT=5433; RABBIT_PORT=5673; RABBIT_UI_PORT=15673; RABBIT_METRICS_PORT=15693; RABBIT_NODE="recovery@localhost" ;;
    *) echo "error: WORKFLOW_INSTANCE is empty or 'recovery'" >&2; exit 2 ;;
esac
RUN="$DATA/run"
LOGS="$DATA/logs"
CONFIGURATION="${WORKFLOW_CONFIGURATION:-Release}"

PG_BIN="${WORKFLOW_PG_BIN:-/usr/lib/postgresql/15/bin}"
PG_PORT="${WORKFLOW_PG_PORT:-$DEFAULT_PG_PORT}"
PG_DATA="$DATA/postgres"
PG_SOCKET="$DATA/pgsocket"
DB_CONNECTION="Host=127.0.0.1;Port=$PG_PORT;Database=workflow;Username=workflow;Password=workflow"

RABBIT_DATA="$DATA/rabbitmq"

PROMETHEUS_PORT="${WORKFLOW_PROMETHEUS_PORT:-9090}"
PROMETHEUS_DATA="$DATA/prometheus"

SERVICES=(Orchestrator CombinationAnalyzer PromptEnhancer ImageGenerator Gateway Notifier)
declare -A BASE_PORT=([Gateway]=5080 [Notifier]=5090 [Orchestrator]=5100 [CombinationAnalyzer]=5110 [PromptEnhancer]=5120 [ImageGenerator]=5130)

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# --- packages --------------------------------------------------------------------------------

APT_UPDATED=0
apt_install() {
    local missing=()
    for package in "$@"; do
        dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    say "installing ${missing[*]}"
    [ "$(id -u)" -eq 0 ] || die "installing ${missing[*]} needs root (apt-get)"
    if [ "$APT_UPDATED" -eq 0 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_packages() {
    command -v dotnet >/dev/null || die "the .NET 10 SDK (dotnet) is not on PATH"
    # chromium: the browser the dashboard's browser specs drive (Playwright's own download is not used);
    # prometheus: scrapes every service of a local run, and its promtool checks the alert rules.
    apt_install rabbitmq-server postgresql-15 postgresql-contrib curl python3 chromium prometheus
}

# --- RabbitMQ --------------------------------------------------------------------------------

rabbit_answers() { curl -sf -m 3 -u guest:guest "http://127.0.0.1:$RABBIT_UI_PORT/api/overview" >/dev/null 2>&1; }

start_rabbitmq() {
    if rabbit_answers; then
        return 0
    fi
    say "starting RabbitMQ ($RABBIT_NODE, data in $RABBIT_DATA)"
    mkdir -p "$RABBIT_DATA/mnesia" "$RABBIT_DATA/log"
    cp "$ROOT/infra/rabbitmq/enabled_plugins" "$RABBIT_DATA/enabled_plugins"
    # The checked-in config with this instance's ports.
    sed -e "s/:5672\$/:$RABBIT_PORT/" -e "s/= 15672\$/= $RABBIT_UI_PORT/" "$ROOT/infra/rabbitmq/rabbitmq.conf" >"$RABBIT_DATA/rabbitmq.conf"
    echo "prometheus.tcp.port = $RABBIT_METRICS_PORT" >>"$RABBIT_DATA/rabbitmq.conf"
    # The broker runs as user rabbitmq (as Debian's start script does): it must own its folders.
    chown -R rabbitmq:rabbitmq "$RABBIT_DATA"
    # Debian's package may have started its own broker with another config; ours replaces it (our nodes stay).
    local pid
    for pid in $(pgrep -u rabbitmq -f beam.smp || true); do
        grep -qaE 'RABBITMQ_NODENAME=(workflow|recovery)@' "/proc/$pid/environ" 2>/dev/null || kill "$pid" 2>/dev/null || true
    done
    setsid runuser -u rabbitmq -- env HOME=/var/lib/rabbitmq \
        RABBITMQ_NODENAME="$RABBIT_NODE" \
        RABBITMQ_DIST_PORT="$((RABBIT_PORT + 20000))" \
        RABBITMQ_MNESIA_BASE="$RABBIT_DATA/mnesia" \
        RABBITMQ_LOG_BASE="$RABBIT_DATA/log" \
        RABBITMQ_CONFIG_FILE="$RABBIT_DATA/rabbitmq.conf" \
        RABBITMQ_ENABLED_PLUGINS_FILE="$RABBIT_DATA/enabled_plugins" \
        RABBITMQ_PID_FILE="$RABBIT_DATA/rabbitmq.pid" \
        /usr/lib/rabbitmq/bin/rabbitmq-server >"$RABBIT_DATA/log/console.log" 2>&1 < /dev/null &
    for _ in $(seq 1 90); do
        rabbit_answers && { say "RabbitMQ is up (amqp://127.0.0.1:$RABBIT_PORT, management UI http://127.0.0.1:$RABBIT_UI_PORT, guest/guest)"; return 0; }
        sleep 1
    done
    tail -n 30 "$RABBIT_DATA/log/console.log" >&2 || true
    die "RabbitMQ did not answer within 90 s"
}

stop_rabbitmq() {
    if [ -f "$RABBIT_DATA/rabbitmq.pid" ]; then
        local pid
        pid="$(cat "$RABBIT_DATA/rabbitmq.pid")"
        if kill -0 "$pid" 2>/dev/null; then
            say "stopping RabbitMQ"
            kill "$pid"
            for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
        fi
        rm -f "$RABBIT_DATA/rabbitmq.pid"
    fi
}

# --- PostgreSQL ------------------------------------------------------------------------------

pg_answers() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" >/dev/null 2>&1; }

as_postgres() { runuser -u postgres -- "$@"; }

start_postgres() {
    if ! pg_answers; then
        mkdir -p "$PG_SOCKET"
        chown postgres:postgres "$PG_SOCKET"
        if [ ! -f "$PG_DATA/PG_VERSION" ]; then
            say "creating a PostgreSQL cluster in $PG_DATA"
            mkdir -p "$PG_DATA"
            chown postgres:postgres "$PG_DATA"
            chmod 700 "$PG_DATA"
            as_postgres "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth-local=peer --auth-host=scram-sha-256 -E UTF8 >/dev/null
        fi
        say "starting PostgreSQL on 127.0.0.1:$PG_PORT"
        # Full-page images, written at a page's first change after each checkpoint, were most of the WAL:
        # checkpoints every 15 minutes instead of 5 and lz4-compressed page images cut that without touching
        # durability (fsync and synchronous_commit stay on).
        as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -c unix_socket_directories=$PG_SOCKET -c max_connections=300 -c wal_compression=lz4 -c checkpoint_timeout=15min -c max_wal_size=4GB" start >/dev/null \
            || { tail -n 30 "$PG_DATA/server.log" >&2; die "PostgreSQL did not start"; }
    fi
    # The application role and database, created once; the role may create the databases tests isolate themselves in.
    if [ -d "$PG_SOCKET" ] && [ -S "$PG_SOCKET/.s.PGSQL.$PG_PORT" ]; then
        as_postgres psql -q -h "$PG_SOCKET" -p "$PG_PORT" -d postgres -v ON_ERROR_STOP=1 <<'SQL' >/dev/null
SELECT 'CREATE ROLE workflow LOGIN CREATEDB PASSWORD ''workflow'''
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'workflow') \gexec
SELECT 'CREATE DATABASE workflow OWNER workflow'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'workflow') \gexec
SQL
    fi
    PGPASSWORD=workflow psql -q -h 127.0.0.1 -p "$PG_PORT" -U workflow -d workflow -c 'SELECT 1' >/dev/null \
        || die "PostgreSQL on 127.0.0.1:$PG_PORT does not accept workflow/workflow"
    recreate_stale_database
    say "PostgreSQL is up ($DB_CONNECTION)"
}

# A local database migrated by migrations this checkout no longer has (they were squashed) cannot be carried
# forward: it is dropped and made anew, and the Orchestrator migrates it at start-up.
recreate_stale_database() {
    local known applied migration
    known="$(find "$ROOT/services/Orchestrator/Persistence/Migrations" -name '*.cs' ! -name '*.Designer.cs' -printf '%f\n' | sed 's/\.cs$//')"
    applied="$(PGPASSWORD=workflow psql -tA -h 127.0.0.1 -p "$PG_PORT" -U workflow -d workflow \
        -c 'SELECT "MigrationId" FROM workflow.__ef_migrations_history' 2>/dev/null || true)"
    for migration in $applied; do
        if ! grep -qx "$migration" <<<"$known"; then
            say "the database was migrated by migrations this checkout does not have ($migration): recreating it"
            PGPASSWORD=workflow psql -q -h 127.0.0.1 -p "$PG_PORT" -U workflow -d postgres -v ON_ERROR_STOP=1 \
                -c 'DROP DATABASE workflow WITH (FORCE)' -c 'CREATE DATABASE workflow' >/dev/null
            return 0
        fi
    done
}

stop_postgres() {
    if [ -f "$PG_DATA/postmaster.pid" ]; then
        say "stopping PostgreSQL"
        as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null || true
    fi
}

infrastructure() {
    ensure_packages
    start_postgres
    start_rabbitmq
}

# --- Prometheus ------------------------------------------------------------------------------

prometheus_answers() { curl -sf -m 2 "http://127.0.0.1:$PROMETHEUS_PORT/-/ready" >/dev/null 2>&1; }

# One target per running instance of each service (ports as `scale` assigns them) and RabbitMQ's own endpoint.
# Prometheus re-reads these files when they change: `scale` calls this again.
write_prometheus_targets() {
    mkdir -p "$PROMETHEUS_DATA/targets"
    local name n entries=()
    for name in "${SERVICES[@]}"; do
        n=0
        while running "$name" "$n"; do
            entries+=("{\"targets\": [\"127.0.0.1:$(port_of "$name" "$n")\"], \"labels\": {\"service\": \"$name\", \"index\": \"$n\"}}")
            n=$((n + 1))
        done
    done
    local IFS=,
    # Written aside and moved, so that Prometheus never reads half a file.
    echo "[${entries[*]}]" >"$PROMETHEUS_DATA/targets/services.json.new"
    mv "$PROMETHEUS_DATA/targets/services.json.new" "$PROMETHEUS_DATA/targets/services.json"
    echo "[{\"targets\": [\"127.0.0.1:$RABBIT_METRICS_PORT\"], \"labels\": {\"service\": \"RabbitMQ\"}}]" >"$PROMETHEUS_DATA/targets/rabbitmq.json"
}

start_prometheus() {
    mkdir -p "$PROMETHEUS_DATA/data" "$RUN" "$LOGS"
    cp "$ROOT/infra/prometheus/prometheus.yml" "$ROOT/infra/prometheus/alerts.yml" "$PROMETHEUS_DATA/"
    write_prometheus_targets
    if prometheus_answers; then
        # Running already: the rules may have changed.
        curl -sf -m 5 -X POST "http://127.0.0.1:$PROMETHEUS_PORT/-/reload" >/dev/null 2>&1 || true
    else
        say "starting Prometheus on 127.0.0.1:$PROMETHEUS_PORT"
        setsid nohup prometheus --config.file="$PROMETHEUS_DATA/prometheus.yml" --storage.tsdb.path="$PROMETHEUS_DATA/data" \
            --storage.tsdb.retention.time=7d --web.listen-address="127.0.0.1:$PROMETHEUS_PORT" --web.enable-lifecycle \
            >>"$LOGS/prometheus.log" 2>&1 </dev/null &
        echo $! >"$RUN/prometheus.pid"
        for _ in $(seq 1 60); do prometheus_answers && break; sleep 0.5; done
        prometheus_answers || die "Prometheus did not start (log $LOGS/prometheus.log)"
    fi
    say "Prometheus: http://127.0.0.1:$PROMETHEUS_PORT (alerts at /alerts; Grafana dashboard to import: infra/grafana/workflow-dashboard.json)"
}

stop_prometheus() {
    local pid_file="$RUN/prometheus.pid"
    [ -f "$pid_file" ] || return 0
    local pid
    pid="$(cat "$pid_file")"
    if kill -0 "$pid" 2>/dev/null; then
        say "stopping Prometheus"
        kill "$pid"
        for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    fi
    rm -f "$pid_file"
}

# promtool from the prometheus package, installed when missing (the test suite checks the alert rules with it).
run_promtool() {
    command -v promtool >/dev/null || apt_install prometheus
    exec promtool "$@"
}

# --- services --------------------------------------------------------------------------------

pid_file() { echo "$RUN/$1-$2.pid"; }
port_of() { echo $(( ${BASE_PORT[$1]} + $2 )); }
running() { local f; f="$(pid_file "$1" "$2")"; [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null; }
instances() { local n=0; while running "$1" "$n"; do n=$((n + 1)); done; echo "$n"; }

build() {
    say "building ($CONFIGURATION)"
    dotnet build "$ROOT/Workflow.sln" -c "$CONFIGURATION" -nologo -v quiet -clp:ErrorsOnly
}

start_instance() {
    local name="$1" index="$2" port dll
    running "$name" "$index" && return 0
    port="$(port_of "$name" "$index")"
    dll="$ROOT/services/$name/bin/$CONFIGURATION/net10.0/Workflow.$name.dll"
    [ -f "$dll" ] || die "$name is not built ($dll)"
    mkdir -p "$RUN" "$LOGS" "$DATA/blobs"
    (
        # The content root is the working directory: appsettings*.json sit beside the dll.
        cd "$(dirname "$dll")"
        export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
        # Only the services with a database get one, so that only their readiness depends on PostgreSQL.
        case "$name" in Orchestrator|Gateway|CombinationAnalyzer|ImageGenerator|PromptEnhancer) export ConnectionStrings__workflow="$DB_CONNECTION" ;; esac
        export RabbitMq__Host=127.0.0.1
        export Blobs__Root="$DATA/blobs"
        export Notifier__GatewayUrl="http://127.0.0.1:${BASE_PORT[Gateway]}"
        setsid nohup dotnet "$dll" --urls "http://127.0.0.1:$port" >>"$LOGS/$name-$index.log" 2>&1 < /dev/null &
        echo $! >"$(pid_file "$name" "$index")"
    )
    say "started $name #$index on http://127.0.0.1:$port (log $LOGS/$name-$index.log)"
}

wait_ready() {
    local name="$1" index="$2" port
    port="$(port_of "$name" "$index")"
    for _ in $(seq 1 90); do
        curl -sf -m 2 "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && return 0
        running "$name" "$index" || break
        sleep 1
    done
    tail -n 40 "$LOGS/$name-$index.log" >&2 || true
    die "$name #$index did not become ready on port $port"
}

stop_instance() {
    local name="$1" index="$2" f pid
    f="$(pid_file "$name" "$index")"
    [ -f "$f" ] || return 0
    pid="$(cat "$f")"
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid"
        for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
        kill -KILL "$pid" 2>/dev/null || true
        say "stopped $name #$index"
    fi
    rm -f "$f"
}

demo_job() {
    local gateway="http://127.0.0.1:${BASE_PORT[Gateway]}" response id
    say "submitting a demo job"
    response="$(curl -sf -X POST "$gateway/api/jobs" -H 'Authorization: Bearer dev-user-key' -H 'Content-Type: application/json' \
        -d '{"type":"image-generation","priority":"normal","input":{"basePrompt":"a travel poster","attributes":{"style":["watercolor","pixel art"],"subject":["lighthouse","fox"]},"count":4,"width":512,"height":512}}')" \
        || die "the Gateway refused the demo job"
    id="$(python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])' <<<"$response")"
    local status="" line
    for _ in $(seq 1 120); do
        line="$(curl -sf "$gateway/api/jobs/$id" -H 'Authorization: Bearer dev-user-key' \
            | python3 -c 'import json,sys; j=json.load(sys.stdin); p=j["progress"]; print(j["status"], p["stage"], str(p["percent"]) + "%", p["message"])')"
        echo "    $line"
        status="${line%% *}"
        case "$status" in completed|failed|cancelled) break ;; esac
        sleep 1
    done
    cat <<TXT

Workflow is running.
  Gateway API          $gateway  (Authorization: Bearer dev-user-key | dev-admin-key)
  The demo job         curl -H 'Authorization: Bearer dev-user-key' $gateway/api/jobs/$id
  Its history          curl -H 'Authorization: Bearer dev-user-key' $gateway/api/jobs/$id/history
  Its images           $DATA/blobs/jobs/$id/   (or $gateway/api/jobs/$id/images/0)
  Live events          ws://127.0.0.1:${BASE_PORT[Notifier]}/ws?access_token=dev-user-key
  RabbitMQ management  http://127.0.0.1:15672  (guest / guest)
  PostgreSQL           psql "postgresql://workflow:workflow@127.0.0.1:$PG_PORT/workflow" -c 'table workflow.jobs'
  Logs                 $LOGS/   (infra/dev.sh logs [SERVICE])
  Status               infra/dev.sh status
TXT
    [ "$status" = completed ] || die "the demo job ended '$status'"
}

up() {
    infrastructure
    build
    for name in "${SERVICES[@]}"; do
        start_instance "$name" 0
        # The Orchestrator migrates the schema the Gateway reads: let it finish first.
        [ "$name" = Orchestrator ] && wait_ready Orchestrator 0
    done
    for name in "${SERVICES[@]}"; do wait_ready "$name" 0; done
    start_prometheus
    demo_job
}

down() {
    for name in "${SERVICES[@]}"; do
        local n=0
        while [ -f "$(pid_file "$name" "$n")" ]; do stop_instance "$name" "$n"; n=$((n + 1)); done
    done
    stop_prometheus
    stop_rabbitmq
    stop_postgres
    stop_recovery_infrastructure
}

# The recovery tests' own PostgreSQL and RabbitMQ, when they ran.
stop_recovery_infrastructure() {
    if [ -z "$INSTANCE" ] && [ -d "$ROOT/.data/recovery" ]; then
        WORKFLOW_INSTANCE=recovery "$0" stop-infra
    fi
}

status() {
    if pg_answers; then echo "PostgreSQL  up    127.0.0.1:$PG_PORT"; else echo "PostgreSQL  down"; fi
    if rabbit_answers; then echo "RabbitMQ    up    amqp://127.0.0.1:$RABBIT_PORT, http://127.0.0.1:$RABBIT_UI_PORT"; else echo "RabbitMQ    down"; fi
    for name in "${SERVICES[@]}"; do
        local n=0 health
        while [ -f "$(pid_file "$name" "$n")" ]; do
            if running "$name" "$n"; then
                health="$(curl -s -m 2 "http://127.0.0.1:$(port_of "$name" "$n")/health/ready" || true)"
                printf '%-20s #%d  pid %-7s port %-5s %s\n' "$name" "$n" "$(cat "$(pid_file "$name" "$n")")" "$(port_of "$name" "$n")" "${health:-no answer}"
            else
                printf '%-20s #%d  not running (see %s)\n' "$name" "$n" "$LOGS/$name-$n.log"
            fi
            n=$((n + 1))
        done
    done
}

logs() {
    local pattern="${1:-*}"
    if [ -t 1 ] && [ "${CI:-}" != true ]; then
        tail -n 50 -F "$LOGS"/$pattern-*.log
    else
        tail -n 100 "$LOGS"/$pattern-*.log
    fi
}

scale() {
    local name="${1:-}" count="${2:-}"
    [[ " ${SERVICES[*]} " == *" $name "* ]] || die "scale SERVICE N: SERVICE is one of ${SERVICES[*]}"
    [[ "$count" =~ ^[0-9]+$ ]] || die "scale $name N: N is a number"
    local current
    current="$(instances "$name")"
    for ((i = current; i < count; i++)); do start_instance "$name" "$i"; done
    for ((i = 0; i < count; i++)); do wait_ready "$name" "$i"; done
    for ((i = current - 1; i >= count; i--)); do stop_instance "$name" "$i"; done
    [ -d "$PROMETHEUS_DATA/targets" ] && write_prometheus_targets
    say "$name runs $count instance(s)"
}

run_tests() {
    infrastructure
    local results="$ROOT/TestResults"
    rm -rf "$results"
    say "running every test ($CONFIGURATION)"
    local code=0
    dotnet test "$ROOT/Workflow.sln" -c "$CONFIGURATION" -nologo --logger "trx;LogFilePrefix=tests" --results-directory "$results" || code=$?
    # The recovery tests started a second PostgreSQL and RabbitMQ; nothing needs them after the run.
    stop_recovery_infrastructure >/dev/null
    python3 - "$results" "$code" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = executed = 0
files = glob.glob(sys.argv[1] + "/**/*.trx", recursive=True)
for path in files:
    counters = ET.parse(path).getroot().find("t:ResultSummary/t:Counters", ns)
    passed += int(counters.get("passed", 0))
    failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0)) + int(counters.get("aborted", 0))
    skipped += int(counters.get("notExecuted", 0))
    executed += int(counters.get("executed", 0))
    # The head of each failure, where the specs put what went wrong; the full text (logs included) stays in the TRX file.
    for result in ET.parse(path).getroot().iterfind("t:Results/t:UnitTestResult", ns):
        if result.get("outcome") in ("Failed", "Error", "Timeout", "Aborted"):
            message = result.findtext("t:Output/t:ErrorInfo/t:Message", "", ns).splitlines()
            print(f"FAILED {result.get('testName')} ({result.get('duration')})")
            print("\n".join("    " + line[:300] for line in message[:30]))
print(f"{len(files)} test result files, {executed} tests executed")
if executed == 0:
    print("no test was executed")
line = f"Tests: {passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else "")
print(line)
sys.exit(1 if failed or executed == 0 or int(sys.argv[2]) != 0 else 0)
PY
}

case "${1:-}" in
    up) up ;;
    down) down ;;
    status) status ;;
    logs) shift; logs "${1:-*}" ;;
    scale) shift; scale "${1:-}" "${2:-}" ;;
    test) run_tests ;;
    infra) infrastructure ;;
    stop-infra) stop_rabbitmq; stop_postgres ;;
    promtool) shift; run_promtool "$@" ;;
    restart)
        case "${2:-}" in
            rabbitmq) stop_rabbitmq; start_rabbitmq ;;
            postgres) stop_postgres; start_postgres ;;
            *) die "restart rabbitmq|postgres" ;;
        esac ;;
    *) sed -n '2,13p' "$0"; exit 2 ;;
esac
