#!/usr/bin/env bash
# Runs the end-to-end benchmark against the local system (started, or reused, by infra/dev.sh up).
#   bench/run.sh [--jobs 200] [--concurrency 16] [--count 2] [--size 64]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/infra/dev.sh" up
dotnet run -c Release --project "$ROOT/bench/EndToEnd/Bench.EndToEnd.csproj" -- "$@"
