#!/usr/bin/env bash
# The jobs table at a million rows: bench/jobs-table.sh [--rows 1000000] [--requests 200]
# Seeds a database of its own (workflow_bench_jobs, never the shared workflow database), starts a Gateway on it (port
# 5181, a RabbitMQ virtual host of its own), measures the p95 of the dashboard's jobs page and of GET /api/jobs with
# filters, and writes bench/results/jobs-table-<UTC time>.md with the plans PostgreSQL chose (EXPLAIN ANALYZE, BUFFERS).
# Needs the PostgreSQL and RabbitMQ that infra/dev.sh infra started; leaves both as they were.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROWS=1000000
REQUESTS=200
while [[ $# -gt 0 ]]; do
    case "$1" in
        --rows) ROWS="$2"; shift 2 ;;
        --requests) REQUESTS="$2"; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done

DB=workflow_bench_jobs
VHOST=workflow-bench-jobs
PORT=5181
export PGHOST=127.0.0.1 PGPORT=5432 PGUSER=workflow PGPASSWORD=workflow
CONNECTION="Host=127.0.0.1;Port=5432;Database=$DB;Username=workflow;Password=workflow"
RABBIT=http://127.0.0.1:15672/api
LOG="$ROOT/.data/logs"
mkdir -p "$LOG" "$ROOT/bench/results"

echo "database $DB: created afresh, migrated, $ROWS rows"
psql -d postgres -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
psql -d postgres -qc "CREATE DATABASE $DB"
dotnet build -c Release -nologo -v quiet "$ROOT/services/Orchestrator/Orchestrator.csproj"
dotnet build -c Release -nologo -v quiet "$ROOT/services/Gateway/Gateway.csproj"
(cd "$ROOT" && dotnet ef database update --no-build --configuration Release --project services/Orchestrator --connection "$CONNECTION" >"$LOG/bench-jobs-migrate.log")
seeded=$(date +%s)
psql -d "$DB" -v ON_ERROR_STOP=1 -v rows="$ROWS" -qf "$ROOT/bench/JobsTable/seed.sql"
echo "seeded in $(( $(date +%s) - seeded )) s"

curl -sf -u guest:guest -X PUT "$RABBIT/vhosts/$VHOST" >/dev/null
curl -sf -u guest:guest -X PUT -H 'Content-Type: application/json' -d '{"configure":".*","write":".*","read":".*"}' "$RABBIT/permissions/$VHOST/guest" >/dev/null
(
    cd "$ROOT/services/Gateway/bin/Release/net10.0"
    ASPNETCORE_ENVIRONMENT=Development ConnectionStrings__workflow="$CONNECTION" RabbitMq__VirtualHost="$VHOST" \
        Limits__RequestsPerSecond=100000 Limits__RequestBurst=100000 Limits__AdminRequestsPerSecond=100000 Limits__AdminRequestBurst=100000 \
        Gateway__QueueMetricsIntervalSeconds=0 Logging__LogLevel__Default=Warning \
        exec dotnet Workflow.Gateway.dll --urls "http://127.0.0.1:$PORT" >"$LOG/Gateway-bench-jobs.log" 2>&1
) &
gateway=$!
cleanup() {
    kill "$gateway" 2>/dev/null || true
    wait "$gateway" 2>/dev/null || true
    curl -sf -u guest:guest -X DELETE "$RABBIT/vhosts/$VHOST" >/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 1 90); do curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null && break; sleep 1; done

python3 "$ROOT/bench/JobsTable/measure.py" --gateway "http://127.0.0.1:$PORT" --database "$DB" --rows "$ROWS" --requests "$REQUESTS" \
    --out "$ROOT/bench/results/jobs-table-$(date -u +%Y%m%d-%H%M%S).md"
