#!/usr/bin/env bash
# The leadership office's dashboard: its figures over 1,000,000 objects and 100,000 published results (p50/p95, each
# part's share) and the overdue list, against a SELECT 1 round trip in the same run. Release build.
# Usage: bench/dashboard.sh [objects, default 1000000]
set -euo pipefail
cd "$(dirname "$0")/.."
export YIYE_BENCH=1  # the bench targets exist only when asked (Package.swift)
build=$(swift build -c release --product dashboard-bench 2>&1) || { echo "$build"; exit 1; }
"$(swift build -c release --show-bin-path)/dashboard-bench" "${1:-1000000}"
