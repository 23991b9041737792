#!/usr/bin/env bash
# Runs the end-to-end benchmark against the local system (started, or reused, by infra/dev.sh up); bench/README.md
# lists every option. Besides the options of bench/EndToEnd it takes
#   --instances Orchestrator=2,ImageGenerator=2   instances per service during the run (infra/dev.sh scale), restored after
# and builds the Hangfire peer where it lies (WORKFLOW_HANGFIRE_PEER, default ../shared/peers/hangfire beside the repository).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PEER="${WORKFLOW_HANGFIRE_PEER:-$ROOT/../shared/peers/hangfire}"

instances=""
args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --instances) instances="${2:?--instances needs SERVICE=N[,SERVICE=N…]}"; shift 2 ;;
        *) args+=("$1"); shift ;;
    esac
done

bash "$ROOT/infra/dev.sh" up

running_instances() {
    local n=0
    while [ -f "$ROOT/.data/run/$1-$n.pid" ] && kill -0 "$(cat "$ROOT/.data/run/$1-$n.pid")" 2>/dev/null; do n=$((n + 1)); done
    echo "$n"
}

# Scale as asked; when the run ends, however it ends, stop the instances it added (it never starts any then:
# whoever stopped a service meanwhile meant it).
restore=()
restore_instances() {
    local entry service before
    for entry in "${restore[@]}"; do
        service="${entry%%=*}" before="${entry#*=}"
        if [ "$(running_instances "$service")" -gt "$before" ]; then bash "$ROOT/infra/dev.sh" scale "$service" "$before" || true; fi
    done
}
trap restore_instances EXIT
if [ -n "$instances" ]; then
    IFS=',' read -r -a wanted <<<"$instances"
    for entry in "${wanted[@]}"; do
        service="${entry%%=*}"
        restore+=("$service=$(running_instances "$service")")
        bash "$ROOT/infra/dev.sh" scale "$service" "${entry#*=}"
    done
fi

# The Hangfire peer is a reference to measure against, not part of the repository: it is built where it lies.
# Without it the benchmark still runs and its report says why the peer is missing.
if [ ! -f "$PEER/HangfireBench.csproj" ]; then
    args+=(--hangfire-unavailable "no peer at $PEER (set WORKFLOW_HANGFIRE_PEER)")
elif peer_build="$(cd "$PEER" && dotnet build -c Release -nologo -v quiet -clp:ErrorsOnly 2>&1)"; then
    args+=(--hangfire "$PEER")
else
    printf '%s\n' "$peer_build" >&2
    args+=(--hangfire-unavailable "the peer at $PEER did not build: $(printf '%s\n' "$peer_build" | grep -m1 -E 'error' || echo 'see the output of bench/run.sh')")
fi

dotnet build "$ROOT/bench/EndToEnd/Bench.EndToEnd.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet "$ROOT/bench/EndToEnd/bin/Release/net10.0/Workflow.Bench.EndToEnd.dll" "${args[@]}"
