#!/usr/bin/env bash
# Audit chain throughput under concurrent writers (records/s, latency), then a full verify. Release build.
# Usage: bench/audit.sh [seconds per concurrency level, default 5]
set -euo pipefail
cd "$(dirname "$0")/.."
export YIYE_BENCH=1  # the bench targets exist only when asked (Package.swift)
build=$(swift build -c release --product audit-bench 2>&1) || { echo "$build"; exit 1; }
"$(swift build -c release --show-bin-path)/audit-bench" "${1:-5}"
