#!/usr/bin/env bash
# Notification fan-out over SSE: event committed → received by each of N connected clients (p50/p99).
# Usage: bench/notify.sh [clients, default 500] [events, default 40]
set -euo pipefail
cd "$(dirname "$0")/.."
ulimit -n 8192 2>/dev/null || true
export YIYE_BENCH=1  # the bench targets exist only when asked (Package.swift)
build=$(swift build -c release --product notify-bench 2>&1) || { echo "$build"; exit 1; }
"$(swift build -c release --show-bin-path)/notify-bench" "${1:-500}" "${2:-40}"
