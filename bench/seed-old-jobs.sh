#!/usr/bin/env bash
# Seeds old finished jobs for the retention benchmark (bench/README.md, "Retention under load"), or watches them go.
#   bench/seed-old-jobs.sh [--jobs 100000] [--age-days 200] [--db URL]   insert them (bench/seed-old-jobs.sql)
#   bench/seed-old-jobs.sh --watch [--db URL]                            print how many are left every 2 s, until none
#   bench/seed-old-jobs.sh --count [--db URL]                            print how many are left
#   bench/seed-old-jobs.sh --remove [--db URL]                           delete what is left (without the Orchestrator)
# URL defaults to the database infra/dev.sh gives the services, which bench/run.sh measures. The seeded jobs belong to
# the owner 'bench-seeded' and finished --age-days ago: older than every default retention age (failed jobs: 90 days).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
db="postgresql://workflow:workflow@127.0.0.1:5432/workflow"
jobs=100000
age_days=200
mode=seed
while [ $# -gt 0 ]; do
    case "$1" in
        --jobs) jobs="${2:?--jobs needs a number}"; shift 2 ;;
        --age-days) age_days="${2:?--age-days needs a number}"; shift 2 ;;
        --db) db="${2:?--db needs a PostgreSQL URL}"; shift 2 ;;
        --watch) mode=watch; shift ;;
        --count) mode=count; shift ;;
        --remove) mode=remove; shift ;;
        *) sed -n '2,8p' "$0"; exit 2 ;;
    esac
done
[[ "$jobs" =~ ^[0-9]+$ && "$age_days" =~ ^[0-9]+$ ]] || { echo "--jobs and --age-days are whole numbers" >&2; exit 2; }

left() { psql "$db" -tAq -v ON_ERROR_STOP=1 -c "SELECT count(*) FROM workflow.jobs WHERE owner = 'bench-seeded'"; }

case "$mode" in
    seed)
        SECONDS=0
        psql "$db" -q -v ON_ERROR_STOP=1 -c "SET seed.jobs = $jobs" -c "SET seed.age_days = $age_days" -f "$ROOT/bench/seed-old-jobs.sql"
        # Fresh statistics, so that the first retention batch is planned on the index like every later one.
        psql "$db" -q -v ON_ERROR_STOP=1 -c "ANALYZE workflow.jobs"
        printf 'seeded %s jobs finished %s days ago in %s s; %s seeded jobs in the table\n' "$jobs" "$age_days" "$SECONDS" "$(left)"
        ;;
    count) left ;;
    watch)
        while :; do
            n="$(left)"
            printf '%s %s\n' "$(date -u +%H:%M:%S)" "$n"
            [ "$n" -eq 0 ] && break
            sleep 2
        done
        ;;
    remove) psql "$db" -q -v ON_ERROR_STOP=1 -c "DELETE FROM workflow.jobs WHERE owner = 'bench-seeded'"; echo "left: $(left)" ;;
esac
