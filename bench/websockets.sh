#!/usr/bin/env bash
# 10,000 WebSocket clients on one Notifier: bench/websockets.sh [--connections 10000] [--events 20]
# Runs its own Notifier (port 5095, per-key connection limit raised) beside the system infra/dev.sh up started.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/infra/dev.sh" up >/dev/null
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
dotnet build -c Release -nologo -v quiet "$ROOT/bench/WebSockets/Bench.WebSockets.csproj"
(
    cd "$ROOT/services/Notifier/bin/Release/net10.0"
    ASPNETCORE_ENVIRONMENT=Development Notifier__MaxConnectionsPerKey=100000 Notifier__KeepAliveSeconds=60 \
        exec dotnet Workflow.Notifier.dll --urls http://127.0.0.1:5095 >"$ROOT/.data/logs/Notifier-bench.log" 2>&1
) &
notifier=$!
trap 'kill $notifier 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -sf http://127.0.0.1:5095/health/ready >/dev/null && break; sleep 1; done
# The 10,000 clients read on the socket engine's thread instead of hopping to the thread pool for every frame: otherwise
# this one process spends more CPU than the Notifier it measures, on the same two cores (the bare consumer it starts
# runs with the runtime's defaults, like the Notifier).
DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 \
    dotnet "$ROOT/bench/WebSockets/bin/Release/net10.0/Workflow.Bench.WebSockets.dll" --notifier-pid "$notifier" "$@"
